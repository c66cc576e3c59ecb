"""Measure spin repair against a hand-annotated gold file (``tests/gold/*.gold.tsv``).

The gold lists every span the spinner rewrote, found by a unique context snippet, with
the repairs a reader would accept; ``optional`` spans left correct English behind. The
evaluation runs the pipeline and judges the spin edits on the spin stage's
input: a span is *repaired* when the edits covering it produce an acceptable repair,
*missed* otherwise; an edit touching no annotated span is *outside* (a wrong edit).
Word error rate is measured against the gold text (every required span repaired with
its first repair), before and after cleaning.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from cleaner.api import CleanResult
from cleaner.model import Edit


@dataclass(frozen=True, slots=True)
class GoldSpan:
    """One annotated spinner substitution."""

    context: str
    spun: str
    repairs: tuple[str, ...]
    required: bool


@dataclass(slots=True)
class Evaluation:
    """Counts of one document's evaluation."""

    required: int = 0
    repaired: int = 0
    missed: list[str] = field(default_factory=list)
    optional_repaired: int = 0
    outside: list[str] = field(default_factory=list)
    wer_before: float = 0.0
    wer_after: float = 0.0

    @property
    def rate(self) -> float:
        """Share of required spans repaired."""
        return self.repaired / self.required if self.required else 1.0


def read_gold(path: Path) -> list[GoldSpan]:
    """Parse a gold TSV file (``#`` lines are comments)."""
    spans = []
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip() or line.startswith("#"):
            continue
        context, spun, repairs, kind = line.split("\t")
        if spun not in context or kind not in ("required", "optional"):
            raise ValueError(f"{path}:{number}: span not in context, or kind not required/optional")
        spans.append(GoldSpan(context, spun, tuple(repairs.split("/")), kind == "required"))
    return spans


def locate(text: str, span: GoldSpan) -> tuple[int, int]:
    """Return the span's offsets in ``text``; the context must occur exactly once."""
    found = text.find(span.context)
    if found < 0 or text.find(span.context, found + 1) >= 0:
        raise ValueError(f"gold context {span.context!r} must occur exactly once")
    start = found + span.context.index(span.spun)
    return start, start + len(span.spun)


def evaluate(result: CleanResult, gold: list[GoldSpan]) -> Evaluation:
    """Judge the spin edits of ``result`` against ``gold`` (on the spin stage's input)."""
    passes = [p for p in result.log.passes if p.stage == "spin"]
    base = next((p.input_text for p in result.log.passes if p.stage == "spin"), result.output)
    edits = [e for p in passes for f in p.applied for e in f.edits]
    spans = [(locate(base, g), g) for g in gold]
    evaluation = Evaluation()
    used: set[Edit] = set()
    for (start, end), span in spans:
        covering = [e for e in edits if e.start < end and start < e.end or (e.start == e.end == start)]
        used.update(covering)
        neighbours = [(s, g) for s, g in spans if g is not span and g.required]
        ok = bool(covering) and _acceptable(base, (start, end), span.repairs, covering, neighbours)
        if span.required:
            evaluation.required += 1
            if ok:
                evaluation.repaired += 1
            else:
                evaluation.missed.append(f"{span.spun!r} in {span.context!r}")
        elif ok:
            evaluation.optional_repaired += 1
    evaluation.outside = [f"{e.before!r} → {e.after!r} at {e.start}" for e in edits if e not in used]
    reference = _gold_text(base, spans)
    evaluation.wer_before = word_error_rate(base, reference)
    evaluation.wer_after = word_error_rate(_apply(base, edits), reference)
    return evaluation


def _acceptable(
    text: str,
    span: tuple[int, int],
    repairs: tuple[str, ...],
    covering: list[Edit],
    neighbours: list[tuple[tuple[int, int], GoldSpan]],
) -> bool:
    """Tell whether the covering edits turn the span into one of ``repairs``.

    One rule may repair two adjacent gold spans at once ("let on my own the ones" ->
    "let alone those"), so other gold spans inside the edited region are expected in
    their repaired form too.
    """
    start, end = span
    low = min(start, *(e.start for e in covering))
    high = max(end, *(e.end for e in covering))
    actual = _apply(text[low:high], [Edit(e.start - low, e.end - low, e.before, e.after) for e in covering]).lower()
    inside = [(s, e, g.repairs[0]) for (s, e), g in neighbours if low <= s and e <= high and not (s < end and start < e)]
    for repair in repairs:
        wanted = [Edit(s - low, e - low, text[s:e], r) for s, e, r in [*inside, (start, end, repair)]]
        if _apply(text[low:high], wanted).lower() == actual:
            return True
    return False


def _apply(text: str, edits: list[Edit]) -> str:
    """Apply non-overlapping edits."""
    from cleaner.edits import splice

    return splice(text, edits)


def _gold_text(text: str, spans: list[tuple[tuple[int, int], GoldSpan]]) -> str:
    """Return the text with every required span replaced by its first repair."""
    edits = [Edit(s, e, text[s:e], g.repairs[0]) for (s, e), g in spans if g.required]
    chosen: list[Edit] = []
    for edit in sorted(edits, key=lambda x: x.start):
        if not chosen or edit.start >= chosen[-1].end:
            chosen.append(edit)
    return _apply(text, chosen)


def word_error_rate(hypothesis: str, reference: str) -> float:
    """Word-level edit distance divided by the reference length.

    >>> word_error_rate("a b c", "a x c")
    0.3333
    """
    hyp, ref = hypothesis.lower().split(), reference.lower().split()
    previous = list(range(len(hyp) + 1))
    for i, r in enumerate(ref, 1):
        current = [i]
        for j, h in enumerate(hyp, 1):
            current.append(min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (r != h)))
        previous = current
    return round(previous[-1] / max(len(ref), 1), 4)
