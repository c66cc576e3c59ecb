"""Views of the edit log: reports, diffs and machine formats."""
