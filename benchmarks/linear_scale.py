"""Benchmark how one document's cost grows with its size: every stage should be linear.

Prints, in CPU seconds of ``clean_text`` (grammar off, rules loaded beforehand):

* a document of many distinct paragraphs (the seeds' paragraphs with their words
  shuffled, so no two are alike), at N and 4N paragraphs, and the ratio (target: at
  most 5.5 for four times the text);
* one long line with a mojibake in it, at L and 4L characters, and the ratio;
* the pathological cases of issue 12: ``'a.' * 8000`` and 4,000 paragraphs;
* start-up: seconds from ``python -m cleaner clean`` to the end of a one-document run
  (grammar off, one job);
* with ``--big MB``: one document of that many megabytes (target for 10 MB: < 30 s) and
  the process's peak resident memory (target: at most 10x the document plus a flat base).

Prints figures; it is not a test. Run:
    .venv/bin/python benchmarks/linear_scale.py [PARAGRAPHS] [LINE_CHARS] [--big MB]
(defaults 1000 and 50000).
"""

from __future__ import annotations

import random
import resource
import sys
import tempfile
import time
from pathlib import Path

from startup import installed_bytecode, one_run

from cleaner import Config, clean_text
from cleaner.api import registry_for
from cleaner.errors import FixedPointError

ROOT = Path(__file__).resolve().parent.parent
CONFIG = Config(grammar="off")


def distinct_paragraphs(count: int, seed: int = 5) -> str:
    """Return ``count`` paragraphs made of the seeds' words, shuffled, each numbered."""
    rng = random.Random(seed)
    paragraphs = [p for s in sorted((ROOT / "seeds").glob("*.txt")) for p in s.read_text(encoding="utf-8").split("\n") if len(p.split()) > 8]
    out = []
    for i in range(count):
        words = rng.choice(paragraphs).split()
        rng.shuffle(words)
        out.append(" ".join(words) + f" Paragraph {i}.")
    return "\n\n".join(out) + "\n"


def mojibake_line(characters: int) -> str:
    """Return one line of about ``characters`` characters with a mojibake in the middle."""
    half = "plain words in a line " * (characters // 44)
    return half + "caf\u00c3\u00a9 " + half + "\n"


#: Documents that did not settle (:class:`FixedPointError`), printed at the end: their
#: time is that of every allowed run of the stages, so it is still a figure of the cost.
UNSETTLED: list[str] = []


def cpu_seconds(text: str) -> float:
    """Return the CPU seconds ``clean_text`` takes on ``text``, noting one that does not settle."""
    start = time.process_time()
    try:
        clean_text(text, CONFIG, services={"grammar": None})
    except FixedPointError as exc:
        UNSETTLED.append(f"{len(text) / 1e6:.2f} MB: {str(exc)[:160]}")
    return time.process_time() - start


def scaling(label: str, small: str, large: str) -> None:
    """Print the cost of ``small`` and ``large`` (four times the text) and their ratio."""
    one, four = cpu_seconds(small), cpu_seconds(large)
    print(f"  {label:<44} {len(small) / 1e6:6.2f} MB {one:7.2f} s   {len(large) / 1e6:6.2f} MB {four:7.2f} s   x{four / one:4.1f}")


def main() -> None:
    big = sys.argv.index("--big") + 1 if "--big" in sys.argv else -1
    args = [a for i, a in enumerate(sys.argv[1:], 1) if not a.startswith("--") and i != big]
    paragraphs = int(args[0]) if args else 1000
    line = int(args[1]) if len(args) > 1 else 50_000
    registry_for(CONFIG)
    clean_text("Warm up.\n", CONFIG, services={"grammar": None})
    print("one document, grammar off, CPU seconds")
    scaling(f"distinct paragraphs: {paragraphs:,} -> {4 * paragraphs:,}", distinct_paragraphs(paragraphs), distinct_paragraphs(4 * paragraphs))
    scaling(f"one line with a mojibake: {line:,} -> {4 * line:,} chars", mojibake_line(line), mojibake_line(4 * line))
    print(f"  {repr('a.') + ' * 8000':<44} {cpu_seconds('a.' * 8000 + chr(10)):7.2f} s")
    print(f"  {'4,000 distinct paragraphs':<44} {cpu_seconds(distinct_paragraphs(4000)):7.2f} s")
    with tempfile.TemporaryDirectory() as scratch, installed_bytecode():
        folder = Path(scratch) / "in"
        folder.mkdir()
        (folder / "one.txt").write_bytes((ROOT / "seeds" / "004_85affc11210ea103.txt").read_bytes())
        print(f"  {'start-up + one document (wall clock)':<44} {one_run(folder, Path(scratch) / 'out')[0]:7.2f} s")
    if "--big" in sys.argv:
        megabytes = float(sys.argv[sys.argv.index("--big") + 1])
        sample = distinct_paragraphs(200)
        text = distinct_paragraphs(int(megabytes * 1e6 / (len(sample.encode()) / 200)))
        before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        seconds = cpu_seconds(text)
        peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        size = len(text.encode()) / 1e6
        print(f"  {f'one document of {size:.1f} MB':<44} {seconds:7.2f} s   peak RSS {peak:.0f} MB (before it {before:.0f} MB): {(peak - before) / size:.1f} x the document")
    for note in UNSETTLED:
        print(f"  did not settle (timed all the same): {note}")


if __name__ == "__main__":
    main()
