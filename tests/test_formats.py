"""`cleaner check` formats against what reads them: reviewdog's and SARIF's published
schemas, GitHub's annotation limits, and people reading the text format.

The schemas are test data (tests/data/README.md says where each comes from):
reviewdog's ``DiagnosticResult.json`` (MIT) and OASIS's SARIF 2.1.0 schema.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from click.testing import CliRunner

from cleaner.cli import main
from cleaner.emit.formats import GITHUB_ANNOTATIONS_PER_LEVEL

from .conftest import ROOT, SEEDS, SPUN_SEED

jsonschema = pytest.importorskip("jsonschema", reason="jsonschema is a test dependency (pip install -e '.[test]')")
DATA = Path(__file__).parent / "data"
OFF = ["--grammar", "off"]


def run(*args: str, input: bytes | None = None) -> tuple[int, str, str]:
    result = CliRunner().invoke(main, list(args), input=input, catch_exceptions=False)
    return result.exit_code, result.stdout, result.stderr


@pytest.fixture
def in_root(monkeypatch: pytest.MonkeyPatch) -> Path:
    """Run from the repository root, so paths are relative as CI gives them."""
    monkeypatch.chdir(ROOT)
    return ROOT


def validator(name: str) -> jsonschema.Draft4Validator:
    schema = json.loads((DATA / name).read_text(encoding="utf-8"))
    jsonschema.Draft4Validator.check_schema(schema)
    return jsonschema.Draft4Validator(schema)


def test_rdjson_follows_reviewdogs_schema_and_counts_columns_in_utf8_bytes(in_root: Path) -> None:
    seeds = [s.relative_to(ROOT).as_posix() for s in SEEDS]
    _, out, _ = run("check", *seeds, "--format", "rdjson", *OFF)
    payload = json.loads(out)
    errors = sorted(validator("rdjson-DiagnosticResult.schema.json").iter_errors(payload), key=str)
    assert not errors, errors[0].message
    assert payload["source"]["name"] == "cleaner" and "pypi.org/project/cleaner" not in payload["source"].get("url", "")
    _, as_json, _ = run("check", *seeds, "--format", "json", *OFF)
    characters = [f for f in json.loads(as_json)["findings"] if not f["suppressed"]]
    moved = 0
    for diagnostic, finding in zip(payload["diagnostics"], characters, strict=True):
        start = diagnostic["location"]["range"]["start"]
        line = (ROOT / finding["path"]).read_text(encoding="utf-8").split("\n")[finding["line"] - 1]
        assert start["column"] == len(line[: finding["column"] - 1].encode("utf-8")) + 1
        moved += start["column"] != finding["column"]
    assert moved > 10  # the seeds have curly quotes and dashes before many findings


def test_rdjson_suggestion_lands_after_a_multibyte_character(tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_text("“Quoted”  text.\n", encoding="utf-8")
    _, out, _ = run("check", str(tmp_path / "a.txt"), "--format", "rdjson", *OFF)
    [spaces] = [d for d in json.loads(out)["diagnostics"] if d["code"]["value"] == "normalise.repeated-spaces"]
    span = spaces["suggestions"][0]["range"]
    line = (tmp_path / "a.txt").read_bytes().split(b"\n")[0]
    before, after = line[: span["start"]["column"] - 1], line[span["end"]["column"] - 1 :]
    assert before + spaces["suggestions"][0]["text"].encode() + after == "“Quoted” text.".encode()


def test_sarif_follows_the_2_1_0_schema_with_rule_descriptions_relative_uris_and_fixes(in_root: Path) -> None:
    seed = SPUN_SEED.relative_to(ROOT).as_posix()
    _, out, _ = run("check", seed, "--format", "sarif", *OFF)
    sarif = json.loads(out)
    errors = sorted(validator("sarif-schema-2.1.0.json").iter_errors(sarif), key=str)
    assert not errors, errors[0].message
    [sarif_run] = sarif["runs"]
    rules = sarif_run["tool"]["driver"]["rules"]
    assert all(r["fullDescription"]["text"] and r["help"]["text"] and "{" not in r["shortDescription"]["text"] for r in rules)  # GH2012
    spun = next(r for r in rules if r["id"] == "spin.spun-document")
    assert "spinner" in spun["fullDescription"]["text"]
    base = sarif_run["originalUriBaseIds"]["SRCROOT"]["uri"]
    assert base.startswith("file://") and base.endswith("/")
    locations = [r["locations"][0]["physicalLocation"]["artifactLocation"] for r in sarif_run["results"]]
    assert all(loc == {"uri": seed, "uriBaseId": "SRCROOT"} for loc in locations)
    assert any("fixes" in r for r in sarif_run["results"])


def test_sarif_fixes_applied_to_the_file_give_the_cleaned_text(tmp_path: Path) -> None:
    text = "A\u00a0b  c.\nTrailing spaces   \nSee “this”  now.\n"
    path = tmp_path / "a.txt"
    path.write_text(text, encoding="utf-8")
    _, out, _ = run("check", str(path), "--format", "sarif", *OFF)
    results = json.loads(out)["runs"][0]["results"]
    lines = text.split("\n")
    offsets = [sum(len(line) + 1 for line in lines[:i]) for i in range(len(lines))]
    replacements = []
    for result in results:
        for change in [c for fix in result["fixes"] for c in fix["artifactChanges"]]:
            for r in change["replacements"]:
                region = r["deletedRegion"]
                start = offsets[region["startLine"] - 1] + region["startColumn"] - 1
                end = offsets[region["endLine"] - 1] + region["endColumn"] - 1
                replacements.append((start, end, r["insertedContent"]["text"]))
    fixed = text
    for start, end, inserted in sorted(replacements, reverse=True):
        fixed = fixed[:start] + inserted + fixed[end:]
    _, cleaned, _ = run("clean", "-", *OFF, input=text.encode())
    assert len(replacements) == len(results) >= 3 and fixed == cleaned


def test_github_annotations_are_ranked_and_capped_with_a_count_of_the_rest(tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_text("".join(f"Line  {i} has  double spaces.\n" for i in range(30)), encoding="utf-8")
    code, out, _ = run("check", str(SPUN_SEED), str(tmp_path / "a.txt"), "--format", "github", *OFF)
    *annotations, more = out.splitlines()
    levels = [line.split(" ", 1)[0] for line in annotations]
    assert levels[0] == "::error" and levels == sorted(levels, key=["::error", "::warning", "::notice"].index)
    assert all(levels.count(level) <= GITHUB_ANNOTATIONS_PER_LEVEL for level in set(levels))
    _, everything, _ = run("check", str(SPUN_SEED), str(tmp_path / "a.txt"), "--format", "json", *OFF)
    total = len(json.loads(everything)["findings"])
    left = int(re.search(r"cleaner: (\d+) more problems not annotated", more).group(1))  # type: ignore[union-attr]
    assert left == total - len(annotations) > 0 and code == 1


def test_text_is_one_finding_a_line_sorted_with_invisible_characters_shown(tmp_path: Path) -> None:
    (tmp_path / "b.txt").write_text("Second  file.", encoding="utf-8")  # no final newline: the suggestion is "\n"
    (tmp_path / "a.txt").write_text("\n\nThey  met.\nAnd  left.\n", encoding="utf-8")
    code, out, err = run("check", str(tmp_path / "b.txt"), str(tmp_path / "a.txt"), *OFF, "--fail-on", "info")
    lines = out.splitlines()
    assert len(lines) == out.count("\n") and all(re.match(r"\S+:\d+:\d+: (error|warning|info) ", line) for line in lines)
    positions = [(p, int(line), int(col)) for p, line, col in (re.match(r"(\S+):(\d+):(\d+):", line).groups() for line in lines)]  # type: ignore[union-attr]
    assert positions == sorted(positions) and positions[0][0].endswith("a.txt")
    assert any("(suggest: \\n)" in line for line in lines)
    assert any("(suggest: ␠)" in line for line in lines)
    assert code == 1
    [summary] = err.splitlines()
    assert summary.startswith("checked 2 documents: ") and "normalise.repeated-spaces ×3" in summary and "no input errors" in summary


def test_summary_says_input_errors_and_statistics_count_per_rule(tmp_path: Path) -> None:
    (tmp_path / "bad.txt").write_bytes(b"\x00\x01\x02binary")
    (tmp_path / "a.txt").write_text("One  two  three.\n", encoding="utf-8")
    code, out, err = run("check", str(tmp_path), *OFF)
    assert code == 2 and err.splitlines()[-1].endswith("; 1 input error")
    code, out, _ = run("check", str(tmp_path / "a.txt"), *OFF, "--statistics")
    assert out.split() [:3] == ["2", "normalise.repeated-spaces", "info"] and code == 0
