"""A longer fuzzing run of the pipeline's properties than the test suite makes.

Runs the hypothesis properties of tests/test_pipeline.py (arbitrary Unicode text with
every code point, lone surrogates and controls drawn often; seed sentences with
spinner swaps, mojibake and whitespace damage, with grammar off and with Harper;
hostile Markdown: no exception, idempotence, exact replay of the edit log, every
input word kept or accounted for by an edit) with many more examples. Run:

    .venv/bin/python benchmarks/fuzz.py [EXAMPLES] [--minutes M]

EXAMPLES (default 2000) per property and round. With ``--minutes``, rounds with new
random seeds follow one another until that much time has passed; the last lines give
the examples tried and the failures found per property, summed over the rounds. A
failing round stops the run and pytest prints the smallest failing example.
"""

from __future__ import annotations

import argparse
import os
import re
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
_STATISTICS = re.compile(r"^tests/test_pipeline\.py::(\w+):$|(\d+) passing, (\d+) failing", re.M)


def run_round(examples: int, seed: int) -> tuple[int, Counter[str], Counter[str]]:
    """Run every property once with ``examples`` examples; return pytest's status and the counts."""
    env = {**os.environ, "CLEANER_FUZZ_EXAMPLES": str(examples)}
    command = [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "--hypothesis-show-statistics", f"--hypothesis-seed={seed}",
               "tests/test_pipeline.py", "-k", "replays or no_word_is_lost"]
    done = subprocess.run(command, cwd=ROOT, env=env, capture_output=True, text=True)
    passing: Counter[str] = Counter()
    failing: Counter[str] = Counter()
    test = ""
    for match in _STATISTICS.finditer(done.stdout):
        if match.group(1):
            test = match.group(1)
        else:
            passing[test] += int(match.group(2))
            failing[test] += int(match.group(3))
    if done.returncode:
        print(done.stdout[-6000:], done.stderr[-2000:])
    return done.returncode, passing, failing


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("examples", nargs="?", type=int, default=2000)
    parser.add_argument("--minutes", type=float, default=0.0, help="keep running rounds until this much time has passed")
    args = parser.parse_args()
    started = time.monotonic()
    passing: Counter[str] = Counter()
    failing: Counter[str] = Counter()
    status, rounds = 0, 0
    while True:
        status, round_passing, round_failing = run_round(args.examples, seed=rounds + 1)
        passing.update(round_passing)
        failing.update(round_failing)
        rounds += 1
        elapsed = time.monotonic() - started
        print(f"round {rounds} (seed {rounds}): {sum(round_passing.values())} examples passed, {sum(round_failing.values())} failed; {elapsed / 60:.1f} min so far", flush=True)
        if status or elapsed >= args.minutes * 60:
            break
    for test in sorted(passing.keys() | failing.keys()):
        print(f"{test}: {passing[test] + failing[test]} examples, {failing[test]} failing")
    print(f"total: {sum(passing.values()) + sum(failing.values())} examples in {rounds} round(s), {sum(failing.values())} failing, {(time.monotonic() - started) / 60:.1f} min")
    raise SystemExit(status)


if __name__ == "__main__":
    main()
