"""Measure the spin fallback alone, to choose its confidence thresholds.

The substitution rules are switched off and the gate is forced open, so every
suggestion the thesaurus fallback makes is visible. On seed 001 (spun, with a
hand-annotated gold) a suggestion is *right* when it restores an acceptable repair of
a gold span, *wrong-repair* when it touches a gold span with another word, *wrong* when
it touches text the spinner left alone. On the four clean seeds every suggestion is
wrong. The table shows, for each margin threshold, how many suggestions would be
applied and how many of those are right: the applied threshold in
``rules/spin/fallback.toml`` is the lowest one with no wrong edit here.

Prints figures; it is not a test. Run: .venv/bin/python benchmarks/spin_fallback.py
"""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

from cleaner.api import clean_text
from cleaner.config import Config
from cleaner.evaluation import locate, read_gold
from cleaner.lexicon import load_lexicon
from cleaner.rulepacks import load_registry
from cleaner.spin.patterns import tokenize
from cleaner.spin.repair import fallback_suggestions

ROOT = Path(__file__).resolve().parent.parent
SPUN = ROOT / "seeds" / "001_52652048721d3da2.txt"
GOLD = ROOT / "tests" / "gold" / "001_52652048721d3da2.gold.tsv"
THRESHOLDS = (0.0, 2.0, 4.0, 6.0, 8.0, 10.0, 12.0)


def spin_input(path: Path) -> str:
    """Return the text the spin stage sees for ``path`` (after normalise and structure)."""
    config = replace(Config(), grammar="off", select=("normalise", "structure"))
    return clean_text(path.read_text(encoding="utf-8"), config).output


def suggestions(text: str) -> list[tuple[int, int, str, float]]:
    """Return every fallback suggestion on ``text``: start, end, word, margin."""
    rule = load_registry().get("spin.fallback.thesaurus")
    assert rule is not None
    lexicon = load_lexicon(Path(rule.source_file).parent / rule.str_param("thesaurus"), int(rule.param("common_word_count", 0)))  # type: ignore[call-overload]
    tokens = tokenize(text)
    found = fallback_suggestions(text, tokens, lexicon, set(), [(0, len(text))])
    return [(tokens.starts[s.token], tokens.ends[s.token], s.word, s.margin) for s in found]


def main() -> None:
    judged: list[tuple[float, str, str]] = []
    text = spin_input(SPUN)
    spans = [(locate(text, g), g) for g in read_gold(GOLD)]
    for start, end, word, margin in suggestions(text):
        span = next((g for (s, e), g in spans if s <= start and end <= e), None)
        verdict = "wrong" if span is None else "right" if word.lower() in (r.lower() for r in span.repairs) else "wrong-repair"
        judged.append((margin, verdict, f"{text[start:end]} -> {word} ({margin:.1f}, {verdict})"))
    for clean in sorted((ROOT / "seeds").glob("*.txt")):
        if clean != SPUN:
            judged.extend((m, "wrong", f"[{clean.name[:3]}] {text_of(clean)[s:e]} -> {w} ({m:.1f})") for s, e, w, m in suggestions(text_of(clean)))
    print(f"{len(spans)} gold spans in seed 001; suggestions on seed 001 and the clean seeds, gate forced open:")
    print("margin >=  applied  right  wrong-repair  wrong")
    for threshold in THRESHOLDS:
        kept = [v for m, v, _ in judged if m >= threshold]
        print(f"{threshold:9.1f}  {len(kept):7d}  {kept.count('right'):5d}  {kept.count('wrong-repair'):12d}  {kept.count('wrong'):5d}")
    for _, _, line in sorted(judged, reverse=True)[:60]:
        print("  ", line)


def text_of(path: Path) -> str:
    """Return a clean seed's spin-stage input (cached by path)."""
    if path not in _CACHE:
        _CACHE[path] = spin_input(path)
    return _CACHE[path]


_CACHE: dict[Path, str] = {}

if __name__ == "__main__":
    main()
