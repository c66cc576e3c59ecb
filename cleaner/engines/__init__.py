"""Grammar engines behind one interface.

An engine turns text into :class:`EngineMatch` records with code-point offsets; the
grammar stage decides what to apply. Adding an engine means one new adapter module
and one entry in :func:`start_engine`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Protocol


@dataclass(frozen=True, slots=True)
class EngineMatch:
    """One engine finding, in Python string offsets."""

    engine_rule: str
    category: str
    message: str
    start: int
    end: int
    suggestions: tuple[str, ...]


class GrammarEngine(Protocol):
    """What the grammar stage needs from an engine."""

    name: str
    version: str

    def check(self, text: str) -> list[EngineMatch]:
        """Return the engine's matches for ``text``."""
        ...


def kebab(name: str) -> str:
    """Turn an engine rule name into a rule-id slug.

    >>> kebab("AnA"), kebab("EN_A_VS_AN"), kebab("SentenceCapitalization")
    ('an-a', 'en-a-vs-an', 'sentence-capitalization')
    """
    spaced = re.sub(r"(?<=[a-z0-9])(?=[A-Z])", "-", name)
    return re.sub(r"[^a-z0-9]+", "-", spaced.lower()).strip("-")
