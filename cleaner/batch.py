"""Batches of files: collect inputs, clean each, write outputs and reports safely.

One bad file never stops a batch: its error becomes a :class:`FileError` and the rest
go on. Outputs are written atomically (temporary file, then rename) inside the output
folder only, never onto an input unless ``in_place`` is asked for.
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from cleaner.api import CleanResult
from cleaner.config import Config
from cleaner.cache import BatchDocument, ResultCache
from cleaner.emit.report import FileError, ReportWriter, document_line, markdown_row
from cleaner.errors import CleanerError, InputError, OutputError, TooLargeError
from cleaner.executors import Executor, InProcess, Payload, in_order
from cleaner.model import Severity


@dataclass(slots=True)
class BatchResult:
    """What a batch produced: counts, errors, and (when kept) the cleaned documents."""

    results: list[tuple[CleanResult, str | None]] = field(default_factory=list)
    errors: list[FileError] = field(default_factory=list)
    documents: int = 0
    changed: int = 0
    #: What is still wrong after cleaning, at the configuration's ``fail_on``.
    problems: int = 0
    cache_hits: int = 0


def collect_inputs(paths: Sequence[Path], exclude: Path | None = None, config: Config | None = None) -> tuple[list[Path], list[FileError]]:
    """Expand folders to their text files (sorted); report missing paths as errors.

    A folder contributes the files ``config`` includes and does not exclude (globs
    matched against the path as found, e.g. ``drafts/a.txt``, and the file name; by
    default ``*.txt`` and ``*.md``); a file named on the command line is always taken.
    Files under ``exclude`` (the output folder) are skipped, so outputs are never
    read back as inputs. Symbolic-link loops are not followed.
    """
    found: list[Path] = []
    errors: list[FileError] = []
    excluded = exclude.resolve() if exclude else None
    wanted = (config or Config()).wants
    for path in paths:
        if path.is_dir():
            found.extend(p for p in _walk(path, excluded) if wanted(p.as_posix()))
        elif path.is_file():
            found.append(path)
        else:
            errors.append(FileError(path.as_posix(), f"error[C201]: {path}: no such file or folder"))
    return found, errors


def _walk(folder: Path, excluded: Path | None) -> Iterator[Path]:
    """Yield text files under ``folder`` in sorted order, once each, without loops."""
    seen: set[Path] = set()
    for root, dirs, files in os.walk(folder, followlinks=True):
        real = Path(root).resolve()
        if real in seen or (excluded and (real == excluded or excluded in real.parents)):
            dirs[:] = []
            continue
        seen.add(real)
        dirs.sort()
        for name in sorted(files):
            yield Path(root) / name


def write_atomically(path: Path, text: str) -> None:
    """Write ``text`` as UTF-8 to ``path`` through a temporary file and a rename."""
    handle, temporary = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(handle, "w", encoding="utf-8", newline="\n") as stream:
            stream.write(text)
        os.chmod(temporary, 0o666 & ~_umask())  # mkstemp makes 0600; outputs get the usual mode
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def _umask() -> int:
    """Return the process umask (reading it means setting it, so set it straight back)."""
    mask = os.umask(0)
    os.umask(mask)
    return mask


def clean_files(
    paths: Sequence[Path],
    output_dir: Path | None,
    config: Config,
    *,
    in_place: bool = False,
    write: bool = True,
    progress: Callable[[Path], None] | None = None,
    executor: Executor | None = None,
    cache: ResultCache | None = None,
    keep_results: bool = True,
) -> BatchResult:
    """Clean every input; write ``output_dir/<name>`` (or in place) and the reports.

    Documents stream through ``executor`` (default: this process) in input order, so
    outputs and reports are the same whatever runs them and memory stays flat: with
    ``keep_results=False`` only counts are kept.
    ``cache`` skips documents cleaned before with the same input, rules, configuration
    and tool version. With ``write=False`` nothing is written (``check``, ``diff``).
    """
    inputs, errors = collect_inputs(paths, exclude=output_dir, config=config)
    batch = BatchResult(errors=errors)
    if write and output_dir is not None and not in_place:
        _prepare_output_dir(output_dir)
    names = _claim_output_names(inputs, batch.errors) if write and not in_place else {p: p.name for p in inputs}
    todo = [p for p in inputs if p in names]
    resolved_inputs = frozenset(p.resolve() for p in inputs) if write and not in_place else frozenset()
    report = ReportWriter(output_dir, _config_view(config)) if write and output_dir is not None and not in_place else None
    runner = executor or InProcess()
    fail_on = Severity[config.fail_on.upper()]
    keys: dict[Path, str] = {}
    try:
        for path, outcome in in_order(runner, _jobs(todo, config, cache, keys)):
            if progress:
                progress(path)
            if isinstance(outcome, str):
                batch.errors.append(FileError(path.as_posix(), outcome))
                continue
            if isinstance(outcome, BatchDocument) and not keep_results and outcome.name == names[path] and (report is None or outcome.report_line):
                document = outcome  # a re-run that only writes: nothing to unpack or render
            else:
                result = outcome.result() if isinstance(outcome, BatchDocument) else outcome
                rendered = (document_line(result, names[path]), markdown_row(result)) if report else ("", "")
                document = BatchDocument.of(result, names[path], *rendered, pack=cache is not None and path in keys)
                if cache and path in keys:
                    cache.put(keys.pop(path), document)
                if keep_results:
                    batch.results.append((result, names[path]))
            _deliver(path, document, output_dir, resolved_inputs, batch, report, write=write, in_place=in_place, fail_on=fail_on)
        if report:
            report.finish(batch.errors)
            report = None
    finally:
        if report:
            report.abandon()
    batch.cache_hits = cache.hits if cache else 0
    return batch


def _jobs(paths: Sequence[Path], config: Config, cache: ResultCache | None, keys: dict[Path, str]) -> Iterator[tuple[Path, Payload | BatchDocument | str]]:
    """Read inputs lazily; yield a payload to clean, or what is already known.

    A read error is its one-line message; a cache hit is the stored result. The cache
    key of each payload is left in ``keys`` so the result can be stored when it comes.
    """
    for path in paths:
        try:
            data = _read(path, config.max_document_mb)
        except CleanerError as exc:
            yield path, exc.one_line()
            continue
        path_config = config.for_path(path.as_posix())
        if cache is None:
            yield path, Payload(data, path.as_posix(), path_config)
            continue
        key = cache.key(data, path.as_posix(), path_config)
        cached = cache.get(key)
        if cached is None:
            keys[path] = key
        yield path, cached if cached is not None else Payload(data, path.as_posix(), path_config)


def _deliver(
    path: Path,
    document: BatchDocument,
    output_dir: Path | None,
    resolved_inputs: frozenset[Path],
    batch: BatchResult,
    report: ReportWriter | None,
    *,
    write: bool,
    in_place: bool,
    fail_on: Severity,
) -> None:
    """Write one cleaned document and account for it in the batch and the reports."""
    target = path if in_place else (output_dir / document.name if output_dir else None)
    if write and target is not None:
        try:
            _refuse_overwriting_input(target, resolved_inputs, in_place)
            write_atomically(target, document.output)
        except CleanerError as exc:
            batch.errors.append(FileError(path.as_posix(), exc.one_line()))
            return
        except OSError as exc:
            batch.errors.append(FileError(path.as_posix(), f"error[C203]: {target}: cannot write: {exc.strerror or exc}"))
            return
    batch.documents += 1
    batch.changed += document.changed
    batch.problems += document.problems[fail_on]
    if report:
        report.add(document.report_line, document.markdown_row)


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


def _prepare_output_dir(output_dir: Path) -> None:
    """Create the output folder, or fail with a clear error if it cannot be written."""
    try:
        output_dir.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise OutputError(f"{output_dir}: cannot create output folder: {exc.strerror or exc}") from None
    if not os.access(output_dir, os.W_OK):
        raise OutputError(f"{output_dir}: output folder is not writable")


def _claim_output_names(inputs: Sequence[Path], errors: list[FileError]) -> dict[Path, str]:
    """Give each input its output name; two inputs with one name are both refused."""
    by_name: dict[str, list[Path]] = {}
    for path in inputs:
        by_name.setdefault(path.name, []).append(path)
    names = {}
    for name, paths in by_name.items():
        if len(paths) == 1:
            names[paths[0]] = name
            continue
        listed = ", ".join(p.as_posix() for p in paths)
        for path in paths:
            errors.append(FileError(path.as_posix(), f"error[C203]: {path}: another input has the same file name {name!r} ({listed}); rename one so no output is overwritten"))
    return names


def _refuse_overwriting_input(target: Path, resolved_inputs: frozenset[Path], in_place: bool) -> None:
    """Refuse to write an output onto any input file (unless cleaning in place)."""
    if in_place:
        return
    resolved = target.resolve()
    if resolved in resolved_inputs:
        raise OutputError(f"{target}: output would overwrite an input", hint="choose an output folder other than the input folder, or pass --in-place")
