"""The memo for pure functions of a text: short texts remembered, long ones never kept."""

from __future__ import annotations

import gc
import weakref

from cleaner.memo import remembered_for_short_texts


class _Text(str):
    """A str that can be watched for being freed."""


def test_a_long_text_is_computed_each_time_and_not_kept() -> None:
    calls: list[str] = []
    memo = remembered_for_short_texts(lambda text, n: calls.append(str(text)) or len(text) * n, max_length=5, maxsize=4)
    long = _Text("a long text")
    watch = weakref.ref(long)
    assert [memo("abc", 2), memo("abc", 2), memo(long, 1), memo(long, 1)] == [6, 6, 11, 11]
    assert calls == ["abc", "a long text", "a long text"]
    del long
    gc.collect()
    assert watch() is None  # nothing holds the long text


def test_short_texts_are_remembered_up_to_maxsize_and_can_be_forgotten() -> None:
    calls: list[str] = []
    memo = remembered_for_short_texts(lambda text: calls.append(text) or text.upper(), max_length=10, maxsize=2)
    for text in ("a", "b", "a", "c", "a"):
        memo(text)
    assert calls == ["a", "b", "c"]  # "a" stayed: used again before "c" came
    memo.cache_clear()
    memo("a")
    assert calls == ["a", "b", "c", "a"]
