"""A cache of cleaning results, so a re-run over an unchanged corpus only re-reads.

The key covers everything the result depends on: the input's bytes and name, the
rule packs (their digest), the configuration, the grammar engine that would run, and
the tool's version. Entries are written atomically (temporary file, then rename), so
two runs may share a cache folder; an entry that cannot be read is a miss.
"""

from __future__ import annotations

import hashlib
import os
import pickle
import tempfile
from functools import lru_cache
from importlib import metadata
from pathlib import Path

from cleaner import __version__
from cleaner.api import CleanResult, registry_for
from cleaner.config import Config

DEFAULT_FOLDER = Path(".cleaner_cache")


@lru_cache(maxsize=1)
def _code_digest() -> str:
    """Hash the package's own source, so a changed program never reads old results."""
    digest = hashlib.sha256()
    for path in sorted(Path(__file__).parent.rglob("*.py")):
        digest.update(path.read_bytes())
    return digest.hexdigest()


def _engine_fingerprint(config: Config) -> str:
    """Describe which grammar engine ``config`` would run, without starting one."""
    from cleaner.engines.languagetool import local_installation
    from cleaner.services import LANGUAGETOOL_URL_ENV

    url = config.languagetool_url or os.environ.get(LANGUAGETOOL_URL_ENV, "")
    installed = local_installation() if config.grammar in ("auto", "languagetool") and not url else None
    try:
        harper = metadata.version("harper-py")
    except metadata.PackageNotFoundError:
        harper = "?"
    return f"{config.grammar}|{url}|{installed.version if installed else ''}|harper-{harper}"


class ResultCache:
    """Cleaning results stored by key in a folder."""

    def __init__(self, folder: Path = DEFAULT_FOLDER) -> None:
        self.folder = folder
        self.hits = 0
        self.misses = 0

    def key(self, data: bytes, source: str, config: Config) -> str:
        """Return the key of cleaning ``data`` (read from ``source``) with ``config``."""
        digest = hashlib.sha256()
        for part in (__version__, _code_digest(), registry_for(config).digest, repr(config), _engine_fingerprint(config), source):
            digest.update(part.encode("utf-8") + b"\0")
        digest.update(data)
        return digest.hexdigest()

    def get(self, key: str) -> CleanResult | None:
        """Return the stored result, or ``None`` (missing or unreadable)."""
        path = self.folder / key[:2] / key
        try:
            with path.open("rb") as stream:
                result = pickle.load(stream)  # noqa: S301 - our own cache folder, written by this tool
        except (OSError, pickle.UnpicklingError, EOFError, AttributeError, ImportError, TypeError, ValueError):
            self.misses += 1
            return None
        self.hits += 1
        return result if isinstance(result, CleanResult) else None

    def put(self, key: str, result: CleanResult) -> None:
        """Store a result atomically; a cache that cannot be written is skipped silently."""
        folder = self.folder / key[:2]
        try:
            folder.mkdir(parents=True, exist_ok=True)
            handle, temporary = tempfile.mkstemp(dir=folder, prefix=".", suffix=".tmp")
        except OSError:
            return
        try:
            with os.fdopen(handle, "wb") as stream:
                pickle.dump(result, stream, protocol=pickle.HIGHEST_PROTOCOL)
            os.replace(temporary, folder / key)
        except OSError:
            Path(temporary).unlink(missing_ok=True)
