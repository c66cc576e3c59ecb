"""Render ``cleaner check`` problems for people and for the tools CI already runs.

* ``text``: ``file:line:col: severity rule: message (suggest: ...)``, one problem a
  line (newlines and edge spaces in suggestions shown as ``\\n`` and ``␠``), for people;
* ``json``: the documented ``cleaner.check/1`` schema (see README);
* ``github``: workflow commands that annotate lines of a pull request, most severe
  first and at most :data:`GITHUB_ANNOTATIONS_PER_LEVEL` per level (what GitHub shows);
* ``sarif``: SARIF 2.1.0 for code scanning: rules with descriptions and help, paths
  relative to ``SRCROOT``, fixes for the edits cleaning applies;
* ``checkstyle``: Checkstyle XML, read by most review bots;
* ``rdjson``: reviewdog's diagnostic JSON (columns in UTF-8 bytes, as reviewdog counts).

Problems arrive sorted by file and position (``cleaner check`` sorts them).
"""

from __future__ import annotations

import json
import re
from collections import Counter
from collections.abc import Callable, Mapping, Sequence
from functools import cache
from pathlib import Path, PurePosixPath
from urllib.parse import quote

import click

from cleaner import __version__
from cleaner.checks import Problem
from cleaner.emit.report import FileError, visible
from cleaner.model import Severity
from cleaner.rulepacks import Rule

FORMATS = ("text", "json", "github", "sarif", "checkstyle", "rdjson")
#: GitHub shows at most 10 annotations of each level (error, warning, notice) per step.
GITHUB_ANNOTATIONS_PER_LEVEL = 10
_SARIF_LEVEL = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.INFO: "note"}
_GITHUB_LEVEL = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.INFO: "notice"}
_RDJSON_LEVEL = {Severity.ERROR: "ERROR", Severity.WARNING: "WARNING", Severity.INFO: "INFO"}
_COLOUR = {Severity.ERROR: "red", Severity.WARNING: "yellow", Severity.INFO: "cyan"}
#: What the problems that no rule pack defines are about (SARIF rule descriptions).
_BUILT_IN = {
    "spin.spun-document": ("The document reads as article-spinner output.", "Its spin score (spin evidence per 100 words) is at or above spin-threshold; cleaning reverses the spinner's word swaps it recognises."),
    "cleaner.stale-output": ("The committed cleaned copy is missing or out of date.", "Cleaning the input now gives a different text than the copy in the output folder; run 'cleaner clean' and commit the result."),
}
_INVISIBLE = {"\n": "\\n", "\r": "\\r", "\t": "\\t"}
_EDGE_SPACES = re.compile(r"^ +| +$| {2,}")
_PLACEHOLDER = re.compile(r"\{\w+\}")


@cache
def project_url() -> str:
    """Return this project's address from the installed package metadata (``[project.urls]``), or ``""``."""
    from importlib import metadata  # here, not at start-up: with what it imports, 20 ms

    try:
        urls = metadata.metadata("cleaner").get_all("Project-URL") or []
    except metadata.PackageNotFoundError:
        return ""
    return next((entry.split(",", 1)[1].strip() for entry in urls if "," in entry), "")


def visible(text: str) -> str:
    """Show line breaks, tabs and spaces that would otherwise vanish in one line of output.

    >>> visible("a\\nb"), visible("  "), visible("an apple"), visible(" x")
    ('a\\\\nb', '␠␠', 'an apple', '␠x')
    """
    text = re.sub(r"[\n\r\t]", lambda m: _INVISIBLE[m[0]], text)
    return _EDGE_SPACES.sub(lambda m: "␠" * len(m[0]), text)


def _one_line(text: str) -> str:
    """Return a message on one line (its line breaks shown as ``\\n``)."""
    return re.sub(r"[\n\r]", lambda m: _INVISIBLE[m[0]], text)


def render(output_format: str, problems: Sequence[Problem], errors: Sequence[FileError], rules: Mapping[str, Rule]) -> str:
    """Render ``problems`` (and input errors) in ``output_format``; ``rules`` maps ids to the loaded rules."""
    renderers: dict[str, Callable[[Sequence[Problem], Sequence[FileError], Mapping[str, Rule]], str]] = {
        "text": _text,
        "json": _json,
        "github": _github,
        "sarif": _sarif,
        "checkstyle": _checkstyle,
        "rdjson": _rdjson,
    }
    return renderers[output_format](problems, errors, rules)


def _suggestion(p: Problem) -> str:
    return f" (suggest: {visible(p.suggestion)})" if p.suggestion else ""


def _text(problems: Sequence[Problem], errors: Sequence[FileError], rules: Mapping[str, Rule]) -> str:
    """One line a problem; styled with ANSI colours that ``click.echo`` drops unless asked to keep them."""
    lines = []
    for p in problems:
        marker = " [suppressed]" if p.suppressed else ""
        where = click.style(f"{visible(p.path)}:{p.line}:{p.column}:", bold=True)
        level = click.style(p.severity.label, fg=_COLOUR[p.severity], bold=p.severity is Severity.ERROR)
        lines.append(f"{where} {level} {p.rule}: {_one_line(p.message)}{_suggestion(p)}{marker}")
    return "".join(line + "\n" for line in lines)


def _plural(count: int, word: str) -> str:
    return f"{count} {word}{'' if count == 1 else 's'}"


def summary(problems: Sequence[Problem], documents: int, errors: Sequence[FileError], *, names: int = 6) -> str:
    """Say what is left in one line: problems by severity, the rules they come from, input errors.

    ``documents`` counts what was checked: a text file is one, a JSON Lines or Parquet
    file one per record. "Input error" is a file or record that could not be checked;
    "error" alone is a severity.
    """
    shown = [p for p in problems if not p.suppressed]
    levels = Counter(p.severity for p in shown)
    by_level = ", ".join(f"{levels[s]} info" if s is Severity.INFO else _plural(levels[s], s.label) for s in sorted(levels, reverse=True))
    head = f"checked {_plural(documents, 'document')}: {_plural(len(shown), 'problem')}" + (f" ({by_level})" if by_level else "")
    counts = Counter(p.rule for p in shown).most_common()
    listed = ", ".join(f"{rule} ×{n}" if n > 1 else rule for rule, n in counts[:names])
    more = f" and {_plural(len(counts) - names, 'more rule')}" if len(counts) > names else ""
    suppressed = sum(1 for p in problems if p.suppressed)
    tail = [f"{suppressed} suppressed"] if suppressed else []
    tail.append(_plural(len(errors), "input error") if errors else "no input errors")
    return head + (f": {listed}{more}" if listed else "") + "; " + "; ".join(tail)


def statistics(problems: Sequence[Problem]) -> str:
    """Count problems per rule, most frequent first (``--statistics``): count, rule, worst severity, a message."""
    shown = [p for p in problems if not p.suppressed]
    counts = Counter(p.rule for p in shown).most_common()
    worst: dict[str, Severity] = {}
    example: dict[str, str] = {}
    for p in shown:
        worst[p.rule] = max(worst.get(p.rule, p.severity), p.severity)
        example.setdefault(p.rule, _one_line(p.message))
    width = max((len(str(n)) for _, n in counts), default=1)
    rule_width = max((len(rule) for rule, _ in counts), default=0)
    return "".join(f"{n:>{width}}  {rule:<{rule_width}}  {worst[rule].label:<7}  {example[rule]}\n" for rule, n in counts)


def _json(problems: Sequence[Problem], errors: Sequence[FileError], rules: Mapping[str, Rule]) -> str:
    payload = {
        "schema": "cleaner.check/1",
        "tool": {"name": "cleaner", "version": __version__},
        "findings": [p.as_dict() for p in problems],
        "suppressed": sum(1 for p in problems if p.suppressed),
        "errors": [{"input": e.source, "message": e.message} for e in errors],
    }
    return json.dumps(payload, indent=2, sort_keys=True, ensure_ascii=False) + "\n"


def _escape_github(value: str, *, property_value: bool = False) -> str:
    """Escape a workflow-command message or property as GitHub documents it."""
    value = value.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")
    return value.replace(":", "%3A").replace(",", "%2C") if property_value else value


def _github(problems: Sequence[Problem], errors: Sequence[FileError], rules: Mapping[str, Rule]) -> str:
    """Annotations, most severe first, capped at what GitHub shows; a last line says how many more."""
    lines = [f"::error file={_escape_github(e.source, property_value=True)}::{_escape_github(e.message)}" for e in errors]
    shown: Counter[Severity] = Counter({Severity.ERROR: len(errors)})
    left = 0
    for p in sorted((p for p in problems if not p.suppressed), key=lambda p: -p.severity):
        if shown[p.severity] >= GITHUB_ANNOTATIONS_PER_LEVEL:
            left += 1
            continue
        shown[p.severity] += 1
        props = f"file={_escape_github(p.path, property_value=True)},line={p.line},col={p.column},endLine={p.end_line},endColumn={p.end_column},title={_escape_github(p.rule, property_value=True)}"
        lines.append(f"::{_GITHUB_LEVEL[p.severity]} {props}::{_escape_github(p.message + _suggestion(p))}")
    if left:
        lines.append(f"cleaner: {_plural(left, 'more problem')} not annotated (GitHub shows {GITHUB_ANNOTATIONS_PER_LEVEL} of each level per step); run 'cleaner check' or read the SARIF for all of them")
    return "".join(line + "\n" for line in lines)


def _describe(rule_id: str, rules: Mapping[str, Rule]) -> tuple[str, str]:
    """Return a rule's one-line description and its reason (for SARIF, statistics)."""
    rule = rules.get(rule_id)
    if rule is not None:
        short = _PLACEHOLDER.sub("…", rule.message)  # messages are templates: "“{match}” is spinner output ..."
        return short, rule.why or short
    if rule_id in _BUILT_IN:
        return _BUILT_IN[rule_id]
    engine = rule_id.split(".")[1] if rule_id.startswith("grammar.") and rule_id.count(".") >= 2 else ""
    if engine:
        return f"Grammar engine {engine}: {rule_id.split('.', 2)[2]}.", f"Reported by the {engine} grammar engine; only allowlisted findings with one suggestion are applied (rules/grammar/)."
    return rule_id, rule_id


def _artifact(path: str) -> dict[str, str]:
    """A SARIF artifact location: relative paths against ``SRCROOT``, absolute ones as file URIs."""
    if Path(path).is_absolute():
        return {"uri": Path(path).as_uri()}
    return {"uri": quote(PurePosixPath(path).as_posix()), "uriBaseId": "SRCROOT"}


def _sarif(problems: Sequence[Problem], errors: Sequence[FileError], rules: Mapping[str, Rule]) -> str:
    used = sorted({p.rule for p in problems})
    results = []
    for p in problems:
        region = {"startLine": p.line, "startColumn": p.column, "endLine": p.end_line, "endColumn": max(p.end_column, p.column) if p.end_line == p.line else p.end_column}
        result: dict[str, object] = {
            "ruleId": p.rule,
            "ruleIndex": used.index(p.rule),
            "level": _SARIF_LEVEL[p.severity],
            "message": {"text": p.message + _suggestion(p)},
            "locations": [{"physicalLocation": {"artifactLocation": _artifact(p.path), "region": region}}],
        }
        if p.replacement is not None:
            change = {"artifactLocation": _artifact(p.path), "replacements": [{"deletedRegion": region, "insertedContent": {"text": p.replacement}}]}
            result["fixes"] = [{"description": {"text": f"replace with {visible(p.replacement) or '(nothing)'}"}, "artifactChanges": [change]}]
        if p.suppressed:
            result["suppressions"] = [{"kind": "inSource"}]
        results.append(result)
    notifications = [{"level": "error", "message": {"text": e.message}, "locations": [{"physicalLocation": {"artifactLocation": _artifact(e.source)}}]} for e in errors]
    descriptors = []
    for rule_id in used:
        short, why = _describe(rule_id, rules)
        descriptors.append({"id": rule_id, "shortDescription": {"text": short}, "fullDescription": {"text": why}, "help": {"text": f"{short} {why}" if why != short else short}})
    driver: dict[str, object] = {"name": "cleaner", "version": __version__, "semanticVersion": __version__, "rules": descriptors}
    if project_url():
        driver["informationUri"] = project_url()
    run: dict[str, object] = {
        "tool": {"driver": driver},
        "originalUriBaseIds": {"SRCROOT": {"uri": Path.cwd().as_uri() + "/"}},
        "columnKind": "unicodeCodePoints",
        "results": results,
        "invocations": [{"executionSuccessful": not errors, "toolExecutionNotifications": notifications}],
    }
    sarif = {"$schema": "https://json.schemastore.org/sarif-2.1.0.json", "version": "2.1.0", "runs": [run]}
    return json.dumps(sarif, indent=2, ensure_ascii=False) + "\n"


def _checkstyle(problems: Sequence[Problem], errors: Sequence[FileError], rules: Mapping[str, Rule]) -> str:
    from xml.sax.saxutils import quoteattr  # here, not at start-up: it imports urllib.request, http and ssl

    by_file: dict[str, list[str]] = {}
    for p in problems:
        if p.suppressed:
            continue
        by_file.setdefault(p.path, []).append(
            f'    <error line="{p.line}" column="{p.column}" severity="{p.severity.label}" message={quoteattr(p.message + _suggestion(p))} source={quoteattr(p.rule)}/>'
        )
    for e in errors:
        by_file.setdefault(e.source, []).append(f'    <error line="1" severity="error" message={quoteattr(e.message)} source="cleaner.input-error"/>')
    out = ['<?xml version="1.0" encoding="UTF-8"?>', f'<checkstyle version="{__version__}">']
    for path in sorted(by_file):
        out += [f"  <file name={quoteattr(path)}>", *by_file[path], "  </file>"]
    out.append("</checkstyle>")
    return "\n".join(out) + "\n"


def _rdjson(problems: Sequence[Problem], errors: Sequence[FileError], rules: Mapping[str, Rule]) -> str:
    diagnostics = []
    for p in problems:
        if p.suppressed:
            continue
        start_column, end_column = p.byte_columns or (p.column, p.end_column)
        span = {"start": {"line": p.line, "column": start_column}, "end": {"line": p.end_line, "column": end_column}}
        diagnostic: dict[str, object] = {"message": p.message, "location": {"path": p.path, "range": span}, "severity": _RDJSON_LEVEL[p.severity], "code": {"value": p.rule}}
        if p.replacement is not None:
            diagnostic["suggestions"] = [{"range": span, "text": p.replacement}]
        diagnostics.append(diagnostic)
    diagnostics += [{"message": e.message, "location": {"path": e.source}, "severity": "ERROR", "code": {"value": "cleaner.input-error"}} for e in errors]
    source = {"name": "cleaner", **({"url": project_url()} if project_url() else {})}
    return json.dumps({"source": source, "severity": "WARNING", "diagnostics": diagnostics}, indent=2, ensure_ascii=False) + "\n"
