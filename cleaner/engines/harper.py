"""Harper through harper-py: in process, offline, no Java. The default engine."""

from __future__ import annotations

from collections.abc import Iterable
from importlib.metadata import version

import harper

from cleaner.engines import EngineMatch


class HarperEngine:
    """Lint with one Harper ``Linter``, built once (construction is the costly step)."""

    name = "harper"

    def __init__(self, words: Iterable[str] = (), dialect: str = "british") -> None:
        self.version = version("harper-py")
        self._linter = harper.Linter(dialect=getattr(harper.Dialect, dialect.upper()))
        known = sorted(set(words))
        if known:
            self._linter.import_words(known)

    def check(self, text: str) -> list[EngineMatch]:
        """Return Harper's lints for ``text``, labelled with Harper's rule names."""
        matches = []
        for rule_name, lints in self._linter.organized_lints(text).items():
            for lint in lints:
                matches.append(
                    EngineMatch(
                        engine_rule=rule_name,
                        category=str(lint.lint_kind),
                        message=lint.message,
                        start=lint.span.start,
                        end=lint.span.end,
                        suggestions=tuple(s.replacement_text for s in lint.suggestions),
                    )
                )
        return sorted(matches, key=lambda m: (m.start, m.end, m.engine_rule))
