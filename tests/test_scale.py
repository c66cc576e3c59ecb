"""Parallel, cached and distributed batches give the same bytes as one plain run."""

from __future__ import annotations

import filecmp
import json
import os
from pathlib import Path

import pytest
from click.testing import CliRunner

from cleaner.cli import main

from .conftest import ROOT

SEEDS = str(ROOT / "seeds")


def clean(out: Path, *extra: str) -> str:
    result = CliRunner().invoke(main, ["clean", SEEDS, "-o", str(out), "--grammar", "harper", *extra], catch_exceptions=False)
    assert result.exit_code == 0, result.stderr
    return result.stderr


def same_tree(a: Path, b: Path) -> bool:
    names = sorted(p.name for p in a.iterdir())
    return names == sorted(p.name for p in b.iterdir()) and all(filecmp.cmp(a / n, b / n, shallow=False) for n in names)


def test_two_jobs_give_the_same_bytes_as_one(tmp_path: Path) -> None:
    clean(tmp_path / "one", "--jobs", "1", "--no-cache")
    clean(tmp_path / "two", "--jobs", "2", "--no-cache")
    assert same_tree(tmp_path / "one", tmp_path / "two")


def test_warm_cache_reuses_every_document_and_gives_the_same_bytes(tmp_path: Path) -> None:
    cache = str(tmp_path / "cache")
    clean(tmp_path / "cold", "--jobs", "1", "--cache-dir", cache)
    log = clean(tmp_path / "warm", "--jobs", "1", "--cache-dir", cache)
    assert "5 from cache" in log
    assert same_tree(tmp_path / "cold", tmp_path / "warm")


def test_unreadable_cache_entry_is_a_miss(tmp_path: Path) -> None:
    cache = tmp_path / "cache"
    clean(tmp_path / "first", "--jobs", "1", "--cache-dir", str(cache))
    for entry in cache.rglob("*"):
        if entry.is_file():
            entry.write_bytes(b"not a pickle")
    log = clean(tmp_path / "again", "--jobs", "1", "--cache-dir", str(cache))
    assert "from cache" not in log
    assert same_tree(tmp_path / "first", tmp_path / "again")


def test_dask_cluster_of_worker_processes_matches_the_local_run(tmp_path: Path) -> None:
    distributed = pytest.importorskip("distributed", reason="Dask is the 'dask' extra")
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True, host="127.0.0.1", dashboard_address=None) as cluster:
        assert len(cluster.workers) == 2
        clean(tmp_path / "dask", "--executor", "dask", "--scheduler", cluster.scheduler_address, "--no-cache")
    clean(tmp_path / "local", "--jobs", "1", "--no-cache")
    assert same_tree(tmp_path / "local", tmp_path / "dask")


def test_records_of_corpus_files_go_through_dask_one_task_each(tmp_path: Path) -> None:
    distributed = pytest.importorskip("distributed", reason="Dask is the 'dask' extra")
    import pyarrow as pa
    import pyarrow.parquet as pq
    from distributed.diagnostics.task_stream import TaskStreamPlugin

    corpus = tmp_path / "in"
    corpus.mkdir()
    (corpus / "a.jsonl").write_text("".join(json.dumps({"id": f"r{i}", "text": f"Record  {i}, signiﬁcantly.", "n": i}) + "\n" for i in range(7)), encoding="utf-8")
    pq.write_table(pa.table({"id": ["p1", "p2", "p3"], "text": ["Row  one.", "Row two.\n", "He said &quot;no&quot;."]}), corpus / "b.parquet")

    def run(out: Path, *extra: str) -> None:
        result = CliRunner().invoke(main, ["clean", str(corpus), "-o", str(out), "--grammar", "off", "--no-cache", *extra], catch_exceptions=False)
        assert result.exit_code == 0 and "cleaned 10 document(s)" in result.stderr, result.stderr

    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True, host="127.0.0.1", dashboard_address=None) as cluster:
        tasks = TaskStreamPlugin(cluster.scheduler)  # the scheduler runs in this process: it records every task it ran
        cluster.scheduler.add_plugin(tasks)
        run(tmp_path / "dask", "--executor", "dask", "--scheduler", cluster.scheduler_address)
        cleaned = [t for t in tasks.buffer if t["key"].startswith("clean_payload-")]
        workers = set(cluster.scheduler.workers)
    assert len(cleaned) == 10 and {t["worker"] for t in cleaned} <= workers  # one task per record, not per file
    run(tmp_path / "local", "--jobs", "1")
    assert same_tree(tmp_path / "local", tmp_path / "dask")


def test_dask_without_a_scheduler_is_a_usage_error(tmp_path: Path) -> None:
    result = CliRunner().invoke(main, ["clean", SEEDS, "-o", str(tmp_path / "x"), "--executor", "dask"])
    assert result.exit_code == 2 and "--scheduler" in result.stderr


@pytest.mark.skipif(os.name != "posix", reason="signals are POSIX")
def test_interrupting_a_run_leaves_no_half_written_output(tmp_path: Path) -> None:
    import signal
    import subprocess
    import sys
    import time

    corpus = tmp_path / "in"
    corpus.mkdir()
    text = (ROOT / "seeds" / "004_85affc11210ea103.txt").read_text(encoding="utf-8")
    for i in range(60):
        (corpus / f"doc{i:03}.txt").write_text(f"{text}\n\nCopy {i}.\n", encoding="utf-8")
    out = tmp_path / "out"
    command = [sys.executable, "-m", "cleaner", "clean", str(corpus), "-o", str(out), "--grammar", "off", "--jobs", "1", "--no-cache"]
    process = subprocess.Popen(command, stderr=subprocess.PIPE, text=True)
    deadline = time.time() + 60
    while time.time() < deadline and not (out.exists() and len(list(out.glob("doc*.txt"))) >= 3):
        time.sleep(0.05)
    process.send_signal(signal.SIGINT)
    _, err = process.communicate(timeout=60)
    assert process.returncode == 130 and "interrupted" in err and "Traceback" not in err
    assert not [p for p in out.iterdir() if p.name.startswith(".")]  # no temporary files left
    written = sorted(out.glob("doc*.txt"))
    assert written
    report = json.loads((out / "report.json").read_text())  # lists what was written, and says it is incomplete
    assert report["incomplete"] and [d["output"] for d in report["documents"]] == [p.name for p in written]
    assert f"{len(written)} of 60 document(s) written" in err
    complete = tmp_path / "complete"
    subprocess.run([*command[:5], "-o", str(complete), *command[7:]], check=True, capture_output=True)
    assert all((complete / p.name).read_bytes() == p.read_bytes() for p in written)


def test_library_results_are_picklable_and_replay() -> None:
    import pickle

    from cleaner import Config, clean_text, replay

    result = clean_text("Ecu  leaders met in the international locations.\r\n", Config(grammar="off"))
    copy = pickle.loads(pickle.dumps(result))
    assert copy.output == result.output and copy.log.passes == result.log.passes
    assert replay(copy.input_text, copy.log) == copy.output
    assert pickle.loads(pickle.dumps(Config(grammar="off", per_path=()))) == Config(grammar="off")
