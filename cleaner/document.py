"""Views of a text that several stages need: line positions and protected spans.

Protected spans are the parts no stage may edit: URLs everywhere, and in Markdown the
front matter, fenced and inline code, link targets and HTML comments. A fix touching
one is skipped with the reason ``protected`` (see :func:`cleaner.edits.apply_fixes`).
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass
from functools import lru_cache

_URL = re.compile(r"(?:https?://|www\.)[^\s<>()\"']+[^\s<>()\"'.,;:!?]")
_EMAIL = re.compile(r"\b[\w.+-]+@[\w-]+(?:\.[\w-]+)+\b")
_FRONT_MATTER = re.compile(r"\A(?:\ufeff)?---\r?\n.*?\r?\n(?:---|\.\.\.)[ \t]*(?:\r?\n|\Z)", re.S)
_FENCE = re.compile(r"^[ \t]{0,3}(`{3,}|~{3,})[^\n]*\n.*?(?:^[ \t]{0,3}\1[ \t]*$|\Z)", re.S | re.M)
_INLINE_CODE = re.compile(r"(`+)(?!`).+?(?<!`)\1(?!`)", re.S)
_LINK_TARGET = re.compile(r"\]\([^)\n]*\)|^\s{0,3}\[[^\]\n]+\]:[^\n]*$", re.M)
_HTML_COMMENT = re.compile(r"<!--.*?-->", re.S)
_AUTOLINK = re.compile(r"<(?:https?|mailto):[^>\s]+>")


def protected_spans(text: str, *, markdown: bool) -> tuple[tuple[int, int], ...]:
    """Return sorted, merged spans of ``text`` that no stage may change.

    >>> protected_spans("see https://example.com/a_b now", markdown=False)
    ((4, 27),)
    >>> protected_spans("run `x  y` here", markdown=True)
    ((4, 10),)
    """
    patterns = [_URL, _EMAIL]
    if markdown:
        patterns += [_FRONT_MATTER, _FENCE, _INLINE_CODE, _LINK_TARGET, _HTML_COMMENT, _AUTOLINK]
    spans = sorted((m.start(), m.end()) for p in patterns for m in p.finditer(text) if m.end() > m.start())
    merged: list[tuple[int, int]] = []
    for start, end in spans:
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(end, merged[-1][1]))
        else:
            merged.append((start, end))
    return tuple(merged)


@dataclass(frozen=True, slots=True)
class LineIndex:
    """Map offsets to 1-based line and column in O(log n), for reports on large texts."""

    starts: tuple[int, ...]

    @classmethod
    def of(cls, text: str) -> LineIndex:
        """Index the line starts of ``text``."""
        return cls((0, *(m.end() for m in re.finditer("\n", text))))

    def line_col(self, offset: int) -> tuple[int, int]:
        """Return ``(line, column)``, both counted from 1.

        >>> LineIndex.of("ab\\ncd").line_col(4)
        (2, 2)
        """
        line = bisect.bisect_right(self.starts, offset) - 1
        return line + 1, offset - self.starts[line] + 1


@lru_cache(maxsize=16)
def line_index(text: str) -> LineIndex:
    """Return the (cached) line index of ``text``: reports ask for many positions in few texts."""
    return LineIndex.of(text)
