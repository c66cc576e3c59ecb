"""Where documents are cleaned: in this process, in a pool of local processes, or on Dask.

Every executor runs the same pure function, :func:`clean_payload`, on picklable
inputs and returns results in input order, so outputs are the same byte for byte
whichever runs them. :func:`in_order` keeps a bounded window of documents in flight,
so a corpus is streamed, never loaded whole, and the batch writes finished documents
while workers clean the next ones. Grammar engines are started once per worker
process (:func:`cleaner.services.start_engine` is cached per process).

A distributed engine is used, not written: ``--executor dask --scheduler ADDRESS``
sends documents to a Dask cluster (``pip install 'cleaner[dask]'``).
"""

from __future__ import annotations

import gc
import os
import signal
import sys
import threading
import time
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, replace
from types import FrameType
from typing import TYPE_CHECKING, Any, Protocol, TypeVar

from cleaner.api import CleanResult, clean_bytes, clean_text, load_for_documents, registry_for
from cleaner.config import Config
from cleaner.errors import CleanerError, ConfigError, TimeLimitError, WorkerLostError
from cleaner.sources import Record, clean_record

_T = TypeVar("_T")

if TYPE_CHECKING:  # a pool is made only for two jobs or more: its modules are not imported at start-up
    from concurrent.futures import Future, ProcessPoolExecutor


@dataclass(frozen=True, slots=True)
class Payload:
    """One document to clean: its bytes (or a corpus record), its name, and its configuration."""

    data: bytes
    source: str
    config: Config
    #: A record of a JSON Lines, Parquet or HTML file, cleaned instead of ``data``.
    record: Record | None = None


def clean_payload(payload: Payload) -> CleanResult | str:
    """Clean one document; a :class:`CleanerError` comes back as its one-line message.

    Cleaning stops at the configuration's ``time_limit`` (:func:`time_limit`); what every
    document needs (rule packs, word counts) is loaded first, once per process
    (:func:`~cleaner.api.load_for_documents`), so the limit counts the document alone.
    """
    try:
        load_for_documents(payload.config)
        with time_limit(payload.config.time_limit, payload.source):
            if payload.record is not None:
                return clean_record(payload.record, payload.config)
            return clean_bytes(payload.data, payload.source, payload.config)
    except CleanerError as exc:
        return exc.one_line()


#: Once the time limit is reached, the alarm repeats this often until the work stops.
_ALARM_REPEAT_SECONDS = 0.05


class _TimeUp(BaseException):
    """Raised by the alarm inside the work; a ``BaseException`` so no ``except Exception`` on the way swallows it."""


@contextmanager
def time_limit(seconds: float, source: str) -> Iterator[None]:
    """Raise :class:`TimeLimitError` (naming ``source``) if the block runs longer than ``seconds``.

    A real-time alarm (``SIGALRM``) interrupts pure-Python work between two bytecodes;
    what it interrupts is this document's own state, thrown away with it, so the next
    document starts clean. Work inside one C call (a single RE2 match, an engine call)
    is interrupted when that call returns. Signals can only be handled in a process's
    main thread: local workers and a single job run there; a Dask worker's threads do
    not, and there the block runs without a limit.
    """
    if threading.current_thread() is not threading.main_thread() or not hasattr(signal, "setitimer"):
        yield
        return

    stopping = False

    def alarm(number: int, frame: FrameType | None) -> None:
        if stopping:
            return
        # Python drops an exception raised where it cannot propagate (a garbage
        # collector callback, a __del__): ring again shortly until one gets through.
        signal.setitimer(signal.ITIMER_REAL, _ALARM_REPEAT_SECONDS)
        raise _TimeUp

    previous = signal.signal(signal.SIGALRM, alarm)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    except _TimeUp:
        stopping = True
        raise TimeLimitError(f"{source}: cleaning took longer than the time limit of {seconds:g} s; not cleaned") from None
    finally:
        stopping = True
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


class Executor(Protocol):
    """Starts :func:`clean_payload` on a payload and hands back its result later.

    ``window`` is how many documents may be in flight: enough to keep every worker
    busy while the batch writes finished documents, few enough to keep memory flat.
    """

    window: int

    def submit(self, payload: Payload) -> Any:
        """Start cleaning one payload; return a handle for :meth:`result`."""
        ...

    def result(self, handle: Any) -> CleanResult | str:
        """Wait for a submitted payload's result."""
        ...

    def warm_during(self, config: Config, work: Callable[[], _T]) -> _T:
        """Return ``work()`` (a picklable callable); an executor whose workers start from this process loads what they need for ``config`` meanwhile."""
        ...

    def close(self) -> None:
        """Release workers."""
        ...


class InProcess:
    """Clean documents one after another in this process."""

    window = 1

    def submit(self, payload: Payload) -> CleanResult | str:
        return clean_payload(payload)

    def result(self, handle: CleanResult | str) -> CleanResult | str:
        return handle

    def warm_during(self, config: Config, work: Callable[[], _T]) -> _T:
        return work()

    def close(self) -> None:
        pass


class LocalProcesses:
    """Clean documents in ``jobs`` worker processes on this machine.

    Workers start once, at the first document, and stay for the batch. On Linux they
    are forked from this process after :func:`warm` has loaded, here, what cleaning
    loads at first use (rule packs, compiled patterns, the spin scorer's counts and the
    fallback's lexicon): each worker starts with it instead of loading it again, and
    the pages are shared until written. Elsewhere (``fork`` is unsafe on macOS) they
    are started with ``spawn`` and each loads what it needs. No grammar engine runs in
    this process, so none is forked: engines start in each worker
    (:func:`cleaner.services.start_engine`). A forked worker runs in its own main
    thread, where the time-limit alarm (:func:`time_limit`) works as in one job.

    A worker that dies (killed, out of memory) breaks the pool: it is started again,
    and each document that was in flight is cleaned again when its turn comes, alone;
    one whose worker dies again gets an error line (:class:`WorkerLostError`) and the
    batch goes on. ``work`` is what a worker runs on a payload (tests pass one that
    kills its worker).
    """

    def __init__(self, jobs: int, work: Callable[[Payload], CleanResult | str] = clean_payload) -> None:
        self.window = jobs * 8
        self._jobs = jobs
        self._work = work
        self._pool: ProcessPoolExecutor | None = None
        self._fork = sys.platform == "linux"
        self._warmed = False

    def _start(self) -> ProcessPoolExecutor:
        import multiprocessing
        from concurrent.futures import ProcessPoolExecutor

        if self._fork:
            return ProcessPoolExecutor(max_workers=self._jobs, mp_context=multiprocessing.get_context("fork"), initializer=_default_signals)
        return ProcessPoolExecutor(max_workers=self._jobs, mp_context=multiprocessing.get_context("spawn"))

    def _running(self, config: Config) -> ProcessPoolExecutor:
        """Return the pool, started (after warming this process for ``config``) at the first call."""
        if self._pool is None:
            if self._fork:
                self._warm(config)
            self._pool = self._start()
        return self._pool

    def _warm(self, config: Config) -> None:
        """Load here what the forked workers need (:func:`warm`), once."""
        if not self._warmed:
            warm(config)
            # Objects loaded so far are never freed: keeping them out of the collector's
            # passes keeps their pages shared with the workers instead of copied.
            gc.freeze()
            self._warmed = True

    def warm_during(self, config: Config, work: Callable[[], _T]) -> _T:
        """Run ``work`` in a forked helper process while this one warms for the workers, before they start.

        What the batch does before its first document (counting the blocks repeated
        across the corpus) and what the workers must inherit (rule packs, counts, the
        lexicon) would otherwise take their turns on one core while the other waits.
        Where workers are not forked, or this process is warm already, ``work`` runs
        here. A helper that dies leaves ``work`` to this process: the batch goes on as
        without it.
        """
        if not self._fork or self._warmed:
            return work()
        import multiprocessing
        from concurrent.futures import ProcessPoolExecutor
        from concurrent.futures.process import BrokenProcessPool

        with ProcessPoolExecutor(max_workers=1, mp_context=multiprocessing.get_context("fork"), initializer=_default_signals) as helper:
            done = helper.submit(_while_working, work)
            self._warm(config)
            try:
                return done.result()
            except BrokenProcessPool:
                pass
        return work()

    def submit(self, payload: Payload) -> tuple[Payload, ProcessPoolExecutor, Future[CleanResult | str]]:
        """Start cleaning ``payload``; a pool broken while it waited (a worker killed between documents) is started again first."""
        from concurrent.futures.process import BrokenProcessPool

        pool = self._running(payload.config)
        try:
            future = pool.submit(_while_working, self._work, payload)
        except BrokenProcessPool:
            self._restart(pool)
            pool = self._running(payload.config)  # a fresh pool, which no death has broken yet
            future = pool.submit(_while_working, self._work, payload)
        return payload, pool, future

    def result(self, handle: tuple[Payload, ProcessPoolExecutor, Future[CleanResult | str]]) -> CleanResult | str:
        from concurrent.futures.process import BrokenProcessPool

        payload, pool, future = handle
        try:
            return future.result()
        except BrokenProcessPool:
            pass
        self._restart(pool)
        _, pool, future = self.submit(payload)
        try:
            return future.result()
        except BrokenProcessPool:
            self._restart(pool)
            return WorkerLostError(f"{payload.source}: the worker process cleaning it died").one_line()

    def _restart(self, broken: ProcessPoolExecutor) -> None:
        """Replace the pool if ``broken`` is still the current one."""
        if broken is self._pool:
            # Waited for: its manager thread is gone before the next pool forks.
            broken.shutdown(wait=True, cancel_futures=True)
            self._pool = self._start()

    def close(self) -> None:
        if self._pool is not None:
            self._pool.shutdown(cancel_futures=True)


def _default_signals() -> None:
    """Give a forked worker its own signal handling.

    It inherits the batch's handlers (which hold SIGINT and SIGTERM between
    documents); a worker must instead stop on SIGTERM, as the pool ends workers with
    it, and on SIGINT (:func:`_interrupted_worker`).
    """
    signal.signal(signal.SIGINT, _interrupted_worker)
    signal.signal(signal.SIGTERM, signal.SIG_DFL)


#: Whether this worker process is running a piece of work (:func:`_while_working`).
_working = False


def _while_working(work: Callable[..., _T], *args: Any) -> _T:
    """Run ``work(*args)`` in a worker, marked as working for :func:`_interrupted_worker`."""
    global _working
    _working = True
    try:
        return work(*args)
    finally:
        _working = False


def _interrupted_worker(number: int, frame: FrameType | None) -> None:
    """Stop a worker on Ctrl-C, which reaches every process of the batch.

    At work, it raises ``KeyboardInterrupt`` as Python does: the work's result is the
    interruption, for the batch to handle. Idle, waiting for work, it leaves at once:
    the interruption raised there would only print a traceback of the pool's internals
    beside the batch's one line.
    """
    if _working:
        raise KeyboardInterrupt
    os._exit(128 + number)


def warm(config: Config) -> None:
    """Load in this process what cleaning with ``config`` loads at first use.

    What every document needs loads (:func:`~cleaner.api.load_for_documents`), then the
    spin fallback rules' examples are cleaned with the
    spin gate forced open as rule examples run (threshold 0): the spin index, spinner
    groups, scorer counts and fallback lexicon load, and readability's hyphenation
    dictionary. Normalise and structure patterns are left to compile at first need
    (about 0.1 s a worker): cleaning their examples too took 1.5 s here instead of
    0.8 s, all of it before any worker starts. Grammar is off: no engine starts here.
    What fails here is left to the documents: each meets it in its worker and gets its
    own error line, as without warming.
    """
    try:
        load_for_documents(config)
        rules = registry_for(config).select(config.select, config.ignore)
        examples = [before for r in rules.for_stage("spin") if r.kind == "thesaurus-fallback" for before, _ in r.fix_examples]
        clean_text("\n\n".join(examples) + "\n", replace(config, grammar="off", spin_threshold=0.0), source="<warm-up>")
    except CleanerError:
        pass


class DaskCluster:
    """Clean documents on a Dask cluster (the scheduler at ``address``).

    Results are awaited ``poll_seconds`` at a time: when the cluster has had no worker
    for ``workerless_seconds``, the document gets an error line instead of a wait that
    never ends.
    """

    poll_seconds = 5.0
    workerless_seconds = 60.0

    def __init__(self, address: str) -> None:
        try:
            from distributed import Client
        except ImportError:
            raise ConfigError("--executor dask needs Dask", hint="pip install 'cleaner[dask]'") from None
        try:
            self._client = Client(address, timeout="10s")  # type: ignore[no-untyped-call]
        except OSError as exc:
            raise ConfigError(f"--scheduler {address}: cannot reach the Dask scheduler: {exc}") from None
        self.window = max(16, 8 * sum(self._client.nthreads().values()))  # type: ignore[no-untyped-call]

    def submit(self, payload: Payload) -> Any:
        return payload.source, self._client.submit(clean_payload, payload, pure=False)

    def result(self, handle: Any) -> CleanResult | str:
        """Wait for a document; with no worker left for ``workerless_seconds``, give an error line."""
        source, future = handle
        workerless_since: float | None = None
        while True:
            try:
                return future.result(timeout=self.poll_seconds)  # type: ignore[no-any-return]
            except TimeoutError:
                if self._client.scheduler_info().get("workers"):  # type: ignore[no-untyped-call]
                    workerless_since = None
                    continue
                now = time.monotonic()
                workerless_since = workerless_since or now
                if now - workerless_since >= self.workerless_seconds:
                    future.cancel()
                    return WorkerLostError(f"{source}: no Dask worker is left to clean it", hint="start workers for the scheduler (dask worker ADDRESS)").one_line()

    def warm_during(self, config: Config, work: Callable[[], _T]) -> _T:
        return work()

    def close(self) -> None:
        self._client.close()  # type: ignore[no-untyped-call]


def in_order(executor: Executor, jobs: Iterable[tuple[Any, Any]]) -> Iterator[tuple[Any, Any]]:
    """Run ``jobs`` (a tag and a payload, or an outcome already known) keeping input order.

    At most ``executor.window`` payloads are in flight; a known result (a cache hit or
    a read error) waits its turn in the queue, so the output order never changes.
    """
    pending: deque[tuple[Any, bool, Any]] = deque()
    for tag, job in jobs:
        if isinstance(job, Payload):
            pending.append((tag, True, executor.submit(job)))
        else:
            pending.append((tag, False, job))
        while len(pending) >= executor.window:
            yield _finish(executor, pending.popleft())
    while pending:
        yield _finish(executor, pending.popleft())


def _finish(executor: Executor, entry: tuple[Any, bool, Any]) -> tuple[Any, Any]:
    """Wait for one queued job's result."""
    tag, submitted, handle = entry
    return tag, executor.result(handle) if submitted else handle


def make_executor(kind: str = "local", jobs: int | None = None, scheduler: str = "") -> Executor:
    """Choose the executor: Dask when asked, else local processes (one job: in process)."""
    if kind == "dask":
        if not scheduler:
            raise ConfigError("--executor dask needs --scheduler ADDRESS (e.g. tcp://10.0.0.5:8786)")
        return DaskCluster(scheduler)
    count = jobs if jobs is not None else (os.cpu_count() or 1)
    return InProcess() if count <= 1 else LocalProcesses(count)
