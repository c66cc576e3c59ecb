"""Stream a large JSON Lines file through the sources layer and print peak memory.

    python benchmarks/jsonl_memory.py [MEGABYTES] [--stages normalise]

Writes a file of MEGABYTES (default 1000) of records in a temporary folder, reads it
record by record, cleans each text (only the stages named, default normalise, so a
1 GB run finishes in minutes on two cores) and writes it back through the JSON Lines
sink. It prints the resident memory at each tenth of the records and the peak: flat
memory means the figures do not grow with the records read.
"""

from __future__ import annotations

import argparse
import json
import resource
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


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("megabytes", nargs="?", type=float, default=1000)
    parser.add_argument("--stages", default="normalise")
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
