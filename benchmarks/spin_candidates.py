"""Candidate coverage: is the annotated original among what the spin sources propose?

Prints figures; it is not a test. Run from the project root:

    .venv/bin/python benchmarks/spin_candidates.py [DEV_DIR] [--missed] [--spin-dictionary FILE]

Recall is lost in two places: the original is never proposed (candidate generation),
or it is proposed and not chosen (scoring, the gate). This script measures the first.
For every counted annotation of the development set (``DEV_DIR``, default
``../shared/spin-dev``: ``spun_NN.json`` with ``annotations``, ``clean_NN.json``) it
tells whether some choice of the candidates proposed over the annotated span turns
the spun words into one of the annotation's fixes; per source (each candidate source
and the curated rule packs, each on its own) and for all of them together, per
passage and in total; the reverse thesaurus is measured too, though no rule runs it
yet (``cleaner/spin/candidates.py``). The cost side: how many candidate positions (distinct spans)
each source opens on the clean passages and the clean seeds (every position is a
chance of a wrong edit and costs a scorer call once the gate opens), and how many of
them are signatures (which count towards opening the gate).
"""

from __future__ import annotations

import argparse
import itertools
import json
import re
import sys
from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path
from typing import NamedTuple

from cleaner.rulepacks import Rule, builtin_rules_dir, load_registry
from cleaner.spin.candidates import CandidateSource, ThesaurusSource, sources_for
from cleaner.spin.patterns import cached_index, find_matches, tokenize

ROOT = Path(__file__).resolve().parent.parent
#: The development set's own word split (``despin_score.tokens``), lower-cased, ’ as '.
_TOKEN = re.compile(r"\w+(?:['’]\w+)*|[^\w\s]")
#: Annotations with more proposals than this over their span are judged on their
#: first combinations only (none in the development set comes near it).
MAX_COMBINATIONS = 20000
#: The reverse thesaurus, measured as a source though no rule runs it yet.
THESAURUS = ThesaurusSource("reverse-thesaurus (no rule yet)", builtin_rules_dir() / "spin" / "reverse-thesaurus.tsv", 0.0)


class Proposal(NamedTuple):
    """One proposed replacement of characters ``start:end`` by ``text``."""

    start: int
    end: int
    text: str
    source: str
    signature: bool


def words(text: str) -> list[str]:
    """Return the text's tokens as the development set's scorer compares them."""
    return [m.group(0).lower().replace("’", "'") for m in _TOKEN.finditer(text)]


def proposals(text: str, rules: tuple[Rule, ...], dictionaries: tuple[str, ...] = ()) -> list[Proposal]:
    """Return everything the curated rules and the candidate sources propose in ``text``.

    Unlike the stage, a source's candidates are kept where a curated rule matched too:
    each source is measured on its own.
    """
    tokens = tokenize(text)
    found = [
        Proposal(tokens.starts[m.first], tokens.ends[m.last], m.rule.replace, m.rule.rule.pack, m.rule.signature)
        for m in find_matches(text, tokens, cached_index(rules))
    ]
    sources: list[CandidateSource | ThesaurusSource] = [*sources_for(rules, dictionaries), THESAURUS]
    for source in sources:
        found.extend(Proposal(c.start, c.end, c.text, source.name, c.signature) for c in source.scan(text, tokens))
    return found


def covered(text: str, start: int, end: int, fixes: Sequence[str], found: Sequence[Proposal]) -> bool:
    """Tell whether non-overlapping proposals turn ``text[start:end]`` into one of ``fixes``.

    A proposal may reach past the annotated span (``brand new`` -> ``new`` for the
    annotation ``a brand`` -> ``a``) as long as what it covers outside stays as it was.
    Only proposals whose words all occur in some fix are tried.
    """
    targets = [words(f) for f in fixes]
    wanted = {w for t in targets for w in t}
    useful = sorted({p for p in found if p.start < end and p.end > start and set(words(p.text)) <= wanted})
    tried = 0
    for size in range(1, min(len(useful), 6) + 1):
        for chosen in itertools.combinations(useful, size):
            if any(a.end > b.start for a, b in itertools.pairwise(chosen)):
                continue
            tried += 1
            if tried > MAX_COMBINATIONS:
                return False
            lo, hi = min(start, chosen[0].start), max(end, chosen[-1].end)
            pieces, cursor = [], lo
            for p in chosen:
                pieces += [text[cursor : p.start], p.text]
                cursor = p.end
            pieces.append(text[cursor:hi])
            result = words("".join(pieces))
            before, after = words(text[lo:start]), words(text[end:hi])
            if any(result == before + t + after for t in targets):
                return True
    return False


class Annotation(NamedTuple):
    """A counted annotation: where its spun words are and what may replace them."""

    passage: str
    start: int
    end: int
    spun: str
    fixes: tuple[str, ...]


def counted_annotations(name: str, data: Mapping[str, object]) -> list[Annotation]:
    """Return the annotations the development set's scorer counts (not optional, fix differs)."""
    text = str(data["spun"])
    found = []
    for ann in data["annotations"]:  # type: ignore[attr-defined]
        spun = ann["spun"]
        pos = text.find(spun)
        if pos < 0 or ann.get("optional") or any(words(f) == words(spun) for f in ann["fix"]):
            continue
        found.append(Annotation(name, pos, pos + len(spun), spun, tuple(ann["fix"])))
    return found


def coverage(
    spun: Sequence[tuple[str, Mapping[str, object]]], rules: tuple[Rule, ...], dictionaries: tuple[str, ...]
) -> list[tuple[Annotation, set[str], bool, bool]]:
    """Return, per counted annotation: the sources covering it alone, whether the
    stage's sources together cover it, and whether any of them touches its span at all."""
    results = []
    for name, data in spun:
        text = str(data["spun"])
        found = proposals(text, rules, dictionaries)
        by_source: dict[str, list[Proposal]] = defaultdict(list)
        for p in found:
            by_source[p.source].append(p)
        for ann in counted_annotations(name, data):
            alone = {s for s, ps in by_source.items() if covered(text, ann.start, ann.end, ann.fixes, ps)}
            staged = [p for p in found if p.source != THESAURUS.name]
            together = bool(alone - {THESAURUS.name}) or covered(text, ann.start, ann.end, ann.fixes, staged)
            touched = any(p.start < ann.end and p.end > ann.start for p in staged)
            results.append((ann, alone, together, touched))
    return results


def positions(texts: Iterable[str], rules: tuple[Rule, ...], dictionaries: tuple[str, ...]) -> tuple[int, Counter[str], Counter[str]]:
    """Return the words in ``texts`` and, per source, the candidate positions and signature positions."""
    total = 0
    opened: Counter[str] = Counter()
    signatures: Counter[str] = Counter()
    for text in texts:
        total += len(tokenize(text))
        spans: dict[str, set[tuple[int, int]]] = defaultdict(set)
        marked: dict[str, set[tuple[int, int]]] = defaultdict(set)
        for p in proposals(text, rules, dictionaries):
            spans[p.source].add((p.start, p.end))
            if p.signature:
                marked[p.source].add((p.start, p.end))
        opened.update({s: len(v) for s, v in spans.items()})
        signatures.update({s: len(v) for s, v in marked.items()})
    return total, opened, signatures


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("dev", nargs="?", default=str(ROOT.parent / "shared" / "spin-dev"))
    parser.add_argument("--missed", action="store_true", help="list the annotations no source covers")
    parser.add_argument("--spin-dictionary", action="append", default=[], help="also measure a spinner dictionary (a|b|c lines)")
    args = parser.parse_args()
    folder = Path(args.dev)
    spun = [(p.stem, json.loads(p.read_text(encoding="utf-8"))) for p in sorted(folder.glob("spun_*.json"))]
    clean = [json.loads(p.read_text(encoding="utf-8"))["text"] for p in sorted(folder.glob("clean_*.json"))]
    if not spun:
        sys.exit(f"{folder}: no spun_*.json (is this the development set folder?)")
    seeds = [p.read_text(encoding="utf-8") for p in sorted((ROOT / "seeds").glob("*.txt")) if not p.name.startswith("001_")]
    rules = load_registry().for_stage("spin")
    dictionaries = tuple(args.spin_dictionary)
    results = coverage(spun, rules, dictionaries)

    print("| passage | counted | covered (the stage's sources) | touched |")
    print("|---|---|---|---|")
    for name, group in itertools.groupby(results, key=lambda r: r[0].passage):
        rows = list(group)
        print(f"| {name} | {len(rows)} | {sum(r[2] for r in rows)} | {sum(r[3] for r in rows)} |")
    n = len(results)
    together = sum(r[2] for r in results)
    print(f"coverage, the stage's sources together: {together}/{n} ({together / n:.0%}); some proposal touches the span: {sum(r[3] for r in results)}/{n}")
    with_thesaurus = sum(r[2] or THESAURUS.name in r[1] for r in results)
    print(f"coverage by the stage's sources or the reverse thesaurus alone: {with_thesaurus}/{n} ({with_thesaurus / n:.0%})")
    alone = Counter(s for r in results for s in r[1])
    only = Counter(next(iter(r[1])) for r in results if len(r[1]) == 1)
    for source, count in alone.most_common():
        print(f"  {source}: covers {count}/{n} ({count / n:.0%}) alone, {only[source]} that no other source covers")
    for label, texts in (("dev clean passages", clean), ("clean seeds", seeds)):
        total, opened, marked = positions(texts, rules, dictionaries)
        print(
            f"{label} ({total} words): candidate positions {sum(opened.values())} ({1000 * sum(opened.values()) / max(total, 1):.0f} per 1,000 words), signatures {sum(marked.values())}"
        )
        for source, count in opened.most_common():
            print(f"  {source}: {count} positions, {marked[source]} signatures")
    if args.missed:
        for ann, _, together_, touched in results:
            if not together_:
                print(f"missed {ann.passage}: {ann.spun!r} -> {ann.fixes[0]!r}{'' if touched else ' (nothing proposed there)'}")


if __name__ == "__main__":
    main()
