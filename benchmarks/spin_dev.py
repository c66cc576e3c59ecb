"""Spin repair on the development set of real spun news, per passage and per held-out fold.

Prints figures; it is not a test. Run from the project root:

    .venv/bin/python benchmarks/spin_dev.py [DEV_DIR] [--calibrate] [--ablate]

``DEV_DIR`` (default ``../shared/spin-dev``) holds ``spun_NN.json`` / ``clean_NN.json``
and its scorer ``despin_score.py``. Figures: substitutions repaired, clean spans damaged,
WER before and after per passage; words changed per 1,000 on the clean passages.

``--calibrate``: the folds. The 14 passages are split into 5 folds by site (passages of
one site stay together); for each fold the source priors are chosen on the other four
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
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from types import ModuleType

from cleaner.api import clean_text
from cleaner.config import Config
from cleaner.rulepacks import Rule, RuleRegistry, load_registry

ROOT = Path(__file__).resolve().parent.parent
OFF = Config(grammar="off")
#: Clean prose is measured through the spin stage alone: other stages' edits (boilerplate
#: removal in the seeds) are not spin repairs.
SPIN_ONLY = Config(grammar="off", stages=("spin",))
#: Rules whose ``prior`` the calibration varies, and the values it tries.
CALIBRATED = ("spin.groups.closed-class", "spin.groups.vocabulary")
GRID = (-3.0, -2.0, -1.0, 0.0, 1.0)


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


def with_priors(registry: RuleRegistry, priors: Mapping[str, float]) -> RuleRegistry:
    """Return the registry with the given rules' ``prior`` replaced."""
    rules = tuple(replace(r, params={**r.params, "prior": priors[r.id]}) if r.id in priors else r for r in registry.rules)
    return RuleRegistry(rules, registry.digest + repr(sorted(priors.items())))


def clean_with(text: str, registry: RuleRegistry, config: Config = OFF) -> str:
    """Clean ``text`` with an explicit registry (the API caches one per rule-folder list)."""
    from cleaner import api

    api._REGISTRY_CACHE[config.rules] = registry
    return clean_text(text, config).output


def score_spun(passages: Sequence[Passage], registry: RuleRegistry, scorer: ModuleType) -> list[dict[str, object]]:
    """Clean and score each spun passage."""
    results = []
    for p in passages:
        out = clean_with(str(p.data["spun"]), registry)
        s = scorer.score(p.data["spun"], out, p.data["annotations"], p.data.get("clean_spans", []), p.data.get("gold"))
        results.append({"name": p.name, "site": p.site, "style": str(p.data.get("spinner_style", "?"))[:1], **s})
    return results


def changed_words(passages: Sequence[Passage], registry: RuleRegistry, scorer: ModuleType, field: str = "text") -> tuple[int, int, list[str]]:
    """Return words changed, words in all, and the changed words, over clean texts."""
    changed: list[str] = []
    words = 0
    for p in passages:
        text = str(p.data[field])
        tin, tout = scorer.tokens(text), scorer.tokens(clean_with(text, registry, SPIN_ONLY))
        mapping = scorer._map(tin, tout)
        idx = [k for k, (w, _) in enumerate(tin) if w[0].isalnum()]
        changed += [tin[k][0] for k in idx if k not in mapping]
        words += len(idx)
    return len(changed), words, changed


def totals(results: Sequence[Mapping[str, object]]) -> tuple[int, int, int]:
    """Return repaired, counted and damaged over some scored passages."""
    return (
        sum(int(r["repaired"]) for r in results),  # type: ignore[call-overload]
        sum(int(r["annotated"]) for r in results),  # type: ignore[call-overload]
        sum(len(r["damaged"]) for r in results),  # type: ignore[arg-type]
    )


def folds(passages: Sequence[Passage], count: int = 5) -> list[list[Passage]]:
    """Split passages into ``count`` folds by site, sites dealt round-robin in name order."""
    sites = sorted({p.site for p in passages})
    groups: list[list[Passage]] = [[] for _ in range(count)]
    for k, site in enumerate(sites):
        groups[k % count].extend(p for p in passages if p.site == site)
    return [g for g in groups if g]


def objective(results: Sequence[Mapping[str, object]]) -> float:
    """Repairs minus three times the damage: precision matters more than recall."""
    repaired, _, damaged = totals(results)
    return repaired - 3 * damaged


def print_table(results: Sequence[Mapping[str, object]]) -> None:
    """Print one line per passage and the total."""
    print("| passage | site | style | repaired | damaged | WER before -> after |")
    print("|---|---|---|---|---|---|")
    for r in results:
        print(f"| {r['name']} | {r['site']} | {r['style']} | {r['repaired']}/{r['annotated']} | {len(r['damaged'])} | {r['wer_before']:.1%} -> {r['wer_after']:.1%} |")  # type: ignore[arg-type]
    repaired, counted, damaged = totals(results)
    print(f"total: repaired {repaired}/{counted} ({repaired / max(counted, 1):.0%}), damaged {damaged} clean spans")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("dev", nargs="?", default=str(ROOT.parent / "shared" / "spin-dev"))
    parser.add_argument("--calibrate", action="store_true")
    parser.add_argument("--ablate", action="store_true")
    parser.add_argument("--missed", action="store_true", help="list the missed substitutions and damaged spans")
    args = parser.parse_args()
    spun, clean, scorer = load_dev(Path(args.dev))
    registry = load_registry()
    results = score_spun(spun, registry, scorer)
    print_table(results)
    if args.missed:
        for r in results:
            print(r["name"], "missed:", r["missed"], "DAMAGED:", r["damaged"])
    seeds = [Passage(p.stem, "seed", {"text": p.read_text(encoding="utf-8")}) for p in sorted((ROOT / "seeds").glob("*.txt")) if not p.name.startswith("001_")]
    for label, texts in (("dev clean passages", clean), ("clean seeds", seeds)):
        n, words, which = changed_words(texts, registry, scorer)
        print(f"{label}: {n} of {words} words changed ({1000 * n / max(words, 1):.2f} per 1,000) {which[:12]}")
    if args.ablate:
        ablate(spun, registry, scorer)
    if args.calibrate:
        calibrate(spun, registry, scorer)


def ablate(spun: Sequence[Passage], registry: RuleRegistry, scorer: ModuleType) -> None:
    """Print the repairs lost when each source (rule pack or rule) is switched off."""
    full = totals(score_spun(spun, registry, scorer))
    parts = sorted({r.pack for r in registry.for_stage("spin")} | {r.id for r in registry.for_stage("spin") if r.pack == "spin.groups"})
    for part in parts:
        without = registry.select((), (part,))
        repaired, counted, damaged = totals(score_spun(spun, without, scorer))
        print(f"without {part}: repaired {repaired}/{counted} ({full[0] - repaired:+d} lost), damaged {damaged}")


def calibrate(spun: Sequence[Passage], registry: RuleRegistry, scorer: ModuleType) -> None:
    """Choose priors on four folds, measure on the fifth; print per-fold figures."""
    splits = folds(spun)
    grid = [dict(zip(CALIBRATED, values, strict=True)) for values in itertools.product(GRID, repeat=len(CALIBRATED))]
    # Every passage scored once per grid point; folds then only add up.
    scored = {i: {p.name: r for p, r in zip(spun, score_spun(spun, with_priors(registry, priors), scorer), strict=True)} for i, priors in enumerate(grid)}
    held_out_all: list[Mapping[str, object]] = []
    for k, fold in enumerate(splits):
        names = {p.name for p in fold}
        train = [p.name for p in spun if p.name not in names]
        best = max(scored, key=lambda i: objective([scored[i][n] for n in train]))
        held = [scored[best][p.name] for p in fold]
        held_out_all += held
        repaired, counted, damaged = totals(held)
        print(f"fold {k + 1} ({', '.join(sorted({p.site for p in fold}))}): priors {grid[best]} -> held out {repaired}/{counted} ({repaired / max(counted, 1):.0%}), damaged {damaged}")
    repaired, counted, damaged = totals(held_out_all)
    print(f"all folds held out: {repaired}/{counted} ({repaired / max(counted, 1):.0%}), damaged {damaged}")
    best_all = max(scored, key=lambda i: objective(list(scored[i].values())))
    print(f"priors chosen on all 14 passages (for the shipped rules): {grid[best_all]}")


if __name__ == "__main__":
    main()
