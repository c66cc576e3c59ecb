"""Benchmark start-up: a one-document ``cleaner clean`` from process start to exit.

Prints, over five runs of ``python -m cleaner clean ONE_SEED -o OUT --grammar off
--jobs 1 --no-cache`` (target: under 0.3 s to the first document):

* the median wall-clock and CPU seconds of the whole run (CPU is the steadier figure
  on a shared machine), with the package's bytecode compiled, as an installed package
  has it (:func:`installed_bytecode`), and again compiling it from source at every start;
* the import time of ``cleaner.cli`` as ``python -X importtime`` reports it, and the
  modules that take longest to import themselves (their own time, without what they
  import).

Prints figures; it is not a test. Run: .venv/bin/python benchmarks/startup.py
"""

from __future__ import annotations

import os
import re
import statistics
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
_RUNNER = """
import resource, subprocess, sys, time
start = time.perf_counter()
subprocess.run(sys.argv[1:], capture_output=True, check=True)
usage = resource.getrusage(resource.RUSAGE_CHILDREN)
print(time.perf_counter() - start, usage.ru_utime + usage.ru_stime)
"""


@contextmanager
def installed_bytecode() -> Iterator[None]:
    """Within the block, the processes started load the package's compiled bytecode, as an installed package's do.

    pip compiles a package's modules when it installs it. This checkout is an editable
    install: Python compiles it at first import and keeps the bytecode, except where
    ``PYTHONDONTWRITEBYTECODE`` forbids writing it, and then compiles every module again
    at every start (0.1 s more a run here). The processes measured keep their bytecode in
    a temporary folder of their own (``PYTHONPYCACHEPREFIX``), compiled before the first.
    """
    saved = dict(os.environ)
    with tempfile.TemporaryDirectory() as folder:
        os.environ.pop("PYTHONDONTWRITEBYTECODE", None)
        os.environ["PYTHONPYCACHEPREFIX"] = folder
        subprocess.run([sys.executable, "-m", "compileall", "-q", str(ROOT / "cleaner")], check=True)
        try:
            yield
        finally:
            os.environ.clear()
            os.environ.update(saved)


def one_run(folder: Path, out: Path) -> tuple[float, float]:
    """Return wall and CPU seconds of one one-document run in a fresh process."""
    command = [sys.executable, "-m", "cleaner", "clean", str(folder), "-o", str(out), "--grammar", "off", "--jobs", "1", "--no-cache"]
    done = subprocess.run([sys.executable, "-c", _RUNNER, *command], capture_output=True, text=True, check=True)
    wall, cpu = done.stdout.split()
    return float(wall), float(cpu)


def import_times() -> tuple[float, list[tuple[float, str]]]:
    """Return the cumulative import seconds of ``cleaner.cli`` and the slowest modules by their own time."""
    done = subprocess.run([sys.executable, "-X", "importtime", "-c", "import cleaner.cli"], capture_output=True, text=True, check=True)
    rows = [m.groups() for m in re.finditer(r"import time:\s+(\d+) \|\s+(\d+) \| (\s*)(\S+)", done.stderr)]
    total = next(int(cumulative) for _, cumulative, _, name in rows if name == "cleaner.cli") / 1e6
    own = sorted(((int(self_us) / 1e6, name) for self_us, _, _, name in rows), reverse=True)
    return total, own[:8]


def main() -> None:
    with tempfile.TemporaryDirectory() as scratch:
        folder = Path(scratch) / "in"
        folder.mkdir()
        (folder / "one.txt").write_text((ROOT / "seeds" / "004_85affc11210ea103.txt").read_text(encoding="utf-8"), encoding="utf-8")
        with installed_bytecode():
            runs = [one_run(folder, Path(scratch) / f"out{i}") for i in range(5)]
            total, slowest = import_times()
        compiling = [one_run(folder, Path(scratch) / f"source{i}") for i in range(5)] if "PYTHONDONTWRITEBYTECODE" in os.environ else []
    wall = statistics.median(w for w, _ in runs)
    cpu = statistics.median(c for _, c in runs)
    print(f"one-document run, start to exit (median of 5): {wall:.2f} s wall, {cpu:.2f} s CPU (target < 0.3 s)")
    if compiling:
        print(f"  the same compiling the package from source at every start (PYTHONDONTWRITEBYTECODE is set here): {statistics.median(w for w, _ in compiling):.2f} s wall")
    print(f"import cleaner.cli: {total:.3f} s; slowest modules by their own import time:")
    for seconds, name in slowest:
        print(f"  {seconds:.3f} s  {name}")


if __name__ == "__main__":
    main()
