"""The normalise stage's fast paths find exactly what their plain forms find.

The stage skips a rule by a substring test where its pattern cannot match, writes two
patterns so that they start with a literal, and remembers ftfy's answer for short
lines; each shortcut is checked here against the straightforward formulation on
random text made of the characters that matter.
"""

from __future__ import annotations

import re

from hypothesis import given, settings
from hypothesis import strategies as st

from cleaner import Config
from cleaner.pipeline import StageContext
from cleaner.rulepacks import load_registry
from cleaner.stages import normalise

#: Spaces, tabs, line breaks, invisible characters, a no-break space and letters.
TEXT = st.text(alphabet=" \t\na.\u00a0\u200b\u00ad\u2060\ufeff\u00e9", max_size=40)
RULES = {rule.id.rsplit(".", 1)[1]: rule for rule in load_registry().for_stage("normalise")}


def spans(pattern: re.Pattern[str], text: str) -> list[tuple[int, int]]:
    return [match.span() for match in pattern.finditer(text)]


@given(TEXT)
@settings(max_examples=500)
def test_literal_first_patterns_match_their_lookbehind_forms(text: str) -> None:
    assert spans(normalise._REPEATED_SPACES, text) == spans(re.compile(r"(?<=\S)  +(?=\S)"), text)
    assert spans(normalise._SINGLE_BREAK, text) == spans(re.compile(r"(?<=[^\n])\n(?=[^\n])"), text)


@given(TEXT, st.booleans())
@settings(max_examples=500)
def test_skipped_rules_are_those_whose_pattern_cannot_match(text: str, markdown: bool) -> None:
    ctx = StageContext(Config(grammar="off"), (), markdown, {})
    invisible = normalise.fix_invisible_characters(RULES["invisible-characters"], text, ctx)
    trailing = normalise.fix_trailing_whitespace(RULES["trailing-whitespace"], text, ctx)
    assert [f.edits for f in invisible] == [(normalise.Edit(a, b, text[a:b], ""),) for a, b in spans(normalise._INVISIBLE, text)]
    if not markdown:
        assert [f.edits for f in trailing] == [(normalise.Edit(a, b, text[a:b], ""),) for a, b in spans(normalise._TRAILING, text)]


def test_remembered_ftfy_answer_is_ftfys() -> None:
    line = "The cafÃ© and the ‘quotes’ \x80 here"
    assert normalise._repaired_line(line) == normalise._repaired_line(line) == normalise._ftfy_line(line)
    assert normalise._ftfy_line(line)[0] == "The café and the ‘quotes’ € here"  # C1 control as Windows-1252


def test_pieces_between_line_breaks_of_every_kind() -> None:
    assert list(normalise._between_line_breaks("a\nb\vc\u2028d")) == [(0, "a"), (2, "b"), (4, "c"), (6, "d")]
    assert list(normalise._between_line_breaks("a\nbc\n")) == [(0, "a"), (2, "bc"), (5, "")]
