"""Hyphenation points of English words, from pyphen's en_US dictionary, as pyphen finds them.

Readability counts a word's syllables as textstat 0.7.3 does: pyphen's hyphenation
points plus one. Importing pyphen and parsing its dictionary took 86 ms of every run's
start-up (its import lists every language's file; its parser runs a regular expression
per pattern); this splits the same file (pyphen ships it, under its own licence) into
its 11,130 patterns in a few C-level passes, reads each pattern at its first use, and
finds the points with Liang's algorithm exactly as ``pyphen.HyphDict.positions`` and
``Pyphen.positions`` do (left and right minimums of 2). A dictionary using what this reader does not
(``^^hh`` escapes, nonstandard hyphenation ``/``, two digits in a row) is left to pyphen
itself. The tests compare every point with pyphen's over thousands of words.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from functools import lru_cache
from pathlib import Path

from cleaner.folders import package_folder

#: Lines of a ``hyph_*.dic`` that are settings or comments, not patterns (pyphen skips the same).
_NOT_PATTERNS = ("%", "#", "LEFTHYPHENMIN", "RIGHTHYPHENMIN", "COMPOUNDLEFTHYPHENMIN", "COMPOUNDRIGHTHYPHENMIN")
_DIGIT_CHARS = frozenset("0123456789")
_TWO_DIGITS = re.compile(r"[0-9]{2}")
#: pyphen's defaults, which textstat 0.7.3 uses: no point in a word's first or last two letters.
_LEFT = _RIGHT = 2


class UnsupportedDictionary(ValueError):
    """The dictionary uses a feature this reader leaves to pyphen."""


class Patterns:
    """Liang's patterns of one dictionary: each letter string with where its values start and the values.

    Each pattern is read at its first use: the file is split into patterns and their
    letters in a few C-level passes, and a document needs a few hundred of the 11,130
    (reading them all up front was a tenth of a one-document run's start-up).
    """

    def __init__(self, dictionary: bytes) -> None:
        """Split a ``hyph_*.dic`` (its first line names its encoding), or raise :class:`UnsupportedDictionary`."""
        first, _, body = dictionary.partition(b"\n")
        encoding = first.decode("ascii", "replace").strip()
        encoding = "cp1251" if encoding.lower() == "microsoft-cp1251" else encoding
        lines = [line.strip() for line in body.decode(encoding).split("\n")]
        lines = [line for line in lines if line and not line.startswith(_NOT_PATTERNS)]
        joined = "\n".join(lines)
        if "^^" in joined or "/" in joined:
            raise UnsupportedDictionary("hex escapes or nonstandard hyphenation")
        if two := _TWO_DIGITS.search(joined):
            line = joined[joined.rfind("\n", 0, two.start()) + 1 :].partition("\n")[0]
            raise UnsupportedDictionary(f"pattern {line!r}: two digits in a row")
        # Digits are single bytes in UTF-8 (no other character's bytes are): bytes.translate drops them fastest.
        letters = joined.encode().translate(None, b"0123456789").decode().split("\n")
        zeros_dropped = joined.replace("0", "").split("\n")
        #: Each pattern with a value above 0, by its letters, as written (:meth:`values` reads it).
        self.written = {key: line for key, line, nonzero in zip(letters, lines, zeros_dropped, strict=True) if nonzero != key}
        self._read: dict[str, tuple[int, tuple[int, ...]]] = {}
        self.longest = max(map(len, self.written), default=0)

    def values(self, letters: str) -> tuple[int, tuple[int, ...]]:
        """Return where the values of the pattern of ``letters`` start, and the values (from the first above 0 to the last)."""
        found = self._read.get(letters)
        if found is None:
            values = [0] * (len(letters) + 1)  # values[k]: the digit before letter k (the last: after the last)
            at = 0
            for char in self.written[letters]:
                if char in _DIGIT_CHARS:
                    values[at] = int(char)
                else:
                    at += 1
            start, end = 0, len(values)
            while not values[start]:
                start += 1
            while not values[end - 1]:
                end -= 1
            found = self._read[letters] = (start, tuple(values[start:end]))
        return found

    def positions(self, word: str) -> list[int]:
        """Return where ``word`` may be hyphenated, as ``pyphen.Pyphen(lang=...).positions`` does.

        >>> english().positions("hyphenation")
        [2, 6]
        """
        pointed = f".{word.lower()}."
        written, longest = self.written, self.longest
        references = [0] * (len(pointed) + 1)
        for i in range(len(pointed) - 1):
            for j in range(i + 1, min(i + longest, len(pointed)) + 1):
                if pointed[i:j] in written:
                    offset, values = self.values(pointed[i:j])
                    window = slice(i + offset, i + offset + len(values))
                    references[window] = map(max, values, references[window])
        right = len(word) - _RIGHT
        return [i - 1 for i, reference in enumerate(references) if reference % 2 and _LEFT <= i - 1 <= right]


def dictionary_path(language: str = "en_US") -> Path:
    """Find pyphen's dictionary file for ``language`` without importing pyphen."""
    folder = package_folder("pyphen")
    if folder is None:
        raise ModuleNotFoundError("pyphen is not installed: pip install pyphen (a dependency of cleaner)")
    return folder / "dictionaries" / f"hyph_{language}.dic"


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
