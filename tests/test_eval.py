"""`cleaner eval` on development-set JSON: the figures of the set's own scorer, per passage, fold and total."""

from __future__ import annotations

import importlib.util
import json
from pathlib import Path
from types import ModuleType

import pytest
from click.testing import CliRunner

from cleaner import Config, clean_bytes
from cleaner.cli import main
from cleaner.evaluation import Annotation, Passage, assign_folds, read_dev_set, score_clean_passage, score_spun_passage

from .conftest import ROOT

DEV_SET = ROOT.parent / "shared" / "spin-dev"
OFF = ["--grammar", "off"]


def run(*args: str):
    return CliRunner().invoke(main, list(args), catch_exceptions=False)


def _despin_score() -> ModuleType:
    """Import the development set's own scorer from beside the set."""
    spec = importlib.util.spec_from_file_location("despin_score", DEV_SET / "despin_score.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.mark.skipif(not (DEV_SET / "despin_score.py").is_file(), reason=f"the development set is not at {DEV_SET}")
def test_figures_equal_the_dev_sets_own_scorer() -> None:
    despin = _despin_score()
    result = run("eval", str(DEV_SET), "--format", "json", *OFF)
    report = json.loads(result.output)
    by_name = {p["name"]: p for p in report["passages"]}
    config = Config(grammar="off")
    repaired = counted = changed = words = 0
    for path in sorted(DEV_SET.glob("*.json")):
        data = json.loads(path.read_text(encoding="utf-8"))
        text = data.get("spun", data.get("text"))
        cleaned = clean_bytes(text.encode(), f"{path.stem}.txt", config).output
        mine = by_name[path.stem]
        if "spun" in data:
            # Also the two extremes, on the library function: nothing repaired, everything repaired.
            passage = read_dev_set([path])[0][0]
            for hypothesis in (cleaned, data["spun"], data["gold"]):
                theirs = despin.score(data["spun"], hypothesis, data["annotations"], data.get("clean_spans", []), data.get("gold"))
                ours = score_spun_passage(passage, hypothesis)
                assert (ours.counted, ours.repaired, ours.missed, ours.optional, ours.damaged, ours.wer_before, ours.wer_after) == (
                    theirs["annotated"], theirs["repaired"], theirs["missed"], theirs["optional"], theirs["damaged"], theirs["wer_before"], theirs["wer_after"]
                ), (path.name, hypothesis[:60])
            theirs = despin.score(data["spun"], cleaned, data["annotations"], data.get("clean_spans", []), data.get("gold"))
            assert (mine["counted"], mine["repaired"], mine["missed"], mine["damaged"]) == (theirs["annotated"], theirs["repaired"], theirs["missed"], theirs["damaged"]), path.name
            assert (mine["wer_before"], mine["wer_after"]) == (theirs["wer_before"], theirs["wer_after"]), path.name
            repaired += theirs["repaired"]
            counted += theirs["annotated"]
        else:
            before, after = despin.tokens(text), despin.tokens(cleaned)
            kept = despin._map(before, after)
            theirs_changed = [before[k][0] for k, (w, _) in enumerate(before) if w[0].isalnum() and k not in kept]
            assert mine["changed"] == theirs_changed, path.name
            changed += len(theirs_changed)
            words += sum(1 for w, _ in before if w[0].isalnum())
    assert (report["total"]["repaired"], report["total"]["counted"]) == (repaired, counted)
    assert (report["total"]["clean_changed"], report["total"]["clean_words"]) == (changed, words)
    assert sum(f["counted"] for f in report["folds"]) == counted


PASSAGE = Passage(
    "spun_x",
    "example.com",
    "The two international locations signed a bundle of sanctions towards Russia on Friday. Costs rose in the marketplace.",
    spun=True,
    style="A",
    gold="The two countries signed a package of sanctions against Russia on Friday. Prices rose in the market.",
    annotations=(
        Annotation("international locations", ("countries", "nations")),
        Annotation("bundle of sanctions towards", ("package of sanctions against",)),
        Annotation("Costs", ("Prices",)),
        Annotation("marketplace", ("market",), optional=True),
    ),
    clean_spans=("signed a", "Russia on Friday"),
)


def test_repairs_count_each_changed_segment_of_a_multi_place_fix() -> None:
    half = PASSAGE.text.replace("international locations", "nations").replace("bundle of", "package of")
    score = score_spun_passage(PASSAGE, half)
    # "towards" is still there: the second annotation is half repaired, so missed; the optional one is not counted.
    assert (score.counted, score.repaired, score.missed, score.optional) == (3, 1, ["bundle of sanctions towards", "Costs"], 1)
    full = half.replace("towards", "against").replace("Costs", "Prices")
    assert score_spun_passage(PASSAGE, full).repaired == 3
    assert score_spun_passage(PASSAGE, PASSAGE.gold or "").wer_after == 0.0


def test_damaged_clean_spans_and_unlocated_annotations() -> None:
    damaged = score_spun_passage(PASSAGE, PASSAGE.text.replace("signed", "inked"))
    assert damaged.damaged == ["signed a"]
    missing = Passage("spun_y", "example.com", "A short text.", True, annotations=(Annotation("absent words", ("x",)),), clean_spans=("short",))
    score = score_spun_passage(missing, "A short text.")
    assert (score.counted, score.unlocated, score.damaged) == (0, ["absent words"], [])


def test_changed_words_in_clean_prose_ignore_punctuation_and_case() -> None:
    clean = Passage("clean_x", "example.org", "The fee, it is said, was vital.", spun=False)
    assert score_clean_passage(clean, "the fee it is said was vital").changed == []
    assert score_clean_passage(clean, "The charge, it is stated, was vital.").changed == ["fee", "said"]


def test_folds_split_by_site_deterministically() -> None:
    passages = [Passage(f"s{k}", site, "", True) for k, site in enumerate(["b.com", "a.com", "b.com", "c.com"])]
    passages.append(Passage("c0", "d.org", "", False))
    folds = assign_folds(passages, 2)
    assert folds == {"s0": 1, "s1": 0, "s2": 1, "s3": 0, "c0": 1}
    assert assign_folds(list(reversed(passages)), 2) == folds


def _write_set(folder: Path) -> None:
    """A spun passage the shipped rules repair in part, and a clean one."""
    folder.mkdir()
    spun = {
        "source_url": "https://www.spun.example/a",
        "spinner_style": "A",
        "spun": "Talks between the two international locations ended without a deal. The struggle went on.",
        "gold": "Talks between the two countries ended without a deal. The war went on.",
        "annotations": [{"spun": "international locations", "fix": ["countries"]}, {"spun": "struggle", "fix": ["war"]}],
        "clean_spans": ["ended without a deal"],
    }
    (folder / "spun_01.json").write_text(json.dumps(spun), encoding="utf-8")
    (folder / "clean_01.json").write_text(json.dumps({"source_url": "https://clean.example/b", "text": "The bank raised its fee on Monday."}), encoding="utf-8")


def test_eval_prints_passages_folds_totals_and_checks_targets(tmp_path: Path) -> None:
    _write_set(tmp_path / "set")
    result = run("eval", str(tmp_path / "set"), "--folds", "2", *OFF)
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert lines[0].startswith("spun_01 (A): repaired 1/2, damaged 0, WER 23.1% -> 7.7%")
    assert "    missed: struggle" in lines
    assert lines[-1] == "dev set: repaired 1/2 (50%), damaged 0 clean spans, mean WER 23.1% -> 7.7%; clean passages: 0 of 7 words changed (0.00 per 1,000)"
    assert [line.split(" (")[0] for line in lines if line.startswith("fold")] == ["fold 1 of 2", "fold 2 of 2"]
    unmet = run("eval", str(tmp_path / "set"), "--min-repaired", "0.6", "--max-damaged", "0", *OFF)
    assert unmet.exit_code == 1
    assert "target not met: repaired 50.0% of counted substitutions, below the target 60.0%" in unmet.stderr
    assert run("eval", str(tmp_path / "set"), "--min-repaired", "0.5", "--max-changed-per-1000", "0", *OFF).exit_code == 0


def test_eval_json_and_a_bad_file_among_good_ones(tmp_path: Path) -> None:
    _write_set(tmp_path / "set")
    (tmp_path / "set" / "spun_02.json").write_text("{not json", encoding="utf-8")
    result = run("eval", str(tmp_path / "set"), "--format", "json", *OFF)
    assert result.exit_code == 2
    errors = [line for line in result.stderr.splitlines() if line.startswith("error")]
    assert len(errors) == 1 and "spun_02.json" in errors[0]
    report = json.loads(result.stdout)
    assert report["schema"] == "cleaner.eval/1"
    assert [p["name"] for p in report["passages"]] == ["clean_01", "spun_01"]
    assert report["total"]["repaired"] == 1 and report["total"]["counted"] == 2
    assert report["passages"][1]["missed"] == ["struggle"]


def test_eval_folder_without_passages_is_a_usage_error(tmp_path: Path) -> None:
    assert run("eval", str(tmp_path)).exit_code == 2
