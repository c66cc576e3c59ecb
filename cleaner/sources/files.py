"""An output file written beside its target and renamed into place when complete.

Every sink writes through one of these, so a crash or an error half-way through a
large file never leaves a truncated output where a good one (or nothing) was.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path
from typing import BinaryIO


class AtomicFile:
    """A temporary file in the target's folder; :meth:`commit` renames it onto ``target``."""

    def __init__(self, target: Path) -> None:
        self.target = target
        handle, self._temporary = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
        self.stream: BinaryIO = os.fdopen(handle, "wb")

    def commit(self) -> None:
        """Close the file, give it the usual mode (mkstemp makes 0600) and move it into place."""
        self.stream.close()
        mask = os.umask(0)
        os.umask(mask)
        os.chmod(self._temporary, 0o666 & ~mask)
        os.replace(self._temporary, self.target)

    def abandon(self) -> None:
        """Close and remove the temporary file."""
        self.stream.close()
        Path(self._temporary).unlink(missing_ok=True)
