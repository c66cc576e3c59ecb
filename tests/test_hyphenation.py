"""The hyphenation points readability counts syllables by are pyphen's, point for point."""

from __future__ import annotations

import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from pyphen import Pyphen

from cleaner import hyphenation
from cleaner.hyphenation import Patterns, UnsupportedDictionary, english, english_positions
from cleaner.rulepacks import builtin_rules_dir
from tests.conftest import SEEDS

PYPHEN = Pyphen(lang="en_US")


def test_the_patterns_are_pyphens() -> None:
    patterns = english()
    assert {letters: patterns.values(letters) for letters in patterns.written} == PYPHEN.hd.patterns and patterns.longest == PYPHEN.hd.maxlen


def test_every_word_of_the_seeds_and_the_easy_list_gets_pyphens_points() -> None:
    words = {w for seed in SEEDS for w in re.findall(r"[^\W\d_]+", seed.read_text(encoding="utf-8"))}
    words |= set((builtin_rules_dir() / "readability" / "easy_words.txt").read_text(encoding="utf-8").split())
    assert len(words) > 3_000
    wrong = [w for w in sorted(words) if english().positions(w) != PYPHEN.positions(w)]
    assert not wrong, wrong[:10]


@settings(max_examples=500)
@given(st.text(alphabet=st.sampled_from("abcdefghijklmnopqrstuvwxyzAEIOUSTé'’-ﬀß.İ"), max_size=24) | st.text(max_size=12))
def test_any_word_gets_pyphens_points(word: str) -> None:
    assert english().positions(word) == PYPHEN.positions(word)


@pytest.mark.parametrize("dictionary", [b"UTF-8\nc1k/k=k,1,1\n", b"UTF-8\n^^e9t1\n", b"UTF-8\na12b\n", b"UTF-8\nab1c\nx12\n"])
def test_a_dictionary_this_reader_cannot_follow_is_refused(dictionary: bytes) -> None:
    with pytest.raises(UnsupportedDictionary):
        Patterns(dictionary)


def test_pyphen_itself_answers_for_a_dictionary_left_to_it(monkeypatch: pytest.MonkeyPatch) -> None:
    def unsupported() -> Patterns:
        raise UnsupportedDictionary("pattern 'c1k/k=k,1,1'")

    monkeypatch.setattr(hyphenation, "english", unsupported)
    positions = english_positions()
    assert getattr(positions, "__self__", None).__class__ is Pyphen
    assert positions("hyphenation") == PYPHEN.positions("hyphenation")
