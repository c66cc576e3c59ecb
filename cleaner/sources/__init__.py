"""Sources and sinks: read corpora of every shape into one record type, write them back.

A corpus is a folder of text files, JSON Lines (``.jsonl``, ``.jsonl.gz``,
``.ndjson``), Parquet, or saved HTML pages. Each reader turns a file into
:class:`Record` values (one per document: an id, the text to clean, the fields to pass
through, and where it came from), in file order and one at a time, so memory stays flat
however large the file. Each writer takes the records back in the same order with
their cleaned text and writes the same form: same records, other fields untouched,
compressed if the input was. A record that cannot be read (bad JSON, no text field) is
a :class:`BrokenRecord`: one error line naming the file and line, the others go on.

HTML is a source, not a stage: the extractor's removals (navigation, banners, footers)
come as the first pass of the record's edit log (:attr:`Record.extraction`), so they
are reviewed like any other removal.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Protocol

from cleaner.api import CleanResult, clean_bytes, clean_text
from cleaner.config import Config
from cleaner.edits import sha256_text
from cleaner.model import EditLog, StagePass


@dataclass(frozen=True, slots=True)
class Origin:
    """Where a record came from: the file, its number in the file and its first line."""

    path: str
    #: 1-based number of the record in its file; 0 for a file that is one document.
    number: int = 0
    #: 1-based line of the file where the record starts (JSON Lines); 0 when lines mean nothing.
    line: int = 0


@dataclass(frozen=True, slots=True)
class Record:
    """One document of a corpus, as every reader produces and every writer takes it.

    ``text`` is what the pipeline cleans. ``fields`` is the record as read (a JSON
    object or a Parquet row, text field included, in its order); writers put the
    cleaned text back in and pass the rest through untouched. A whole-file text
    document carries its ``data`` instead, decoded by the ingest stage where it is cleaned.
    """

    id: str
    text: str
    origin: Origin
    fields: Mapping[str, object] = field(default_factory=dict)
    #: The raw bytes of a whole-file text document (decoded where it is cleaned).
    data: bytes | None = None
    markdown: bool = False
    #: The extractor's pass (HTML): from the page's visible text to ``text``.
    extraction: StagePass | None = None
    #: The record as it was read (a JSON line), written back as is when nothing changed.
    raw: bytes = b""

    @property
    def source(self) -> str:
        """Name the record in reports, diffs and check positions: ``file`` or ``file:id``."""
        return self.origin.path if not self.origin.number else f"{self.origin.path}:{self.id}"


@dataclass(frozen=True, slots=True)
class BrokenRecord:
    """A record that cannot be cleaned: its origin, the one-line error, and what to keep.

    ``keep`` is what the writer passes through unchanged (a JSON object without the
    text field), or ``None`` when nothing valid can be written (a line that is not JSON).
    """

    origin: Origin
    message: str
    keep: Mapping[str, object] | None = None
    raw: bytes = b""


@dataclass(frozen=True, slots=True)
class RecordOptions:
    """How records are found in a file: which field is the text, which the id, HTML's output."""

    text_field: str = "text"
    id_field: str = "id"
    #: ``text`` or ``markdown``: what an HTML page's article text is written as.
    html_output: str = "text"


class Sink(Protocol):
    """Writes one output file from records given back in order; atomic on :meth:`commit`."""

    def write(self, record: Record, text: str) -> None:
        """Write ``record`` with its cleaned ``text``."""
        ...

    def keep(self, broken: BrokenRecord) -> None:
        """Pass a broken record through unchanged (or leave it out if nothing valid remains)."""
        ...

    def commit(self) -> None:
        """Finish the file and move it into place."""
        ...

    def abandon(self) -> None:
        """Remove what was written so far."""
        ...


class Format(Protocol):
    """A file format: reads records from a path and opens a sink for its output."""

    name: str

    def read(self, path: Path, options: RecordOptions) -> Iterator[Record | BrokenRecord]:
        """Yield the file's records in order; raise :class:`~cleaner.errors.InputError` for the whole file."""
        ...

    def output_name(self, path: Path, options: RecordOptions) -> str:
        """Return the output file's name for input ``path``."""
        ...

    def open_sink(self, source: Path, target: Path, options: RecordOptions) -> Sink:
        """Open the writer of ``target`` (the cleaned copy of ``source``)."""
        ...


def format_of(path: Path) -> Format:
    """Return the format of ``path`` by its name (text for anything not listed)."""
    from cleaner.sources import html, jsonl, parquet, text

    name = path.name.lower()
    for candidate in (jsonl.FORMAT, parquet.FORMAT, html.FORMAT):
        if name.endswith(candidate.suffixes):
            return candidate
    return text.FORMAT


#: File name patterns a folder contributes besides the configured text files.
RECORD_PATTERNS = ("*.jsonl", "*.jsonl.gz", "*.ndjson", "*.parquet", "*.html", "*.htm")


def is_record_file(path: Path) -> bool:
    """Tell whether ``path`` holds records of a corpus format (not a plain text document)."""
    from cleaner.sources import text

    return format_of(path) is not text.FORMAT


def clean_record(record: Record, config: Config, *, services: Mapping[str, object] | None = None) -> CleanResult:
    """Clean one record; an HTML record's extraction pass leads its edit log.

    The result's input then is the page's visible text, and replaying the log on it
    gives the output, the dropped navigation and banners included as edits. The
    text of a JSON Lines or Parquet record ends in a newline only if it came with one.
    """
    if record.data is not None:
        return clean_bytes(record.data, record.source, config, services=services)
    if record.extraction is None and not record.text.endswith("\n"):
        config = replace(config, final_newline=False)  # a field's text keeps its convention
    result = clean_text(record.text, config, source=record.source, markdown=record.markdown, services=services)
    if record.extraction is None:
        return result
    page = record.extraction.input_text
    log = EditLog(result.log.source, sha256_text(page), (record.extraction, *result.log.passes))
    return replace(result, input_text=page, log=log)
