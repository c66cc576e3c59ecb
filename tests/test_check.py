"""`cleaner check` for CI: positions in the input file, machine formats, git scoping,
suppression, per-path settings, staleness of committed outputs, `cleaner config`."""

from __future__ import annotations

import json
import os
import subprocess
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from click.testing import CliRunner

from cleaner.cli import main

from .conftest import SPUN_SEED

HARPER = ["--grammar", "harper"]


def run(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(main, list(args), catch_exceptions=False)
    return result.exit_code, result.stdout, result.stderr


@pytest.fixture
def in_tmp(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Run in an empty folder (no configuration file above it is picked up from the repo)."""
    monkeypatch.chdir(tmp_path)
    return tmp_path


def test_positions_are_lines_and_columns_of_the_file_on_disk(in_tmp: Path) -> None:
    # Normalise drops the three leading blank lines and fixes mojibake before the grammar
    # stage sees the text; the report must still point at line 4 of the file.
    (in_tmp / "a.txt").write_text("\n\n\nCafÃ© owners reached a agreement.\n", encoding="utf-8")
    code, out, _ = run("check", "a.txt", "--format", "json", *HARPER)
    findings = json.loads(out)["findings"]
    [an] = [f for f in findings if f["rule"] == "grammar.harper.an-a"]
    line = (in_tmp / "a.txt").read_text(encoding="utf-8").splitlines()[an["line"] - 1]
    assert an["line"] == 4 and line[an["column"] - 1 :].startswith("a agreement")
    assert code == 0  # warnings only; the default --fail-on is error


@pytest.mark.parametrize("fmt", ["json", "sarif", "rdjson", "checkstyle", "github", "text"])
def test_every_format_is_well_formed(fmt: str) -> None:
    code, out, _ = run("check", str(SPUN_SEED), "--format", fmt, "--grammar", "off")
    assert code == 1  # the spun document is an error
    if fmt == "json":
        payload = json.loads(out)
        assert payload["schema"] == "cleaner.check/1" and any(f["rule"] == "spin.spun-document" for f in payload["findings"])
    elif fmt == "sarif":
        sarif = json.loads(out)
        assert sarif["version"] == "2.1.0"
        results = sarif["runs"][0]["results"]
        rules = [r["id"] for r in sarif["runs"][0]["tool"]["driver"]["rules"]]
        assert all(rules[r["ruleIndex"]] == r["ruleId"] for r in results)
        assert {r["level"] for r in results} <= {"error", "warning", "note"}
    elif fmt == "rdjson":
        diagnostics = json.loads(out)["diagnostics"]
        assert all(d["location"]["range"]["start"]["line"] >= 1 for d in diagnostics)
    elif fmt == "checkstyle":
        root = ET.fromstring(out)
        assert root.tag == "checkstyle" and root.find("file").get("name").endswith(SPUN_SEED.name)  # type: ignore[union-attr]
    elif fmt == "github":
        *annotations, more = out.splitlines()
        assert all(line.startswith(("::error ", "::warning ", "::notice ")) for line in annotations)
        assert annotations[0].startswith("::error ") and "title=spin.spun-document" in annotations[0]  # most severe first
        assert more.startswith("cleaner: ") and "more problems not annotated" in more
    else:
        assert f"{SPUN_SEED}:1:1: error spin.spun-document" in out


def test_fail_on_sets_the_threshold(in_tmp: Path) -> None:
    (in_tmp / "a.txt").write_text("They reached a agreement.\n", encoding="utf-8")
    assert run("check", "a.txt", *HARPER)[0] == 0
    assert run("check", "a.txt", *HARPER, "--fail-on", "warning")[0] == 1


def test_inline_marker_suppresses_a_rule_for_a_region(in_tmp: Path) -> None:
    text = (
        "<!-- cleaner: disable grammar.harper.an-a -->\n\nThey quoted it: a apple.\n\n"
        "<!-- cleaner: enable grammar.harper.an-a -->\n\nThey reached a agreement.\n"
    )
    (in_tmp / "a.md").write_text(text, encoding="utf-8")
    code, out, _ = run("check", "a.md", "--format", "json", *HARPER, "--fail-on", "warning")
    payload = json.loads(out)
    an = sorted((f["line"], f["suppressed"]) for f in payload["findings"] if f["rule"] == "grammar.harper.an-a")
    assert an == [(3, True), (7, False)] and payload["suppressed"] >= 1
    run("clean", "a.md", "-o", "out", *HARPER)
    cleaned = (in_tmp / "out" / "a.md").read_text(encoding="utf-8")
    assert "a apple" in cleaned and "an agreement" in cleaned
    assert code == 1  # the unsuppressed one still fails at --fail-on warning


def test_configuration_per_path_severity_include_exclude(in_tmp: Path) -> None:
    (in_tmp / "pyproject.toml").write_text(
        '[tool.cleaner]\ngrammar = "harper"\nexclude = ["drafts/*"]\n'
        '[tool.cleaner.severity]\n"grammar.harper.an-a" = "error"\n'
        '[tool.cleaner.per-path."notes/*"]\nignore = ["grammar.harper.an-a"]\n',
        encoding="utf-8",
    )
    for folder in ("docs", "notes", "drafts"):
        (in_tmp / folder).mkdir()
        (in_tmp / folder / "a.txt").write_text("They reached a agreement.\n", encoding="utf-8")
    code, out, _ = run("check", "docs", "notes", "drafts", "--format", "json")
    findings = json.loads(out)["findings"]
    assert {f["path"] for f in findings} == {"docs/a.txt"}
    assert [f["severity"] for f in findings if f["rule"] == "grammar.harper.an-a"] == ["error"]
    assert code == 1


def test_config_command_prints_values_and_their_origin(in_tmp: Path) -> None:
    (in_tmp / "cleaner.toml").write_text('grammar = "off"\n', encoding="utf-8")
    code, out, _ = run("config", "--typography", "straight")
    assert code == 0
    assert 'grammar = "off"  # ' + str(in_tmp / "cleaner.toml") in out
    assert 'typography = "straight"  # command line' in out
    assert 'fail-on = "error"  # default' in out


def test_unknown_configuration_key_is_named(in_tmp: Path) -> None:
    (in_tmp / "cleaner.toml").write_text('gramar = "off"\n', encoding="utf-8")
    code, _, err = run("check", ".")
    assert code == 2 and "unknown key 'gramar'" in err and len(err.strip().splitlines()) == 1


def test_against_reports_missing_and_stale_committed_outputs(in_tmp: Path) -> None:
    (in_tmp / "in").mkdir()
    (in_tmp / "in" / "a.txt").write_text("Fine  text.\n", encoding="utf-8")
    (in_tmp / "in" / "b.txt").write_text("Fine text.\n", encoding="utf-8")
    run("clean", "in", "-o", "out", "--grammar", "off")
    assert run("check", "in", "--against", "out", "--grammar", "off", "--fail-on", "warning")[0] == 0  # normalise changes are info
    (in_tmp / "out" / "a.txt").write_text("Stale.\n", encoding="utf-8")
    (in_tmp / "out" / "b.txt").unlink()
    code, out, _ = run("check", "in", "--against", "out", "--grammar", "off", "--format", "json", "--fail-on", "warning")
    stale = [f for f in json.loads(out)["findings"] if f["rule"] == "cleaner.stale-output"]
    assert sorted(f["path"] for f in stale) == ["in/a.txt", "in/b.txt"] and code == 1


def git(cwd: Path, *args: str) -> None:
    subprocess.run(["git", *args], cwd=cwd, check=True, capture_output=True, env={**os.environ, "GIT_AUTHOR_NAME": "t", "GIT_AUTHOR_EMAIL": "t@t", "GIT_COMMITTER_NAME": "t", "GIT_COMMITTER_EMAIL": "t@t"})


def test_changed_since_checks_only_what_a_change_adds(in_tmp: Path) -> None:
    git(in_tmp, "init", "-q", "-b", "main")
    (in_tmp / "seeds").mkdir()
    (in_tmp / "seeds" / "old.txt").write_text("They reached a agreement.\nIt was fine.\n", encoding="utf-8")
    (in_tmp / "seeds" / "untouched.txt").write_text("They reached a agreement.\n", encoding="utf-8")
    git(in_tmp, "add", ".")
    git(in_tmp, "commit", "-q", "-m", "base")
    (in_tmp / "seeds" / "old.txt").write_text("They reached a agreement.\nIt was a error.\n", encoding="utf-8")
    (in_tmp / "seeds" / "new.txt").write_text("A new a apple.\n", encoding="utf-8")
    code, out, _ = run("check", "seeds", "--changed-since", "HEAD", "--format", "json", *HARPER)
    paths = {f["path"] for f in json.loads(out)["findings"]}
    assert paths == {"seeds/old.txt", "seeds/new.txt"}
    code, out, _ = run("check", "seeds", "--changed-since", "HEAD", "--changed-lines-only", "--format", "json", *HARPER)
    lines = {(f["path"], f["line"]) for f in json.loads(out)["findings"] if f["rule"] == "grammar.harper.an-a"}
    assert lines == {("seeds/old.txt", 2), ("seeds/new.txt", 1)}


def test_changed_since_outside_git_is_one_clear_line(in_tmp: Path) -> None:
    (in_tmp / "a.txt").write_text("Text.\n", encoding="utf-8")
    code, _, err = run("check", "a.txt", "--changed-since", "HEAD")
    assert code == 2 and "not inside a git repository" in err and len(err.strip().splitlines()) == 1


def test_protected_markdown_code_is_not_a_problem(in_tmp: Path) -> None:
    # Aligned comments in a fenced block and double spaces in inline code are left alone
    # on purpose: no finding, and neither check nor clean --in-place fails on them.
    (in_tmp / "README.md").write_text("# Notes\n\n```\nx  =  1   # aligned\n```\n\nSee `a  b` here.\n", encoding="utf-8")
    code, out, _ = run("check", "README.md", "--format", "json", "--grammar", "off", "--fail-on", "info")
    assert code == 0 and json.loads(out)["findings"] == []
    assert run("clean", "README.md", "--in-place", "--grammar", "off", "--no-cache")[0] == 0
    assert "x  =  1   # aligned" in (in_tmp / "README.md").read_text(encoding="utf-8")
