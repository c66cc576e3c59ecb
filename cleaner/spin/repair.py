"""Spin repair: matches and scored candidates turned into fixes (case, articles,
safety inside quotes), and the thesaurus fallback's suggestions."""

from __future__ import annotations

import math
from bisect import bisect_left, bisect_right
from collections.abc import Mapping, Sequence
from itertools import compress, islice
from operator import gt, itemgetter, or_
from pathlib import Path
from typing import NamedTuple

from cleaner.lexicon import Lexicon, load_lexicon
from cleaner.model import Applicability, Edit, Finding, Fix, Severity
from cleaner.rulepacks import Rule
from cleaner.spin.detect import Gate
from cleaner.spin.patterns import Match, Tokens, in_spans, indefinite_article, is_sentence_start, match_case, sentence_around, spaced
from cleaner.spin.scorer import APPLY_AT, REPORT_AT, Scored


def build_fix(text: str, tokens: Tokens, match: Match, quoted: Sequence[tuple[int, int]], evidence: Mapping[str, object]) -> Fix | None:
    """Turn a match into a fix, correcting a preceding "a"/"an" in the same fix."""
    rule = match.rule
    start, end = tokens.starts[match.first], tokens.ends[match.last]
    edits = replacement_edits(text, tokens, match.first, start, end, rule.replace)
    if edits is None:
        return None
    applicability = rule.rule.applicability
    if not rule.signature and in_spans(quoted, start):
        applicability = min(applicability, Applicability.UNSAFE)
    message = rule.rule.message.format(match=edits[-1].before, replacement=edits[-1].after)
    return Fix(rule.rule.id, edits, applicability, message, evidence)


def replacement_edits(text: str, tokens: Tokens, first: int, start: int, end: int, replacement: str) -> tuple[Edit, ...] | None:
    """Return the edits that put ``replacement`` over characters ``start:end`` (token
    ``first`` on): case matched to the text, a preceding "a"/"an" corrected; ``None``
    when nothing would change or the text is ALL CAPS."""
    before = text[start:end]
    after = match_case(before, replacement)
    if after is None or after == before:
        return None
    if not before[:1].isalpha() and is_sentence_start(text, start):
        after = after[:1].upper() + after[1:]
    edits = [Edit(start, end, before, after)]
    article = tokens.lowers[first - 1] if first > 0 else ""
    if article in ("a", "an"):
        article_start, article_end = tokens.starts[first - 1], tokens.ends[first - 1]
        wanted = indefinite_article(after)
        if article != wanted and spaced(text, tokens, first - 1, first):
            written = text[article_start:article_end]
            edits.insert(0, Edit(article_start, article_end, written, match_case(written, wanted) or wanted.upper()))
    return tuple(edits)


#: Weight of the other occurrences of the same spun form in one occurrence's margin
#: (a spinner is consistent: it writes the same word for the same original throughout
#: a document, so a confident repair elsewhere strengthens a weak one here, and a
#: word the context favours once and rejects five times is left alone). Measured with
#: held-out folds (benchmarks/spin_dev.py --calibrate).
AGREEMENT = 1.0
#: A single occurrence's margin counts at most this much (natural log) in the others'
#: agreement: one extreme context must not decide every occurrence.
AGREEMENT_CLIP = 6.0


def candidate_repairs(
    text: str,
    scored: Sequence[Sequence[Scored]],
    tokens: Tokens,
    gate: Gate,
    quoted: Sequence[tuple[int, int]],
    sentence_ends: Sequence[int],
    rules: Mapping[str, Rule],
) -> tuple[list[Fix], list[Finding]]:
    """Turn the sources' candidates into fixes and findings where the gate is open.

    ``scored`` holds the candidates scored by span
    (:func:`~cleaner.spin.detect.scored_spans`). Those of one span compete on their
    margin (:meth:`~cleaner.spin.scorer.Scorer.score`) plus the
    document's agreement (:func:`agreed_margins`); where spans overlap (a phrase and a
    word inside it, from different sources) the best margin wins. At :data:`APPLY_AT`
    or more a fix (unsafe inside quotation marks), from :data:`REPORT_AT` a finding
    with the suggestion for a person, below that nothing. ``rules`` gives the rule that
    answers for each source, by source name (:func:`~cleaner.spin.candidates.source_rules`).
    """
    spans = [span for span in scored if gate.is_open(span[0].candidate.start)]
    decided = sorted(
        (best for best in map(_best, agreed_margins(tokens, spans)) if best.margin >= REPORT_AT),
        key=lambda d: -d.margin,
    )
    taken = _TakenSpans()
    fixes: list[Fix] = []
    findings: list[Finding] = []
    for best in decided:
        candidate = best.scored.candidate
        start, end = candidate.start, candidate.end
        if not taken.take(start, end):
            continue
        rule = rules[candidate.source]
        edits = replacement_edits(text, tokens, candidate.first, start, end, candidate.text)
        if edits is None:
            continue
        written, replacement = edits[-1].before, edits[-1].after
        evidence: dict[str, object] = {
            "spin": "candidate",
            "source": candidate.source,
            "margin": round(best.margin, 2),
            "context_fit": round(best.scored.context, 2),
            "rarity": round(best.scored.rarity, 2),
            "prior": candidate.prior,
            "agreement": round(best.margin - best.scored.margin, 2),
            "document_score": gate.score,
        }
        if candidate.ordinary:
            evidence["ordinary"] = True
        if best.alternatives:
            evidence["alternatives"] = best.alternatives
        message = rule.message.format(match=written, replacement=replacement)
        if best.margin >= APPLY_AT:
            applicability = Applicability.UNSAFE if in_spans(quoted, start) else rule.applicability
            fixes.append(Fix(rule.id, edits, min(applicability, rule.applicability), message, evidence))
        else:
            evidence["sentence"] = sentence_around(text, start, sentence_ends)
            findings.append(Finding(rule.id, start, end, message, Severity.WARNING, (replacement,), evidence))
    fixes.sort(key=lambda f: f.edits[0].start)
    findings.sort(key=lambda f: f.start)
    return fixes, findings


class _TakenSpans:
    """Disjoint character spans, sorted: a span is taken only if it overlaps none taken before.

    Spans are never empty (a candidate covers a token at least) and are decided best
    margin first, not in text order; the neighbours found by
    bisection are the only ones a new span can overlap, so a long document's thousands
    of repairs cost a logarithm each, not a pass over all those taken.

    >>> taken = _TakenSpans()
    >>> [taken.take(*span) for span in [(5, 9), (0, 6), (8, 12), (9, 12), (0, 5)]]
    [True, False, False, True, True]
    """

    def __init__(self) -> None:
        self._starts: list[int] = []
        self._ends: list[int] = []

    def take(self, start: int, end: int) -> bool:
        """Take ``start``-``end`` if it overlaps no span taken; say whether it did."""
        at = bisect_right(self._starts, start)
        for i in (at - 1, at):
            if 0 <= i < len(self._starts) and start < self._ends[i] and self._starts[i] < end:
                return False
        self._starts.insert(at, start)
        self._ends.insert(at, end)
        return True


class Decision(NamedTuple):
    """The winning candidate of one span, its margin with the document's agreement."""

    scored: Scored
    margin: float
    #: The other candidates' margins, by replacement text.
    alternatives: dict[str, float]


def agreed_margins(tokens: Tokens, spans: Sequence[Sequence[Scored]], weight: float | None = None) -> list[list[tuple[Scored, float]]]:
    """Add to each candidate's margin the mean context fit (clipped to :data:`AGREEMENT_CLIP`)
    the same replacement of the same spun words gets at the document's other
    occurrences, weighted :data:`AGREEMENT` (or ``weight``); return (scored, margin) pairs.

    Linear in the candidates: one pass sums the margins per (spun words, replacement),
    a second subtracts each occurrence's own share.
    """
    totals: dict[tuple[str, str], list[float]] = {}
    keys = []
    for span in spans:
        row = []
        for s in span:
            c = s.candidate
            key = (" ".join(tokens.lowers[c.first : c.last + 1]), c.text.lower())
            clipped = max(-AGREEMENT_CLIP, min(AGREEMENT_CLIP, s.context))
            entry = totals.setdefault(key, [0.0, 0])
            entry[0] += clipped
            entry[1] += 1
            row.append((key, clipped))
        keys.append(row)
    weight = AGREEMENT if weight is None else weight
    out = []
    for span, row in zip(spans, keys, strict=True):
        agreed = []
        for s, (key, clipped) in zip(span, row, strict=True):
            total, count = totals[key]
            others = (total - clipped) / (count - 1) if count > 1 else 0.0
            agreed.append((s, s.margin + weight * others))
        out.append(agreed)
    return out


def _best(span: Sequence[tuple[Scored, float]]) -> Decision:
    """Return the best candidate of one span with the others' margins as evidence."""
    ranked = sorted(span, key=lambda pair: -pair[1])
    (scored, margin), rest = ranked[0], ranked[1:]
    return Decision(scored, margin, {s.candidate.text: round(m, 2) for s, m in rest})


def fallback(
    text: str,
    tokens: Tokens,
    matches: Sequence[Match],
    candidate_spans: Sequence[tuple[int, int]],
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
    spans = [(m.first, m.last) for m in matches] + list(candidate_spans)
    covered = {i for first, last in spans for i in range(first, last + 1)}
    fixes: list[Fix] = []
    findings: list[Finding] = []
    least = min(apply_margin, report_margin)
    for i, word, margin, both_sides in fallback_suggestions(text, tokens, lexicon, covered, gate.open_spans(len(text))):
        if margin < least:
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


def fallback_suggestions(text: str, tokens: Tokens, lexicon: Lexicon, covered: set[int], within: Sequence[tuple[int, int]]) -> list[Suggestion]:
    """Return, in text order, a suggestion for each out-of-place word with a candidate.

    Only words starting inside ``within`` (sorted, disjoint character spans: where the
    gate is open, :meth:`Gate.open_spans`) are looked at, so a long document with a few
    spun paragraphs costs those paragraphs, not the whole text. In each span, suspects
    are found at once in C (``map`` over set look-ups): a thesaurus word form with no
    listed bigram on either side; only they are scored, and of their candidates only
    those forming a listed bigram with a neighbour.
    """
    found: list[Suggestion] = []
    for start, end in within:
        first, stop = bisect_left(tokens.starts, start), bisect_left(tokens.starts, end)
        if first < stop:
            found.extend(_suggestions_between(text, tokens, lexicon, covered, first, stop))
    return found


def _suggestions_between(text: str, tokens: Tokens, lexicon: Lexicon, covered: set[int], first: int, stop: int) -> list[Suggestion]:
    """Return :func:`fallback_suggestions` for the tokens ``first`` to ``stop`` (excluded)."""
    lowers, starts, ends = tokens.lowers, tokens.starts, tokens.ends
    listed_pairs = lexicon.bigrams
    # listed[j]: tokens first+j-1 and first+j form a listed bigram (False at the text's edges);
    # the window holds each end's neighbour, where there is one.
    has_left = first > 0
    window = lowers[first - has_left : stop + 1]
    inner = map(listed_pairs.__contains__, map(" ".join, zip(window, islice(window, 1, None), strict=False)))
    listed = [*([] if has_left else [False]), *inner, *([] if stop < len(lowers) else [False])]
    # The span's own tokens, taken from the window: islice over ``lowers`` itself would
    # step through every token before ``first``, for each span of a long document.
    own = islice(window, has_left, has_left + stop - first)
    suspect = map(gt, map(lexicon.forms.__contains__, own), map(or_, listed, islice(listed, 1, None)))
    found: list[Suggestion] = []
    for i in compress(range(first, stop), suspect):
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
