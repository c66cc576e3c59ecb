"""Where cleaner keeps things of its own in the user's folders (after the XDG and platform conventions).

One module for the three, so that what needs a folder (the result cache, the spin
scorer's count tables, in-place edit logs, LanguageTool's jars) does not import the
module of another thing that needs one.
"""

from __future__ import annotations

import os
from pathlib import Path

import platformdirs

#: Where cached results and count tables go unless ``--cache-dir`` or this says otherwise.
CACHE_DIR_ENV = "CLEANER_CACHE_DIR"


def cache_folder() -> Path:
    """The cache folder: ``CLEANER_CACHE_DIR``, else the user's cache folder (``~/.cache/cleaner``)."""
    return Path(os.environ.get(CACHE_DIR_ENV) or platformdirs.user_cache_dir("cleaner", appauthor=False))


def state_folder() -> Path:
    """The user's state folder for cleaner (``~/.local/state/cleaner``): logs of in-place runs."""
    return Path(platformdirs.user_state_dir("cleaner", appauthor=False))


def data_folder() -> Path:
    """The user's data folder for cleaner (``~/.local/share/cleaner``): LanguageTool builds."""
    return Path(platformdirs.user_data_dir("cleaner", appauthor=False))
