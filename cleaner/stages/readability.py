"""Readability: textstat metrics of a text, before and after cleaning. Never edits.

textstat is pinned to 0.7.3, the last release that counts syllables with pyphen's
bundled hyphenation dictionaries only; 0.7.4 and later look up the CMU pronouncing
dictionary through NLTK, which downloads it on first use and fails offline. A test
runs these metrics with the network blocked.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import lru_cache

from textstat.textstat import textstatistics


class _WordCachedTextstat(textstatistics):  # type: ignore[misc]
    """textstat with word-level results remembered across texts.

    Every metric recounts the syllables of every word, and textstat's own caches
    hold 128 entries; counting each distinct word once is most of the stage's time
    on a large corpus. The results are textstat's own, unchanged.
    """

    def syllable_count(self, text: str, lang: str | None = None) -> int:
        """textstat 0.7.3's count (pyphen positions + 1 per word), one look-up per distinct word."""
        if not any(c.isspace() for c in text):
            return self._token_syllables(text)  # textstat asks word by word for most metrics
        return sum(map(self._token_syllables, text.split()))

    @lru_cache(maxsize=100_000)  # noqa: B019 - one instance for the process's lifetime
    def _token_syllables(self, token: str) -> int:
        return sum(len(self.pyphen.positions(word)) + 1 for word in self.remove_punctuation(token.lower()).split())

    @lru_cache(maxsize=100_000)  # noqa: B019
    def is_difficult_word(self, word: str, syllable_threshold: int = 2) -> bool:
        return bool(super().is_difficult_word(word, syllable_threshold))


_TEXTSTAT = _WordCachedTextstat()

METRICS: tuple[tuple[str, Callable[[str], float]], ...] = (
    ("flesch_reading_ease", _TEXTSTAT.flesch_reading_ease),
    ("flesch_kincaid_grade", _TEXTSTAT.flesch_kincaid_grade),
    ("gunning_fog", _TEXTSTAT.gunning_fog),
    ("smog_index", _TEXTSTAT.smog_index),
    ("coleman_liau_index", _TEXTSTAT.coleman_liau_index),
    ("dale_chall", _TEXTSTAT.dale_chall_readability_score),
    ("sentences", _TEXTSTAT.sentence_count),
    ("words", _TEXTSTAT.lexicon_count),
)


def score(text: str) -> dict[str, float]:
    """Return every metric of :data:`METRICS` for ``text`` (zeros for a text without words)."""
    if not any(ch.isalpha() for ch in text):
        return {name: 0.0 for name, _ in METRICS}
    return {name: round(float(metric(text)), 2) for name, metric in METRICS}
