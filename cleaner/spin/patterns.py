"""Spin rule matching: the text's words, curated ``substitution`` rules in matching form,
and the case and article helpers every repair shares.

Two kinds of ``substitution`` rules reverse a spinner (``rules/spin/*.toml``):

* ``signature`` rules match phrases that ordinary English almost never contains
  ("international locations", "2d spherical"). They fire anywhere, and their density
  is the document's *spin score* (:mod:`cleaner.spin.detect`).
* ``contextual`` rules match ordinary English that is only wrong inside spun text
  ("struggle", "vital"). They fire only where the gate is open.

Matching is token based: rules are indexed by their first word, so the cost per word
is a dictionary look-up, flat in the number of rules. A replacement keeps the case of
what it replaces, leaves ALL-CAPS words (acronyms) alone, and corrects an adjacent
"a"/"an" in the same fix.
"""

from __future__ import annotations

import bisect
import re
import sys
from array import array
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from itertools import accumulate, compress, islice
from typing import NamedTuple

from cleaner.rulepacks import Rule

_WORD_SPLIT = re.compile(r"([a-z0-9]+(?:'[a-z]+)?)")
#: A character no word of :data:`_WORD_SPLIT` holds: where :func:`tokenize` may cut a long text.
_NOT_IN_WORD = re.compile(r"[^a-z0-9']")
#: About how many characters :func:`tokenize` splits at a time.
TOKENIZE_PIECE = 1 << 16
_GAP = re.compile(r"[ \t]+")
#: A sentence end: . ! or ? (then closing quotes or brackets) and white space, or a
#: blank line. Written to begin with one character class, which lets the regular
#: expression engine skip ahead to candidate characters (half the time of the plain
#: alternation ``[.!?]['"’”)]*\s+|\n\s*\n``, which it tries at every position).
SENTENCE_END = re.compile(r"[.!?\n](?:(?<=[.!?])['\"’”)]*\s+|(?<=\n)\s*\n)")
QUOTES = re.compile(r"[\"“][^\"“”\n]{1,400}[\"”]")
SENTENCE_START = "<start>"


@dataclass(frozen=True, slots=True)
class Tokens:
    """The words of a text as parallel sequences: start and end offsets, lower-cased form.

    Three flat sequences instead of one object per word: built by C-level ``map``
    calls, they make tokenizing several times faster, and most words are never looked
    at again (only those that begin a rule are). The offsets are machine integers
    (``array``: 8 bytes each, not a 36-byte ``int`` in a list) and the words are
    interned (a text repeats few distinct words): a long document's tokens were most
    of the spin stage's memory.
    """

    starts: array[int]
    ends: array[int]
    lowers: list[str]

    def __len__(self) -> int:
        return len(self.starts)


@dataclass(frozen=True, slots=True, eq=False)
class CompiledRule:
    """A substitution rule in matching form (compared by identity: one per rule)."""

    rule: Rule
    words: tuple[str, ...]
    #: The words after the first, as a list: compared with a slice of the text's words in one step.
    tail: list[str]
    replace: str
    signature: bool
    before: Context | None
    after: Context | None
    unless_before: Context | None
    unless_after: Context | None
    case_exact: bool
    #: The phrase as written, word by word (compared when ``case_exact``).
    exact_words: list[str]
    #: Whether the phrase begins with a number (it must then count things: :func:`_is_count_word`).
    digits: bool
    #: Whether a match must pass :func:`_context_ok` (most rules have no condition).
    conditional: bool


@dataclass(frozen=True, slots=True)
class RuleIndex:
    """A stage's rules in working form: substitutions keyed by their first word,
    longest phrase first, and the ``thesaurus-fallback`` rules.

    ``single_words`` are the one-word rules' words and ``first_pairs`` the first two
    words of the longer ones: a word can start a match only if it is in the first set
    or it and the next word are in the second, a test run in C over the whole text
    (common words such as "the" begin many rules but rarely a match).
    """

    by_first_word: dict[str, tuple[CompiledRule, ...]]
    single_words: frozenset[str]
    first_pairs: frozenset[tuple[str, str]]
    fallbacks: tuple[Rule, ...]

    def candidates(self, lowers: list[str]) -> list[int]:
        """Return, in order, the token indexes where some rule may match."""
        singles = compress(range(len(lowers)), map(self.single_words.__contains__, lowers))
        pairs = compress(range(len(lowers)), map(self.first_pairs.__contains__, zip(lowers, islice(lowers, 1, None), strict=False)))
        return sorted({*singles, *pairs})


@dataclass(frozen=True, slots=True, eq=False)
class Context:
    """A context condition, sorted by how it is tested: single words (one set look-up),
    longer phrases (compared token by token), punctuation marks (compared with the
    characters beside the match) and ``<start>``, a sentence start (before a match only).
    """

    words: frozenset[str]
    #: Phrases of two or more words, as lists: compared with a slice of the text's words.
    phrases: tuple[list[str], ...]
    marks: tuple[str, ...]
    sentence_start: bool

    def precedes(self, text: str, tokens: Tokens, first: int) -> bool:
        """Tell whether the condition holds right before token ``first``."""
        lowers = tokens.lowers
        if first > 0 and lowers[first - 1] in self.words:
            return True
        start = tokens.starts[first]
        if self.sentence_start and is_sentence_start(text, start):
            return True
        if self.marks and text[max(0, start - 8) : start].rstrip().endswith(self.marks):
            return True
        for phrase in self.phrases:
            if first >= len(phrase) and lowers[first - len(phrase) : first] == phrase:
                return True
        return False

    def follows(self, text: str, tokens: Tokens, last: int) -> bool:
        """Tell whether the condition holds right after token ``last``."""
        lowers = tokens.lowers
        if last + 1 < len(lowers) and lowers[last + 1] in self.words:
            return True
        if self.marks and text[tokens.ends[last] : tokens.ends[last] + 8].lstrip(" ").startswith(self.marks):
            return True
        for phrase in self.phrases:
            if lowers[last + 1 : last + 1 + len(phrase)] == phrase:
                return True
        return False


def _context(values: Iterable[str]) -> Context | None:
    """Sort context phrases by kind: a phrase without words is a punctuation mark.

    No phrases give ``None``, so an absent condition costs one truth test.
    """
    values = tuple(values)
    if not values:
        return None
    split = {v: token_words(v) for v in values if v != SENTENCE_START}
    return Context(
        frozenset(w[0] for w in split.values() if len(w) == 1),
        tuple(w for w in split.values() if len(w) > 1),
        tuple(v.strip() for v, w in split.items() if not w),
        SENTENCE_START in values,
    )


def compile_rules(rules: Sequence[Rule]) -> RuleIndex:
    """Put a stage's rules in working form: ``substitution`` rules indexed by first
    word, for one-look-up-per-word matching, and the fallback rules picked out."""
    grouped: dict[str, list[CompiledRule]] = {}
    for rule in rules:
        if rule.kind != "substitution":
            continue
        words = tuple(token_words(rule.str_param("match")))
        before, after = _context(rule.list_param("before")), _context(rule.list_param("after"))
        unless_before, unless_after = _context(rule.list_param("unless_before")), _context(rule.list_param("unless_after"))
        case_exact = rule.param("case") == "exact"
        digits = words[0].isdigit()
        compiled = CompiledRule(
            rule=rule,
            words=words,
            tail=list(words[1:]),
            replace=rule.str_param("replace"),
            signature=rule.param("spin") == "signature",
            before=before,
            after=after,
            unless_before=unless_before,
            unless_after=unless_after,
            case_exact=case_exact,
            exact_words=rule.str_param("match").split(),
            digits=digits,
            conditional=case_exact or digits or any((before, after, unless_before, unless_after)),
        )
        grouped.setdefault(words[0], []).append(compiled)
    every = [c.words for group in grouped.values() for c in group]
    return RuleIndex(
        {k: tuple(sorted(v, key=lambda c: -len(c.words))) for k, v in grouped.items()},
        frozenset(w[0] for w in every if len(w) == 1),
        frozenset((w[0], w[1]) for w in every if len(w) > 1),
        tuple(r for r in rules if r.kind == "thesaurus-fallback"),
    )


@lru_cache(maxsize=8)
def cached_index(rules: tuple[Rule, ...]) -> RuleIndex:
    """Compile each distinct rule set once per process."""
    return compile_rules(rules)


def tokenize(text: str) -> Tokens:
    """Return the words of ``text``: runs of ASCII letters and digits, with an
    apostrophe suffix ("ukraine's"), lower-cased.

    Words are ASCII, so the text is first made ASCII, each other code point becoming
    "?" (a non-word character, as it was): offsets stay valid, and lower-casing and
    the regular expression then run at their fastest. Splitting on the words
    (captured) gives gap, word, gap, word, ..., gap; the running total of their
    lengths is every word's start and end, all computed in C. A long text is split a
    piece of about :data:`TOKENIZE_PIECE` characters at a time, cut where no word can
    go on (a character that is neither a letter, a digit nor an apostrophe): the split
    of a whole large document, every word and every gap a string, was the spin
    stage's largest moment of memory.

    >>> tokenize("Ukraine’s 2d time").lowers
    ["ukraine's", '2d', 'time']
    """
    ascii_text = _ascii_lower(text)
    starts: array[int] = array("q")
    ends: array[int] = array("q")
    lowers: list[str] = []
    base = 0
    while base < len(ascii_text):
        cut = _NOT_IN_WORD.search(ascii_text, base + TOKENIZE_PIECE) if base + TOKENIZE_PIECE < len(ascii_text) else None
        end = cut.start() if cut else len(ascii_text)
        parts = _WORD_SPLIT.split(ascii_text[base:end])
        offsets = array("q", accumulate(map(len, parts), initial=base))  # offsets[k]: where parts[k] starts
        starts.extend(offsets[1:-1:2])
        ends.extend(offsets[2::2])
        lowers.extend(map(sys.intern, parts[1::2]))
        base = end
    return Tokens(starts, ends, lowers)


def token_words(text: str) -> list[str]:
    """Return the words :func:`tokenize` finds in ``text``, without their offsets (for a rule's short phrases).

    >>> token_words("Ukraine’s 2d time")
    ["ukraine's", '2d', 'time']
    """
    return _WORD_SPLIT.findall(_ascii_lower(text))


def _ascii_lower(text: str) -> str:
    """Return ``text`` lower-cased, with each code point outside ASCII (but the curly apostrophe) a "?", offsets kept."""
    return text.replace("’", "'").encode("ascii", "replace").lower().decode("ascii")


class Match(NamedTuple):
    """A rule matched at tokens ``[first, last]`` of the text (a named tuple: a text
    can have hundreds, and tuples are the fastest immutable records to build)."""

    rule: CompiledRule
    first: int
    last: int


def find_matches(text: str, tokens: Tokens, index: RuleIndex) -> list[Match]:
    """Find every rule match, leftmost-longest, without overlaps.

    Only words where some rule may begin are visited (:meth:`RuleIndex.candidates`),
    so the cost per word is a set look-up whatever the number of rules.
    """
    table = index.by_first_word
    lowers = tokens.lowers
    matches: list[Match] = []
    next_free = 0
    for i in index.candidates(lowers):
        if i < next_free:
            continue
        for compiled in table[lowers[i]]:
            last = i + len(compiled.tail)
            if last > i and (lowers[i + 1 : last + 1] != compiled.tail or not spaced(text, tokens, i, last)):
                continue
            if not compiled.conditional or _context_ok(text, tokens, i, last, compiled):
                matches.append(Match(compiled, i, last))
                next_free = last + 1
                break
    return matches


def spaced(text: str, tokens: Tokens, first: int, last: int) -> bool:
    """Tell whether only spaces or tabs separate tokens ``first`` to ``last``."""
    starts, ends = tokens.starts, tokens.ends
    for k in range(first + 1, last + 1):
        gap = text[ends[k - 1] : starts[k]]
        if gap != " " and not _GAP.fullmatch(gap):
            return False
    return True


def _context_ok(text: str, tokens: Tokens, first: int, last: int, rule: CompiledRule) -> bool:
    """Check the rule's before/after conditions and exceptions around a match."""
    if rule.case_exact and text[tokens.starts[first] : tokens.ends[last]].split() != rule.exact_words:
        return False
    if rule.digits and not _is_count_word(text, tokens, first):
        return False
    if rule.before and not rule.before.precedes(text, tokens, first):
        return False
    if rule.after and not rule.after.follows(text, tokens, last):
        return False
    if rule.unless_before and rule.unless_before.precedes(text, tokens, first):
        return False
    return not (rule.unless_after and rule.unless_after.follows(text, tokens, last))


def _is_count_word(text: str, tokens: Tokens, index: int) -> bool:
    """Tell whether a digit token counts things ("the 4 years"), not a figure or date.

    Spinners write small numbers as digits; only a number standing alone before a
    lower-case word is a counted quantity. "4.5", "3,000", "3%", "February 3" are not.
    """
    start, end = tokens.starts[index], tokens.ends[index]
    before = text[start - 1 : start] if start else ""
    after = text[end : end + 2]
    if before and before not in " \n(\u2013\u2014":
        return False
    if not re.fullmatch(r" [a-z]", after):
        return False
    return not (index > 0 and tokens.lowers[index - 1] in _MONTHS)


_MONTHS = frozenset(["january", "february", "march", "april", "may", "june", "july", "august", "september", "october", "november", "december"])


def is_sentence_start(text: str, offset: int) -> bool:
    """Tell whether ``offset`` begins a sentence (after . ! ? or a paragraph break)."""
    before = text[max(0, offset - 4) : offset].rstrip(" \t\"“'‘(")
    return not before or before.endswith(("\n", ".", "!", "?", ":"))


def match_case(original: str, replacement: str) -> str | None:
    """Give ``replacement`` the case pattern of ``original``; ``None`` for ALL CAPS.

    >>> match_case("Struggle", "war"), match_case("struggle", "war"), match_case("ECU", "European")
    ('War', 'war', None)
    >>> match_case("Top Minister", "prime minister"), match_case("Space of Representatives", "house of representatives")
    ('Prime Minister', 'House of Representatives')
    """
    if original.islower():
        return replacement  # the common case, decided in one C call
    if original.isupper() and sum(map(str.isalpha, original)) > 1:
        return None
    words = original.split()
    if len(words) > 1 and all(w[:1].isupper() or w in _SMALL_WORDS for w in words):
        return " ".join(w if w in _SMALL_WORDS else w[:1].upper() + w[1:] for w in replacement.split())
    if original[:1].isupper():
        return replacement[:1].upper() + replacement[1:]
    return replacement


#: Words a title-cased name keeps in lower case ("House of Representatives").
_SMALL_WORDS = frozenset({"of", "the", "and", "for", "in", "on", "at", "to", "a", "an"})


def indefinite_article(word: str) -> str:
    """Return "a" or "an" for ``word`` by its usual sound.

    >>> indefinite_article("agreement"), indefinite_article("settlement"), indefinite_article("European")
    ('an', 'a', 'a')
    """
    lower = word.lower()
    if lower.startswith(("eu", "uni", "use", "usu", "one", "once", "ur")):
        return "a"
    if lower.startswith(("hour", "honest", "honour", "heir")):
        return "an"
    return "an" if lower[:1] in "aeiou" else "a"


def in_spans(spans: Sequence[tuple[int, int]], offset: int) -> bool:
    """Tell whether ``offset`` falls in one of the sorted, disjoint ``spans`` (bisection)."""
    index = bisect.bisect_right(spans, (offset, float("inf"))) - 1
    return index >= 0 and spans[index][0] <= offset < spans[index][1]


def sentence_around(text: str, offset: int, sentence_ends: Sequence[int]) -> str:
    """Return the sentence that contains ``offset`` (for a reviewer reading a finding).

    ``sentence_ends`` are the offsets just past each :data:`_SENTENCE_END` match, in
    order; a sentence runs from one to the next, trimmed, and at most 600 characters
    either side of ``offset``.
    """
    after = bisect.bisect_right(sentence_ends, offset)
    start = max(sentence_ends[after - 1] if after else 0, offset - 600, 0)
    end = min(sentence_ends[after] if after < len(sentence_ends) else len(text), offset + 600, len(text))
    return text[start:end].strip()
