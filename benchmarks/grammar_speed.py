"""Benchmark the grammar stage per engine: start-up, throughput, growth with size.

For each engine that can run here (Harper always; LanguageTool when a server or a
local installation is configured, see README), prints the one-off start-up time,
the grammar stage's throughput in characters per second over the five seeds (one
engine for all of them, as ``cleaner clean`` runs), and the time for documents made of
1 to 5 different seeds, each on a newly started engine: Harper remembers text it has
linted, so only text it has not seen gives honest figures.

With ``--big MB`` it also prints Harper's throughput on one document of that many
megabytes of distinct paragraphs (the seeds' words shuffled), against its rate on
the five seeds in one document, each on a new engine (target: within 20 %).

Prints figures; it is not a test. Run: .venv/bin/python benchmarks/grammar_speed.py [--big MB]
"""

from __future__ import annotations

import sys
import time
from dataclasses import replace
from pathlib import Path

from cleaner.config import Config
from cleaner.engines import GrammarEngine
from cleaner.errors import EngineUnavailable
from cleaner.pipeline import StageContext
from cleaner.rulepacks import load_registry
from cleaner.services import project_words
from cleaner.stages import grammar

ROOT = Path(__file__).resolve().parent.parent


def new_engine(name: str) -> GrammarEngine:
    """Start a fresh engine (nothing remembered from earlier checks)."""
    if name == "harper":
        from cleaner.engines.harper import HarperEngine

        return HarperEngine(project_words())
    import os

    from cleaner.engines.languagetool import LanguageToolEngine

    return LanguageToolEngine.connect(os.environ.get("CLEANER_LANGUAGETOOL_URL", ""), project_words())


def stage_seconds(texts: list[str], name: str, engine: GrammarEngine) -> float:
    """Run the grammar stage's proposal over ``texts`` with ``engine``; return CPU seconds (steady on a busy machine)."""
    ctx = StageContext(replace(Config(), grammar=name), load_registry().for_stage("grammar"), False, {"grammar": engine})
    start = time.process_time()
    for text in texts:
        grammar.STAGE.propose(text, ctx)
    return time.process_time() - start


def main() -> None:
    seeds = [p.read_text(encoding="utf-8") for p in sorted((ROOT / "seeds").glob("*.txt"))]
    for name in ("harper", "languagetool"):
        start = time.perf_counter()
        try:
            engine = new_engine(name)
        except EngineUnavailable as exc:
            print(f"{name}: skipped: {exc.one_line()}")
            continue
        started = time.perf_counter() - start
        seconds = stage_seconds(seeds, name, engine)
        chars = sum(map(len, seeds))
        print(f"{name} {engine.version}: start-up {started:.2f} s (once per run); 5 seeds, {chars:,} chars: {seconds:.2f} s = {chars / seconds:,.0f} chars/s")
        for count in range(1, len(seeds) + 1):
            doc = "\n\n".join(seeds[:count])
            seconds = stage_seconds([doc], name, new_engine(name))
            seeds_rate = len(doc) / seconds  # the last, all seeds in one document on a new engine, as the large one below
            print(f"  one document of {count} seed(s), {len(doc):>6,} chars: {seconds:.2f} s = {seeds_rate:,.0f} chars/s")
        if name == "harper" and "--big" in sys.argv:
            sys.path.insert(0, str(ROOT / "benchmarks"))
            from linear_scale import distinct_paragraphs

            megabytes = float(sys.argv[sys.argv.index("--big") + 1])
            doc = distinct_paragraphs(int(megabytes * 1e6 / 310))
            big = stage_seconds([doc], name, new_engine(name))
            print(f"  one document of {len(doc) / 1e6:.1f} MB (distinct paragraphs): {big:.2f} s = {len(doc) / big:,.0f} chars/s, {len(doc) / big / seeds_rate:.2f} x the rate on the seeds in one document")


if __name__ == "__main__":
    main()
