"""Harper and LanguageTool side by side on the seeds and the spin development set.

For each engine, on every text (the five seeds; the development set's spun and clean
passages): grammar findings per category before and after cleaning (the whole
pipeline, as ``cleaner clean`` runs it, with that engine); then, on the texts as they
come, what one engine finds that the other misses (findings whose spans overlap count
as found by both), and the allowlisted safe fixes each engine applied while cleaning.

The engines name categories differently (Harper ``Spelling``, LanguageTool
``TYPOS``...), so findings are also counted in a few shared groups (:data:`GROUPS`).
LanguageTool is the server at ``CLEANER_LANGUAGETOOL_URL`` (``cleaner languagetool
serve``). Prints figures; it is not a test. Run from the project root:

    CLEANER_LANGUAGETOOL_URL=http://127.0.0.1:8081 .venv/bin/python benchmarks/grammar_compare.py [DEV_DIR]
"""

from __future__ import annotations

import argparse
import os
from collections import Counter
from pathlib import Path
from typing import cast

from cleaner import Config, clean_text
from cleaner.engines import EngineMatch, GrammarEngine
from cleaner.evaluation import read_dev_set
from cleaner.services import Services
from cleaner.stages.grammar import cached_check

ROOT = Path(__file__).resolve().parent.parent
ENGINES = ("harper", "languagetool")
#: Engine category (lower case) -> shared group, for the side-by-side counts.
GROUPS = {
    "spelling": "spelling",
    "typos": "spelling",
    "grammar": "grammar",
    "agreement": "grammar",
    "misc": "grammar",
    "wordchoice": "word choice",
    "collocations": "word choice",
    "redundancy": "style",
    "style": "style",
    "repetitions_style": "style",
    "enhancement": "style",
    "readability": "style",
    "repetition": "repetition",
    "punctuation": "punctuation",
    "typography": "punctuation",
    "formatting": "punctuation",
    "capitalization": "capitalisation",
    "casing": "capitalisation",
    "proper_nouns": "capitalisation",
}


def group(category: str) -> str:
    """Return the shared group of an engine category ('other' when unmapped)."""
    return GROUPS.get(category.lower(), "other")


def texts(dev_dir: Path) -> list[tuple[str, str]]:
    """Return (name, text) for the seeds, then the development set's passages."""
    found = [(p.name, p.read_text(encoding="utf-8")) for p in sorted((ROOT / "seeds").glob("*.txt"))]
    passages, errors = read_dev_set([dev_dir]) if dev_dir.is_dir() else ([], [])
    for error in errors:
        print(f"skipped {error.source}: {error.message}")
    return found + [(p.name, p.text) for p in passages]


def overlaps(a: EngineMatch, b: EngineMatch) -> bool:
    """Tell whether two findings cover overlapping text (an empty span touches its position)."""
    return a.start < max(b.end, b.start + 1) and b.start < max(a.end, a.start + 1)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("dev_dir", nargs="?", type=Path, default=ROOT.parent / "shared" / "spin-dev")
    args = parser.parse_args()
    url = os.environ.get("CLEANER_LANGUAGETOOL_URL", "")
    configs = {name: Config(grammar=name, languagetool_url=url if name == "languagetool" else "") for name in ENGINES}
    engines = {name: cast(GrammarEngine, Services.for_config(config)["grammar"]) for name, config in configs.items()}
    corpus = texts(args.dev_dir)
    print(f"{len(corpus)} texts, {sum(len(t) for _, t in corpus):,} chars; " + ", ".join(f"{n} {e.version}" for n, e in engines.items()))

    before: dict[str, Counter[str]] = {n: Counter() for n in ENGINES}
    after: dict[str, Counter[str]] = {n: Counter() for n in ENGINES}
    grouped_before: dict[str, Counter[str]] = {n: Counter() for n in ENGINES}
    grouped_after: dict[str, Counter[str]] = {n: Counter() for n in ENGINES}
    applied: dict[str, Counter[str]] = {n: Counter() for n in ENGINES}
    only: dict[str, Counter[str]] = {n: Counter() for n in ENGINES}
    both: Counter[str] = Counter()
    examples: dict[str, list[str]] = {n: [] for n in ENGINES}
    for name, text in corpus:
        matches = {}
        for engine_name, config in configs.items():
            result = clean_text(text, config)
            counts = cast(dict[str, dict[str, int]], result.stages["grammar"])
            for category, n in counts["before"].items():
                before[engine_name][category] += n
                grouped_before[engine_name][group(category)] += n
            for category, n in counts["after"].items():
                after[engine_name][category] += n
                grouped_after[engine_name][group(category)] += n
            applied[engine_name].update(f.rule_id for p, f in result.log.applied if p.stage == "grammar")
            matches[engine_name] = cached_check(engines[engine_name], text)
        harper, languagetool = matches["harper"], matches["languagetool"]
        for mine, theirs, engine_name in ((harper, languagetool, "harper"), (languagetool, harper, "languagetool")):
            for m in mine:
                if any(overlaps(m, t) for t in theirs):
                    if engine_name == "harper":
                        both[group(m.category)] += 1
                    continue
                only[engine_name][group(m.category)] += 1
                if len(examples[engine_name]) < 12 and group(m.category) != "spelling":
                    examples[engine_name].append(f"{name}: {m.engine_rule} ({m.category}) {text[max(0, m.start - 25) : m.end + 25]!r} -> {list(m.suggestions[:2])}")

    for engine_name in ENGINES:
        print(f"\n{engine_name}: findings before -> after cleaning, by the engine's own category")
        for category in sorted(set(before[engine_name]) | set(after[engine_name])):
            print(f"  {category:<28} {before[engine_name][category]:>5} -> {after[engine_name][category]:>5}")
        print(f"  {'total':<28} {sum(before[engine_name].values()):>5} -> {sum(after[engine_name].values()):>5}")
    groups = sorted(set().union(*grouped_before.values(), *grouped_after.values()))
    print("\nshared groups, before -> after cleaning:  " + "   ".join(f"{n:>20}" for n in ENGINES))
    for g in groups:
        print(f"  {g:<38}" + "   ".join(f"{grouped_before[n][g]:>9} -> {grouped_after[n][g]:<7}" for n in ENGINES))
    print("\non the texts as they come: found by both (overlapping spans), only by one")
    for g in sorted(set(both) | set(only["harper"]) | set(only["languagetool"])):
        print(f"  {g:<16} both {both[g]:>4}   only harper {only['harper'][g]:>4}   only languagetool {only['languagetool'][g]:>4}")
    for engine_name in ENGINES:
        print(f"\nexamples only {engine_name} finds (spelling left out):")
        for line in examples[engine_name]:
            print(f"  {line}")
    print("\nallowlisted safe fixes applied while cleaning:")
    for engine_name in ENGINES:
        print(f"  {engine_name}: " + (", ".join(f"{r} {n}" for r, n in applied[engine_name].most_common()) or "none"))


if __name__ == "__main__":
    main()
