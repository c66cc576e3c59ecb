"""Find the earlier paragraph a paragraph repeats, exactly or nearly, without all pairs.

The structure stage asks, for each paragraph in turn, "which earlier paragraph does
this one repeat?". Comparing it with every earlier one is quadratic (4,000 paragraphs:
200 s). :class:`ParagraphIndex` answers with an inverted index and the prefix filter of
similarity joins: two word sequences whose ``SequenceMatcher`` ratio reaches ``s``
share at least ``s * n / (2 - s)`` of the ``n`` words of either one, so each must share
a word with the other's rarest ``n - that + 1`` words. Only paragraphs found that way are
compared, in their order, with the same tests as before, so the answer is the same.
"""

from __future__ import annotations

import difflib
import math
from collections import Counter
from collections.abc import Iterable
from typing import NamedTuple

WordKey = tuple[str, ...]
#: A word or word pair with its occurrence number, so that sequences compare as sets,
#: packed in one integer (word ids and the number in 32 bits each): cheaper to hash,
#: sort and keep than nested tuples of strings.
Element = int
_BITS = 32


def _numbered(items: list[int]) -> list[Element]:
    """Number each item's occurrences: ``a b a`` -> ``(a, 0) (b, 0) (a, 1)``, packed."""
    if len(set(items)) == len(items):  # the common case for word pairs: all first occurrences
        return [item << _BITS for item in items]
    seen: dict[int, int] = {}
    numbered = []
    for item in items:
        count = seen.get(item, 0)
        seen[item] = count + 1
        numbered.append(item << _BITS | count)
    return numbered


def is_similar(earlier: WordKey, key: WordKey, similarity: float) -> bool:
    """Tell whether ``key`` repeats ``earlier`` at ``similarity`` (``SequenceMatcher`` ratio).

    >>> is_similar(("a", "b", "c", "d"), ("a", "b", "c", "e"), 0.75)
    True
    """
    if abs(len(earlier) - len(key)) > (1 - similarity) * max(len(earlier), len(key)):
        return False
    # An upper bound first, in C: the ratio counts words matched in blocks, at most the
    # longest common subsequence that Indel's similarity counts (a hash collision of two
    # words only raises the bound). Paragraphs of the same words in another order fail here.
    from rapidfuzz.distance import Indel  # imported at the first comparison: 30 ms of start-up otherwise

    if Indel.normalized_similarity(earlier, key) < similarity - 1e-9:
        return False
    matcher = difflib.SequenceMatcher(None, earlier, key, autojunk=False)
    return matcher.ratio() >= similarity


class _Entry(NamedTuple):
    """A paragraph in the index: its words, its numbered words and shingles, its shingle count.

    Lists, not sets: the query's sets meet them in C (``frozenset.intersection``), and a
    list takes a fifth of a set's memory, which counts at a hundred thousand paragraphs.
    """

    key: WordKey
    words: list[Element]
    ordered: list[Element]
    shingles: int


class ParagraphIndex:
    """The paragraphs seen so far, indexed to find the first one a new paragraph repeats.

    ``keys`` are all the word keys that will be asked about (their shingle frequencies
    fix the rarity order of the prefix filter); ``similarity`` below 1 finds near copies.

    Why it finds every near copy: a ratio of ``s`` means ``m >= s (a + b) / 2`` words
    matched in blocks; the blocks are separated by unmatched words, so the two share at
    least ``3m - a - b - 1`` word pairs (for ``s > 2/3``; else single words, at least
    ``m``). Two sets that share ``t`` elements share one among each one's ``n - t + 1``
    rarest, and the first one they share (met first when going through the rarest)
    sits where enough elements remain on both sides (PPJoin's positional filter). Then
    the words shared (``SequenceMatcher.quick_ratio``, as one set intersection), the
    word pairs shared (the bound above, which paragraphs of the same words shuffled
    fail), and only then the ratio itself, in paragraph order: the answer the all-pairs search
    gives.

    >>> index = ParagraphIndex([("a", "b"), ("c", "d"), ("a", "b")], 1.0)
    >>> index.add(("a", "b"), 0); index.add(("c", "d"), 1)
    >>> index.earlier_copy(("a", "b")), index.earlier_copy(("b", "a"))
    (0, None)
    """

    def __init__(self, keys: Iterable[WordKey], similarity: float) -> None:
        self.similarity = similarity
        self._width = 2 if similarity > 2 / 3 else 1
        self._first: dict[WordKey, int] = {}
        self._added: dict[int, _Entry] = {}
        #: Per shingle: the paragraphs with it in their prefix, each with the number of its
        #: shingles from there on and its word count (what the positional filter needs).
        self._postings: dict[Element, list[tuple[int, int, int]]] = {}
        #: Paragraphs too short for the prefix filter: always compared.
        self._unindexed: list[int] = []
        #: Per word key: its shingles rarest first, and its numbered words (computed once).
        self._keyed: dict[WordKey, tuple[list[Element], list[Element]]] = {}
        self._frequency: Counter[Element] = Counter()
        #: Word ids: a word's id is the number of distinct words seen before it.
        self._ids: dict[str, int] = {}
        if similarity < 1.0:
            shingled: dict[WordKey, tuple[list[Element], list[int]]] = {}
            for key in keys:  # a repeated key counts each time, as every occurrence is asked about
                found = shingled.get(key)
                if found is None:
                    ids = self._word_ids(key)
                    found = shingled[key] = (self._shingles(ids), ids)
                self._frequency.update(found[0])
            frequency = self._frequency
            # The rarity order once over the distinct shingles, then each key sorted by rank
            # in C: the same order as sorting every key by (frequency, shingle).
            rank = {element: position for position, element in enumerate(sorted(frequency, key=lambda e: (frequency[e], e)))}
            for key, (shingles, ids) in shingled.items():
                self._keyed[key] = (sorted(shingles, key=rank.__getitem__), _numbered(ids))

    def _word_ids(self, key: WordKey) -> list[int]:
        """Return the ids of the words of ``key``, giving new words the next ids."""
        ids = self._ids
        return [ids.setdefault(word, len(ids)) for word in key]

    def _shingles(self, ids: list[int]) -> list[Element]:
        """Return the numbered words (or word pairs) of the word ids ``ids``."""
        return _numbered(ids if self._width == 1 else [first << _BITS | second for first, second in zip(ids, ids[1:])])

    def _prepared(self, key: WordKey) -> tuple[list[Element], list[Element]]:
        """Return the shingles of ``key`` rarest first and its numbered words."""
        found = self._keyed.get(key)
        if found is None:  # a key not given to the constructor: its shingles count as unseen
            ids = self._word_ids(key)
            found = self._keyed[key] = (sorted(self._shingles(ids), key=lambda e: (self._frequency[e], e)), _numbered(ids))
        return found

    def _needed(self, size: int, other: int) -> int:
        """Return how many shingles paragraphs of ``size`` and ``other`` words must share.

        One less than the bound, against rounding: a looser bound only lets more pairs
        through to the exact test.
        """
        matched = math.ceil(self.similarity * (size + other) / 2)
        shared = matched if self._width == 1 else 3 * matched - size - other - 1
        return shared - 1

    def _prefix_length(self, size: int) -> int:
        """Return how many of the rarest shingles any near copy shares one of (0: no bound)."""
        shortest = math.floor(self.similarity * size / (2 - self.similarity))
        needed = self._needed(size, shortest)
        shingles = size - self._width + 1
        return shingles - needed + 1 if 1 <= needed <= shingles else 0

    def add(self, key: WordKey, index: int) -> None:
        """Remember paragraph ``index`` (a first occurrence) under its word key."""
        self._first.setdefault(key, index)
        if self.similarity >= 1.0 or not key:
            return
        ordered, words = self._prepared(key)
        self._added[index] = _Entry(key, words, ordered, len(key) - self._width + 1)
        prefix = self._prefix_length(len(key))
        if not prefix:
            self._unindexed.append(index)
        shingles = len(key) - self._width + 1
        for position, element in enumerate(ordered[:prefix]):
            self._postings.setdefault(element, []).append((index, shingles - position, len(key)))

    def earlier_copy(self, key: WordKey) -> int | None:
        """Return the index of the first paragraph added that ``key`` repeats, if any."""
        if key in self._first:
            return self._first[key]
        if self.similarity >= 1.0 or not key:
            return None
        size, shingles = len(key), len(key) - self._width + 1
        ordered, words = self._prepared(key)
        prefix = self._prefix_length(size)
        if self.similarity <= 0.0 or not prefix:  # no bound: compare with every paragraph
            candidates = set(self._added)
        else:
            candidates = set(self._unindexed)
            met: set[int] = set()
            #: Per word count of another paragraph: the shingles the two must share, or
            #: more than any can when their lengths alone rule a near copy out.
            needed: dict[int, int] = {}
            for position, element in enumerate(ordered[:prefix]):
                remaining = shingles - position
                for index, other_remaining, other_size in self._postings.get(element, ()):
                    if index in met:
                        continue
                    met.add(index)
                    need = needed.get(other_size)
                    if need is None:
                        too_far = abs(other_size - size) > (1 - self.similarity) * max(other_size, size)
                        need = needed[other_size] = shingles + 1 if too_far else self._needed(size, other_size)
                    if min(remaining, other_remaining) >= need:
                        candidates.add(index)
        word_set, shingle_set = frozenset(words), frozenset(ordered)
        for index in sorted(candidates):
            entry = self._added[index]
            if (
                len(word_set.intersection(entry.words)) >= math.ceil(self.similarity * (size + len(entry.key)) / 2) - 1
                and len(shingle_set.intersection(entry.ordered)) >= self._needed(size, len(entry.key))
                and is_similar(entry.key, key, self.similarity)
            ):
                return index
        return None
