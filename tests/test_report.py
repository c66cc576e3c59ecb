"""report.json (schema cleaner.report/3) is lean and loses nothing replay needs: a
document's entry rebuilds its edit log exactly from the document's text."""

from __future__ import annotations

import json

import pytest

from cleaner.api import clean_bytes
from cleaner.config import Config
from cleaner.emit.report import DOCUMENT_SCORE, Shared, document_line, log_from_json
from cleaner.errors import ReplayError
from cleaner.stages.readability import NAMES
from tests.conftest import SEEDS, SPUN_SEED


def _entry(seed):  # type: ignore[no-untyped-def]
    """Clean ``seed``; return the result, its report entry and the report's shared lists."""
    result = clean_bytes(seed.read_bytes(), seed.as_posix(), Config(grammar="off"))
    shared = Shared()
    document = json.loads(document_line(result, "out.txt", shared))
    report = {"rules": shared.rules(), "messages": shared.messages(), "evidence": shared.evidence_list(), "fix_kinds": shared.kinds()}
    return result, document, json.loads(json.dumps(report))


@pytest.mark.parametrize("seed", SEEDS, ids=[s.name for s in SEEDS])
def test_an_entry_rebuilds_the_whole_log(seed) -> None:  # type: ignore[no-untyped-def]
    result, document, report = _entry(seed)
    rebuilt = log_from_json(document, report, result.input_text)
    assert rebuilt.source_sha256 == result.log.source_sha256
    assert [(p.stage, p.input_sha256, p.output_sha256, p.applied, p.skipped) for p in rebuilt.passes] == [
        (p.stage, p.input_sha256, p.output_sha256, p.applied, p.skipped) for p in result.log.passes
    ]


def test_replaced_text_is_not_written() -> None:
    seed = next(s for s in SEEDS if s.name.startswith("002_"))
    result, document, _ = _entry(seed)
    line = json.dumps(document, ensure_ascii=False)
    removed = [e.before for p in result.log.passes for f in (*p.applied, *(s.fix for s in p.skipped)) for e in f.edits if len(e.before) > 40]
    assert removed, f"{seed.name} has long edits (debris blocks)"
    assert not [text for text in removed if text in line]


def test_spin_scores_are_shared_and_only_telling_sentences_kept() -> None:
    result, document, report = _entry(SPUN_SEED)
    assert any(e.get("document_score") == DOCUMENT_SCORE for e in report["evidence"])
    assert all(s[3] or s[4] for s in document["spin"]["sentences"])  # only sentences that say something
    assert {when: dict(zip(NAMES, values)) for when, values in document["readability"].items()} == result.readability


def test_an_entry_does_not_fit_another_text() -> None:
    result, document, report = _entry(SPUN_SEED)
    with pytest.raises(ReplayError, match="does not match the report"):
        log_from_json(document, report, result.input_text + "x")
