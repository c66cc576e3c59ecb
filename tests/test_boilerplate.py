"""Boilerplate patterns take the debris itself, never the prose next to it (issue 12,
item 8): each removal its rule's examples show is tried again with a sentence of the
article after it, in the same paragraph, and must then be left alone."""

from __future__ import annotations

import re

import pytest

from cleaner import Config, clean_text
from cleaner.rulepacks import load_registry
from cleaner.ruletest import run_rule
from cleaner.stages.structure import paragraphs

BOILERPLATE = [r for r in load_registry().rules if r.pack == "structure.boilerplate"]
PROSE = "The talks ended on Friday without a deal."


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
