"""The command line: exit codes, one-line errors, stdin to stdout, nothing overwritten."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from click.testing import CliRunner

from cleaner.cli import main

from .conftest import CLEAN_SEEDS, SPUN_SEED

OFF = ["--grammar", "off"]


def run(*args: str, input: bytes | None = None):
    return CliRunner().invoke(main, list(args), input=input, catch_exceptions=False)


def test_stdin_to_stdout() -> None:
    result = run("clean", "-", *OFF, input="A\u00a0b  c.\r\n".encode())
    assert result.exit_code == 0
    assert result.output == "A b c.\n"


def test_batch_with_bad_file_goes_on_and_exits_2(tmp_path: Path) -> None:
    inputs = tmp_path / "in"
    inputs.mkdir()
    (inputs / "good.txt").write_text("Fine  text.\n")
    (inputs / "bad.txt").write_bytes(b"\x00\x01\x02binary")
    result = run("clean", str(inputs), "-o", str(tmp_path / "out"), *OFF)
    assert result.exit_code == 2
    errors = [line for line in result.stderr.splitlines() if line.startswith("error")]
    assert len(errors) == 1 and "bad.txt" in errors[0] and "Traceback" not in result.stderr
    assert (tmp_path / "out" / "good.txt").read_text() == "Fine text.\n"
    assert not (tmp_path / "out" / "bad.txt").exists()


def test_missing_path_is_a_one_line_error(tmp_path: Path) -> None:
    result = run("clean", str(tmp_path / "nope.txt"), "-o", str(tmp_path / "out"), *OFF)
    assert result.exit_code == 2
    assert "nope.txt" in result.stderr


def test_same_name_from_two_folders_is_refused(tmp_path: Path) -> None:
    for folder in ("a", "b"):
        (tmp_path / folder).mkdir()
        (tmp_path / folder / "same.txt").write_text(f"{folder}\n")
    result = run("clean", str(tmp_path / "a"), str(tmp_path / "b"), "-o", str(tmp_path / "out"), *OFF)
    assert result.exit_code == 2
    assert not (tmp_path / "out" / "same.txt").exists()


def test_output_inside_input_is_not_read_back(tmp_path: Path) -> None:
    (tmp_path / "doc.txt").write_text("Text.\n")
    first = run("clean", str(tmp_path), "-o", str(tmp_path / "out"), *OFF)
    second = run("clean", str(tmp_path), "-o", str(tmp_path / "out"), *OFF)
    assert first.exit_code == second.exit_code == 0
    report = json.loads((tmp_path / "out" / "report.json").read_text())
    assert [d["output"] for d in report["documents"]] == ["doc.txt"]


def test_check_fails_on_the_spun_seed_only() -> None:
    spun = run("check", str(SPUN_SEED), *OFF)
    assert spun.exit_code == 1
    assert "spin.spun-document" in spun.output
    for seed in CLEAN_SEEDS:
        assert run("check", str(seed), *OFF).exit_code == 0, seed.name


def test_check_json_has_a_schema() -> None:
    result = run("check", str(SPUN_SEED), "--format", "json", *OFF)
    payload = json.loads(result.output)
    assert payload["schema"] == "cleaner.check/1"
    assert any(f["rule"] == "spin.spun-document" and f["severity"] == "error" for f in payload["findings"])


def test_diff_explain_and_score() -> None:
    seed = str(CLEAN_SEEDS[1])
    diff = run("diff", seed, *OFF)
    assert diff.exit_code == 1 and diff.output.startswith("--- a/")
    word = run("diff", "--word", seed, *OFF)
    assert "[-" in word.output and "\x1b[" not in word.output
    explain = run("explain", seed, *OFF)
    assert "structure.boilerplate.partner-archive" in explain.output and "why:" in explain.output
    score = run("score", seed, "--format", "json")
    assert json.loads(score.output)[0]["flesch_reading_ease"] > 0


def test_unknown_config_key_is_an_error(tmp_path: Path, monkeypatch) -> None:
    (tmp_path / "cleaner.toml").write_text('typograhy = "keep"\n')
    (tmp_path / "a.txt").write_text("x\n")
    monkeypatch.chdir(tmp_path)
    result = run("clean", "a.txt", "-o", "out")
    assert result.exit_code == 2 and "typograhy" in result.stderr


def test_rules_test_command_passes() -> None:
    result = run("rules", "test")
    assert result.exit_code == 0 and "0 failing" in result.output


@pytest.mark.parametrize("apply", [["git", "apply"], ["patch", "-p1"]])
def test_diff_applies_with_git_apply_and_patch(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, apply: list[str]) -> None:
    # Two files of one name in two folders: the headers carry the path as given, so the
    # patch applies from the folder the command ran in and the files stay apart.
    monkeypatch.chdir(tmp_path)
    subprocess.run(["git", "init", "-q"], check=True)
    for folder in ("a", "b"):
        (tmp_path / folder).mkdir()
        (tmp_path / folder / "same.txt").write_text(f"{folder}  text\u00a0here.\n", encoding="utf-8")
    result = run("diff", "a/same.txt", "b/same.txt", *OFF)
    assert result.exit_code == 1 and "--- a/a/same.txt\n+++ b/a/same.txt\n" in result.output
    subprocess.run(apply, input=result.output.encode(), check=True, capture_output=True, env={**os.environ, "GIT_DIR": str(tmp_path / ".git")})
    assert [(tmp_path / f / "same.txt").read_text(encoding="utf-8") for f in ("a", "b")] == ["a text here.\n", "b text here.\n"]


def test_check_and_diff_read_stdin_as_the_named_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "cleaner.toml").write_text('grammar = "off"\n[per-path."notes/*"]\nignore = ["normalise.repeated-spaces"]\n', encoding="utf-8")
    text = "Two  spaces.\n".encode()
    code = run("check", "-", "--stdin-filename", "docs/a.txt", "--format", "json", "--fail-on", "info", input=text)
    [finding] = json.loads(code.stdout)["findings"]
    assert code.exit_code == 1 and finding["path"] == "docs/a.txt" and finding["rule"] == "normalise.repeated-spaces"
    ignored = run("check", "-", "--stdin-filename", "notes/a.txt", "--format", "json", "--fail-on", "info", input=text)
    assert ignored.exit_code == 0 and json.loads(ignored.stdout)["findings"] == []  # per-path rules of the named file
    diff = run("diff", "-", "--stdin-filename", "docs/a.txt", input=text)
    assert diff.exit_code == 1 and diff.stdout.startswith("--- a/docs/a.txt\n+++ b/docs/a.txt\n") and "+Two spaces.\n" in diff.stdout
    markdown = run("check", "-", "--stdin-filename", "a.md", "--format", "json", "--fail-on", "info", input=b"Run `x  y` now.\n")
    assert json.loads(markdown.stdout)["findings"] == []  # Markdown code is protected: the name decides


@pytest.mark.parametrize(
    ("args", "says"),
    [
        (["clean", "a.txt", "--in-place", "-o", "out"], "--in-place"),
        (["clean", "-", "-o", "out"], "stdout"),
        (["clean", "-", "a.txt", "--in-place"], "cannot be combined"),
        (["diff", "a.txt", "--fail-on", "warning"], "--fail-on does nothing for 'diff'"),
        (["report", "a.txt", "-o", "r.html", "--fail-on", "info"], "--fail-on does nothing for 'report'"),
        (["explain", "a.txt", "--fail-on", "info"], "--fail-on does nothing for 'explain'"),
        (["check", "a.txt", "--stdin-filename", "b.txt"], "give '-'"),
        (["check", "a.txt", "--statistics", "--format", "json"], "--statistics"),
        (["check", "a.txt", "--config", "cleaner.toml", "--isolated"], "contradict"),
    ],
)
def test_misuses_are_usage_errors(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, args: list[str], says: str) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "a.txt").write_text("Text.\n", encoding="utf-8")
    (tmp_path / "cleaner.toml").write_text('grammar = "off"\n', encoding="utf-8")
    result = run(*args)
    assert result.exit_code == 2 and says in result.stderr, result.stderr
    assert not (tmp_path / "out").exists() and (tmp_path / "a.txt").read_text(encoding="utf-8") == "Text.\n"


def test_an_empty_input_folder_says_so(tmp_path: Path) -> None:
    (tmp_path / "empty").mkdir()
    (tmp_path / "empty" / "image.png").write_bytes(b"\x89PNG")
    result = run("clean", str(tmp_path / "empty"), "-o", str(tmp_path / "out"), *OFF)
    assert "empty: no files to clean in this folder (include: *.txt, *.md, *.markdown, *.jsonl" in result.stderr


def test_exit_zero_quiet_and_colour(tmp_path: Path) -> None:
    spun = str(SPUN_SEED)
    assert run("check", spun, *OFF).exit_code == 1
    quiet = run("check", spun, *OFF, "--exit-zero", "-q")
    assert quiet.exit_code == 0 and quiet.stderr == "" and "spin.spun-document" in quiet.stdout
    assert run("check", str(tmp_path / "missing.txt"), *OFF, "--exit-zero").exit_code == 2  # input errors still count
    coloured = run("check", spun, *OFF, "--color", "always")
    assert "\x1b[31m" in coloured.stdout and "\x1b[" not in run("check", spun, *OFF, "--color", "never").stdout
    assert "\x1b[" not in run("check", spun, *OFF).stdout  # auto: not a terminal here
    (tmp_path / "a.txt").write_text("Fine  text.\n", encoding="utf-8")
    cleaned = run("clean", str(tmp_path / "a.txt"), "-o", str(tmp_path / "out"), *OFF, "-q")
    assert cleaned.exit_code == 0 and cleaned.stderr == ""


def test_config_file_and_isolated(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "a.txt").write_text("Two  spaces.\n", encoding="utf-8")
    (tmp_path / "cleaner.toml").write_text('grammar = "off"\nignore = ["normalise.repeated-spaces"]\n', encoding="utf-8")
    (tmp_path / "elsewhere.toml").write_text('grammar = "off"\nfail-on = "info"\n', encoding="utf-8")
    assert run("check", "a.txt").exit_code == 0  # the found cleaner.toml ignores the rule
    assert run("check", "a.txt", "--config", "elsewhere.toml").exit_code == 1  # only the named file is read
    assert run("check", "a.txt", "--isolated", *OFF, "--fail-on", "info").exit_code == 1  # no file at all
    shown = run("config", "--config", "elsewhere.toml").stdout
    assert 'fail-on = "info"  # elsewhere.toml' in shown and 'ignore = []  # default' in shown


def test_explain_positions_are_in_the_file_and_reasons_once_per_rule() -> None:
    seed = SPUN_SEED
    result = run("explain", str(seed), *OFF)
    lines = seed.read_text(encoding="utf-8").split("\n")
    edits = [line for line in result.stdout.splitlines() if line.startswith(f"{seed}:")]
    assert len(edits) > 100
    for line in edits:
        number, column, before = re.match(rf"{re.escape(str(seed))}:(\d+):(\d+): \[\w+\] \S+ \(\w[\w-]*\) ('.*?'|\".*?\") →", line).groups()  # type: ignore[union-attr]
        assert int(number) <= len(lines)
    spin_edit = next(line for line in edits if "spin.autoblog.international-locations-for-countries" in line)
    number, column = (int(n) for n in re.match(rf"{re.escape(str(seed))}:(\d+):(\d+):", spin_edit).groups())  # type: ignore[union-attr]
    assert lines[number - 1][column - 1 :].lower().startswith("international locations")
    why = result.stdout.split("\nwhy:\n", 1)[1].splitlines()
    rules = [line.split(":", 1)[0].strip() for line in why]
    assert len(rules) == len(set(rules)) and "spin.autoblog.international-locations-for-countries" in rules
    assert result.stdout.count("why:") == 1


def test_progress_has_a_total_rate_and_eta_on_a_terminal_and_nothing_when_piped(tmp_path: Path) -> None:
    import pty

    (tmp_path / "in").mkdir()
    for i in range(6):
        (tmp_path / "in" / f"d{i}.txt").write_text(f"Document  {i}.\n", encoding="utf-8")
    command = [sys.executable, "-m", "cleaner", "clean", str(tmp_path / "in"), "-o", str(tmp_path / "out"), *OFF, "--no-cache", "-j", "1"]
    leader, follower = pty.openpty()
    process = subprocess.Popen(command, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=follower, env={**os.environ, "COLUMNS": "200"})
    os.close(follower)
    shown = b""
    while True:
        try:
            chunk = os.read(leader, 4096)
        except OSError:
            break
        if not chunk:
            break
        shown += chunk
    assert process.wait(timeout=120) == 0
    terminal = shown.decode(errors="replace")
    assert "0/6" in terminal and "6/6" in terminal and re.search(r"\d/6  [\d.]+ docs/s  eta \d:\d\d:\d\d", terminal)
    piped = subprocess.run(command, capture_output=True, text=True, timeout=120)
    assert piped.returncode == 0 and "/6" not in piped.stderr and "docs/s" not in piped.stderr


def test_a_rerun_leaves_unchanged_outputs_untouched_and_rewrites_the_rest(tmp_path: Path) -> None:
    # An output already holding what cleaning gives is not written again (its time
    # stays); one that differs, or is not a regular file, is replaced.
    import os

    corpus, out = tmp_path / "in", tmp_path / "out"
    corpus.mkdir()
    (corpus / "a.txt").write_text("First  text.\n")
    (corpus / "b.txt").write_text("Second  text.\n")
    assert run("clean", str(corpus), "-o", str(out), "--no-cache", *OFF).exit_code == 0
    old = 1_000_000_000
    for name in ("a.txt", "b.txt"):
        os.utime(out / name, (old, old))
    (out / "b.txt").write_text("Edited by hand.\n")
    os.utime(out / "b.txt", (old, old))
    assert run("clean", str(corpus), "-o", str(out), "--no-cache", *OFF).exit_code == 0
    assert (out / "a.txt").stat().st_mtime == old and (out / "a.txt").read_text() == "First text.\n"
    assert (out / "b.txt").stat().st_mtime != old and (out / "b.txt").read_text() == "Second text.\n"
