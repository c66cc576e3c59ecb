"""Stream a large JSON Lines file through the sources layer, or the CLI, and print peak memory.

    python benchmarks/jsonl_memory.py [MEGABYTES] [--stages normalise] [--cli [--jobs N]]

Writes a file of MEGABYTES (default 1000) of records in a temporary folder, reads it
record by record, cleans each text (only the stages named, default normalise, so a
1 GB run finishes in minutes on two cores) and writes it back through the JSON Lines
sink. It prints the resident memory at each tenth of the records and the peak: flat
memory means the figures do not grow with the records read.

With ``--cli`` it runs ``cleaner clean FILE -o OUT`` instead (the whole batch: record
jobs, the sink, the cache bypassed, ``report.json`` written record by record) and
samples the resident memory of the command and its worker processes every half
second, printing it at each tenth of the run's time and the peak.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from cleaner import Config
from cleaner.sources import BrokenRecord, RecordOptions, clean_record, format_of

PARAGRAPH = "The talks over Ukraine ended  without a deal, officials said on\u00a0Friday. "


def rss_mb() -> float:
    """Return this process's resident memory now, in MB (from /proc)."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return 0.0


def tree_rss_mb(pid: int) -> float:
    """Return the resident memory of process ``pid`` and its children (workers), in MB."""
    total = 0.0
    pending = [pid]
    while pending:
        current = pending.pop()
        try:
            status = Path(f"/proc/{current}/status").read_text()
            children = Path(f"/proc/{current}/task/{current}/children").read_text().split()
        except OSError:
            continue
        total += next((int(line.split()[1]) / 1024 for line in status.splitlines() if line.startswith("VmRSS:")), 0.0)
        pending += [int(child) for child in children]
    return total


def run_cli(source: Path, folder: Path, stages: str, jobs: int) -> None:
    """Clean ``source`` with the command line, sampling its memory; print the samples and the peak."""
    (folder / "cleaner.toml").write_text(f"stages = {json.dumps(stages.split(','))}\ngrammar = \"off\"\n", encoding="utf-8")
    command = [sys.executable, "-m", "cleaner", "clean", str(source), "-o", str(folder / "out"), "--config", str(folder / "cleaner.toml"), "--no-cache", "--jobs", str(jobs), "-q"]
    started = time.monotonic()
    samples: list[tuple[float, float]] = []
    with subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, env={**os.environ, "PYTHONUNBUFFERED": "1"}) as child:
        while child.poll() is None:
            samples.append((time.monotonic() - started, tree_rss_mb(child.pid)))
            time.sleep(0.5)
        errors = child.stderr.read().decode() if child.stderr else ""
    elapsed = time.monotonic() - started
    for tenth in range(1, 11):
        at = [rss for t, rss in samples if t <= elapsed * tenth / 10]
        print(f"{elapsed * tenth / 10:8.0f} s  RSS {at[-1] if at else 0:6.0f} MB")
    output = folder / "out" / source.name
    print(f"exit {child.returncode}; peak RSS {max((r for _, r in samples), default=0):.0f} MB (command and workers); {elapsed:.0f} s; output {output.stat().st_size / 1e6 if output.exists() else 0:.0f} MB")
    if errors.strip():
        print(errors.strip()[:2000])


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("megabytes", nargs="?", type=float, default=1000)
    parser.add_argument("--stages", default="normalise")
    parser.add_argument("--cli", action="store_true", help="Run the cleaner clean command over the file instead of the sources layer.")
    parser.add_argument("--jobs", type=int, default=1)
    args = parser.parse_args()
    config = Config(grammar="off", stages=tuple(args.stages.split(",")))
    with tempfile.TemporaryDirectory() as folder:
        source = Path(folder) / "corpus.jsonl"
        record = {"id": "", "url": "https://example.org/x", "text": PARAGRAPH * 20}
        count = 0
        with source.open("w", encoding="utf-8") as stream:
            while stream.tell() < args.megabytes * 1_000_000:
                count += 1
                stream.write(json.dumps({**record, "id": f"doc-{count}"}) + "\n")
        print(f"input: {source.stat().st_size / 1e6:.0f} MB, {count} records; RSS before reading {rss_mb():.0f} MB")
        if args.cli:
            run_cli(source, Path(folder), args.stages, args.jobs)
            return
        source_format = format_of(source)
        sink = source_format.open_sink(source, Path(folder) / "out.jsonl", RecordOptions())
        started = time.process_time()
        for number, item in enumerate(source_format.read(source, RecordOptions()), start=1):
            if isinstance(item, BrokenRecord):
                sink.keep(item)
            else:
                sink.write(item, clean_record(item, config).output)
            if number % max(1, count // 10) == 0:
                print(f"{number:>9} records  RSS {rss_mb():6.0f} MB")
        sink.commit()
        peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        print(f"peak RSS {peak:.0f} MB; {time.process_time() - started:.0f} s CPU; output {(Path(folder) / 'out.jsonl').stat().st_size / 1e6:.0f} MB")


if __name__ == "__main__":
    main()
