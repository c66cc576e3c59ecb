"""JSON Lines (``.jsonl``, ``.jsonl.gz``, ``.ndjson``): one JSON object per line, one document each.

The text field (``text`` unless configured) is cleaned; every other field is passed
through in its order. A record whose text did not change is written back byte for
byte; a changed one is re-serialised with only its text replaced. Blank lines are not
records. A line that is not a JSON object is left out of the output (so the output is
valid JSON Lines) and reported; an object without a string text field is written back
unchanged and reported. Files are read and written line by line, gzip-compressed when
the name ends in ``.gz``, so a file of any size streams with flat memory.
"""

from __future__ import annotations

import gzip
import json
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import BinaryIO

from cleaner.errors import InputError
from cleaner.sources import BrokenRecord, Origin, Record, RecordOptions
from cleaner.sources.files import AtomicFile


def record_id(fields: Mapping[str, object], id_field: str, number: int) -> str:
    """Return the record's id: its id field when that is a string or a number, else its number."""
    value = fields.get(id_field)
    if isinstance(value, str) and value and "\n" not in value:
        return value
    if isinstance(value, int | float) and not isinstance(value, bool):
        return str(value)
    return str(number)


def parse_line(raw: bytes, path: str, number: int, line: int, options: RecordOptions) -> Record | BrokenRecord:
    """Turn one line of JSON Lines into a record, or a broken record with its reason."""
    origin = Origin(path, number, line)
    try:
        fields = json.loads(raw)
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        reason = exc.reason if isinstance(exc, UnicodeDecodeError) else exc.msg
        return BrokenRecord(origin, f"{path}:{line}: not a JSON object ({reason}); left out of the output", raw=raw)
    if not isinstance(fields, dict):
        return BrokenRecord(origin, f"{path}:{line}: not a JSON object but {type(fields).__name__}; left out of the output", raw=raw)
    text = fields.get(options.text_field)
    if not isinstance(text, str):
        problem = "has no" if text is None else f"has a {type(text).__name__}, not a string, as its"
        return BrokenRecord(origin, f"{path}:{line}: record {problem} text field {options.text_field!r}; written back unchanged", keep=fields, raw=raw)
    return Record(record_id(fields, options.id_field, number), text, origin, fields, raw=raw)


def _open(path: Path, mode: str) -> BinaryIO:
    """Open ``path`` in binary ``mode``, through gzip when its name ends in ``.gz``."""
    if path.name.lower().endswith(".gz"):
        return gzip.open(path, mode)  # type: ignore[return-value]
    return path.open(mode)  # type: ignore[return-value]


class JsonLines:
    """The JSON Lines format."""

    name = "jsonl"
    suffixes = (".jsonl", ".jsonl.gz", ".ndjson", ".ndjson.gz")

    def read(self, path: Path, options: RecordOptions) -> Iterator[Record | BrokenRecord]:
        """Yield one record per non-blank line, in order."""
        number = 0
        try:
            with _open(path, "rb") as stream:
                for line, raw in enumerate(stream, start=1):
                    raw = raw.rstrip(b"\r\n")
                    if not raw.strip():
                        continue
                    number += 1
                    yield parse_line(raw, path.as_posix(), number, line, options)
        except (OSError, EOFError) as exc:
            raise InputError(f"{path}: cannot read JSON Lines: {getattr(exc, 'strerror', None) or exc}") from None

    def output_name(self, path: Path, options: RecordOptions) -> str:
        """Keep the input's name (and so its compression)."""
        return path.name

    def open_sink(self, source: Path, target: Path, options: RecordOptions) -> JsonLinesSink:
        """Open the writer of ``target``."""
        return JsonLinesSink(target, options)


class JsonLinesSink:
    """Writes records back as JSON Lines, one line each, compressed if the name says so."""

    def __init__(self, target: Path, options: RecordOptions) -> None:
        self._file = AtomicFile(target)
        compressed = target.name.lower().endswith(".gz")
        # mtime=0: the same records give the same bytes (no timestamp in the gzip header).
        self._stream: BinaryIO = gzip.GzipFile(filename="", mode="wb", fileobj=self._file.stream, mtime=0) if compressed else self._file.stream  # type: ignore[assignment]
        self._text_field = options.text_field

    def write(self, record: Record, text: str) -> None:
        """Write the record with its cleaned text; an unchanged record goes out as it came."""
        if text == record.text and record.raw:
            self._stream.write(record.raw + b"\n")
            return
        fields = {**record.fields, self._text_field: text}
        self._stream.write(json.dumps(fields, ensure_ascii=False).encode("utf-8") + b"\n")

    def keep(self, broken: BrokenRecord) -> None:
        """Write a broken record's valid object back as it came; leave out a line that is not JSON."""
        if broken.keep is not None:
            self._stream.write(broken.raw + b"\n")

    def commit(self) -> None:
        """Finish the compressed stream (if any) and move the file into place."""
        if self._stream is not self._file.stream:
            self._stream.close()
        self._file.commit()

    def abandon(self) -> None:
        """Drop what was written."""
        self._file.abandon()


FORMAT = JsonLines()
