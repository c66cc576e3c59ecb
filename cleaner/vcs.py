"""Git, for checking only what a change added: files and lines changed since a ref.

Used by ``cleaner check --changed-since REF [--changed-lines-only]`` so a pull request
is judged on what it adds, not on a file's whole past. Paths are returned as given to
git relative to the current folder; new untracked files count as wholly changed.
"""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

from cleaner.errors import ConfigError

_HUNK = re.compile(r"^@@ -\d+(?:,\d+)? \+(\d+)(?:,(\d+))? @@", re.MULTILINE)


def _git(*args: str) -> str:
    """Run git in the current folder; a missing repository or ref is a one-line error."""
    try:
        done = subprocess.run(["git", *args], capture_output=True, text=True, check=False)
    except FileNotFoundError:
        raise ConfigError("--changed-since needs git, which is not installed") from None
    if done.returncode != 0:
        message = done.stderr.strip().splitlines()[-1] if done.stderr.strip() else f"git {' '.join(args)} failed"
        if "not a git repository" in message:
            raise ConfigError("--changed-since: the current folder is not inside a git repository", hint="run cleaner check from inside the repository, or drop --changed-since")
        raise ConfigError(f"--changed-since: {message}")
    return done.stdout


def changed_files(ref: str, paths: list[str]) -> list[Path]:
    """Return text files added or modified since ``ref`` (committed or not) under ``paths``."""
    _git("rev-parse", "--verify", "--quiet", f"{ref}^{{commit}}")
    tracked = _git("diff", "--name-only", "--diff-filter=ACMR", "--relative", ref, "--", *paths).splitlines()
    untracked = _git("ls-files", "--others", "--exclude-standard", "--", *paths).splitlines()
    return [Path(p) for p in sorted(set(tracked) | set(untracked)) if Path(p).is_file()]


def changed_lines(ref: str, path: Path) -> set[int]:
    """Return the line numbers of ``path`` added or modified since ``ref`` (all lines if new)."""
    if not _git("ls-files", "--", path.as_posix()).strip():
        return set(range(1, _line_count(path) + 1))
    diff = _git("diff", "-U0", "--relative", ref, "--", path.as_posix())
    lines: set[int] = set()
    for hunk in _HUNK.finditer(diff):
        start, count = int(hunk.group(1)), int(hunk.group(2) or 1)
        lines.update(range(start, start + count))
    return lines


def _line_count(path: Path) -> int:
    """Count the lines of a file (at least one)."""
    try:
        return max(1, path.read_bytes().count(b"\n") + 1)
    except OSError:
        return 1
