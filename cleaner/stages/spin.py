"""Spin: detect text rewritten by an article spinner and undo its word swaps.

An automatic spinner replaces words with wrong-sense synonyms ("war" -> "struggle",
"countries" -> "international locations"). Two kinds of ``substitution`` rules reverse
it (``rules/spin/*.toml``):

* ``signature`` rules match phrases that ordinary English almost never contains
  ("international locations", "2d spherical"). They fire anywhere, and their density
  is the document's *spin score* (hits per 100 words).
* ``contextual`` rules match ordinary English that is only wrong inside spun text
  ("struggle", "vital"). They fire only where the gate is open: in a document whose
  spin score reaches the threshold, or in a paragraph that on its own has two or more
  signature hits at that density.

Matching is token based: rules are indexed by their first word, so the cost per word
is a dictionary look-up, flat in the number of rules. A replacement keeps the case of
what it replaces, leaves ALL-CAPS words (acronyms) alone, and corrects an adjacent
"a"/"an" in the same fix. Inside quotation marks a contextual repair is only *unsafe*: quotes
are the author's words and are not applied by default.
"""

from __future__ import annotations

import bisect
import math
import re
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache
from itertools import accumulate, compress, islice
from operator import gt, itemgetter, or_
from pathlib import Path
from typing import NamedTuple

from cleaner.lexicon import Lexicon, load_lexicon
from cleaner.model import Applicability, Edit, Finding, Fix, Severity
from cleaner.pipeline import Proposal, StageContext
from cleaner.rulepacks import Rule

_WORD_SPLIT = re.compile(r"([a-z0-9]+(?:'[a-z]+)?)")
_GAP = re.compile(r"[ \t]+")
#: A sentence end: . ! or ? (then closing quotes or brackets) and white space, or a
#: blank line. Written to begin with one character class, which lets the regular
#: expression engine skip ahead to candidate characters (half the time of the plain
#: alternation ``[.!?]['"’”)]*\s+|\n\s*\n``, which it tries at every position).
_SENTENCE_END = re.compile(r"[.!?\n](?:(?<=[.!?])['\"’”)]*\s+|(?<=\n)\s*\n)")
_QUOTES = re.compile(r"[\"“][^\"“”\n]{1,400}[\"”]")
SENTENCE_START = "<start>"


@dataclass(frozen=True, slots=True)
class Tokens:
    """The words of a text as parallel lists: start and end offsets, lower-cased form.

    Three flat lists instead of one object per word: built by C-level ``map`` calls,
    they make tokenizing several times faster, and most words are never looked at
    again (only those that begin a rule are).
    """

    starts: list[int]
    ends: list[int]
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
    split = {v: tokenize(v).lowers for v in values if v != SENTENCE_START}
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
        words = tuple(tokenize(rule.str_param("match")).lowers)
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
def _cached_index(rules: tuple[Rule, ...]) -> RuleIndex:
    """Compile each distinct rule set once per process."""
    return compile_rules(rules)


def tokenize(text: str) -> Tokens:
    """Return the words of ``text``: runs of ASCII letters and digits, with an
    apostrophe suffix ("ukraine's"), lower-cased.

    Words are ASCII, so the text is first made ASCII, each other code point becoming
    "?" (a non-word character, as it was): offsets stay valid, and lower-casing and
    the regular expression then run at their fastest. Splitting on the words
    (captured) gives gap, word, gap, word, ..., gap; the running total of their
    lengths is every word's start and end, all computed in C.

    >>> tokenize("Ukraine’s 2d time").lowers
    ["ukraine's", '2d', 'time']
    """
    ascii_text = text.replace("’", "'").encode("ascii", "replace").lower().decode("ascii")
    parts = _WORD_SPLIT.split(ascii_text)
    offsets = list(accumulate(map(len, parts)))
    return Tokens(offsets[0:-1:2], offsets[1::2], parts[1::2])


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
            if last > i and (lowers[i + 1 : last + 1] != compiled.tail or not _spaced(text, tokens, i, last)):
                continue
            if not compiled.conditional or _context_ok(text, tokens, i, last, compiled):
                matches.append(Match(compiled, i, last))
                next_free = last + 1
                break
    return matches


def _spaced(text: str, tokens: Tokens, first: int, last: int) -> bool:
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


@dataclass(frozen=True, slots=True)
class Gate:
    """The spin verdict for a document: its score and which paragraphs are spun."""

    score: float
    spun: bool
    spun_paragraphs: tuple[tuple[int, int], ...]

    def is_open(self, offset: int) -> bool:
        """Tell whether contextual rules may fire at ``offset``."""
        return self.spun or in_spans(self.spun_paragraphs, offset)


def in_spans(spans: Sequence[tuple[int, int]], offset: int) -> bool:
    """Tell whether ``offset`` falls in one of the sorted, disjoint ``spans`` (bisection)."""
    index = bisect.bisect_right(spans, (offset, float("inf"))) - 1
    return index >= 0 and spans[index][0] <= offset < spans[index][1]


#: Weight of a contextual hit in the spin score. Contextual rules carry context
#: conditions, so they seldom fire on ordinary prose (none on the four clean seeds),
#: but each is weaker evidence than a signature: two count as one.
CONTEXTUAL_WEIGHT = 0.5
#: Signature hits a document needs before it can be judged spun, whatever its score:
#: contextual hits alone are ordinary English ("it used to be faster").
MIN_SIGNATURES = 2


def evaluate_gate(text: str, tokens: Tokens, matches: Sequence[Match], threshold: float) -> Gate:
    """Score the document and its paragraphs by spin evidence per 100 words.

    A signature hit counts 1, a contextual hit :data:`CONTEXTUAL_WEIGHT`. The document
    is spun at the threshold with :data:`MIN_SIGNATURES` signature hits (a threshold
    of 0 judges every document spun, for rule examples); a paragraph
    opens on its own with a signature hit and two or more in weighted evidence at the
    threshold density.
    """
    starts = tokens.starts
    weighted = sorted((starts[m.first], 1.0 if m.rule.signature else CONTEXTUAL_WEIGHT) for m in matches)
    hit_starts = [offset for offset, _ in weighted]
    cumulative = list(accumulate(weight for _, weight in weighted))
    signature_starts = sorted(starts[m.first] for m in matches if m.rule.signature)
    score = 100.0 * (cumulative[-1] if cumulative else 0.0) / max(len(tokens), 1)
    spun_paragraphs = []
    for para in re.finditer(r"[^\n]+(?:\n[^\n]+)*", text):
        if not _count_between(signature_starts, para.start(), para.end()):
            continue
        words = _count_between(starts, para.start(), para.end())
        first = bisect.bisect_left(hit_starts, para.start())
        last = bisect.bisect_left(hit_starts, para.end())
        hits = (cumulative[last - 1] if last else 0.0) - (cumulative[first - 1] if first else 0.0)
        if hits >= 2 and 100.0 * hits / max(words, 1) >= threshold:
            spun_paragraphs.append((para.start(), para.end()))
    spun = threshold <= 0 or (score >= threshold and len(signature_starts) >= MIN_SIGNATURES)
    return Gate(round(score, 2), spun, tuple(spun_paragraphs))


def _count_between(sorted_offsets: Sequence[int], start: int, end: int) -> int:
    """Count offsets in ``[start, end)`` of a sorted list."""
    return bisect.bisect_left(sorted_offsets, end) - bisect.bisect_left(sorted_offsets, start)


def build_fix(text: str, tokens: Tokens, match: Match, quoted: Sequence[tuple[int, int]], evidence: Mapping[str, object]) -> Fix | None:
    """Turn a match into a fix, correcting a preceding "a"/"an" in the same fix."""
    rule = match.rule
    start, end = tokens.starts[match.first], tokens.ends[match.last]
    before = text[start:end]
    after = match_case(before, rule.replace)
    if after is None or after == before:
        return None
    if not before[:1].isalpha() and is_sentence_start(text, start):
        after = after[:1].upper() + after[1:]
    edits = [Edit(start, end, before, after)]
    article = tokens.lowers[match.first - 1] if match.first > 0 else ""
    if article in ("a", "an"):
        article_start, article_end = tokens.starts[match.first - 1], tokens.ends[match.first - 1]
        wanted = indefinite_article(after)
        if article != wanted and _spaced(text, tokens, match.first - 1, match.first):
            written = text[article_start:article_end]
            edits.insert(0, Edit(article_start, article_end, written, match_case(written, wanted) or wanted.upper()))
    applicability = rule.rule.applicability
    if not rule.signature and in_spans(quoted, start):
        applicability = min(applicability, Applicability.UNSAFE)
    message = rule.rule.message.format(match=before, replacement=after)
    return Fix(rule.rule.id, tuple(edits), applicability, message, evidence)


class SpinStage:
    """Score the text for spin and propose the repairs the gate allows."""

    name = "spin"
    # One round: a later round would see repaired text and could undo a swap pair
    # (the spinner swaps 'agreement' and 'settlement' both ways).
    max_rounds = 1

    def propose(self, text: str, ctx: StageContext) -> Proposal:
        """Propose signature repairs everywhere, contextual and fallback ones behind the gate."""
        index = _cached_index(ctx.rules)
        tokens = tokenize(text)
        matches = find_matches(text, tokens, index)
        gate = evaluate_gate(text, tokens, matches, ctx.config.spin_threshold)
        first_gate = ctx.memo.setdefault("gate", gate)
        assert isinstance(first_gate, Gate)
        quoted = [(m.start(), m.end()) for m in _QUOTES.finditer(text)]
        sentence_ends = [m.end() for m in _SENTENCE_END.finditer(text)]
        proposal = Proposal(data=_report_data(text, tokens, matches, gate, ctx.config.spin_threshold, sentence_ends))
        # One evidence mapping per kind, shared by the fixes (they never change it).
        evidence = {kind: {"spin": kind, "document_score": first_gate.score} for kind in ("signature", "contextual")}
        for match in matches:
            offset = tokens.starts[match.first]
            if not match.rule.signature and not first_gate.is_open(offset):
                continue
            fix = build_fix(text, tokens, match, quoted, evidence["signature" if match.rule.signature else "contextual"])
            if fix:
                proposal.fixes.append(fix)
        if first_gate.spun or first_gate.spun_paragraphs:
            for rule in index.fallbacks:
                fixes, findings = fallback(text, tokens, matches, first_gate, quoted, sentence_ends, rule)
                proposal.fixes.extend(fixes)
                proposal.findings.extend(findings)
        return proposal


def fallback(
    text: str,
    tokens: Tokens,
    matches: Sequence[Match],
    gate: Gate,
    quoted: Sequence[tuple[int, int]],
    sentence_ends: Sequence[int],
    rule: Rule,
) -> tuple[list[Fix], list[Finding]]:
    """Find swaps no rule lists: words out of place whose synonym fits the context.

    Inside the gate, a lower-case word none of whose two bigrams (with the words
    beside it) is listed in the reference corpus is *out of place*. Its candidates are
    its thesaurus synonyms in the same inflection (the spinner picked it from theirs);
    the best-fitting candidate (:meth:`Lexicon.fit`) that forms a listed bigram wins.
    The margin between the two fits (natural log) decides: at ``apply_margin`` or more,
    with the candidate forming listed bigrams on *both* sides, it is a fix; at
    ``report_margin`` or more a finding for a person; below that nothing. Both
    thresholds live in the rule (``rules/spin/fallback.toml``), chosen by measurement
    (``benchmarks/spin_fallback.py``).
    """
    common = int(rule.param("common_word_count", 0))  # type: ignore[call-overload]
    lexicon = load_lexicon(Path(rule.source_file).parent / rule.str_param("thesaurus"), common)
    apply_margin = float(rule.param("apply_margin", math.inf))  # type: ignore[arg-type]
    report_margin = float(rule.param("report_margin", math.inf))  # type: ignore[arg-type]
    covered = {i for m in matches for i in range(m.first, m.last + 1)}
    fixes: list[Fix] = []
    findings: list[Finding] = []
    least = min(apply_margin, report_margin)
    for i, word, margin, both_sides in fallback_suggestions(text, tokens, lexicon, covered):
        if margin < least or not gate.is_open(tokens.starts[i]):
            continue
        start, end = tokens.starts[i], tokens.ends[i]
        written = text[start:end]
        evidence: dict[str, object] = {"spin": "fallback", "margin": round(margin, 2), "document_score": gate.score}
        message = rule.message.format(match=written, replacement=word)
        if margin >= apply_margin and both_sides:
            applicability = Applicability.UNSAFE if in_spans(quoted, start) else rule.applicability
            fixes.append(Fix(rule.id, (Edit(start, end, written, word),), applicability, message, evidence))
        elif margin >= report_margin:
            evidence["sentence"] = sentence_around(text, start, sentence_ends)
            findings.append(Finding(rule.id, start, end, message, Severity.WARNING, (word,), evidence))
    return fixes, findings


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


class Suggestion(NamedTuple):
    """The fallback's best guess for one out-of-place word."""

    #: Index of the word among the text's tokens.
    token: int
    #: The candidate original.
    word: str
    #: How much better the candidate fits its neighbours than the word (natural log).
    margin: float
    #: Whether the candidate forms listed bigrams with both neighbours.
    both_sides: bool


def fallback_suggestions(text: str, tokens: Tokens, lexicon: Lexicon, covered: set[int]) -> list[Suggestion]:
    """Return, in text order, a suggestion for each out-of-place word with a candidate.

    Suspects are found for the whole text at once in C (``map`` over set look-ups):
    a thesaurus word form with no listed bigram on either side; only they are scored,
    and of their candidates only those forming a listed bigram with a neighbour.
    """
    lowers, starts, ends = tokens.lowers, tokens.starts, tokens.ends
    listed_pairs = lexicon.bigrams
    # listed[k]: tokens k-1 and k form a listed bigram (False at both edges).
    listed = [False, *map(listed_pairs.__contains__, map(" ".join, zip(lowers, islice(lowers, 1, None), strict=False))), False]
    suspect = map(gt, map(lexicon.forms.__contains__, lowers), map(or_, listed, islice(listed, 1, None)))
    found: list[Suggestion] = []
    for i in compress(range(len(lowers)), suspect):
        word = lowers[i]
        if i in covered or len(word) < 3 or not word.isalpha() or not text[starts[i] : ends[i]].islower():
            continue  # names and sentence starts are too risky
        candidates = lexicon.candidates(word)
        if not candidates:
            continue
        left = lowers[i - 1] if i > 0 and text[ends[i - 1] : starts[i]] == " " else None
        right = lowers[i + 1] if i + 1 < len(lowers) and text[ends[i] : starts[i + 1]] == " " else None
        # How many of each candidate's two bigrams are listed (0, 1 or 2): tested
        # inline, this loop runs for every candidate of every suspect.
        before = f"{left} " if left is not None else None
        after = f" {right}" if right is not None else None
        scored = []
        for candidate in candidates:
            seen = (before is not None and before + candidate in listed_pairs) + (after is not None and candidate + after in listed_pairs)
            if seen:
                scored.append((lexicon.fit(left, candidate, right), seen, candidate))
        if scored:
            fit, seen, best = max(scored, key=itemgetter(0))
            found.append(Suggestion(i, best, fit - lexicon.fit(left, word, right), seen == 2))
    return found


def measure(text: str, rules: tuple[Rule, ...], threshold: float) -> dict[str, object]:
    """Return the spin score of ``text`` and whether it reads as spun (used on outputs)."""
    tokens = tokenize(text)
    matches = find_matches(text, tokens, _cached_index(rules))
    gate = evaluate_gate(text, tokens, matches, threshold)
    return {"score": gate.score, "spun": gate.spun, "signature_hits": sum(1 for m in matches if m.rule.signature)}


def _report_data(text: str, tokens: Tokens, matches: Sequence[Match], gate: Gate, threshold: float, sentence_ends: list[int]) -> dict[str, object]:
    """Summarise the spin evidence: document score, rule counts, per-sentence scores.

    ``matches`` are in text order, as :func:`find_matches` returns them.
    """
    starts, ends = tokens.starts, tokens.ends
    sentences = []
    cursor = first_word = next_match = signature_hits = 0
    for end in [*sentence_ends, len(text)]:
        evidence = []
        hits = 0
        while next_match < len(matches) and starts[matches[next_match].first] < end:
            match = matches[next_match]
            hits += match.rule.signature
            kind = "signature" if match.rule.signature else "contextual"
            evidence.append({"rule": match.rule.rule.id, "text": text[starts[match.first] : ends[match.last]], "kind": kind})
            next_match += 1
        signature_hits += hits
        past_word = bisect.bisect_left(starts, end, first_word)
        if words := past_word - first_word:
            sentences.append({"start": cursor, "end": end, "words": words, "score": round(100.0 * hits / words, 2), "evidence": evidence})
        cursor, first_word = end, past_word
    return {
        "score": gate.score,
        "threshold": threshold,
        "spun": gate.spun,
        "spun_paragraphs": len(gate.spun_paragraphs),
        "signature_hits": signature_hits,
        "contextual_hits": len(matches) - signature_hits,
        "rules": dict(sorted(Counter(m.rule.rule.id for m in matches).items())),
        "sentences": sentences,
    }


STAGE = SpinStage()
