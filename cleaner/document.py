"""Views of a text that several stages need: line positions, protected spans, paragraphs, lower-cased words.

Protected spans are the parts no stage may edit: URLs everywhere, and in Markdown the
front matter, fenced and inline code, link targets and HTML comments. A fix touching
one is skipped with the reason ``protected`` (see :func:`cleaner.edits.apply_fixes`).
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Iterator
from dataclasses import dataclass
from functools import lru_cache

from cleaner.model import Edit

_URL = re.compile(r"(?:https?://|www\.)[^\s<>()\"']+[^\s<>()\"'.,;:!?]")
#: An e-mail address is ``\b[\w.+-]+@`` then this; :func:`_emails` finds them linearly.
_EMAIL_DOMAIN = re.compile(r"[\w-]+(?:\.[\w-]+)+\b")
_EMAIL_LOCAL_CHAR = re.compile(r"[\w.+-]")
_WORD_BOUNDARY = re.compile(r"\b")
_FRONT_MATTER = re.compile(r"\A(?:\ufeff)?---\r?\n.*?\r?\n(?:---|\.\.\.)[ \t]*(?:\r?\n|\Z)", re.S)
_FENCE = re.compile(r"^[ \t]{0,3}(`{3,}|~{3,})[^\n]*\n.*?(?:^[ \t]{0,3}\1[ \t]*$|\Z)", re.S | re.M)
_INLINE_CODE = re.compile(r"(`+)(?!`).+?(?<!`)\1(?!`)", re.S)
_LINK_TARGET = re.compile(r"\]\([^)\n]*\)|^\s{0,3}\[[^\]\n]+\]:[^\n]*$", re.M)
_HTML_COMMENT = re.compile(r"<!--.*?-->", re.S)
_AUTOLINK = re.compile(r"<(?:https?|mailto):[^>\s]+>")
_MARKDOWN_PATTERNS = (_FRONT_MATTER, _FENCE, _INLINE_CODE, _LINK_TARGET, _HTML_COMMENT, _AUTOLINK)
#: A word: a run of word characters (what the repeat rules and the corpus-block count compare).
WORD = re.compile(r"\w+")


def lower_words(text: str) -> list[str]:
    """Return the words of ``text`` (runs of word characters), each lower-cased: what the repeat rules compare.

    Lower-casing the whole text first gives the same words, faster, unless it holds 'İ'
    (the only character whose lower case is two, the second not a word character) or 'Σ'
    (lower-cased as final 'ς' or 'σ' by what surrounds it, which differs in a lone word).

    >>> lower_words("All rights  RESERVED."), lower_words("İstanbul ΟΔΟΣ") == ["i\u0307stanbul", "οδος"]
    (['all', 'rights', 'reserved'], True)
    """
    if "\u0130" not in text and "\u03a3" not in text:
        return WORD.findall(text.lower())
    return [word.lower() for word in WORD.findall(text)]


@dataclass(frozen=True, slots=True)
class Paragraph:
    """A paragraph's span in the text and its span including one adjacent separator."""

    start: int
    end: int
    text: str

    def removal(self, full_text: str) -> Edit:
        """Return the edit that deletes this paragraph and the blank line after it.

        The last paragraph takes the separator before it instead, so the text keeps its
        final line break; the only paragraph takes the whole text, so what is left is
        the empty text cleaning leaves as it is (a lone line break would be removed by
        the next run, which must change nothing).

        >>> [Paragraph(0, 2, "©0").removal(t).end for t in ("©0\\n", "©0")]
        [3, 2]
        """
        end = self.end
        while end < len(full_text) and full_text[end] == "\n":
            end += 1
        start = self.start
        if end == len(full_text) and start > 0:  # last paragraph: take the separator before it instead
            while start > 0 and full_text[start - 1] == "\n":
                start -= 1
            if start > 0:
                end = self.end
        return Edit(start, end, full_text[start:end], "")


def paragraphs(text: str) -> Iterator[Paragraph]:
    """Yield the blank-line-separated paragraphs of ``text``.

    >>> [p.text for p in paragraphs("A\\n\\nB b\\n")]
    ['A', 'B b']
    """
    for match in re.finditer(r"[^\n]+(?:\n[^\n]+)*", text):
        yield Paragraph(match.start(), match.end(), match.group())


@lru_cache(maxsize=8)
def protected_spans(text: str, *, markdown: bool) -> tuple[tuple[int, int], ...]:
    """Return sorted, merged spans of ``text`` that no stage may change.

    Cached: every round of every stage asks, and most rounds see a text already asked
    about (the last round changes nothing, the next stage starts from it).

    >>> protected_spans("see https://example.com/a_b now", markdown=False)
    ((4, 27),)
    >>> protected_spans("run `x  y` here", markdown=True)
    ((4, 10),)
    """
    found = [(m.start(), m.end()) for m in _URL.finditer(text)] if "://" in text or "www." in text else []
    found += _emails(text)
    if markdown:
        found += [(m.start(), m.end()) for p in _MARKDOWN_PATTERNS for m in p.finditer(text)]
    spans = sorted(span for span in found if span[1] > span[0])
    merged: list[tuple[int, int]] = []
    for start, end in spans:
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(end, merged[-1][1]))
        else:
            merged.append((start, end))
    return tuple(merged)


def _emails(text: str) -> list[tuple[int, int]]:
    """Return the spans ``_EMAIL.finditer`` would, looking only around each ``@``.

    Searching the whole text tries every position of every run of word characters and
    dots (``'a.' * 8000``: 17 s). An address holds an ``@``: its local part is the run
    of ``[\\w.+-]`` just before it, starting at the run's first word boundary, and the
    domain is matched once, from the ``@``. Linear in the text.

    >>> _emails("mail .x.y@a.b, or @c.d and e@f")
    [(6, 13)]
    """
    spans: list[tuple[int, int]] = []
    taken = 0  # matches do not overlap: the next one starts after the last
    at = text.find("@")
    while at != -1:
        domain = _EMAIL_DOMAIN.match(text, at + 1)
        if domain:
            start = at
            while start > taken and _EMAIL_LOCAL_CHAR.match(text, start - 1):
                start -= 1
            boundary = _WORD_BOUNDARY.search(text, start, at)
            if boundary and boundary.start() < at:
                spans.append((boundary.start(), domain.end()))
                taken = domain.end()
        at = text.find("@", max(at + 1, taken))
    return spans


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
