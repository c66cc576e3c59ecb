"""``clean --in-place`` keeps what each file is: its mode, owner and links; it refuses
read-only and hard-linked files, and it writes an edit log like any other run."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest
from click.testing import CliRunner

from cleaner.cli import main

OFF = ["--grammar", "off", "--no-cache", "--jobs", "1"]


def run(*args: str):  # type: ignore[no-untyped-def]
    return CliRunner().invoke(main, list(args), catch_exceptions=False)


@pytest.fixture(autouse=True)
def state_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Keep in-place edit logs in the scratch folder."""
    monkeypatch.setenv("XDG_STATE_HOME", str(tmp_path / "state"))
    return tmp_path / "state"


def test_a_private_file_stays_private(tmp_path: Path) -> None:
    doc = tmp_path / "private.txt"
    doc.write_text("Private  text.\n")
    doc.chmod(0o600)
    assert run("clean", "--in-place", str(doc), *OFF).exit_code == 0
    assert doc.read_text() == "Private text.\n" and (doc.stat().st_mode & 0o777) == 0o600


@pytest.mark.skipif(os.geteuid() != 0, reason="only root may give a file to another owner, which this test needs to set up")
def test_the_owner_is_kept(tmp_path: Path) -> None:
    doc = tmp_path / "theirs.txt"
    doc.write_text("Their  text.\n")
    os.chown(doc, 1234, 1234)
    assert run("clean", "--in-place", str(doc), *OFF).exit_code == 0
    assert doc.read_text() == "Their text.\n" and (doc.stat().st_uid, doc.stat().st_gid) == (1234, 1234)


def test_a_read_only_file_is_refused_unless_asked(tmp_path: Path) -> None:
    doc = tmp_path / "ro.txt"
    doc.write_text("Read  only.\n")
    doc.chmod(0o444)
    refused = run("clean", "--in-place", str(doc), *OFF)
    assert refused.exit_code == 2 and "read-only" in refused.stderr and "--allow-read-only" in refused.stderr
    assert doc.read_text() == "Read  only.\n"
    assert run("clean", "--in-place", "--allow-read-only", str(doc), *OFF).exit_code == 0
    assert doc.read_text() == "Read only.\n" and (doc.stat().st_mode & 0o777) == 0o444


def test_a_hard_linked_file_is_refused_and_no_link_is_split(tmp_path: Path) -> None:
    doc = tmp_path / "doc.txt"
    doc.write_text("Linked  text.\n")
    other = tmp_path / "elsewhere.txt"
    os.link(doc, other)
    result = run("clean", "--in-place", str(doc), *OFF)
    assert result.exit_code == 2 and "2 hard links" in result.stderr
    assert doc.read_text() == other.read_text() == "Linked  text.\n" and doc.stat().st_ino == other.stat().st_ino


def test_a_symlink_stays_a_link_and_its_target_is_cleaned_once(tmp_path: Path) -> None:
    target = tmp_path / "target.txt"
    target.write_text("Target  text.\n")
    link = tmp_path / "link.txt"
    link.symlink_to(target.name)
    result = run("clean", "--in-place", str(tmp_path), *OFF)
    assert result.exit_code == 0 and "cleaned 1 document(s)" in result.stderr
    assert link.is_symlink() and os.readlink(link) == "target.txt"
    assert target.read_text() == "Target text.\n"


def test_an_in_place_run_writes_an_edit_log(tmp_path: Path, state_dir: Path) -> None:
    doc = tmp_path / "doc.txt"
    doc.write_text("Some  text.\n")
    result = run("clean", "--in-place", str(doc), *OFF)
    [notice] = [line for line in result.stderr.splitlines() if "edit log" in line]
    log = Path(notice.rsplit(": ", 1)[1])
    assert state_dir in log.parents
    [entry] = json.loads(log.read_text())["documents"]
    assert entry["input"] == str(doc) and entry["changed"] and entry["passes"]
    chosen = tmp_path / "log"
    doc.write_text("More  text.\n")
    assert run("clean", "--in-place", str(doc), "--report", str(chosen), *OFF).exit_code == 0
    assert json.loads((chosen / "report.json").read_text())["documents"][0]["output_sha256"]
    assert (chosen / "REPORT.md").exists()
