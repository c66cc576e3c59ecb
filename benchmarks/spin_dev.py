"""Spin repair on the development set of real spun news, per passage and per held-out fold.

Prints figures; it is not a test. Run from the project root:

    .venv/bin/python benchmarks/spin_dev.py [DEV_DIR] [--detect] [--misses] [--calibrate] [--ablate]

``DEV_DIR`` (default ``../shared/spin-dev``) holds ``spun_NN.json`` / ``clean_NN.json``
and its scorer ``despin_score.py``. Figures: substitutions repaired, clean spans damaged,
WER before and after per passage; words changed per 1,000 on the clean passages.

``--detect``: the detection evidence of every passage and clean seed (signatures, distinct
strong fits, score, verdict). ``--misses``: why each counted substitution left unrepaired was missed, per passage: the
gate closed there, no candidate for it, the original not among the candidates, the right
candidate ranked first but below the threshold, another candidate chosen, a rule's
replacement not the original, or its parts repaired but the whole not (an overlap, an
article, a skipped fix). ``--calibrate``: the folds. The 14 passages are split into 5 folds by site (passages of
one site stay together); for each fold the source priors (the ordinary prior of everyday
members too) are chosen on the other four
(the best repaired-minus-damage score over a small grid, damage and wrong repairs
weighted 3) and measured on the held-out fold, so no figure comes from the passages
its priors were tuned on. ``--ablate``: what each candidate source contributes (the
dev set with one source switched off at a time).
"""

from __future__ import annotations

import argparse
import importlib.util
import itertools
import json
import sys
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, replace
from pathlib import Path
from types import ModuleType
from typing import NamedTuple

from cleaner.api import CleanResult, clean_text
from cleaner.config import Config
from cleaner.rulepacks import RuleRegistry, load_registry
from cleaner.spin import repair
from cleaner.spin.candidates import Candidate
from cleaner.spin.detect import Gate, Scan, evaluate_gate, scan, scored_spans, strong_fits
from cleaner.spin.patterns import Tokens
from cleaner.spin.scorer import APPLY_AT, Scored, default_scorer, neighbours

ROOT = Path(__file__).resolve().parent.parent
OFF = Config(grammar="off")
#: Clean prose is measured through the spin stage alone: other stages' edits (boilerplate
#: removal in the seeds) are not spin repairs.
SPIN_ONLY = Config(grammar="off", stages=("spin",))
#: The values the calibration tries for the ``prior`` of every spinner-groups rule.
GRID = (-1.0, 0.0, 1.0, 2.0, 3.0, 5.0)
#: The values it tries for their ``ordinary_prior`` (one value for every such rule): the
#: prior of a swap whose spun member is an everyday word (marked "~" in a groups file).
ORDINARY_GRID = (-2.0, -1.0, 0.0, 1.0)
#: The frequency weights it tries in the fit of those forms (scorer.ORDINARY_FREQUENCY_WEIGHT).
ORDINARY_FREQUENCY_GRID = (0.0, 0.5, 1.0)
#: Weights of the document's agreement (repair.AGREEMENT) and of the spun words'
#: rarity (scorer.RARITY_WEIGHT) the calibration tries.
AGREEMENT_GRID = (0.0, 0.5, 1.0)
RARITY_GRID = (0.0, 0.25, 0.5, 1.0)


@dataclass(frozen=True, slots=True)
class Passage:
    """One development-set passage: spun text with annotations, or clean text."""

    name: str
    site: str
    data: Mapping[str, object]


def load_dev(folder: Path) -> tuple[list[Passage], list[Passage], ModuleType]:
    """Read the spun and clean passages and the set's own scorer module."""
    spec = importlib.util.spec_from_file_location("despin_score", folder / "despin_score.py")
    if spec is None or spec.loader is None:
        sys.exit(f"{folder}: no despin_score.py (is this the development set folder?)")
    scorer = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(scorer)

    def read(pattern: str) -> list[Passage]:
        out = []
        for path in sorted(folder.glob(pattern)):
            data = json.loads(path.read_text(encoding="utf-8"))
            site = str(data.get("source_url", "")).split("/")[2] if "//" in str(data.get("source_url", "")) else path.stem
            out.append(Passage(path.stem, site, data))
        return out

    return read("spun_*.json"), read("clean_*.json"), scorer


def calibrated(registry: RuleRegistry) -> tuple[str, ...]:
    """Return the rules whose ``prior`` the calibration varies: every spinner-groups source."""
    return tuple(r.id for r in registry.for_stage("spin") if r.kind == "spinner-groups")


def with_priors(registry: RuleRegistry, priors: Mapping[str, float], ordinary: float | None = None) -> RuleRegistry:
    """Return the registry with the given rules' ``prior`` replaced (and their
    ``ordinary_prior``, when ``ordinary`` is given)."""
    extra = {} if ordinary is None else {"ordinary_prior": ordinary}
    rules = tuple(replace(r, params={**r.params, "prior": priors[r.id], **extra}) if r.id in priors else r for r in registry.rules)
    return RuleRegistry(rules, registry.digest + repr(sorted(priors.items())) + repr(ordinary))


def clean_with(text: str, registry: RuleRegistry, config: Config = OFF) -> CleanResult:
    """Clean ``text`` with an explicit registry (the API caches one per rule-folder list)."""
    from cleaner import api

    api._REGISTRY_CACHE[config.rules] = registry
    return clean_text(text, config)


def score_spun(passages: Sequence[Passage], registry: RuleRegistry, scorer: ModuleType) -> list[dict[str, object]]:
    """Clean and score each spun passage."""
    results = []
    for p in passages:
        out = clean_with(str(p.data["spun"]), registry).output
        s = scorer.score(p.data["spun"], out, p.data["annotations"], p.data.get("clean_spans", []), p.data.get("gold"))
        outside = changed_outside(str(p.data["spun"]), out, p.data["annotations"], scorer)  # type: ignore[arg-type]
        results.append({"name": p.name, "site": p.site, "style": str(p.data.get("spinner_style", "?"))[:1], "outside": outside, **s})
    return results


def changed_outside(spun: str, cleaned: str, annotations: Sequence[Mapping[str, object]], scorer: ModuleType) -> list[str]:
    """Return the words changed outside every annotation (optional ones included):
    edits of words the spinner left alone, damage the clean spans may not cover."""
    spans = [(pos, pos + len(str(a["spun"]))) for a in annotations if (pos := spun.find(str(a["spun"]))) >= 0]
    tin, tout = scorer.tokens(spun), scorer.tokens(cleaned)
    mapping = scorer._map(tin, tout)
    return [w for k, (w, o) in enumerate(tin) if w[0].isalnum() and k not in mapping and not any(a <= o < b for a, b in spans)]


def changed_words(passages: Sequence[Passage], registry: RuleRegistry, scorer: ModuleType, field: str = "text") -> tuple[int, int, list[str]]:
    """Return words changed, words in all, and the changed words, over clean texts."""
    changed: list[str] = []
    words = 0
    for p in passages:
        text = str(p.data[field])
        tin, tout = scorer.tokens(text), scorer.tokens(clean_with(text, registry, SPIN_ONLY).output)
        mapping = scorer._map(tin, tout)
        idx = [k for k, (w, _) in enumerate(tin) if w[0].isalnum()]
        changed += [tin[k][0] for k in idx if k not in mapping]
        words += len(idx)
    return len(changed), words, changed


def totals(results: Sequence[Mapping[str, object]]) -> tuple[int, int, int, int]:
    """Return repaired, counted, damaged (clean spans) and words changed outside the
    annotations over some scored passages."""
    return (
        sum(int(r["repaired"]) for r in results),  # type: ignore[call-overload]
        sum(int(r["annotated"]) for r in results),  # type: ignore[call-overload]
        sum(len(r["damaged"]) for r in results),  # type: ignore[arg-type]
        sum(len(r["outside"]) for r in results),  # type: ignore[arg-type]
    )


def folds(passages: Sequence[Passage], count: int = 5) -> list[list[Passage]]:
    """Split passages into ``count`` folds by site, sites dealt round-robin in name order."""
    sites = sorted({p.site for p in passages})
    groups: list[list[Passage]] = [[] for _ in range(count)]
    for k, site in enumerate(sites):
        groups[k % count].extend(p for p in passages if p.site == site)
    return [g for g in groups if g]


def objective(results: Sequence[Mapping[str, object]]) -> float:
    """Repairs minus three times the damage (clean spans and words changed outside the
    annotations): precision matters more than recall."""
    repaired, _, damaged, outside = totals(results)
    return repaired - 3 * (damaged + outside)


def print_table(results: Sequence[Mapping[str, object]]) -> None:
    """Print one line per passage and the total."""
    print("| passage | site | style | repaired | damaged | changed outside | WER before -> after |")
    print("|---|---|---|---|---|---|---|")
    for r in results:
        print(f"| {r['name']} | {r['site']} | {r['style']} | {r['repaired']}/{r['annotated']} | {len(r['damaged'])} | {len(r['outside'])} | {r['wer_before']:.1%} -> {r['wer_after']:.1%} |")  # type: ignore[arg-type]
    repaired, counted, damaged, outside = totals(results)
    print(f"total: repaired {repaired}/{counted} ({repaired / max(counted, 1):.0%}), damaged {damaged} clean spans, {outside} words changed outside the annotations")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("dev", nargs="?", default=str(ROOT.parent / "shared" / "spin-dev"))
    parser.add_argument("--calibrate", action="store_true")
    parser.add_argument("--ablate", action="store_true")
    parser.add_argument("--missed", action="store_true", help="list the missed substitutions and damaged spans")
    parser.add_argument("--misses", action="store_true", help="why each missed substitution was missed, counted per passage")
    parser.add_argument("--detect", action="store_true", help="the detection evidence of every passage and clean seed")
    args = parser.parse_args()
    spun, clean, scorer = load_dev(Path(args.dev))
    registry = load_registry()
    results = score_spun(spun, registry, scorer)
    print_table(results)
    if args.missed:
        for r in results:
            print(r["name"], "missed:", r["missed"], "DAMAGED:", r["damaged"])
    seeds = [Passage(p.stem, "seed", {"text": p.read_text(encoding="utf-8")}) for p in sorted((ROOT / "seeds").glob("*.txt")) if not p.name.startswith("001_")]
    # The spun passages' originals are ordinary news too, written before any spinner.
    for label, texts, field in (("dev clean passages", clean, "text"), ("clean seeds", seeds, "text"), ("originals of the spun passages", spun, "gold")):
        n, words, which = changed_words(texts, registry, scorer, field)
        print(f"{label}: {n} of {words} words changed ({1000 * n / max(words, 1):.2f} per 1,000) {which[:12]}")
    if args.detect:
        detection(spun, clean, seeds, registry)
    if args.misses:
        misses(spun, registry, scorer, results)
    if args.ablate:
        ablate(spun, registry, scorer)
    if args.calibrate:
        calibrate(spun, registry, scorer)


def detection(spun: Sequence[Passage], clean: Sequence[Passage], seeds: Sequence[Passage], registry: RuleRegistry) -> None:
    """Print each text's detection evidence: signature hits of the rules and sources, the
    distinct strong fits (:func:`~cleaner.spin.detect.strong_fits`), the score and verdict."""
    rules = registry.for_stage("spin")
    print("| text | words | signatures | strong fits | score | spun | strong fits found |")
    print("|---|---|---|---|---|---|---|")
    for p, field in [*((p, "spun") for p in spun), *((p, "text") for p in [*clean, *seeds])]:
        text = str(p.data[field])
        found = scan(text, rules)
        strong = strong_fits(found.tokens, scored_spans(text, found.tokens, found.candidates, default_scorer()), rules)
        signatures = sum(1 for _, signature in found.hits() if signature)
        gate = evaluate_gate(text, found.tokens, found.hits(strong), OFF.spin_threshold)
        shown = ", ".join(f"{form} -> {replacement}" for form, (_, replacement) in list(strong.items())[:4])
        print(f"| {p.name} | {len(found.tokens)} | {signatures} | {len(strong)} | {gate.score} | {gate.spun or bool(gate.spun_paragraphs)} | {shown} |")


#: The causes of a miss, in the order they are printed.
CAUSES = (
    "gate closed",
    "no candidate",
    "original not among candidates",
    "rule replacement wrong",
    "right first, below threshold",
    "other chosen",
    "other first, below threshold",
    "parts repaired, whole not",
    "insertion needed",
    "not in stage input",
)


def misses(spun: Sequence[Passage], registry: RuleRegistry, scorer: ModuleType, results: Sequence[Mapping[str, object]]) -> None:
    """Print, per passage and in total, why each counted substitution was missed.

    The spin stage's own steps are rerun on its input text (scan, scores, gate); each
    missed annotation is split into the segments where spun and original differ, and
    the first segment that would not be repaired names the cause.
    """
    rules = registry.for_stage("spin")
    total: dict[str, int] = dict.fromkeys(CAUSES, 0)
    examples: dict[str, list[str]] = {}
    print("| passage | " + " | ".join(CAUSES) + " |")
    print("|---|" + "---|" * len(CAUSES))
    for p, result in zip(spun, results, strict=True):
        run = clean_with(str(p.data["spun"]), registry)
        text = next((x.input_text for x in run.log.passes if x.stage == "spin"), str(p.data["spun"]))
        found = scan(text, rules)
        spans = scored_spans(text, found.tokens, found.candidates, default_scorer())
        gate = evaluate_gate(text, found.tokens, found.hits(strong_fits(found.tokens, spans, rules)), OFF.spin_threshold)
        by_span = {(span[0].candidate.start, span[0].candidate.end): span for span in spans}
        missed = set(result["missed"])  # type: ignore[call-overload]
        counts = dict.fromkeys(CAUSES, 0)
        for ann in p.data["annotations"]:  # type: ignore[attr-defined]
            if ann["spun"] in missed:
                cause = _miss_cause(text, found, gate, by_span, ann, scorer)
                counts[cause] += 1
                examples.setdefault(cause, []).append(f"{ann['spun']!r} -> {ann['fix'][0]!r}")
        for cause, n in counts.items():
            total[cause] += n
        print(f"| {p.name} | " + " | ".join(str(counts[c]) for c in CAUSES) + " |")
    print("| total | " + " | ".join(str(total[c]) for c in CAUSES) + " |")
    for cause in CAUSES:
        if cause in examples:
            print(f"{cause}: {', '.join(examples[cause][:12])}")


def _miss_cause(text: str, found: Scan, gate: Gate, by_span: Mapping[tuple[int, int], list[Scored]], ann: Mapping[str, object], scorer: ModuleType) -> str:
    """Name why one annotation was not repaired (see :func:`misses`)."""
    from difflib import SequenceMatcher

    pos = text.find(str(ann["spun"]))
    if pos < 0:
        return "not in stage input"
    spun_tokens, fix_tokens = scorer.tokens(ann["spun"]), scorer.tokens(ann["fix"][0])  # type: ignore[index]
    spun_words, fix_words = [scorer.norm(t) for t, _ in spun_tokens], [scorer.norm(t) for t, _ in fix_tokens]
    for op, i1, i2, j1, j2 in SequenceMatcher(None, spun_words, fix_words, autojunk=False).get_opcodes():
        if op == "equal":
            continue
        if i1 == i2:
            return "insertion needed"
        for token, offset in spun_tokens[i1:i2]:
            if token[0].isalnum():
                cause = _segment_cause(found, gate, by_span, pos + offset, pos + offset + len(token), set(fix_words[j1:j2]))
                if cause:
                    return cause
    return "parts repaired, whole not"


def _segment_cause(found: Scan, gate: Gate, by_span: Mapping[tuple[int, int], list[Scored]], start: int, end: int, wanted: set[str]) -> str | None:
    """Return why characters ``start:end`` would not get the words ``wanted``, or ``None``."""
    tokens = found.tokens
    for m in found.matches:
        if tokens.starts[m.first] < end and tokens.ends[m.last] > start:
            if not set(m.rule.replace.lower().split()) <= wanted:
                return "rule replacement wrong"
            return None if m.rule.signature or gate.is_open(start) else "gate closed"
    spans = [span for (s, e), span in by_span.items() if s < end and e > start]
    if not spans:
        return "no candidate"
    if not gate.is_open(start):
        return "gate closed"
    if not any(set(x.candidate.text.lower().split()) <= wanted for span in spans for x in span):
        return "original not among candidates"
    best = max((x for span in spans for x in span), key=lambda x: x.margin)
    right = set(best.candidate.text.lower().split()) <= wanted
    if best.margin < APPLY_AT:
        return "right first, below threshold" if right else "other first, below threshold"
    return None if right else "other chosen"


def ablate(spun: Sequence[Passage], registry: RuleRegistry, scorer: ModuleType) -> None:
    """Print what each source (rule pack or rule) and each decision signal contributes:
    the development set with one of them switched off at a time."""
    from cleaner.spin import detect

    full = totals(score_spun(spun, registry, scorer))
    print(f"all on: repaired {full[0]}/{full[1]}, damaged {full[2]}, changed outside {full[3]}")

    def line(label: str, result: tuple[int, int, int, int]) -> None:
        repaired, counted, damaged, outside = result
        print(f"without {label}: repaired {repaired}/{counted} ({repaired - full[0]:+d}), damaged {damaged}, changed outside {outside}")

    parts = sorted({r.pack for r in registry.for_stage("spin")} | {r.id for r in registry.for_stage("spin") if r.pack == "spin.groups"})
    for part in parts:
        line(part, totals(score_spun(spun, registry.select((), (part,)), scorer)))
    line("the sources' priors (all 0)", totals(score_spun(spun, with_priors(registry, dict.fromkeys(calibrated(registry), 0.0)), scorer)))
    switches = (("document agreement", repair, "AGREEMENT", 0.0), ("strong fits in detection", detect, "STRONG_FIT", float("inf")))
    for label, module, name, off in switches:
        shipped = getattr(module, name)
        setattr(module, name, off)
        try:
            line(label, totals(score_spun(spun, registry, scorer)))
        finally:
            setattr(module, name, shipped)


class Choice(NamedTuple):
    """One candidate on the development set, as the decision sees it, with its label."""

    start: int
    end: int
    source: str
    context: float
    rarity: float
    #: Mean clipped context fit of the same replacement elsewhere in the document.
    others: float
    #: 1: the original; -1: a wrong edit (another word, or a word the spinner left); 0: optional.
    label: int
    #: Whether the spun form is an everyday word (its rule's ``ordinary_prior`` applies).
    ordinary: bool = False
    #: An ordinary form's context fit at frequency weights 0 and 1 (the fit is linear
    #: in the weight, so any weight's fit follows from these two).
    pmi_context: float = 0.0
    full_context: float = 0.0


@dataclass(frozen=True, slots=True)
class Weights:
    """The decision's calibrated parameters."""

    priors: Mapping[str, float]
    rarity: float
    agreement: float
    #: The prior of every calibrated rule's ordinary spun forms.
    ordinary: float
    #: The frequency weight in the fit of those forms.
    ordinary_frequency: float = 1.0

    def describe(self) -> str:
        """The weights in one line."""
        return (
            f"priors {dict(self.priors)}, ordinary prior {self.ordinary} (frequency weight {self.ordinary_frequency}), "
            f"rarity {self.rarity}, agreement {self.agreement}"
        )

    def prior(self, c: Choice) -> float:
        """The prior of one candidate: its rule's, or the ordinary one for an everyday spun form."""
        if c.ordinary and c.source in self.priors:
            return self.ordinary
        return self.priors.get(c.source, 0.0)

    def margin(self, c: Choice) -> float:
        """The decision margin of one candidate (as :func:`repair.candidate_repairs` computes it)."""
        context = c.pmi_context + self.ordinary_frequency * (c.full_context - c.pmi_context) if c.ordinary else c.context
        return context + self.rarity * c.rarity + self.prior(c) + self.agreement * c.others

    def registry(self, registry: RuleRegistry) -> RuleRegistry:
        """Return ``registry`` with these priors in its rules."""
        return with_priors(registry, self.priors, self.ordinary)


def choices(p: Passage, registry: RuleRegistry, scorer: ModuleType) -> list[list[Choice]]:
    """Return the candidates of one spun passage behind its open gate, by span, labelled."""
    run = clean_with(str(p.data["spun"]), registry)
    text = next((x.input_text for x in run.log.passes if x.stage == "spin"), str(p.data["spun"]))
    rules = registry.for_stage("spin")
    found = scan(text, rules)
    spans = scored_spans(text, found.tokens, found.candidates, default_scorer())
    gate = evaluate_gate(text, found.tokens, found.hits(strong_fits(found.tokens, spans, rules)), OFF.spin_threshold)
    spans = [span for span in spans if gate.is_open(span[0].candidate.start)]
    agreed = repair.agreed_margins(found.tokens, spans, weight=1.0)
    annotations = []
    for ann in p.data["annotations"]:  # type: ignore[attr-defined]
        if (pos := text.find(ann["spun"])) >= 0:
            wanted = {scorer.norm(t) for fix in ann["fix"] for t, _ in scorer.tokens(fix)}
            annotations.append((pos, pos + len(ann["spun"]), wanted, bool(ann.get("optional"))))
    out = []
    for span in agreed:
        row = []
        for scored, with_all in span:
            c = scored.candidate
            inside = [a for a in annotations if a[0] <= c.start < a[1]]
            words = {scorer.norm(t) for t, _ in scorer.tokens(c.text)}
            label = -1 if not inside else 0 if inside[0][3] else 1 if words <= inside[0][2] else -1
            pmi, full = ordinary_contexts(text, found.tokens, c) if c.ordinary else (0.0, 0.0)
            row.append(Choice(c.start, c.end, c.source, scored.context, scored.rarity, with_all - scored.margin, label, c.ordinary, pmi, full))
        out.append(row)
    return out


def ordinary_contexts(text: str, tokens: Tokens, c: Candidate) -> tuple[float, float]:
    """Return an ordinary candidate's context fit at frequency weights 0 and 1 (both 0
    with no neighbour on either side, as :meth:`Scorer.score` has it)."""
    left, right = neighbours(text, tokens, c.first, c.last)
    if left is None and right is None:
        return 0.0, 0.0
    spun, words = tokens.lowers[c.first : c.last + 1], c.text.lower().split()
    scorer = default_scorer()
    return tuple(scorer.fit(left, words, right, w) - scorer.fit(left, spun, right, w) for w in (0.0, 1.0))  # type: ignore[return-value]


def simulate(spans: Sequence[Sequence[Choice]], weights: Weights) -> tuple[int, int, int]:
    """Return (right, wrong inside annotations, wrong outside) of the decisions ``weights`` make."""
    best = sorted((max(span, key=weights.margin) for span in spans), key=lambda c: -weights.margin(c))
    taken: list[tuple[int, int]] = []
    right = wrong = 0
    for c in best:
        if weights.margin(c) < APPLY_AT or any(c.start < e and s < c.end for s, e in taken):
            continue
        taken.append((c.start, c.end))
        right += c.label == 1
        wrong += c.label == -1
    return right, wrong, 0


@contextmanager
def weights_set(weights: Weights) -> Iterator[None]:
    """Run the pipeline with ``weights``' module-level parameters, the shipped ones restored after."""
    from cleaner.spin import scorer as spin_scorer

    shipped = (repair.AGREEMENT, spin_scorer.RARITY_WEIGHT, spin_scorer.ORDINARY_FREQUENCY_WEIGHT)
    repair.AGREEMENT, spin_scorer.RARITY_WEIGHT, spin_scorer.ORDINARY_FREQUENCY_WEIGHT = weights.agreement, weights.rarity, weights.ordinary_frequency
    try:
        yield
    finally:
        repair.AGREEMENT, spin_scorer.RARITY_WEIGHT, spin_scorer.ORDINARY_FREQUENCY_WEIGHT = shipped


def calibrate(spun: Sequence[Passage], registry: RuleRegistry, scorer: ModuleType) -> None:
    """Choose the decision's weights on four folds, measure on the fifth; print per-fold figures.

    The choice is made on the candidates' recorded features (:func:`choices`, one
    pipeline run per passage): right repairs minus three times the wrong edits, over a
    grid of source priors, the ordinary prior, rarity and agreement weights. The held-out fold is then
    cleaned for real with the chosen weights.
    """
    recorded = {p.name: choices(p, registry, scorer) for p in spun}
    sources = calibrated(registry)
    grid = [
        Weights(dict(zip(sources, values, strict=True)), rarity, agreement, ordinary, ordinary_frequency)
        for values in itertools.product(GRID, repeat=len(sources))
        for rarity in RARITY_GRID
        for agreement in AGREEMENT_GRID
        for ordinary in ORDINARY_GRID
        for ordinary_frequency in ORDINARY_FREQUENCY_GRID
    ]

    def gain(weights: Weights, names: Sequence[str]) -> int:
        right, wrong, _ = map(sum, zip(*(simulate(recorded[n], weights) for n in names), strict=True))
        return right - 3 * wrong

    held_out_all: list[Mapping[str, object]] = []
    for k, fold in enumerate(folds(spun)):
        names = {p.name for p in fold}
        best = max(grid, key=lambda w: gain(w, [p.name for p in spun if p.name not in names]))
        with weights_set(best):
            held = score_spun(fold, best.registry(registry), scorer)
        held_out_all += held
        repaired, counted, damaged, outside = totals(held)
        print(f"fold {k + 1} ({', '.join(sorted({p.site for p in fold}))}): {best.describe()} "
              f"-> held out {repaired}/{counted} ({repaired / max(counted, 1):.0%}), damaged {damaged}, changed outside {outside}")
    repaired, counted, damaged, outside = totals(held_out_all)
    print(f"all folds held out: {repaired}/{counted} ({repaired / max(counted, 1):.0%}), damaged {damaged}, changed outside {outside}")
    ranked = sorted(grid, key=lambda w: -gain(w, [p.name for p in spun]))
    print(f"best on all {len(spun)} passages: {ranked[0].describe()} (gain {gain(ranked[0], [p.name for p in spun])})")
    # The shipped weights: the best on all passages that keep seed 001 free of edits
    # outside its gold (the test suite's condition), tried in order of gain.
    for tried, weights in enumerate(ranked, 1):
        if not seed_outside(registry, weights):
            print(f"shipped: {weights.describe()} (gain {gain(weights, [p.name for p in spun])}; the first of {tried} in order of gain to leave seed 001 clean outside its gold)")
            break


def seed_outside(registry: RuleRegistry, weights: Weights) -> list[str]:
    """Return seed 001's spin edits outside its gold annotation under ``weights``."""
    from cleaner.evaluation import evaluate, read_gold

    seed = next((ROOT / "seeds").glob("001_*.txt"))
    with weights_set(weights):
        from cleaner import api

        api._REGISTRY_CACHE[OFF.rules] = weights.registry(registry)
        result = api.clean_bytes(seed.read_bytes(), seed.name, OFF)
    return [str(o) for o in evaluate(result, read_gold(ROOT / "tests" / "gold" / f"{seed.stem}.gold.tsv")).outside]


if __name__ == "__main__":
    main()
