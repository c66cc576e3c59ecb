"""Golden files and the promises made about each seed."""

from __future__ import annotations

import json
import re

import pytest

from cleaner import Config, clean_files
from cleaner.edits import replay
from cleaner.emit.report import log_from_json

from .conftest import CLEAN_SEEDS, ROOT, SPUN_SEED


@pytest.fixture(scope="module")
def fresh_output(tmp_path_factory: pytest.TempPathFactory):
    out = tmp_path_factory.mktemp("output")
    import os

    cwd = os.getcwd()
    os.chdir(ROOT)
    try:
        batch = clean_files([ROOT.joinpath("seeds").relative_to(ROOT)], out, Config())
    finally:
        os.chdir(cwd)
    assert not batch.errors
    return out


def test_golden_output_matches_committed(fresh_output) -> None:
    committed = ROOT / "output"
    names = sorted(p.name for p in fresh_output.iterdir())
    assert names == sorted(p.name for p in committed.iterdir())
    for name in names:
        assert (fresh_output / name).read_bytes() == (committed / name).read_bytes(), f"output/{name} is stale: run the README's main command"


def test_report_log_replays_every_seed(fresh_output) -> None:
    report = json.loads((fresh_output / "report.json").read_text(encoding="utf-8"))
    assert report["schema"] == "cleaner.report/3"
    for document in report["documents"]:
        from cleaner.stages.ingest import decode

        text = decode((ROOT / document["input"]).read_bytes(), document["input"]).text
        assert replay(text, log_from_json(document, report, text)) == (fresh_output / document["output"]).read_text(encoding="utf-8")


def sentences(text: str) -> set[str]:
    return {s.strip() for s in re.split(r"(?<=[.!?])\s+|\n+", text) if len(s.split()) >= 3}


@pytest.mark.parametrize("seed", CLEAN_SEEDS, ids=lambda p: p.name)
def test_clean_seeds_keep_every_sentence_and_get_no_spin_edits(seed, fresh_output) -> None:
    report = json.loads((fresh_output / "report.json").read_text(encoding="utf-8"))
    [document] = [d for d in report["documents"] if d["output"] == seed.name]
    assert document["spin"]["spun"] is False
    assert not any(p["stage"] == "spin" and p["applied"] for p in document["passes"])
    output = " ".join((fresh_output / seed.name).read_text(encoding="utf-8").split())
    for sentence in sentences(seed.read_text(encoding="utf-8")):
        words = " ".join(sentence.split())
        boiler = "archive of our partner" in words or "Get a copy of" in words
        fixed = words.replace("decision- time", "decision-time").replace("BarcelonaThe", "Barcelona - The")
        assert boiler or fixed in output, sentence


def test_spun_seed_is_judged_spun_and_repaired(fresh_output) -> None:
    report = json.loads((fresh_output / "report.json").read_text(encoding="utf-8"))
    [document] = [d for d in report["documents"] if d["output"] == SPUN_SEED.name]
    assert document["spin"]["spun"] is True
    assert document["spin"]["after"]["spun"] is False
    text = (fresh_output / SPUN_SEED.name).read_text(encoding="utf-8")
    for spun in ("international locations", "used to be", " 2d ", "Ecu ", "White Space", "Find out about", "paintings"):
        assert spun not in text


def test_streamed_report_has_one_document_per_line() -> None:
    """report.json is written document by document: valid JSON, one line per document."""
    text = (ROOT / "output" / "report.json").read_text(encoding="utf-8")
    report = json.loads(text)
    lines = [line.rstrip(",") for line in text.splitlines()]
    assert report["schema"] == "cleaner.report/3" and len(report["documents"]) == 5
    for document in report["documents"]:
        assert "    " + json.dumps(document, ensure_ascii=False, sort_keys=True, separators=(",", ":")) in lines
