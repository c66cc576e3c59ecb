"""A self-contained HTML review page: before and after side by side, every edit explained.

One file, no scripts and no network resources (styles inline, charts as inline SVG),
so it can be attached to a CI run and opened anywhere. At the top, a summary: documents,
spun ones, edits by stage, problems left, a link to each document. Each document gets:

* the input and the output side by side, paragraph by paragraph in one scrolling
  grid (so the two stay aligned), with line numbers of each text; every edit of the
  log is highlighted in both (what was removed on the left, what replaced it on the
  right) and names its stage, rule and reason on hover; whitespace an edit changes is
  drawn (``·`` space, ``⍽`` no-break space, ``→`` tab, ``¶`` line break), and a
  monospace switch (a checkbox, no script) lines up spacing;
* the spin verdict before and after cleaning, with the evidence;
* readability before and after as a small bar chart;
* the problems that remain after cleaning, listed and highlighted in the output.

The highlights are a view of the edit log: each edit's span in the text its stage
received is mapped back to the input and forward to the output.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from html import escape

from cleaner.api import CleanResult
import re
from collections import Counter

from cleaner.config import Config
from cleaner.document import line_index
from cleaner.edits import map_forward, to_input_offset, to_output_offset
from cleaner.model import Applicability, SkipReason

_STYLE = """
body{font:15px/1.5 system-ui,sans-serif;margin:0;color:#1d1d1f;background:#f6f6f4}
header{padding:16px 24px;background:#23374d;color:#fff}header h1{margin:0;font-size:20px}
section.doc{margin:18px 24px;padding:16px;background:#fff;border:1px solid #ddd;border-radius:8px}
h2{font-size:17px;margin:0 0 8px}.meta{display:flex;gap:24px;flex-wrap:wrap;align-items:flex-start}
.verdict{padding:2px 8px;border-radius:4px;font-weight:600}.repaired{background:#fdf0d5;color:#7a4b00}.spun{background:#fde2e1;color:#9b1c1c}.clean{background:#dcf5e3;color:#14532d}
.sides{display:grid;grid-template-columns:1fr 1fr;column-gap:16px;margin-top:12px;max-height:680px;overflow:auto;border:1px solid #e3e3e3;border-radius:6px;padding:0 10px}
.sides h3{font:600 13px system-ui;margin:0;padding:6px 0;color:#555;position:sticky;top:0;background:#fff;z-index:5}
.side{white-space:pre-wrap;font:14px/1.55 Georgia,serif;padding:4px 0 4px 3.2em;border-top:1px solid #f0f0f0;position:relative;overflow-wrap:anywhere}
#mono:checked~main .side{font:13px/1.55 ui-monospace,Menlo,Consolas,monospace}
.ln{position:absolute;left:0;width:2.6em;text-align:right;color:#9a9a9a;font:11px/2 ui-monospace,monospace;user-select:none}
.ln::before{content:attr(data-n)}.ws{color:#c0392b;opacity:.8}
mark.f{background:#fff2a8;border-bottom:2px solid #d4a017}
.summary{margin:18px 24px;padding:12px 16px;background:#fff;border:1px solid #ddd;border-radius:8px}.summary td.n{text-align:right}
.switch{margin:10px 24px 0;display:inline-block;font-size:13px}
del.e{background:#ffd7d5;text-decoration:line-through;text-decoration-color:#c0392b}
ins.e{background:#c8f7c5;text-decoration:none}
.e:hover::after{content:attr(data-tip);position:absolute;margin-top:1.6em;z-index:9;width:max-content;max-width:420px;
white-space:normal;font:12px/1.4 system-ui;background:#222;color:#fff;padding:6px 8px;border-radius:4px}
.stage-normalise{outline:1px dotted #7a7a7a}.stage-structure{outline:1px dotted #8e44ad}.stage-grammar{outline:1px dotted #2471a3}
table{border-collapse:collapse;font-size:13px;margin-top:8px}td,th{border-bottom:1px solid #eee;padding:3px 8px;text-align:left;vertical-align:top}
.sev-error{color:#9b1c1c;font-weight:600}.sev-warning{color:#8a5a00}.sev-info{color:#555}
"""


@dataclass(frozen=True, slots=True)
class Mark:
    """A highlighted span of the input or the output, with what explains it."""

    start: int
    end: int
    stage: str
    rule: str
    reason: str


def marks(result: CleanResult) -> tuple[list[Mark], list[Mark]]:
    """Return the edit log as highlights on the input (removed) and the output (inserted)."""
    removed: list[Mark] = []
    inserted: list[Mark] = []
    for index, stage_pass in enumerate(result.log.passes):
        shift = 0  # where each edit's replacement starts in this pass's output
        for edit, fix in sorted(((e, f) for f in stage_pass.applied for e in f.edits), key=lambda pair: (pair[0].start, pair[0].end)):
            start = to_input_offset(result.log, index, edit.start)
            end = max(start, to_input_offset(result.log, index, edit.end))
            removed.append(Mark(start, end, stage_pass.stage, fix.rule_id, fix.message))
            new_start = edit.start + shift
            shift += len(edit.after) - (edit.end - edit.start)
            out_start = to_output_offset(result.log, index, new_start)
            out_end = max(out_start, to_output_offset(result.log, index, new_start + len(edit.after)))
            inserted.append(Mark(out_start, out_end, stage_pass.stage, fix.rule_id, fix.message))
    return removed, inserted


_WHITESPACE = {" ": "·", "\u00a0": "⍽", "\t": "→", "\n": "¶\n", "\r": "␍"}
_WHITESPACE_RUN = re.compile("[ \u00a0\t\n\r\u2000-\u200b\u202f\u3000]+")


def _shown(body: str) -> str:
    """Escape an edit's text, drawing its whitespace (an edit of spaces is otherwise invisible).

    >>> _shown("a\u00a0b")
    'a<span class="ws">⍽</span>b'
    """
    parts, cursor = [], 0
    for match in _WHITESPACE_RUN.finditer(body):
        parts.append(escape(body[cursor : match.start()]))
        drawn = "".join(_WHITESPACE.get(ch, "␣") for ch in match.group())
        parts.append(f'<span class="ws">{escape(drawn)}</span>')
        cursor = match.end()
    parts.append(escape(body[cursor:]))
    return "".join(parts)


def highlight(text: str, spans: Sequence[Mark], tag: str, offset: int = 0) -> str:
    """Escape ``text`` (which starts at ``offset`` of its document) and wrap each span in ``<tag>``.

    Overlapping spans are merged; spans of the stage ``finding`` alone become ``<mark>``
    (a remaining problem, not an edit). An empty span (an insertion on the left, a
    deletion on the right) shows as a thin marker so the hover still explains it.
    """
    merged: list[tuple[int, int, list[Mark]]] = []
    for mark in sorted(spans, key=lambda m: (m.start, m.end)):
        start, end = max(mark.start - offset, 0), min(mark.end - offset, len(text))
        if end < start or start > len(text) or (mark.end - offset < 0):
            continue
        if merged and start < merged[-1][1]:
            first, last, group = merged[-1]
            merged[-1] = (first, max(last, end), [*group, mark])
        else:
            merged.append((start, end, [mark]))
    parts: list[str] = []
    cursor = 0
    for start, end, group in merged:
        parts.append(escape(text[cursor:start]))
        tip = " | ".join(f"{m.stage} · {m.rule} · {' '.join(m.reason.split())}" for m in group)
        edits = [m for m in group if m.stage != "finding"]
        element, head = (tag, edits[0]) if edits else ("mark", group[0])
        css = f"e stage-{head.stage}" if edits else "f"
        drawn = edits and (head.stage == "normalise" or not text[start:end].strip())  # whitespace matters there
        body = (_shown(text[start:end]) if drawn else escape(text[start:end])) or "\u200b"
        parts.append(f'<{element} class="{css}" data-rule="{escape(head.rule)}" data-tip="{escape(tip)}" title="{escape(tip)}">{body}</{element}>')
        cursor = max(cursor, end)
    parts.append(escape(text[cursor:]))
    return "".join(parts)


def numbered(html: str, first_line: int) -> str:
    """Put a line number (a CSS-drawn ``data-n``, not copied with the text) at the start of each line."""
    lines = html.split("\n")
    numbered_lines = [f'<span class="ln" data-n="{first_line + i}"></span>{line}' for i, line in enumerate(lines)]
    if len(lines) > 1 and not re.sub(r"<[^>]*>|\u200b", "", lines[-1]):
        numbered_lines[-1] = ""  # after the last line break: the next row's first line
    return "\n".join(numbered_lines)


def paragraph_rows(result: CleanResult) -> list[tuple[int, int, int, int]]:
    """Cut input and output at the same paragraph (line) starts: ``(in_start, in_end, out_start, out_end)`` rows.

    Each input paragraph start is carried through every pass's edits to the output, so
    a row holds a paragraph before cleaning and what it became; the grid keeps them side
    by side however long either is.
    """
    text = result.input_text
    starts = [0, *(m.end() for m in re.finditer(r"\n(?=[ \t]*\S)", text))]  # each line with text (scraped paragraphs are often one line)
    mapped = []
    for start in starts:
        offset = start
        for stage_pass in result.log.passes:
            offset = map_forward([e for f in stage_pass.applied for e in f.edits], offset)
        mapped.append(max(offset, mapped[-1] if mapped else 0))
    ends_in, ends_out = [*starts[1:], len(text)], [*mapped[1:], len(result.output)]
    return list(zip(starts, ends_in, mapped, ends_out, strict=True))


def remaining_marks(result: CleanResult) -> list[Mark]:
    """What is still wrong after cleaning, as highlights on the output (clean's count, not check's)."""
    found = []
    for index, stage_pass in enumerate(result.log.passes):
        for finding in stage_pass.findings:
            if not finding.suppressed:
                start = to_output_offset(result.log, index - 1, finding.start) if index else _through_all(result, finding.start)
                end = to_output_offset(result.log, index - 1, finding.end) if index else _through_all(result, finding.end)
                found.append(Mark(start, max(start, end), "finding", finding.rule_id, f"{finding.severity.label}: {finding.message}"))
        for skipped in stage_pass.skipped:
            if skipped.fix.applicability >= Applicability.UNSAFE and skipped.reason not in (SkipReason.SUPPRESSED, SkipReason.PROTECTED):
                start = to_output_offset(result.log, index - 1, skipped.fix.start) if index else _through_all(result, skipped.fix.start)
                found.append(Mark(start, start, "finding", skipped.fix.rule_id, f"error: {skipped.fix.message} (not applied: {skipped.reason.value})"))
    return sorted(found, key=lambda m: (m.start, m.end))


def _through_all(result: CleanResult, offset: int) -> int:
    """Map an offset of the document's input to its output."""
    for stage_pass in result.log.passes:
        offset = map_forward([e for f in stage_pass.applied for e in f.edits], offset)
    return offset


def readability_chart(result: CleanResult) -> str:
    """Return an inline SVG bar chart of Flesch reading ease and grade, before and after."""
    rows = [("Flesch reading ease", "flesch_reading_ease", 100.0), ("Flesch-Kincaid grade", "flesch_kincaid_grade", 20.0)]
    bars = []
    for i, (label, key, scale) in enumerate(rows):
        y = 10 + i * 46
        bars.append(f'<text x="0" y="{y + 10}" font-size="12">{escape(label)}</text>')
        for j, (when, colour) in enumerate((("before", "#b0b7c3"), ("after", "#23374d"))):
            value = float(result.readability.get(when, {}).get(key, 0.0))
            width = max(1.0, min(1.0, max(0.0, value) / scale) * 220)
            bars.append(f'<rect x="0" y="{y + 14 + j * 14}" width="{width:.1f}" height="11" fill="{colour}"/>')
            bars.append(f'<text x="{width + 6:.1f}" y="{y + 24 + j * 14}" font-size="11">{when} {value:g}</text>')
    return f'<svg role="img" aria-label="readability before and after" width="330" height="104" xmlns="http://www.w3.org/2000/svg">{"".join(bars)}</svg>'


def _spin_status(result: CleanResult) -> tuple[str, str, bool]:
    """Return the spin verdict (css class, words) before and after cleaning, and whether it is still spun."""
    spin = result.stages.get("spin", {})
    after = spin.get("after", {})
    still = isinstance(after, dict) and bool(after.get("spun"))
    if not spin.get("spun"):
        return "clean", "not spun", False
    if still:
        return "spun", f"still spun after cleaning (score {after.get('score', '-')})", True
    score = after.get("score", "-") if isinstance(after, dict) else "-"
    return "repaired", f"spun before cleaning, not after (score {spin.get('score', '-')} → {score})", False


def document_section(result: CleanResult, config: Config, anchor: str = "") -> str:
    """Render one document: verdict, evidence, chart, side-by-side view, remaining problems."""
    spin = result.stages.get("spin", {})
    verdict_class, verdict, _ = _spin_status(result)
    counts = sorted(dict(spin.get("rules", {})).items(), key=lambda item: -int(item[1]))  # type: ignore[call-overload]
    evidence = ", ".join(f"{escape(str(rule))} ×{count}" for rule, count in counts[:10])
    removed, inserted = marks(result)
    remaining = remaining_marks(result)
    in_lines, out_lines = line_index(result.input_text), line_index(result.output)
    rows = []
    for in_start, in_end, out_start, out_end in paragraph_rows(result):
        left = numbered(highlight(result.input_text[in_start:in_end], removed, "del", in_start), in_lines.line_col(in_start)[0])
        right = numbered(highlight(result.output[out_start:out_end], [*inserted, *remaining], "ins", out_start), out_lines.line_col(out_start)[0])
        rows.append(f'<div class="side before">{left}</div><div class="side after">{right}</div>')
    listed = "".join(
        f'<tr><td>{out_lines.line_col(m.start)[0]}:{out_lines.line_col(m.start)[1]}</td><td class="sev-{escape(m.reason.split(":", 1)[0])}">{escape(m.reason.split(":", 1)[0])}</td>'
        f"<td>{escape(m.rule)}</td><td>{escape(m.reason.split(': ', 1)[-1])}</td></tr>"
        for m in remaining
    )
    return f"""<section class="doc" id="{escape(anchor)}">
<h2>{escape(result.source)}</h2>
<div class="meta">
<div><span class="verdict {verdict_class}">{escape(verdict)}</span> spin score {spin.get("score", "-")} per 100 words before cleaning (threshold {spin.get("threshold", "-")})<br>
<small>evidence: {evidence or "none"}</small><br><small>{len(removed)} edit(s) from {len(result.log.passes)} pass(es)</small></div>
<div>{readability_chart(result)}</div>
</div>
<div class="sides"><h3>before (input)</h3><h3>after (output)</h3>
{"".join(rows)}
</div>
<h3>problems left after cleaning ({len(remaining)})</h3>
<table><tr><th>output line:col</th><th>severity</th><th>rule</th><th>message</th></tr>{listed}</table>
</section>"""


def summary_table(results: Sequence[CleanResult], anchors: Sequence[str]) -> str:
    """The page's summary: documents, spun ones, edits by stage, problems left, links to each document."""
    stages: Counter[str] = Counter()
    rows = []
    for result, anchor in zip(results, anchors, strict=True):
        edits = Counter(p.stage for p in result.log.passes for f in p.applied for _ in f.edits)
        stages.update(edits)
        verdict_class, verdict, _ = _spin_status(result)
        rows.append(
            f'<tr><td><a href="#{escape(anchor)}">{escape(result.source)}</a></td><td><span class="verdict {verdict_class}">{escape(verdict)}</span></td>'
            f'<td class="n">{sum(edits.values())}</td><td>{escape(", ".join(f"{stage} {n}" for stage, n in edits.items()) or "none")}</td>'
            f'<td class="n">{len(remaining_marks(result)) + _spin_status(result)[2]}</td></tr>'
        )
    spun = sum(1 for r in results if r.stages.get("spin", {}).get("spun"))
    still = sum(1 for r in results if _spin_status(r)[2])
    left = sum(len(remaining_marks(r)) + _spin_status(r)[2] for r in results)
    by_stage = ", ".join(f"{stage} {n}" for stage, n in stages.items()) or "none"
    return f"""<section class="summary" id="summary"><h2>Summary</h2>
<p>{len(results)} document(s); {spun} spun before cleaning, {still} still spun after; {sum(stages.values())} edit(s) ({escape(by_stage)}); {left} problem(s) left to review.</p>
<table><tr><th>document</th><th>spin</th><th>edits</th><th>by stage</th><th>problems left</th></tr>{"".join(rows)}</table></section>"""


def report_html(results: Sequence[CleanResult], config: Config, title: str = "cleaner review") -> str:
    """Render the whole review page for ``results``."""
    anchors = [f"doc-{i + 1}" for i in range(len(results))]
    body = "\n".join(document_section(r, config, a) for r, a in zip(results, anchors, strict=True))
    return f"""<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>{escape(title)}</title><style>{_STYLE}</style></head>
<body><header><h1>{escape(title)}</h1><div>{len(results)} document(s). Hover a highlight to see its stage, rule and reason.</div></header>
<input type="checkbox" id="mono"><label class="switch" for="mono">monospace text (lines up spacing)</label>
<main>
{summary_table(results, anchors)}
{body}
</main>
</body></html>
"""
