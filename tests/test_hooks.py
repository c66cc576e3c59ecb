"""The hooks of .pre-commit-hooks.yaml, run for real by ``pre-commit try-repo`` on a scratch repository.

pre-commit builds the hook's own environment (``pip install`` of this repository, as a
user's first commit would), so this also proves a fresh install imports and runs.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from .conftest import ROOT, SPUN_SEED

PRE_COMMIT = shutil.which("pre-commit") or shutil.which("pre-commit", path=str(Path(sys.executable).parent))


@pytest.fixture(scope="module")
def scratch(tmp_path_factory: pytest.TempPathFactory) -> Path:
    if PRE_COMMIT is None:
        pytest.skip("pre-commit is not installed (it is a test dependency: pip install -e '.[test]')")
    repo = tmp_path_factory.mktemp("scratch")
    git(repo, "init", "-q", "-b", "main")
    (repo / "README.md").write_text("# Notes\n\nAligned code is left alone:\n\n```\nx  =  1   # one\nyy =  2   # two\n```\n", encoding="utf-8")
    (repo / "fine.txt").write_text("A short, ordinary paragraph of text.\n", encoding="utf-8")
    git(repo, "add", ".")
    return repo


def git(cwd: Path, *args: str) -> None:
    subprocess.run(["git", *args], cwd=cwd, check=True, capture_output=True)


def try_repo(repo: Path, hook: str, *files: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PRE_COMMIT_HOME": str(repo.parent / "pre-commit-home"), "GIT_AUTHOR_NAME": "t", "GIT_AUTHOR_EMAIL": "t@t", "GIT_COMMITTER_NAME": "t", "GIT_COMMITTER_EMAIL": "t@t"}
    args = ["--files", *files] if files else []
    return subprocess.run([str(PRE_COMMIT), "try-repo", str(ROOT), hook, *args], cwd=repo, capture_output=True, text=True, timeout=900, env=env)


def test_check_hook_passes_ordinary_files_and_protected_markdown_code(scratch: Path) -> None:
    result = try_repo(scratch, "cleaner-check")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "Traceback" not in result.stdout + result.stderr and "cleaner check" in result.stdout


def test_check_hook_fails_on_a_spun_file(scratch: Path) -> None:
    shutil.copy(SPUN_SEED, scratch / "spun.txt")
    git(scratch, "add", "spun.txt")
    result = try_repo(scratch, "cleaner-check", "spun.txt")
    assert result.returncode == 1 and "spin.spun-document" in result.stdout, result.stdout + result.stderr


def test_clean_hook_rewrites_in_place_and_leaves_code_alone(scratch: Path) -> None:
    (scratch / "messy.txt").write_text("Two  spaces and\u00a0a no-break space.\n", encoding="utf-8")
    git(scratch, "add", "messy.txt")
    result = try_repo(scratch, "cleaner-clean", "messy.txt", "README.md")
    assert (scratch / "messy.txt").read_text(encoding="utf-8") == "Two spaces and a no-break space.\n"
    assert "x  =  1   # one" in (scratch / "README.md").read_text(encoding="utf-8")
    assert "Traceback" not in result.stdout + result.stderr
    assert result.returncode == 1  # pre-commit fails a hook that changed files, so the user re-adds them
