"""Harper through harper-py: in process, offline, no Java. The default engine."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
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
        """Return Harper's lints for ``text``, labelled with Harper's rule names.

        A long text is linted in pieces (:func:`chunks`): Harper's rate falls on one
        large document. Pieces end at paragraph breaks, so an article of ordinary
        length is one piece and gets exactly the lints it got whole.
        """
        matches = []
        for offset, piece in chunks(text):
            for rule_name, lints in self._linter.organized_lints(piece).items():
                for lint in lints:
                    matches.append(
                        EngineMatch(
                            engine_rule=rule_name,
                            category=str(lint.lint_kind),
                            message=lint.message,
                            start=offset + lint.span.start,
                            end=offset + lint.span.end,
                            suggestions=tuple(s.replacement_text for s in lint.suggestions),
                        )
                    )
        return sorted(matches, key=lambda m: (m.start, m.end, m.engine_rule))


#: Characters of text linted at once: more than any ordinary article, so those are one piece.
CHUNK_CHARS = 20_000


def chunks(text: str, size: int = CHUNK_CHARS) -> Iterator[tuple[int, str]]:
    """Split ``text`` into pieces of at most about ``size`` characters, with their offsets.

    Each piece ends after the last paragraph break within ``size`` (else a line break,
    else a space, else it is cut at ``size``), so only a paragraph longer than ``size``
    is split.

    >>> list(chunks("one two\\n\\nthree four\\n\\nfive", size=12))
    [(0, 'one two\\n\\n'), (9, 'three four\\n\\n'), (21, 'five')]
    """
    start = 0
    while len(text) - start > size:
        end = start + size
        for separator in ("\n\n", "\n", " "):
            cut = text.rfind(separator, start + 1, end)
            if cut > start:
                end = cut + len(separator)
                break
        yield start, text[start:end]
        start = end
    yield start, text[start:]
