"""Structure: remove scraped debris and repair broken words, keeping every sentence.

Rule kinds handled here:

``repeated-paragraph``
    A paragraph that repeats an earlier one (exactly, or nearly by word similarity) is
    removed with its separator; the first occurrence stays.
``line-pattern``
    A whole paragraph matching the pattern (boilerplate) is removed.
``pattern``
    A regular-expression replacement inside text (hyphenation, glued words).
``corpus-block``
    A paragraph repeated across the batch's documents (a site's footer on every page),
    as counted before the batch by :mod:`cleaner.repeated_blocks`.

Every removal is an edit whose ``before`` holds the removed text, so nothing is lost.
"""

from __future__ import annotations

import sys
from collections.abc import Sequence
from functools import lru_cache

from cleaner.document import Paragraph, lower_words, paragraphs
from cleaner.model import Edit, Finding, Fix, Severity
from cleaner.patterns import Haystack, RequiredStrings, RulePattern, compile_pattern
from cleaner.pipeline import Proposal, StageContext
from cleaner.rulepacks import Rule
from cleaner.stages.near_duplicates import ParagraphIndex


class RoundText:
    """One round's text, with what several rules need of it made once: its paragraphs, their words, the patterns' matches."""

    __slots__ = ("_boilerplate", "_line_rules", "_narrowed", "_paragraphs", "_sources", "_word_keys", "text", "whole")

    def __init__(self, text: str, rules: Sequence[Rule]) -> None:
        self.text = text
        self.whole = Haystack(text)
        self._sources = tuple(rule.str_param("pattern") for rule in rules if rule.kind in ("line-pattern", "pattern"))
        self._line_rules = tuple(rule for rule in rules if rule.kind == "line-pattern")
        self._narrowed: dict[str, RulePattern | None] | None = None
        self._paragraphs: list[Paragraph] | None = None
        self._boilerplate: dict[str, list[Paragraph]] | None = None
        self._word_keys: list[tuple[str, ...]] | None = None

    def paragraphs(self) -> list[Paragraph]:
        """Return the text's paragraphs (:func:`paragraphs`)."""
        if self._paragraphs is None:
            self._paragraphs = list(paragraphs(self.text))
        return self._paragraphs

    def boilerplate(self, rule: Rule) -> list[Paragraph]:
        """Return the paragraphs the ``line-pattern`` ``rule``'s pattern matches whole, stripped.

        Every such rule's are found in one pass over the paragraphs: each paragraph that
        some pattern's length admits is made ready for matching once, for all of them,
        and dropped before the next (kept for every paragraph, they were twice a large
        document's size). A paragraph of white space only is never boilerplate: a pattern
        whose parts are all optional would otherwise match it (normalise owns blank lines).
        """
        if self._boilerplate is None:
            live = [(found.id, pattern) for found in self._line_rules if (pattern := self.pattern(found.str_param("pattern"))) is not None]
            self._boilerplate = {found.id: [] for found in self._line_rules}
            shortest, longest = min((p.widths[0] for _, p in live), default=1), max((p.widths[1] for _, p in live), default=0)
            for para in self.paragraphs() if live else ():
                content = para.text.strip()
                if content and shortest <= len(content) <= longest:
                    haystack = Haystack(content)
                    for rule_id, pattern in live:
                        if pattern.fullmatch(haystack):
                            self._boilerplate[rule_id].append(para)
        return self._boilerplate[rule.id]

    def word_keys(self) -> list[tuple[str, ...]]:
        """Return each paragraph's :func:`word_key`, in order (both repeat rules compare them)."""
        if self._word_keys is None:
            self._word_keys = [word_key(para.text) for para in self.paragraphs()]
        return self._word_keys

    def pattern(self, source: str) -> RulePattern | None:
        """Return the rule pattern ``source`` narrowed to what this text holds (``None``: it matches nowhere in it)."""
        if self._narrowed is None:  # every rule's at once: one pass over the text
            self._narrowed = dict(zip(self._sources, _required_strings(self._sources).narrowed(self.whole)))
        return self._narrowed[source]


@lru_cache(maxsize=8)
def _required_strings(sources: tuple[str, ...]) -> RequiredStrings:
    """The strings the patterns of a rule set need, found in one pass (one finder per rule set)."""
    return RequiredStrings([compile_pattern(source) for source in sources])


def word_key(text: str) -> tuple[str, ...]:
    """Return the lower-cased words of ``text``: what 'the same paragraph' compares.

    Words are interned: a long document repeats few distinct words, and one string per
    distinct word (not per occurrence) keeps the keys of every paragraph small.
    """
    return tuple(map(sys.intern, lower_words(text)))


def find_repeats(rule: Rule, round_text: RoundText, proposal: Proposal) -> None:
    """Remove later copies of a paragraph; the first occurrence is kept.

    The near-copy search is bounded (:data:`~cleaner.stages.near_duplicates.WORK_PER_PARAGRAPH`):
    in a document whose paragraphs all share their words it stops, and a finding at the
    paragraph where it did says that later near copies were not sought.
    """
    min_words = int(rule.param("min_words", 1))  # type: ignore[call-overload]
    max_words = int(rule.param("max_words", 10_000))  # type: ignore[call-overload]
    similarity = float(rule.param("similarity", 1.0))  # type: ignore[arg-type]
    within_first = int(rule.param("within_first", 0))  # type: ignore[call-overload]

    def comparable(key: tuple[str, ...]) -> bool:
        """Whether a paragraph of these words is one the rule compares (by its length)."""
        return min_words <= len(key) <= max_words

    text = round_text.text
    keyed = [(position, para, key) for position, (para, key) in enumerate(zip(round_text.paragraphs(), round_text.word_keys(), strict=True))]
    keys: list[tuple[str, ...]] = []
    if not within_first or similarity < 1.0:  # near copies rank words by rarity over every paragraph
        keys = [key for _, _, key in keyed if comparable(key)]
        if len(keys) < 2:  # nothing to repeat: skip indexing (one long paragraph is common)
            return
    index = ParagraphIndex(keys, similarity)
    kept = 0
    for position, para, key in keyed:
        # ``within_first`` counts the paragraphs that stay: each copy removed brings the
        # next paragraph into the window, so one round reaches what repeated rounds would.
        if within_first and kept == within_first:
            break
        searching = not index.stopped
        original = index.earlier_copy(key) if comparable(key) else None
        if searching and index.stopped:
            message = f"near copies of paragraphs were not sought from paragraph {position + 1} on: the document's paragraphs share too many words for a bounded search (exact copies still are)"
            proposal.findings.append(Finding(rule.id, para.start, para.end, message, Severity.INFO, evidence={"paragraph": position + 1}))
        if original is not None:
            proposal.fixes.append(Fix(rule.id, (para.removal(text),), rule.applicability, rule.message, {"repeats_paragraph": original + 1}))
            continue
        kept += 1
        if comparable(key):
            index.add(key, position)


def find_boilerplate(rule: Rule, round_text: RoundText, proposal: Proposal) -> None:
    """Remove whole paragraphs that match a boilerplate pattern (:meth:`RoundText.boilerplate`)."""
    text = round_text.text
    proposal.fixes.extend(Fix(rule.id, (para.removal(text),), rule.applicability, rule.message, {}) for para in round_text.boilerplate(rule))


def find_pattern(rule: Rule, round_text: RoundText, proposal: Proposal) -> None:
    """Apply a regular-expression replacement rule, one fix per match."""
    pattern = round_text.pattern(rule.str_param("pattern"))
    if pattern is None:
        return
    template = rule.str_param("replace")
    for match in pattern.finditer(round_text.whole):
        after = match.expand(template)
        if after != match.group():
            proposal.fixes.append(Fix(rule.id, (Edit(match.start(), match.end(), match.group(), after),), rule.applicability, rule.message, {}))


class StructureStage:
    """Propose removals and repairs from the structure rule packs."""

    name = "structure"
    max_rounds = 4

    def propose(self, text: str, ctx: StageContext) -> Proposal:
        """Run each rule by its kind."""
        from cleaner.repeated_blocks import find_corpus_blocks

        kinds = {"repeated-paragraph": find_repeats, "line-pattern": find_boilerplate, "pattern": find_pattern}
        proposal = Proposal()
        round_text = RoundText(text, ctx.rules)
        for rule in ctx.rules:
            if rule.kind == "corpus-block":
                proposal.fixes.extend(find_corpus_blocks(rule, round_text.paragraphs(), text, ctx.config))
            else:
                kinds[rule.kind](rule, round_text, proposal)
        return proposal


STAGE = StructureStage()
