"""Benchmark where one job's time goes: CPU seconds per stage over a corpus, in process.

Builds the corpus of ``pipeline_scale.py`` (or reads a folder of ``*.txt``), loads the
rule packs, then cleans every document with ``clean_text`` (grammar off) and prints
the CPU seconds spent in each stage's ``propose`` (the spin stage's includes loading
the lexicon at the first document that needs it), the structure stage's rule kinds,
the readability scores and the pipeline's applying of fixes. Each function is timed
by a wrapper, not a profiler, so the figures carry no profiler overhead.

Prints figures; it is not a test. Run:
    .venv/bin/python benchmarks/stage_profile.py [DOCUMENTS | FOLDER]   (default 300)
"""

from __future__ import annotations

import sys
import tempfile
import time
from collections import Counter
from collections.abc import Callable
from pathlib import Path
from typing import Any

import cleaner.api as api
import cleaner.pipeline as pipeline
from cleaner import Config, clean_text
from cleaner.api import registry_for
from cleaner.stages import normalise, spin, structure

sys.path.insert(0, str(Path(__file__).resolve().parent))
from pipeline_scale import build_corpus  # noqa: E402

SPENT: Counter[str] = Counter()


def timed(owner: Any, attribute: str, label: str) -> None:
    """Replace ``owner.attribute`` by a wrapper adding its CPU seconds to ``SPENT[label]``."""
    function: Callable[..., Any] = getattr(owner, attribute)

    def wrapper(*args: Any, **kwargs: Any) -> Any:
        start = time.process_time()
        try:
            return function(*args, **kwargs)
        finally:
            SPENT[label] += time.process_time() - start

    setattr(owner, attribute, wrapper)


def main() -> None:
    argument = sys.argv[1] if len(sys.argv) > 1 else "300"
    with tempfile.TemporaryDirectory() as scratch:
        folder = Path(argument) if not argument.isdigit() else Path(scratch) / "corpus"
        if argument.isdigit():
            build_corpus(folder, int(argument))
        texts = [p.read_text(encoding="utf-8") for p in sorted(folder.glob("*.txt"))]
    config = Config(grammar="off")
    for module in (normalise, structure, spin):
        timed(type(module.STAGE), "propose", module.__name__.rsplit(".", 1)[1])
    for kind in ("find_repeats", "find_boilerplate", "find_pattern"):
        timed(structure, kind, f"  structure: {kind}")
    timed(api, "_readability", "readability (before and after)")
    timed(pipeline, "apply_fixes", "applying fixes")
    start = time.process_time()
    registry_for(config)
    loading = time.process_time() - start
    start = time.process_time()
    for text in texts:
        clean_text(text, config, services={"grammar": None})
    total = time.process_time() - start
    print(f"{len(texts):,} documents, {sum(map(len, texts)) / 1e6:.2f} M characters, grammar off; CPU seconds")
    print(f"  {'loading the rule packs':<34} {loading:6.2f}")
    print(f"  {'cleaning (clean_text, all)':<34} {total:6.2f}")
    for label, seconds in sorted(SPENT.items(), key=lambda item: -item[1]):
        print(f"  {label:<34} {seconds:6.2f}")


if __name__ == "__main__":
    main()
