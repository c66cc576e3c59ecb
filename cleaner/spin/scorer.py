"""Context scoring: how much better a candidate original fits its place than the spun words.

Spin statistics load lazily and once per process (:func:`default_scorer`): English word
and bigram counts from symspellpy's package data (82,765 words, 243,342 bigrams), kept
as compact tables (:mod:`cleaner.counts`), nothing fetched at run time.

Interface (the stage, ``cleaner eval`` and ``cleaner spin mine`` use only this):

- :meth:`Scorer.fit` ``(left, words, right) -> float``: log-probability of the words
  between their neighbours under a bigram model with back-off to word frequency;
- :meth:`Scorer.score` ``(text, tokens, candidate) -> Scored``: the candidate's
  ``margin``: its fit minus the spun words' fit, plus how much rarer the spun words
  are (weighted :data:`RARITY_WEIGHT`), plus the source's prior. At
  :data:`APPLY_AT` or more a repair, from :data:`REPORT_AT` a finding, below nothing.

Why a bigram model: measured on the development set (``benchmarks/spin_dev.py``), it
separates a spinner's pick from the original for the groups the sources propose; what
the statistics cannot tell apart is left to the source's prior and to the document's
consistency (a spinner swaps the same word the same way every time).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import NamedTuple

from cleaner.counts import Counts
from cleaner.lexicon import word_counts
from cleaner.spin.candidates import Candidate
from cleaner.spin.patterns import Tokens

#: Margin (natural log) at which a candidate is applied, and from which it is reported.
APPLY_AT = 0.0
REPORT_AT = -2.0
#: An unlisted bigram is rarer than the rarest listed one; it is also at most this
#: share of what the second word's own frequency would predict.
BACKOFF = 0.2
#: How much a word's own frequency counts in its fit (1: plain bigram model, 0: only
#: the fit to its neighbours). Measured on the development set (benchmarks/spin_dev.py).
FREQUENCY_WEIGHT = 1.0
#: Weight of the rarity of the spun words against the candidate's (log ratio of their
#: word frequencies): the original is usually the more common English. Measured with
#: held-out folds (benchmarks/spin_dev.py --calibrate).
RARITY_WEIGHT = 0.0
#: The frequency weight in the fit of an ordinary spun form and its candidates
#: (:attr:`Candidate.ordinary`): below 1, a word gains less from merely being common.
#: Measured with held-out folds (benchmarks/spin_dev.py --calibrate).
ORDINARY_FREQUENCY_WEIGHT = 1.0


class Scored(NamedTuple):
    """A candidate with its context evidence."""

    candidate: Candidate
    #: Fit of the candidate minus fit of the spun words, plus the weighted rarity and the source's prior.
    margin: float
    fit: float
    spun_fit: float
    #: Log frequency of the candidate's words minus the spun words' (no context).
    rarity: float = 0.0

    @property
    def context(self) -> float:
        """How much better the candidate fits its neighbours than the spun words (natural log)."""
        return self.fit - self.spun_fit


@dataclass(frozen=True, slots=True)
class Scorer:
    """A bigram language model over lower-case words."""

    unigrams: Counts
    bigrams: Counts
    total: float
    #: The smallest listed bigram count: any unlisted pair is rarer.
    listed_floor: float

    def probability(self, left: str | None, word: str) -> float:
        """Return P(word | left), or P(word) when there is no left word (log scale).

        >>> s = Scorer({"the": 50, "bank": 10, "rate": 5}, {"the bank": 8}, 100.0, 2.0)
        >>> round(s.probability("the", "bank"), 3), round(s.probability("the", "rate"), 3)
        (-1.833, -4.605)
        """
        own = self.unigrams.get(word, 0)
        if left is None:
            return math.log(max(own, 0.5) / self.total)
        context = max(self.unigrams.get(left, 0), 1)
        pair = self.bigrams.get(f"{left} {word}", 0)
        if pair:
            return math.log(min(1.0, pair / context))
        return math.log(min(self.listed_floor / context, BACKOFF * max(own, 0.5) / self.total, 1.0))

    def fit(self, left: str | None, words: Sequence[str], right: str | None, frequency_weight: float | None = None) -> float:
        """Log-probability of ``words`` after ``left`` and of ``right`` after them,
        each word's own frequency counted with weight ``frequency_weight`` (default
        :data:`FREQUENCY_WEIGHT`).

        At weight 1 this is the bigram model's log-probability; at 0 only how much
        better than chance each word fits its neighbours (pointwise mutual information),
        so a common word gains nothing from being common.
        """
        weight = FREQUENCY_WEIGHT if frequency_weight is None else frequency_weight
        score = 0.0
        previous = left
        for word in words:
            score += self.probability(previous, word) - (1.0 - weight) * self.probability(None, word)
            previous = word
        if right is not None:
            score += self.probability(previous, right)
        return score

    def score(self, text: str, tokens: Tokens, candidate: Candidate) -> Scored:
        """Score ``candidate`` against the spun words it would replace.

        The neighbours are the words right beside the span when only a space
        separates them (punctuation or a line break ends the context).

        An ordinary spun form (:attr:`Candidate.ordinary`, an everyday word with the
        original's sense) is fitted with :data:`ORDINARY_FREQUENCY_WEIGHT`: the plain
        bigram model prefers the more common word anywhere ("the decision of" over "the
        resolution of"), which says little when both are everyday words. With no
        neighbour on either side there is no context to judge by: the context counts 0.
        """
        if not candidate.contextual:
            return Scored(candidate, candidate.prior, 0.0, 0.0)
        left, right = neighbours(text, tokens, candidate.first, candidate.last)
        if candidate.ordinary and left is None and right is None:
            return Scored(candidate, candidate.prior, 0.0, 0.0)
        spun = tokens.lowers[candidate.first : candidate.last + 1]
        words = candidate.text.lower().split()
        weight = ORDINARY_FREQUENCY_WEIGHT if candidate.ordinary else None
        fit, spun_fit = self.fit(left, words, right, weight), self.fit(left, spun, right, weight)
        rarity = self.frequency(words) - self.frequency(spun)
        return Scored(candidate, fit - spun_fit + RARITY_WEIGHT * rarity + candidate.prior, fit, spun_fit, rarity)

    def frequency(self, words: Sequence[str]) -> float:
        """Return the log-probability of ``words`` as independent words (no context)."""
        return sum(self.probability(None, word) for word in words)


def neighbours(text: str, tokens: Tokens, first: int, last: int) -> tuple[str | None, str | None]:
    """Return the words right before token ``first`` and after ``last`` (``None`` past punctuation)."""
    lowers, starts, ends = tokens.lowers, tokens.starts, tokens.ends
    left = lowers[first - 1] if first > 0 and text[ends[first - 1] : starts[first]] == " " else None
    right = lowers[last + 1] if last + 1 < len(lowers) and text[ends[last] : starts[last + 1]] == " " else None
    return left, right


@lru_cache(maxsize=1)
def default_scorer() -> Scorer:
    """Load the word and bigram counts once per process, at first use."""
    unigrams, bigrams = word_counts()
    return Scorer(unigrams, bigrams, float(unigrams.total), float(bigrams.smallest))
