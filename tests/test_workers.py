"""One bad document never stalls or aborts a batch: a dying worker costs that document only."""

from __future__ import annotations

import os
import random
import sys
from pathlib import Path

import pytest

from cleaner.batch import clean_files
from cleaner.config import Config
from cleaner.errors import OutputError, TimeLimitError
from cleaner.executors import LocalProcesses, Payload, clean_payload


def dying_worker(payload: Payload):  # type: ignore[no-untyped-def]
    """Clean as a worker does, but die (as the OOM killer would kill it) on ``oom*.txt``."""
    if Path(payload.source).name.startswith("oom"):
        os._exit(137)
    return clean_payload(payload)


def test_a_killed_worker_costs_one_document_and_the_rest_goes_on(tmp_path: Path) -> None:
    corpus = tmp_path / "in"
    corpus.mkdir()
    for i in range(10):
        name = "oom.txt" if i == 3 else f"doc{i}.txt"
        (corpus / name).write_text(f"Document {i} has  two spaces.\n", encoding="utf-8")
    executor = LocalProcesses(2, work=dying_worker)
    try:
        batch = clean_files([corpus], tmp_path / "out", Config(grammar="off"), executor=executor)
    finally:
        executor.close()
    assert [(Path(e.source).name, e.message.split(":")[0]) for e in batch.errors] == [("oom.txt", "error[C205]")]
    assert batch.documents == 9
    assert sorted(p.name for p in (tmp_path / "out").glob("doc*.txt")) == [f"doc{i}.txt" for i in range(10) if i != 3]
    assert (tmp_path / "out" / "doc9.txt").read_text(encoding="utf-8") == "Document 9 has two spaces.\n"


def test_a_full_disk_gives_an_error_line_per_document(tmp_path: Path, monkeypatch) -> None:
    import errno

    import cleaner.batch
    import cleaner.emit.report

    def full_disk(path: Path, text: str, **_: object) -> None:
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC), str(path))

    placeholder_writes = cleaner.emit.report.write_atomically

    def full_after_start(path: Path, text: str, **options: object) -> None:
        """The disk fills once the run is under way: the placeholder report still fits."""
        if "has not finished" in text:
            placeholder_writes(path, text, **options)  # type: ignore[arg-type]
        else:
            full_disk(path, text)

    corpus = tmp_path / "in"
    corpus.mkdir()
    for i in range(3):
        (corpus / f"doc{i}.txt").write_text(f"Document {i}.\n", encoding="utf-8")
    monkeypatch.setattr(cleaner.batch, "write_unless_same", full_disk)
    monkeypatch.setattr(cleaner.emit.report, "write_atomically", full_after_start)
    errors = []
    monkeypatch.setattr(cleaner.batch.BatchResult, "__init__", _recording(cleaner.batch.BatchResult.__init__, errors))
    with pytest.raises(OutputError, match="cannot write report.json and REPORT.md: No space left on device"):
        clean_files([corpus], tmp_path / "out", Config(grammar="off"))
    assert [Path(e.source).name for e in errors] == ["doc0.txt", "doc1.txt", "doc2.txt"]
    assert all("No space left on device" in e.message and e.message.startswith("error[C203]") for e in errors)


def _recording(init, errors: list):  # type: ignore[no-untyped-def]
    """Wrap ``BatchResult.__init__`` so the test sees the batch's error list."""

    def record(self, *args, **kwargs):  # type: ignore[no-untyped-def]
        init(self, *args, **kwargs)
        self.errors = errors
        errors.extend(kwargs.get("errors", []))

    return record


def test_a_dask_cluster_without_workers_gives_error_lines_instead_of_waiting_for_ever(tmp_path: Path) -> None:
    distributed = pytest.importorskip("distributed", reason="Dask is the 'dask' extra")
    from cleaner.executors import DaskCluster

    corpus = tmp_path / "in"
    corpus.mkdir()
    (corpus / "doc.txt").write_text("A document.\n", encoding="utf-8")
    with distributed.LocalCluster(n_workers=0, processes=True, host="127.0.0.1", dashboard_address=None) as cluster:
        executor = DaskCluster(cluster.scheduler_address)
        executor.poll_seconds, executor.workerless_seconds = 0.2, 1.0
        try:
            batch = clean_files([corpus], tmp_path / "out", Config(grammar="off"), executor=executor)
        finally:
            executor.close()
    assert [e.message.split(":")[0] for e in batch.errors] == ["error[C205]"] and "no Dask worker" in batch.errors[0].message


@pytest.mark.parametrize("jobs", ["1", "2"])
def test_a_runaway_document_is_an_error_line_at_the_time_limit_and_the_batch_goes_on(jobs: str, tmp_path: Path) -> None:
    from click.testing import CliRunner

    from cleaner.cli import main
    from .conftest import SPUN_SEED

    corpus = tmp_path / "in"
    corpus.mkdir()
    # About 370 KB of distinct paragraphs of article words (copies would be removed at
    # once as repeats): seconds to clean, far past a 0.5 s limit.
    words = SPUN_SEED.read_text(encoding="utf-8").split()
    draw = random.Random(0)
    paragraphs = (" ".join(draw.choice(words) for _ in range(300)) + "." for _ in range(200))
    (corpus / "big.txt").write_text("\n\n".join(paragraphs) + "\n", encoding="utf-8")
    (corpus / "small.txt").write_text("A  small text.\n", encoding="utf-8")
    args = ["clean", str(corpus), "-o", str(tmp_path / "out"), "--grammar", "off", "--no-cache", "--jobs", jobs, "--time-limit", "0.5"]
    result = CliRunner().invoke(main, args)
    errors = [line for line in result.stderr.splitlines() if line.startswith("error[")]
    assert result.exit_code == 2, result.output
    assert len(errors) == 1 and errors[0].startswith("error[C208]") and "big.txt" in errors[0] and "0.5 s" in errors[0]
    assert (tmp_path / "out" / "small.txt").read_text(encoding="utf-8") == "A small text.\n"
    assert not (tmp_path / "out" / "big.txt").exists()


def test_the_time_limit_leaves_no_alarm_behind() -> None:
    import signal

    from cleaner.executors import time_limit

    before = signal.getsignal(signal.SIGALRM)
    with time_limit(30, "x.txt"):
        pass
    assert signal.getitimer(signal.ITIMER_REAL) == (0.0, 0.0) and signal.getsignal(signal.SIGALRM) is before
    with pytest.raises(TimeLimitError) as error:
        with time_limit(0.05, "slow.txt"):
            while True:
                pass
    assert "slow.txt" in str(error.value)
    assert signal.getitimer(signal.ITIMER_REAL) == (0.0, 0.0) and signal.getsignal(signal.SIGALRM) is before


@pytest.mark.filterwarnings("ignore::pytest.PytestUnraisableExceptionWarning")  # the dropped alarm is the point
def test_the_time_limit_holds_when_its_first_alarm_lands_where_exceptions_are_dropped() -> None:
    import gc
    import time

    from cleaner.executors import time_limit

    swallowed: list[int] = []

    def slow_callback(phase: str, info: dict[str, int]) -> None:
        # An exception raised here is printed and dropped by the garbage collector.
        if not swallowed:
            swallowed.append(1)
            end = time.monotonic() + 0.3
            while time.monotonic() < end:
                pass

    gc.callbacks.append(slow_callback)
    try:
        with pytest.raises(TimeLimitError), time_limit(0.1, "doc.txt"):
            gc.collect()  # the first alarm rings inside the callback and is lost there
            end = time.monotonic() + 5
            while time.monotonic() < end:
                pass
    finally:
        gc.callbacks.remove(slow_callback)
    assert swallowed


def lexicon_entries(payload: Payload) -> str:
    """Report, before cleaning anything, how many lexicons this worker has loaded."""
    from cleaner.lexicon import load_lexicon

    return str(load_lexicon.cache_info().currsize)


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="workers are forked from a warmed process on Linux only (spawn elsewhere)")
def test_workers_start_with_the_spin_lexicon_already_loaded(tmp_path: Path) -> None:
    from cleaner.lexicon import load_lexicon

    load_lexicon.cache_clear()  # whatever earlier tests loaded here would be forked too
    executor = LocalProcesses(2, work=lexicon_entries)
    try:
        results = [executor.result(executor.submit(Payload(b"Text.\n", f"doc{i}.txt", Config(grammar="off")))) for i in range(4)]
    finally:
        executor.close()
    assert results == ["1"] * 4


def sigterm_handling(payload: Payload) -> str:
    """Report whether this worker ends on SIGTERM as a fresh process does."""
    import signal

    return "default" if signal.getsignal(signal.SIGTERM) == signal.SIG_DFL else "inherited"


def test_workers_do_not_inherit_the_batch_signal_handlers() -> None:
    import signal

    previous = signal.signal(signal.SIGTERM, lambda number, frame: None)  # as the batch holds SIGTERM between documents
    executor = LocalProcesses(2, work=sigterm_handling)
    try:
        results = [executor.result(executor.submit(Payload(b"Text.\n", f"doc{i}.txt", Config(grammar="off")))) for i in range(2)]
    finally:
        executor.close()
        signal.signal(signal.SIGTERM, previous)
    assert results == ["default", "default"]


def dies_away_from(home: int) -> str:
    """Die, as a helper process killed mid-work would, unless run in process ``home``."""
    if os.getpid() != home:
        os._exit(137)
    return "done here"


def test_work_before_the_workers_runs_beside_the_warm_up_and_a_dying_helper_leaves_it_here() -> None:
    from functools import partial

    from cleaner.lexicon import load_lexicon

    load_lexicon.cache_clear()
    executor = LocalProcesses(2, work=lexicon_entries)
    try:
        assert executor.warm_during(Config(grammar="off"), os.getpid) != os.getpid()  # in a helper process
        assert load_lexicon.cache_info().currsize == 1  # while this one warmed up for the workers
        assert executor.warm_during(Config(grammar="off"), os.getpid) == os.getpid()  # warmed already: a helper would gain nothing
        results = [executor.result(executor.submit(Payload(b"Text.\n", f"doc{i}.txt", Config(grammar="off")))) for i in range(2)]
    finally:
        executor.close()
    assert results == ["1", "1"]
    fresh = LocalProcesses(2)
    try:
        assert fresh.warm_during(Config(grammar="off"), partial(dies_away_from, os.getpid())) == "done here"
    finally:
        fresh.close()


def worker_pid(payload: Payload) -> str:
    """Report the worker's process id."""
    return str(os.getpid())


def interrupted_at_work(payload: Payload) -> str:
    """Be interrupted (Ctrl-C reaches every process of the batch) in the middle of a document."""
    import signal
    import time

    os.kill(os.getpid(), signal.SIGINT)
    time.sleep(5)
    return "not interrupted"


def test_an_interrupted_worker_stops_quietly_when_idle_and_hands_the_interruption_back_at_work(capfd: pytest.CaptureFixture[str]) -> None:
    import signal
    import time

    executor = LocalProcesses(1, work=worker_pid)
    try:
        pid = int(executor.result(executor.submit(Payload(b"Text.\n", "a.txt", Config(grammar="off")))))  # type: ignore[arg-type]
        os.kill(pid, signal.SIGINT)  # the worker waits for work
        time.sleep(0.5)
        again = executor.result(executor.submit(Payload(b"Text.\n", "b.txt", Config(grammar="off"))))  # a new worker takes it
    finally:
        executor.close()
    assert again != str(pid)
    assert "Traceback" not in capfd.readouterr().err  # the idle worker printed nothing on its way out
    busy = LocalProcesses(1, work=interrupted_at_work)
    try:
        with pytest.raises(KeyboardInterrupt):
            busy.result(busy.submit(Payload(b"Text.\n", "c.txt", Config(grammar="off"))))
    finally:
        busy.close()
