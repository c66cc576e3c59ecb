"""Corpus files in a batch: one job per record, the records written back in file order.

A batch cleans documents; a JSON Lines, Parquet or HTML file holds many (or one, with
an extraction pass). :func:`record_jobs` turns such a file into one job per record,
read lazily so a file of any size streams through the executor's window, and ends
it with an end-of-file job. :class:`CorpusOutputs` takes the cleaned records back in
the same order and writes them through the format's sink, committed atomically at
the file's end (abandoned if the file broke off half-way, so no truncated output is
left). A broken record is one error line naming the file and line; the writer passes
it through as its format says, and the other records go on.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

from cleaner.api import CleanResult
from cleaner.cache import ResultCache
from cleaner.config import Config
from cleaner.errors import CleanerError, RecordError, TooLargeError
from cleaner.executors import Payload
from cleaner.sources import BrokenRecord, Record, RecordOptions, Sink, format_of, is_record_file

#: Cache bookkeeping: a job -> (the data its key was made of, the key, its configuration).
Planned = dict["Unit", tuple[bytes, str, Config]]


@dataclass(frozen=True, slots=True, eq=False)
class Unit:
    """What one job of a batch stands for: a record of a corpus file, or the file's end.

    ``failed`` is the one-line error of a file that broke off (unreadable after some
    records); its output is then abandoned.
    """

    path: Path
    record: Record | BrokenRecord | None = None
    end: bool = False
    failed: str = ""


#: The outcome of an end-of-file job (nothing to clean).
END_OF_FILE = "end of file"


def options_of(config: Config) -> RecordOptions:
    """Return how records are found, as the configuration says."""
    return RecordOptions(text_field=config.text_field, id_field=config.id_field, html_output=config.html_output)


def output_name(path: Path, config: Config) -> str:
    """Return the name of ``path``'s output (an HTML page's is ``<name>.txt`` or ``.md``)."""
    return format_of(path).output_name(path, options_of(config))


def record_jobs(path: Path, config: Config, cache: ResultCache | None, planned: Planned) -> Iterator[tuple[Unit, Payload | CleanResult | str]]:
    """Yield a job per record of ``path`` (a payload, a cached result or an error line), then its end.

    A record larger than ``max_document_mb`` is refused like a file that large and
    passed through unchanged. With a cache, each record is looked up by the text it
    is cleaned from (an HTML page's visible text) and its name ``file:id``.
    """
    path_config = config.for_path(path.as_posix())
    limit = config.max_document_mb * 1_000_000
    try:
        for item in format_of(path).read(path, options_of(config)):
            if isinstance(item, BrokenRecord):
                yield Unit(path, item), RecordError(item.message).one_line()
                continue
            if len(item.text) > limit / 4 and len(item.text.encode("utf-8")) > limit:
                message = TooLargeError(f"{item.source}: {len(item.text.encode('utf-8')) / 1_000_000:.1f} MB is more than the {config.max_document_mb:g} MB a document may have; written back unchanged").one_line()
                yield Unit(path, BrokenRecord(item.origin, message, keep=item.fields, raw=item.raw)), message
                continue
            unit, payload = Unit(path, item), Payload(b"", item.source, path_config, record=item)
            if cache is None:
                yield unit, payload
                continue
            data = (item.extraction.input_text if item.extraction else item.text).encode("utf-8")
            key = cache.key(data, item.source, path_config)
            cached = cache.get(key, data)
            if cached is None:
                planned[unit] = (data, key, path_config)
            yield unit, cached if cached is not None else payload
    except CleanerError as exc:
        yield Unit(path, end=True, failed=exc.one_line()), END_OF_FILE
        return
    yield Unit(path, end=True), END_OF_FILE


class CorpusOutputs:
    """The open output of the corpus file being written, one at a time in batch order."""

    def __init__(self, config: Config) -> None:
        self._options = options_of(config)
        self._path: Path | None = None
        self._sink: Sink | None = None

    def _sink_for(self, path: Path, target: Path) -> Sink:
        """Open ``target``'s sink when the first record of ``path`` arrives."""
        if self._path != path or self._sink is None:
            self.abandon()
            self._sink = format_of(path).open_sink(path, target, self._options)
            self._path = path
        return self._sink

    def write(self, unit: Unit, result: CleanResult, target: Path) -> None:
        """Write a cleaned record of ``unit.path`` into ``target``."""
        assert isinstance(unit.record, Record)
        self._sink_for(unit.path, target).write(unit.record, result.output)

    def keep(self, unit: Unit, target: Path) -> None:
        """Pass a broken record through as its format says."""
        assert isinstance(unit.record, BrokenRecord)
        self._sink_for(unit.path, target).keep(unit.record)

    def finish(self, unit: Unit, target: Path | None) -> bool:
        """Commit the file's output (an empty one if it had no records); abandon it if it broke off.

        Returns whether an output was committed.
        """
        if unit.failed or target is None:
            self.abandon()
            return False
        sink = self._sink_for(unit.path, target)
        self._sink, self._path = None, None
        sink.commit()
        return True

    def abandon(self) -> None:
        """Drop what was written of the file in progress (an error or an interruption)."""
        if self._sink is not None:
            self._sink.abandon()
        self._sink, self._path = None, None


def corpus_texts(paths: Iterable[Path], config: Config) -> Iterator[str]:
    """Yield the text of every document of ``paths`` (each record of a corpus file), one at a time.

    For counting what repeats across a batch before it is cleaned: what cannot be read
    is left out silently here (the batch itself reports it when it comes to it).
    """
    from cleaner.stages.ingest import decode

    options = options_of(config)
    limit = config.max_document_mb * 1_000_000
    for path in paths:
        try:
            if is_record_file(path):
                for item in format_of(path).read(path, options):
                    if isinstance(item, Record):
                        yield item.text
                continue
            if path.stat().st_size <= limit:
                yield decode(path.read_bytes(), path.as_posix()).text
        except (CleanerError, OSError):
            continue
