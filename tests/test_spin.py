"""Spin repair measured against the hand-annotated gold, and the gate on normal prose."""

from __future__ import annotations

from cleaner import Config, clean_bytes, clean_text
from cleaner.evaluation import evaluate, read_gold
from cleaner.stages.spin import indefinite_article, match_case

from .conftest import CLEAN_SEEDS, ROOT, SPUN_SEED

OFF = Config(grammar="off")


def test_seed_001_repair_rate_and_no_wrong_edits() -> None:
    result = clean_bytes(SPUN_SEED.read_bytes(), SPUN_SEED.name, OFF)
    evaluation = evaluate(result, read_gold(ROOT / "tests" / "gold" / "001_52652048721d3da2.gold.tsv"))
    assert evaluation.rate >= 0.95, evaluation.missed
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
    out = clean_text("the talks reached a agreement between the two international locations.\n", OFF).output
    assert out == "the talks reached a settlement between the two countries.\n"
