"""Measure spin repair: against the development set's JSON passages, or a gold TSV file.

Two gold formats. The development set (``../shared/spin-dev``: ``spun_NN.json`` with the
spun text, its original, annotated substitutions and clean spans; ``clean_NN.json`` with
ordinary prose) is scored exactly as its own scorer scores it (:func:`score_spun_passage`,
:func:`score_clean_passage`): substitutions repaired, clean spans damaged, word error
rate against the original, words changed in clean prose; totalled overall and per fold
(:func:`assign_folds`), so a threshold tuned on some folds can be measured on the others.

The older gold TSV (``tests/gold/*.gold.tsv``) lists every span the spinner rewrote,
found by a unique context snippet, with the repairs a reader would accept; ``optional``
spans left correct English behind. :func:`evaluate` judges the spin edits on the spin
stage's input: a span is *repaired* when the edits covering it produce an acceptable
repair, *missed* otherwise; an edit touching no annotated span is *outside* (a wrong
edit). Word error rate is measured against the gold text (every required span
repaired with its first repair), before and after cleaning.
"""

from __future__ import annotations

import bisect
import json
import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import asdict, dataclass, field
from difflib import SequenceMatcher
from pathlib import Path
from urllib.parse import urlsplit

from cleaner.api import CleanResult
from cleaner.emit.report import FileError
from cleaner.errors import InputError
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
    """Word-level edit distance divided by the reference length (words as the scorer
    tokenizes them, without case; punctuation is not a word).

    >>> round(word_error_rate("a b, c", "A x c"), 4)
    0.3333
    """
    hyp = [_norm(t) for t, _ in scoring_tokens(hypothesis) if _WORD.match(t)]
    ref = [_norm(t) for t, _ in scoring_tokens(reference) if _WORD.match(t)]
    previous = list(range(len(hyp) + 1))
    for i, r in enumerate(ref, 1):
        current = [i]
        for j, h in enumerate(hyp, 1):
            current.append(min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (r != h)))
        previous = current
    return previous[-1] / max(len(ref), 1)


# --- The development set's JSON passages (``spun_NN.json`` / ``clean_NN.json``) --------------
#
# The figures below are those of the development set's own scorer (``despin_score.py``, beside
# the set; not shipped): the same tokens, the same alignment of input and output, the same
# rules for what counts as repaired or damaged, so ``cleaner eval`` and ``score.py`` agree.

#: The scorer's tokens: words (with inner apostrophes) and single punctuation marks.
_SCORING_TOKEN = re.compile(r"\w+(?:['’]\w+)*|[^\w\s]")
_WORD = re.compile(r"\w")


@dataclass(frozen=True, slots=True)
class Annotation:
    """One annotated substitution: the spun text (once in the passage) and acceptable originals."""

    spun: str
    fixes: tuple[str, ...]
    #: The spun wording still reads as acceptable English: counted neither way.
    optional: bool = False


@dataclass(frozen=True, slots=True)
class Passage:
    """A development-set passage: spun (with gold, annotations, clean spans) or clean."""

    name: str
    site: str
    text: str
    spun: bool
    style: str = ""
    gold: str | None = None
    annotations: tuple[Annotation, ...] = ()
    clean_spans: tuple[str, ...] = ()


@dataclass(slots=True)
class PassageScore:
    """The figures of one passage (spun: repairs, damage, WER; clean: changed words)."""

    name: str
    site: str
    spun: bool
    style: str = ""
    fold: int = 0
    counted: int = 0
    repaired: int = 0
    missed: list[str] = field(default_factory=list)
    optional: int = 0
    damaged: list[str] = field(default_factory=list)
    #: Annotations or clean spans not found in the text (the scorer skips them too).
    unlocated: list[str] = field(default_factory=list)
    wer_before: float | None = None
    wer_after: float | None = None
    words: int = 0
    changed: list[str] = field(default_factory=list)


@dataclass(frozen=True, slots=True)
class Totals:
    """Figures summed over passages (WER averaged over the spun passages with a gold)."""

    passages: int
    counted: int
    repaired: int
    damaged: int
    wer_before: float
    wer_after: float
    words: int
    changed: int

    @property
    def repaired_share(self) -> float:
        """Share of counted substitutions repaired."""
        return self.repaired / max(1, self.counted)

    @property
    def changed_per_1000(self) -> float:
        """Words changed per 1,000 words of the clean passages."""
        return 1000 * self.changed / max(1, self.words)

    def as_json(self) -> dict[str, object]:
        """Return the totals as JSON-ready values."""
        return {
            "passages": self.passages,
            "counted": self.counted,
            "repaired": self.repaired,
            "repaired_share": round(self.repaired_share, 4),
            "damaged": self.damaged,
            "mean_wer_before": round(self.wer_before, 4),
            "mean_wer_after": round(self.wer_after, 4),
            "clean_words": self.words,
            "clean_changed": self.changed,
            "changed_per_1000": round(self.changed_per_1000, 2),
        }


@dataclass(frozen=True, slots=True)
class DevReport:
    """Every passage's figures, the totals and the totals of each fold."""

    passages: tuple[PassageScore, ...]
    total: Totals
    folds: tuple[tuple[tuple[str, ...], Totals], ...]

    def as_json(self) -> dict[str, object]:
        """Return the report in the ``cleaner.eval/1`` JSON form."""
        return {
            "schema": "cleaner.eval/1",
            "passages": [asdict(p) for p in self.passages],
            "total": self.total.as_json(),
            "folds": [{"fold": k + 1, "sites": list(sites), **totals.as_json()} for k, (sites, totals) in enumerate(self.folds)],
        }


def read_passage(path: Path) -> Passage:
    """Read one ``spun_*.json`` or ``clean_*.json`` file; raise :class:`InputError` naming it."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise InputError(f"{path}: not a readable JSON passage: {exc}") from None
    if not isinstance(data, dict):
        raise InputError(f"{path}: a passage is a JSON object")
    site = urlsplit(str(data.get("source_url", ""))).hostname or path.stem
    site = site.removeprefix("www.")
    if "spun" not in data:
        return Passage(path.stem, site, _string(path, data, "text"), spun=False)
    annotations = []
    for number, entry in enumerate(_list(path, data, "annotations"), 1):
        if not isinstance(entry, dict) or not isinstance(entry.get("spun"), str) or not isinstance(entry.get("fix"), list) or not entry["fix"]:
            raise InputError(f"{path}: annotation {number}: needs 'spun' (a string) and 'fix' (a list of strings)")
        annotations.append(Annotation(entry["spun"], tuple(map(str, entry["fix"])), bool(entry.get("optional", False))))
    gold = data.get("gold")
    return Passage(
        path.stem,
        site,
        _string(path, data, "spun"),
        spun=True,
        style=str(data.get("spinner_style", "")),
        gold=gold if isinstance(gold, str) else None,
        annotations=tuple(annotations),
        clean_spans=tuple(map(str, data.get("clean_spans", []))),
    )


def _string(path: Path, data: Mapping[str, object], key: str) -> str:
    """Return a required string field of a passage."""
    value = data.get(key)
    if not isinstance(value, str):
        raise InputError(f"{path}: field {key!r}: a string is required")
    return value


def _list(path: Path, data: Mapping[str, object], key: str) -> list[object]:
    """Return a list field of a passage (absent: empty)."""
    value = data.get(key, [])
    if not isinstance(value, list):
        raise InputError(f"{path}: field {key!r}: a list is required")
    return value


def read_dev_set(paths: Sequence[Path]) -> tuple[list[Passage], list[FileError]]:
    """Read passages from files and folders (a folder: its ``*.json``, sorted by name).

    A file that cannot be read is an error for that file; the others are still read.
    """
    passages: list[Passage] = []
    errors: list[FileError] = []
    for path in paths:
        for file in sorted(path.glob("*.json")) if path.is_dir() else [path]:
            try:
                passages.append(read_passage(file))
            except InputError as exc:
                errors.append(FileError(file.as_posix(), exc.one_line()))
    return passages, errors


def scoring_tokens(text: str) -> list[tuple[str, int]]:
    """Split ``text`` into the scorer's tokens with their offsets.

    >>> scoring_tokens("Russia’s bank, 8.5%")
    [('Russia’s', 0), ('bank', 9), (',', 13), ('8', 15), ('.', 16), ('5', 17), ('%', 18)]
    """
    return [(m.group(0), m.start()) for m in _SCORING_TOKEN.finditer(text)]


def _norm(token: str) -> str:
    """Compare tokens without case and with one apostrophe."""
    return token.lower().replace("’", "'")


def _norms(text: str) -> list[str]:
    """Return the normalised tokens of ``text``."""
    return [_norm(t) for t, _ in scoring_tokens(text)]


def _alignment(before: Sequence[tuple[str, int]], after: Sequence[tuple[str, int]]) -> dict[int, int]:
    """Map each token of ``before`` that survives unchanged to its index in ``after``."""
    matcher = SequenceMatcher(None, [_norm(t) for t, _ in before], [_norm(t) for t, _ in after], autojunk=False)
    return {block.a + k: block.b + k for block in matcher.get_matching_blocks() for k in range(block.size)}


def _token_range(tokens: Sequence[tuple[str, int]], start: int, end: int) -> tuple[int, int] | None:
    """Return the indexes ``[first, past)`` of the tokens lying wholly in ``[start, end)``."""
    inside = [i for i, (t, o) in enumerate(tokens) if o >= start and o + len(t) <= end]
    return (inside[0], inside[-1] + 1) if inside else None


def _differences(before: list[str], after: list[str]) -> list[tuple[list[str], list[str]]]:
    """Return the segments that differ between two token lists, as (before, after) pairs."""
    matcher = SequenceMatcher(None, before, after, autojunk=False)
    return [(before[i1:i2], after[j1:j2]) for op, i1, i2, j1, j2 in matcher.get_opcodes() if op != "equal"]


def _holds(tokens: list[str], needle: list[str]) -> bool:
    """Tell whether ``needle`` occurs in ``tokens`` as a contiguous run (an empty one always does)."""
    width = len(needle)
    return not needle or any(tokens[i : i + width] == needle for i in range(len(tokens) - width + 1))


def _is_repaired(region: list[str], spun: list[str], fixes: Sequence[str]) -> bool:
    """Tell whether the output ``region`` around a spun span holds one of its fixes.

    Each segment in which a fix differs from the spun text must appear in its fixed form
    (so a fix of several places is checked place by place), and its spun form must be
    gone unless the fix itself contains it.
    """
    for fix in fixes:
        wanted = _norms(fix)
        if wanted == spun:
            continue
        if all(_holds(region, new) and (not old or not _holds(region, old) or _holds(wanted, old)) for old, new in _differences(spun, wanted)):
            return True
    return False


def score_spun_passage(passage: Passage, cleaned: str) -> PassageScore:
    """Score the cleaned text of a spun passage against its annotations, clean spans and gold.

    An annotation is found in the input and the output region that replaced it is taken
    between the nearest unchanged tokens either side (one token of margin included). An
    annotation whose spun text is among its fixes, or marked optional, is not counted.
    A clean span is damaged when any of its tokens did not survive unchanged.
    """
    before, after = scoring_tokens(passage.text), scoring_tokens(cleaned)
    aligned = _alignment(before, after)
    survivors = sorted(aligned)
    result = PassageScore(passage.name, passage.site, True, passage.style)
    for annotation in passage.annotations:
        found = passage.text.find(annotation.spun)
        span = _token_range(before, found, found + len(annotation.spun)) if found >= 0 else None
        if span is None:
            result.unlocated.append(annotation.spun)
            continue
        spun = _norms(annotation.spun)
        if annotation.optional or any(_norms(f) == spun for f in annotation.fixes):
            result.optional += 1
            continue
        first, past = span
        left = bisect.bisect_left(survivors, first) - 1
        right = bisect.bisect_left(survivors, past)
        region_start = aligned[survivors[left]] + 1 if left >= 0 else 0
        region_end = aligned[survivors[right]] if right < len(survivors) else len(after)
        region = [_norm(t) for t, _ in after[max(0, region_start - 1) : region_end + 1]]
        result.counted += 1
        if _is_repaired(region, spun, annotation.fixes):
            result.repaired += 1
        else:
            result.missed.append(annotation.spun)
    for clean_span in passage.clean_spans:
        found = passage.text.find(clean_span)
        span = _token_range(before, found, found + len(clean_span)) if found >= 0 else None
        if span is None:
            result.unlocated.append(clean_span)
        elif not all(i in aligned for i in range(*span)):
            result.damaged.append(clean_span)
    if passage.gold is not None:
        result.wer_before = word_error_rate(passage.text, passage.gold)
        result.wer_after = word_error_rate(cleaned, passage.gold)
    return result


def score_clean_passage(passage: Passage, cleaned: str) -> PassageScore:
    """Count the words of a clean passage that did not come through unchanged."""
    before = scoring_tokens(passage.text)
    aligned = _alignment(before, scoring_tokens(cleaned))
    words = [i for i, (t, _) in enumerate(before) if t[0].isalnum()]
    changed = [before[i][0] for i in words if i not in aligned]
    return PassageScore(passage.name, passage.site, False, words=len(words), changed=changed)


def score_passage(passage: Passage, cleaned: str) -> PassageScore:
    """Score a passage of either kind."""
    return score_spun_passage(passage, cleaned) if passage.spun else score_clean_passage(passage, cleaned)


def assign_folds(passages: Sequence[Passage], folds: int) -> dict[str, int]:
    """Split the passages into ``folds`` groups by site, deterministically; return name -> fold.

    All passages of a site share a fold (a spinner's site is seen whole or not at all).
    The sites of spun passages, sorted by name, are dealt to folds 0, 1, ... in turn, then
    the sites only clean passages come from, continuing the deal: every fold gets spun and
    clean passages, and the split depends on nothing but the site names.

    >>> ps = [Passage("s1", "b.com", "", True), Passage("s2", "a.com", "", True), Passage("c1", "c.org", "", False)]
    >>> assign_folds(ps, 2)
    {'s1': 1, 's2': 0, 'c1': 0}
    """
    spun_sites = sorted({p.site for p in passages if p.spun})
    clean_sites = sorted({p.site for p in passages if not p.spun} - set(spun_sites))
    fold_of = {site: k % folds for k, site in enumerate(spun_sites + clean_sites)}
    return {p.name: fold_of[p.site] for p in passages}


def total(scores: Sequence[PassageScore]) -> Totals:
    """Sum the figures of ``scores``."""
    with_gold = [s for s in scores if s.wer_before is not None and s.wer_after is not None]
    return Totals(
        passages=len(scores),
        counted=sum(s.counted for s in scores),
        repaired=sum(s.repaired for s in scores),
        damaged=sum(len(s.damaged) for s in scores),
        wer_before=sum(s.wer_before or 0.0 for s in with_gold) / max(1, len(with_gold)),
        wer_after=sum(s.wer_after or 0.0 for s in with_gold) / max(1, len(with_gold)),
        words=sum(s.words for s in scores),
        changed=sum(len(s.changed) for s in scores),
    )


def evaluate_dev_set(passages: Sequence[Passage], clean: Callable[[Passage], str], folds: int = 3) -> DevReport:
    """Clean every passage with ``clean`` and score it; total overall and per fold."""
    fold_of = assign_folds(passages, folds)
    scores = []
    for passage in passages:
        score = score_passage(passage, clean(passage))
        score.fold = fold_of[passage.name] + 1
        scores.append(score)
    by_fold = []
    for k in range(1, folds + 1):
        members = [s for s in scores if s.fold == k]
        by_fold.append((tuple(sorted({s.site for s in members})), total(members)))
    return DevReport(tuple(scores), total(scores), tuple(by_fold))


def summary_line(label: str, totals: Totals) -> str:
    """Return one line of totals, worded as the development set's ``score.py`` words them."""
    return (
        f"{label}: repaired {totals.repaired}/{totals.counted} ({totals.repaired_share:.0%}), damaged {totals.damaged} clean spans, "
        f"mean WER {totals.wer_before:.1%} -> {totals.wer_after:.1%}; clean passages: {totals.changed} of {totals.words} words changed "
        f"({totals.changed_per_1000:.2f} per 1,000)"
    )


#: Missed substitutions listed per passage in the text report (JSON lists them all).
MISSED_SHOWN = 6


def render_text(report: DevReport) -> str:
    """Render the report as ``score.py`` prints it, then one line per fold."""
    lines = []
    for s in report.passages:
        if s.spun:
            wer = f", WER {s.wer_before:.1%} -> {s.wer_after:.1%}" if s.wer_before is not None and s.wer_after is not None else ""
            lines.append(f"{s.name} ({s.style or '?'}): repaired {s.repaired}/{s.counted}, damaged {len(s.damaged)}{wer}")
            lines += [f"    missed: {m}" for m in s.missed[:MISSED_SHOWN]]
            if len(s.missed) > MISSED_SHOWN:
                lines.append(f"    ... and {len(s.missed) - MISSED_SHOWN} more missed (--format json lists them all)")
            lines += [f"    DAMAGED: {d}" for d in s.damaged]
        elif s.changed:
            lines.append(f"{s.name}: changed words {s.changed[:10]}")
        lines += [f"    not found in the text: {u!r}" for u in s.unlocated]
    for k, (sites, totals) in enumerate(report.folds, 1):
        lines.append(summary_line(f"fold {k} of {len(report.folds)} ({', '.join(sites)})", totals))
    lines.append(summary_line("dev set", report.total))
    return "\n".join(lines)


def unmet_targets(totals: Totals, *, min_repaired: float | None = None, max_damaged: int | None = None, max_changed_per_1000: float | None = None) -> list[str]:
    """Return one line per target the totals miss (targets left as ``None`` are not checked)."""
    unmet = []
    if min_repaired is not None and totals.repaired_share < min_repaired:
        unmet.append(f"repaired {totals.repaired_share:.1%} of counted substitutions, below the target {min_repaired:.1%}")
    if max_damaged is not None and totals.damaged > max_damaged:
        unmet.append(f"{totals.damaged} damaged clean spans, above the target {max_damaged}")
    if max_changed_per_1000 is not None and totals.changed_per_1000 > max_changed_per_1000:
        unmet.append(f"{totals.changed_per_1000:.2f} words changed per 1,000 in clean passages, above the target {max_changed_per_1000}")
    return unmet
