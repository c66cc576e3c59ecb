"""Before/after views: unified diff, word diff and a one-line-per-file summary."""

from __future__ import annotations

import difflib
import re

import click

_WORDS = re.compile(r"\s+|[^\s]+")


def unified(before: str, after: str, path: str) -> str:
    """Return a unified diff of two texts, labelled ``a/PATH`` and ``b/PATH``.

    ``path`` is the file as it was named (``seeds/x.txt``), so ``git apply`` and
    ``patch -p1`` run from the same folder apply the diff, and files of one name in
    two folders stay apart.
    """
    lines = difflib.unified_diff(before.splitlines(keepends=True), after.splitlines(keepends=True), f"a/{path}", f"b/{path}")
    return "".join(line if line.endswith("\n") else line + "\n\\ No newline at end of file\n" for line in lines)


def word_diff(before: str, after: str) -> str:
    """Return the text with deletions as ``[-old-]`` and insertions as ``{+new+}``, coloured.

    Colours are ANSI styles; ``click.echo`` strips them when the output is not a terminal.
    """
    old, new = _WORDS.findall(before), _WORDS.findall(after)
    parts = []
    for tag, i1, i2, j1, j2 in difflib.SequenceMatcher(None, old, new, autojunk=False).get_opcodes():
        if tag == "equal":
            parts.append("".join(old[i1:i2]))
            continue
        if i2 > i1:
            parts.append(click.style("[-" + "".join(old[i1:i2]) + "-]", fg="red"))
        if j2 > j1:
            parts.append(click.style("{+" + "".join(new[j1:j2]) + "+}", fg="green"))
    return "".join(parts)


def stat(documents: list[tuple[str, str, str]]) -> str:
    """Summarise changes one line per file, like ``git diff --stat``.

    >>> print(stat([("a.txt", "x\\ny\\n", "x\\nz\\n"), ("b.txt", "same\\n", "same\\n")]), end="")
     a.txt | 2 +-
     1 file changed, 1 insertion(+), 1 deletion(-)
    """
    rows = []
    insertions = deletions = 0
    for name, before, after in documents:
        added = removed = 0
        for line in difflib.unified_diff(before.splitlines(), after.splitlines(), lineterm="", n=0):
            if line.startswith("+") and not line.startswith("+++"):
                added += 1
            elif line.startswith("-") and not line.startswith("---"):
                removed += 1
        if added or removed:
            rows.append((name, added, removed))
            insertions += added
            deletions += removed
    width = max((len(name) for name, _, _ in rows), default=0)
    most = max((a + r for _, a, r in rows), default=0)
    scale = min(1.0, 50 / most) if most else 1.0  # bars at most 50 columns, as git draws them
    lines = [f" {name.ljust(width)} | {added + removed} {'+' * round(added * scale)}{'-' * round(removed * scale)}" for name, added, removed in rows]
    lines.append(f" {len(rows)} file{'s' if len(rows) != 1 else ''} changed, {insertions} insertion{'s' if insertions != 1 else ''}(+), {deletions} deletion{'s' if deletions != 1 else ''}(-)")
    return "\n".join(lines) + "\n"
