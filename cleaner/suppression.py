"""Inline suppression markers a writer puts in the text.

``<!-- cleaner: disable RULE[, RULE...] -->`` turns rules off (by id prefix, as in
``--ignore``; no rule means all of them) until ``<!-- cleaner: enable RULE... -->``
or the end of the document. An HTML comment is invisible in rendered Markdown and is
kept verbatim by every stage. Suppressed fixes are not applied and suppressed findings
do not fail a run, but both stay in the log and are counted in the reports.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from cleaner.rulepacks import matches_prefix

_MARKER = re.compile(r"<!--\s*cleaner:\s*(disable|enable)\b([^>]*?)-->")


@dataclass(frozen=True, slots=True)
class Region:
    """Where rules with one of ``prefixes`` (all rules if empty) are off."""

    start: int
    end: int
    prefixes: tuple[str, ...]

    def covers(self, rule_id: str, offset: int) -> bool:
        """Tell whether ``rule_id`` is off at ``offset``."""
        return self.start <= offset < self.end and (not self.prefixes or any(matches_prefix(rule_id, p) for p in self.prefixes))


def regions(text: str) -> tuple[Region, ...]:
    """Find the disabled regions of ``text``.

    >>> [(r.start, r.end, r.prefixes) for r in regions("a <!-- cleaner: disable spin --> b <!-- cleaner: enable spin --> c")]
    [(2, 64, ('spin',))]
    """
    if "cleaner:" not in text:
        return ()
    found: list[Region] = []
    open_at: dict[tuple[str, ...], int] = {}
    for marker in _MARKER.finditer(text):
        prefixes = tuple(p for p in re.split(r"[\s,]+", marker.group(2).strip()) if p)
        if marker.group(1) == "disable":
            open_at.setdefault(prefixes, marker.start())
        elif prefixes in open_at:
            found.append(Region(open_at.pop(prefixes), marker.end(), prefixes))
    found.extend(Region(start, len(text), prefixes) for prefixes, start in open_at.items())
    return tuple(sorted(found, key=lambda r: r.start))


def is_suppressed(rule_id: str, offset: int, disabled: tuple[Region, ...]) -> bool:
    """Tell whether ``rule_id`` is switched off at ``offset``."""
    return any(region.covers(rule_id, offset) for region in disabled)
