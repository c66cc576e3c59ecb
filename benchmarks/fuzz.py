"""A longer fuzzing run of the pipeline's properties than the test suite makes.

Runs the hypothesis properties of tests/test_pipeline.py (arbitrary Unicode text,
and seed sentences with spinner swaps, mojibake and whitespace damage: no exception,
idempotence, exact replay of the edit log, every input word kept or accounted for by
an edit) with many more examples. Run:
    .venv/bin/python benchmarks/fuzz.py [EXAMPLES]      (default 2000 per property)
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def main() -> None:
    examples = sys.argv[1] if len(sys.argv) > 1 else "2000"
    env = {**os.environ, "CLEANER_FUZZ_EXAMPLES": examples}
    command = [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "--hypothesis-show-statistics",
               "tests/test_pipeline.py", "-k", "replays or no_word_is_lost"]
    raise SystemExit(subprocess.call(command, cwd=ROOT, env=env))


if __name__ == "__main__":
    main()
