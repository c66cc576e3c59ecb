"""Plain text and Markdown files: the whole file is one document.

The bytes are carried as they are and decoded by the ingest stage where the document
is cleaned (so its encoding and byte-order mark are recorded in the report); the
output is UTF-8 with the same name.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path, PurePath

from cleaner.api import MARKDOWN_SUFFIXES
from cleaner.errors import InputError
from cleaner.sources import BrokenRecord, Origin, Record, RecordOptions
from cleaner.sources.files import AtomicFile


class TextFiles:
    """The plain-text format (``.txt``, ``.md`` and anything not otherwise known)."""

    name = "text"
    suffixes = (".txt", ".md", ".markdown")

    def read(self, path: Path, options: RecordOptions) -> Iterator[Record | BrokenRecord]:
        """Yield the file as one record."""
        try:
            data = path.read_bytes()
        except OSError as exc:
            raise InputError(f"{path}: cannot read: {exc.strerror or exc}") from None
        markdown = PurePath(path).suffix.lower() in MARKDOWN_SUFFIXES
        yield Record(path.name, "", Origin(path.as_posix()), data=data, markdown=markdown)

    def output_name(self, path: Path, options: RecordOptions) -> str:
        """Keep the input's name."""
        return path.name

    def open_sink(self, source: Path, target: Path, options: RecordOptions) -> TextSink:
        """Open the writer of ``target``."""
        return TextSink(target)


class TextSink:
    """Writes the one document of a text file as UTF-8 with LF line endings."""

    def __init__(self, target: Path) -> None:
        self._file = AtomicFile(target)

    def write(self, record: Record, text: str) -> None:
        """Write the cleaned text."""
        self._file.stream.write(text.encode("utf-8"))

    def keep(self, broken: BrokenRecord) -> None:
        """A text file has no records to pass through."""

    def commit(self) -> None:
        """Move the file into place."""
        self._file.commit()

    def abandon(self) -> None:
        """Drop what was written."""
        self._file.abandon()


FORMAT = TextFiles()
