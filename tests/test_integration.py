"""The CI integration files run for real: the pull-request review script the workflow
calls, the workflow's reference to it, and the pre-commit hook's entry command."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

from .conftest import CLEAN_SEEDS, ROOT, SPUN_SEED

SCRIPT = ROOT / ".github" / "scripts" / "review-seeds.sh"
BIN = str(Path(sys.executable).parent)
ENV = {**os.environ, "PATH": BIN + os.pathsep + os.environ["PATH"], "CLEANER_LANGUAGETOOL_URL": "",
       "GIT_AUTHOR_NAME": "t", "GIT_AUTHOR_EMAIL": "t@t", "GIT_COMMITTER_NAME": "t", "GIT_COMMITTER_EMAIL": "t@t"}


def sh(cwd: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(list(args), cwd=cwd, env=ENV, capture_output=True, text=True, timeout=600, check=False)


def repository(tmp_path: Path) -> Path:
    """A repository like this one: two clean seeds and their committed outputs."""
    repo = tmp_path / "repo"
    (repo / "seeds").mkdir(parents=True)
    (repo / "cleaner.toml").write_text('grammar = "harper"\n', encoding="utf-8")
    for seed in CLEAN_SEEDS[:2]:
        shutil.copy(seed, repo / "seeds" / seed.name)
    assert sh(repo, "cleaner", "clean", "seeds", "-o", "output").returncode == 0
    sh(repo, "git", "init", "-q", "-b", "main")
    sh(repo, "git", "add", ".")
    assert sh(repo, "git", "commit", "-q", "-m", "base").returncode == 0
    return repo


def test_workflow_runs_the_review_script_on_pull_requests() -> None:
    workflow = (ROOT / ".github" / "workflows" / "cleaner.yml").read_text(encoding="utf-8")
    assert "pull_request:" in workflow and ".github/scripts/review-seeds.sh" in workflow
    assert "upload-artifact" in workflow and ".ci/run" in workflow


def test_review_fails_on_a_new_spun_seed_and_annotates_it(tmp_path: Path) -> None:
    repo = repository(tmp_path)
    shutil.copy(SPUN_SEED, repo / "seeds" / "new_spun.txt")
    done = sh(repo, str(SCRIPT), "HEAD", "review")
    assert done.returncode == 1, done.stderr
    annotations = done.stdout.splitlines()
    assert any(line.startswith("::error file=seeds/new_spun.txt,line=1") and "spin.spun-document" in line for line in annotations)
    assert not any("file=seeds/0" in line for line in annotations)  # unchanged seeds are not blamed
    review = repo / "review"
    assert "new_spun.txt" in (review / "staleness.txt").read_text()  # no committed output for it yet
    assert "Only in review/output: new_spun.txt" in (review / "output.diff").read_text()
    assert (review / "review.html").stat().st_size > 10_000
    assert '"version": "2.1.0"' in (review / "cleaner.sarif").read_text()


def test_review_passes_a_new_clean_seed_committed_with_its_output(tmp_path: Path) -> None:
    repo = repository(tmp_path)
    shutil.copy(CLEAN_SEEDS[2], repo / "seeds" / CLEAN_SEEDS[2].name)
    assert sh(repo, "cleaner", "clean", "seeds", "-o", "output").returncode == 0
    done = sh(repo, str(SCRIPT), "HEAD", "review")
    assert done.returncode == 0, done.stdout + done.stderr
    assert (repo / "review" / "output.diff").read_text() == ""


def test_pre_commit_hook_entry_checks_the_staged_files(tmp_path: Path) -> None:
    hooks = (ROOT / ".pre-commit-hooks.yaml").read_text(encoding="utf-8")
    entry = re.search(r"- id: cleaner-check\n(?:  .*\n)*?  entry: (.+)\n", hooks)
    assert entry is not None
    shutil.copy(SPUN_SEED, tmp_path / "staged.txt")
    done = sh(tmp_path, *entry.group(1).split(), "--grammar", "off", "staged.txt")  # pre-commit appends file names
    assert done.returncode == 1 and "spin.spun-document" in done.stdout
