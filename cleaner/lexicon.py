"""Word knowledge for the spin fallback: a thesaurus and English word statistics.

A spinner swaps a word for one of its thesaurus synonyms. To undo a swap no rule
lists, the fallback needs (1) the words that share a meaning with the suspicious word
(WordNet's synonym sets, kept in ``rules/spin/thesaurus.tsv`` by
``tools/build_thesaurus.py``) and (2) how well each fits between its neighbours,
from English word and bigram counts (the frequency lists symspellpy ships as package
data). Both install from the package registries and load from disk; nothing is
fetched at run time.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from cleaner.counts import Counts, CountTable, load_table
from cleaner.errors import RulePackError
from cleaner.folders import cache_folder, package_folder

UNIGRAMS = "frequency_dictionary_en_82_765.txt"
BIGRAMS = "frequency_bigramdictionary_en_243_342.txt"

#: Inflections the fallback undoes and redoes: (suffix of the text word, ending the
#: dictionary form lost). "wars" -> "war" + "s"; "studied" -> "study" + "ied".
_INFLECTIONS: tuple[tuple[str, str], ...] = (
    ("ies", "y"),
    ("ied", "y"),
    ("es", ""),
    ("s", ""),
    ("ed", ""),
    ("ed", "e"),
    ("ing", ""),
    ("ing", "e"),
)


@dataclass(frozen=True, slots=True)
class Lexicon:
    """Synonyms and counts, with the context-fit score the fallback ranks by."""

    synonyms: Mapping[str, tuple[str, ...]]
    unigrams: Counts
    #: Bigram counts by "left right" (also the membership test for whole texts).
    bigrams: Counts
    #: Counts below the smallest listed bigram are unknown, not zero: half of it.
    bigram_floor: float
    #: Every word form that may have candidates (thesaurus words and their inflections),
    #: common words left out: the stage skips all other words with one set look-up each.
    forms: frozenset[str] = frozenset()
    #: Candidates already worked out, by word (the data never changes once loaded).
    _candidates: dict[str, tuple[str, ...]] = field(default_factory=dict, compare=False, repr=False)

    def count(self, word: str) -> int:
        """Return how often ``word`` occurs in the reference corpus (0 if unlisted)."""
        return self.unigrams.get(word, 0)

    def pair(self, left: str, right: str) -> int:
        """Return the count of the bigram ``left right`` (0 if unlisted)."""
        return self.bigrams.get(f"{left} {right}", 0)

    def candidates(self, word: str) -> tuple[str, ...]:
        """Return one-word synonyms of ``word`` in the same inflection, known words only.

        >>> lex = Lexicon({"war": ("warfare",), "fight": ("struggle",)}, {"wars": 5, "fights": 3}, {}, 1.0)
        >>> lex.candidates("war"), lex.candidates("struggles")
        (('warfare',), ())
        >>> Lexicon({"fight": ("struggle", "battle")}, {"struggles": 5, "battles": 4}, {}, 1.0).candidates("fights")
        ('struggles', 'battles')
        """
        cached = self._candidates.get(word)
        if cached is not None:
            return cached
        found: list[str] = [s for s in self.synonyms.get(word, ()) if " " not in s]
        for suffix, ending in _INFLECTIONS:
            if not word.endswith(suffix) or len(word) <= len(suffix) + 2:
                continue
            stem = word[: -len(suffix)] + ending
            for inflected in _inflections(self.synonyms.get(stem, ()), suffix, ending):
                if inflected != word and inflected in self.unigrams and inflected not in found:
                    found.append(inflected)
        self._candidates[word] = tuple(found)
        return self._candidates[word]

    def fit(self, left: str | None, word: str, right: str | None) -> float:
        """Log-score of ``word`` between its neighbours: log P(word | left) + log P(right | word).

        Counts of unlisted bigrams are taken as :attr:`bigram_floor`; a missing
        neighbour (start of a sentence, punctuation) adds nothing.
        """
        own = max(self.count(word), 1)
        score = 0.0
        if left is not None:
            score += math.log(max(self.pair(left, word), self.bigram_floor) / max(self.count(left), 1))
        if right is not None:
            score += math.log(min(1.0, max(self.pair(word, right), self.bigram_floor) / own))
        return score


def inflected_forms(words: Iterable[str]) -> frozenset[str]:
    """Return ``words`` with every inflection :meth:`Lexicon.candidates` undoes.

    >>> sorted(inflected_forms(["study"]))
    ['studied', 'studies', 'study', 'studyed', 'studying', 'studys']
    """
    listed = list(dict.fromkeys(words))
    forms = set(listed)
    for suffix, ending in _INFLECTIONS:
        forms.update(_inflections(listed, suffix, ending))
    return frozenset(forms)


def _inflections(words: Iterable[str], suffix: str, ending: str) -> list[str]:
    """Put each of ``words`` (dictionary forms) that takes it in the inflection ``suffix``/``ending`` describes.

    Words that do not take it are left out. One comprehension per inflection, as the
    lexicon inflects its 45,000 words at load.

    >>> _inflections(["study", "cry"], "ied", "y"), _inflections(["bake", "walk"], "ing", ""), _inflections(["box", "cat"], "es", "")
    (['studied', 'cried'], ['walking'], ['boxes'])
    """
    if ending:
        cut = len(ending)
        return [word[:-cut] + suffix for word in words if word.endswith(ending)]
    if suffix == "es":
        return [word + "es" for word in words if word.endswith(("s", "x", "z", "ch", "sh"))]
    if suffix in ("ed", "ing"):
        return [word + suffix for word in words if not word.endswith("e")]
    return [word + suffix for word in words]


def frequency_file(name: str) -> Path:
    """Return the path of one of symspellpy's frequency lists."""
    folder = package_folder("symspellpy")
    if folder is None:
        raise RulePackError("the spin fallback needs symspellpy's frequency lists: pip install symspellpy")
    return folder / name


def read_thesaurus(path: Path) -> dict[str, tuple[str, ...]]:
    """Read synonym sets (``pos<TAB>lemma|lemma|...``) into word -> synonyms."""
    synonyms: dict[str, list[str]] = {}
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except OSError as exc:
        raise RulePackError(f"{path}: cannot read the thesaurus: {exc.strerror}") from None
    for number, line in enumerate(lines, 1):
        if not line or line.startswith("#"):
            continue
        pos, sep, lemmas = line.partition("\t")
        if not sep or not lemmas:
            raise RulePackError(f"{path}:{number}: expected 'pos<TAB>lemma|lemma|...'")
        group = lemmas.split("|")
        for lemma in group:
            synonyms.setdefault(lemma, []).extend(group)
    # Keep first-seen order (synsets in WordNet's order), drop the word itself and repeats.
    return {word: _others(word, group) for word, group in synonyms.items()}


def _others(word: str, group: list[str]) -> tuple[str, ...]:
    """Return the words of ``group`` (which holds ``word``) but ``word``, each once, in first-seen order (in C: half the load's time otherwise)."""
    distinct = dict.fromkeys(group)
    del distinct[word]
    return tuple(distinct)


@lru_cache(maxsize=1)
def word_counts() -> tuple[CountTable, CountTable]:
    """Return the word and the bigram counts, loaded once per process (shared by the scorer and the lexicon).

    The tables are kept in the cache folder's ``counts`` subfolder after the first
    build (:func:`cleaner.counts.load_table`), so a new process loads them in milliseconds.
    """
    folder = cache_folder() / "counts"
    try:
        return load_table(frequency_file(UNIGRAMS), folder), load_table(frequency_file(BIGRAMS), folder)
    except (OSError, ValueError) as exc:
        raise RulePackError(f"cannot read symspellpy's frequency lists: {exc}") from None


@lru_cache(maxsize=4)
def load_lexicon(thesaurus: Path, common_word_count: int = 0) -> Lexicon:
    """Load the thesaurus and the frequency lists once per process.

    Words more frequent than ``common_word_count`` (when it is above 0) never become
    fallback suspects: function words are not what a spinner swaps.
    """
    unigrams, bigrams = word_counts()
    synonyms = read_thesaurus(thesaurus)
    forms = inflected_forms(synonyms)
    if common_word_count > 0:
        common = unigrams.keys_above(common_word_count)
        forms = forms - common if common is not None else frozenset(f for f in forms if unigrams.get(f, 0) <= common_word_count)
    return Lexicon(synonyms, unigrams, bigrams, bigrams.smallest / 2, forms)
