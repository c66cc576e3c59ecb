"""What ``cleaner check`` reports: problems, each at a line and column of the input file.

A problem is one view of the edit log: a spun document, a change cleaning would make,
a fix that was not applied, a finding, or a committed output that is stale. Positions
in the log are in the text each stage received; they are mapped back through the
earlier stages' edits to the file as it is on disk, so CI annotations land on the
right line. Formats for people and machines are in :mod:`cleaner.emit.formats`.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from itertools import zip_longest
from pathlib import Path

from cleaner.api import CleanResult
from cleaner.config import Config
from cleaner.document import line_index
from cleaner.edits import to_input_offset
from cleaner.errors import CleanerError
from cleaner.model import Applicability, Severity, SkipReason
from cleaner.sources import Record, RecordOptions, format_of


#: Why a fix may go unapplied without anything being wrong.
_NOT_PROBLEMS = frozenset({SkipReason.SUPPRESSED, SkipReason.PROTECTED})


@dataclass(frozen=True, slots=True)
class Problem:
    """One reported problem, positioned in the input file (1-based line and column)."""

    path: str
    line: int
    column: int
    end_line: int
    end_column: int
    severity: Severity
    rule: str
    message: str
    suggestion: str = ""
    #: Inside an inline ``cleaner: disable`` region: listed and counted, never failing.
    suppressed: bool = False
    #: The exact text that would replace the span, when there is exactly one.
    replacement: str | None = None
    #: ``column`` and ``end_column`` counted in UTF-8 bytes (reviewdog's unit), when they differ.
    byte_columns: tuple[int, int] | None = None

    def as_dict(self) -> dict[str, object]:
        """Return the record of the ``cleaner.check/1`` JSON schema."""
        return {
            "path": self.path,
            "line": self.line,
            "column": self.column,
            "end_line": self.end_line,
            "end_column": self.end_column,
            "severity": self.severity.label,
            "rule": self.rule,
            "message": self.message,
            "suggestion": self.suggestion,
            "suppressed": self.suppressed,
        }


def problems_of(result: CleanResult, config: Config) -> list[Problem]:
    """List what ``check`` reports for one document, in input-file positions."""
    lines = line_index(result.input_text)
    found: list[Problem] = []

    def add(pass_index: int, start: int, end: int, severity: Severity, rule: str, message: str, suggestion: str = "", suppressed: bool = False, replacement: str | None = None) -> None:
        begin = to_input_offset(result.log, pass_index, start)
        finish = max(begin, to_input_offset(result.log, pass_index, end))
        (line, column), (end_line, end_column) = lines.line_col(begin), lines.line_col(finish)
        level = Severity[config.severity_of(rule, severity.label).upper()]
        # A replacement is exact when the span holds, in the input file, the text it replaces
        # there (always for the first pass; for later ones when earlier passes left it alone).
        stage_text = result.log.passes[pass_index].input_text if result.log.passes else result.input_text
        exact = replacement if replacement is not None and result.input_text[begin:finish] == stage_text[start:end] else None
        in_bytes = (_byte_column(result.input_text, begin, column), _byte_column(result.input_text, finish, end_column))
        found.append(Problem(result.source, line, column, end_line, end_column, level, rule, message, suggestion, suppressed, exact, in_bytes if in_bytes != (column, end_column) else None))

    spin = result.stages.get("spin", {})
    if spin.get("spun"):
        evidence = ", ".join(f"{rule} x{count}" for rule, count in list(dict(spin.get("rules", {})).items())[:8])  # type: ignore[call-overload]
        add(0, 0, 0, Severity.ERROR, "spin.spun-document", f"document reads as spinner output: score {spin.get('score')} per 100 words (threshold {spin.get('threshold')}); evidence: {evidence}")
    for index, stage_pass in enumerate(result.log.passes):
        for fix in stage_pass.applied:
            severity = Severity.WARNING if stage_pass.stage in ("spin", "grammar") else Severity.INFO
            single = fix.edits[0].after if len(fix.edits) == 1 else None
            add(index, fix.start, fix.end, severity, fix.rule_id, fix.message, "".join(e.after for e in fix.edits) or "(delete)", replacement=single)
        for skipped in stage_pass.skipped:
            if skipped.reason is SkipReason.PROTECTED:
                continue  # Markdown code, URLs: left alone on purpose, so not a problem
            held = skipped.reason is SkipReason.SUPPRESSED
            severity = Severity.ERROR if skipped.fix.applicability >= Applicability.UNSAFE and not held else Severity.INFO
            message = f"{skipped.fix.message} (not applied: {skipped.reason.value})"
            add(index, skipped.fix.start, skipped.fix.end, severity, skipped.fix.rule_id, message, "".join(e.after for e in skipped.fix.edits), held)
        for finding in stage_pass.findings:
            only = finding.suggestions[0] if len(finding.suggestions) == 1 else None
            add(index, finding.start, finding.end, finding.severity, finding.rule_id, finding.message, ", ".join(finding.suggestions[:3]), finding.suppressed, only)
    return found


def _byte_column(text: str, offset: int, column: int) -> int:
    """Return the 1-based column of ``offset`` counted in UTF-8 bytes instead of characters.

    >>> _byte_column("a\u2019b", 2, 3)
    5
    """
    line_start = offset - (column - 1)
    return len(text[line_start:offset].encode("utf-8", "surrogatepass")) + 1


def stale_output(result: CleanResult, committed: Path) -> Problem | None:
    """Compare the committed cleaned copy with what cleaning produces now.

    Returns a warning at the first line that differs (or line 1 when the copy is
    missing), or ``None`` when the committed copy is up to date.
    """
    try:
        current = committed.read_text(encoding="utf-8")
    except FileNotFoundError:
        return _stale(result.source, f"no committed output at {committed.as_posix()}: run 'cleaner clean'")
    except (OSError, UnicodeDecodeError) as exc:
        return _stale(result.source, f"cannot read committed output {committed.as_posix()}: {exc}")
    if current == result.output:
        return None
    return _stale(result.source, f"{committed.as_posix()} differs from what cleaning produces now (first at output line {_first_difference(current, result.output)}): run 'cleaner clean'")


def stale_records(results: Sequence[CleanResult], committed: Path, options: RecordOptions) -> list[Problem]:
    """Compare a committed JSON Lines or Parquet output with what cleaning produces now, record by record.

    The committed file holds the input's records in order, less the lines that were not
    JSON (left out of the output); a record without its text passes through, so the
    n-th record with a text there is the n-th cleaned record (ids may be line numbers,
    which those left-out lines shift, so records are paired by order). Each record that
    differs is a warning at that record; a missing or unreadable file, or one with
    another number of records, is one warning at the file's first record.
    """
    first, name = results[0].source, committed.as_posix()
    if not committed.is_file():
        return [_stale(first, f"no committed output at {name}: run 'cleaner clean'")]
    problems, held = [], 0
    try:
        records = (r for r in format_of(committed).read(committed, options) if isinstance(r, Record))
        for result, record in zip_longest(results, records):
            held += record is not None
            if result is not None and record is not None and record.text != result.output:
                line = _first_difference(record.text, result.output)
                problems.append(_stale(result.source, f"{name} record {record.id} differs from what cleaning produces now (first at line {line} of its text): run 'cleaner clean'"))
    except CleanerError as exc:
        return [_stale(first, f"cannot read committed output {name}: {exc.one_line()}")]
    except OSError as exc:
        return [_stale(first, f"cannot read committed output {name}: {exc.strerror or exc}")]
    if held != len(results):
        problems.insert(0, _stale(first, f"{name} holds {held} record(s) with a text, cleaning gives {len(results)}: run 'cleaner clean'"))
    return problems


def _stale(source: str, message: str) -> Problem:
    """A stale committed output, reported at the start of ``source``."""
    return Problem(source, 1, 1, 1, 1, Severity.WARNING, "cleaner.stale-output", message, "")


def _first_difference(old: str, new: str) -> int:
    """Return the 1-based number of the first line where ``old`` and ``new`` differ.

    >>> _first_difference("a\\nb\\n", "a\\nc\\n"), _first_difference("a\\n", "a\\nb\\n")
    (2, 2)
    """
    old_lines, new_lines = old.splitlines(), new.splitlines()
    return next((i + 1 for i, (a, b) in enumerate(zip(old_lines, new_lines, strict=False)) if a != b), min(len(old_lines), len(new_lines)) + 1)


def only_lines(problems: Iterable[Problem], changed: dict[str, set[int]]) -> list[Problem]:
    """Keep problems on lines a change added or modified (document-level ones when any line changed)."""
    kept = []
    for problem in problems:
        lines = changed.get(problem.path, set())
        document_level = problem.rule in ("spin.spun-document", "cleaner.stale-output")
        if (document_level and lines) or any(line in lines for line in range(problem.line, problem.end_line + 1)):
            kept.append(problem)
    return kept


def failing(problems: Iterable[Problem], fail_on: Severity) -> int:
    """Count problems at or above ``fail_on`` that are not suppressed."""
    return sum(1 for p in problems if p.severity >= fail_on and not p.suppressed)


def remaining_problems(result: CleanResult, fail_on: Severity) -> int:
    """Count what is still wrong after cleaning (what ``clean``'s exit status is about).

    Findings at or above ``fail_on`` that are not suppressed, unsafe fixes that were
    not applied (unless suppressed or protected: code and URLs are left alone on purpose), and a document still judged spun after repair.
    What cleaning fixed never counts.
    """
    findings = sum(1 for _, f in result.log.findings if f.severity >= fail_on and not f.suppressed)
    unapplied = sum(1 for _, s in result.log.skipped if s.fix.applicability >= Applicability.UNSAFE and s.reason not in _NOT_PROBLEMS)
    spin_after = result.stages.get("spin", {}).get("after", {})
    still_spun = 1 if isinstance(spin_after, dict) and spin_after.get("spun") and Severity.ERROR >= fail_on else 0
    return findings + unapplied + still_spun
