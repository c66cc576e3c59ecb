"""Render ``cleaner check`` problems for people and for the tools CI already runs.

* ``text``: ``file:line:col: severity rule: message (suggest: ...)``, for people;
* ``json``: the documented ``cleaner.check/1`` schema (see README);
* ``github``: workflow commands that annotate lines of a pull request;
* ``sarif``: SARIF 2.1.0, for code-scanning tools;
* ``checkstyle``: Checkstyle XML, read by most review bots;
* ``rdjson``: reviewdog's diagnostic JSON.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping, Sequence
from xml.sax.saxutils import quoteattr

from cleaner import __version__
from cleaner.checks import Problem
from cleaner.emit.report import FileError, visible
from cleaner.model import Severity

FORMATS = ("text", "json", "github", "sarif", "checkstyle", "rdjson")
_SARIF_LEVEL = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.INFO: "note"}
_GITHUB_LEVEL = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.INFO: "notice"}
_RDJSON_LEVEL = {Severity.ERROR: "ERROR", Severity.WARNING: "WARNING", Severity.INFO: "INFO"}


def render(output_format: str, problems: Sequence[Problem], errors: Sequence[FileError], rules: Mapping[str, str]) -> str:
    """Render ``problems`` (and input errors) in ``output_format``; ``rules`` maps ids to help text."""
    renderers: dict[str, Callable[[Sequence[Problem], Sequence[FileError], Mapping[str, str]], str]] = {
        "text": _text,
        "json": _json,
        "github": _github,
        "sarif": _sarif,
        "checkstyle": _checkstyle,
        "rdjson": _rdjson,
    }
    return renderers[output_format](problems, errors, rules)


def _text(problems: Sequence[Problem], errors: Sequence[FileError], rules: Mapping[str, str]) -> str:
    lines = []
    for p in problems:
        suggestion = f" (suggest: {p.suggestion})" if p.suggestion else ""
        marker = " [suppressed]" if p.suppressed else ""
        lines.append(f"{visible(p.path)}:{p.line}:{p.column}: {p.severity.label} {p.rule}: {p.message}{suggestion}{marker}")
    return "".join(line + "\n" for line in lines)


def _json(problems: Sequence[Problem], errors: Sequence[FileError], rules: Mapping[str, str]) -> str:
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


def _github(problems: Sequence[Problem], errors: Sequence[FileError], rules: Mapping[str, str]) -> str:
    lines = []
    for p in problems:
        if p.suppressed:
            continue
        props = f"file={_escape_github(p.path, property_value=True)},line={p.line},col={p.column},endLine={p.end_line},endColumn={p.end_column},title={_escape_github(p.rule, property_value=True)}"
        suggestion = f" (suggest: {p.suggestion})" if p.suggestion else ""
        lines.append(f"::{_GITHUB_LEVEL[p.severity]} {props}::{_escape_github(p.message + suggestion)}")
    lines += [f"::error file={_escape_github(e.source, property_value=True)}::{_escape_github(e.message)}" for e in errors]
    return "".join(line + "\n" for line in lines)


def _sarif(problems: Sequence[Problem], errors: Sequence[FileError], rules: Mapping[str, str]) -> str:
    used = sorted({p.rule for p in problems})
    results = []
    for p in problems:
        result: dict[str, object] = {
            "ruleId": p.rule,
            "ruleIndex": used.index(p.rule),
            "level": _SARIF_LEVEL[p.severity],
            "message": {"text": p.message + (f" (suggest: {p.suggestion})" if p.suggestion else "")},
            "locations": [
                {
                    "physicalLocation": {
                        "artifactLocation": {"uri": p.path},
                        "region": {"startLine": p.line, "startColumn": p.column, "endLine": p.end_line, "endColumn": max(p.end_column, p.column)},
                    }
                }
            ],
        }
        if p.suppressed:
            result["suppressions"] = [{"kind": "inSource"}]
        results.append(result)
    notifications = [{"level": "error", "message": {"text": e.message}, "locations": [{"physicalLocation": {"artifactLocation": {"uri": e.source}}}]} for e in errors]
    run: dict[str, object] = {
        "tool": {
            "driver": {
                "name": "cleaner",
                "version": __version__,
                "informationUri": "https://pypi.org/project/cleaner/",
                "rules": [{"id": r, "shortDescription": {"text": rules.get(r, r)}} for r in used],
            }
        },
        "results": results,
        "invocations": [{"executionSuccessful": not errors, "toolExecutionNotifications": notifications}],
    }
    sarif = {"$schema": "https://json.schemastore.org/sarif-2.1.0.json", "version": "2.1.0", "runs": [run]}
    return json.dumps(sarif, indent=2, ensure_ascii=False) + "\n"


def _checkstyle(problems: Sequence[Problem], errors: Sequence[FileError], rules: Mapping[str, str]) -> str:
    by_file: dict[str, list[str]] = {}
    for p in problems:
        if p.suppressed:
            continue
        message = p.message + (f" (suggest: {p.suggestion})" if p.suggestion else "")
        by_file.setdefault(p.path, []).append(
            f'    <error line="{p.line}" column="{p.column}" severity="{p.severity.label}" message={quoteattr(message)} source={quoteattr(p.rule)}/>'
        )
    for e in errors:
        by_file.setdefault(e.source, []).append(f'    <error line="1" severity="error" message={quoteattr(e.message)} source="cleaner.input-error"/>')
    out = ['<?xml version="1.0" encoding="UTF-8"?>', f'<checkstyle version="{__version__}">']
    for path in sorted(by_file):
        out += [f"  <file name={quoteattr(path)}>", *by_file[path], "  </file>"]
    out.append("</checkstyle>")
    return "\n".join(out) + "\n"


def _rdjson(problems: Sequence[Problem], errors: Sequence[FileError], rules: Mapping[str, str]) -> str:
    diagnostics = []
    for p in problems:
        if p.suppressed:
            continue
        diagnostic: dict[str, object] = {
            "message": p.message,
            "location": {"path": p.path, "range": {"start": {"line": p.line, "column": p.column}, "end": {"line": p.end_line, "column": p.end_column}}},
            "severity": _RDJSON_LEVEL[p.severity],
            "code": {"value": p.rule},
        }
        if p.replacement is not None:
            diagnostic["suggestions"] = [{"range": diagnostic["location"]["range"], "text": p.replacement}]  # type: ignore[index]
        diagnostics.append(diagnostic)
    diagnostics += [{"message": e.message, "location": {"path": e.source}, "severity": "ERROR", "code": {"value": "cleaner.input-error"}} for e in errors]
    return json.dumps({"source": {"name": "cleaner", "url": "https://pypi.org/project/cleaner/"}, "severity": "WARNING", "diagnostics": diagnostics}, indent=2, ensure_ascii=False) + "\n"
