"""Word and bigram counts in a compact table that loads in milliseconds.

symspellpy's frequency lists (82,765 words, 243,342 bigrams) take about 0.6 s to parse
into dictionaries, paid by every process before its first document. Instead, the
first process to need a list parses it once and stores a :class:`CountTable` in the
user's cache folder: the 64-bit BLAKE2b hashes of the keys, sorted, and their counts,
as two flat arrays. Later processes (and every worker of ``--jobs``) read the arrays
back in one go, check them against the digest written beside them, and look keys up
by binary search, keeping what they looked up in a bounded memo so repeated words cost
one dictionary look-up.

The stored table is treated as hostile: it is read only when it is a regular file of
the expected size whose digest and source description (path, size and modification
time of the list it was built from) match; anything else is rebuilt from the list, and
a cache folder that cannot be written only means the table is built in memory.

Two different keys with the same 64-bit hash would share a count; among the lists'
326,000 keys there is no such pair (checked when a table is built), and for any other
key the chance is about one in 10^14.
"""

from __future__ import annotations

import hashlib
import json
import sys
from array import array
from bisect import bisect_left
from collections.abc import Iterable
from pathlib import Path
from typing import Protocol

from cleaner.fileio import read_bounded, store_quietly

#: The first line of a stored table; a change of format changes it.
_MAGIC = b"cleaner.counts/3\n"
#: The most frequent keys are also kept by name, so that "every word counted more than
#: N times" needs no look-up per word (:meth:`CountTable.keys_above`).
FREQUENT_KEYS = 1_024
#: The largest stored table read back (the lists' tables take 5 MB).
_MAX_STORED = 64 * 1024 * 1024
#: Beyond this many remembered keys the memo starts again, so memory stays flat over a corpus.
MEMO_LIMIT = 500_000


class Counts(Protocol):
    """What the spin statistics need of a count list: a count by key and membership."""

    def get(self, key: str, default: int, /) -> int: ...

    def __contains__(self, key: object, /) -> bool: ...


def key_hash(key: str) -> int:
    """Return the 64-bit hash a table files ``key`` under (the same in every process).

    >>> key_hash("the") == key_hash("the") != key_hash("The")
    True
    """
    return int.from_bytes(hashlib.blake2b(key.encode("utf-8", "surrogatepass"), digest_size=8).digest(), "little")


class CountTable:
    """Counts by key: sorted key hashes and their counts, searched by bisection.

    >>> table = CountTable.from_pairs([("the", 50), ("bank", 10)])
    >>> table.get("bank", 0), table.get("river", 0), "the" in table, "river" in table
    (10, 0, True, False)
    >>> table.total, table.smallest, len(table)
    (60, 10, 2)
    """

    __slots__ = ("_counts", "_frequent", "_hashes", "_memo", "smallest", "total")

    def __init__(self, hashes: array[int], counts: array[int], frequent: tuple[tuple[str, int], ...] = (), *, extremes: tuple[int, int] | None = None) -> None:
        self._hashes = hashes
        self._counts = counts
        self._memo: dict[str, int] = {}
        #: The most frequent keys with their counts, most frequent first.
        self._frequent = frequent
        #: The sum of all counts and the smallest one (what the scorer's model needs): given
        #: by a stored table's header (:meth:`from_bytes`), since counting them again over
        #: half a million counts was a twentieth of a run's start-up.
        self.total, self.smallest = extremes if extremes is not None else (sum(counts), min(counts) if counts else 0)

    @classmethod
    def from_pairs(cls, pairs: Iterable[tuple[str, int]]) -> CountTable:
        """Build a table from (key, count) pairs; a repeated key keeps its last count, like a dict."""
        by_hash: dict[int, tuple[str, int]] = {}
        for key, count in pairs:
            hashed = key_hash(key)
            earlier = by_hash.get(hashed)
            if earlier is not None and earlier[0] != key:
                raise ValueError(f"the keys {earlier[0]!r} and {key!r} share a hash")
            by_hash[hashed] = (key, count)
        ordered = sorted(by_hash)
        frequent = tuple(sorted(by_hash.values(), key=lambda pair: (-pair[1], pair[0]))[:FREQUENT_KEYS])
        return cls(array("Q", ordered), array("Q", (by_hash[h][1] for h in ordered)), frequent)

    def __len__(self) -> int:
        return len(self._hashes)

    def get(self, key: str, default: int, /) -> int:
        """Return the count of ``key``, or ``default`` when it is not listed."""
        memo = self._memo
        count = memo.get(key)
        if count is None:
            hashed = key_hash(key)
            index = bisect_left(self._hashes, hashed)
            count = self._counts[index] if index < len(self._hashes) and self._hashes[index] == hashed else 0
            if len(memo) >= MEMO_LIMIT:
                memo.clear()
            memo[key] = count
        return count or default

    def __contains__(self, key: object, /) -> bool:
        if not isinstance(key, str):
            return False
        count = self._memo.get(key)  # the usual answer, without the call to get
        return (count if count is not None else self.get(key, 0)) > 0

    def keys_above(self, threshold: int) -> frozenset[str] | None:
        """Return every key counted more than ``threshold`` times, or ``None`` if they are not all kept by name.

        >>> CountTable.from_pairs([("the", 50), ("bank", 10)]).keys_above(20)
        frozenset({'the'})
        """
        complete = len(self._frequent) == len(self) or (self._frequent and self._frequent[-1][1] <= threshold)
        return frozenset(key for key, count in self._frequent if count > threshold) if complete else None

    def to_bytes(self, source: str) -> bytes:
        """Serialise the table, with a header naming ``source`` and the payload's digest."""
        payload = self._native(self._hashes).tobytes() + self._native(self._counts).tobytes()
        header = {
            "source": source,
            "size": len(self),
            "total": self.total,
            "smallest": self.smallest,
            "digest": _digest(payload, self.total, self.smallest),
            "frequent": [list(pair) for pair in self._frequent],
        }
        return _MAGIC + json.dumps(header, sort_keys=True).encode() + b"\n" + payload

    @classmethod
    def from_bytes(cls, data: bytes, source: str) -> CountTable | None:
        """Read a table :meth:`to_bytes` wrote for ``source``; ``None`` if it is anything else."""
        if not data.startswith(_MAGIC):
            return None
        header_line, newline, payload = data[len(_MAGIC) :].partition(b"\n")
        try:
            header = json.loads(header_line)
        except ValueError:
            return None
        if not newline or not isinstance(header, dict) or header.get("source") != source:
            return None
        size = header.get("size")
        total, smallest = header.get("total"), header.get("smallest")
        if not isinstance(size, int) or size < 0 or len(payload) != 16 * size or type(total) is not int or type(smallest) is not int or not 0 <= smallest <= total:
            return None
        if _digest(payload, total, smallest) != header.get("digest"):
            return None
        hashes, counts = array("Q"), array("Q")
        hashes.frombytes(payload[: 8 * size])
        counts.frombytes(payload[8 * size :])
        frequent = _frequent_pairs(header.get("frequent"), size)
        if frequent is None:
            return None
        table = cls(cls._native(hashes), cls._native(counts), frequent, extremes=(total, smallest))
        # The keys kept by name must be the table's own, with its counts, most frequent first.
        if any(table.get(key, 0) != count for key, count in frequent) or any(a[1] < b[1] for a, b in zip(frequent, frequent[1:])):
            return None
        table._memo.clear()
        return table

    @staticmethod
    def _native(values: array[int]) -> array[int]:
        """Return ``values`` in little-endian order (stored tables are the same on every machine)."""
        if sys.byteorder == "little":
            return values
        swapped = array("Q", values)
        swapped.byteswap()
        return swapped


def _digest(payload: bytes, total: int, smallest: int) -> str:
    """Return the digest a stored table is checked by: of its hashes and counts, and of the sum and least of the counts."""
    digest = hashlib.blake2b(payload)
    digest.update(f" {total} {smallest}".encode())
    return digest.hexdigest()


def _frequent_pairs(value: object, size: int) -> tuple[tuple[str, int], ...] | None:
    """Read a stored header's frequent keys: at most ``size`` [key, positive count] pairs; ``None`` if malformed."""
    if not isinstance(value, list) or len(value) > min(size, FREQUENT_KEYS):
        return None
    pairs = []
    for item in value:
        if not (isinstance(item, list) and len(item) == 2 and isinstance(item[0], str) and type(item[1]) is int and item[1] > 0):
            return None
        pairs.append((item[0], item[1]))
    return tuple(pairs)


def read_frequency_list(path: Path) -> Iterable[tuple[str, int]]:
    """Yield the (key, count) pairs of a symspellpy list: the key (one or two words), a space, the count."""
    with path.open(encoding="utf-8") as handle:
        for line in handle:
            key, _, count = line.rstrip("\n").rpartition(" ")
            if key:
                yield key, int(count)


def load_table(path: Path, folder: Path | None) -> CountTable:
    """Return the table of the frequency list at ``path``, stored in ``folder`` after the first build.

    With ``folder`` ``None``, or a stored table that does not check out, or a folder that
    cannot be written, the list is parsed; only a missing or unreadable list is an error
    (``OSError``, for the caller to explain).
    """
    status = path.stat()
    source = f"{path.resolve()}:{status.st_size}:{status.st_mtime_ns}"
    # Named by its source and format too: two installations (a project's virtualenv and
    # pre-commit's, or two versions of cleaner) keep a table each instead of rebuilding
    # the other's at every run.
    named = hashlib.sha256(_MAGIC + source.encode("utf-8", "surrogateescape")).hexdigest()[:16]
    stored = folder / f"{path.stem}.{named}.counts" if folder is not None else None
    if stored is not None:
        table = _read_stored(stored, source)
        if table is not None:
            return table
    table = CountTable.from_pairs(read_frequency_list(path))
    if stored is not None:
        store_quietly(stored, table.to_bytes(source))
    return table


def _read_stored(stored: Path, source: str) -> CountTable | None:
    """Read a stored table if it is a regular file of a plausible size; ``None`` otherwise."""
    data = read_bounded(stored, _MAX_STORED)
    return CountTable.from_bytes(data, source) if data and len(data) <= _MAX_STORED else None
