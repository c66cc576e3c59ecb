"""Hyphenation points of English words, from pyphen's en_US dictionary, as pyphen finds them.

Readability counts a word's syllables as textstat 0.7.3 does: pyphen's hyphenation
points plus one. Importing pyphen and parsing its dictionary took 86 ms of every run's
start-up (its import lists every language's file; its parser runs a regular expression
per pattern); this reads the same file (pyphen ships it, under its own licence) in one
pass of string methods, 11,130 patterns in a few milliseconds, and finds the points with
Liang's algorithm exactly as ``pyphen.HyphDict.positions`` and ``Pyphen.positions``
do (left and right minimums of 2). A dictionary using what this reader does not
(``^^hh`` escapes, nonstandard hyphenation ``/``, two digits in a row) is left to pyphen
itself. The tests compare every point with pyphen's over thousands of words.
"""

from __future__ import annotations

import importlib.util
from collections.abc import Callable
from functools import lru_cache
from pathlib import Path

#: Lines of a ``hyph_*.dic`` that are settings or comments, not patterns (pyphen skips the same).
_NOT_PATTERNS = ("%", "#", "LEFTHYPHENMIN", "RIGHTHYPHENMIN", "COMPOUNDLEFTHYPHENMIN", "COMPOUNDRIGHTHYPHENMIN")
_DIGIT_CHARS = frozenset("0123456789")
_NO_DIGITS = str.maketrans("", "", "0123456789")
#: pyphen's defaults, which textstat 0.7.3 uses: no point in a word's first or last two letters.
_LEFT = _RIGHT = 2


class UnsupportedDictionary(ValueError):
    """The dictionary uses a feature this reader leaves to pyphen."""


class Patterns:
    """Liang's patterns of one dictionary: each letter string with where its values start and the values."""

    def __init__(self, dictionary: bytes) -> None:
        """Parse a ``hyph_*.dic`` (its first line names its encoding), or raise :class:`UnsupportedDictionary`."""
        first, _, body = dictionary.partition(b"\n")
        encoding = first.decode("ascii", "replace").strip()
        encoding = "cp1251" if encoding.lower() == "microsoft-cp1251" else encoding
        self.patterns: dict[str, tuple[int, tuple[int, ...]]] = {}
        lines = [line.strip() for line in body.decode(encoding).split("\n")]
        lines = [line for line in lines if line and not line.startswith(_NOT_PATTERNS)]
        if any("^^" in line or "/" in line for line in lines):
            raise UnsupportedDictionary("hex escapes or nonstandard hyphenation")
        for line in lines:
            letters = line.translate(_NO_DIGITS)
            values = [0] * (len(letters) + 1)  # values[k]: the digit before letter k (the last: after the last)
            at, digit_before = 0, False
            for char in line:
                if char in _DIGIT_CHARS:
                    if digit_before:
                        raise UnsupportedDictionary(f"pattern {line!r}: two digits in a row")
                    values[at] = int(char)
                    digit_before = True
                else:
                    at += 1
                    digit_before = False
            if max(values) == 0:
                continue
            start, end = 0, len(values)
            while not values[start]:
                start += 1
            while not values[end - 1]:
                end -= 1
            self.patterns[letters] = (start, tuple(values[start:end]))
        self.longest = max(map(len, self.patterns), default=0)

    def positions(self, word: str) -> list[int]:
        """Return where ``word`` may be hyphenated, as ``pyphen.Pyphen(lang=...).positions`` does.

        >>> english().positions("hyphenation")
        [2, 6]
        """
        pointed = f".{word.lower()}."
        patterns, longest = self.patterns, self.longest
        references = [0] * (len(pointed) + 1)
        for i in range(len(pointed) - 1):
            for j in range(i + 1, min(i + longest, len(pointed)) + 1):
                found = patterns.get(pointed[i:j])
                if found:
                    offset, values = found
                    window = slice(i + offset, i + offset + len(values))
                    references[window] = map(max, values, references[window])
        right = len(word) - _RIGHT
        return [i - 1 for i, reference in enumerate(references) if reference % 2 and _LEFT <= i - 1 <= right]


def dictionary_path(language: str = "en_US") -> Path:
    """Find pyphen's dictionary file for ``language`` without importing pyphen."""
    spec = importlib.util.find_spec("pyphen")
    if spec is None or not spec.submodule_search_locations:
        raise ModuleNotFoundError("pyphen is not installed: pip install pyphen (a dependency of cleaner)")
    return Path(next(iter(spec.submodule_search_locations))) / "dictionaries" / f"hyph_{language}.dic"


@lru_cache(maxsize=1)
def english() -> Patterns:
    """Read the en_US patterns once a process."""
    return Patterns(dictionary_path().read_bytes())


def english_positions() -> Callable[[str], list[int]]:
    """Return the function giving a word's hyphenation points: this reader's, or pyphen's for a dictionary it leaves to it."""
    try:
        return english().positions
    except UnsupportedDictionary:
        from pyphen import Pyphen  # type: ignore[import-untyped]

        return Pyphen(lang="en_US").positions  # type: ignore[no-any-return]
