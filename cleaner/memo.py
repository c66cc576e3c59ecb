"""Remembering what a pure function of a text gave, for short texts only.

Two stages ask again about what they saw: normalise about each line ftfy repaired,
spin about the text it scanned (readability keeps its words' syllables in a plain
dict, looked up a piece at a time). A cache keyed
by the text keeps that text alive, so one of unbounded size would hold a large
document (or a hostile one's endless token) for the rest of the run: only texts up to
a length are remembered, at most ``maxsize`` of them, and a longer one is computed
again each time it is asked about.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import lru_cache, wraps
from typing import Concatenate, Generic, ParamSpec, Protocol, TypeVar, cast

P = ParamSpec("P")
R = TypeVar("R", covariant=True)


class TextMemo(Protocol, Generic[P, R]):
    """A function of a text (then any other arguments) that remembers its short texts' results."""

    #: The longest text remembered (read at each call, so a test may lower it).
    max_length: int

    def __call__(self, text: str, /, *args: P.args, **kwargs: P.kwargs) -> R: ...

    def cache_clear(self) -> None: ...


def remembered_for_short_texts(function: Callable[Concatenate[str, P], R], *, max_length: int, maxsize: int) -> TextMemo[P, R]:
    """Return ``function`` remembering its last ``maxsize`` results for texts of at most ``max_length`` characters.

    >>> calls = []
    >>> count = remembered_for_short_texts(lambda text: calls.append(text) or len(text), max_length=3, maxsize=8)
    >>> [count(t) for t in ("ab", "ab", "long", "long")], calls
    ([2, 2, 4, 4], ['ab', 'long', 'long'])
    """
    remembered = lru_cache(maxsize=maxsize)(function)

    @wraps(function)
    def call(text: str, /, *args: P.args, **kwargs: P.kwargs) -> R:
        if len(text) <= memo.max_length:
            return remembered(text, *args, **kwargs)  # type: ignore[arg-type]  # (hashable: the callers pass texts, tuples and numbers)
        return function(text, *args, **kwargs)

    memo = cast("TextMemo[P, R]", call)
    memo.max_length = max_length
    memo.cache_clear = remembered.cache_clear  # type: ignore[method-assign]
    return memo
