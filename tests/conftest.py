"""Shared fixtures: the repository root, seed files, and a network blocker."""

from __future__ import annotations

import os
import shutil
import socket
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


def pytest_configure(config: pytest.Config) -> None:
    """Give the session a cache folder of its own (results, count tables, kept rule parses).

    The suite must neither write into the user's cache nor depend on what an earlier
    run, or another installation, left there; subprocesses inherit the setting.
    """
    config.stash[_CACHE_KEY] = tempfile.mkdtemp(prefix="cleaner-tests-cache-")
    os.environ["CLEANER_CACHE_DIR"] = config.stash[_CACHE_KEY]


def pytest_unconfigure(config: pytest.Config) -> None:
    if _CACHE_KEY in config.stash:
        shutil.rmtree(config.stash[_CACHE_KEY], ignore_errors=True)


_CACHE_KEY = pytest.StashKey[str]()
SEEDS = sorted((ROOT / "seeds").glob("*.txt"))
SPUN_SEED = ROOT / "seeds" / "001_52652048721d3da2.txt"
CLEAN_SEEDS = [s for s in SEEDS if s != SPUN_SEED]


@pytest.fixture
def no_network(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """Make any attempt to open a network connection fail loudly."""

    def refuse(*args: object, **kwargs: object) -> None:
        raise AssertionError("network access attempted")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)
    monkeypatch.setattr(socket, "getaddrinfo", refuse)
    yield


#: A real LanguageTool server for the tests that need one (``.ci/run`` starts one and
#: sets it). A test-only name: ``CLEANER_LANGUAGETOOL_URL`` would make every ``auto``
#: run in the suite use LanguageTool instead of Harper.
LANGUAGETOOL_TEST_URL_ENV = "CLEANER_TEST_LANGUAGETOOL_URL"
#: Set (``.ci/run`` does) to make those tests fail, not skip, when the server is missing.
LANGUAGETOOL_REQUIRED_ENV = "CLEANER_REQUIRE_LANGUAGETOOL"


def languagetool_missing() -> str:
    """Say why no LanguageTool server can be used here ('' when one answers)."""
    import os
    import shutil

    from cleaner.engines.languagetool_server import server_version

    url = os.environ.get(LANGUAGETOOL_TEST_URL_ENV, "")
    if not url:
        tools = [t for t in ("mvn", "java") if shutil.which(t) is None]
        why = f" ({' and '.join(tools)} not on PATH here)" if tools else ""
        return f"no LanguageTool server{why}: run 'cleaner languagetool build' and 'cleaner languagetool serve', then set {LANGUAGETOOL_TEST_URL_ENV}"
    try:
        server_version(url)
    except (OSError, ValueError) as exc:
        return f"{LANGUAGETOOL_TEST_URL_ENV}={url} does not answer: {exc}"
    return ""


@pytest.fixture
def languagetool_url(monkeypatch: pytest.MonkeyPatch) -> str:
    """The URL of a real LanguageTool server, also as ``CLEANER_LANGUAGETOOL_URL`` for the test.

    language-tool-python's download is blocked while the test runs.

    Without one the test skips saying why, or fails where ``CLEANER_REQUIRE_LANGUAGETOOL``
    is set (CI, which builds and starts the server).
    """
    import os

    missing = languagetool_missing()
    if missing:
        if os.environ.get(LANGUAGETOOL_REQUIRED_ENV):
            pytest.fail(f"{missing} ({LANGUAGETOOL_REQUIRED_ENV} is set)")
        pytest.skip(missing)
    from language_tool_python import download_lt

    def refuse(*args: object) -> None:
        raise AssertionError("language-tool-python tried to download LanguageTool")

    monkeypatch.setattr(download_lt.ReleaseLocalLanguageTool, "download", refuse)  # the server is the only LanguageTool
    url = os.environ[LANGUAGETOOL_TEST_URL_ENV]
    monkeypatch.setenv("CLEANER_LANGUAGETOOL_URL", url)
    return url
