"""Parquet (``.parquet``, read and written with pyarrow): one row per document.

The text column (``text`` unless configured) is cleaned; every other column, the
schema (types, nullability, metadata) and the row groups are kept: the output has a
row group for each of the input's, with the same rows in the same order. The file is
read one row group at a time, so memory stays at about one row group whatever the
file's size. A row whose text is null is written back unchanged and reported.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

from cleaner.errors import InputError
from cleaner.sources import BrokenRecord, Origin, Record, RecordOptions
from cleaner.sources.files import AtomicFile
from cleaner.sources.jsonl import record_id


def _parquet():  # type: ignore[no-untyped-def]
    """Import pyarrow's Parquet module, or say how to get it."""
    try:
        import pyarrow.parquet as pq
    except ImportError:
        raise InputError("reading Parquet needs pyarrow", hint="pip install pyarrow") from None
    return pq


def _open_parquet(path: Path):  # type: ignore[no-untyped-def]
    """Open ``path`` as a Parquet file, turning pyarrow's errors into one line naming it."""
    import pyarrow as pa

    try:
        return _parquet().ParquetFile(path)
    except (OSError, pa.ArrowException) as exc:
        raise InputError(f"{path}: not a readable Parquet file: {exc}") from None


class Parquet:
    """The Parquet format."""

    name = "parquet"
    suffixes = (".parquet",)

    def read(self, path: Path, options: RecordOptions) -> Iterator[Record | BrokenRecord]:
        """Yield one record per row, row group by row group."""
        import pyarrow as pa

        parquet_file = _open_parquet(path)
        schema = parquet_file.schema_arrow
        if options.text_field not in schema.names:
            raise InputError(f"{path}: no column {options.text_field!r} (columns: {', '.join(schema.names)})", hint="name the text column with --text-field")
        if not pa.types.is_string(schema.field(options.text_field).type) and not pa.types.is_large_string(schema.field(options.text_field).type):
            raise InputError(f"{path}: column {options.text_field!r} holds {schema.field(options.text_field).type}, not strings")
        number = 0
        for group in range(parquet_file.num_row_groups):
            try:
                rows = parquet_file.read_row_group(group).to_pylist()
            except (OSError, pa.ArrowException) as exc:
                raise InputError(f"{path}: row group {group + 1} cannot be read: {exc}") from None
            for fields in rows:
                number += 1
                origin = Origin(path.as_posix(), number)
                text = fields[options.text_field]
                if text is None:
                    yield BrokenRecord(origin, f"{path}: row {number}: text column {options.text_field!r} is null; written back unchanged", keep=fields)
                    continue
                yield Record(record_id(fields, options.id_field, number), text, origin, fields)

    def output_name(self, path: Path, options: RecordOptions) -> str:
        """Keep the input's name."""
        return path.name

    def open_sink(self, source: Path, target: Path, options: RecordOptions) -> ParquetSink:
        """Open a writer with the source's schema and row-group sizes."""
        return ParquetSink(source, target, options)


class ParquetSink:
    """Writes rows back with the source's schema, one output row group per input row group."""

    def __init__(self, source: Path, target: Path, options: RecordOptions) -> None:
        parquet_file = _open_parquet(source)
        self._schema = parquet_file.schema_arrow
        self._group_sizes = [parquet_file.metadata.row_group(i).num_rows for i in range(parquet_file.num_row_groups)]
        self._file = AtomicFile(target)
        self._writer = _parquet().ParquetWriter(self._file.stream, self._schema)
        self._text_field = options.text_field
        self._rows: list[dict[str, object]] = []

    def write(self, record: Record, text: str) -> None:
        """Add the row with its cleaned text."""
        self._add({**record.fields, self._text_field: text})

    def keep(self, broken: BrokenRecord) -> None:
        """Add a broken row unchanged."""
        if broken.keep is not None:
            self._add(dict(broken.keep))

    def _add(self, row: dict[str, object]) -> None:
        """Buffer a row; write the row group once it has as many rows as the input's."""
        self._rows.append(row)
        if self._group_sizes and len(self._rows) >= self._group_sizes[0]:
            self._flush()
            self._group_sizes.pop(0)

    def _flush(self) -> None:
        """Write the buffered rows as one row group."""
        import pyarrow as pa

        if self._rows:
            self._writer.write_table(pa.Table.from_pylist(self._rows, schema=self._schema))
            self._rows = []

    def commit(self) -> None:
        """Write what is left, close the Parquet footer and move the file into place."""
        self._flush()
        self._writer.close()
        self._file.commit()

    def abandon(self) -> None:
        """Drop what was written."""
        self._writer.close()
        self._file.abandon()


FORMAT = Parquet()
