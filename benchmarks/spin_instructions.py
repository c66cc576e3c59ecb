"""Count the machine instructions the spin stage takes per pass over the seeds.

Wall-clock and CPU time on a shared virtual machine vary by up to 40 % between runs,
which hides a 10 % change. Valgrind's callgrind counts instructions instead, and the
count repeats to within about 1 %: the figure to compare two versions of the code by.

Only the measured passes are counted: they run inside ``functools.reduce``, and
callgrind is told to count inside that function only (``--toggle-collect``), after
the rules and the lexicon are loaded and the garbage collector's heap is frozen.

Prints figures; it is not a test. Needs valgrind. Run:
.venv/bin/python benchmarks/spin_instructions.py [passes]
"""

from __future__ import annotations

import gc
import re
import shutil
import subprocess
import sys
from functools import reduce
from pathlib import Path

from cleaner.config import Config
from cleaner.pipeline import StageContext
from cleaner.rulepacks import load_registry
from cleaner.stages.spin import STAGE

ROOT = Path(__file__).resolve().parent.parent
CHILD = "--measured-child"


def measured_passes(passes: int) -> None:
    """Run the spin stage over every seed ``passes`` times, inside ``functools.reduce``."""
    rules = load_registry().for_stage("spin")
    seeds = [p.read_text(encoding="utf-8") for p in sorted((ROOT / "seeds").glob("*.txt"))]
    for text in seeds:  # loads the lexicon and fills the per-process caches
        STAGE.propose(text, StageContext(Config(), rules, False, {}))
    gc.collect()
    gc.freeze()  # a full collection inside the measured region would add noise

    def one_pass(_previous: object, _number: int) -> None:
        for text in seeds:
            STAGE.propose(text, StageContext(Config(), rules, False, {}))

    reduce(one_pass, range(passes), None)


def main() -> None:
    if sys.argv[1:2] == [CHILD]:
        measured_passes(int(sys.argv[2]))
        return
    passes = int(sys.argv[1]) if len(sys.argv) > 1 else 10
    valgrind = shutil.which("valgrind")
    if valgrind is None:
        sys.exit("spin_instructions: valgrind is not installed (apt install valgrind)")
    command = [valgrind, "--tool=callgrind", "--collect-atstart=no", "--toggle-collect=*functools_reduce*", "--callgrind-out-file=/dev/null"]
    run = subprocess.run([*command, sys.executable, __file__, CHILD, str(passes)], capture_output=True, text=True, check=True)
    found = re.search(r"Collected : (\d+)", run.stderr)
    if found is None:
        sys.exit(f"spin_instructions: no instruction count in valgrind's output:\n{run.stderr[-2000:]}")
    size = sum(len(p.read_bytes()) for p in (ROOT / "seeds").glob("*.txt"))
    per_pass = int(found.group(1)) / passes
    print(f"spin stage over the five seeds ({size:,} bytes): {per_pass / 1e6:.2f} M instructions per pass ({per_pass / size:,.0f} per byte), {passes} passes counted")


if __name__ == "__main__":
    main()
