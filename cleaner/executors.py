"""Where documents are cleaned: in this process, in a pool of local processes, or on Dask.

Every executor runs the same pure function, :func:`clean_payload`, on picklable
inputs and returns results in input order, so outputs are the same byte for byte
whichever runs them. The batch hands them a chunk of documents at a time, so a
corpus is streamed, never loaded whole. Grammar engines are started once per worker
process (:func:`cleaner.services.start_engine` is cached per process).

A distributed engine is used, not written: ``--executor dask --scheduler ADDRESS``
sends documents to a Dask cluster (``pip install 'cleaner[dask]'``).
"""

from __future__ import annotations

import multiprocessing
import os
from collections.abc import Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from typing import Protocol

from cleaner.api import CleanResult, clean_bytes
from cleaner.config import Config
from cleaner.errors import CleanerError, ConfigError


@dataclass(frozen=True, slots=True)
class Payload:
    """One document to clean: its bytes, its name, and its configuration."""

    data: bytes
    source: str
    config: Config


def clean_payload(payload: Payload) -> CleanResult | str:
    """Clean one document; a :class:`CleanerError` comes back as its one-line message."""
    try:
        return clean_bytes(payload.data, payload.source, payload.config)
    except CleanerError as exc:
        return exc.one_line()


class Executor(Protocol):
    """Runs :func:`clean_payload` over payloads, returning results in input order."""

    def map(self, payloads: Sequence[Payload]) -> list[CleanResult | str]:
        """Clean every payload."""
        ...

    def close(self) -> None:
        """Release workers."""
        ...


class InProcess:
    """Clean documents one after another in this process."""

    def map(self, payloads: Sequence[Payload]) -> list[CleanResult | str]:
        return [clean_payload(p) for p in payloads]

    def close(self) -> None:
        pass


class LocalProcesses:
    """Clean documents in ``jobs`` worker processes on this machine.

    Workers are started (with ``spawn``: no state forked from a process that already
    runs an engine) the first time a chunk has more than one document; a single
    document is cleaned in this process.
    """

    def __init__(self, jobs: int) -> None:
        self.jobs = jobs
        self._pool: ProcessPoolExecutor | None = None

    def map(self, payloads: Sequence[Payload]) -> list[CleanResult | str]:
        if len(payloads) < 2:
            return [clean_payload(p) for p in payloads]
        if self._pool is None:
            self._pool = ProcessPoolExecutor(max_workers=self.jobs, mp_context=multiprocessing.get_context("spawn"))
        return list(self._pool.map(clean_payload, payloads))

    def close(self) -> None:
        if self._pool is not None:
            self._pool.shutdown(cancel_futures=True)


class DaskCluster:
    """Clean documents on a Dask cluster (the scheduler at ``address``)."""

    def __init__(self, address: str) -> None:
        try:
            from distributed import Client
        except ImportError:
            raise ConfigError("--executor dask needs Dask", hint="pip install 'cleaner[dask]'") from None
        try:
            self._client = Client(address, timeout="10s")
        except OSError as exc:
            raise ConfigError(f"--scheduler {address}: cannot reach the Dask scheduler: {exc}") from None

    def map(self, payloads: Sequence[Payload]) -> list[CleanResult | str]:
        futures = self._client.map(clean_payload, list(payloads), pure=False)
        return list(self._client.gather(futures))

    def close(self) -> None:
        self._client.close()


def make_executor(kind: str = "local", jobs: int | None = None, scheduler: str = "") -> Executor:
    """Choose the executor: Dask when asked, else local processes (one job: in process)."""
    if kind == "dask":
        if not scheduler:
            raise ConfigError("--executor dask needs --scheduler ADDRESS (e.g. tcp://10.0.0.5:8786)")
        return DaskCluster(scheduler)
    count = jobs if jobs is not None else (os.cpu_count() or 1)
    return InProcess() if count <= 1 else LocalProcesses(count)
