"""Where cleaner keeps things of its own in the user's folders (after the XDG and platform conventions).

One module for the three, so that what needs a folder (the result cache, the spin
scorer's count tables, in-place edit logs, LanguageTool's jars) does not import the
module of another thing that needs one.
"""

from __future__ import annotations

import importlib.util
import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import platformdirs

#: Where cached results and count tables go unless ``--cache-dir`` or this says otherwise.
CACHE_DIR_ENV = "CLEANER_CACHE_DIR"


def package_folder(name: str) -> Path | None:
    """The folder of the installed package ``name`` (where its data files are), found without importing it; ``None`` if it is not installed.

    Importing a package to find its files runs its ``__init__`` (symspellpy's imports
    its whole spell checker): a few milliseconds of every start for a path.
    """
    spec = importlib.util.find_spec(name)
    if spec is None or not spec.submodule_search_locations:
        return None
    return Path(next(iter(spec.submodule_search_locations)))


def cache_folder() -> Path:
    """The cache folder: ``CLEANER_CACHE_DIR``, else the user's cache folder (``~/.cache/cleaner``)."""
    return Path(os.environ.get(CACHE_DIR_ENV) or platformdirs.user_cache_dir("cleaner", appauthor=False))


@contextmanager
def using_cache_folder(folder: Path | None) -> Iterator[None]:
    """Make ``folder`` the cache folder of all this process and its local workers keep, for the block.

    ``--cache-dir`` names where results go; the count tables and the kept rule-pack
    parses go there too, as a tool's cache folder holds all it caches. Set through
    :data:`CACHE_DIR_ENV`, which forked and spawned workers inherit, and put back as it
    was afterwards (the CLI may run inside a longer-lived process). ``None`` changes nothing.
    """
    if folder is None:
        yield
        return
    before = os.environ.get(CACHE_DIR_ENV)
    os.environ[CACHE_DIR_ENV] = str(folder)
    try:
        yield
    finally:
        if before is None:
            os.environ.pop(CACHE_DIR_ENV, None)
        else:
            os.environ[CACHE_DIR_ENV] = before


def state_folder() -> Path:
    """The user's state folder for cleaner (``~/.local/state/cleaner``): logs of in-place runs."""
    return Path(platformdirs.user_state_dir("cleaner", appauthor=False))


def data_folder() -> Path:
    """The user's data folder for cleaner (``~/.local/share/cleaner``): LanguageTool builds."""
    return Path(platformdirs.user_data_dir("cleaner", appauthor=False))
