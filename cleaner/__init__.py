"""cleaner: repair, normalise and de-spin text corpora, explaining every change.

The public API::

    from cleaner import clean_text, clean_files, Config, replay
    result = clean_text("Broken\u00a0text  here.\r\n")
    result.output            # the cleaned text
    result.log               # every edit, with rule id, safety and reason
    replay(result.input_text, result.log) == result.output
"""

from __future__ import annotations

__version__ = "0.1.0"

from cleaner.api import CleanResult, clean_bytes, clean_text  # noqa: E402
from cleaner.batch import clean_files  # noqa: E402
from cleaner.config import Config  # noqa: E402
from cleaner.edits import replay  # noqa: E402

__all__ = ["CleanResult", "Config", "__version__", "clean_bytes", "clean_files", "clean_text", "replay"]
