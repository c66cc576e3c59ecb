"""LanguageTool through language-tool-python: a server you name, or a local installation.

language-tool-python downloads LanguageTool (about 250 MB, Java 17+) the first time it
starts a local server. That must never happen implicitly, so this adapter decides
first whether LanguageTool is reachable *without* a download:

* a server URL (``--languagetool-url`` or ``CLEANER_LANGUAGETOOL_URL``), usually a
  self-hosted one; a public API is used only when the user names it;
* a local installation that language-tool-python would use as it is: the folder in
  ``LTP_JAR_DIR_PATH``, or a ``LanguageTool-<version>`` folder in its cache
  (``LTP_PATH``, default ``~/.cache/language_tool_python``), and a ``java`` on PATH.

Otherwise :class:`EngineUnavailable` says, in one line, how to provide one.
language-tool-python converts LanguageTool's UTF-16 offsets to Python string offsets
in its ``Match``; this adapter turns those into :class:`EngineMatch` records.
"""

from __future__ import annotations

import os
import re
import shutil
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from cleaner.engines import EngineMatch
from cleaner.errors import EngineUnavailable

LANGUAGE = "en-GB"
_HINT = (
    "point --languagetool-url (or CLEANER_LANGUAGETOOL_URL) at a LanguageTool server, "
    "or unpack LanguageTool into ~/.cache/language_tool_python (or LTP_PATH) with Java 17+, "
    "or use --grammar harper; cleaner never downloads LanguageTool"
)
_JARS = ("languagetool-server.jar", "languagetool.jar")


@dataclass(frozen=True, slots=True)
class LocalInstallation:
    """A LanguageTool folder language-tool-python can start without downloading."""

    folder: Path
    version: str


def local_installation() -> LocalInstallation | None:
    """Find a usable local LanguageTool, without creating or fetching anything."""
    if shutil.which("java") is None:
        return None
    jar_dir = os.environ.get("LTP_JAR_DIR_PATH")
    if jar_dir:
        folder = Path(jar_dir)
        return LocalInstallation(folder, "jar-dir") if any((folder / j).is_file() for j in _JARS) else None
    cache = Path(os.environ.get("LTP_PATH") or Path.home() / ".cache" / "language_tool_python")
    found = []
    for folder in cache.glob("LanguageTool-*") if cache.is_dir() else ():
        version = re.fullmatch(r"LanguageTool-(.+)", folder.name)
        if version and any((folder / j).is_file() for j in _JARS):
            found.append(LocalInstallation(folder, version.group(1)))
    return max(found, key=lambda i: [int(p) for p in re.findall(r"\d+", i.version)], default=None)


def to_engine_matches(matches: Iterable[Any]) -> list[EngineMatch]:
    """Convert language-tool-python ``Match`` objects (Python string offsets)."""
    return [
        EngineMatch(
            engine_rule=str(m.rule_id),
            category=str(m.category or "MISC"),
            message=str(m.message),
            start=int(m.offset),
            end=int(m.offset) + int(m.error_length),
            suggestions=tuple(str(r) for r in m.replacements),
        )
        for m in matches
    ]


class LanguageToolEngine:
    """One language-tool-python ``LanguageTool`` object, started once per run."""

    name = "languagetool"

    def __init__(self, tool: Any, version: str, words: Sequence[str]) -> None:
        self._tool = tool
        self.version = version
        self._words = frozenset(words)

    @classmethod
    def connect(cls, url: str, words: Iterable[str] = ()) -> LanguageToolEngine:
        """Reach LanguageTool without downloading it, or raise :class:`EngineUnavailable`."""
        try:
            import language_tool_python
        except ImportError:
            raise EngineUnavailable("language-tool-python is not installed", hint="pip install language-tool-python") from None
        options: dict[str, Any]
        if url:
            where, version, options = f"server {url}", f"server {url}", {"remote_server": url}
        else:
            installed = local_installation()
            if installed is None:
                raise EngineUnavailable("LanguageTool is neither configured as a server nor installed locally", hint=_HINT)
            where, version, options = f"local installation {installed.folder}", installed.version, {"language_tool_download_version": installed.version}
        try:
            tool = language_tool_python.LanguageTool(LANGUAGE, **options)
        except Exception as exc:  # language-tool-python raises requests, Java and path errors alike
            raise EngineUnavailable(f"LanguageTool ({where}) did not start: {exc}", hint=_HINT) from None
        return cls(tool, version, tuple(words))

    def check(self, text: str) -> list[EngineMatch]:
        """Check ``text``; matches on words of the project word list are dropped."""
        try:
            matches = self._tool.check(text)
        except Exception as exc:  # a server that went away mid-run
            raise EngineUnavailable(f"LanguageTool failed: {exc}", hint=_HINT) from None
        return [m for m in to_engine_matches(matches) if text[m.start : m.end] not in self._words]
