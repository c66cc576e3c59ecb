"""Measure spin repair on spun text assembled from other sources.

Seed 001 is the only real spun article in the repository, and the rules were written
while reading it, so its figure is a training-set figure. This script builds spun text
the rules have not seen: it takes the four clean seeds (articles from other sites) and
runs a spinner over them, then cleans the result and compares it with the originals.

Spinners:

* ``seed-001 vocabulary``: the swaps annotated in seed 001's gold (original -> spun),
  made wherever the original occurs in the other articles. The vocabulary is known
  to the rules, the sentences are not: this measures whether the rules are general
  reversals or fit only seed 001's sentences.
* ``observed``: the substitutions listed in ``benchmarks/data/heldout_pairs.tsv``,
  seen in a spun article on another site. Every occurrence of an original is
  replaced, as that spinner does. Pairs marked ``B`` were never turned into rules.
  Alone they are too sparse to open the spin gate, so they are also measured mixed
  with the seed-001 vocabulary, as a real spun article mixes them.
* ``wordnet``: a thesaurus spinner that replaces one in eight content words with a
  WordNet synonym (fixed random seed), the kind of swap no rule lists; it measures
  the generic fallback and the damage it may do.

For each: substitutions injected, repaired (the original restored), missed, edits
outside the injected spans (damage to prose the spinner left alone), and word error
rate against the original before and after cleaning.

Prints figures; it is not a test. Run: .venv/bin/python benchmarks/spin_heldout.py
"""

from __future__ import annotations

import random
import re
import sys
from dataclasses import replace
from pathlib import Path

from cleaner.api import clean_text
from cleaner.config import Config
from cleaner.edits import splice
from cleaner.evaluation import read_gold, word_error_rate
from cleaner.lexicon import load_lexicon
from cleaner.model import Edit
from cleaner.spin.patterns import match_case

ROOT = Path(__file__).resolve().parent.parent
PAIRS = Path(__file__).resolve().parent / "data" / "heldout_pairs.tsv"
GOLD = ROOT / "tests" / "gold" / "001_52652048721d3da2.gold.tsv"
SPUN_SEED = "001_52652048721d3da2.txt"


def clean_originals() -> list[tuple[str, str]]:
    """Return (name, text) of the clean seeds after normalise and structure (the spinner's input)."""
    config = replace(Config(), grammar="off", select=("normalise", "structure"))
    return [
        (p.name, clean_text(p.read_text(encoding="utf-8"), config).output)
        for p in sorted((ROOT / "seeds").glob("*.txt"))
        if p.name != SPUN_SEED
    ]


def spin_with(text: str, swaps: list[tuple[int, int, str]]) -> tuple[str, list[Edit]]:
    """Apply ``swaps`` (start, end, replacement) and return the spun text and the repairs.

    Each substitution comes back as the :class:`Edit` that undoes it: its span in the
    spun text, the spun words (``before``) and the original (``after``).
    """
    pieces, injected, cursor, shift = [], [], 0, 0
    for start, end, spun in sorted(swaps):
        if start < cursor:
            continue
        pieces.append(text[cursor:start])
        pieces.append(spun)
        injected.append(Edit(start + shift, start + shift + len(spun), spun, text[start:end]))
        shift += len(spun) - (end - start)
        cursor = end
    pieces.append(text[cursor:])
    return "".join(pieces), injected


def observed_pairs(sets: str) -> list[tuple[str, str]]:
    """Return (original, spun) pairs of the table's sets named in ``sets``."""
    pairs = []
    for line in PAIRS.read_text(encoding="utf-8").splitlines():
        if line and not line.startswith("#"):
            original, spun, which = line.split("\t")
            if which in sets:
                pairs.append((original, spun))
    return pairs


def seed_pairs() -> list[tuple[str, str]]:
    """Return (original, spun) pairs from seed 001's gold (required spans)."""
    pairs = {(g.repairs[0], g.spun) for g in read_gold(GOLD) if g.required and g.repairs[0].lower() != g.spun.lower()}
    return sorted(pairs, key=lambda p: (-len(p[0]), p))  # ties in a fixed order, not hash order


def swaps_for(text: str, pairs: list[tuple[str, str]]) -> list[tuple[int, int, str]]:
    """Every occurrence of an original (longest first, no overlaps), with case kept."""
    swaps: list[tuple[int, int, str]] = []
    taken: set[int] = set()
    for original, spun in sorted(pairs, key=lambda p: -len(p[0])):
        for m in re.finditer(rf"(?<![\w’']){re.escape(original)}(?![\w’'])", text, flags=re.IGNORECASE):
            if taken.isdisjoint(range(m.start(), m.end())):
                taken.update(range(m.start(), m.end()))
                swaps.append((m.start(), m.end(), match_case(m.group(), spun) or m.group()))
    return swaps


def wordnet_swaps(text: str, rng: random.Random) -> list[tuple[int, int, str]]:
    """Replace one in eight lower-case content words with a thesaurus synonym."""
    lexicon = load_lexicon(ROOT / "rules" / "spin" / "thesaurus.tsv")
    swaps = []
    for m in re.finditer(r"\b[a-z]{4,}\b", text):
        synonyms = [s for s in lexicon.synonyms.get(m.group(), ()) if " " not in s]
        if synonyms and rng.random() < 1 / 8:
            swaps.append((m.start(), m.end(), rng.choice(synonyms)))
    return swaps


def judge(spun: str, injected: list[Edit], original: str, counted: set[str] | None = None) -> tuple[int, int, list[str], tuple[float, float]]:
    """Clean ``spun``; return (repaired, injected, outside edits, WER before and after).

    With ``counted``, only substitutions of those originals (lower case) are counted.
    """
    result = clean_text(spun, replace(Config(), grammar="off", select=("spin",)))
    edits = [e for p in result.log.passes if p.stage == "spin" for f in p.applied for e in f.edits]
    used: set[Edit] = set()
    repaired = 0
    for span in injected:
        covering = [e for e in edits if e.start < span.end and span.start < e.end]
        used.update(covering)
        if counted is not None and span.after.lower() not in counted:
            continue
        if not covering:
            continue
        low, high = min(span.start, *(e.start for e in covering)), max(span.end, *(e.end for e in covering))
        got = splice(spun[low:high], [Edit(e.start - low, e.end - low, e.before, e.after) for e in covering])
        wanted = spun[low : span.start] + span.after + spun[span.end : high]
        repaired += got.lower() == wanted.lower()
    outside = [f"{e.before!r} -> {e.after!r}" for e in edits if e not in used]
    total = sum(1 for s in injected if counted is None or s.after.lower() in counted)
    return repaired, total, outside, (word_error_rate(spun, original), word_error_rate(result.output, original))


def report(label: str, make_swaps, counted: set[str] | None = None) -> None:  # type: ignore[no-untyped-def]
    """Spin every clean seed with ``make_swaps``, clean it, print the figures."""
    total_repaired = total = 0
    wrong: list[str] = []
    rates: list[tuple[float, float]] = []
    for _name, text in clean_originals():
        spun, injected = spin_with(text, make_swaps(text))
        repaired, count, outside, wer = judge(spun, injected, text, counted)
        total_repaired += repaired
        total += count
        wrong.extend(outside)
        rates.append(wer)
    before = sum(w[0] for w in rates) / len(rates)
    after = sum(w[1] for w in rates) / len(rates)
    rate = total_repaired / total if total else 1.0
    print(f"{label}: {total_repaired}/{total} substitutions repaired ({rate:.1%}), {len(wrong)} edits outside them, WER {before:.4f} -> {after:.4f}")
    for line in wrong[:10]:
        print(f"    outside: {line}")


def main() -> None:
    sets = sys.argv[1] if len(sys.argv) > 1 else "B"
    report("seed-001 vocabulary on the other articles", lambda text: swaps_for(text, seed_pairs()))
    report(f"observed spinner, pair set(s) {sets} alone", lambda text: swaps_for(text, observed_pairs(sets)))
    mixed = observed_pairs(sets) + seed_pairs()
    report(f"observed set(s) {sets} mixed with seed-001 vocabulary", lambda text: swaps_for(text, mixed))
    held_out = {original.lower() for original, _ in observed_pairs(sets)}
    report(f"  counting only the set {sets} swaps", lambda text: swaps_for(text, mixed), held_out)
    rng = random.Random(2026)
    report("wordnet spinner (1 in 8 content words)", lambda text: wordnet_swaps(text, rng))


if __name__ == "__main__":
    main()
