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
* the same corpus through plain ``ftfy.fix_text``, the floor a user would otherwise get;
* the size of ``report.json`` and of the cache over the size of the corpus (targets:
  at most 1 and 2).

With ``--jobs N`` it prints only the 1-job and 2-job runs over N documents (grammar
off, no cache; target: 2 jobs at least 1.8x one job on 1,000 documents), with the
machine's load average, since two jobs can only go twice as fast on two idle cores, and
the machine's own ceiling measured just before (:func:`parallel_ceiling`).

With ``--warm N`` it prints only a cold run over N documents that fills the cache and
warm re-runs of the same corpus into the same output folder (the batch is recorded: its
outputs are only checked) and into a new one (each document from its cache entry),
grammar off, one job, and warm over cold (target: at most 0.05).

With ``--ratio N [N ...]`` it prints only the whole-pipeline ratio to plain ftfy
(grammar off, one job, start-up included; target at least 0.3, goal 0.5) for corpora
of N documents, e.g. ``--ratio 300 3000``.

Prints figures; it is not a test. Run:
    .venv/bin/python benchmarks/pipeline_scale.py [DOCUMENTS] [GRAMMAR_DOCUMENTS]
    .venv/bin/python benchmarks/pipeline_scale.py --ratio 300 3000
    .venv/bin/python benchmarks/pipeline_scale.py --jobs 1000
    .venv/bin/python benchmarks/pipeline_scale.py --warm 1000
(defaults 10000 and 1000: the grammar stage is the slow one, so it runs on fewer).
"""

from __future__ import annotations

import json
import os
import random
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from startup import installed_bytecode

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
usage = resource.getrusage(resource.RUSAGE_CHILDREN)
print(f"{seconds} {usage.ru_maxrss} {done.returncode} {usage.ru_utime + usage.ru_stime}")
sys.stderr.write(done.stderr[-2000:])
"""


def timed_cpu(command: list[str]) -> tuple[float, float, float]:
    """Run ``command`` in a fresh process; return wall seconds, peak resident MB and CPU seconds of its processes."""
    done = subprocess.run([sys.executable, "-c", _RUNNER, *command], capture_output=True, text=True, check=True)
    seconds, peak_kb, code, cpu = done.stdout.split()
    if int(code) not in (0, 1):
        raise SystemExit(f"cleaner failed ({code}): {done.stderr}")
    return float(seconds), int(peak_kb) / 1024, float(cpu)


def cleaner(corpus: Path, out: Path, *options: str) -> list[str]:
    """The ``cleaner clean`` command line for a run."""
    return [sys.executable, "-m", "cleaner", "clean", str(corpus), "-o", str(out), *options]


def ftfy_floor_cpu(corpus: Path) -> tuple[float, float]:
    """Wall and CPU seconds for plain ``ftfy.fix_text`` over every document (read and written)."""
    code = (
        "import ftfy, pathlib, sys, time\n"
        "src, dst = pathlib.Path(sys.argv[1]), pathlib.Path(sys.argv[2]); dst.mkdir()\n"
        "start, cpu = time.perf_counter(), time.process_time()\n"
        "for p in sorted(src.glob('*.txt')): (dst / p.name).write_text(ftfy.fix_text(p.read_text(encoding='utf-8')), encoding='utf-8')\n"
        "print(time.perf_counter() - start, time.process_time() - cpu)\n"
    )
    done = subprocess.run([sys.executable, "-c", code, str(corpus), str(corpus.parent / "ftfy-out")], capture_output=True, text=True, check=True)
    wall, cpu = done.stdout.split()
    return float(wall), float(cpu)


def folder_bytes(folder: Path) -> int:
    """Return the total size of the files under ``folder``."""
    return sum(p.stat().st_size for p in folder.rglob("*") if p.is_file())


def ratios(counts: list[int]) -> None:
    """Print the whole-pipeline time over plain ftfy's for corpora of each size in ``counts``."""
    for count in counts:
        with tempfile.TemporaryDirectory() as scratch:
            base = Path(scratch)
            size = build_corpus(base / "corpus", count)
            seconds, _, cpu = timed_cpu(cleaner(base / "corpus", base / "out", "--grammar", "off", "--jobs", "1", "--no-cache"))
            floor, floor_cpu = ftfy_floor_cpu(base / "corpus")
            print(
                f"  {count:>6,} documents, {size / 1e6:5.1f} MB: cleaner {seconds:6.2f} s ({cpu:.2f} s CPU), "
                f"ftfy {floor:5.2f} s ({floor_cpu:.2f} s CPU); ratio {floor / seconds:.3f} wall, {floor_cpu / cpu:.3f} CPU"
            )


_SPIN_LOOP = "total = 0\nfor i in range(12_000_000):\n    total += i % 7\n"


def parallel_ceiling() -> float:
    """Return how much faster two processes get through the same pure-Python work than one does, here and now.

    Two copies of a loop share nothing: on two idle cores they finish in the time one
    takes, a speed-up of 2.0. A virtual machine whose cores are shared with others
    gives less, and no batch of two jobs can do better than it.
    """
    start = time.perf_counter()
    subprocess.run([sys.executable, "-c", _SPIN_LOOP], check=True)
    one = time.perf_counter() - start
    start = time.perf_counter()
    both = [subprocess.Popen([sys.executable, "-c", _SPIN_LOOP]) for _ in range(2)]
    for process in both:
        process.wait()
    return 2 * one / (time.perf_counter() - start)


def jobs_speedup(count: int) -> None:
    """Print wall and CPU seconds of 1 and 2 jobs over ``count`` documents, and the speed-up."""
    with tempfile.TemporaryDirectory() as scratch:
        base = Path(scratch)
        size = build_corpus(base / "corpus", count)
        print(f"  the machine's ceiling: two independent Python loops at once run {parallel_ceiling():.2f}x as fast as one")
        runs = {}
        for jobs in (1, 2):
            load = os.getloadavg()[0]
            runs[jobs] = timed_cpu(cleaner(base / "corpus", base / f"out-{jobs}", "--grammar", "off", "--jobs", str(jobs), "--no-cache"))
            seconds, peak, cpu = runs[jobs]
            print(f"  {count:,} documents, {size / 1e6:.1f} MB, {jobs} job(s): {seconds:6.2f} s wall, {cpu:6.2f} s CPU, peak {peak:4.0f} MB (load average before: {load:.2f})")
        print(f"  2 jobs over 1: {runs[1][0] / runs[2][0]:.2f}x wall; CPU of 2 jobs / 1 job {runs[2][2] / runs[1][2]:.2f}; {os.cpu_count()} cores")


def cache_sizes(cache: Path) -> tuple[int, dict[str, int]]:
    """Return the bytes of the results in ``cache`` and, apart, of what it keeps whatever the corpus.

    The results (one entry a document, and the batch's record) are what grows with the
    corpus; the count tables (``counts/``) and kept rule parses (``rules/``) are the
    same for any corpus.
    """
    fixed = {name: folder_bytes(cache / name) for name in ("counts", "rules") if (cache / name).is_dir()}
    return folder_bytes(cache) - sum(fixed.values()), fixed


def warm_over_cold(count: int) -> None:
    """Print a cache-filling run, warm re-runs over ``count`` documents, and their ratios to the cold run.

    The re-run into the same output folder (as a CI re-run over committed outputs) finds
    the batch recorded and only checks its outputs; the re-run into a new folder takes
    each document from its cache entry and writes everything.
    """
    with tempfile.TemporaryDirectory() as scratch:
        base = Path(scratch)
        size = build_corpus(base / "corpus", count)
        runs = []
        for label, out in (("cold, filling the cache", "out"), ("warm re-run, same output folder", "out"), ("warm re-run, new output folder", "out-new")):
            load = os.getloadavg()[0]
            runs.append(timed_cpu(cleaner(base / "corpus", base / out, "--grammar", "off", "--jobs", "1", "--cache-dir", str(base / "cache"))))
            seconds, peak, cpu = runs[-1]
            print(f"  {count:,} documents, {size / 1e6:.1f} MB, {label}: {seconds:6.2f} s wall, {cpu:6.2f} s CPU, peak {peak:4.0f} MB (load average before: {load:.2f})")
        cache_size, fixed = cache_sizes(base / "cache")
        print(f"  warm over cold, same folder: {runs[1][0] / runs[0][0]:.3f} wall, {runs[1][2] / runs[0][2]:.3f} CPU (target at most 0.05)")
        print(f"  warm over cold, new folder: {runs[2][0] / runs[0][0]:.3f} wall, {runs[2][2] / runs[0][2]:.3f} CPU; cache {cache_size / size:.2f} x the corpus")
        print("  besides, the same for any corpus: " + ", ".join(f"{name}/ {used / 1e6:.1f} MB" for name, used in fixed.items()))


def main() -> None:
    if sys.argv[1:2] == ["--warm"]:
        warm_over_cold(int(sys.argv[2]) if len(sys.argv) > 2 else 1000)
        return
    if sys.argv[1:2] == ["--jobs"]:
        jobs_speedup(int(sys.argv[2]) if len(sys.argv) > 2 else 1000)
        return
    if sys.argv[1:2] == ["--ratio"]:
        ratios([int(a) for a in sys.argv[2:]] or [300, 3000])
        return
    documents = int(sys.argv[1]) if len(sys.argv) > 1 else 10_000
    grammar_documents = int(sys.argv[2]) if len(sys.argv) > 2 else 1_000
    with tempfile.TemporaryDirectory() as scratch:
        base = Path(scratch)
        corpus = base / "corpus"
        size = build_corpus(corpus, documents)
        mb = size / 1e6
        print(f"corpus: {documents:,} documents, {mb:.1f} MB (one in five spun)")
        figures: dict[str, float] = {}
        cpus: dict[str, float] = {}

        def report(label: str, run: tuple[float, float, float], docs: int, megabytes: float) -> None:
            seconds, peak, cpu = run
            figures[label], cpus[label] = seconds, cpu
            print(f"  {label:<38} {seconds:8.1f} s  {megabytes / seconds:6.2f} MB/s  {docs / seconds:7.1f} docs/s  peak {peak:6.0f} MB  CPU {cpu:7.1f} s")

        for jobs in (1, 2):
            report(f"no grammar, {jobs} job(s), cold", timed_cpu(cleaner(corpus, base / f"off-{jobs}", "--grammar", "off", "--jobs", str(jobs), "--no-cache")), documents, mb)
        cache = base / "cache"
        report("no grammar, 2 jobs, filling the cache", timed_cpu(cleaner(corpus, base / "c1", "--grammar", "off", "--jobs", "2", "--cache-dir", str(cache))), documents, mb)
        report("no grammar, 2 jobs, warm re-run", timed_cpu(cleaner(corpus, base / "c2", "--grammar", "off", "--jobs", "2", "--cache-dir", str(cache))), documents, mb)
        report_size, (cache_size, fixed) = (base / "c1" / "report.json").stat().st_size, cache_sizes(cache)
        print(
            f"  report.json {report_size / 1e6:.1f} MB = {report_size / size:.2f} x the corpus; cache {cache_size / 1e6:.1f} MB = {cache_size / size:.2f} x"
            " (besides, the same for any corpus: " + ", ".join(f"{name}/ {used / 1e6:.1f} MB" for name, used in fixed.items()) + ")"
        )
        small = base / "small"
        small_size = build_corpus(small, max(1, documents // 10))
        report(f"no grammar, 1 job, {documents // 10:,} documents", timed_cpu(cleaner(small, base / "s1", "--grammar", "off", "--jobs", "1", "--no-cache")), documents // 10, small_size / 1e6)
        grammar = base / "grammar"
        grammar_size = build_corpus(grammar, grammar_documents)
        for jobs in (1, 2):
            run = timed_cpu(cleaner(grammar, base / f"h-{jobs}", "--grammar", "harper", "--jobs", str(jobs), "--no-cache"))
            report(f"Harper grammar, {jobs} job(s), {grammar_documents:,} docs", run, grammar_documents, grammar_size / 1e6)
        floor, floor_cpu = ftfy_floor_cpu(corpus)
        print(f"  {'plain ftfy.fix_text, same corpus':<38} {floor:8.1f} s  {mb / floor:6.2f} MB/s  {documents / floor:7.1f} docs/s  CPU {floor_cpu:.1f} s")
        one, two = figures["no grammar, 1 job(s), cold"], figures["no grammar, 2 job(s), cold"]
        warm = figures["no grammar, 2 jobs, warm re-run"] / figures["no grammar, 2 job(s), cold"]
        warm_cpu = cpus["no grammar, 2 jobs, warm re-run"] / cpus["no grammar, 2 job(s), cold"]
        # Throughput relative to plain ftfy, one job, start-up included (target >= 0.3, goal 0.5);
        # the CPU figures hold on a busy machine, where wall-clock ones do not.
        figures_out = {
            "ratio_to_ftfy_1_job": round(floor / one, 3),
            "ratio_to_ftfy_1_job_cpu": round(floor_cpu / cpus["no grammar, 1 job(s), cold"], 3),
            "speedup_1_to_2_jobs": round(one / two, 2),
            "cpu_2_jobs_over_1": round(cpus["no grammar, 2 job(s), cold"] / cpus["no grammar, 1 job(s), cold"], 2),
            "warm_over_cold": round(warm, 3),
            "warm_over_cold_cpu": round(warm_cpu, 3),
        }
        print(json.dumps(figures_out))


if __name__ == "__main__":
    with installed_bytecode():  # the processes measured load compiled bytecode, as an installed package's do
        main()
