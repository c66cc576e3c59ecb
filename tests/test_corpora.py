"""Corpus files through the command line: folders pick up JSON Lines, Parquet and HTML,
each record is a document (reports, check positions, diffs, the cache, --jobs), the
outputs keep records in order with other fields untouched, and a broken record is one
error line naming its file and line while the others go on."""

from __future__ import annotations

import gzip
import json
import shutil
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
from click.testing import CliRunner

from cleaner.cli import main

DATA = Path(__file__).parent / "data"
ROWS = [
    {"id": "a1", "url": "https://example.org/1", "text": "Broken\u00a0text  here, signiﬁcantly.", "meta": {"lang": "en"}},
    {"id": "a2", "url": "https://example.org/2", "text": "Clean text.\n", "meta": None},
    {"id": "a3", "url": "https://example.org/3", "text": "He said &quot;no&quot;  today.", "meta": {"lang": "en"}},
]
# A record's text ends in a newline only if it came with one.
FIXED = ["Broken text here, significantly.", "Clean text.\n", 'He said "no" today.']


def run(*args: str):  # type: ignore[no-untyped-def]
    return CliRunner().invoke(main, [*args, "--grammar", "off", "--isolated"], catch_exceptions=False)


def corpus(folder: Path) -> Path:
    """A folder with a JSON Lines file (one broken line), its gzip twin, a Parquet file and a news page."""
    folder.mkdir()
    lines = [json.dumps(ROWS[0]), "{not json", json.dumps(ROWS[1]), json.dumps({"id": "x", "body": "no text"}), json.dumps(ROWS[2])]
    (folder / "news.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")
    (folder / "more.jsonl.gz").write_bytes(gzip.compress("\n".join(json.dumps(r) for r in ROWS).encode()))
    table = pa.table({"id": [r["id"] for r in ROWS], "n": pa.array([1, 2, 3], pa.int16()), "text": [r["text"] for r in ROWS]})
    pq.write_table(table.replace_schema_metadata({"source": "crawl-7"}), folder / "rows.parquet", row_group_size=2)
    shutil.copy(DATA / "news_page.html", folder / "page.html")
    return folder


def test_a_folder_of_corpus_files_is_cleaned_record_by_record(tmp_path: Path) -> None:
    source = corpus(tmp_path / "in")
    result = run("clean", str(source), "-o", str(tmp_path / "out"), "--cache-dir", str(tmp_path / "cache"))
    assert result.exit_code == 2  # the broken records
    errors = [line for line in result.stderr.splitlines() if line.startswith("error")]
    assert errors == [
        f"error[C209]: {source.as_posix()}/news.jsonl:2: not a JSON object (Expecting property name enclosed in double quotes); left out of the output",
        f"error[C209]: {source.as_posix()}/news.jsonl:4: record has no text field 'text'; written back unchanged",
    ]
    out = tmp_path / "out"
    assert sorted(p.name for p in out.iterdir()) == ["REPORT.md", "more.jsonl.gz", "news.jsonl", "page.txt", "report.json", "rows.parquet"]
    written = [json.loads(line) for line in (out / "news.jsonl").read_text(encoding="utf-8").splitlines()]
    assert written == [{**ROWS[0], "text": FIXED[0]}, ROWS[1], {"id": "x", "body": "no text"}, {**ROWS[2], "text": FIXED[2]}]
    assert (out / "news.jsonl").read_text(encoding="utf-8").splitlines()[1] == json.dumps(ROWS[1])  # unchanged: byte for byte
    assert [json.loads(line) for line in gzip.decompress((out / "more.jsonl.gz").read_bytes()).splitlines()] == [{**r, "text": t} for r, t in zip(ROWS, FIXED)]
    table = pq.read_table(out / "rows.parquet")
    assert table.schema == pq.read_table(source / "rows.parquet").schema and table.schema.metadata[b"source"] == b"crawl-7"
    assert table.column("text").to_pylist() == FIXED and table.column("n").to_pylist() == [1, 2, 3]
    assert pq.ParquetFile(out / "rows.parquet").num_row_groups == 2
    page = (out / "page.txt").read_text(encoding="utf-8")
    assert "Cookie" not in page and "Share" not in page
    sources = [d["input"] for d in json.loads((out / "report.json").read_text(encoding="utf-8"))["documents"]]
    assert f"{source.as_posix()}/news.jsonl:a3" in sources and f"{source.as_posix()}/rows.parquet:a1" in sources
    again = run("clean", str(source), "-o", str(tmp_path / "again"), "--cache-dir", str(tmp_path / "cache"), "--jobs", "2")
    assert "10 from cache" in again.stderr
    for name in ("news.jsonl", "more.jsonl.gz", "rows.parquet", "page.txt", "REPORT.md"):
        assert (tmp_path / "again" / name).read_bytes() == (out / name).read_bytes(), name


def test_check_and_diff_name_each_record(tmp_path: Path) -> None:
    source = corpus(tmp_path / "in") / "news.jsonl"
    checked = run("check", str(source))
    assert f"{source.as_posix()}:a1:1:25: info normalise.latin-ligatures" in checked.stdout
    assert f"{source.as_posix()}:a3:1:9: info normalise.html-entities" in checked.stdout
    assert checked.exit_code == 2 and f"{source.as_posix()}:2: not a JSON object" in checked.stderr
    assert "checked 3 documents: " in checked.stderr  # the file's three readable records
    shown = run("diff", str(source)).stdout
    assert f"--- a/{source.as_posix()}:a1\n+++ b/{source.as_posix()}:a1\n" in shown and f"{source.as_posix()}:a2" not in shown


def test_text_and_id_fields_and_markdown_pages_from_the_command_line(tmp_path: Path) -> None:
    source = tmp_path / "in"
    source.mkdir()
    (source / "c.ndjson").write_text(json.dumps({"url": "u1", "body": "Two  spaces."}) + "\n", encoding="utf-8")
    shutil.copy(DATA / "news_page.html", source / "page.htm")
    result = run("clean", str(source), "-o", str(tmp_path / "out"), "--text-field", "body", "--id-field", "url", "--html-output", "markdown", "--no-cache")
    assert result.exit_code == 0, result.stderr
    assert json.loads((tmp_path / "out" / "c.ndjson").read_text(encoding="utf-8")) == {"url": "u1", "body": "Two spaces."}
    assert (tmp_path / "out" / "page.md").read_text(encoding="utf-8").startswith("# ")
    assert "c.ndjson:u1" in (tmp_path / "out" / "REPORT.md").read_text(encoding="utf-8")


def test_a_page_and_a_text_file_with_one_output_name_are_both_refused(tmp_path: Path) -> None:
    source = tmp_path / "in"
    source.mkdir()
    shutil.copy(DATA / "news_page.html", source / "page.html")
    (source / "page.txt").write_text("Text.\n", encoding="utf-8")
    result = run("clean", str(source), "-o", str(tmp_path / "out"), "--no-cache")
    assert result.exit_code == 2 and result.stderr.count("another input has the same output name 'page.txt'") == 2


def test_corpus_files_are_not_rewritten_in_place(tmp_path: Path) -> None:
    source = corpus(tmp_path / "in") / "news.jsonl"
    before = source.read_bytes()
    result = run("clean", str(source), "--in-place", "--report", str(tmp_path / "log"), "--no-cache")
    assert result.exit_code == 2 and "a corpus file is not rewritten in place" in result.stderr
    assert source.read_bytes() == before


def test_a_file_that_breaks_off_leaves_no_output(tmp_path: Path) -> None:
    source = tmp_path / "in"
    source.mkdir()
    whole = gzip.compress(("\n".join(json.dumps(r) for r in ROWS * 200) + "\n").encode())
    (source / "cut.jsonl.gz").write_bytes(whole[: len(whole) // 2])
    result = run("clean", str(source), "-o", str(tmp_path / "out"), "--no-cache")
    assert result.exit_code == 2 and "cut.jsonl.gz: cannot read JSON Lines" in result.stderr
    assert not (tmp_path / "out" / "cut.jsonl.gz").exists()
    assert not [p for p in (tmp_path / "out").iterdir() if p.name.endswith(".tmp")]


def test_explain_takes_a_page_and_refuses_a_file_of_records(tmp_path: Path) -> None:
    source = corpus(tmp_path / "in")
    page = run("explain", str(source / "page.html"))
    assert page.exit_code == 0 and "source.html.dropped" in page.stdout and "visible text of the page" in page.stderr
    records = run("explain", str(source / "news.jsonl"))
    assert records.exit_code == 2 and "holds records, not one document" in records.stderr


def test_a_clean_record_without_a_final_newline_is_written_back_byte_for_byte(tmp_path: Path) -> None:
    source = tmp_path / "in"
    source.mkdir()
    line = '{"text":"Clean text, no newline.",  "id":"k"}'
    (source / "c.jsonl").write_text(line + "\n" + json.dumps({"id": "t", "text": "Ends  twice.\n\n"}) + "\n", encoding="utf-8")
    result = run("clean", str(source), "-o", str(tmp_path / "out"), "--no-cache")
    assert result.exit_code == 0 and "1 changed" in result.stderr
    written = (tmp_path / "out" / "c.jsonl").read_text(encoding="utf-8").splitlines()
    assert written[0] == line and json.loads(written[1])["text"] == "Ends twice.\n"


def test_against_compares_json_lines_and_parquet_outputs_record_by_record(tmp_path: Path) -> None:
    source = corpus(tmp_path / "in")
    out = tmp_path / "out"
    run("clean", str(source), "-o", str(out), "--no-cache")
    inputs = [str(source / n) for n in ("news.jsonl", "rows.parquet", "more.jsonl.gz", "page.html")]
    current = run("check", *inputs, "--against", str(out), "--no-cache", "--only", "cleaner.stale-output")
    assert "cleaner.stale-output" not in current.stdout  # every committed record (and page.txt) is current
    # One JSON Lines record and one Parquet row edited by hand, one gzip record dropped.
    lines = (out / "news.jsonl").read_text(encoding="utf-8").splitlines()
    [a3] = [i for i, line in enumerate(lines) if json.loads(line)["id"] == "a3"]  # the line that was not JSON is gone
    lines[a3] = json.dumps({**json.loads(lines[a3]), "text": "He said no, edited."})
    (out / "news.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")
    table = pq.read_table(out / "rows.parquet")
    texts = table.column("text").to_pylist()
    pq.write_table(table.set_column(table.schema.get_field_index("text"), "text", pa.array([texts[0], "Edited.", texts[2]])), out / "rows.parquet")
    kept = gzip.decompress((out / "more.jsonl.gz").read_bytes()).decode().splitlines()[:2]
    (out / "more.jsonl.gz").write_bytes(gzip.compress(("\n".join(kept) + "\n").encode()))
    stale = run("check", *inputs, "--against", str(out), "--no-cache", "--only", "cleaner.stale-output")
    found = [line for line in stale.stdout.splitlines() if "cleaner.stale-output" in line]
    assert len(found) == 3, stale.stdout
    assert f"{source.as_posix()}/news.jsonl:a3:1:1: warning cleaner.stale-output: {out.as_posix()}/news.jsonl record a3 differs" in stale.stdout
    assert f"{source.as_posix()}/rows.parquet:a2:1:1: warning cleaner.stale-output: {out.as_posix()}/rows.parquet record a2 differs" in stale.stdout
    assert f"{source.as_posix()}/more.jsonl.gz:a1:1:1: warning cleaner.stale-output: {out.as_posix()}/more.jsonl.gz holds 2 record(s) with a text, cleaning gives 3" in stale.stdout
    (out / "rows.parquet").unlink()
    missing = run("check", str(source / "rows.parquet"), "--against", str(out), "--no-cache", "--only", "cleaner.stale-output")
    assert missing.stdout.count("cleaner.stale-output") == 1 and f"no committed output at {out.as_posix()}/rows.parquet" in missing.stdout


def test_an_interrupted_run_does_not_count_the_records_of_the_file_it_dropped(tmp_path: Path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    from cleaner.sources.stream import CorpusOutputs

    source = tmp_path / "in"
    source.mkdir()
    (source / "a.txt").write_text("A  plain document.\n", encoding="utf-8")
    (source / "b.jsonl").write_text("".join(json.dumps({"id": f"r{i}", "text": f"Record  {i}."}) + "\n" for i in range(10)), encoding="utf-8")
    write = CorpusOutputs.write
    calls = []

    def interrupted_at_the_fifth_record(self, unit, result, target):  # type: ignore[no-untyped-def]
        calls.append(unit)
        if len(calls) == 5:
            raise KeyboardInterrupt
        write(self, unit, result, target)

    monkeypatch.setattr(CorpusOutputs, "write", interrupted_at_the_fifth_record)
    out = tmp_path / "out"
    result = run("clean", str(source), "-o", str(out), "--no-cache", "--jobs", "1")
    assert result.exit_code == 130, result.stderr
    # a.txt only: b.jsonl's four records went with its output
    assert "interrupted: 1 document(s) of 2 input file(s) (each record a document) written" in result.stderr
    assert sorted(p.name for p in out.iterdir()) == ["REPORT.md", "a.txt", "report.json"]
    report = json.loads((out / "report.json").read_text(encoding="utf-8"))
    assert report["incomplete"] == "interrupted after 1 document(s) of 2 input file(s) (each record a document)"
    assert [d["output"] for d in report["documents"]] == ["a.txt"]
    assert "b.jsonl" not in (out / "REPORT.md").read_text(encoding="utf-8")


def test_the_records_of_a_file_that_breaks_off_are_not_counted(tmp_path: Path) -> None:
    source = tmp_path / "in"
    source.mkdir()
    (source / "a.txt").write_text("A  plain document.\n", encoding="utf-8")
    whole = gzip.compress(("\n".join(json.dumps(r) for r in ROWS * 200) + "\n").encode())
    (source / "cut.jsonl.gz").write_bytes(whole[: len(whole) // 2])
    result = run("clean", str(source), "-o", str(tmp_path / "out"), "--no-cache")
    assert result.exit_code == 2 and "cleaned 1 document(s), 1 changed" in result.stderr, result.stderr
    report = json.loads((tmp_path / "out" / "report.json").read_text(encoding="utf-8"))
    assert [d["output"] for d in report["documents"]] == ["a.txt"] and len(report["errors"]) == 1
