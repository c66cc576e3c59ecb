"""Find the earlier paragraph a paragraph repeats, exactly or nearly, without all pairs.

The structure stage asks, for each paragraph in turn, "which earlier paragraph does
this one repeat?". Comparing it with every earlier one is quadratic (4,000 paragraphs:
200 s). :class:`ParagraphIndex` answers with an inverted index and the prefix filter of
similarity joins: two word sequences whose ``SequenceMatcher`` ratio reaches ``s``
share at least ``s * n / (2 - s)`` of the ``n`` words of either one, so each must share
a word with the other's rarest ``n - that + 1`` words. Only paragraphs found that way are
compared, in their order, with the same tests as before, so the answer is the same.
Most documents have no near copy at all: a count of the word runs (shingles: pairs or
triples, :func:`_width`) each paragraph shares with any other rules almost all of them
out before any index is built.
"""

from __future__ import annotations

import difflib
import functools
import math
from collections import Counter, deque
from collections.abc import Callable, Hashable, Iterable, Iterator
from operator import itemgetter
from typing import NamedTuple

WordKey = tuple[str, ...]
#: A word or shingle with its occurrence number, so that sequences compare as sets,
#: packed in one integer (word ids and the number in 32 bits each): cheaper to hash,
#: sort and keep than nested tuples of strings.
Element = int
_BITS = 32
#: What a document may spend looking for near copies, per distinct paragraph on average
#: (index entries looked at plus paragraphs compared): ordinary text spends less than
#: one (a 10 MB document of shuffled paragraphs: 3.6), while paragraphs of a tiny
#: vocabulary all meet each other, a cost quadratic in their number (8,000 of them: 1,242).
WORK_PER_PARAGRAPH = 100
#: And a flat allowance on top, so that no short document's search is ever cut short.
WORK_ALLOWANCE = 100_000
#: The most shingles a document's near-copy filter counts exactly, in sets (a few MB at
#: most: a flat allowance); a larger document's are counted in a byte array.
EXACT_SHINGLES = 1 << 16
#: A shingle slot's count after one more shingle is put in it: 0 -> 1 -> 2, and 2 stays.
_COUNTED = b"\x01\x02\x02"


def _numbered(items: list[int]) -> list[Element]:
    """Number each item's occurrences: ``a b a`` -> ``(a, 0) (b, 0) (a, 1)``, packed."""
    if len(set(items)) == len(items):  # the common case for shingles: all first occurrences
        return [item << _BITS for item in items]
    seen: dict[int, int] = {}
    numbered = []
    for item in items:
        count = seen.get(item, 0)
        seen[item] = count + 1
        numbered.append(item << _BITS | count)
    return numbered


def lengths_allow(size: int, other: int, similarity: float) -> bool:
    """Tell whether paragraphs of ``size`` and ``other`` words can be near copies by their lengths alone.

    >>> lengths_allow(16, 15, 0.9), lengths_allow(16, 14, 0.9)
    (True, False)
    """
    return abs(size - other) <= (1 - similarity) * max(size, other)


def is_similar(earlier: WordKey, key: WordKey, similarity: float) -> bool:
    """Tell whether ``key`` repeats ``earlier`` at ``similarity`` (``SequenceMatcher`` ratio).

    >>> is_similar(("a", "b", "c", "d"), ("a", "b", "c", "e"), 0.75)
    True
    """
    if not lengths_allow(len(earlier), len(key), similarity):
        return False
    # An upper bound first, in C: the ratio counts words matched in blocks, at most the
    # longest common subsequence that Indel's similarity counts (a hash collision of two
    # words only raises the bound). Paragraphs of the same words in another order fail here.
    from rapidfuzz.distance import Indel  # imported at the first comparison: 30 ms of start-up otherwise

    if Indel.normalized_similarity(earlier, key) < similarity - 1e-9:
        return False
    matcher = difflib.SequenceMatcher(None, earlier, key, autojunk=False)
    return matcher.ratio() >= similarity


def _width(similarity: float) -> int:
    """Return the words per shingle: triples from a ratio of 0.9, pairs above 2/3, where their bounds are positive.

    Longer shingles are rarer, so fewer paragraphs meet by chance: paragraphs of one
    vocabulary in other orders share many word pairs but few triples (a 10 MB document
    of shuffled paragraphs: 8x fewer comparisons per paragraph). Triples only from 0.9:
    their bound is positive above 4/5 but leaves little margin there.
    """
    return 3 if similarity >= 0.9 else 2 if similarity > 2 / 3 else 1


def _shingles(items: list[int], width: int) -> list[int]:
    """Return the runs of ``width`` consecutive word ids, each packed in one integer.

    >>> _shingles([1, 2, 3], 2) == [1 << 32 | 2, 2 << 32 | 3]
    True
    """
    packed = items[: len(items) - width + 1]
    for start in range(1, width):  # one word more on the right of every run, in one comprehension
        packed = [run << _BITS | item for run, item in zip(packed, items[start:], strict=False)]
    return packed


def _needed(similarity: float, size: int, other: int, width: int) -> int:
    """Return how many shingles of ``width`` words paragraphs of ``size`` and ``other`` words must share.

    The shingles inside the blocks matched: ``m`` words matched in ``k`` blocks hold
    ``m - (width - 1) k`` of them, and ``k <= size + other - 2m + 1`` (an unmatched word
    separates two blocks), so at least ``(2 width - 1) m - (width - 1) (size + other + 1)``
    (the words matched for single words; above 0 for pairs only above a ratio of 2/3,
    for triples above 4/5). One less than the bound, against rounding: a looser bound
    only lets more pairs through to the exact test.

    >>> _needed(0.9, 40, 40, 1), _needed(0.9, 40, 40, 2), _needed(0.9, 40, 40, 3)
    (35, 26, 17)
    """
    matched = math.ceil(similarity * (size + other) / 2)
    shared = (2 * width - 1) * matched - (width - 1) * (size + other + 1)
    return shared - 1


@functools.lru_cache(maxsize=4096)
def _least_shared(similarity: float, size: int, width: int) -> int:
    """Return the fewest shingles of ``width`` words a paragraph of ``size`` words shares with any near copy.

    The least :func:`_needed` over every length :func:`lengths_allow`
    lets a partner have (``similarity`` above 0), not its value at the shortest: the words
    matched are rounded up, so the bound dips as the partner grows. Cached: documents
    repeat paragraph lengths.

    >>> [_needed(0.9, 16, other, 2) for other in (15, 16, 17)], _least_shared(0.9, 16, 2)
    ([9, 11, 10], 9)
    >>> [_needed(0.9, 15, other, 2) for other in (14, 15, 16)], _least_shared(0.9, 15, 2)
    ([11, 10, 9], 9)
    """
    lengths = range(max(math.floor(similarity * size) - 1, 0), math.ceil(size / similarity) + 2)
    return min(_needed(similarity, size, other, width) for other in lengths if lengths_allow(size, other, similarity))


def _runs(key: WordKey, width: int) -> Iterator[Hashable]:
    """Yield what stands for each run of ``width`` words of ``key``: its hash, or the word itself when ``width`` is 1."""
    return map(hash, zip(*(key[start:] for start in range(width)))) if width > 1 else iter(key)


def _unshared_counter(keys: list[WordKey], width: int) -> Callable[[WordKey], int]:
    """Return a count, for each of ``keys``, of its distinct shingles no other of ``keys`` has, or fewer, never more.

    Single words, and up to :data:`EXACT_SHINGLES` shingles, are counted exactly, in
    sets of their hashes (of the interned words themselves, for single words): two runs
    of one hash only count as shared, so a collision lets a key through, never rules
    one out. A set takes about 80 bytes a shingle, ten times a large document's size,
    so above that each shingle is counted in a slot of a byte array, by its hash: 0,
    then 1 for the first shingle put there, then 2 for any more. A slot of 1 holds one
    occurrence of one shingle, which then occurs in no other key (nor again in its own);
    anything sharing a slot only looks shared, so again a collision lets a key through.
    The array has sixteen slots per shingle, a byte each (a fifth of a set's memory): at
    most about one unshared shingle in sixteen looks shared. With four, a 2 MB document
    let half as many keys again through to the index, whose memory then outgrew the
    array's saving; with eight, a fifth more. Either way the shingles are made twice,
    once to count and once to test, rather than kept for every paragraph at once.
    """
    total = sum(max(len(key) - width + 1, 0) for key in keys)
    if width == 1 or total <= EXACT_SHINGLES:  # distinct words are few (a vocabulary) at any size
        seen: set[Hashable] = set()
        shared: set[Hashable] = set()  # the shingles of more than one distinct key
        for key in keys:
            shingles = frozenset(_runs(key, width))
            shared.update(seen.intersection(shingles))
            seen.update(shingles)
        seen.clear()  # freed before the second pass
        return lambda key: len(frozenset(_runs(key, width)).difference(shared))
    slots = 16 * total
    counts = bytearray(slots)

    def slots_of(key: WordKey) -> Iterator[int]:
        return map(slots.__rmod__, map(hash, _runs(key, width)))  # hash % slots

    for key in keys:
        mine = list(slots_of(key))
        deque(map(counts.__setitem__, mine, map(_COUNTED.__getitem__, map(counts.__getitem__, mine))), maxlen=0)
    return lambda key: bytes(map(counts.__getitem__, slots_of(key))).count(1)


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

    ``keys`` are all the word keys that will be added or asked about (their shingles fix
    which paragraphs can have a near copy at all, and the rarity order of the prefix
    filter); ``similarity`` below 1 finds near copies.

    Why it finds every near copy: a ratio of ``s`` means ``m >= s (a + b) / 2`` words
    matched in blocks; the blocks are separated by unmatched words, so the two share at
    least :func:`_needed` shingles (``3m - a - b - 1`` word pairs, ``5m - 2(a + b + 1)``
    triples; single words: ``m``). Two sets that share ``t`` elements share one among
    each one's ``n - t + 1`` rarest, and the first one they share (met first when going
    through the rarest) sits where enough elements remain on both sides (PPJoin's
    positional filter). Then the words shared (``SequenceMatcher.quick_ratio``, as one
    set intersection), the shingles shared (the bound above, which paragraphs of the
    same words shuffled fail), and only then the ratio itself, in paragraph order: the
    answer the all-pairs search gives.

    The search is bounded (:data:`WORK_PER_PARAGRAPH`, :data:`WORK_ALLOWANCE`), so it stays linear in the
    document: once that is spent, :attr:`stopped` is set and only exact repeats are
    found from there on (the caller says so in a finding).

    >>> index = ParagraphIndex([("a", "b"), ("c", "d"), ("a", "b")], 1.0)
    >>> index.add(("a", "b"), 0); index.add(("c", "d"), 1)
    >>> index.earlier_copy(("a", "b")), index.earlier_copy(("b", "a"))
    (0, None)
    """

    def __init__(self, keys: Iterable[WordKey], similarity: float) -> None:
        self.similarity = similarity
        self._width = _width(similarity)
        self._first: dict[WordKey, int] = {}
        self._added: dict[int, _Entry] = {}
        #: Per shingle: the paragraphs with it in their prefix, each with the number of its
        #: shingles from there on and its word count (what the positional filter needs).
        self._postings: dict[Element, list[tuple[int, int, int]]] = {}
        #: Paragraphs too short for the prefix filter: always compared.
        self._unindexed: list[int] = []
        #: Per word key given: its shingles rarest first and its numbered words, or None
        #: when it can neither be nor have a near copy (it is then never indexed).
        self._keyed: dict[WordKey, tuple[list[Element], list[Element]] | None] = {}
        #: Whether the near-copy search ran out of its bound (exact repeats are still found).
        self.stopped = False
        self._work_left = 0
        if similarity < 1.0:
            self._keyed = dict.fromkeys(keys)
            self._work_left = WORK_ALLOWANCE + WORK_PER_PARAGRAPH * len(self._keyed)
            self._prepare(self._near_copy_candidates(list(self._keyed)))

    def _near_copy_candidates(self, keys: list[WordKey]) -> list[WordKey]:
        """Return the distinct ``keys`` that may be, or have, a near copy among the others.

        Paragraphs that share too few words with the others are ruled out first (a set of
        words is cheaper than one of shingles), then, among the rest, those that share
        too few shingles: the two paragraphs of a near copy pass both, whatever else
        passes. See :meth:`_sharing` for why no near copy is lost.
        """
        if self.similarity <= 0.0:
            return keys
        for width in sorted({1, self._width}):
            keys = self._sharing(keys, width)
        return keys

    def _sharing(self, keys: list[WordKey], width: int) -> list[WordKey]:
        """Return the ``keys`` whose shingles of ``width`` words other keys may share enough of.

        Why no near copy is lost: the paragraphs of a pair found share at least
        :func:`_least_shared` shingles, counted with their occurrence numbers (the final
        tests ask :func:`_needed` of them, and that is the least over every length the
        partner can have), and each such shingle occurs in both. A paragraph's
        shingles minus its distinct ones that occur in no other distinct key bound what
        it shares with any one of them. Identical keys need no near search (an exact
        repeat is found by its key; a later copy of a removed paragraph meets what
        removed it through that one's distinct key), so distinct keys are counted once.
        A bound of 0 or less rules nothing out. Everything here runs in C, a few look-ups
        a word (:func:`_unshared_counter`).
        """
        count = _unshared_counter(keys, width)
        return [key for key in keys if (least := _least_shared(self.similarity, len(key), width)) <= 0 or len(key) - width + 1 - count(key) >= least]

    def _prepare(self, keys: list[WordKey]) -> None:
        """Number the shingles and words of ``keys`` and sort each one's shingles rarest first.

        Rarity counts over these keys only: any fixed order of the shingles makes the
        prefix filter complete. Ranked once over the distinct shingles, sorting pairs of
        (frequency, shingle) in C, then each key sorted by rank: the same order as sorting
        every key by (frequency, shingle).
        """
        if not keys:
            return
        ids: dict[str, int] = {}  # a word's id is the number of distinct words seen before it
        numbered = []
        frequency: Counter[Element] = Counter()
        for key in keys:
            word_ids = [ids.setdefault(word, len(ids)) for word in key]
            shingles = _numbered(_shingles(word_ids, self._width))
            frequency.update(shingles)
            numbered.append((key, shingles, word_ids))
        ranked = sorted(zip(frequency.values(), frequency))
        rank = dict(zip(map(itemgetter(1), ranked), range(len(ranked))))
        for key, shingles, word_ids in numbered:
            self._keyed[key] = (sorted(shingles, key=rank.__getitem__), _numbered(word_ids))

    def _prefix_length(self, size: int) -> int:
        """Return how many of the rarest shingles any near copy shares one of (0: no bound)."""
        needed = _least_shared(self.similarity, size, self._width) if self.similarity > 0.0 else 0
        shingles = size - self._width + 1
        return shingles - needed + 1 if 1 <= needed <= shingles else 0

    def add(self, key: WordKey, index: int) -> None:
        """Remember paragraph ``index`` (a first occurrence) under its word key."""
        self._first.setdefault(key, index)
        if self.similarity >= 1.0 or not key or (prepared := self._keyed[key]) is None:
            return
        ordered, words = prepared
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
        if self.similarity >= 1.0 or not key or self.stopped or (prepared := self._keyed[key]) is None:
            return None
        size, shingles = len(key), len(key) - self._width + 1
        ordered, words = prepared
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
                postings = self._postings.get(element, ())
                self._work_left -= len(postings)
                for index, other_remaining, other_size in postings:
                    if index in met:
                        continue
                    met.add(index)
                    need = needed.get(other_size)
                    if need is None:
                        need = needed[other_size] = shingles + 1 if not lengths_allow(size, other_size, self.similarity) else _needed(self.similarity, size, other_size, self._width)
                    if min(remaining, other_remaining) >= need:
                        candidates.add(index)
        self._work_left -= len(candidates)
        if self._work_left < 0:
            self.stopped = True
            return None
        word_set, shingle_set = frozenset(words), frozenset(ordered)
        for index in sorted(candidates):
            entry = self._added[index]
            if (
                len(word_set.intersection(entry.words)) >= _needed(self.similarity, size, len(entry.key), 1)
                and len(shingle_set.intersection(entry.ordered)) >= _needed(self.similarity, size, len(entry.key), self._width)
                and is_similar(entry.key, key, self.similarity)
            ):
                return index
        return None
