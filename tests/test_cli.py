"""The command line: exit codes, one-line errors, stdin to stdout, nothing overwritten."""

from __future__ import annotations

import json
import os
import subprocess
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
