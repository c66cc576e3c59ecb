"""Batches of files: clean each input, write outputs, the edit log and reports safely.

One bad file never stops a batch: its error becomes a :class:`FileError` and the rest
go on. Nothing is lost:

* outputs are written atomically (:mod:`cleaner.fileio`) inside the output folder
  only, never onto an input unless ``in_place`` is asked for; an output folder that
  is, holds or lies inside an input folder is refused before anything is written, and
  so is an input whose output would land where a report goes;
* ``in_place`` keeps what each file is (mode, owner, links; see
  :func:`cleaner.fileio.write_in_place`) and writes the edit log all the same;
* SIGINT and SIGTERM stop the batch between documents: what was written is finished,
  the report lists those documents and says the run is incomplete, and the error
  names how many outputs were written.

Which files are read is :mod:`cleaner.discovery`'s business.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import signal
import threading
import time
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from functools import partial
from pathlib import Path
from types import FrameType
from typing import TYPE_CHECKING, Protocol

from cleaner.api import CleanResult
from cleaner.cache import BatchRecord, ResultCache
from cleaner.config import Config
from cleaner.discovery import collect_inputs
from cleaner.emit.report import REPORT_FILES, REPORT_SIGNATURES, FileError, ReportWriter, document_line, grammar_engine, markdown_row
from cleaner.errors import CleanerError, InputError, Interrupted, OutputError, TooLargeError
from cleaner.executors import Executor, InProcess, Payload, in_order
from cleaner.fileio import write_in_place, write_unless_same
from cleaner.folders import state_folder
from cleaner.model import Severity
from cleaner.services import fallback_notice
from cleaner.sources import is_record_file
from cleaner.sources.stream import CorpusOutputs, Unit, corpus_texts, output_name, record_jobs
from cleaner.stages.ingest import codec_for_writing

if TYPE_CHECKING:  # imported where the blocks are counted (a batch of a few documents never does)
    from cleaner.repeated_blocks import RepeatedBlocks

#: Edit logs of in-place runs kept in the user's state folder (the oldest go first).
IN_PLACE_LOGS_KEPT = 20


@dataclass(slots=True)
class BatchResult:
    """What a batch produced: counts, errors, and (when kept) the cleaned documents."""

    results: list[tuple[CleanResult, str | None]] = field(default_factory=list)
    errors: list[FileError] = field(default_factory=list)
    #: One line each for what was skipped or noticed on purpose (links, damaged cache entries, the edit log's place).
    notices: list[str] = field(default_factory=list)
    documents: int = 0
    changed: int = 0
    #: What is still wrong after cleaning, at the configuration's ``fail_on``.
    problems: int = 0
    cache_hits: int = 0
    #: Where ``report.json`` and ``REPORT.md`` were written, if anywhere.
    report_dir: Path | None = None


class Progress(Protocol):
    """What a batch tells a progress display: how many documents it found, then each one done."""

    def start(self, total: int) -> None:
        """Say how many documents the batch will clean (called once, before the first)."""

    def advance(self, path: Path) -> None:
        """Say that the document read from ``path`` is done."""


def clean_files(
    paths: Sequence[Path],
    output_dir: Path | None,
    config: Config,
    *,
    in_place: bool = False,
    write: bool = True,
    progress: Progress | None = None,
    executor: Executor | None = None,
    cache: ResultCache | None = None,
    keep_results: bool = True,
    follow_links: bool = False,
    report_dir: Path | None = None,
    allow_read_only: bool = False,
) -> BatchResult:
    """Clean every input; write ``output_dir/<name>`` (or in place) and the reports.

    Documents stream through ``executor`` (default: this process) in input order, so
    outputs and reports are the same whatever runs them and memory stays flat: with
    ``keep_results=False`` only counts are kept.
    ``cache`` skips documents cleaned before with the same input, rules, configuration
    and tool version; a batch writing copies is recorded there whole, and run again
    unchanged into the same folder it only checks the files it wrote (:func:`_replayed`). With ``write=False`` nothing is written (``check``, ``diff``).
    ``report_dir`` is where ``report.json`` and ``REPORT.md`` go: by default the output
    folder, or for ``in_place`` a new folder in the user's state folder (named in
    :attr:`BatchResult.notices`). ``follow_links`` reads links that lead outside the
    inputs; ``allow_read_only`` lets ``in_place`` rewrite read-only files.
    """
    copies_to = output_dir if write and not in_place else None
    if copies_to is not None:
        _refuse_mixing(paths, copies_to)
    found = collect_inputs(paths, config, exclude=copies_to, follow_links=follow_links)
    batch = BatchResult(errors=found.errors, notices=found.notices)
    names = _claim_output_names(found.files, batch.errors, config) if copies_to is not None else {p: output_name(p, config) for p in found.files}
    if copies_to is not None or (write and in_place):
        reports = report_dir or copies_to or _in_place_log_dir()
        _refuse_report_clash(names, copies_to, reports)
        if copies_to is not None:
            _prepare_folder(copies_to, "output")
        _prepare_folder(reports, "report")
        if in_place and report_dir is None:
            batch.notices.append(f"notice: edit log of this in-place run: {reports / 'report.json'}")
        batch.report_dir = reports
    todo = [p for p in found.files if p in names]
    # A batch writing copies can be recorded whole in the cache, and an unchanged re-run only checks its outputs.
    destinations = (copies_to, batch.report_dir) if copies_to and batch.report_dir else ()
    outputs = [copies_to / names[p] for p in todo] + [batch.report_dir / name for name in REPORT_FILES] if copies_to and batch.report_dir else []
    batch_key = _batch_key(todo, names, destinations, config, cache) if destinations and cache and not keep_results and not batch.errors else None
    discovered = len(batch.notices)  # the notices of discovery, given again by every run
    if batch_key is not None and cache is not None and _replayed(cache, batch_key, outputs, batch, discovered):
        if progress:
            progress.start(len(todo))
            for path in todo:
                progress.advance(path)
        return batch
    runner = executor or InProcess()
    config = _with_repeated_blocks(todo, config, batch, runner)
    if progress:
        progress.start(len(todo))
    inputs = _InputFiles(todo if copies_to is not None else ())
    report = ReportWriter(batch.report_dir, _config_view(config)) if batch.report_dir else None
    fail_on = Severity[config.fail_on.upper()]
    keys: dict[Path | Unit, tuple[bytes, str, Config]] = {}
    corpus = CorpusOutputs(config)
    writes_to = output_dir if write and not in_place else None
    # The counts and report as of the last output in place: the records of a corpus file
    # whose output is dropped (it broke off, the run was interrupted) are rolled back to it.
    settled = _Settled(batch, report)
    with _interrupts_between_documents() as between:
        try:
            for tag, outcome in in_order(runner, _jobs(todo, config, cache, keys, refuse_records=in_place and write)):
                path = tag.path if isinstance(tag, Unit) else tag
                if isinstance(tag, Unit) and tag.end:
                    with between:
                        committed = _finish_corpus_file(tag, corpus, batch, writes_to / names[path] if writes_to else None)
                        if writes_to is None or committed:
                            settled = _Settled(batch, report)
                        else:
                            settled.restore(batch, report)
                    if progress:
                        progress.advance(path)
                    continue
                if progress and not isinstance(tag, Unit):
                    progress.advance(path)
                if isinstance(outcome, str):
                    batch.errors.append(FileError(path.as_posix(), outcome))
                    if isinstance(tag, Unit) and writes_to is not None:
                        corpus.keep(tag, writes_to / names[path])
                    continue
                _note_engine_fallback(batch, config, outcome)
                if cache and tag in keys:
                    _store(cache, keys.pop(tag), outcome)
                with between:
                    if isinstance(tag, Unit):
                        _deliver_record(tag, outcome, corpus, names[path], inputs, batch, report, output_dir=writes_to, fail_on=fail_on)
                    else:
                        _deliver(path, outcome, names[path], inputs, batch, report, output_dir=output_dir if write else None, in_place=in_place and write, fail_on=fail_on, allow_read_only=allow_read_only)
                    if keep_results:
                        batch.results.append((outcome, names[path]))
                    if not isinstance(tag, Unit):
                        settled = _Settled(batch, report)
        except KeyboardInterrupt as signalled:
            corpus.abandon()
            between.hold()
            if writes_to is not None:
                settled.restore(batch, report)
            # A corpus file holds an unknown number of documents (records): the total is then in files.
            total = f"document(s) of {len(todo)} input file(s) (each record a document)" if any(is_record_file(p) for p in todo) else f"of {len(todo)} document(s)"
            if report:
                report.finish(batch.errors, incomplete=f"interrupted after {batch.documents} {total}")
            raise Interrupted(_interrupted_message(batch, total, write, output_dir, in_place), exit_status=128 + _signal_number(signalled)) from None
        except BaseException:
            corpus.abandon()
            if report:
                report.abandon()
            raise
        between.hold()  # the run is done: a signal now must not lose the report
        if report:
            report.finish(batch.errors)
    if batch_key is not None and cache is not None:
        _remember(cache, batch_key, _batch_key(todo, names, destinations, config, cache), outputs, batch, discovered)
    if cache and cache.rejected:
        batch.notices.append(f"notice: {cache.rejected} cache entr{'y' if cache.rejected == 1 else 'ies'} in {cache.folder} did not match their digest (damaged or edited); ignored and cleaned again")
    batch.cache_hits = cache.hits if cache else 0
    return batch


def _batch_key(todo: Sequence[Path], names: dict[Path, str], destinations: Sequence[Path], config: Config, cache: ResultCache) -> str | None:
    """The key of this whole batch (inputs, settings, rules, and the folders it writes), or ``None`` if an input cannot be read."""
    return cache.batch_key(replace(config, corpus_blocks=()), [(p, names[p]) for p in todo], destinations)


def _replayed(cache: ResultCache, key: str, outputs: Sequence[Path], batch: BatchResult, found_notices: int) -> bool:
    """Take a re-run's counts and notices from the batch record, if every file it wrote is still as written.

    Nothing is cleaned, read from the result cache or written: the outputs and
    reports in place are those this batch would write. Any output changed or missing
    (or a record damaged) and the batch runs as usual.
    """
    record = cache.recall_batch(key)
    if record is None or len(record.outputs) != len(outputs) or any(_file_digest(o) != d for o, d in zip(outputs, record.outputs, strict=True)):
        return False
    del batch.notices[found_notices:]
    batch.notices.extend(record.notices)
    batch.documents, batch.changed, batch.problems = record.documents, record.changed, record.problems
    cache.hits += record.documents
    batch.cache_hits = cache.hits
    return True


def _remember(cache: ResultCache, key: str, key_after: str | None, outputs: Sequence[Path], batch: BatchResult, found_notices: int) -> None:
    """Record a finished batch for :func:`_replayed`: only one without errors, whose inputs did not change while it ran,
    and whose grammar engine was the one planned (a fallback's results must not stand for the planned engine's)."""
    notices = tuple(batch.notices[found_notices:])
    if batch.errors or key_after != key or any(n.startswith("notice: grammar:") for n in notices):
        return
    digests = [_file_digest(o) for o in outputs]
    if all(digests):
        cache.remember_batch(key, BatchRecord(tuple(digests), batch.documents, batch.changed, batch.problems, notices))


def _file_digest(path: Path) -> str:
    """The SHA-256 of a regular file's bytes, or '' when it is missing or not a regular file."""
    try:
        if not path.is_file():
            return ""
        with path.open("rb") as stream:
            return hashlib.file_digest(stream, "sha256").hexdigest()
    except OSError:
        return ""


def _with_repeated_blocks(paths: Sequence[Path], config: Config, batch: BatchResult, runner: Executor) -> Config:
    """Count the blocks repeated across the batch's documents; return the configuration that carries them.

    One more linear read of the batch (:mod:`cleaner.repeated_blocks`), skipped when
    ``repeated_blocks`` is off or too few documents could share a block; ``runner``
    loads what its workers need meanwhile (:meth:`~cleaner.executors.Executor.warm_during`).
    """
    minimum = config.repeated_block_min_documents
    if config.repeated_blocks == "off" or (len(paths) < minimum and not any(is_record_file(p) for p in paths)):
        return config
    found = runner.warm_during(config, partial(_count_blocks, tuple(paths), config))
    if not found.blocks:
        return config
    done = "reported as display-only fixes" if config.repeated_blocks == "report" else "removed"
    batch.notices.append(
        f"notice: {len(found.blocks)} block(s) repeat in {minimum} or more of the batch's {found.documents} documents "
        f"(the most frequent, in {found.blocks[0][1]}: {found.example[:80]!r}); {done} (structure.corpus.repeated-block, repeated-blocks = {config.repeated_blocks!r})"
    )
    return replace(config, corpus_blocks=found.blocks)


def _count_blocks(paths: tuple[Path, ...], config: Config) -> RepeatedBlocks:
    """Count the blocks repeated across the documents of ``paths`` (picklable: it may run in a helper process)."""
    from cleaner.repeated_blocks import count_blocks

    return count_blocks(corpus_texts(paths, config), config.repeated_block_min_documents)


def _jobs(
    paths: Sequence[Path], config: Config, cache: ResultCache | None, keys: dict[Path | Unit, tuple[bytes, str, Config]], *, refuse_records: bool = False
) -> Iterator[tuple[Path | Unit, Payload | CleanResult | str]]:
    """Read inputs lazily; yield a payload to clean, or what is already known.

    A read error is its one-line message; a cache hit is the stored result. The input
    and the planned key of each payload are left in ``keys`` so the result can be
    stored when it comes. A corpus file (JSON Lines, Parquet, HTML) gives a job per
    record and one for its end (:func:`cleaner.sources.stream.record_jobs`);
    ``refuse_records`` (in place) refuses such files instead.
    """
    for path in paths:
        if is_record_file(path):
            if refuse_records:
                yield path, InputError(f"{path}: a corpus file is not rewritten in place", hint="clean it into a folder with -o DIR").one_line()
            else:
                yield from record_jobs(path, config, cache, keys)  # type: ignore[arg-type]
            continue
        try:
            data = _read(path, config.max_document_mb)
        except CleanerError as exc:
            yield path, exc.one_line()
            continue
        path_config = config.for_path(path.as_posix())
        payload = Payload(data, path.as_posix(), path_config)
        if cache is None:
            yield path, payload
            continue
        key = cache.key(data, payload.source, path_config)
        cached = cache.get(key, data)
        if cached is None:
            keys[path] = (data, key, path_config)
        yield path, cached if cached is not None else payload


def _note_engine_fallback(batch: BatchResult, config: Config, result: CleanResult) -> None:
    """Add the one notice that the grammar engine planned did not run (once per batch)."""
    engine = result.stages.get("grammar", {}).get("engine")
    if engine is None or any(n.startswith("notice: grammar:") for n in batch.notices):
        return
    notice = fallback_notice(config, engine)
    if notice:
        batch.notices.append(notice)


def _store(cache: ResultCache, known: tuple[bytes, str, Config], result: CleanResult) -> None:
    """Store a fresh result under the key of the grammar engine that actually ran.

    The planned key assumed the engine the configuration asks for; when that one was
    unreachable and another ran, the result belongs to the other one's key, so a
    later run that reaches the planned engine never gets this result.
    """
    data, key, config = known
    engine = result.stages.get("grammar", {}).get("engine")
    if isinstance(engine, str):
        key = cache.key(data, result.source, config, engine=engine)
    cache.put(key, result)


def _deliver(
    path: Path,
    result: CleanResult,
    name: str,
    inputs: _InputFiles,
    batch: BatchResult,
    report: ReportWriter | None,
    *,
    output_dir: Path | None,
    in_place: bool,
    fail_on: Severity,
    allow_read_only: bool,
) -> None:
    """Write one cleaned document and account for it in the batch and the reports."""
    try:
        if in_place:
            if result.changed:
                encoding = codec_for_writing(str(result.ingest.get("encoding", "utf-8")))
                write_in_place(path, result.output, allow_read_only=allow_read_only, encoding=encoding)
        elif output_dir is not None:
            target = output_dir / name
            inputs.refuse_as_output(target)
            write_unless_same(target, result.output)
    except CleanerError as exc:
        batch.errors.append(FileError(path.as_posix(), exc.one_line()))
        return
    except OSError as exc:
        batch.errors.append(FileError(path.as_posix(), f"error[C203]: {path if in_place else output_dir}: cannot write: {exc.strerror or exc}"))
        return
    _account(result, name, batch, report, fail_on)


def _account(result: CleanResult, name: str, batch: BatchResult, report: ReportWriter | None, fail_on: Severity) -> None:
    """Count a written document (a file or a record) in the batch and enter it in the reports."""
    from cleaner.checks import remaining_problems

    batch.documents += 1
    batch.changed += result.changed
    batch.problems += remaining_problems(result, fail_on)
    if report:
        report.add(document_line(result, name, report.shared), markdown_row(result), grammar_engine(result))


def _deliver_record(
    unit: Unit,
    result: CleanResult,
    corpus: CorpusOutputs,
    name: str,
    inputs: _InputFiles,
    batch: BatchResult,
    report: ReportWriter | None,
    *,
    output_dir: Path | None,
    fail_on: Severity,
) -> None:
    """Write one cleaned record into its file's output and account for it like a document."""
    if output_dir is not None:
        target = output_dir / name
        try:
            inputs.refuse_as_output(target)
            corpus.write(unit, result, target)
        except CleanerError as exc:
            batch.errors.append(FileError(unit.path.as_posix(), exc.one_line()))
            return
        except OSError as exc:
            batch.errors.append(FileError(unit.path.as_posix(), f"error[C203]: {target}: cannot write: {exc.strerror or exc}"))
            return
    _account(result, name, batch, report, fail_on)


def _finish_corpus_file(unit: Unit, corpus: CorpusOutputs, batch: BatchResult, target: Path | None) -> bool:
    """Commit a corpus file's output at its end, or report why it broke off (its output dropped).

    Returns whether the output was committed.
    """
    if unit.failed:
        batch.errors.append(FileError(unit.path.as_posix(), unit.failed))
    try:
        return corpus.finish(unit, target)
    except OSError as exc:
        batch.errors.append(FileError(unit.path.as_posix(), f"error[C203]: {target}: cannot write: {exc.strerror or exc}"))
        return False


class _Settled:
    """A batch's counts and report position at a moment every counted document's output exists."""

    def __init__(self, batch: BatchResult, report: ReportWriter | None) -> None:
        self._counts = (batch.documents, batch.changed, batch.problems, len(batch.results))
        self._report = report.mark() if report else None

    def restore(self, batch: BatchResult, report: ReportWriter | None) -> None:
        """Uncount the documents delivered since (records of a file whose output was dropped)."""
        batch.documents, batch.changed, batch.problems, results = self._counts
        del batch.results[results:]
        if report and self._report:
            report.rollback(self._report)


def _config_view(config: Config) -> dict[str, object]:
    """The settings recorded in ``report.json`` (the ones that change outputs)."""
    return {"typography": config.typography, "grammar": config.grammar, "unsafe_fixes": config.unsafe_fixes, "spin_threshold": config.spin_threshold}


def _read(path: Path, max_mb: float) -> bytes:
    """Read an input's bytes, turning OS errors and oversized files into one-line errors."""
    try:
        size = path.stat().st_size
        if size > max_mb * 1_000_000:
            raise TooLargeError(f"{path}: {size / 1_000_000:.1f} MB is more than the {max_mb:g} MB a document may have")
        return path.read_bytes()
    except OSError as exc:
        raise InputError(f"{path}: cannot read: {exc.strerror or exc}") from None


def _prepare_folder(folder: Path, role: str) -> None:
    """Create an output or report folder, or fail with a clear error if it cannot be written."""
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise OutputError(f"{folder}: cannot create {role} folder: {exc.strerror or exc}") from None
    if not os.access(folder, os.W_OK):
        raise OutputError(f"{folder}: {role} folder is not writable")


def _in_place_log_dir() -> Path:
    """A new folder for an in-place run's edit log, in the user's state folder.

    In place there is no output folder, and the working tree (often a repository a
    hook runs in) is no place for a log; the last :data:`IN_PLACE_LOGS_KEPT` are kept.
    """
    logs = state_folder() / "in-place"
    for old in sorted(logs.glob("*"))[: -IN_PLACE_LOGS_KEPT + 1 or None]:
        shutil.rmtree(old, ignore_errors=True)
    return logs / f"{time.strftime('%Y%m%dT%H%M%SZ', time.gmtime())}-{os.getpid()}"


def _refuse_mixing(paths: Sequence[Path], output_dir: Path) -> None:
    """Refuse an output folder that is an input folder, or holds an input.

    Outputs and reports written there would mix with the inputs: they could
    overwrite the user's own files (a ``REPORT.md``), and the next run would read
    them back as inputs. An output folder inside an input folder is fine: walks
    skip it, so nothing in it is ever read as an input.
    """
    out = output_dir.resolve()
    for path in paths:
        holder = path.resolve() if path.is_dir() else path.resolve().parent if path.exists() else None
        if holder is None or not (out == holder or out in holder.parents):
            continue
        relation = "is the input folder" if out == holder and path.is_dir() else "holds the input"
        raise OutputError(
            f"{output_dir}: the output folder {relation} {path}; outputs and reports would mix with the inputs",
            hint="choose an output folder outside the inputs (one inside an input folder is skipped when reading), or pass --in-place",
        )


def _refuse_report_clash(names: dict[Path, str], output_dir: Path | None, report_dir: Path) -> None:
    """Refuse a run whose report would replace an output, or a file the tool did not write.

    An input named ``REPORT.md`` cleaned into the folder that gets the reports would
    have its cleaned copy replaced by the report; a ``REPORT.md`` already in the report
    folder that is not a cleaner report is somebody's own file.
    """
    if output_dir is not None and output_dir.resolve() == report_dir.resolve():
        for path, name in names.items():
            if name.casefold() in {r.casefold() for r in REPORT_FILES}:
                raise OutputError(f"{path}: its output {output_dir / name} is where the report goes", hint="put the reports elsewhere with --report FOLDER")
    for report_name in REPORT_FILES:
        existing = report_dir / report_name
        if existing.exists() and not _written_by_cleaner(existing):
            raise OutputError(f"{existing}: exists and is not a cleaner report; not overwritten", hint="put the reports elsewhere with --report FOLDER")


def _written_by_cleaner(path: Path) -> bool:
    """Tell whether an existing report file was written by this tool (its start or end says so)."""
    try:
        with path.open("rb") as stream:
            head = stream.read(4096)
            stream.seek(max(0, stream.seek(0, os.SEEK_END) - 4096))
            tail = stream.read()
    except OSError:
        return False
    return any(signature in head or signature in tail for signature in REPORT_SIGNATURES)


def _claim_output_names(inputs: Sequence[Path], errors: list[FileError], config: Config) -> dict[Path, str]:
    """Give each input its output name; two inputs with one name are both refused.

    An HTML page's output is ``<name>.txt`` (or ``.md``), so ``a.html`` and ``a.txt`` clash.
    """
    by_name: dict[str, list[Path]] = {}
    for path in inputs:
        by_name.setdefault(output_name(path, config), []).append(path)
    names = {}
    for name, paths in by_name.items():
        if len(paths) == 1:
            names[paths[0]] = name
            continue
        listed = ", ".join(p.as_posix() for p in paths)
        for path in paths:
            errors.append(FileError(path.as_posix(), f"error[C203]: {path}: another input has the same output name {name!r} ({listed}); rename one so no output is overwritten"))
    return names


class _InputFiles:
    """Where a batch's input files really are, to refuse an output that would replace one.

    An output is written by a rename onto its path, which replaces the entry the path
    names (a link there is replaced, never written through): it would lose an input
    when its folder, links followed, and its name are where an input file really is.
    Folders are resolved once each (a batch writes into few), so each document costs
    no more than a look-up, not a walk of every component of its path.
    """

    def __init__(self, paths: Iterable[Path]) -> None:
        self._folders: dict[Path, Path] = {}
        self._real = frozenset(path.resolve() if path.is_symlink() else self._folder(path.parent) / path.name for path in paths)

    def _folder(self, folder: Path) -> Path:
        real = self._folders.get(folder)
        if real is None:
            real = self._folders[folder] = folder.resolve()
        return real

    def refuse_as_output(self, target: Path) -> None:
        """Raise :class:`OutputError` if writing ``target`` would replace an input file."""
        if self._real and self._folder(target.parent) / target.name in self._real:
            raise OutputError(f"{target}: output would overwrite an input", hint="choose an output folder other than the input folder, or pass --in-place")


@contextmanager
def _interrupts_between_documents() -> Iterator[_Deferral]:
    """Turn SIGTERM into the same interrupt as SIGINT, and never let either split a document.

    Inside the yielded context manager (a document being written and entered in the
    report) a signal is held and raised as :class:`KeyboardInterrupt` when the
    document is done, so every output written is also in the report. Handlers are
    installed only in the main thread (the only one Python delivers signals to) and
    restored afterwards.
    """
    deferral = _Deferral()
    if threading.current_thread() is not threading.main_thread():
        yield deferral
        return
    previous = {number: signal.signal(number, deferral.handle) for number in (signal.SIGINT, signal.SIGTERM)}
    try:
        yield deferral
    finally:
        for number, handler in previous.items():
            signal.signal(number, handler)


class _Deferral:
    """Holds a signal that arrives while a document is being written."""

    def __init__(self) -> None:
        self.busy = False
        self.pending: int | None = None

    def handle(self, number: int, frame: FrameType | None) -> None:
        if self.busy:
            self.pending = number
            return
        raise _Signalled(number)

    def __enter__(self) -> None:
        self.busy = True

    def hold(self) -> None:
        """Hold every further signal until the handlers are restored (the run is finishing)."""
        self.busy = True
        self.pending = None

    def __exit__(self, *exc: object) -> None:
        self.busy = False
        if self.pending is not None:
            number, self.pending = self.pending, None
            raise _Signalled(number)


class _Signalled(KeyboardInterrupt):
    """SIGINT or SIGTERM, with its number (the exit status is 128 + number)."""

    def __init__(self, number: int) -> None:
        super().__init__(signal.Signals(number).name)
        self.number = number


def _signal_number(interrupt: KeyboardInterrupt) -> int:
    return interrupt.number if isinstance(interrupt, _Signalled) else signal.SIGINT


def _interrupted_message(batch: BatchResult, total: str, write: bool, output_dir: Path | None, in_place: bool) -> str:
    """Say truthfully what an interrupted batch left behind (``total``: "of 60 document(s)" or the like)."""
    if not write or (output_dir is None and not in_place):
        return f"interrupted after {batch.documents} {total}; nothing was written"
    done = f"{batch.documents} {total} done, {batch.changed} rewritten in place" if in_place else f"{batch.documents} {total} written to {output_dir}"
    report = f"; {batch.report_dir / 'report.json'} lists them and is marked incomplete" if batch.report_dir else ""
    return f"interrupted: {done}{report}"
