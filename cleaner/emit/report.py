"""Reports are views of the edit log: ``report.json`` (versioned) and ``REPORT.md``.

The JSON keeps every pass with its hashes and edits, so :func:`log_from_json` can
rebuild the :class:`~cleaner.model.EditLog` and replay it on the input. No timestamps
or absolute paths are written: two runs give byte-identical reports.

Schema ``cleaner.report/3`` is lean (at most the size of the corpus it describes), as a
corpus's log is written for every document. Each distinct rule id, message and evidence
object is written once, in the top-level ``rules``, ``messages`` and ``evidence``
lists, and each distinct fix kind ``[skip reason or null, rule, applicability, message,
evidence]`` once in ``fix_kinds`` (indices into those lists); these lists hold one
compact entry per line. A fix is the flat array ``[kind, start, end, after, start, end,
after, ...]``, one triple per edit, positions in its pass's input: the text an edit
replaces is not written, as it is always that input's ``[start:end]``, which a reader
rebuilds from the document's text (digest ``text_sha256``) by applying the passes in
turn (:func:`log_from_json`); so a repeated block's text is never copied into the
report. A pass's input digest is the previous pass's ``output_sha256`` (the first's:
``text_sha256``); a pass that applied nothing gives back its input and omits
``output_sha256``. A spin fix's evidence ``document_score`` equal to the document's spin
``score`` is written as ``"spin.score"`` (:data:`DOCUMENT_SCORE`), so one rule's fixes
share a kind across documents. Readability scores are lists in the order of the
top-level ``readability_metrics``. Findings give their span, not line and column. The spin
verdict lists only the sentences that say something (a score or evidence), each as
``[start, end, words, score, evidence indices]``, and its per-rule counts as ``[rule
index, count]`` pairs. Document lines have no spaces after separators.
"""

from __future__ import annotations

import json
import os
import re
import tempfile
from collections.abc import Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from cleaner import __version__
from cleaner.api import CleanResult
from cleaner.errors import OutputError
from cleaner.fileio import write_atomically
from cleaner.model import Applicability, Edit, EditLog, Finding, Fix, Severity, SkippedFix, SkipReason, StagePass
from cleaner.stages.readability import NAMES as READABILITY_NAMES

SCHEMA = "cleaner.report/3"
#: The files a report folder gets.
REPORT_FILES = ("report.json", "REPORT.md")
#: What each report file holds near its start or end, to tell it from a user's own file
#: (a report of an earlier schema is one of ours too).
#: What a fix's evidence ``document_score`` says when it is the document's spin ``score``.
DOCUMENT_SCORE = "spin.score"
REPORT_SIGNATURES = (f'"schema": "{SCHEMA}"'.encode(), b'"schema": "cleaner.report/2"', b'"schema": "cleaner.report/1"', b"# Cleaning report\n")


class Shared:
    """The distinct rule ids, messages and evidence objects of a report, each numbered once in the order first met."""

    def __init__(self) -> None:
        self._rules: dict[str, int] = {}
        self._messages: dict[str, int] = {}
        self._evidence: dict[object, int] = {}
        self._evidence_objects: list[dict[str, object]] = []
        self._kinds: dict[tuple[str | None, int, str, int, int], int] = {}
        #: A fix's own fields (the evidence as its key) to its kind: one look-up per fix.
        self._kind_of: dict[tuple[object, ...], int] = {}

    def rule(self, rule_id: str) -> int:
        """Return the index of ``rule_id`` in :meth:`rules`, adding it if new."""
        return self._rules.setdefault(rule_id, len(self._rules))

    def rules(self) -> list[str]:
        """Return the rule ids in index order (the report's ``rules``)."""
        return list(self._rules)

    def message(self, message: str) -> int:
        """Return the index of ``message`` in :meth:`messages`, adding it if new."""
        return self._messages.setdefault(message, len(self._messages))

    def evidence(self, evidence: Mapping[str, object]) -> int:
        """Return the index of ``evidence`` in :meth:`evidence_list`, adding it if new."""
        return self._evidence_number(evidence, _evidence_key(evidence))

    def _evidence_number(self, evidence: Mapping[str, object], key: object) -> int:
        """Return the index of ``evidence`` whose :func:`_evidence_key` is ``key``, adding it if new."""
        number = self._evidence.setdefault(key, len(self._evidence))
        if number == len(self._evidence_objects):
            self._evidence_objects.append(dict(evidence))
        return number

    def kind(self, fix: Fix, reason: SkipReason | None = None, document_score: object = None) -> int:
        """Return the index of the fix's ``[reason, rule, applicability, message, evidence]`` in :meth:`kinds`, adding it if new.

        Fixes of one rule mostly share all of these, so each fix writes one number for
        them. Spin fixes give the document's spin score as evidence: equal to
        ``document_score``, it is written as :data:`DOCUMENT_SCORE`, so that the fixes of
        one rule share their kind across documents.
        """
        evidence = fix.evidence
        if document_score is not None and evidence.get("document_score") == document_score:
            evidence = {**evidence, "document_score": DOCUMENT_SCORE}
        evidence_key = _evidence_key(evidence)
        fields = (reason, fix.rule_id, fix.applicability, fix.message, evidence_key)
        number = self._kind_of.get(fields)
        if number is None:
            key = (reason.value if reason else None, self.rule(fix.rule_id), fix.applicability.label, self.message(fix.message), self._evidence_number(evidence, evidence_key))
            number = self._kind_of[fields] = self._kinds.setdefault(key, len(self._kinds))
        return number

    def kinds(self) -> list[list[object]]:
        """Return the fix kinds in index order (the report's ``fix_kinds``)."""
        return [list(kind) for kind in self._kinds]

    def messages(self) -> list[str]:
        """Return the messages in index order (the report's ``messages``)."""
        return list(self._messages)

    def evidence_list(self) -> list[dict[str, object]]:
        """Return the evidence objects in index order (the report's ``evidence``)."""
        return list(self._evidence_objects)


def _evidence_key(evidence: Mapping[str, object]) -> object:
    """Return what tells evidence objects apart: the values with their types (1, 1.0 and True are equal otherwise)."""
    if not evidence:  # most fixes (normalise, structure) give none
        return ()
    try:
        key = tuple([(name, type(value), value) for name, value in evidence.items()])
        hash(key)
    except TypeError:  # a list or object inside: its JSON text is the key
        return json.dumps(evidence, ensure_ascii=False, sort_keys=True)
    return key


@dataclass(frozen=True, slots=True)
class FileError:
    """An input that could not be cleaned, with the one-line message."""

    source: str
    message: str


def fix_to_json(fix: Fix, shared: Shared, reason: SkipReason | None = None, document_score: object = None) -> list[object]:
    """Serialise a fix as ``[kind, start, end, after, ...]``: its kind, then each edit's span (in its pass's input) and new text.

    The replaced text is not written: it is the pass input's slice, re-read on load.
    """
    edits: list[object] = [shared.kind(fix, reason, document_score)]
    for edit in fix.edits:
        edits += (edit.start, edit.end, edit.after)
    return edits


def finding_to_json(finding: Finding, shared: Shared) -> dict[str, object]:
    """Serialise a finding (its span in its pass's input; a reader finds the line from the text)."""
    return {
        "rule": finding.rule_id,
        "severity": finding.severity.label,
        "message": shared.message(finding.message),
        "start": finding.start,
        "end": finding.end,
        "suggestions": list(finding.suggestions),
        "evidence": dict(finding.evidence),
        "suppressed": finding.suppressed,
    }


def pass_to_json(stage_pass: StagePass, shared: Shared, document_score: object = None) -> dict[str, object]:
    """Serialise one stage pass (its input digest is the previous pass's output digest, the first's the document's ``text_sha256``)."""
    return {
        "stage": stage_pass.stage,
        # A pass that applied nothing gives back its input: its output digest is not repeated.
        **({"output_sha256": stage_pass.output_sha256} if stage_pass.applied or stage_pass.output_sha256 != stage_pass.input_sha256 else {}),
        "applied": [fix_to_json(f, shared, None, document_score) for f in stage_pass.applied],
        "skipped": [fix_to_json(s.fix, shared, s.reason, document_score) for s in stage_pass.skipped],
        "findings": [finding_to_json(f, shared) for f in stage_pass.findings],
    }


def document_to_json(result: CleanResult, output_name: str | None, shared: Shared) -> dict[str, object]:
    """Serialise one cleaned document; its messages and evidence are numbered in ``shared``."""
    from cleaner.edits import sha256_text

    spin = dict(result.stages.get("spin", {}))
    if "sentences" in spin:  # only those with a score or evidence, as [start, end, words, score, evidence indices]
        spin["sentences"] = [
            [sentence["start"], sentence["end"], sentence["words"], sentence["score"], [shared.evidence(e) for e in sentence.get("evidence", [])]]
            for sentence in spin["sentences"]  # type: ignore[attr-defined]
            if sentence.get("score") or sentence.get("evidence")
        ]
    if "rules" in spin:  # per-rule counts as [rule index, count] pairs
        spin["rules"] = [[shared.rule(rule), count] for rule, count in spin["rules"].items()]  # type: ignore[attr-defined]
    return {
        "input": result.source,
        "output": output_name,
        "input_sha256": result.ingest.get("sha256", sha256_text(result.input_text)),
        "text_sha256": result.log.source_sha256,
        "output_sha256": sha256_text(result.output),
        "encoding": result.ingest.get("encoding", "utf-8"),
        # How sure the detector was of a legacy encoding (absent for UTF-8 and BOMs).
        **({"encoding_confidence": result.ingest["encoding_confidence"]} if "encoding_confidence" in result.ingest else {}),
        "bom": result.ingest.get("bom", False),
        "markdown": result.markdown,
        "changed": result.changed,
        "summary": summarise(result),
        "readability": {k: _metrics(v) for k, v in result.readability.items()},
        "spin": spin,
        "grammar": dict(result.stages.get("grammar", {})),
        "passes": [pass_to_json(p, shared, spin.get("score")) for p in result.log.passes],
    }


def _metrics(scores: Mapping[str, float]) -> object:
    """Write a readability score set as its values in the order of :data:`~cleaner.stages.readability.NAMES` (the report's ``readability_metrics``); an odd set as an object."""
    return [scores[name] for name in READABILITY_NAMES] if set(scores) == set(READABILITY_NAMES) else dict(scores)


def document_line(result: CleanResult, output_name: str | None, shared: Shared) -> str:
    """Serialise one document as the single line ``report.json`` holds for it."""
    return json.dumps(document_to_json(result, output_name, shared), ensure_ascii=False, sort_keys=True, separators=(",", ":"))


def summarise(result: CleanResult) -> dict[str, object]:
    """Count applied edits per stage, skipped fixes and findings per severity."""
    per_stage: dict[str, int] = {}
    for stage_pass, _ in result.log.applied:
        per_stage[stage_pass.stage] = per_stage.get(stage_pass.stage, 0) + 1
    severities = {s.label: 0 for s in Severity}
    for _, finding in result.log.findings:
        severities[finding.severity.label] += 1
    return {"fixes_by_stage": per_stage, "skipped": len(result.log.skipped), "findings": severities}


class ReportWriter:
    """Write ``report.json`` and ``REPORT.md`` document by document.

    A batch streams through it: each document's JSON goes to a temporary file as soon
    as it is cleaned and only its one-line summary is kept, so memory does not grow
    with the corpus. :meth:`finish` adds the errors and renames both files into place.
    Layout: sorted keys; the run's fields indented, each document on one line (the C
    JSON encoder serialises it, several times faster than indenting every field).
    """

    def __init__(self, folder: Path, config: Mapping[str, object]) -> None:
        self.folder = folder
        #: The report's messages and evidence: number a document's with these (:func:`document_line`).
        self.shared = Shared()
        # REPORT.md's rows wait on disk, not in memory (a corpus can have millions of records).
        self._rows = tempfile.TemporaryFile("w+", encoding="utf-8", newline="\n", dir=folder, prefix=".REPORT.md.rows.")
        _remove_stale_temporaries(folder)
        # Until finish() renames the real report in, the folder says the run is under
        # way: a killed run never leaves an older report next to newer outputs.
        self._placeholder(config)
        handle, self._temporary = tempfile.mkstemp(dir=folder, prefix=f".report.json.{os.getpid()}.", suffix=".tmp")
        self._stream = os.fdopen(handle, "w", encoding="utf-8", newline="\n")
        config_json = _indented(json.dumps(dict(config), ensure_ascii=False, indent=2, sort_keys=True), 2)
        self._stream.write(f'{{\n  "config": {config_json},\n  "documents": [')
        self._first = True
        #: The grammar engines (name and version) the documents were checked with, in the order met.
        self._engines: list[str] = []

    def add(self, document_line: str, row: str, engine: str = "") -> None:
        """Append one document: its :func:`document_line`, its :func:`markdown_row` and its :func:`grammar_engine`."""
        if engine and engine not in self._engines:
            self._engines.append(engine)
        with self._writing():
            self._stream.write(("\n" if self._first else ",\n") + "    " + document_line)
        self._first = False
        with self._writing():
            self._rows.write(row + "\n")

    def mark(self) -> tuple[int, int, bool]:
        """Say where the report stands now, for :meth:`rollback` to return to."""
        with self._writing():
            return self._stream.tell(), self._rows.tell(), self._first

    def rollback(self, mark: tuple[int, int, bool]) -> None:
        """Drop the documents added since ``mark``: the records of a corpus file whose output was dropped.

        The report lists only documents whose output exists; the shared lists may keep
        a few entries no document points to, which is harmless.
        """
        stream_at, rows_at, self._first = mark
        with self._writing():
            for stream, at in ((self._stream, stream_at), (self._rows, rows_at)):
                stream.seek(at)
                stream.truncate()

    def finish(self, errors: Sequence[FileError], *, incomplete: str = "") -> None:
        """Close the JSON with the errors and the header fields; write ``REPORT.md``.

        ``incomplete`` says why the run stopped early (the report then lists only the
        documents written, and says so in both files).
        """
        with self._writing():
            error_list = [{"input": e.source, "message": e.message} for e in errors]
            tail: dict[str, object] = {"errors": error_list, "evidence": self.shared.evidence_list(), "fix_kinds": self.shared.kinds(), "messages": self.shared.messages(), "readability_metrics": list(READABILITY_NAMES), "rules": self.shared.rules(), "schema": SCHEMA, "tool": {"name": "cleaner", "version": __version__}}
            if incomplete:
                tail["incomplete"] = incomplete
            body = ",\n".join(f"  {json.dumps(name)}: {_entry_per_line(value)}" for name, value in sorted(tail.items()))
            self._stream.write(("]" if self._first else "\n  ]") + ",\n" + body + "\n}\n")
            self._stream.close()
            os.chmod(self._temporary, 0o644)
            os.replace(self._temporary, self.folder / "report.json")
            self._rows.seek(0)
            rows = (line.rstrip("\n") for line in self._rows)
            write_atomically(self.folder / "REPORT.md", (line + "\n" for line in markdown_lines(rows, errors, incomplete=incomplete, engines=self._engines)))
            self._rows.close()

    @contextmanager
    def _writing(self) -> Iterator[None]:
        """Turn an OS error (a full disk) while writing the reports into one line."""
        try:
            yield
        except OSError as exc:
            raise OutputError(f"{self.folder}: cannot write report.json and REPORT.md: {exc.strerror or exc}") from None

    def abandon(self) -> None:
        """Drop the unfinished report (a failed batch); the placeholder stays and says so."""
        self._stream.close()
        self._rows.close()
        Path(self._temporary).unlink(missing_ok=True)

    def _placeholder(self, config: Mapping[str, object]) -> None:
        """Write a report of no documents that says the run has not finished."""
        reason = "the run writing this report has not finished (or was killed)"
        placeholder = {
            "config": dict(config),
            "documents": [],
            "errors": [],
            "evidence": [],
            "fix_kinds": [],
            "incomplete": reason,
            "messages": [],
            "readability_metrics": list(READABILITY_NAMES),
            "rules": [],
            "schema": SCHEMA,
            "tool": {"name": "cleaner", "version": __version__},
        }
        with self._writing():
            write_atomically(self.folder / "report.json", json.dumps(placeholder, ensure_ascii=False, indent=2, sort_keys=True) + "\n", mode=0o644)
            write_atomically(self.folder / "REPORT.md", markdown_page([], [], incomplete=reason))


def _remove_stale_temporaries(folder: Path) -> None:
    """Remove the report temporaries of runs that were killed (their process is gone)."""
    for temporary in folder.glob(".report.json.*.*.tmp"):
        pid = temporary.name.split(".")[3]
        if pid.isdigit() and not _alive(int(pid)):
            temporary.unlink(missing_ok=True)


def _alive(pid: int) -> bool:
    """Tell whether process ``pid`` exists (signal 0 only checks)."""
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True  # someone else's process
    return True


def _entry_per_line(value: object) -> str:
    """Dump a list of the report's tail one compact entry per line (the shared lists run to thousands), anything else indented."""
    if isinstance(value, list) and value:
        return "[\n" + ",\n".join("    " + json.dumps(entry, ensure_ascii=False, sort_keys=True, separators=(",", ":")) for entry in value) + "\n  ]"
    return _indented(json.dumps(value, ensure_ascii=False, indent=2, sort_keys=True), 2)


def _indented(text: str, spaces: int) -> str:
    """Indent every line but the first of a JSON dump, to nest it ``spaces`` deep."""
    return text.replace("\n", "\n" + " " * spaces)


def log_from_json(document: Mapping[str, object], report: Mapping[str, object], text: str) -> EditLog:
    """Rebuild the edit log of one document entry of ``report.json`` (for replay).

    ``report`` is the whole report: fixes index into its ``rules``, ``messages`` and
    ``evidence``. ``text`` is the document's text (the decoded input, digest
    ``text_sha256``): each pass's input is rebuilt from it, checked against the pass's
    digest, and gives the edits their ``before`` text, which the report does not repeat.
    """
    from cleaner.edits import sha256_text, splice
    from cleaner.errors import ReplayError

    rules: list[str] = report["rules"]  # type: ignore[assignment]
    messages: list[str] = report["messages"]  # type: ignore[assignment]
    evidence: list[dict[str, object]] = report["evidence"]  # type: ignore[assignment]
    kinds: list[list[Any]] = report["fix_kinds"]  # type: ignore[assignment]
    source = str(document["input"])
    score = document.get("spin", {}).get("score")  # type: ignore[attr-defined]

    def fix(current: str, kind: int, *edits: Any) -> tuple[Any, Fix]:
        """Rebuild one fix from its kind and edit triples; the replaced texts are ``current``'s slices."""
        reason, rule, applicability, message, evidence_index = kinds[kind]
        found = dict(evidence[evidence_index])
        if found.get("document_score") == DOCUMENT_SCORE:
            found["document_score"] = score
        spans = tuple(Edit(start, end, current[start:end], after) for start, end, after in zip(edits[::3], edits[1::3], edits[2::3]))
        return reason, Fix(rules[rule], spans, Applicability.parse(applicability), messages[message], found)

    passes = []
    digest = str(document["text_sha256"])
    for p in document["passes"]:  # type: ignore[attr-defined]
        if sha256_text(text) != digest:
            raise ReplayError(f"{source}: stage {p['stage']!r} input does not match the report")
        applied = tuple(fix(text, *f)[1] for f in p["applied"])
        skipped = tuple(SkippedFix(f, SkipReason(reason)) for reason, f in (fix(text, *s) for s in p["skipped"]))
        output = p.get("output_sha256", digest)  # absent: the pass applied nothing
        passes.append(StagePass(stage=p["stage"], input_sha256=digest, output_sha256=output, applied=applied, skipped=skipped))
        text, digest = splice(text, [e for f in applied for e in f.edits]), output
    return EditLog(source, str(document["text_sha256"]), tuple(passes))


def grammar_engine(result: CleanResult) -> str:
    """Name the grammar engine and version a document was checked with (``off`` for none).

    >>> from types import SimpleNamespace
    >>> grammar_engine(SimpleNamespace(stages={"grammar": {"engine": "languagetool", "version": "6.8"}})), grammar_engine(SimpleNamespace(stages={}))
    ('languagetool 6.8', 'off')
    """
    grammar = result.stages.get("grammar", {})
    engine = grammar.get("engine")
    return f"{engine} {grammar.get('version', '')}".strip() if engine else "off"


def grammar_counts(result: CleanResult) -> str:
    """Summarise grammar findings before → after cleaning, with the categories that moved.

    >>> from types import SimpleNamespace
    >>> grammar_counts(SimpleNamespace(stages={"grammar": {"before": {"grammar": 5, "spelling": 2}, "after": {"spelling": 2}}}))
    '7 → 2 (grammar 5 → 0)'
    """
    grammar = result.stages.get("grammar", {})
    before: dict[str, int] = grammar.get("before", {})  # type: ignore[assignment]
    after: dict[str, int] = grammar.get("after", {})  # type: ignore[assignment]
    if "before" not in grammar:
        return "-"
    moved = [f"{c} {before.get(c, 0)} → {after.get(c, 0)}" for c in sorted(set(before) | set(after)) if before.get(c, 0) != after.get(c, 0)]
    total = f"{sum(before.values())} → {sum(after.values())}"
    return f"{total} ({', '.join(moved)})" if moved else total


_MARKDOWN_HEADER = (
    "# Cleaning report",
    "",
    "| document | encoding | edits (normalise / structure / spin / grammar) | skipped | spin score | spun | findings (error / warning / info) | grammar findings before → after | Flesch before → after |",
    "|---|---|---|---|---|---|---|---|---|",
)


def markdown_row(result: CleanResult) -> str:
    """Render one document's row of ``REPORT.md``."""
    summary = summarise(result)
    by_stage: dict[str, int] = summary["fixes_by_stage"]  # type: ignore[assignment]
    findings: dict[str, int] = summary["findings"]  # type: ignore[assignment]
    spin = result.stages.get("spin", {})
    edits = " / ".join(str(by_stage.get(s, 0)) for s in ("normalise", "structure", "spin", "grammar"))
    before = result.readability["before"]["flesch_reading_ease"]
    after = result.readability["after"]["flesch_reading_ease"]
    return (
        f"| {markdown_code(result.source)} | {encoding_cell(result.ingest)} | {edits} | {summary['skipped']} "
        f"| {spin.get('score', '-')} | {'yes' if spin.get('spun') else 'no'} "
        f"| {findings['error']} / {findings['warning']} / {findings['info']} | {grammar_counts(result)} | {before} → {after} |"
    )


def encoding_cell(ingest: Mapping[str, object]) -> str:
    """The encoding a document was read in, with the detector's confidence when one was needed.

    >>> encoding_cell({"encoding": "cp932", "encoding_confidence": 0.97}), encoding_cell({})
    ('cp932 (confidence 0.97)', 'utf-8')
    """
    encoding = str(ingest.get("encoding", "utf-8"))
    confidence = ingest.get("encoding_confidence")
    return f"{encoding} (confidence {confidence:.2f})" if isinstance(confidence, float) else encoding


def markdown_page(rows: Iterable[str], errors: Sequence[FileError], *, incomplete: str = "") -> str:
    """Render ``REPORT.md``: one table row per document, then errors."""
    return "\n".join(markdown_lines(rows, errors, incomplete=incomplete)) + "\n"


def markdown_lines(rows: Iterable[str], errors: Sequence[FileError], *, incomplete: str = "", engines: Sequence[str] = ()) -> Iterator[str]:
    """Yield the lines of ``REPORT.md`` one at a time (rows are streamed from disk).

    ``engines`` are the grammar engines the documents were checked with (:func:`grammar_engine`).
    """
    yield _MARKDOWN_HEADER[0]
    if incomplete:
        yield from ["", f"**Incomplete:** {incomplete}; only the documents below were written."]
    if engines:
        yield from ["", f"Grammar engine: {', '.join(engines)} (each grammar finding's message ends with the engine's own rule id in brackets)."]
    yield from _MARKDOWN_HEADER[1:]
    yield from rows
    if errors:
        yield from ["", "## Errors", ""]
        yield from (f"- {markdown_code(e.source)}: {visible(e.message)}" for e in errors)


def markdown_code(text: str) -> str:
    """Render a file name as inline code that stays in its table cell, whatever it holds.

    Control characters are shown escaped (:func:`visible`), ``|`` is escaped so it does
    not end the cell, and the code span's fence is longer than any run of backticks in
    the name.

    >>> print(markdown_code("a|b\\nc`.txt"))
    ``a\\|b\\nc`.txt``
    """
    shown = visible(text).replace("|", "\\|")
    fence = "`" * (max((len(run) for run in re.findall("`+", shown)), default=0) + 1)
    padding = " " if shown.startswith("`") or shown.endswith("`") else ""
    return f"{fence}{padding}{shown}{padding}{fence}"


def visible(text: str) -> str:
    """Show control characters and line separators of a name as escapes, so it stays on one line.

    >>> print(visible("two\\nlines\\tand a bell\\a.txt"))
    two\\nlines\\tand a bell\\x07.txt
    """
    if text.isprintable():
        return text
    return "".join(ch if ch.isprintable() or ch == " " else ch.encode("unicode_escape").decode("ascii") for ch in text)
