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

from cleaner.api import CleanResult, clean_bytes
from cleaner.config import Config
from cleaner.emit.report import FileError, report_json, report_markdown
from cleaner.errors import CleanerError, InputError, OutputError
from cleaner.services import Services


@dataclass(slots=True)
class BatchResult:
    """What a batch produced: cleaned documents (with their output names) and errors."""

    results: list[tuple[CleanResult, str | None]] = field(default_factory=list)
    errors: list[FileError] = field(default_factory=list)


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
) -> BatchResult:
    """Clean every input; write ``output_dir/<name>`` (or in place) and the reports.

    With ``write=False`` nothing is written (``check``, ``diff``, ``explain``).
    """
    inputs, errors = collect_inputs(paths, exclude=output_dir, config=config)
    batch = BatchResult(errors=errors)
    if write and output_dir is not None and not in_place:
        _prepare_output_dir(output_dir)
    names = _claim_output_names(inputs, batch.errors) if write and not in_place else {p: p.name for p in inputs}
    services = Services.for_config(config)
    for path in inputs:
        if path not in names:
            continue
        if progress:
            progress(path)
        try:
            result = clean_bytes(_read(path), path.as_posix(), config.for_path(path.as_posix()), services=services)
            target = path if in_place else (output_dir / names[path] if output_dir else None)
            if write and target is not None:
                _refuse_overwriting_input(target, inputs, in_place)
                write_atomically(target, result.output)
            batch.results.append((result, names[path]))
        except CleanerError as exc:
            batch.errors.append(FileError(path.as_posix(), exc.one_line()))
    if write and output_dir is not None and not in_place:
        config_view = {"typography": config.typography, "grammar": config.grammar, "unsafe_fixes": config.unsafe_fixes, "spin_threshold": config.spin_threshold}
        write_atomically(output_dir / "report.json", report_json(batch.results, batch.errors, config_view))
        write_atomically(output_dir / "REPORT.md", report_markdown(batch.results, batch.errors))
    return batch


def _read(path: Path) -> bytes:
    """Read an input's bytes, turning OS errors into one-line input errors."""
    try:
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


def _refuse_overwriting_input(target: Path, inputs: Sequence[Path], in_place: bool) -> None:
    """Refuse to write an output onto any input file (unless cleaning in place)."""
    if in_place:
        return
    resolved = target.resolve()
    if any(resolved == p.resolve() for p in inputs):
        raise OutputError(f"{target}: output would overwrite an input", hint="choose an output folder other than the input folder, or pass --in-place")
