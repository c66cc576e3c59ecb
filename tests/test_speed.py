"""The fast paths give what the plain algorithms give (no timings here: see benchmarks/)."""

from __future__ import annotations

import re

from hypothesis import given, settings
from hypothesis import strategies as st

from cleaner.document import _emails

#: The e-mail pattern as one regular expression: quadratic on ``'a.' * 8000``.
PLAIN_EMAIL = re.compile(r"\b[\w.+-]+@[\w-]+(?:\.[\w-]+)+\b")


@settings(max_examples=500)
@given(st.text(alphabet="ab.@+-_ \u00e9\n", max_size=40))
def test_emails_are_found_where_the_plain_pattern_finds_them(text: str) -> None:
    assert _emails(text) == [m.span() for m in PLAIN_EMAIL.finditer(text)]


def test_emails_in_prose() -> None:
    text = "Write to john.doe@example.com or x+y@a.b.c; not a.b@c, .x@y.z, @a.b or " + "a." * 50
    assert _emails(text) == [m.span() for m in PLAIN_EMAIL.finditer(text)] == [(9, 29), (33, 42), (56, 61)]


def _all_pairs_first_copy(keys: list[tuple[str, ...]], similarity: float) -> list[int | None]:
    """The first earlier paragraph each repeats, comparing every pair (the plain search)."""
    from cleaner.stages.near_duplicates import is_similar

    kept: list[int] = []
    answers: list[int | None] = []
    for position, key in enumerate(keys):
        original = next((i for i in kept if keys[i] == key or (similarity < 1 and is_similar(keys[i], key, similarity))), None)
        if original is None:
            kept.append(position)
        answers.append(original)
    return answers


@settings(max_examples=300)
@given(
    st.lists(st.lists(st.sampled_from("the a of war talks ended bang whimper".split()), min_size=1, max_size=12), max_size=25),
    st.sampled_from([1.0, 0.9, 0.75, 0.5]),
)
def test_paragraph_index_finds_what_all_pairs_find(word_lists: list[list[str]], similarity: float) -> None:
    from cleaner.stages.near_duplicates import ParagraphIndex

    keys = [tuple(words) for words in word_lists]
    index = ParagraphIndex(keys, similarity)
    answers: list[int | None] = []
    for position, key in enumerate(keys):
        original = index.earlier_copy(key)
        if original is None:
            index.add(key, position)
        answers.append(original)
    assert answers == _all_pairs_first_copy(keys, similarity)
