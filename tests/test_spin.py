"""Spin repair measured against the hand-annotated gold, and the gate on normal prose."""

from __future__ import annotations

import re
from pathlib import Path
from unittest.mock import patch

from hypothesis import given, settings
from hypothesis import strategies as st

from cleaner import Config, clean_bytes, clean_text
from cleaner.evaluation import evaluate, read_gold
from cleaner.lexicon import Lexicon, load_lexicon
from cleaner.rulepacks import load_registry
from cleaner.spin import patterns
from cleaner.spin.patterns import indefinite_article, match_case, token_words, tokenize
from cleaner.spin.repair import fallback_suggestions

from .conftest import CLEAN_SEEDS, ROOT, SPUN_SEED

OFF = Config(grammar="off")


def test_seed_001_repair_rate_and_no_wrong_edits() -> None:
    result = clean_bytes(SPUN_SEED.read_bytes(), SPUN_SEED.name, OFF)
    evaluation = evaluate(result, read_gold(ROOT / "tests" / "gold" / "001_52652048721d3da2.gold.tsv"))
    assert evaluation.rate >= 0.97, evaluation.missed
    assert evaluation.outside == []
    assert evaluation.wer_after < evaluation.wer_before / 10


def test_clean_seeds_get_zero_spin_edits() -> None:
    for seed in CLEAN_SEEDS:
        result = clean_bytes(seed.read_bytes(), seed.name, OFF)
        assert not [f for p, f in result.log.applied if p.stage == "spin"], seed.name


NORMAL_PROSE = (
    "The power struggle in Moscow used to be hidden. Clean water is vital for the region, "
    "and engineers will switch the grid to solar power this year. Drivers say the drive to "
    "the coast used to be faster. Her struggle with illness made her stronger.\n"
)


def test_normal_prose_with_ambiguous_words_is_untouched() -> None:
    result = clean_text(NORMAL_PROSE, OFF)
    assert result.output == NORMAL_PROSE
    assert result.stages["spin"]["spun"] is False


def test_case_and_articles() -> None:
    assert match_case("Struggle", "war") == "War"
    assert match_case("ECU", "European") is None
    assert indefinite_article("ultimate") == "an"
    out = clean_text("Ecu leaders said the talks reached a agreement between the two international locations.\n", OFF).output
    assert out == "European leaders said the talks reached a settlement between the two countries.\n"
    # In ordinary prose "a agreement" is a typo, not spinner output: the spin stage leaves it.
    assert clean_text("The talks reached a agreement.\n", OFF).output == "The talks reached a agreement.\n"


def test_clean_seeds_get_no_fallback_findings() -> None:
    for seed in CLEAN_SEEDS:
        result = clean_bytes(seed.read_bytes(), seed.name, OFF)
        assert not [f for p, f in result.log.findings if p.stage == "spin"], seed.name


def test_fallback_reports_out_of_place_words_in_spun_text_with_sentence_and_candidate() -> None:
    result = clean_bytes(SPUN_SEED.read_bytes(), SPUN_SEED.name, OFF)
    findings = [(p, f) for p, f in result.log.findings if f.rule_id == "spin.fallback.thesaurus"]
    assert findings
    for stage_pass, finding in findings:
        assert finding.suggestions
        sentence = str(finding.evidence["sentence"])
        assert stage_pass.input_text[finding.start : finding.end] in sentence
        assert float(finding.evidence["margin"]) >= 2.0  # type: ignore[arg-type]


def test_fallback_repairs_a_confident_swap_only_inside_spun_text() -> None:
    spun = "Ecu leaders met in the international locations of the south. The new model is so lots better than the old one. The Ecu plan failed.\n"
    assert "so much better" in clean_text(spun, OFF).output
    assert "so lots better" in clean_text("The new model is so lots better than the old one.\n", OFF).output


def test_document_needs_two_signatures_to_be_judged_spun() -> None:
    contextual_only = "It used to be quiet. The road used to be empty. The town used to be poor.\n"
    result = clean_text(contextual_only, OFF)
    assert result.stages["spin"]["spun"] is False
    assert result.output == contextual_only


def test_spin_data_lists_each_sentence_with_evidence_once_with_its_own_words_and_score() -> None:
    text = SPUN_SEED.read_text(encoding="utf-8") + "\n" + CLEAN_SEEDS[0].read_text(encoding="utf-8")  # sentences with and without
    result = clean_text(text, OFF)
    source = next(p for p in result.log.passes if p.stage == "spin").input_text
    sentences = result.stages["spin"]["sentences"]
    ends = [m.end() for m in patterns.SENTENCE_END.finditer(source)] + [len(source)]
    assert sentences and all(s["evidence"] for s in sentences)  # only the sentences that say something
    assert [s["start"] for s in sentences] == sorted({s["start"] for s in sentences})  # each once, in order
    for sentence in sentences:
        start, end = sentence["start"], sentence["end"]
        assert end in ends and (start == 0 or start in ends)  # one whole sentence
        assert sentence["words"] == sum(start <= at < end for at, _, _ in _words_by_definition(source))
        signatures = sum(e["kind"] == "signature" for e in sentence["evidence"])
        assert sentence["score"] == round(100.0 * signatures / sentence["words"], 2)
        assert all(e["text"] in source[start:end] for e in sentence["evidence"])
    assert sum(len(s["evidence"]) for s in sentences) == sum(result.stages["spin"]["rules"].values())  # every match in one


def _words_by_definition(text: str) -> list[tuple[int, int, str]]:
    """Words as the spin stage defines them, found the slow, obvious way."""
    pattern = re.compile(r"[A-Za-z0-9]+(?:['’][A-Za-z]+)?")
    return [(m.start(), m.end(), m.group().replace("’", "'").lower()) for m in pattern.finditer(text)]


@given(st.text(alphabet=st.sampled_from("aZk9 '’.\u0130\u212a\u00e9-\n"), max_size=60) | st.text(max_size=200))
def test_tokenize_matches_the_definition_on_any_text(text: str) -> None:
    tokens = tokenize(text)
    assert list(zip(tokens.starts, tokens.ends, tokens.lowers, strict=True)) == _words_by_definition(text)


@given(st.text(alphabet=st.sampled_from("aZk9 '’.\u0130-\n"), max_size=80), st.integers(min_value=1, max_value=9))
def test_tokenize_a_piece_at_a_time_finds_the_same_words(text: str, piece: int) -> None:
    """A long text is split in pieces (here of a few characters): no word is cut, lost or shifted."""
    with patch.object(patterns, "TOKENIZE_PIECE", piece):
        tokens = tokenize(text)
    assert list(zip(tokens.starts, tokens.ends, tokens.lowers, strict=True)) == _words_by_definition(text)
    assert token_words(text) == tokens.lowers


def _fallback_lexicon() -> Lexicon:
    rule = load_registry().get("spin.fallback.thesaurus")
    assert rule is not None
    return load_lexicon(Path(rule.source_file).parent / rule.str_param("thesaurus"), int(rule.param("common_word_count", 0)))  # type: ignore[call-overload]


@settings(max_examples=40, deadline=None)
@given(st.lists(st.integers(min_value=0, max_value=6000), max_size=8))
def test_fallback_within_open_spans_equals_the_whole_text_filtered(cuts: list[int]) -> None:
    """Looking only where the gate is open finds exactly what a look at the whole text finds there."""
    text = SPUN_SEED.read_text(encoding="utf-8")
    points = sorted(set(min(c, len(text)) for c in cuts))
    spans = [(a, b) for a, b in zip(points[::2], points[1::2], strict=False) if a < b]
    tokens, lexicon = tokenize(text), _fallback_lexicon()
    whole = fallback_suggestions(text, tokens, lexicon, set(), [(0, len(text))])
    assert whole  # the spun seed has out-of-place words, so the comparison means something
    inside = [s for s in whole if any(a <= tokens.starts[s.token] < b for a, b in spans)]
    assert fallback_suggestions(text, tokens, lexicon, set(), spans) == inside


def test_the_outputs_spin_measure_is_the_stages_own_and_needs_no_second_scan(monkeypatch) -> None:  # type: ignore[no-untyped-def]
    """The report's 'after' verdict is what a fresh measure of the output says; the stage's last run left it, so nothing is scanned again."""
    from cleaner.api import registry_for
    from cleaner.spin import detect

    config = Config(grammar="off")
    result = clean_text(SPUN_SEED.read_text(encoding="utf-8"), config)
    rules = registry_for(config).select(config.select, config.ignore).for_stage("spin")

    def no_scan(*args: object) -> object:
        raise AssertionError("scanned again")

    with monkeypatch.context() as patched:
        patched.setattr(detect, "evidence", no_scan)
        assert detect.measure(result.output, rules, config.spin_threshold) == result.stages["spin"]["after"]
        try:
            detect.measure(result.output + "Another sentence.", rules, config.spin_threshold)
        except AssertionError:
            pass  # another text is measured afresh
        else:
            raise AssertionError("a text the stage never saw was answered from its record")
    detect._last_measure.clear()
    detect._remembered_evidence.cache_clear()
    assert detect.measure(result.output, rules, config.spin_threshold) == result.stages["spin"]["after"]
    assert result.stages["spin"]["after"]["score"] < result.stages["spin"]["score"]


def test_the_outputs_spin_measure_counts_the_users_dictionaries(tmp_path: Path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    """With a spinner's dictionary the 'after' verdict is measured with it, as the stage's own evidence was."""
    from cleaner.spin import detect

    dictionary = tmp_path / "spinner.txt"
    dictionary.write_text("hospital|health facility\n", encoding="utf-8")
    asked: list[tuple[str, ...]] = []
    measure = detect.measure
    monkeypatch.setattr(detect, "measure", lambda text, rules, threshold, dictionaries=(): asked.append(dictionaries) or measure(text, rules, threshold, dictionaries))
    clean_text("The health facility raised its fees, officials said.\n", Config(grammar="off", spin_dictionaries=(str(dictionary),)))
    assert asked == [(str(dictionary),)]
