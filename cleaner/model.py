"""Pure records of the edit log: what changed, why, and how sure we are.

Every stage of the pipeline proposes :class:`Fix` objects; each fix holds one or more
:class:`Edit` objects whose offsets index the exact text that stage received (Python
``str`` indices, i.e. code points). The pipeline applies the fixes it may apply and
records everything, applied or skipped, in a :class:`StagePass`. A document's
:class:`EditLog` is the sequence of passes; outputs, reports, diffs and ``cleaner explain``
are all views of it. Nothing here does I/O.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from enum import IntEnum, StrEnum
from types import MappingProxyType
from typing import NamedTuple


class Applicability(IntEnum):
    """How sure we are that applying a fix keeps the author's meaning (after ruff)."""

    DISPLAY_ONLY = 0
    UNSAFE = 1
    SAFE = 2

    @property
    def label(self) -> str:
        """Return the spelling used in rule files and reports (``display-only``)."""
        return _APPLICABILITY_LABELS[self]

    @classmethod
    def parse(cls, label: str) -> Applicability:
        """Read ``safe``, ``unsafe`` or ``display-only`` (in any case); raise ``ValueError`` otherwise."""
        if isinstance(label, str):
            found = _APPLICABILITY_BY_LABEL.get(label)  # every fix of a report or cache entry: a look-up first
            if found is not None:
                return found
            if (name := label.upper().replace("-", "_")) in cls.__members__:
                return cls[name]
        raise ValueError(f"unknown applicability {label!r}")


#: Each level's label, computed once: reports and cache entries read and write one per fix.
_APPLICABILITY_LABELS = {level: level.name.lower().replace("_", "-") for level in Applicability}
_APPLICABILITY_BY_LABEL = {label: level for level, label in _APPLICABILITY_LABELS.items()}


class Severity(IntEnum):
    """How much a finding matters; ``--fail-on`` compares against this."""

    INFO = 0
    WARNING = 1
    ERROR = 2

    @property
    def label(self) -> str:
        """Return the lower-case name used in reports and on the command line."""
        return self.name.lower()


class SkipReason(StrEnum):
    """Why a proposed fix did not change the text."""

    BELOW_APPLICABILITY = "below-applicability"
    OVERLAP = "overlap"
    STALE = "stale"
    PROTECTED = "protected"
    #: Switched off by an inline ``cleaner: disable`` marker; does not fail a run.
    SUPPRESSED = "suppressed"


class Edit(NamedTuple):
    """Replace ``text[start:end]`` (which must equal ``before``) with ``after``.

    Edits and fixes are named tuples rather than frozen dataclasses: just as
    immutable, but built in half the time (a frozen dataclass sets each field through
    ``object.__setattr__``), and a spun document makes hundreds of each.
    """

    start: int
    end: int
    before: str
    after: str


#: The evidence of a fix that gives none (read-only, so one instance serves all).
NO_EVIDENCE: Mapping[str, object] = MappingProxyType({})


class Fix(NamedTuple):
    """One rule's atomic change: all of its edits apply, or none do."""

    rule_id: str
    edits: tuple[Edit, ...]
    applicability: Applicability
    message: str
    evidence: Mapping[str, object] = NO_EVIDENCE

    @property
    def start(self) -> int:
        """Return the first offset the fix touches."""
        return self.edits[0].start

    @property
    def end(self) -> int:
        """Return the offset just past the last character the fix touches."""
        return self.edits[-1].end


@dataclass(frozen=True, slots=True)
class Finding:
    """Something a person should look at; it does not change the text by itself."""

    rule_id: str
    start: int
    end: int
    message: str
    severity: Severity
    suggestions: tuple[str, ...] = ()
    evidence: Mapping[str, object] = field(default_factory=dict)
    #: Inside an inline ``cleaner: disable`` region: reported and counted, never failing.
    suppressed: bool = False


@dataclass(frozen=True, slots=True)
class SkippedFix:
    """A proposed fix that was not applied, with the reason."""

    fix: Fix
    reason: SkipReason


@dataclass(frozen=True, slots=True)
class StagePass:
    """One application round of one stage: its input hash, what it changed and skipped."""

    stage: str
    input_sha256: str
    output_sha256: str
    applied: tuple[Fix, ...]
    skipped: tuple[SkippedFix, ...] = ()
    findings: tuple[Finding, ...] = ()
    #: Text the pass was computed on (kept in memory only, for positions in reports).
    input_text: str = field(default="", repr=False, compare=False)


@dataclass(frozen=True, slots=True)
class EditLog:
    """Every pass of every stage over one document, in order."""

    source: str
    source_sha256: str
    passes: tuple[StagePass, ...]

    @property
    def applied(self) -> list[tuple[StagePass, Fix]]:
        """Return every applied fix with the pass it belongs to."""
        return [(p, f) for p in self.passes for f in p.applied]

    @property
    def skipped(self) -> list[tuple[StagePass, SkippedFix]]:
        """Return every skipped fix with the pass it belongs to."""
        return [(p, s) for p in self.passes for s in p.skipped]

    @property
    def findings(self) -> list[tuple[StagePass, Finding]]:
        """Return every finding with the pass it belongs to."""
        return [(p, f) for p in self.passes for f in p.findings]
