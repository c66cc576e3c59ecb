"""Spin detection: the document's and each paragraph's spin score, with its evidence.

A signature hit (a phrase ordinary English almost never writes, or a number written
half in words such as "eight.5") counts 1, a contextual hit less; the density per
100 words is the score. The gate it opens decides where contextual repairs may fire.

Evidence that needs no list of spun forms: a *strong fit*, a word or phrase one of
whose group members fits its neighbours far better (:data:`STRONG_FIT`) than it does.
Ordinary prose has almost none (``benchmarks/spin_dev.py --detect``: at most one
distinct spun form in each clean passage and clean seed, against 3 to 9 in the spun
passages written by a synonym spinner); each distinct form counts as a signature.
"""

from __future__ import annotations

import bisect
import re
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache
from itertools import accumulate
from types import MappingProxyType
from typing import NamedTuple

from cleaner.edits import sha256_text
from cleaner.memo import remembered_for_short_texts
from cleaner.rulepacks import Rule
from cleaner.spin.candidates import Candidate, sources_for
from cleaner.spin.patterns import QUOTES, Match, Tokens, cached_index, find_matches, in_spans, tokenize
from cleaner.spin.scorer import Scored, Scorer, default_scorer


@dataclass(frozen=True, slots=True)
class Gate:
    """The spin verdict for a document: its score and which paragraphs are spun."""

    score: float
    spun: bool
    spun_paragraphs: tuple[tuple[int, int], ...]

    def is_open(self, offset: int) -> bool:
        """Tell whether contextual rules may fire at ``offset``."""
        return self.spun or in_spans(self.spun_paragraphs, offset)

    def open_spans(self, length: int) -> tuple[tuple[int, int], ...]:
        """Return where contextual rules may fire in a text of ``length`` characters, as sorted spans.

        >>> Gate(1.0, False, ((5, 9),)).open_spans(20), Gate(9.0, True, ()).open_spans(20)
        (((5, 9),), ((0, 20),))
        """
        return ((0, length),) if self.spun else self.spun_paragraphs


#: Weight of a contextual hit in the spin score. Contextual rules carry context
#: conditions, so they seldom fire on ordinary prose (none on the four clean seeds),
#: but each is weaker evidence than a signature: two count as one.
CONTEXTUAL_WEIGHT = 0.5
#: Signature hits a document needs before it can be judged spun, whatever its score:
#: contextual hits alone are ordinary English ("it used to be faster").
MIN_SIGNATURES = 2


def spin_hits(tokens: Tokens, matches: Sequence[Match], candidates: Sequence[Candidate] = ()) -> list[tuple[int, bool]]:
    """Return the spin evidence as (offset, is a signature) pairs: every rule match,
    and every span a candidate source marks as a signature (once per span)."""
    starts = tokens.starts
    hits = [(starts[m.first], m.rule.signature) for m in matches]
    hits.extend((start, True) for start in sorted({c.start for c in candidates if c.signature}))
    return hits


def evaluate_gate(text: str, tokens: Tokens, hits: Sequence[tuple[int, bool]], threshold: float, paragraph_hits: Sequence[tuple[int, bool]] | None = None) -> Gate:
    """Score the document and its paragraphs by spin evidence per 100 words.

    ``hits`` are (offset, is a signature) pairs (:func:`spin_hits`). A signature hit
    counts 1, a contextual hit :data:`CONTEXTUAL_WEIGHT`. The document
    is spun at the threshold with :data:`MIN_SIGNATURES` signature hits (a threshold
    of 0 judges every document spun, for rule examples); a paragraph
    opens on its own with a signature hit and two or more in weighted evidence at the
    threshold density.

    ``paragraph_hits`` (default: ``hits``) is the evidence that may open a paragraph:
    only evidence that stays where it is when the text around it is repaired. A strong
    fit is counted once per spun form, at its first place; once that place is repaired
    the next occurrence would become the first and open its paragraph on the next run,
    so cleaning would never settle. Strong fits count for the document only.
    """
    starts = tokens.starts
    score = 100.0 * sum(1.0 if signature else CONTEXTUAL_WEIGHT for _, signature in hits) / max(len(tokens), 1)
    document_signatures = sum(1 for _, signature in hits if signature)
    local = hits if paragraph_hits is None else paragraph_hits
    weighted = sorted((offset, 1.0 if signature else CONTEXTUAL_WEIGHT) for offset, signature in local)
    hit_starts = [offset for offset, _ in weighted]
    cumulative = list(accumulate(weight for _, weight in weighted))
    signature_starts = sorted(offset for offset, signature in local if signature)
    spun_paragraphs = []
    for para in re.finditer(r"[^\n]+(?:\n[^\n]+)*", text):
        if not _count_between(signature_starts, para.start(), para.end()):
            continue
        words = _count_between(starts, para.start(), para.end())
        first = bisect.bisect_left(hit_starts, para.start())
        last = bisect.bisect_left(hit_starts, para.end())
        weight = (cumulative[last - 1] if last else 0.0) - (cumulative[first - 1] if first else 0.0)
        if weight >= 2 and 100.0 * weight / max(words, 1) >= threshold:
            spun_paragraphs.append((para.start(), para.end()))
    spun = threshold <= 0 or (score >= threshold and document_signatures >= MIN_SIGNATURES)
    return Gate(round(score, 2), spun, tuple(spun_paragraphs))


def unspun_quotes(text: str, hits: Sequence[tuple[int, bool]]) -> list[tuple[int, int]]:
    """Return the quotations with no signature hit inside, as (start, end) pairs.

    A quotation is the speaker's words, so a contextual repair inside it is only
    unsafe; but a quotation holding a signature ("financial institution", "eight.5")
    was rewritten by the spinner like the rest (some spinners spin quotes, some do
    not), and its repairs are as safe as any.
    """
    signatures = sorted(offset for offset, signature in hits if signature)
    return [(m.start(), m.end()) for m in QUOTES.finditer(text) if not _count_between(signatures, m.start(), m.end())]


def _count_between(sorted_offsets: Sequence[int], start: int, end: int) -> int:
    """Count offsets in ``[start, end)`` of a sorted list."""
    return bisect.bisect_left(sorted_offsets, end) - bisect.bisect_left(sorted_offsets, start)



#: Context margin (natural log, the source's prior left out) from which a candidate
#: fits much better than the words it would replace: spin evidence of its own.
#: Chosen on the development set (benchmarks/spin_dev.py --detect): the clean passages
#: and seeds have no more than one distinct spun form at this margin.
STRONG_FIT = 6.0


def scored_spans(text: str, tokens: Tokens, candidates: Sequence[Candidate], scorer: Scorer) -> list[list[Scored]]:
    """Score every candidate once, grouped by span (candidates are in text order)."""
    spans: list[list[Scored]] = []
    previous: tuple[int, int] | None = None
    for c in candidates:
        if (c.start, c.end) != previous:
            spans.append([])
            previous = (c.start, c.end)
        spans[-1].append(scorer.score(text, tokens, c))
    return spans


def strong_fits(tokens: Tokens, spans: Sequence[Sequence[Scored]], rules: tuple[Rule, ...]) -> dict[str, tuple[int, str]]:
    """Return each distinct spun form (not itself a signature) whose best candidate fits
    by :data:`STRONG_FIT` or more: form -> (offset of its first such place, the candidate).

    Only the spinner groups (rules of kind ``spinner-groups``) give this evidence: their
    members are what spinners write. A broader source (a user's undirected dictionary)
    proposes for ordinary words too, so its good fits say nothing about spinning.
    """
    allowed = _evidence_sources(rules)
    found: dict[str, tuple[int, str]] = {}
    for span in spans:
        c = span[0].candidate
        if c.signature or not c.contextual or c.source not in allowed:
            continue
        best = max(span, key=lambda s: s.margin - s.candidate.prior)
        if best.margin - best.candidate.prior >= STRONG_FIT:
            found.setdefault(" ".join(tokens.lowers[c.first : c.last + 1]), (c.start, best.candidate.text))
    return found


@lru_cache(maxsize=32)
def _evidence_sources(rules: tuple[Rule, ...]) -> frozenset[str]:
    """Return the names of the sources whose strong fits count as spin evidence."""
    return frozenset(rule.id for rule in rules if rule.kind == "spinner-groups")


class Scan(NamedTuple):
    """What a document offers the spin stage: its words, the curated rules' matches,
    and the candidate sources' proposals outside those matches (both in text order)."""

    tokens: Tokens
    matches: list[Match]
    candidates: list[Candidate]

    def hits(self, strong: Mapping[str, tuple[int, str]] | None = None) -> list[tuple[int, bool]]:
        """Return the document's spin evidence (:func:`spin_hits`), with the strong
        fits (:func:`strong_fits`) as signatures."""
        hits = spin_hits(self.tokens, self.matches, self.candidates)
        hits.extend((offset, True) for offset, _ in (strong or {}).values())
        return hits


def scan(text: str, rules: tuple[Rule, ...], dictionaries: tuple[str, ...] = ()) -> Scan:
    """Match the curated rules and collect every source's candidates not inside a match."""
    tokens = tokenize(text)
    matches = find_matches(text, tokens, cached_index(rules))
    covered = {i for m in matches for i in range(m.first, m.last + 1)}
    candidates = [
        c
        for source in sources_for(rules, dictionaries)
        for c in source.scan(text, tokens)
        if not covered.intersection(range(c.first, c.last + 1))
    ]
    return Scan(tokens, matches, sorted(candidates))


class Evidence(NamedTuple):
    """A text's scan, its candidates scored by span, and its strong fits: shared by
    the callers of :func:`evidence`, so read only."""

    found: Scan
    spans: tuple[tuple[Scored, ...], ...]
    strong: Mapping[str, tuple[int, str]]


def evidence(text: str, rules: tuple[Rule, ...], dictionaries: tuple[str, ...] = ()) -> Evidence:
    """Scan ``text``, score its candidates (:func:`scored_spans`) and find its strong fits.

    Remembered for the last two texts of up to 100,000 characters: the pipeline's
    confirmation run scans the text the first run repaired, and the report then measures
    that same text as the output (:func:`measure`), so each document's last text is
    scanned and scored once, not twice; a longer one is scanned again when asked twice,
    so a large document holds one scan at a time, not several.
    """
    return _remembered_evidence(text, rules, dictionaries)


def _evidence(text: str, rules: tuple[Rule, ...], dictionaries: tuple[str, ...]) -> Evidence:
    """Compute :func:`evidence` (never remembered)."""
    found = scan(text, rules, dictionaries)
    # The scorer's word counts load at the first document that has a candidate to score.
    spans = tuple(map(tuple, scored_spans(text, found.tokens, found.candidates, default_scorer()))) if found.candidates else ()
    return Evidence(found, spans, MappingProxyType(strong_fits(found.tokens, spans, rules)))


_remembered_evidence = remembered_for_short_texts(_evidence, max_length=100_000, maxsize=2)


def measure(text: str, rules: tuple[Rule, ...], threshold: float, dictionaries: tuple[str, ...] = ()) -> dict[str, object]:
    """Return the spin score of ``text`` and whether it reads as spun (used on outputs).

    The spin stage's last run is usually over the output itself (it found nothing more
    to repair), and it left its measure here (:func:`remember_measure`): then nothing is
    scanned again, which for a large document the evidence memo cannot spare.
    """
    known = _last_measure.get((sha256_text(text), rules, threshold, dictionaries))
    if known is not None:
        return dict(known)
    found, _, strong = evidence(text, rules, dictionaries)
    hits = found.hits(strong)
    return _measured(evaluate_gate(text, found.tokens, hits, threshold), hits)


def remember_measure(text: str, rules: tuple[Rule, ...], threshold: float, dictionaries: tuple[str, ...], gate: Gate, hits: Sequence[tuple[int, bool]]) -> None:
    """Keep what :func:`measure` would return for ``text`` (one text at a time, by its SHA-256)."""
    _last_measure.clear()
    _last_measure[(sha256_text(text), rules, threshold, dictionaries)] = _measured(gate, hits)


def _measured(gate: Gate, hits: Sequence[tuple[int, bool]]) -> dict[str, object]:
    return {"score": gate.score, "spun": gate.spun, "signature_hits": sum(1 for _, signature in hits if signature)}


#: The measure of the last text the spin stage ran on, keyed by the text's SHA-256 and
#: the settings it was measured under: a small record, never the text or its scan. A
#: key that does not match (another document, another thread's) only means a scan.
_last_measure: dict[tuple[str, tuple[Rule, ...], float, tuple[str, ...]], dict[str, object]] = {}


def report_data(text: str, found: Scan, gate: Gate, threshold: float, sentence_ends: list[int], strong: Mapping[str, tuple[int, str]]) -> dict[str, object]:
    """Summarise the spin evidence: document score, rule and source counts, and the sentences with evidence.

    Only the sentences a rule matched in are listed, each with its span, word count,
    score (signature matches per hundred words) and evidence, as the report writes them:
    a sentence without evidence says nothing, and listing every one of a large document
    kept a record per sentence for the whole run (most of its spin memory).
    """
    tokens, matches = found.tokens, found.matches
    starts, ends = tokens.starts, tokens.ends
    bounds = [*sentence_ends, len(text)]
    by_sentence: dict[int, list[Match]] = {}  # matches in text order, under the sentence each starts in
    for match in matches:
        by_sentence.setdefault(bisect.bisect_right(bounds, starts[match.first]), []).append(match)
    sentences = []
    for index, within in by_sentence.items():
        start, end = bounds[index - 1] if index else 0, bounds[index]
        words = bisect.bisect_left(starts, end) - bisect.bisect_left(starts, start)  # at least the match's own
        evidence = [{"rule": m.rule.rule.id, "text": text[starts[m.first] : ends[m.last]], "kind": "signature" if m.rule.signature else "contextual"} for m in within]
        sentences.append({"start": start, "end": end, "words": words, "score": round(100.0 * sum(m.rule.signature for m in within) / words, 2), "evidence": evidence})
    signature_hits = sum(match.rule.signature for match in matches)
    return {
        "score": gate.score,
        "threshold": threshold,
        "spun": gate.spun,
        "spun_paragraphs": len(gate.spun_paragraphs),
        "signature_hits": signature_hits,
        "contextual_hits": len(matches) - signature_hits,
        "rules": dict(sorted(Counter(m.rule.rule.id for m in matches).items())),
        # Signature spans the candidate sources found, by source (detection evidence).
        "source_signatures": dict(sorted(Counter(c.source for c in {c.start: c for c in found.candidates if c.signature}.values()).items())),
        # Spun forms a group member fits far better than (evidence without a lexicon of spun forms).
        "strong_fits": {form: replacement for form, (_, replacement) in sorted(strong.items())},
        "sentences": sentences,
    }
