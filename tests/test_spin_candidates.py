"""Candidate sources of the spin stage, each with its own examples: what it proposes in
spun text, what it leaves alone, and that ordinary prose gets no spin edit from it."""

from __future__ import annotations

import importlib.util
import json
from pathlib import Path

import pytest

from cleaner import Config, clean_bytes, clean_text
from cleaner.errors import RulePackError
from cleaner.rulepacks import builtin_rules_dir, load_registry
from cleaner.ruletest import run_rule
from cleaner.spin.candidates import GroupSource, NumberSource, ThesaurusSource, read_reverse_thesaurus, sources_for
from cleaner.spin.patterns import tokenize
from cleaner.spin.scorer import default_scorer

from .conftest import CLEAN_SEEDS, ROOT

OFF = Config(grammar="off")
REGISTRY = load_registry()
SPIN_RULES = REGISTRY.for_stage("spin")
REVERSE = builtin_rules_dir() / "spin" / "reverse-thesaurus.tsv"
DEV = ROOT.parent / "shared" / "spin-dev"


def proposals(source: object, text: str) -> set[tuple[str, str]]:
    """Return (spun words, proposed original) pairs a source finds in ``text``."""
    return {(text[c.start : c.end], c.text) for c in source.scan(text, tokenize(text))}  # type: ignore[attr-defined]


def repaired(rule_id: str, text: str) -> str:
    """Run one shipped rule alone with the gate open (as its examples run)."""
    rule = REGISTRY.get(rule_id)
    assert rule is not None
    return run_rule(rule, text)


# --- reverse thesaurus -------------------------------------------------------------


def test_reverse_thesaurus_proposes_inflected_originals() -> None:
    source = ThesaurusSource("t", REVERSE, 0.0)
    found = proposals(source, "The minister instructed reporters and stated that talks ended.")
    assert ("instructed", "told") in found
    assert ("stated", "said") in found


def test_reverse_thesaurus_proposes_for_multiword_spun_forms() -> None:
    found = proposals(ThesaurusSource("t", REVERSE, 0.0), "The financial institution raised rates.")
    assert ("financial institution", "bank") in found


def test_reverse_thesaurus_skips_figures_acronyms_and_function_words() -> None:
    found = proposals(ThesaurusSource("t", REVERSE, 0.0), "The ECB could see 12 more.")
    assert not {spun for spun, _ in found} & {"ECB", "could", "12", "The"}


def test_reverse_thesaurus_is_read_only_at_first_scan(tmp_path: Path) -> None:
    table = tmp_path / "r.tsv"
    table.write_text("instructed\ttold\n", encoding="utf-8")
    source = ThesaurusSource("t", table, 0.0)
    table.unlink()  # building the source reads nothing; the first scan would
    with pytest.raises(RulePackError, match=r"r.tsv: cannot read the reverse thesaurus"):
        source.scan("He instructed them.", tokenize("He instructed them."))


def test_malformed_reverse_thesaurus_line_names_file_and_line(tmp_path: Path) -> None:
    bad = tmp_path / "bad.tsv"
    bad.write_text("# comment\ninstructed\ttold\nno tab here\n", encoding="utf-8")
    with pytest.raises(RulePackError, match=r"bad.tsv:3"):
        read_reverse_thesaurus(bad)


def test_no_rule_runs_the_reverse_thesaurus_in_the_stage() -> None:
    # Measured as noise with the bigram scorer (rules/README.md): it is not a stage source yet.
    assert not [s for s in sources_for(SPIN_RULES) if isinstance(s, ThesaurusSource)]


# --- the build tool (lemmatising and re-inflection at build time) -----------------------


def _tool():
    pytest.importorskip("lemminflect", reason="tools/build_reverse_thesaurus.py needs lemminflect (the test extra installs it)")
    spec = importlib.util.spec_from_file_location("build_reverse_thesaurus", ROOT / "tools" / "build_reverse_thesaurus.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_tool_reverses_synonyms_and_broader_terms_in_every_inflection() -> None:
    tool = _tool()
    counts = {w: 10**7 for w in ("tell", "told", "tells", "telling", "town", "towns", "city", "cities")}
    counts |= {"instruct": 10**5, "instructed": 10**6, "instructs": 10**4, "instructing": 10**5}
    table = tool.build([("v", [("instruct", 1.0), ("tell", 0.5)]), ("n", [("city", 1.0), ("town", 1.0)])], counts)
    assert table["instructed"] == ["told"]
    assert table["instructs"] == ["tells"]
    assert table["towns"] == ["cities"] and table["cities"] == ["towns"]


def test_tool_drops_rare_originals_names_and_function_words() -> None:
    tool = _tool()
    counts = {"said": 10**8, "stated": 10**7, "asseverated": 10, "was": 10**9, "begun": 10**6, "started": 10**7}
    table = tool.build([("v", [("state", 1.0), ("say", 1.0), ("asseverate", 1.0), ("Say", 1.0)]), ("v", [("start", 1.0), ("be", 1.0)])], counts)
    assert table["stated"] == ["said"]
    assert "asseverated" not in table.get("said", [])
    assert "was" not in table.get("started", [])


# --- group files: constructions, modals, fixed phrases --------------------------------


@pytest.mark.parametrize(
    ("spun", "original"),
    [
        ("The match goes to be played on Sunday.", "The match is going to be played on Sunday."),
        ("Prices rose relatively than fell.", "Prices rose rather than fell."),
        ("Prices will ease in direction of the target.", "Prices will ease towards the target."),
    ],
)
def test_closed_class_groups_undo_construction_swaps(spun: str, original: str) -> None:
    assert repaired("spin.groups.closed-class", spun) == original


@pytest.mark.parametrize(
    "keep",
    [
        "He said the bank would also act in May, while prices were rising.",
        "Prices rose rather than fell, as expected.",
        "The match is going ahead as planned.",
        "Nevertheless, prices rose. Following the vote, the council adjourned.",
        "Based on the figures, a lot remains to be done.",
    ],
)
def test_closed_class_groups_keep_ordinary_constructions(keep: str) -> None:
    assert repaired("spin.groups.closed-class", keep) == keep


@pytest.mark.parametrize(
    ("spun", "original"),
    [
        ("The Indian team received the match by five runs.", "The Indian team won the match by five runs."),
        ("The Monetary Instances reported the news.", "The Financial Times reported the news."),
        ("Inflation hit an 11-year excessive.", "Inflation hit an 11-year high."),
    ],
)
def test_vocabulary_groups_undo_word_swaps(spun: str, original: str) -> None:
    assert repaired("spin.groups.vocabulary", spun) == original


@pytest.mark.parametrize(
    "keep",
    [
        "She received a letter and played the piano at home.",
        "The restoration of the bridge costs more than expected, and a lot of choices remain.",
    ],
)
def test_vocabulary_groups_keep_the_words_they_list_in_ordinary_use(keep: str) -> None:
    assert repaired("spin.groups.vocabulary", keep) == keep


def test_everyday_members_get_the_ordinary_prior() -> None:
    # "~" marks a spun member an article may well use itself; marked on any line, the
    # form is ordinary; the other members keep the source's prior.
    source = GroupSource.from_lines("d", ["decision|resolution~|choice~ +s", "answer|resolution", "rate|fee"], prior=2.0, ordinary_prior=-1.0)
    text = "The resolution and the choices set the fee."
    by_text = {text[c.start : c.end]: c for c in source.scan(text, tokenize(text))}
    assert {c.text for c in source.scan(text, tokenize(text)) if c.start == by_text["resolution"].start} == {"decision", "answer"}
    assert (by_text["resolution"].ordinary, by_text["resolution"].prior) == (True, -1.0)
    assert (by_text["choices"].ordinary, by_text["choices"].prior, by_text["choices"].text) == (True, -1.0, "decisions")
    assert (by_text["fee"].ordinary, by_text["fee"].prior) == (False, 2.0)
    # Without an ordinary prior of its own, a source gives its one prior to every form.
    assert GroupSource.from_lines("d", ["decision|resolution~"], prior=2.0).ordinary_prior == 2.0


def test_an_everyday_member_without_neighbours_has_no_context_fit() -> None:
    # "Nevertheless," at a sentence start: the bigram fit would be only how common each
    # word is, which says nothing between two everyday words.
    source = GroupSource.from_lines("d", ["however|nevertheless~", "also|additionally"], prior=0.0, ordinary_prior=-1.0)
    text = "Nevertheless, prices rose. Additionally, wages fell."
    scored = {text[c.start : c.end]: default_scorer().score(text, tokenize(text), c) for c in source.scan(text, tokenize(text))}
    assert scored["Nevertheless"].context == 0.0 and scored["Nevertheless"].margin == -1.0
    assert scored["Additionally"].context > 0.0


def test_group_forms_match_across_hyphens_and_with_a_possessive() -> None:
    source = GroupSource.from_lines("d", ["bank|financial institution", "monthly|month-to-month"], prior=0.0)
    text = "The financial institution’s month-to-month report, the month-to-date figure."
    found = proposals(source, text)
    assert ("financial institution’s", "bank’s") in found
    assert ("month-to-month", "monthly") in found
    assert not {spun for spun, _ in found} & {"month-to-date", "month"}


def test_a_signature_with_one_original_needs_no_context_vote() -> None:
    source = GroupSource.from_lines("d", ["towards|in direction of!", "cases|circumstances|instances", "conditions|circumstances"], prior=0.0)
    text = "It moved in direction of the circumstances."
    by_text = {text[c.start : c.end]: c for c in source.scan(text, tokenize(text))}
    assert by_text["in direction of"].contextual is False
    assert by_text["circumstances"].contextual is True


# --- numbers: percentages and the month May ------------------------------------------


def test_numbers_write_a_worded_digit_before_percent_as_a_figure() -> None:
    assert repaired("spin.groups.numbers", "Inflation hit five% in March.") == "Inflation hit 5% in March."
    assert repaired("spin.groups.numbers", "Five of them said 5% was fair.") == "Five of them said 5% was fair."


def test_numbers_restore_the_month_may_written_as_a_modal() -> None:
    assert repaired("spin.groups.numbers", "Rates rose in Might.") == "Rates rose in May."
    assert repaired("spin.groups.numbers", "The tally since Could 4 rose.") == "The tally since May 4 rose."


@pytest.mark.parametrize(
    "keep",
    [
        "Could it be true? Might we see more?",
        "They might fall in price, and it could rise.",
        "The Might of the Empire was a film.",
        "He said: Could 4 people fit?",
    ],
)
def test_numbers_keep_modals(keep: str) -> None:
    found = proposals(NumberSource("n", 6.0), keep)
    assert not {spun for spun, _ in found} & {"Could", "Might"}


# --- ordinary prose: no spin edit ------------------------------------------------------


def test_clean_seeds_get_no_spin_edit_and_stay_closed() -> None:
    for seed in CLEAN_SEEDS:
        result = clean_bytes(seed.read_bytes(), seed.name, OFF)
        assert not [f for p, f in result.log.applied if p.stage == "spin"], seed.name
        assert result.stages["spin"]["spun"] is False, seed.name


@pytest.mark.skipif(not DEV.is_dir(), reason="the development set (../shared/spin-dev) is not beside this checkout")
def test_clean_news_passages_of_the_development_set_get_no_spin_edit() -> None:
    for path in sorted(DEV.glob("clean_*.json")):
        text = json.loads(path.read_text(encoding="utf-8"))["text"]
        result = clean_text(text, Config(grammar="off", stages=("spin",)))
        assert not [f for p, f in result.log.applied if p.stage == "spin"], path.name
        assert result.stages["spin"]["spun"] is False, path.name
