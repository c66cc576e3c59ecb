"""Before/after views: unified diff, word diff and a one-line-per-file summary."""

from __future__ import annotations

import difflib
import re

import click

_WORDS = re.compile(r"\s+|[^\s]+")


def unified(before: str, after: str, name: str) -> str:
    """Return a unified diff of two texts, labelled ``a/name`` and ``b/name``."""
    lines = difflib.unified_diff(before.splitlines(keepends=True), after.splitlines(keepends=True), f"a/{name}", f"b/{name}")
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
