"""Readability: textstat's metrics of a text, before and after cleaning. Never edits.

The formulas are textstat 0.7.3's (English), computed here in one pass over one
tokenization, with each distinct word's syllables counted once (pyphen's hyphenation
positions + 1, as textstat 0.7.3 counts them; pyphen's dictionary read by
:mod:`cleaner.hyphenation`). textstat itself is not imported: 0.7.3
imports ``pkg_resources``, which current setuptools no longer has (Python 3.12+,
pre-commit environments), and later releases fetch the CMU dictionary through NLTK at
first use, which fails offline. The tests compare every metric with textstat 0.7.3
where it can still be imported. The Dale-Chall easy words are textstat's list
(``rules/readability/easy_words.txt``, MIT licence).
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Iterator
from functools import lru_cache
from typing import NamedTuple

_PUNCTUATION = re.compile(r"[^\w\s]")
_SENTENCE = re.compile(r"\b[^.!?]+[.!?]*")
_DALE_CHALL_WORD = re.compile(r"[\w\='‘’]+")

#: The metric names, in the order reports and ``cleaner score`` list them.
NAMES: tuple[str, ...] = (
    "flesch_reading_ease",
    "flesch_kincaid_grade",
    "gunning_fog",
    "smog_index",
    "coleman_liau_index",
    "dale_chall",
    "sentences",
    "words",
)


def _metric(name: str) -> Callable[[str], float]:
    """Return a function giving one metric of a text."""
    return lambda text: score(text)[name]


#: Each metric with a function computing it alone (all come from one :func:`score` pass).
METRICS: tuple[tuple[str, Callable[[str], float]], ...] = tuple((name, _metric(name)) for name in NAMES)


@lru_cache(maxsize=1)
def _hyphenator() -> Callable[[str], list[int]]:
    """Load pyphen's en_US patterns once, at the first text scored (:mod:`cleaner.hyphenation`)."""
    from cleaner.hyphenation import english_positions

    return english_positions()


@lru_cache(maxsize=1)
def _easy_words() -> frozenset[str]:
    """Return the Dale-Chall list of words most fourth-graders know."""
    from cleaner.rulepacks import builtin_rules_dir

    lines = (builtin_rules_dir() / "readability" / "easy_words.txt").read_text(encoding="utf-8").splitlines()
    return frozenset(line.strip() for line in lines)


def load() -> None:
    """Load the syllable dictionary and the Dale-Chall word list now, not at the first text scored."""
    _hyphenator()
    _easy_words()


def _token_syllables(token: str) -> int:
    """Count the syllables of one whitespace-free token as textstat 0.7.3 does.

    >>> _token_syllables("Readability!"), _token_syllables("--")
    (4, 0)
    """
    positions = _hyphenator()
    return sum(len(positions(word)) + 1 for word in _PUNCTUATION.sub("", token.lower()).split())


#: The syllables of the tokens met so far, for tokens of a word's length (a text repeats
#: its words); a longer one (a URL, or a hostile text's one endless token) is counted each
#: time, never kept. Emptied when it holds :data:`_MOST_KNOWN` tokens, so memory stays
#: flat over a corpus. A plain dict, not :mod:`cleaner.memo`: a piece's tokens are looked
#: up all at once in C (:func:`_syllable_counts`), where a call per token took a third of
#: the stage's time.
_known_syllables: dict[str, int] = {}
_MOST_KNOWN = 200_000
_LONGEST_KEPT = 40


def _syllable_counts(tokens: list[str]) -> list[int]:
    """Return the syllables of each token: the known ones in one pass, the others counted (and kept if short).

    >>> _syllable_counts(["readability", "of", "readability"])
    [4, 1, 4]
    """
    counts = list(map(_known_syllables.get, tokens))
    if None in counts:
        for index, count in enumerate(counts):
            if count is None:
                token = tokens[index]
                counts[index] = _token_syllables(token)
                if len(token) <= _LONGEST_KEPT:
                    if len(_known_syllables) >= _MOST_KNOWN:
                        _known_syllables.clear()
                    _known_syllables[token] = counts[index]  # type: ignore[assignment]
    return counts  # type: ignore[return-value]  # (every None replaced above)


def _round(number: float, points: int) -> float:
    """Round half away from zero, as textstat's ``_legacy_round``."""
    scale = 10**points
    return float(math.floor(number * scale + math.copysign(0.5, number))) / scale


def _bare_words(text: str) -> list[str]:
    """Return the words as textstat's ``lexicon_count`` finds them: punctuation removed, split on spaces."""
    return _PUNCTUATION.sub("", text).split()


def _ratio(numerator: float, denominator: float, points: int) -> float:
    """Return the rounded quotient, 0 when there is nothing to divide by."""
    return _round(numerator / denominator, points) if denominator else 0.0


class _Counts(NamedTuple):
    """What the formulas count in one piece of a text; a text's counts are the sums over its pieces."""

    words: int
    letters: int
    sentences: int
    syllables: int
    polysyllables: int
    #: The distinct Dale-Chall words (lower-cased) not on the easy list: the text's are the union.
    #: A tuple, not a set: a text's pieces are kept while its cleaned copy is scored
    #: (:func:`before_and_after`), and a small set takes several times a tuple's memory.
    hard_words: tuple[str, ...]


#: Where a text is cut into pieces counted apart: the white space, holding a line break,
#: after a sentence's end mark. No count crosses it: the words are split at white space,
#: and a sentence (``_SENTENCE``) ends at its marks and the next starts at a word.
_PIECE_BREAK = re.compile(r"(?<=[.!?])[^\S\n]*\n\s*")


def _pieces(text: str) -> Iterator[str]:
    """Yield the pieces of ``text`` between :data:`_PIECE_BREAK` s, without them.

    >>> list(_pieces("One. Two\\nthree.\\n\\n  Four!\\nfive"))
    ['One. Two\\nthree.', 'Four!', 'five']
    """
    start = 0
    for found in _PIECE_BREAK.finditer(text):
        yield text[start : found.start()]
        start = found.end()
    yield text[start:]


def _counts(piece: str) -> _Counts:
    """Count one piece of a text."""
    bare_words = _bare_words(piece)
    sentences = sum(1 for sentence in _SENTENCE.findall(piece) if len(_bare_words(sentence)) > 2)
    lowered = piece.lower()
    counts = _syllable_counts(lowered.split())
    syllables = sum(counts)
    polysyllables = len(counts) - sum(map((3).__gt__, counts))  # the tokens of three or more
    hard_words = tuple(frozenset(_DALE_CHALL_WORD.findall(lowered)).difference(_easy_words()))
    return _Counts(len(bare_words), sum(map(len, bare_words)), sentences, syllables, polysyllables, hard_words)


def score(text: str) -> dict[str, float]:
    """Return every metric of :data:`NAMES` for ``text`` (zeros for a text without words).

    >>> score("The cat sat on the mat. It was happy. Then it slept all day.")["flesch_reading_ease"]
    109.0
    """
    return _score(text, {})


def before_and_after(before: str, after: str) -> tuple[dict[str, float], dict[str, float]]:
    """Score a text and its cleaned copy; the pieces they share (most of them) are counted once."""
    counted: dict[str, _Counts] = {}
    scores = _score(before, counted)
    return scores, scores if after == before else _score(after, counted)


def _score(text: str, counted: dict[str, _Counts]) -> dict[str, float]:
    """Score ``text`` piece by piece (:func:`_pieces`), taking the pieces already in ``counted`` from there.

    No list holds a long text's words at once: each piece's are counted and dropped.
    """
    if not any(ch.isalpha() for ch in text):
        return dict.fromkeys(NAMES, 0.0)
    words = letters = sentences = syllables = polysyllables = 0
    hard_words: set[str] = set()
    for piece in _pieces(text):
        counts = counted.get(piece)
        if counts is None:
            counts = counted[piece] = _counts(piece)
        words += counts.words
        letters += counts.letters
        sentences += counts.sentences
        syllables += counts.syllables
        polysyllables += counts.polysyllables
        hard_words.update(counts.hard_words)
    sentences = max(1, sentences)
    hard_three = sum(count >= 3 for count in _syllable_counts(list(hard_words)))

    sentence_length = _ratio(words, sentences, 1)
    syllables_per_word = _ratio(syllables, words, 1)
    letters_per_100 = _round(_ratio(letters, words, 2) * 100, 2)
    sentences_per_100 = _round(_ratio(sentences, words, 2) * 100, 2)
    difficult = 100 - (words - len(hard_words)) / words * 100 if words else 0.0
    dale_chall = 0.1579 * difficult + 0.0496 * sentence_length + (3.6365 if difficult > 5 else 0.0)
    metrics = {
        "flesch_reading_ease": _round(206.835 - 1.015 * sentence_length - 84.6 * syllables_per_word, 2),
        "flesch_kincaid_grade": _round(0.39 * sentence_length + 11.8 * syllables_per_word - 15.59, 1),
        "gunning_fog": _round(0.4 * (sentence_length + hard_three / words * 100), 2) if words else 0.0,
        "smog_index": _round(1.043 * (30 * (polysyllables / sentences)) ** 0.5 + 3.1291, 1) if sentences >= 3 else 0.0,
        "coleman_liau_index": _round(0.058 * letters_per_100 - 0.296 * sentences_per_100 - 15.8, 2),
        "dale_chall": _round(dale_chall, 2) if words else 0.0,
        "sentences": sentences,
        "words": words,
    }
    return {name: round(float(metrics[name]), 2) for name in NAMES}
