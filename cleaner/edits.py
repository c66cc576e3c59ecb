"""Apply, replay and derive edits: the one mechanism that changes text.

The rules follow ruff's ``apply_fixes``: fixes are sorted by position, a fix that
overlaps one already taken is skipped, and an edit whose ``before`` no longer matches
the text is skipped as stale, never guessed. Skips are returned, not dropped.
"""

from __future__ import annotations

import difflib
import hashlib
import re
from collections.abc import Iterable, Sequence

from cleaner.errors import ReplayError
from cleaner.model import Applicability, Edit, EditLog, Fix, SkipReason, SkippedFix


def sha256_text(text: str) -> str:
    """Return the hex SHA-256 of ``text`` encoded as UTF-8.

    A lone surrogate (possible in a ``str`` from the library API, never in a decoded
    file) is hashed as its own three bytes instead of raising: the text must be
    logged before normalisation can repair it.
    """
    return hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()


def apply_fixes(
    text: str,
    fixes: Iterable[Fix],
    *,
    required: Applicability = Applicability.SAFE,
    protected: Sequence[tuple[int, int]] = (),
) -> tuple[str, tuple[Fix, ...], tuple[SkippedFix, ...]]:
    """Apply every fix at or above ``required`` that is fresh and does not overlap.

    ``protected`` spans (code, URLs, front matter) may not be touched by any edit.

    >>> fix = Fix("demo.x", (Edit(0, 1, "a", "b"),), Applicability.SAFE, "demo")
    >>> apply_fixes("abc", [fix])[0]
    'bbc'
    """
    applied: list[Fix] = []
    skipped: list[SkippedFix] = []
    ordered = sorted(fixes, key=lambda f: (f.start, f.end, f.rule_id))
    taken_until = -1
    for fix in ordered:
        if fix.applicability < required:
            skipped.append(SkippedFix(fix, SkipReason.BELOW_APPLICABILITY))
        elif any(text[e.start : e.end] != e.before for e in fix.edits):
            skipped.append(SkippedFix(fix, SkipReason.STALE))
        elif _touches(fix, protected):
            skipped.append(SkippedFix(fix, SkipReason.PROTECTED))
        elif fix.start < taken_until or (fix.start == taken_until and fix.start == fix.end):
            skipped.append(SkippedFix(fix, SkipReason.OVERLAP))
        else:
            applied.append(fix)
            taken_until = max(taken_until, fix.end)
    return splice(text, [e for f in applied for e in f.edits]), tuple(applied), tuple(skipped)


def _touches(fix: Fix, protected: Sequence[tuple[int, int]]) -> bool:
    """Tell whether any edit of ``fix`` changes text inside a protected span."""
    for edit in fix.edits:
        for start, end in protected:
            if edit.start < end and start < edit.end:
                return True
            if edit.start == edit.end and start < edit.start < end:
                return True
    return False


def splice(text: str, edits: Iterable[Edit]) -> str:
    """Return ``text`` with non-overlapping ``edits`` (in any order) applied.

    >>> splice("hello world", [Edit(6, 11, "world", "there"), Edit(0, 0, "", ">")])
    '>hello there'
    """
    parts: list[str] = []
    cursor = 0
    for edit in sorted(edits, key=lambda e: (e.start, e.end)):
        parts.append(text[cursor : edit.start])
        parts.append(edit.after)
        cursor = edit.end
    parts.append(text[cursor:])
    return "".join(parts)


def replay(text: str, log: EditLog) -> str:
    """Re-apply every pass of ``log`` to ``text`` and return the result.

    Each pass's input and output hashes are checked, so a log that does not belong to
    the text raises :class:`ReplayError` instead of producing something plausible.
    """
    for stage_pass in log.passes:
        if sha256_text(text) != stage_pass.input_sha256:
            raise ReplayError(f"{log.source}: stage {stage_pass.stage!r} input does not match the log")
        text = splice(text, [e for f in stage_pass.applied for e in f.edits])
        if sha256_text(text) != stage_pass.output_sha256:
            raise ReplayError(f"{log.source}: stage {stage_pass.stage!r} output does not match the log")
    return text


#: Above this many character pairs (length before x length after) a diff is bounded:
#: ``SequenceMatcher`` takes quadratic time, 72 s for one 50 KB line with a mojibake.
DIFF_PAIRS_LIMIT = 4_000_000


def edits_from_diff(before: str, after: str, *, offset: int = 0) -> tuple[Edit, ...]:
    """Express the change from ``before`` to ``after`` as small character edits.

    Whole-text transforms (ftfy, NFC) give a new string; this turns it back into edits
    so the log stays minimal and reviewable. ``offset`` shifts the spans, for segments.
    Short texts get ``SequenceMatcher``'s edits; long ones are bounded (see
    :func:`_bounded_edits`), so the time grows linearly with the text.

    >>> edits_from_diff("on  the", "on the")
    (Edit(start=2, end=3, before=' ', after=''),)
    """
    if len(before) * len(after) <= DIFF_PAIRS_LIMIT:
        return _matcher_edits(before, after, offset)
    return _bounded_edits(before, after, offset)


def _matcher_edits(before: str, after: str, offset: int) -> tuple[Edit, ...]:
    """Return ``SequenceMatcher``'s character edits (quadratic: short texts only)."""
    matcher = difflib.SequenceMatcher(None, before, after, autojunk=False)
    return tuple(
        Edit(offset + i1, offset + i2, before[i1:i2], after[j1:j2])
        for tag, i1, i2, j1, j2 in matcher.get_opcodes()
        if tag != "equal"
    )


_GAPS = re.compile(r"(\s+)")


def _bounded_edits(before: str, after: str, offset: int) -> tuple[Edit, ...]:
    """Diff a long text in time linear in its length.

    The common prefix and suffix are dropped first (one mojibake in a long line leaves a
    short middle). A middle that keeps its whitespace (ftfy and NFC repair inside
    words) is diffed word by word; any other long middle becomes one replacement.

    >>> _bounded_edits("ab cd ef", "ab cX ef", 0)
    (Edit(start=4, end=5, before='d', after='X'),)
    """
    head = _common_prefix_length(before, after)
    tail = _common_prefix_length(before[head:][::-1], after[head:][::-1])
    old, new = before[head : len(before) - tail], after[head : len(after) - tail]
    start = offset + head
    if len(old) * len(new) <= DIFF_PAIRS_LIMIT:
        return _matcher_edits(old, new, start)
    old_words, new_words = _GAPS.split(old), _GAPS.split(new)
    if len(old_words) == 1 or len(old_words) != len(new_words) or old_words[1::2] != new_words[1::2]:
        return (Edit(start, start + len(old), old, new),)
    edits: list[Edit] = []
    for old_word, new_word in zip(old_words, new_words):
        if old_word != new_word:
            edits.extend(edits_from_diff(old_word, new_word, offset=start))
        start += len(old_word)
    return tuple(edits)


def _common_prefix_length(a: str, b: str) -> int:
    """Return the length of the longest common prefix of ``a`` and ``b`` (by halving, in C).

    >>> _common_prefix_length("abcdef", "abcxef")
    3
    """
    low, high = 0, min(len(a), len(b))
    while low < high:  # invariant: a[:low] == b[:low]; the prefix is shorter than high + 1
        middle = (low + high + 1) // 2
        if a[low:middle] == b[low:middle]:
            low = middle
        else:
            high = middle - 1
    return low


def map_back(edits: Iterable[Edit], offset: int) -> int:
    """Map an offset in the text after ``edits`` to the text before them.

    An offset inside a replacement maps to the start of what it replaced.

    >>> map_back([Edit(0, 3, "abc", "x")], 2), map_back([Edit(0, 3, "abc", "x")], 0)
    (4, 0)
    """
    delta = 0
    for edit in sorted(edits, key=lambda e: (e.start, e.end)):
        new_start = edit.start + delta
        if offset < new_start:
            break
        if offset < new_start + len(edit.after):
            return edit.start
        delta += len(edit.after) - (edit.end - edit.start)
    return offset - delta


def map_forward(edits: Iterable[Edit], offset: int) -> int:
    """Map an offset in the text before ``edits`` to the text after them.

    An offset inside replaced text maps to the start of its replacement.

    >>> map_forward([Edit(0, 3, "abc", "x")], 4), map_forward([Edit(0, 3, "abc", "x")], 1)
    (2, 0)
    """
    delta = 0
    for edit in sorted(edits, key=lambda e: (e.start, e.end)):
        if offset < edit.start:
            break
        if offset < edit.end:
            return edit.start + delta
        delta += len(edit.after) - (edit.end - edit.start)
    return offset + delta


def to_input_offset(log: EditLog, pass_index: int, offset: int) -> int:
    """Map an offset in the input of pass ``pass_index`` back to the document's input."""
    for earlier in reversed(log.passes[:pass_index]):
        offset = map_back([e for f in earlier.applied for e in f.edits], offset)
    return offset


def to_output_offset(log: EditLog, pass_index: int, offset: int) -> int:
    """Map an offset in the output of pass ``pass_index`` forward to the document's output."""
    for later in log.passes[pass_index + 1 :]:
        offset = map_forward([e for f in later.applied for e in f.edits], offset)
    return offset
