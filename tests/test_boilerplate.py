"""Boilerplate patterns take the debris itself, never the prose next to it (issue 12,
item 8): each removal its rule's examples show is tried again with a sentence of the
article after it, in the same paragraph, and must then be left alone."""

from __future__ import annotations

import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from cleaner import Config, clean_text
from cleaner.patterns import Haystack, RequiredStrings, compile_pattern
from cleaner.rulepacks import load_registry
from cleaner.ruletest import run_rule
from cleaner.stages.structure import paragraphs

BOILERPLATE = [r for r in load_registry().rules if r.pack == "structure.boilerplate"]
PROSE = "The talks ended on Friday without a deal."


#: Pieces of text the boilerplate rules' own examples are made of, to build paragraphs from.
_FRAGMENTS = sorted({piece for r in BOILERPLATE for text in [*(a for a, _ in r.fix_examples), *r.keep_examples] for piece in re.split(r"(\s+)", text) if piece.strip()})


@settings(max_examples=150, deadline=None)
@given(st.lists(st.lists(st.sampled_from(_FRAGMENTS), min_size=1, max_size=12).map(" ".join), min_size=1, max_size=6))
def test_narrowing_the_line_patterns_to_a_text_changes_no_paragraph_match(paragraph_list: list[str]) -> None:
    # Each pattern, narrowed to the strings the whole text holds (RoundText does this to
    # skip patterns in one pass), fullmatches exactly the paragraphs the full pattern does.
    text = "\n\n".join(paragraph_list)
    patterns = [compile_pattern(r.str_param("pattern")) for r in BOILERPLATE]
    for pattern, narrowed in zip(patterns, RequiredStrings(patterns).narrowed(Haystack(text))):
        for paragraph in paragraph_list:
            expected = pattern.fullmatch(paragraph) is not None
            assert (narrowed is not None and narrowed.fullmatch(Haystack(paragraph)) is not None) == expected, (pattern.source, paragraph)


def removed_paragraphs(before: str, after: str) -> list[str]:
    """Return the paragraphs of ``before`` that ``after`` no longer has."""
    kept = [p.text for p in paragraphs(after)]
    return [p.text for p in paragraphs(before) if p.text not in kept]


@pytest.mark.parametrize("rule", BOILERPLATE, ids=lambda r: r.id)
def test_debris_followed_by_prose_is_kept(rule) -> None:  # type: ignore[no-untyped-def]
    debris = [p for before, after in rule.fix_examples for p in removed_paragraphs(before, after)]
    assert debris, f"{rule.id}: its fix examples remove no paragraph"
    for paragraph in debris:
        for joined in (f"{paragraph.rstrip('.')}. {PROSE}", f"{paragraph} {PROSE}"):
            text = f"Body.\n\n{joined}\n"
            assert run_rule(rule, text) == text, f"{rule.id} swallowed the sentence after {paragraph!r}"


@pytest.mark.parametrize("rule", BOILERPLATE, ids=lambda r: r.id)
def test_no_pattern_matches_an_empty_or_blank_paragraph(rule) -> None:  # type: ignore[no-untyped-def]
    pattern = re.compile(rule.str_param("pattern"))
    for blank in ("", " ", "\x0c"):
        assert not pattern.fullmatch(blank.strip())


def test_partner_archive_line_with_the_news_after_it_is_kept() -> None:
    """The reproducer of issue 12, item 8: '.{0,80}' used to take the whole line."""
    text = "Lead.\n\nThis article is from the archive of our partner. The talks ended on Friday without a deal.\n"
    assert clean_text(text, Config(grammar="off")).output == text


@pytest.mark.parametrize("text", ["©0", "©0\n", "  ©2020 The Paper\n\n"])
def test_a_text_that_is_only_boilerplate_becomes_empty_and_stays_so(text: str) -> None:
    # Removing the only paragraph takes the whole text: a lone line break left behind
    # would be removed by the next run, which must change nothing.
    off = Config(grammar="off")
    once = clean_text(text, off)
    assert once.output == "" and clean_text(once.output, off).log.applied == []
