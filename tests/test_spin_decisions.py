"""Spin decisions: detection from strong context fits, the document's agreement,
overlapping candidates, and quotations the spinner rewrote."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from cleaner import Config, clean_bytes, clean_text
from cleaner.rulepacks import load_registry
from cleaner.spin import detect
from cleaner.spin.candidates import Candidate
from cleaner.spin.detect import scan, scored_spans, strong_fits
from cleaner.spin.patterns import tokenize
from cleaner.spin.repair import _TakenSpans, agreed_margins
from cleaner.spin.scorer import Scored, default_scorer

from .conftest import CLEAN_SEEDS

OFF = Config(grammar="off")


def _strong(text: str) -> dict[str, tuple[int, str]]:
    rules = tuple(load_registry().for_stage("spin"))
    found = scan(text, rules)
    return strong_fits(found.tokens, scored_spans(text, found.tokens, found.candidates, default_scorer()), rules)


def test_strong_fits_open_the_gate_without_any_signature() -> None:
    # No signature phrase here: only words a group member fits far better ("mentioned"
    # after "minister", "informed reporters").
    spun = "The minister mentioned that the federal government will assist the poor, and she informed reporters that prices are rising.\n"
    assert set(_strong(spun)) >= {"mentioned", "informed"}
    result = clean_text(spun, OFF)
    # "assist" has two originals in the vocabulary groups (support|assist, help|assist):
    # either is the article's word as far as the groups can tell.
    assert result.output in {
        f"The minister said that the federal government will {verb} the poor, and she told reporters that prices are rising.\n" for verb in ("support", "help")
    }
    assert result.stages["spin"]["strong_fits"]["mentioned"] == "said"


def test_ordinary_prose_has_at_most_one_strong_fit_and_stays_closed() -> None:
    for seed in CLEAN_SEEDS:
        text = seed.read_text(encoding="utf-8")
        assert len(_strong(text)) <= 1, seed.name
        result = clean_bytes(seed.read_bytes(), seed.name, OFF)
        assert result.stages["spin"]["spun"] is False, seed.name
    # One strong fit alone (the town's "fee" is the spinner's "rate" elsewhere) is not spin.
    prose = "The town raised the fee for parking permits. The fee covers the cost of the new lot.\n"
    assert clean_text(prose, OFF).output == prose


def _scored(first: int, text: str, context: float, prior: float = 0.0) -> Scored:
    candidate = Candidate(first * 10, first * 10 + 5, first, first, text, "demo", prior, False)
    return Scored(candidate, context + prior, context, 0.0)


def test_agreement_lets_confident_occurrences_carry_a_weak_one() -> None:
    tokens = tokenize("cases cases cases")
    tokens.lowers[:] = ["circumstances"] * 3
    spans = [
        [_scored(0, "cases", 4.0), _scored(0, "conditions", 1.0)],
        [_scored(1, "cases", 3.0), _scored(1, "conditions", 0.5)],
        [_scored(2, "cases", -1.0), _scored(2, "conditions", 0.5)],
    ]
    agreed = agreed_margins(tokens, spans, weight=1.0)
    weak = {s.candidate.text: margin for s, margin in agreed[2]}
    # The third occurrence alone prefers "conditions"; the document says "cases".
    assert weak["cases"] == -1.0 + (4.0 + 3.0) / 2
    assert weak["cases"] > weak["conditions"]
    # Without agreement each occurrence keeps its own margin.
    assert [m for _, m in agreed_margins(tokens, spans, weight=0.0)[2]] == [-1.0, 0.5]


def test_overlapping_candidates_and_quotes_the_spinner_rewrote() -> None:
    text = (
        "The central financial institution raised its rate of interest final 12 months. "
        "“Prices additionally rose within the capital,” the governor mentioned. "
        "“The financial institution additionally acted,” he mentioned.\n"
    )
    out = clean_text(text, OFF).output
    # "final 12 months" (one source) and "final" (another) overlap: the phrase wins.
    assert "raised its interest rate last year." in out
    # A quotation with no signature is the speaker's words: repairs there are only unsafe.
    assert "“Prices additionally rose within the capital,” the governor said." in out
    # A quotation holding a signature ("financial institution") was spun like the rest.
    assert "“The bank also acted,” he said." in out


def test_strong_fits_count_for_the_document_but_open_no_paragraph() -> None:
    from cleaner.spin.detect import evaluate_gate

    text = "One two three four.\n\nFive six seven eight.\n"
    tokens = tokenize(text)
    strong = [(0, True), (5, True)]  # once per form at its first place: it moves when repaired
    gate = evaluate_gate(text, tokens, strong, 1.5, paragraph_hits=[])
    assert gate.spun and gate.spun_paragraphs == ()
    assert evaluate_gate(text, tokens, strong, 1.5).spun_paragraphs == ((0, 19),)


def test_a_long_document_with_spun_paragraphs_settles() -> None:
    # Shuffled paragraphs of the seeds (the spun one among them): the document gate stays
    # closed and paragraphs open on their own. A strong fit opening its paragraph moved to
    # the next occurrence of its form once repaired, so each run opened new paragraphs and
    # cleaning never settled (FixedPointError at 500 paragraphs).
    import random

    from .conftest import ROOT

    draw = random.Random(5)
    sources = [p for s in sorted((ROOT / "seeds").glob("*.txt")) for p in s.read_text(encoding="utf-8").split("\n") if len(p.split()) > 8]
    paragraphs = []
    for i in range(500):
        words = draw.choice(sources).split()
        draw.shuffle(words)
        paragraphs.append(" ".join(words) + f" Paragraph {i}.")
    text = "\n\n".join(paragraphs) + "\n"
    first = clean_text(text, OFF)
    assert clean_text(first.output, OFF).output == first.output


def test_each_text_is_scanned_once_for_the_stage_and_the_report(monkeypatch: pytest.MonkeyPatch) -> None:
    # The report measures the output, the text the confirmation run scanned already.
    scanned: list[str] = []

    def counted(text: str, *args: object) -> detect.Scan:
        scanned.append(text)
        return real_scan(text, *args)  # type: ignore[arg-type]

    real_scan = detect.scan
    monkeypatch.setattr(detect, "scan", counted)
    detect._remembered_evidence.cache_clear()
    spun = "The minister mentioned that the federal government will assist the poor, and she informed reporters that prices are rising.\n"
    result = clean_text(spun, OFF)
    assert len(scanned) == len(set(scanned)) and result.output in scanned
    detect._remembered_evidence.cache_clear()
    assert result.stages["spin"]["after"] == detect.measure(result.output, tuple(load_registry().for_stage("spin")), OFF.spin_threshold)


def test_a_long_text_is_not_remembered(monkeypatch: pytest.MonkeyPatch) -> None:
    """Memory stays at one scan for a large document: asked twice, it is scanned twice."""
    scanned: list[str] = []
    real_scan = detect.scan
    monkeypatch.setattr(detect, "scan", lambda text, *args: scanned.append(text) or real_scan(text, *args))
    monkeypatch.setattr(detect._remembered_evidence, "max_length", 20)
    detect._remembered_evidence.cache_clear()
    rules = tuple(load_registry().for_stage("spin"))
    short, long = "The war ended.", "The struggle ended in the Ecu capital.\n"
    for text in (short, short, long, long):
        detect.evidence(text, rules)
    assert scanned == [short, long, long]


@given(st.lists(st.tuples(st.integers(0, 60), st.integers(1, 12)), max_size=40))
def test_taken_spans_take_what_overlaps_nothing_taken(spans: list[tuple[int, int]]) -> None:
    """Bisecting to the neighbours decides as comparing with every span taken does."""
    taken, every = _TakenSpans(), []
    for start, length in spans:
        end = start + length
        free = not any(start < t_end and t_start < end for t_start, t_end in every)
        assert taken.take(start, end) == free
        if free:
            every.append((start, end))
