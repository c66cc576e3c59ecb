"""LanguageTool through a LanguageTool HTTP server (self-hosted) or a local installation.

language-tool-python downloads LanguageTool (about 250 MB, Java 17+) on first use; that
must never happen implicitly, so this adapter only *connects*: to the server named by
``--languagetool-url`` / ``CLEANER_LANGUAGETOOL_URL``, and otherwise reports clearly
how to provide one. Offsets in LanguageTool's JSON are UTF-16 code units; they are
converted to Python string offsets here, at the boundary.
"""

from __future__ import annotations

import json
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterable, Mapping, Sequence

from cleaner.engines import EngineMatch
from cleaner.errors import EngineUnavailable

_HINT = "start a LanguageTool server and pass --languagetool-url http://localhost:8081 (or set CLEANER_LANGUAGETOOL_URL), or use --grammar harper"


def utf16_to_str_offsets(text: str) -> list[int]:
    """Map every UTF-16 code-unit offset of ``text`` to a Python string offset.

    >>> utf16_to_str_offsets("a😀b")
    [0, 1, 1, 2, 3]
    """
    table = []
    for index, char in enumerate(text):
        table.append(index)
        if ord(char) > 0xFFFF:
            table.append(index)
    table.append(len(text))
    return table


def matches_from_json(text: str, payload: Mapping[str, object]) -> list[EngineMatch]:
    """Convert LanguageTool's ``/v2/check`` JSON into engine matches."""
    table = utf16_to_str_offsets(text)
    found = []
    raw_matches = payload.get("matches", [])
    assert isinstance(raw_matches, list)
    for match in raw_matches:
        offset, length = int(match["offset"]), int(match["length"])
        rule = match.get("rule", {})
        found.append(
            EngineMatch(
                engine_rule=str(rule.get("id", "UNKNOWN")),
                category=str(rule.get("category", {}).get("id", "MISC")),
                message=str(match.get("message", "")),
                start=table[min(offset, len(table) - 1)],
                end=table[min(offset + length, len(table) - 1)],
                suggestions=tuple(str(r.get("value", "")) for r in match.get("replacements", [])),
            )
        )
    return found


class LanguageToolEngine:
    """A client of one LanguageTool server."""

    name = "languagetool"

    def __init__(self, url: str, version: str, words: Sequence[str], language: str = "en-GB") -> None:
        self.url = url.rstrip("/")
        self.version = version
        self.language = language
        self._words = frozenset(words)

    @classmethod
    def connect(cls, url: str, words: Iterable[str] = ()) -> LanguageToolEngine:
        """Reach the server at ``url`` or raise :class:`EngineUnavailable` with the fix."""
        if not url:
            raise EngineUnavailable("LanguageTool is not configured (no server URL)", hint=_HINT)
        try:
            with urllib.request.urlopen(url.rstrip("/") + "/v2/languages", timeout=5) as response:
                json.load(response)
        except (OSError, ValueError, urllib.error.URLError) as exc:
            raise EngineUnavailable(f"LanguageTool server {url} is not reachable: {exc}", hint=_HINT) from None
        return cls(url, "server", tuple(words))

    def check(self, text: str) -> list[EngineMatch]:
        """Check ``text`` on the server; names from the project word list are dropped."""
        data = urllib.parse.urlencode({"text": text, "language": self.language}).encode()
        try:
            with urllib.request.urlopen(self.url + "/v2/check", data=data, timeout=60) as response:
                payload = json.load(response)
        except (OSError, ValueError) as exc:
            raise EngineUnavailable(f"LanguageTool server {self.url} failed: {exc}", hint=_HINT) from None
        return [m for m in matches_from_json(text, payload) if text[m.start : m.end] not in self._words]
