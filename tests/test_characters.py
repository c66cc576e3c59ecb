"""ftfy's default fixes that cleaner applies as rules of their own: Latin ligatures,
digraphs, HTML entities and full-width forms in Latin text, each an edit that can be
turned off, each occurrence judged on its own; and ftfy's own test cases through the
whole pipeline."""

from __future__ import annotations

import importlib.util
import json
from pathlib import Path

import pytest

from cleaner import Config, clean_text
from cleaner.model import Applicability

OFF = Config(grammar="off")
BENCHMARK = Path(__file__).resolve().parent.parent / "benchmarks" / "ftfy_cases.py"


def applied_rules(text: str, config: Config = OFF, **kwargs: object) -> list[str]:
    """Return the rule ids of the fixes applied to ``text``."""
    return [fix.rule_id for _, fix in clean_text(text, config, **kwargs).log.applied]  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("text", "expected", "rule"),
    [
        ("This is signiﬁcantly lower.\n", "This is significantly lower.\n", "normalise.latin-ligatures"),
        ("korišteǌem polisilicijskog sloja\n", "korištenjem polisilicijskog sloja\n", "normalise.digraphs"),
        ("He said &quot;no&quot;.\n", 'He said "no".\n', "normalise.html-entities"),
        ("Ningbo，China\n", "Ningbo,China\n", "normalise.full-width-latin"),
    ],
)
def test_each_fix_is_an_edit_of_its_own_rule_and_can_be_turned_off(text: str, expected: str, rule: str) -> None:
    result = clean_text(text, OFF)
    assert result.output == expected
    assert rule in applied_rules(text)
    assert clean_text(text, Config(grammar="off", ignore=(rule,))).output == text


def test_an_entity_over_mojibake_is_decoded_then_repaired() -> None:
    # ftfy's "HTML entity on top of UTF-8 / Latin-1": the entity pass, then encoding repair.
    result = clean_text("It took 10Î&frac14;s.\n", OFF)
    assert result.output == "It took 10μs.\n"
    assert {"normalise.html-entities", "normalise.encoding-repair"} <= set(applied_rules("It took 10Î&frac14;s.\n"))


def test_an_entity_on_a_line_with_markup_is_unsafe_and_kept_by_default() -> None:
    text = "Fish &amp; chips.\nWrite <b>&amp;</b> in HTML.\n"
    result = clean_text(text, OFF)
    assert result.output == "Fish & chips.\nWrite <b>&amp;</b> in HTML.\n"
    skipped = [s.fix for _, s in result.log.skipped if s.fix.rule_id == "normalise.html-entities"]
    assert [fix.applicability for fix in skipped] == [Applicability.UNSAFE]
    assert skipped[0].edits[0].before == "&amp;"
    assert clean_text(text, Config(grammar="off", unsafe_fixes=True)).output == "Fish & chips.\nWrite <b>&</b> in HTML.\n"


def test_markdown_keeps_its_entities() -> None:
    assert clean_text("Fish &amp; chips.\n", OFF, markdown=True).output == "Fish &amp; chips.\n"


def test_full_width_punctuation_next_to_cjk_is_the_scripts_own() -> None:
    text = "宁波，中国。Ningbo，China\n"
    assert clean_text(text, OFF).output == "宁波，中国。Ningbo,China\n"


def test_ambiguous_ampersands_stay() -> None:
    text = "AT&T, Q&A; this&not that and &nosuchentity; stay.\n"
    assert clean_text(text, OFF).output == text


def _benchmark():  # type: ignore[no-untyped-def]
    spec = importlib.util.spec_from_file_location("ftfy_cases", BENCHMARK)
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.mark.parametrize("cases_file", ["ftfy-6.3.1-test_cases.json", "ftfy-6.0-test_cases.json"])
def test_ftfy_test_cases_through_the_pipeline(cases_file: str) -> None:
    """ftfy's passing cases come out as ftfy fixes them (under cleaner's quote and space
    policies), all but at most six; every negative case as ftfy leaves it."""
    benchmark = _benchmark()
    cases = [c for c in json.loads((benchmark.DATA / cases_file).read_text(encoding="utf-8")) if c["expect"] == "pass"]
    wrong = [c["label"] for c in cases if benchmark.policy(clean_text(c["original"] + "\n", OFF).output) != benchmark.policy(c["fixed"])]
    assert len(wrong) <= 6, wrong
    assert [label for label in wrong if benchmark.is_negative({"label": label})] == []
