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
"a"/"an" in the same fix. Inside quotation marks a repair is only *unsafe*: quotes
are the author's words and are not applied by default.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache

from cleaner.model import Applicability, Edit, Fix
from cleaner.pipeline import Proposal, StageContext
from cleaner.rulepacks import Rule

_TOKEN = re.compile(r"[A-Za-z0-9]+(?:['’][A-Za-z]+)?")
_GAP = re.compile(r"[ \t]+")
_SENTENCE_END = re.compile(r"[.!?]['\"’”)]*\s+|\n\s*\n")
_QUOTES = re.compile(r"[\"“][^\"“”\n]{1,400}[\"”]")
SENTENCE_START = "<start>"


@dataclass(frozen=True, slots=True)
class Token:
    """A word of the text: its span and lower-cased form."""

    start: int
    end: int
    lower: str


@dataclass(frozen=True, slots=True)
class CompiledRule:
    """A substitution rule in matching form."""

    rule: Rule
    words: tuple[str, ...]
    replace: str
    signature: bool
    before: tuple[tuple[str, ...], ...]
    after: tuple[tuple[str, ...], ...]
    unless_before: tuple[tuple[str, ...], ...]
    unless_after: tuple[tuple[str, ...], ...]
    case_exact: bool
    exact_words: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class RuleIndex:
    """Rules keyed by their first word, longest phrase first."""

    by_first_word: dict[str, tuple[CompiledRule, ...]]


def _phrases(values: Iterable[str]) -> tuple[tuple[str, ...], ...]:
    """Split context phrases into lower-case word tuples (a punctuation mark stays whole)."""
    return tuple((v,) if v == SENTENCE_START else tuple(t.lower for t in tokenize(v)) or (v.strip(),) for v in values)


def compile_rules(rules: Sequence[Rule]) -> RuleIndex:
    """Index substitution rules by first word for one-look-up-per-word matching."""
    grouped: dict[str, list[CompiledRule]] = {}
    for rule in rules:
        words = tuple(t.lower for t in tokenize(rule.str_param("match")))
        compiled = CompiledRule(
            rule=rule,
            words=words,
            replace=rule.str_param("replace"),
            signature=rule.param("spin") == "signature",
            before=_phrases(rule.list_param("before")),
            after=_phrases(rule.list_param("after")),
            unless_before=_phrases(rule.list_param("unless_before")),
            unless_after=_phrases(rule.list_param("unless_after")),
            case_exact=rule.param("case") == "exact",
            exact_words=tuple(rule.str_param("match").split()),
        )
        grouped.setdefault(words[0], []).append(compiled)
    return RuleIndex({k: tuple(sorted(v, key=lambda c: -len(c.words))) for k, v in grouped.items()})


@lru_cache(maxsize=8)
def _cached_index(rules: tuple[Rule, ...]) -> RuleIndex:
    """Compile each distinct rule set once per process."""
    return compile_rules(rules)


def tokenize(text: str) -> list[Token]:
    """Return the words of ``text``.

    >>> [t.lower for t in tokenize("Ukraine’s 2d time")]
    ["ukraine's", '2d', 'time']
    """
    return [Token(m.start(), m.end(), m.group().lower().replace("’", "'")) for m in _TOKEN.finditer(text)]


@dataclass(frozen=True, slots=True)
class Match:
    """A rule matched at tokens ``[first, last]`` of the text."""

    rule: CompiledRule
    first: int
    last: int


def find_matches(text: str, tokens: Sequence[Token], index: RuleIndex) -> list[Match]:
    """Find every rule match, leftmost-longest, without overlaps."""
    matches: list[Match] = []
    i = 0
    table = index.by_first_word
    while i < len(tokens):
        candidates = table.get(tokens[i].lower)
        found = None
        if candidates:
            for compiled in candidates:
                last = _phrase_end(text, tokens, i, compiled.words)
                if last is not None and _context_ok(text, tokens, i, last, compiled):
                    found = Match(compiled, i, last)
                    break
        if found:
            matches.append(found)
            i = found.last + 1
        else:
            i += 1
    return matches


def _phrase_end(text: str, tokens: Sequence[Token], i: int, words: tuple[str, ...]) -> int | None:
    """Return the last token index if ``words`` match at ``i`` with only spaces between."""
    last = i + len(words) - 1
    if last >= len(tokens):
        return None
    for k in range(1, len(words)):
        if tokens[i + k].lower != words[k] or not _GAP.fullmatch(text, tokens[i + k - 1].end, tokens[i + k].start):
            return None
    return last


def _context_ok(text: str, tokens: Sequence[Token], first: int, last: int, rule: CompiledRule) -> bool:
    """Check the rule's before/after conditions and exceptions around a match."""
    if rule.case_exact and text[tokens[first].start : tokens[last].end].split() != list(rule.exact_words):
        return False
    if rule.words[0].isdigit() and not _is_count_word(text, tokens, first):
        return False
    if rule.before and not any(_precedes(text, tokens, first, p) for p in rule.before):
        return False
    if rule.after and not any(_follows(text, tokens, last, p) for p in rule.after):
        return False
    if any(_precedes(text, tokens, first, p) for p in rule.unless_before):
        return False
    return not any(_follows(text, tokens, last, p) for p in rule.unless_after)


def _is_count_word(text: str, tokens: Sequence[Token], index: int) -> bool:
    """Tell whether a digit token counts things ("the 4 years"), not a figure or date.

    Spinners write small numbers as digits; only a number standing alone before a
    lower-case word is a counted quantity. "4.5", "3,000", "3%", "February 3" are not.
    """
    token = tokens[index]
    before = text[token.start - 1 : token.start] if token.start else ""
    after = text[token.end : token.end + 2]
    if before and before not in " \n(\u2013\u2014":
        return False
    if not re.fullmatch(r" [a-z]", after):
        return False
    return not (index > 0 and tokens[index - 1].lower in _MONTHS)


_MONTHS = frozenset("january february march april may june july august september october november december".split())


def _precedes(text: str, tokens: Sequence[Token], first: int, phrase: tuple[str, ...]) -> bool:
    """Tell whether ``phrase`` ends right before token ``first``.

    ``<start>`` means a sentence start; a phrase of punctuation (",") is compared with
    the characters just before the match; words are compared token by token.
    """
    if phrase == (SENTENCE_START,):
        return is_sentence_start(text, tokens[first].start)
    if _is_punctuation(phrase):
        start = tokens[first].start
        return text[max(0, start - 8) : start].rstrip().endswith(phrase[0])
    start = first - len(phrase)
    return start >= 0 and all(tokens[start + k].lower == phrase[k] for k in range(len(phrase)))


def _follows(text: str, tokens: Sequence[Token], last: int, phrase: tuple[str, ...]) -> bool:
    """Tell whether ``phrase`` starts right after token ``last`` (punctuation: the next characters)."""
    if _is_punctuation(phrase):
        end = tokens[last].end
        return text[end : end + 8].lstrip(" ").startswith(phrase[0])
    end = last + 1 + len(phrase)
    return end <= len(tokens) and all(tokens[last + 1 + k].lower == phrase[k] for k in range(len(phrase)))


def _is_punctuation(phrase: tuple[str, ...]) -> bool:
    """Tell whether a context phrase is a single punctuation mark."""
    return len(phrase) == 1 and not any(ch.isalnum() for ch in phrase[0]) and phrase[0] != SENTENCE_START


def is_sentence_start(text: str, offset: int) -> bool:
    """Tell whether ``offset`` begins a sentence (after . ! ? or a paragraph break)."""
    before = text[max(0, offset - 4) : offset].rstrip(" \t\"“'‘(")
    return not before or before.endswith(("\n", ".", "!", "?", ":"))


def match_case(original: str, replacement: str) -> str | None:
    """Give ``replacement`` the case pattern of ``original``; ``None`` for ALL CAPS.

    >>> match_case("Struggle", "war"), match_case("struggle", "war"), match_case("ECU", "European")
    ('War', 'war', None)
    """
    letters = [c for c in original if c.isalpha()]
    if len(letters) > 1 and all(c.isupper() for c in letters):
        return None
    if original[:1].isupper():
        return replacement[:1].upper() + replacement[1:]
    return replacement


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


def evaluate_gate(text: str, tokens: Sequence[Token], signatures: Sequence[Match], threshold: float) -> Gate:
    """Score the document and its paragraphs by signature density (hits per 100 words)."""
    score = 100.0 * len(signatures) / max(len(tokens), 1)
    starts = [t.start for t in tokens]
    hit_starts = sorted(tokens[m.first].start for m in signatures)
    spun_paragraphs = []
    for para in re.finditer(r"[^\n]+(?:\n[^\n]+)*", text):
        words = _count_between(starts, para.start(), para.end())
        hits = _count_between(hit_starts, para.start(), para.end())
        if hits >= 2 and 100.0 * hits / max(words, 1) >= threshold:
            spun_paragraphs.append((para.start(), para.end()))
    return Gate(round(score, 2), score >= threshold, tuple(spun_paragraphs))


def _count_between(sorted_offsets: Sequence[int], start: int, end: int) -> int:
    """Count offsets in ``[start, end)`` of a sorted list."""
    return bisect.bisect_left(sorted_offsets, end) - bisect.bisect_left(sorted_offsets, start)


def build_fix(text: str, tokens: Sequence[Token], match: Match, quoted: Sequence[tuple[int, int]], evidence: dict[str, object]) -> Fix | None:
    """Turn a match into a fix, correcting a preceding "a"/"an" in the same fix."""
    rule = match.rule
    start, end = tokens[match.first].start, tokens[match.last].end
    before = text[start:end]
    after = match_case(before, rule.replace)
    if after is None or after == before:
        return None
    if not before[:1].isalpha() and is_sentence_start(text, start):
        after = after[:1].upper() + after[1:]
    edits = [Edit(start, end, before, after)]
    if match.first > 0:
        article = tokens[match.first - 1]
        wanted = indefinite_article(after)
        if article.lower in ("a", "an") and article.lower != wanted and _GAP.fullmatch(text, article.end, start):
            spelled = match_case(text[article.start : article.end], wanted) or wanted.upper()
            edits.insert(0, Edit(article.start, article.end, text[article.start : article.end], spelled))
    applicability = rule.rule.applicability
    if in_spans(quoted, start):
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
        """Propose signature repairs everywhere and contextual ones behind the gate."""
        index = _cached_index(ctx.rules)
        tokens = tokenize(text)
        matches = find_matches(text, tokens, index)
        signatures = [m for m in matches if m.rule.signature]
        gate = evaluate_gate(text, tokens, signatures, ctx.config.spin_threshold)
        first_gate = ctx.memo.setdefault("gate", gate)
        assert isinstance(first_gate, Gate)
        quoted = [(m.start(), m.end()) for m in _QUOTES.finditer(text)]
        proposal = Proposal(data=_report_data(text, tokens, matches, gate, ctx.config.spin_threshold))
        for match in matches:
            offset = tokens[match.first].start
            if not match.rule.signature and not first_gate.is_open(offset):
                continue
            evidence: dict[str, object] = {"spin": "signature" if match.rule.signature else "contextual", "document_score": first_gate.score}
            fix = build_fix(text, tokens, match, quoted, evidence)
            if fix:
                proposal.fixes.append(fix)
        return proposal


def measure(text: str, rules: tuple[Rule, ...], threshold: float) -> dict[str, object]:
    """Return the spin score of ``text`` and whether it reads as spun (used on outputs)."""
    tokens = tokenize(text)
    signatures = [m for m in find_matches(text, tokens, _cached_index(rules)) if m.rule.signature]
    gate = evaluate_gate(text, tokens, signatures, threshold)
    return {"score": gate.score, "spun": gate.spun, "signature_hits": len(signatures)}


def _report_data(text: str, tokens: Sequence[Token], matches: Sequence[Match], gate: Gate, threshold: float) -> dict[str, object]:
    """Summarise the spin evidence: document score, rule counts, per-sentence scores."""
    counts: dict[str, int] = {}
    for match in matches:
        counts[match.rule.rule.id] = counts.get(match.rule.rule.id, 0) + 1
    sentences = []
    starts = [t.start for t in tokens]
    cursor = 0
    bounds = [m.end() for m in _SENTENCE_END.finditer(text)] + [len(text)]
    match_iter = iter(sorted(matches, key=lambda m: m.first))
    pending = next(match_iter, None)
    for end in bounds:
        evidence = []
        while pending is not None and tokens[pending.first].start < end:
            evidence.append({"rule": pending.rule.rule.id, "text": text[tokens[pending.first].start : tokens[pending.last].end], "kind": "signature" if pending.rule.signature else "contextual"})
            pending = next(match_iter, None)
        words = _count_between(starts, cursor, end)
        hits = sum(1 for e in evidence if e["kind"] == "signature")
        if words:
            sentences.append({"start": cursor, "end": end, "words": words, "score": round(100.0 * hits / words, 2), "evidence": evidence})
        cursor = end
    return {
        "score": gate.score,
        "threshold": threshold,
        "spun": gate.spun,
        "spun_paragraphs": len(gate.spun_paragraphs),
        "signature_hits": sum(1 for m in matches if m.rule.signature),
        "contextual_hits": sum(1 for m in matches if not m.rule.signature),
        "rules": dict(sorted(counts.items())),
        "sentences": sentences,
    }


STAGE = SpinStage()
