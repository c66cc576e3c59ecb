"""Benchmark whole batches: throughput, jobs, cache, memory, against plain ftfy.

Builds a corpus of distinct documents from the seeds (one in five from the spun seed,
each a different selection and order of a seed's paragraphs plus a numbered line),
then runs ``cleaner clean`` on it as a separate process for each measurement and
prints:

* throughput (MB/s and documents/s) with and without the grammar stage;
* the speed-up from 1 to 2 jobs;
* a warm re-run (every document in the cache) as a fraction of the cold run;
* peak memory (maximum resident set of the cleaning processes) for a corpus and one
  ten times smaller: streaming keeps it flat;
* the same corpus through plain ``ftfy.fix_text``, the floor a user would otherwise get.

Prints figures; it is not a test. Run:
    .venv/bin/python benchmarks/pipeline_scale.py [DOCUMENTS] [GRAMMAR_DOCUMENTS]
(defaults 10000 and 1000: the grammar stage is the slow one, so it runs on fewer).
"""

from __future__ import annotations

import json
import random
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SPUN = "001_52652048721d3da2.txt"


def build_corpus(folder: Path, count: int, seed: int = 7) -> int:
    """Write ``count`` distinct documents into ``folder``; return their total bytes."""
    rng = random.Random(seed)
    seeds = {p.name: [para for para in p.read_text(encoding="utf-8").split("\n") if para.strip()] for p in sorted((ROOT / "seeds").glob("*.txt"))}
    spun, clean = seeds.pop(SPUN), list(seeds.values())
    folder.mkdir(parents=True, exist_ok=True)
    total = 0
    for i in range(count):
        paragraphs = spun if i % 5 == 0 else clean[i % len(clean)]
        chosen = rng.sample(paragraphs, k=max(1, int(len(paragraphs) * rng.uniform(0.6, 1.0))))
        text = "\n".join(chosen) + f"\nThis is document number {i}.\n"
        data = text.encode("utf-8")
        (folder / f"doc{i:05}.txt").write_bytes(data)
        total += len(data)
    return total


_RUNNER = """
import resource, subprocess, sys, time
start = time.perf_counter()
done = subprocess.run(sys.argv[1:], capture_output=True, text=True)
seconds = time.perf_counter() - start
peak_kb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
print(f"{seconds} {peak_kb} {done.returncode}")
sys.stderr.write(done.stderr[-2000:])
"""


def timed(command: list[str]) -> tuple[float, float]:
    """Run ``command`` in a fresh process; return (seconds, peak resident MB of its processes)."""
    done = subprocess.run([sys.executable, "-c", _RUNNER, *command], capture_output=True, text=True, check=True)
    seconds, peak_kb, code = done.stdout.split()
    if int(code) not in (0, 1):
        raise SystemExit(f"cleaner failed ({code}): {done.stderr}")
    return float(seconds), int(peak_kb) / 1024


def cleaner(corpus: Path, out: Path, *options: str) -> list[str]:
    """The ``cleaner clean`` command line for a run."""
    return [sys.executable, "-m", "cleaner", "clean", str(corpus), "-o", str(out), *options]


def ftfy_floor(corpus: Path) -> float:
    """Seconds for plain ``ftfy.fix_text`` over every document (read and written)."""
    code = (
        "import ftfy, pathlib, sys, time\n"
        "src, dst = pathlib.Path(sys.argv[1]), pathlib.Path(sys.argv[2]); dst.mkdir()\n"
        "start = time.perf_counter()\n"
        "for p in sorted(src.glob('*.txt')): (dst / p.name).write_text(ftfy.fix_text(p.read_text(encoding='utf-8')), encoding='utf-8')\n"
        "print(time.perf_counter() - start)\n"
    )
    done = subprocess.run([sys.executable, "-c", code, str(corpus), str(corpus.parent / "ftfy-out")], capture_output=True, text=True, check=True)
    return float(done.stdout)


def main() -> None:
    documents = int(sys.argv[1]) if len(sys.argv) > 1 else 10_000
    grammar_documents = int(sys.argv[2]) if len(sys.argv) > 2 else 1_000
    with tempfile.TemporaryDirectory() as scratch:
        base = Path(scratch)
        corpus = base / "corpus"
        size = build_corpus(corpus, documents)
        mb = size / 1e6
        print(f"corpus: {documents:,} documents, {mb:.1f} MB (one in five spun)")
        figures: dict[str, float] = {}

        def report(label: str, seconds: float, peak: float, docs: int, megabytes: float) -> None:
            figures[label] = seconds
            print(f"  {label:<38} {seconds:8.1f} s  {megabytes / seconds:6.2f} MB/s  {docs / seconds:7.1f} docs/s  peak {peak:6.0f} MB")

        for jobs in (1, 2):
            seconds, peak = timed(cleaner(corpus, base / f"off-{jobs}", "--grammar", "off", "--jobs", str(jobs), "--no-cache"))
            report(f"no grammar, {jobs} job(s), cold", seconds, peak, documents, mb)
        cache = base / "cache"
        seconds, peak = timed(cleaner(corpus, base / "c1", "--grammar", "off", "--jobs", "2", "--cache-dir", str(cache)))
        report("no grammar, 2 jobs, filling the cache", seconds, peak, documents, mb)
        seconds, peak = timed(cleaner(corpus, base / "c2", "--grammar", "off", "--jobs", "2", "--cache-dir", str(cache)))
        report("no grammar, 2 jobs, warm re-run", seconds, peak, documents, mb)
        small = base / "small"
        small_size = build_corpus(small, max(1, documents // 10))
        seconds, peak_small = timed(cleaner(small, base / "s1", "--grammar", "off", "--jobs", "1", "--no-cache"))
        report(f"no grammar, 1 job, {documents // 10:,} documents", seconds, peak_small, documents // 10, small_size / 1e6)
        grammar = base / "grammar"
        grammar_size = build_corpus(grammar, grammar_documents)
        for jobs in (1, 2):
            seconds, peak = timed(cleaner(grammar, base / f"h-{jobs}", "--grammar", "harper", "--jobs", str(jobs), "--no-cache"))
            report(f"Harper grammar, {jobs} job(s), {grammar_documents:,} docs", seconds, peak, grammar_documents, grammar_size / 1e6)
        floor = ftfy_floor(corpus)
        print(f"  {'plain ftfy.fix_text, same corpus':<38} {floor:8.1f} s  {mb / floor:6.2f} MB/s  {documents / floor:7.1f} docs/s")
        one, two = figures["no grammar, 1 job(s), cold"], figures["no grammar, 2 job(s), cold"]
        warm = figures["no grammar, 2 jobs, warm re-run"] / figures["no grammar, 2 job(s), cold"]
        # Throughput relative to plain ftfy, one job, start-up included (target >= 0.3, goal 0.5).
        print(json.dumps({"ratio_to_ftfy_1_job": round(floor / one, 3), "speedup_1_to_2_jobs": round(one / two, 2), "warm_over_cold": round(warm, 3)}))


if __name__ == "__main__":
    main()
