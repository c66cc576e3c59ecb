"""LanguageTool through language-tool-python: a server you name, or a local installation.

language-tool-python downloads LanguageTool (about 250 MB, Java 17+) the first time it
starts a local server. That must never happen implicitly, so this adapter decides
first whether LanguageTool is reachable *without* a download:

* a server URL (``--languagetool-url`` or ``CLEANER_LANGUAGETOOL_URL``): the one
  ``cleaner languagetool serve`` runs on loopback (assembled from Maven Central by
  ``cleaner languagetool build``, see :mod:`cleaner.engines.languagetool_server`), a
  team's container or jar; a public API is used only when the user names it;
* a local installation that language-tool-python would use as it is: the folder in
  ``LTP_JAR_DIR_PATH``, or a ``LanguageTool-<version>`` folder in its cache
  (``LTP_PATH``, default ``~/.cache/language_tool_python``), and a ``java`` on PATH.

Otherwise :class:`EngineUnavailable` says, in one line, how to provide one.
language-tool-python converts LanguageTool's UTF-16 offsets to Python string offsets
in its ``Match``; this adapter turns those into :class:`EngineMatch` records. Long
texts go to the server as batches of whole paragraphs, several at a time: one request
per paragraph would spend the time on round trips, one request for a whole corpus
file would leave the server's other threads idle.
"""

from __future__ import annotations

import os
import re
import shutil
from collections.abc import Iterable, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from cleaner.engines import EngineMatch
from cleaner.engines.languagetool_server import server_version
from cleaner.errors import EngineUnavailable

LANGUAGE = "en-GB"
HINT = (
    "with Maven and Java 17+ run 'cleaner languagetool build' then 'cleaner languagetool serve' and pass "
    "--languagetool-url http://127.0.0.1:8081 (or CLEANER_LANGUAGETOOL_URL; a LanguageTool container or jar works too), "
    "or use --grammar harper; cleaner never downloads LanguageTool"
)
#: Categories switched off per variant. British text here spells -ise (centred,
#: finalised), which LanguageTool's en-GB accepts but flags with an Oxford -ize hint.
QUIET_CATEGORIES: dict[str, frozenset[str]] = {"en-GB": frozenset({"BRE_STYLE_OXFORD_SPELLING"})}
#: LanguageTool's spell-checking rules are named MORFOLOGIK_RULE_<variant>.
SPELL_CHECKER = "MORFOLOGIK_RULE_"
#: A request carries whole paragraphs up to about this many characters...
BATCH_CHARS = 4000
#: ...and this many requests are in flight at once (LanguageTool's server runs 10 threads).
PARALLEL_REQUESTS = 4
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


def to_engine_matches(matches: Iterable[Any], shift: int = 0) -> list[EngineMatch]:
    """Convert language-tool-python ``Match`` objects (Python string offsets, plus ``shift``).

    The spell checker's findings (``MORFOLOGIK_RULE_*``, category ``TYPOS`` like
    ``WITH_OUT``) get the category ``SPELLING``, as Harper's do: the grammar stage never
    applies spelling and reports it as information.
    """
    return [
        EngineMatch(
            engine_rule=str(m.rule_id),
            category="SPELLING" if str(m.rule_id).startswith(SPELL_CHECKER) else str(m.category or "MISC"),
            message=str(m.message),
            start=shift + int(m.offset),
            end=shift + int(m.offset) + int(m.error_length),
            suggestions=tuple(str(r) for r in m.replacements),
        )
        for m in matches
    ]


PARAGRAPH_BREAK = re.compile(r"\n[ \t]*\n")


def paragraph_batches(text: str, limit: int = BATCH_CHARS) -> list[tuple[int, str]]:
    r"""Cut ``text`` after blank lines into ``(offset, piece)`` batches of about ``limit`` chars.

    A paragraph longer than ``limit`` is one batch of its own (LanguageTool checks
    sentences, so a cut inside one would change its findings).

    >>> paragraph_batches("a b.\n\nc d.\n\ne f.\n", limit=8)
    [(0, 'a b.\n\n'), (6, 'c d.\n\n'), (12, 'e f.\n')]
    >>> paragraph_batches("a b.\n\nc d.\n\ne f.\n", limit=12)
    [(0, 'a b.\n\nc d.\n\n'), (12, 'e f.\n')]
    """
    batches, start, last_cut = [], 0, 0
    for brk in PARAGRAPH_BREAK.finditer(text):
        if brk.end() - start > limit and last_cut > start:
            batches.append((start, text[start:last_cut]))
            start = last_cut
        last_cut = brk.end()
    if len(text) - start > limit and start < last_cut < len(text):
        batches.append((start, text[start:last_cut]))
        start = last_cut
    if start < len(text):
        batches.append((start, text[start:]))
    return batches


class LanguageToolEngine:
    """One language-tool-python ``LanguageTool`` object, started once per run."""

    name = "languagetool"

    def __init__(self, tool: Any, version: str, words: Sequence[str]) -> None:
        self._tool = tool
        self.version = version
        self._words = frozenset(words)

    @classmethod
    def connect(cls, url: str, words: Iterable[str] = (), language: str = LANGUAGE) -> LanguageToolEngine:
        """Reach LanguageTool without downloading it, or raise :class:`EngineUnavailable`."""
        try:
            import language_tool_python
        except ImportError:
            raise EngineUnavailable("language-tool-python is not installed", hint="pip install language-tool-python") from None
        options: dict[str, Any]
        if url:
            try:
                version = server_version(url)
            except (OSError, ValueError) as exc:
                raise EngineUnavailable(f"LanguageTool server {url} did not answer: {exc}", hint=HINT) from None
            where, options = f"server {url}", {"remote_server": url}
        else:
            installed = local_installation()
            if installed is None:
                raise EngineUnavailable("LanguageTool is neither configured as a server nor installed locally", hint=HINT)
            where, version, options = f"local installation {installed.folder}", installed.version, {"language_tool_download_version": installed.version}
        try:
            tool = language_tool_python.LanguageTool(language, **options)
        except Exception as exc:  # language-tool-python raises requests, Java and path errors alike
            raise EngineUnavailable(f"LanguageTool ({where}) did not start: {exc}", hint=HINT) from None
        tool.disabled_categories = set(QUIET_CATEGORIES.get(language, ()))
        return cls(tool, version, tuple(words))

    def check(self, text: str) -> list[EngineMatch]:
        """Check ``text`` paragraph batch by batch; matches on listed words are dropped."""
        batches = paragraph_batches(text)
        try:
            if len(batches) == 1:
                found = to_engine_matches(self._tool.check(text))
            else:
                # A pool per call: an engine may be inherited by forked worker processes,
                # which a pool's threads would not survive.
                with ThreadPoolExecutor(max_workers=min(PARALLEL_REQUESTS, len(batches))) as pool:
                    found = [m for part in pool.map(self._check_batch, batches) for m in part]
        except Exception as exc:  # a server that went away mid-run
            raise EngineUnavailable(f"LanguageTool failed: {exc}", hint=HINT) from None
        return [m for m in found if not self._listed(text[m.start : m.end])]

    def _check_batch(self, batch: tuple[int, str]) -> list[EngineMatch]:
        """Check one batch; offsets are moved to the whole text's."""
        offset, piece = batch
        return to_engine_matches(self._tool.check(piece), offset)

    def _listed(self, covered: str) -> bool:
        """Tell whether a match covers exactly a listed word (or its possessive)."""
        return covered in self._words or re.sub(r"[’']s$", "", covered) in self._words
