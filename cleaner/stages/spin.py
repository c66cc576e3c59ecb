"""Spin: detect text rewritten by an article spinner and undo its word swaps.

The stage calls the parts of :mod:`cleaner.spin` in order: curated rule matches
(:mod:`~cleaner.spin.patterns`), the document's spin gate (:mod:`~cleaner.spin.detect`),
then repairs (:mod:`~cleaner.spin.repair`): signature repairs everywhere, contextual
ones and scored candidates behind the gate. Inside quotation marks a contextual repair
is only *unsafe* (quotes are the author's words and are not applied by default) unless
the quote itself carries a signature: then the spinner rewrote it too.
"""

from __future__ import annotations

from cleaner.pipeline import Proposal, StageContext
from cleaner.spin.candidates import source_rules
from cleaner.spin.detect import Gate, evaluate_gate, evidence, remember_measure, report_data, unspun_quotes
from cleaner.spin.patterns import SENTENCE_END, cached_index
from cleaner.spin.repair import build_fix, candidate_repairs, fallback


class SpinStage:
    """Score the text for spin and propose the repairs the gate allows."""

    name = "spin"
    # One round: a later round would see repaired text and could undo a swap pair
    # (the spinner swaps 'agreement' and 'settlement' both ways).
    max_rounds = 1

    def propose(self, text: str, ctx: StageContext) -> Proposal:
        """Propose signature repairs everywhere; contextual, candidate and fallback ones behind the gate."""
        found, spans, strong = evidence(text, ctx.rules, ctx.config.spin_dictionaries)
        tokens, matches = found.tokens, found.matches
        hits = found.hits(strong)
        gate = evaluate_gate(text, tokens, hits, ctx.config.spin_threshold, paragraph_hits=found.hits())
        remember_measure(text, ctx.rules, ctx.config.spin_threshold, ctx.config.spin_dictionaries, gate, hits)
        first_gate = ctx.memo.setdefault("gate", gate)
        assert isinstance(first_gate, Gate)
        quoted = unspun_quotes(text, hits)
        sentence_ends = [m.end() for m in SENTENCE_END.finditer(text)]
        proposal = Proposal(data=report_data(text, found, gate, ctx.config.spin_threshold, sentence_ends, strong))
        # One evidence mapping per kind, shared by the fixes (they never change it).
        kinds = {kind: {"spin": kind, "document_score": first_gate.score} for kind in ("signature", "contextual")}
        for match in matches:
            offset = tokens.starts[match.first]
            if not match.rule.signature and not first_gate.is_open(offset):
                continue
            fix = build_fix(text, tokens, match, quoted, kinds["signature" if match.rule.signature else "contextual"])
            if fix:
                proposal.fixes.append(fix)
        if first_gate.spun or first_gate.spun_paragraphs:
            rules = source_rules(ctx.rules, ctx.config.spin_dictionaries)
            fixes, findings = candidate_repairs(text, spans, tokens, first_gate, quoted, sentence_ends, rules)
            proposal.fixes.extend(fixes)
            proposal.findings.extend(findings)
            covered = [(c.first, c.last) for c in found.candidates]
            for rule in cached_index(ctx.rules).fallbacks:
                fixes, findings = fallback(text, tokens, matches, covered, first_gate, quoted, sentence_ends, rule)
                proposal.fixes.extend(fixes)
                proposal.findings.extend(findings)
        return proposal


STAGE = SpinStage()
