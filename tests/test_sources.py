"""Sources and sinks on real files: JSON Lines (plain, gzip, ndjson), Parquet, HTML pages.

Each test writes a real file, reads it into records, cleans them and writes them back
through the format's sink, then reads the output with an independent reader (json,
gzip, pyarrow) to check records, order and the untouched fields.
"""

from __future__ import annotations

import gzip
import json
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from cleaner import Config
from cleaner.edits import replay
from cleaner.sources import BrokenRecord, Record, RecordOptions, clean_record, format_of

CONFIG = Config(grammar="off")
DATA = Path(__file__).parent / "data"
ROWS = [
    {"id": "a1", "url": "https://example.org/1", "text": "Broken\u00a0text  here.", "meta": {"lang": "en", "score": 0.5}},
    {"id": "a2", "url": "https://example.org/2", "text": "Clean text.\n", "meta": {"lang": "en", "score": 1}},
    {"id": "a3", "url": "https://example.org/3", "text": "Caf\u00c3\u00a9 society\u2019s  news.", "meta": None},
]


def roundtrip(path: Path, target: Path, options: RecordOptions = RecordOptions()) -> tuple[list[Record], list[BrokenRecord]]:
    """Read ``path``, clean every record and write them to ``target``; return what was read."""
    source_format = format_of(path)
    sink = source_format.open_sink(path, target, options)
    records, broken = [], []
    for item in source_format.read(path, options):
        if isinstance(item, BrokenRecord):
            broken.append(item)
            sink.keep(item)
            continue
        records.append(item)
        sink.write(item, clean_record(item, CONFIG).output)
    sink.commit()
    return records, broken


@pytest.mark.parametrize("name", ["corpus.jsonl", "corpus.ndjson", "corpus.jsonl.gz"])
def test_json_lines_keep_records_in_order_with_other_fields_untouched(tmp_path: Path, name: str) -> None:
    source = tmp_path / name
    lines = "".join(json.dumps(row) + "\n" for row in ROWS).encode()
    source.write_bytes(gzip.compress(lines) if name.endswith(".gz") else lines)
    target = tmp_path / "out" / name
    target.parent.mkdir()
    records, broken = roundtrip(source, target)
    assert [r.id for r in records] == ["a1", "a2", "a3"] and not broken
    raw = target.read_bytes()
    if name.endswith(".gz"):
        assert raw[:2] == b"\x1f\x8b", "a compressed input gives a compressed output"
        raw = gzip.decompress(raw)
    written = [json.loads(line) for line in raw.decode().splitlines()]
    assert [w["text"] for w in written] == ["Broken text here.", "Clean text.\n", "Café society’s news."]
    for row, out in zip(ROWS, written):
        assert list(out) == list(row), "fields keep their order"
        assert {k: v for k, v in out.items() if k != "text"} == {k: v for k, v in row.items() if k != "text"}
    # A record cleaning leaves alone is written back byte for byte.
    assert raw.decode().splitlines()[1] == json.dumps(ROWS[1])


def test_broken_json_lines_are_named_by_line_and_the_others_go_on(tmp_path: Path) -> None:
    source = tmp_path / "broken.jsonl"
    source.write_text(
        json.dumps(ROWS[0]) + "\n"
        + '{"id": "bad", "text": "unterminated\n'
        + "\n"
        + json.dumps({"id": "no-text", "body": "elsewhere"}) + "\n"
        + json.dumps({"text": "No  id here."}) + "\n",
        encoding="utf-8",
    )
    target = tmp_path / "out.jsonl"
    records, broken = roundtrip(source, target)
    assert [b.message.split(": ")[0] for b in broken] == [f"{source.as_posix()}:2", f"{source.as_posix()}:4"]
    assert "not a JSON object" in broken[0].message and "'text'" in broken[1].message
    assert [r.id for r in records] == ["a1", "4"], "without an id field the record number is the id"
    assert records[1].origin.line == 5 and records[1].source == f"{source.as_posix()}:4"
    written = [json.loads(line) for line in target.read_text(encoding="utf-8").splitlines()]
    # The line that is not JSON is left out (the output stays valid); the object without text is kept.
    assert written == [{**ROWS[0], "text": "Broken text here."}, {"id": "no-text", "body": "elsewhere"}, {"text": "No id here."}]


def test_text_and_id_fields_are_configurable(tmp_path: Path) -> None:
    source = tmp_path / "custom.jsonl"
    source.write_text(json.dumps({"doc_id": 7, "content": "Two  spaces.", "text": "left  alone"}) + "\n", encoding="utf-8")
    options = RecordOptions(text_field="content", id_field="doc_id")
    records, _ = roundtrip(source, tmp_path / "out.jsonl", options)
    assert records[0].id == "7"
    assert json.loads((tmp_path / "out.jsonl").read_text(encoding="utf-8")) == {"doc_id": 7, "content": "Two spaces.", "text": "left  alone"}


def test_parquet_keeps_schema_columns_row_groups_and_order(tmp_path: Path) -> None:
    schema = pa.schema([("id", pa.int64()), ("text", pa.string()), ("tags", pa.list_(pa.string())), ("score", pa.float32())], metadata={b"origin": b"crawl-7"})
    texts = ["Broken\u00a0text  here.", "Clean text.\n", None, "Caf\u00c3\u00a9  society."] * 3
    table = pa.table({"id": list(range(12)), "text": texts, "tags": [["a", "b"]] * 12, "score": [0.25] * 12}, schema=schema)
    source = tmp_path / "corpus.parquet"
    pq.write_table(table, source, row_group_size=5)
    target = tmp_path / "out.parquet"
    records, broken = roundtrip(source, target)
    assert [r.id for r in records] == [str(i) for i in range(12) if i % 4 != 2]
    assert [b.origin.number for b in broken] == [3, 7, 11] and "null" in broken[0].message
    out = pq.ParquetFile(target)
    assert out.schema_arrow == schema and out.schema_arrow.metadata == schema.metadata
    assert [out.metadata.row_group(i).num_rows for i in range(out.num_row_groups)] == [5, 5, 2]
    result = out.read()
    assert result.column("id").to_pylist() == list(range(12))
    assert result.column("tags").equals(table.column("tags")) and result.column("score").equals(table.column("score"))
    assert result.column("text").to_pylist()[:4] == ["Broken text here.", "Clean text.\n", None, "Café society."]


def test_parquet_without_the_text_column_is_one_error_naming_the_file(tmp_path: Path) -> None:
    from cleaner.errors import InputError

    source = tmp_path / "other.parquet"
    pq.write_table(pa.table({"body": ["x"]}), source)
    with pytest.raises(InputError, match=r"other\.parquet: no column 'text' \(columns: body\)"):
        list(format_of(source).read(source, RecordOptions()))
    (tmp_path / "fake.parquet").write_bytes(b"not parquet at all")
    with pytest.raises(InputError, match=r"fake\.parquet: not a readable Parquet file"):
        list(format_of(tmp_path / "fake.parquet").read(tmp_path / "fake.parquet", RecordOptions()))


def test_html_page_comes_out_as_its_article_text_and_the_dropped_parts_are_edits(tmp_path: Path) -> None:
    page = DATA / "news_page.html"
    assert format_of(page).output_name(page, RecordOptions()) == "news_page.txt"
    records, _ = roundtrip(page, tmp_path / "news_page.txt")
    text = (tmp_path / "news_page.txt").read_text(encoding="utf-8")
    paragraphs = text.split("\n\n")
    assert paragraphs[0] == "Talks on Ukraine end with little progress", "the title is kept"
    assert paragraphs[1].startswith("The emergency talks over Ukraine") and paragraphs[-1].startswith("Diplomats said further talks")
    assert len(paragraphs) == 6
    for debris in ("cookies", "Home", "Share on", "Related stories", "newsletter", "Comments", "All rights reserved", "Photo: Reuters", "Sport"):
        assert debris not in text, debris
    result = clean_record(records[0], CONFIG)
    assert replay(result.input_text, result.log) == result.output == text
    dropped = " ".join(e.before for p, f in result.log.applied if p.stage == "extract" for e in f.edits)
    for debris in ("We use cookies", "Home", "Share on Facebook", "Related stories", "Sign up for our daily newsletter", "All rights reserved"):
        assert debris in dropped, f"{debris!r} is not among the extractor's edits"


def test_html_page_as_markdown(tmp_path: Path) -> None:
    page = DATA / "news_page.html"
    options = RecordOptions(html_output="markdown")
    assert format_of(page).output_name(page, options) == "news_page.md"
    records, _ = roundtrip(page, tmp_path / "news_page.md", options)
    text = (tmp_path / "news_page.md").read_text(encoding="utf-8")
    assert records[0].markdown and text.startswith("# Talks on Ukraine end with little progress\n\nThe emergency talks")
    assert "cookies" not in text


def test_text_files_are_one_record_decoded_where_they_are_cleaned(tmp_path: Path) -> None:
    source = tmp_path / "doc.txt"
    source.write_bytes("Caf\u00e9  society.\r\n".encode("cp1252"))
    records, _ = roundtrip(source, tmp_path / "out.txt")
    assert records[0].source == source.as_posix() and records[0].data is not None
    assert (tmp_path / "out.txt").read_text(encoding="utf-8") == "Café society.\n"
