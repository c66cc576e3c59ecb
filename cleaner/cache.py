"""A cache of cleaning results, so a re-run over an unchanged corpus only re-reads.

The key covers everything the result depends on: the input's bytes and name, the
rule packs (their digest), the configuration, the grammar engine that ran, and the
tool's version and code.

An entry is plain data, never code: one line with the SHA-256 of the key and the
body, then the body, JSON compressed with the standard library's LZMA (spin repair
logs are repetitive and longer than zlib's 32 KB window, so LZMA keeps them within
twice the input where zlib does not). Anyone who can write the cache folder can plant a
file there (a pull request can commit one), so nothing read from it is executed,
and an entry whose digest does not match its key and content, or that does not
have the expected shape, is a miss (the batch says so once). Entries are compact:
the input text is decoded again from the bytes the key was made of, the output and
every pass's text are rebuilt by replaying the edit log, and hashes are recomputed;
only the log, the findings and the measurements are stored.

A batch is recorded too (:class:`BatchRecord`): the digests of the files it wrote and
what it said, keyed by its inputs' names and bytes, the settings and where it wrote; an
unchanged re-run into the same folder checks those files instead of cleaning again.

The default folder is the user's cache folder (as black and ruff do), outside any
working tree; a folder created here carries a ``.gitignore`` of ``*`` and a
``CACHEDIR.TAG``, so it is neither committed nor backed up, and ``cleaner cache
clean`` only ever removes a folder that has the tag. Entries are written
atomically, so two runs may share a folder.
"""

from __future__ import annotations

import hashlib
import json
import lzma
import shutil
from collections.abc import Mapping, Sequence
from dataclasses import asdict, dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

from cleaner import __version__
from cleaner.api import CleanResult, rules_digest_for
from cleaner.config import Config
from cleaner.edits import sha256_text, splice
from cleaner.errors import CleanerError, OutputError
from cleaner.fileio import keyed_digest, read_bounded, store_quietly
from cleaner.folders import cache_folder
from cleaner.model import Applicability, Edit, EditLog, Finding, Fix, Severity, SkippedFix, SkipReason, StagePass

SCHEMA = "cleaner.cache/2"
BATCH_SCHEMA = "cleaner.batch/1"
#: Bytes a batch record may take (about 100 a document): more is not one this tool wrote.
_MAX_BATCH_RECORD = 64 * 1024 * 1024
#: The standard tag (https://bford.info/cachedir/) that marks a folder as a cache.
_TAG_NAME = "CACHEDIR.TAG"
_TAG = "Signature: 8a477f597d28d172789f06886806bc55\n# This folder is a cache of cleaner results; 'cleaner cache clean' removes it.\n"


@lru_cache(maxsize=1)
def _code_digest() -> str:
    """Hash the package's own source, so a changed program never reads old results."""
    digest = hashlib.sha256()
    for path in sorted(Path(__file__).parent.rglob("*.py")):
        digest.update(path.read_bytes())
    return digest.hexdigest()


@lru_cache(maxsize=16)
def _engine_fingerprint(config: Config, engine: str | None) -> str:
    """Describe the grammar engine: ``engine`` when known to have run, else the one ``config`` plans.

    The words it accepts are part of it: an edited word list changes what is reported.
    Harper's version is part of a Harper result's (a LanguageTool server says its own).
    """
    from cleaner.services import engine_words, planned_engine

    planned, url, version = planned_engine(config.grammar, config.languagetool_url)
    if engine is not None and engine != planned:
        planned, url, version = engine, "", ""  # it fell back: the result is that engine's
    harper = ""
    if planned == "harper":
        from importlib import metadata  # here, not at start-up: 20 ms of imports

        try:
            harper = metadata.version("harper-py")
        except metadata.PackageNotFoundError:
            harper = "?"
    words = hashlib.sha256("\n".join(engine_words(config.words)).encode()).hexdigest()[:16] if planned != "off" else ""
    return f"{planned}|{url}|{version}|harper-{harper}|{words}"


@dataclass(frozen=True, slots=True)
class BatchRecord:
    """What a finished batch wrote and said, so that re-running it unchanged only has to check.

    A batch without errors whose inputs, settings, rules and destinations are those of
    a :meth:`ResultCache.batch_key` wrote these files: ``outputs`` holds the SHA-256 of
    each, in the order the batch lists them (cleaned copies, then the reports), and
    the counts and notices are what it reported. Only digests and counts: a planted
    record can name no file and run nothing.
    """

    outputs: tuple[str, ...]
    documents: int
    changed: int
    problems: int
    notices: tuple[str, ...]


class ResultCache:
    """Cleaning results stored by key in a folder."""

    def __init__(self, folder: Path | None = None) -> None:
        self.folder = folder if folder is not None else cache_folder()
        self.hits = 0
        self.misses = 0
        #: Entries found damaged or edited (each one a miss).
        self.rejected = 0
        #: The digest of the parts shared by every key of one configuration, for the last one used.
        self._shared: tuple[Config, str | None, hashlib._Hash] | None = None

    def key(self, data: bytes, source: str, config: Config, *, engine: str | None = None) -> str:
        """Return the key of cleaning ``data`` (read from ``source``) with ``config``.

        ``engine`` is the grammar engine that actually ran, once known: a result of the
        fallback engine is stored under that engine's key, never the planned one's.
        """
        digest = self._shared_digest(config, engine)
        digest.update(source.encode("utf-8") + b"\0")
        digest.update(data)
        return digest.hexdigest()

    def _shared_digest(self, config: Config, engine: str | None) -> hashlib._Hash:
        """A fresh copy of the digest of what every key of ``config`` shares: version, code, rules, settings, engine."""
        shared = self._shared
        if shared is None or shared[1] != engine or (shared[0] is not config and shared[0] != config):
            digest = hashlib.sha256()
            for part in (__version__, _code_digest(), rules_digest_for(config), repr(config), _engine_fingerprint(config, engine)):
                digest.update(part.encode("utf-8") + b"\0")
            shared = self._shared = (config, engine, digest)  # a batch's documents mostly share one configuration
        return shared[2].copy()

    def batch_key(self, config: Config, inputs: Sequence[tuple[Path, str]], destinations: Sequence[Path]) -> str | None:
        """Return the key of a whole batch: every input's name, output name and bytes, and where it writes.

        ``inputs`` are the input files with their output names, in batch order;
        ``destinations`` the output and report folders. ``None`` when an input cannot
        be read: that batch is not one a record can stand for.
        """
        digest = self._shared_digest(config, None)
        digest.update(b"batch\0" + "\0".join(str(folder.resolve()) for folder in destinations).encode("utf-8", "surrogateescape") + b"\0")
        for path, name in inputs:
            try:
                with path.open("rb") as stream:
                    content = hashlib.file_digest(stream, "sha256").hexdigest()
            except OSError:
                return None
            digest.update(f"{path.as_posix()}\0{name}\0{content}\0".encode("utf-8", "surrogateescape"))
        return digest.hexdigest()

    def recall_batch(self, key: str) -> BatchRecord | None:
        """Return the record stored under a :meth:`batch_key`, or ``None`` (a damaged one is counted in :attr:`rejected`)."""
        raw = read_bounded(self._batch_path(key), _MAX_BATCH_RECORD)
        if raw is None:
            return None
        record = _batch_record(raw, key)
        if record is None:
            self.rejected += 1
        return record

    def remember_batch(self, key: str, record: BatchRecord) -> None:
        """Store a batch's record atomically; a cache that cannot be written is skipped silently."""
        body = json.dumps({"schema": BATCH_SCHEMA, "key": key, **asdict(record)}, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
        if len(body) > _MAX_BATCH_RECORD:
            return
        self._write_entry(self._batch_path(key), key, body)

    def _batch_path(self, key: str) -> Path:
        return self.folder / "batches" / key

    def get(self, key: str, data: bytes) -> CleanResult | None:
        """Return the result stored under ``key`` (of cleaning ``data``), or ``None``.

        Missing is a miss; damaged, edited or of another shape is a miss counted in
        :attr:`rejected`.
        """
        raw = read_bounded(self._path(key), 64 * len(data) + 1_000_000)
        if raw is None:
            self.misses += 1
            return None
        result = _verified(raw, key, data)
        if result is None:
            self.rejected += 1
            self.misses += 1
            return None
        self.hits += 1
        return result

    def put(self, key: str, result: CleanResult) -> None:
        """Store a result atomically; a cache that cannot be written is skipped silently."""
        plain = json.dumps({"schema": SCHEMA, "key": key, "result": _to_plain(result)}, ensure_ascii=False, separators=(",", ":"))
        # Preset 1: 0.6 ms a document where the default 6 takes 4 ms (it sets up an 8 MB
        # dictionary no entry fills), for entries 8 % larger (measured on 100 documents).
        body = lzma.compress(plain.encode("utf-8"), format=lzma.FORMAT_XZ, preset=1)
        self._write_entry(self._path(key), key, body)

    def _write_entry(self, path: Path, key: str, body: bytes) -> None:
        """Write an entry (its digest line, then ``body``) atomically; skip silently if the cache cannot be written."""
        try:
            self._prepare()
        except OSError:
            return
        store_quietly(path, keyed_digest(key, body).encode("ascii") + b"\n" + body)

    def clean(self) -> int:
        """Remove the cache folder; return the number of entries it held.

        Only a folder this tool created (it has ``CACHEDIR.TAG``) is removed, so a
        mistyped ``--cache-dir`` never deletes someone's files.
        """
        if not self.folder.exists():
            return 0
        if not (self.folder / _TAG_NAME).is_file():
            raise OutputError(f"{self.folder}: not a cleaner cache (no {_TAG_NAME}); not removed", hint="check --cache-dir")
        entries = sum(1 for p in self.folder.glob("??/*") if not p.name.startswith("."))  # result entries; not counts/
        try:
            shutil.rmtree(self.folder)
        except OSError as exc:
            raise OutputError(f"{self.folder}: cannot remove the cache: {exc.strerror or exc}") from None
        return entries

    def _path(self, key: str) -> Path:
        return self.folder / key[:2] / key

    def _prepare(self) -> None:
        """Create the folder with the files that keep it out of git and backups."""
        if (self.folder / _TAG_NAME).is_file():
            return
        self.folder.mkdir(parents=True, exist_ok=True)
        (self.folder / ".gitignore").write_text("# Created by cleaner: a cache, never committed.\n*\n", encoding="utf-8")
        (self.folder / _TAG_NAME).write_text(_TAG, encoding="utf-8")


def _batch_record(raw: bytes, key: str) -> BatchRecord | None:
    """Check a batch record against its digest and key, and that every field has its type; ``None`` if anything is off."""
    digest, _, body = raw.partition(b"\n")
    try:
        if len(raw) > _MAX_BATCH_RECORD or digest.decode("ascii") != keyed_digest(key, body):
            return None
        entry = json.loads(body)
        counts = [entry[name] for name in ("documents", "changed", "problems")]
        outputs, notices = entry["outputs"], entry["notices"]
    except (UnicodeError, ValueError, TypeError, KeyError):
        return None
    if entry.get("schema") != BATCH_SCHEMA or entry.get("key") != key:
        return None
    if not all(type(n) is int and n >= 0 for n in counts) or not isinstance(outputs, list) or not isinstance(notices, list):
        return None
    if not all(isinstance(d, str) for d in outputs) or not all(isinstance(n, str) for n in notices):
        return None
    return BatchRecord(tuple(outputs), counts[0], counts[1], counts[2], tuple(notices))


def _verified(raw: bytes, key: str, data: bytes) -> CleanResult | None:
    """Check an entry against its digest and key, and rebuild its result; ``None`` if anything is off."""
    digest, _, body = raw.partition(b"\n")
    try:
        if digest.decode("ascii") != keyed_digest(key, body):
            return None
        entry = json.loads(_decompressed(body, limit=64 * len(data) + 1_000_000))
        if entry.get("schema") != SCHEMA or entry.get("key") != key:
            return None
        return _from_plain(entry["result"], data)
    except (CleanerError, UnicodeError, ValueError, TypeError, KeyError, IndexError, AttributeError, lzma.LZMAError):
        return None


def _decompressed(body: bytes, limit: int) -> bytes:
    """Decompress an entry, refusing one that would grow past ``limit`` bytes (a planted bomb)."""
    decompressor = lzma.LZMADecompressor(format=lzma.FORMAT_XZ)
    plain = decompressor.decompress(body, max_length=limit)
    if not decompressor.eof:
        raise ValueError("entry too large or truncated")
    return plain


def _to_plain(result: CleanResult) -> dict[str, Any]:
    """The result as JSON-ready data, without anything the log and the input rebuild."""
    return {
        "source": result.source,
        "markdown": result.markdown,
        "ingest": dict(result.ingest),
        "stages": {k: dict(v) for k, v in result.stages.items()},
        "readability": {k: dict(v) for k, v in result.readability.items()},
        "passes": [
            [p.stage, [_fix_to_plain(f) for f in p.applied], [[s.reason.value, _fix_to_plain(s.fix)] for s in p.skipped], [_finding_to_plain(f) for f in p.findings]]
            for p in result.log.passes
        ],
    }


def _fix_to_plain(fix: Fix) -> list[Any]:
    return [fix.rule_id, fix.applicability.label, fix.message, dict(fix.evidence), [list(e) for e in fix.edits]]


def _finding_to_plain(finding: Finding) -> list[Any]:
    return [finding.rule_id, finding.start, finding.end, finding.message, finding.severity.label, list(finding.suggestions), dict(finding.evidence), finding.suppressed]


def _from_plain(plain: Mapping[str, Any], data: bytes) -> CleanResult:
    """Rebuild a result: decode the input again, replay each pass to get its text and hashes."""
    from cleaner.stages.ingest import decode

    source = str(plain["source"])
    input_text = decode(data, source).text
    text = input_text
    passes = []
    for stage, applied, skipped, findings in plain["passes"]:
        fixes = tuple(_fix_from_plain(f) for f in applied)
        edits = [e for f in fixes for e in f.edits]
        if any(text[e.start : e.end] != e.before for e in edits):
            raise ValueError("an edit does not fit the text")
        output = splice(text, edits)
        passes.append(
            StagePass(
                stage=str(stage),
                input_sha256=sha256_text(text),
                output_sha256=sha256_text(output),
                applied=fixes,
                skipped=tuple(SkippedFix(_fix_from_plain(f), SkipReason(reason)) for reason, f in skipped),
                findings=tuple(_finding_from_plain(f) for f in findings),
                input_text=text,
            )
        )
        text = output
    return CleanResult(
        source=source,
        input_text=input_text,
        output=text,
        log=EditLog(source, sha256_text(input_text), tuple(passes)),
        markdown=bool(plain["markdown"]),
        ingest=dict(plain["ingest"]),
        stages={str(k): dict(v) for k, v in plain["stages"].items()},
        readability={str(k): dict(v) for k, v in plain["readability"].items()},
    )


def _fix_from_plain(plain: list[Any]) -> Fix:
    rule_id, applicability, message, evidence, edits = plain
    return Fix(str(rule_id), tuple(Edit(int(s), int(e), str(b), str(a)) for s, e, b, a in edits), Applicability.parse(applicability), str(message), dict(evidence))


def _finding_from_plain(plain: list[Any]) -> Finding:
    rule_id, start, end, message, severity, suggestions, evidence, suppressed = plain
    return Finding(str(rule_id), int(start), int(end), str(message), Severity[str(severity).upper()], tuple(map(str, suggestions)), dict(evidence), bool(suppressed))
