"""Check that every runtime dependency installs from wheels on each supported Python.

The machines this project is developed on have one CPython (3.11), but users install it
on 3.11 to 3.13. An interpreter is not needed to know whether pip would find a build of
every dependency for another version: ``pip download --python-version X
--only-binary=:all:`` resolves exactly as pip on that version would, against the same
index. A dependency without a wheel (or a pin too old for the version) fails here
instead of on a user's machine. The project itself is pure Python and uses no module
that 3.12 or 3.13 removed (``pkg_resources``, ``distutils``, ``imp``...); the test
suite checks that part (tests/test_packaging.py).

Run: .venv/bin/python tools/check_python_versions.py [3.12 3.13]   (needs the package index)
"""

from __future__ import annotations

import subprocess
import sys
import tempfile
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PLATFORMS = ("manylinux_2_28_x86_64", "manylinux_2_17_x86_64", "manylinux2014_x86_64", "linux_x86_64")


def runtime_dependencies() -> list[str]:
    """Return the ``[project] dependencies`` of pyproject.toml."""
    with (ROOT / "pyproject.toml").open("rb") as handle:
        return list(tomllib.load(handle)["project"]["dependencies"])


def check(version: str, requirements: list[str]) -> bool:
    """Resolve ``requirements`` for CPython ``version`` from wheels only; print the verdict."""
    with tempfile.TemporaryDirectory() as folder:
        command = [sys.executable, "-m", "pip", "download", "-q", "--python-version", version,
                   "--only-binary=:all:", "-d", folder]
        for platform in PLATFORMS:
            command += ["--platform", platform]
        result = subprocess.run(command + requirements, capture_output=True, text=True, check=False)
        wheels = len(list(Path(folder).glob("*.whl")))
    if result.returncode == 0:
        print(f"Python {version}: all {len(requirements)} dependencies resolve to wheels ({wheels} wheels)")
        return True
    print(f"Python {version}: FAILED\n{result.stderr.strip()}")
    return False


def main(versions: list[str]) -> int:
    requirements = runtime_dependencies()
    results = [check(version, requirements) for version in versions or ["3.11", "3.12", "3.13"]]
    return 0 if all(results) else 1


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
