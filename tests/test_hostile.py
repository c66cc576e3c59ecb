"""Hostile and broken inputs: each gets a correct result or one clear line, never a
traceback, and the rest of the batch still runs. Nothing is lost or overwritten."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest
from click.testing import CliRunner

from cleaner import Config, clean_files
from cleaner.cli import main

OFF = ["--grammar", "off", "--no-cache", "--jobs", "1"]


def run(*args: str):  # type: ignore[no-untyped-def]
    return CliRunner().invoke(main, list(args), catch_exceptions=False)


def one_line_errors(stderr: str) -> list[str]:
    assert "Traceback" not in stderr
    return [line for line in stderr.splitlines() if line.startswith("error[")]


@pytest.fixture
def hostile(tmp_path: Path) -> Path:
    """A folder of every kind of awkward input next to one ordinary file."""
    folder = tmp_path / "in"
    folder.mkdir()
    files = {
        "ordinary.txt": "An  ordinary text.\n".encode(),
        "empty.txt": b"",
        "whitespace.txt": b"  \n\t\n \r\n",
        "one-long-line.txt": ("word " * 200_000).encode(),  # a single 1 MB line
        "nul.txt": b"text\x00with NUL bytes",
        "binary.txt": bytes(range(256)) * 8,
        "bad-utf8.txt": "Valid start, ".encode() + b"\xff\xfe broken \xc3( bytes" + ", valid end.\n".encode(),
        "utf16.txt": "\ufeffUTF-16 text with a BOM.\n".encode("utf-16-le"),
        "newlines.txt": b"line one\r\nline two\rline three\nline four\r\n",
        "name with spaces.txt": b"Spaces in the name.\n",
        "n\u00e4me-\u00fcnicode.txt".encode().decode(): "Non-ASCII name.\n".encode(),
        "-leading-dash.txt": b"A leading dash.\n",
    }
    for name, data in files.items():
        (folder / name).write_bytes(data)
    (folder / "loop").mkdir()
    (folder / "loop" / "again").symlink_to(folder, target_is_directory=True)  # a symlink loop
    return folder


def test_every_hostile_input_gets_a_result_or_one_line(hostile: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    result = run("clean", str(hostile), "-o", str(out), *OFF)
    errors = one_line_errors(result.stderr)
    assert result.exit_code == 2  # input errors were reported
    assert sorted(e.split(":")[1].strip().rsplit("/", 1)[-1] for e in errors) == ["binary.txt", "nul.txt"]
    produced = {p.name for p in out.iterdir()} - {"report.json", "REPORT.md"}
    expected = {p.name for p in hostile.iterdir() if p.is_file()} - {"binary.txt", "nul.txt"}
    assert produced == expected
    assert (out / "ordinary.txt").read_text() == "An ordinary text.\n"
    assert (out / "utf16.txt").read_text() == "UTF-16 text with a BOM.\n"
    assert (out / "newlines.txt").read_bytes() == b"line one\nline two\nline three\nline four\n"
    bad = (out / "bad-utf8.txt").read_text()
    assert bad.startswith("Valid start, ") and bad.endswith(", valid end.\n")
    assert (out / "one-long-line.txt").read_text().count("word") == 200_000
    assert (out / "empty.txt").read_text() == ""


def test_oversized_document_is_refused_and_the_batch_goes_on(tmp_path: Path) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    with (folder / "huge.txt").open("wb") as stream:  # 50 MB of text
        block = b"Some text in a very large file.\n" * 32_768
        for _ in range(50 * 1_000_000 // len(block) + 1):
            stream.write(block)
    (folder / "small.txt").write_bytes(b"Small.\n")
    result = run("clean", str(folder), "-o", str(tmp_path / "out"), *OFF)
    [error] = one_line_errors(result.stderr)
    assert result.exit_code == 2 and "huge.txt" in error and "C204" in error and "MB" in error
    assert (tmp_path / "out" / "small.txt").read_text() == "Small.\n"


def test_unreadable_file_is_one_line(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "locked.txt").write_text("Secret.\n")
    (folder / "open.txt").write_text("Open.\n")
    real_read = Path.read_bytes

    def refuse(self: Path) -> bytes:
        if self.name == "locked.txt":
            raise PermissionError(13, "Permission denied")
        return real_read(self)

    monkeypatch.setattr(Path, "read_bytes", refuse)  # root reads anything, so the OS refusal is simulated
    batch = clean_files([folder], tmp_path / "out", Config(grammar="off"))
    assert [e.message for e in batch.errors] == [f"error[C201]: {folder / 'locked.txt'}: cannot read: Permission denied"]
    assert (tmp_path / "out" / "open.txt").read_text() == "Open.\n"


@pytest.mark.skipif(os.geteuid() == 0, reason="root can read a chmod 000 file; the simulated refusal above covers it")
def test_unreadable_file_for_real(tmp_path: Path) -> None:
    (tmp_path / "locked.txt").write_text("Secret.\n")
    (tmp_path / "locked.txt").chmod(0)
    result = run("clean", str(tmp_path / "locked.txt"), "-o", str(tmp_path / "out"), *OFF)
    assert result.exit_code == 2 and "cannot read" in one_line_errors(result.stderr)[0]


def test_output_folder_that_cannot_be_created_is_one_line(tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_text("Text.\n")
    (tmp_path / "file").write_text("I am a file, not a folder.\n")
    result = run("clean", str(tmp_path / "a.txt"), "-o", str(tmp_path / "file" / "out"), *OFF)
    [error] = one_line_errors(result.stderr)
    assert result.exit_code == 2 and "C203" in error and "cannot create output folder" in error


def test_path_that_does_not_exist_and_a_real_one(tmp_path: Path) -> None:
    (tmp_path / "real.txt").write_text("Real.\n")
    result = run("clean", str(tmp_path / "ghost.txt"), str(tmp_path / "real.txt"), "-o", str(tmp_path / "out"), *OFF)
    [error] = one_line_errors(result.stderr)
    assert result.exit_code == 2 and "ghost.txt" in error
    assert (tmp_path / "out" / "real.txt").exists()


def test_file_named_with_a_leading_dash_on_the_command_line(tmp_path: Path) -> None:
    (tmp_path / "-dash.txt").write_text("Dash  name.\n")
    old = Path.cwd()
    os.chdir(tmp_path)
    try:
        result = run("clean", "-o", "out", *OFF, "--", "-dash.txt")
        misplaced = CliRunner().invoke(main, ["clean", "--", "-dash.txt", "-o", "out2"])
    finally:
        os.chdir(old)
    assert result.exit_code == 0 and (tmp_path / "out" / "-dash.txt").read_text() == "Dash name.\n"
    assert (tmp_path / "-dash.txt").read_text() == "Dash  name.\n"  # the input is untouched
    # After "--" everything is a path, so "-o out2" is too: a usage error, not an internal one.
    assert misplaced.exit_code == 2 and "output folder" in misplaced.stderr and "internal" not in misplaced.stderr


# Rule packs with a syntax error, an unknown field or a catastrophic regex: tests/test_rules.py.


# Outputs never mix with inputs, and a report never replaces somebody's file (issue 12, item 4).


def test_output_folder_equal_to_or_holding_an_input_is_refused(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    Path("docs").mkdir()
    Path("docs/a.txt").write_text("Own  text.\n")
    Path("docs/REPORT.md").write_text("# My own report\n")
    for output in ("docs", "."):
        result = run("clean", "docs", "-o", output, *OFF)
        [error] = one_line_errors(result.stderr)
        assert result.exit_code == 2 and "would mix with the inputs" in error
    assert Path("docs/REPORT.md").read_text() == "# My own report\n" and not Path("report.json").exists()
    assert Path("docs/a.txt").read_text() == "Own  text.\n"


def test_an_input_named_like_a_report_is_refused_or_the_report_goes_elsewhere(tmp_path: Path) -> None:
    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "REPORT.md").write_text("# Notes  of mine\n")
    out = tmp_path / "out"
    result = run("clean", str(tmp_path / "in"), "-o", str(out), *OFF)
    assert result.exit_code == 2 and "--report" in one_line_errors(result.stderr)[0]
    moved = run("clean", str(tmp_path / "in"), "-o", str(out), "--report", str(tmp_path / "reports"), *OFF)
    assert moved.exit_code == 0 and (out / "REPORT.md").read_text() == "# Notes of mine\n"
    assert json.loads((tmp_path / "reports" / "report.json").read_text())["documents"][0]["output"] == "REPORT.md"


def test_a_report_file_that_is_not_ours_is_not_overwritten(tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_text("Text.\n")
    out = tmp_path / "out"
    out.mkdir()
    (out / "report.json").write_text('{"mine": true}\n')
    result = run("clean", str(tmp_path / "a.txt"), "-o", str(out), *OFF)
    assert result.exit_code == 2 and "not a cleaner report" in one_line_errors(result.stderr)[0]
    assert (out / "report.json").read_text() == '{"mine": true}\n'
    assert run("clean", str(tmp_path / "a.txt"), "-o", str(tmp_path / "fresh"), *OFF).exit_code == 0
    assert run("clean", str(tmp_path / "a.txt"), "-o", str(tmp_path / "fresh"), *OFF).exit_code == 0  # our own report is replaced


# Signals (item 11): SIGTERM is handled like SIGINT, and what was written is said.


@pytest.mark.skipif(os.name != "posix", reason="signals are POSIX")
def test_sigterm_leaves_a_true_report_and_no_temporaries(tmp_path: Path) -> None:
    import signal
    import subprocess
    import sys
    import time

    from tests.conftest import SPUN_SEED

    corpus = tmp_path / "in"
    corpus.mkdir()
    for i in range(60):
        (corpus / f"doc{i:03}.txt").write_bytes(SPUN_SEED.read_bytes())
    out = tmp_path / "out"
    out.mkdir()
    (out / "report.json").write_text('{"schema": "cleaner.report/1", "documents": ["an old run"]}\n')  # from an earlier run
    process = subprocess.Popen([sys.executable, "-m", "cleaner", "clean", str(corpus), "-o", str(out), *OFF], stderr=subprocess.PIPE, text=True)
    deadline = time.time() + 60
    while time.time() < deadline and len(list(out.glob("doc*.txt"))) < 2:
        time.sleep(0.05)
    process.send_signal(signal.SIGTERM)
    _, err = process.communicate(timeout=60)
    written = sorted(p.name for p in out.glob("doc*.txt"))
    assert process.returncode == 128 + signal.SIGTERM and "Traceback" not in err
    assert f"interrupted: {len(written)} of 60 document(s) written" in err and "incomplete" in err
    assert not [p for p in out.iterdir() if p.name.startswith(".")]  # no temporaries left
    report = json.loads((out / "report.json").read_text())
    assert report["incomplete"] and [d["output"] for d in report["documents"]] == written
    assert "Incomplete" in (out / "REPORT.md").read_text()


# An unreachable LanguageTool server (item 12).


def test_an_unreachable_languagetool_is_said_and_not_cached_as_languagetool(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import socket

    from cleaner.cache import ResultCache
    from cleaner.config import resolve

    with socket.socket() as probe:  # a port nothing listens on
        probe.bind(("127.0.0.1", 0))
        url = f"http://127.0.0.1:{probe.getsockname()[1]}"
    monkeypatch.setenv("CLEANER_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.chdir(tmp_path)
    Path("doc.txt").write_text("An ordinary  text.\n")
    result = run("check", "doc.txt", "--grammar", "auto", "--languagetool-url", url, "--jobs", "1")
    notices = [line for line in result.stderr.splitlines() if "could not be reached" in line]
    assert len(notices) == 1 and url in notices[0] and "harper ran instead" in notices[0]
    config = resolve({"grammar": "auto", "languagetool_url": url})[0].for_path("doc.txt")
    cache = ResultCache()
    data = Path("doc.txt").read_bytes()
    assert cache.get(cache.key(data, "doc.txt", config), data) is None  # never served as LanguageTool's
    assert cache.get(cache.key(data, "doc.txt", config, engine="harper"), data) is not None


# File names that would break a line-based format (item 13).


def test_file_names_with_newlines_and_bars_stay_on_their_line(tmp_path: Path) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "a|b\nc.txt").write_text("Bad  name.\n")
    (folder / "plain.txt").write_text("Good  name.\n")
    out = tmp_path / "out"
    assert run("clean", str(folder), "-o", str(out), *OFF).exit_code == 0
    rows = [line for line in (out / "REPORT.md").read_text().splitlines() if line.startswith("| `")]
    assert len(rows) == 2 and all(row.count(" | ") == 8 for row in rows)
    assert "a\\|b\\nc.txt" in rows[0]
    checked = run("check", str(folder), "--fail-on", "info", *OFF)
    lines = checked.stdout.splitlines()
    assert len(lines) == 2 and lines[0].startswith(f"{folder}/a|b\\nc.txt:1:")
