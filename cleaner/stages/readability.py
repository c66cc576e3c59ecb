"""Readability: textstat metrics of a text, before and after cleaning. Never edits.

textstat is pinned to 0.7.3, the last release that counts syllables with pyphen's
bundled hyphenation dictionaries only; 0.7.4 and later look up the CMU pronouncing
dictionary through NLTK, which downloads it on first use and fails offline. A test
runs these metrics with the network blocked.
"""

from __future__ import annotations

from collections.abc import Callable

import textstat

METRICS: tuple[tuple[str, Callable[[str], float]], ...] = (
    ("flesch_reading_ease", textstat.flesch_reading_ease),
    ("flesch_kincaid_grade", textstat.flesch_kincaid_grade),
    ("gunning_fog", textstat.gunning_fog),
    ("smog_index", textstat.smog_index),
    ("coleman_liau_index", textstat.coleman_liau_index),
    ("dale_chall", textstat.dale_chall_readability_score),
    ("sentences", textstat.sentence_count),
    ("words", textstat.lexicon_count),
)


def score(text: str) -> dict[str, float]:
    """Return every metric of :data:`METRICS` for ``text`` (zeros for a text without words)."""
    if not any(ch.isalpha() for ch in text):
        return {name: 0.0 for name, _ in METRICS}
    return {name: round(float(metric(text)), 2) for name, metric in METRICS}
