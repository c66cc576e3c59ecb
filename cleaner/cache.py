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
from dataclasses import dataclass, replace
from functools import lru_cache
from importlib import metadata
from pathlib import Path

from cleaner import __version__
from cleaner.api import CleanResult, registry_for
from cleaner.config import Config
from cleaner.edits import splice
from cleaner.model import Severity

DEFAULT_FOLDER = Path(".cleaner_cache")


@lru_cache(maxsize=1)
def _code_digest() -> str:
    """Hash the package's own source, so a changed program never reads old results."""
    digest = hashlib.sha256()
    for path in sorted(Path(__file__).parent.rglob("*.py")):
        digest.update(path.read_bytes())
    return digest.hexdigest()


@lru_cache(maxsize=16)
def _engine_fingerprint(config: Config) -> str:
    """Describe which grammar engine ``config`` would run, without starting one."""
    from cleaner.services import planned_engine

    engine, url, version = planned_engine(config.grammar, config.languagetool_url)
    try:
        harper = metadata.version("harper-py")
    except metadata.PackageNotFoundError:
        harper = "?"
    return f"{engine}|{url}|{version}|harper-{harper}"


@dataclass(frozen=True, slots=True)
class BatchDocument:
    """A cleaned document as a batch writes it, with the full result packed inside
    (for the cache; a batch without one leaves ``packed`` empty).

    A re-run that only writes outputs and reports (``cleaner clean``) uses the ready
    parts and never unpacks the result; ``check`` and ``report`` unpack it.
    """

    name: str
    output: str
    changed: bool
    #: Problems left after cleaning, by the severity ``fail_on`` would be (info, warning, error).
    problems: tuple[int, int, int]
    report_line: str
    markdown_row: str
    packed: bytes

    @classmethod
    def of(cls, result: CleanResult, name: str, report_line: str = "", markdown_row: str = "", *, pack: bool = True) -> BatchDocument:
        """Describe ``result`` with what the batch rendered of it; ``pack`` it for the cache."""
        from cleaner.checks import remaining_problems

        counts = tuple(remaining_problems(result, level) for level in Severity)
        packed = pickle.dumps(_without_pass_texts(result), protocol=pickle.HIGHEST_PROTOCOL) if pack else b""
        return cls(name, result.output, result.changed, counts, report_line, markdown_row, packed)  # type: ignore[arg-type]

    def result(self) -> CleanResult:
        """Unpack the full result (with each pass's input text rebuilt)."""
        return _with_pass_texts(pickle.loads(self.packed))  # noqa: S301 - our own cache entry


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

    def get(self, key: str) -> BatchDocument | None:
        """Return the stored document, or ``None`` (missing or unreadable)."""
        path = self.folder / key[:2] / key
        try:
            with path.open("rb") as stream:
                result = pickle.load(stream)  # noqa: S301 - our own cache folder, written by this tool
        except (OSError, pickle.UnpicklingError, EOFError, AttributeError, ImportError, TypeError, ValueError):
            self.misses += 1
            return None
        if not isinstance(result, BatchDocument):
            self.misses += 1
            return None
        self.hits += 1
        return result

    def put(self, key: str, document: BatchDocument) -> None:
        """Store a document atomically; a cache that cannot be written is skipped silently."""
        folder = self.folder / key[:2]
        try:
            folder.mkdir(parents=True, exist_ok=True)
            handle, temporary = tempfile.mkstemp(dir=folder, prefix=".", suffix=".tmp")
        except OSError:
            return
        try:
            with os.fdopen(handle, "wb") as stream:
                pickle.dump(document, stream, protocol=pickle.HIGHEST_PROTOCOL)
            os.replace(temporary, folder / key)
        except OSError:
            Path(temporary).unlink(missing_ok=True)


def _without_pass_texts(result: CleanResult) -> CleanResult:
    """Drop each pass's copy of its input text (the log rebuilds them): entries shrink a lot."""
    passes = tuple(replace(p, input_text="") for p in result.log.passes)
    return replace(result, log=replace(result.log, passes=passes))


def _with_pass_texts(result: CleanResult) -> CleanResult:
    """Rebuild each pass's input text by replaying the log from the document's text."""
    text = result.input_text
    passes = []
    for stage_pass in result.log.passes:
        passes.append(replace(stage_pass, input_text=text))
        text = splice(text, [e for f in stage_pass.applied for e in f.edits])
    return replace(result, log=replace(result.log, passes=tuple(passes)))
