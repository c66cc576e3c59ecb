"""A self-contained HTML review page: before and after side by side, every edit explained.

One file, no scripts and no network resources (styles inline, charts as inline SVG),
so it can be attached to a CI run and opened anywhere. Each document gets:

* the input and the output side by side; every edit of the log is highlighted in
  both (what was removed on the left, what replaced it on the right) and names its
  stage, rule and reason on hover;
* the spin score with the evidence that produced it;
* readability before and after as a small bar chart;
* the problems that remain (as ``cleaner check`` reports them).

The highlights are a view of the edit log: each edit's span in the text its stage
received is mapped back to the input and forward to the output.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from html import escape

from cleaner.api import CleanResult
from cleaner.checks import problems_of
from cleaner.config import Config
from cleaner.edits import to_input_offset, to_output_offset
from cleaner.model import Severity

_STYLE = """
body{font:15px/1.5 system-ui,sans-serif;margin:0;color:#1d1d1f;background:#f6f6f4}
header{padding:16px 24px;background:#23374d;color:#fff}header h1{margin:0;font-size:20px}
section.doc{margin:18px 24px;padding:16px;background:#fff;border:1px solid #ddd;border-radius:8px}
h2{font-size:17px;margin:0 0 8px}.meta{display:flex;gap:24px;flex-wrap:wrap;align-items:flex-start}
.verdict{padding:2px 8px;border-radius:4px;font-weight:600}.spun{background:#fde2e1;color:#9b1c1c}.clean{background:#dcf5e3;color:#14532d}
.sides{display:grid;grid-template-columns:1fr 1fr;gap:16px;margin-top:12px}
.side{white-space:pre-wrap;font:14px/1.55 Georgia,serif;border:1px solid #e3e3e3;padding:10px;border-radius:6px;max-height:640px;overflow:auto}
.side h3{font:600 13px system-ui;margin:0 0 6px;color:#555}
del.e{background:#ffd7d5;text-decoration:line-through;text-decoration-color:#c0392b;position:relative}
ins.e{background:#c8f7c5;text-decoration:none;position:relative}
.e:hover::after{content:attr(data-tip);position:absolute;left:0;top:1.6em;z-index:9;width:max-content;max-width:420px;
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


def highlight(text: str, spans: Sequence[Mark], tag: str) -> str:
    """Escape ``text`` and wrap each span in ``<tag>``; overlapping spans are merged.

    An empty span (an insertion on the left, a deletion on the right) shows as a
    thin marker so the hover still explains it.
    """
    merged: list[tuple[int, int, list[Mark]]] = []
    for mark in sorted(spans, key=lambda m: (m.start, m.end)):
        if merged and mark.start < merged[-1][1]:
            start, end, group = merged[-1]
            merged[-1] = (start, max(end, mark.end), [*group, mark])
        else:
            merged.append((mark.start, mark.end, [mark]))
    parts: list[str] = []
    cursor = 0
    for start, end, group in merged:
        parts.append(escape(text[cursor:start]))
        tip = " | ".join(f"{m.stage} · {m.rule} · {m.reason}" for m in group)
        body = escape(text[start:end]) or "\u200b"
        parts.append(f'<{tag} class="e stage-{group[0].stage}" data-rule="{escape(group[0].rule)}" data-tip="{escape(tip)}" title="{escape(tip)}">{body}</{tag}>')
        cursor = max(cursor, end)
    parts.append(escape(text[cursor:]))
    return "".join(parts)


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


def document_section(result: CleanResult, config: Config) -> str:
    """Render one document: verdict, evidence, chart, side-by-side view, remaining problems."""
    spin = result.stages.get("spin", {})
    spun = bool(spin.get("spun"))
    counts = sorted(dict(spin.get("rules", {})).items(), key=lambda item: -int(item[1]))  # type: ignore[call-overload]
    evidence = ", ".join(f"{escape(str(rule))} ×{count}" for rule, count in counts[:10])
    removed, inserted = marks(result)
    remaining = [p for p in problems_of(result, config) if p.rule.startswith(("grammar.", "spin.fallback")) or p.severity >= Severity.ERROR]
    rows = "".join(
        f'<tr><td>{p.line}:{p.column}</td><td class="sev-{p.severity.label}">{p.severity.label}</td><td>{escape(p.rule)}</td><td>{escape(p.message)}'
        f'{" → " + escape(p.suggestion) if p.suggestion else ""}</td></tr>'
        for p in remaining
    )
    return f"""<section class="doc">
<h2>{escape(result.source)}</h2>
<div class="meta">
<div><span class="verdict {"spun" if spun else "clean"}">{"spun" if spun else "not spun"}</span> spin score {spin.get("score", "-")} per 100 words (threshold {spin.get("threshold", "-")})<br>
<small>evidence: {evidence or "none"}</small><br><small>{len(removed)} edit(s) from {len(result.log.passes)} pass(es)</small></div>
<div>{readability_chart(result)}</div>
</div>
<div class="sides">
<div class="side before"><h3>before</h3>{highlight(result.input_text, removed, "del")}</div>
<div class="side after"><h3>after</h3>{highlight(result.output, inserted, "ins")}</div>
</div>
<h3>remaining findings ({len(remaining)})</h3>
<table><tr><th>line:col</th><th>severity</th><th>rule</th><th>message</th></tr>{rows}</table>
</section>"""


def report_html(results: Sequence[CleanResult], config: Config, title: str = "cleaner review") -> str:
    """Render the whole review page for ``results``."""
    body = "\n".join(document_section(r, config) for r in results)
    return f"""<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>{escape(title)}</title><style>{_STYLE}</style></head>
<body><header><h1>{escape(title)}</h1><div>{len(results)} document(s). Hover a highlight to see its stage, rule and reason.</div></header>
{body}
</body></html>
"""
