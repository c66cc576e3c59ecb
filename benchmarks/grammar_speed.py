"""Benchmark the grammar engines: start-up, throughput on the seeds and on 1 MB of text.

Harper runs in process. LanguageTool runs as its HTTP server: the one at
``CLEANER_LANGUAGETOOL_URL`` if set, else one this script starts from the folder
``cleaner languagetool build`` assembled (and stops afterwards), so its start-up (JVM
start to the first answered check) is measured too.

Figures printed, per engine:

* start-up, once per run;
* the grammar stage's throughput over the five seeds (one engine for all of them, as
  ``cleaner clean`` runs), and for documents made of 1 to 5 different seeds, each on a
  newly started engine (Harper remembers text it has linted, so only text it has not
  seen gives honest figures);
* characters per second on about 1 MB of text never checked before in the run:
  paragraphs of the seeds' and the development set's sentences, shuffled, numbered,
  one document; for LanguageTool with requests of whole paragraphs up to
  ``BATCH_CHARS`` characters, 1 and 4 in flight at once (on 0.1 MB, with 2 cores:
  1, 2, 4, 8 in flight gave 3,608, 4,181, 5,173, 4,392 chars/s; 4 is the default).

Prints figures; it is not a test. Run: .venv/bin/python benchmarks/grammar_speed.py [--mb 1]
"""

from __future__ import annotations

import argparse
import os
import random
import re
import socket
import subprocess
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import replace
from pathlib import Path

from cleaner.config import Config
from cleaner.engines import GrammarEngine
from cleaner.engines import languagetool as lt
from cleaner.engines import languagetool_server as server
from cleaner.errors import EngineUnavailable
from cleaner.evaluation import read_dev_set
from cleaner.pipeline import StageContext
from cleaner.rulepacks import load_registry
from cleaner.services import engine_words
from cleaner.stages import grammar

ROOT = Path(__file__).resolve().parent.parent
DEV_SET = ROOT.parent / "shared" / "spin-dev"


def new_engine(name: str, url: str) -> GrammarEngine:
    """Start a fresh engine (nothing remembered from earlier checks)."""
    if name == "harper":
        from cleaner.engines.harper import HarperEngine

        return HarperEngine(engine_words())
    return lt.LanguageToolEngine.connect(url, engine_words())


@contextmanager
def languagetool_url() -> Iterator[tuple[str, str]]:
    """Yield a LanguageTool URL and how it was reached (with the measured start-up)."""
    url = os.environ.get("CLEANER_LANGUAGETOOL_URL", "")
    if url:
        yield url, f"server {url}"
        return
    folder = server.default_dir()
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    command = server.server_command(folder, port)  # raises, saying why, when not built
    start = time.perf_counter()
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        url = f"http://127.0.0.1:{port}"
        server.wait_until_ready(url, 180)
        yield url, f"server started here from {folder}: JVM start to first answer {time.perf_counter() - start:.2f} s"
    finally:
        process.terminate()
        process.wait(30)


def stage_seconds(texts: list[str], name: str, engine: GrammarEngine) -> float:
    """Run the grammar stage's proposal over ``texts`` with ``engine``; return CPU seconds (steady on a busy machine)."""
    ctx = StageContext(replace(Config(), grammar=name), load_registry().for_stage("grammar"), False, {"grammar": engine})
    start = time.process_time()
    for text in texts:
        grammar.STAGE.propose(text, ctx)
    return time.process_time() - start


def unseen_text(sources: list[str], size: int, seed: int = 16) -> str:
    """Return about ``size`` characters of paragraphs no engine has seen in this run.

    Sentences of ``sources`` are shuffled into paragraphs of four, each opened by its
    own number, so no paragraph repeats and caches cannot answer.
    """
    sentences = [s for text in sources for s in re.split(r"(?<=[.!?])\s+", text.replace("\n", " ")) if len(s) > 20]
    rng = random.Random(seed)
    paragraphs, total, number = [], 0, 0
    while total < size:
        number += 1
        paragraph = f"Item {number}. " + " ".join(rng.sample(sentences, 4)) + "\n\n"
        paragraphs.append(paragraph)
        total += len(paragraph)
    return "".join(paragraphs)


def report(name: str, engine: GrammarEngine, started: float, url: str, seeds: list[str], big: str) -> None:
    """Print one engine's figures."""
    seconds = stage_seconds(seeds, name, engine)
    chars = sum(map(len, seeds))
    print(f"{name} {engine.version}: connect/start-up {started:.2f} s (once per run); 5 seeds, {chars:,} chars: {seconds:.2f} s = {chars / seconds:,.0f} chars/s")
    for count in range(1, len(seeds) + 1):
        doc = "\n\n".join(seeds[:count])
        seconds = stage_seconds([doc], name, new_engine(name, url))
        print(f"  one document of {count} seed(s), {len(doc):>6,} chars: {seconds:.2f} s = {len(doc) / seconds:,.0f} chars/s")
    variants = [1, 4] if name == "languagetool" else [0]
    for parallel in variants:
        if parallel:
            lt.PARALLEL_REQUESTS = parallel
        fresh = new_engine(name, url)
        start = time.perf_counter()
        found = fresh.check(big)
        seconds = time.perf_counter() - start
        how = f", paragraph batches of <= {lt.BATCH_CHARS:,} chars, {parallel} request(s) in flight" if parallel else ", one call"
        print(f"  {len(big) / 1e6:.2f} MB unseen text{how}: {seconds:.1f} s = {len(big) / seconds:,.0f} chars/s ({len(found):,} findings)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--mb", type=float, default=1.0, help="Size of the unseen text, in MB (default 1).")
    args = parser.parse_args()
    seeds = [p.read_text(encoding="utf-8") for p in sorted((ROOT / "seeds").glob("*.txt"))]
    passages, _ = read_dev_set([DEV_SET]) if DEV_SET.is_dir() else ([], [])
    big = unseen_text(seeds + [p.text for p in passages], int(args.mb * 1_000_000))
    start = time.perf_counter()
    harper = new_engine("harper", "")
    report("harper", harper, time.perf_counter() - start, "", seeds, big)
    try:
        with languagetool_url() as (url, how):
            print(f"languagetool: {how}")
            start = time.perf_counter()
            engine = new_engine("languagetool", url)
            report("languagetool", engine, time.perf_counter() - start, url, seeds, big)
    except EngineUnavailable as exc:
        print(f"languagetool: skipped: {exc.one_line()}")


if __name__ == "__main__":
    main()
