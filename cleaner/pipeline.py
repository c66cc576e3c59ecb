"""The pipeline: the one place the stage order is written down.

    bytes ─ ingest ─▶ text ─ normalise ─ structure ─ spin ─ grammar ─▶ cleaned text
                                                                     └─ readability (before/after)

Each text stage *proposes* fixes for the text it receives; the pipeline alone applies
them (:func:`cleaner.edits.apply_fixes`), records a :class:`~cleaner.model.StagePass`,
and repeats the stage until it proposes nothing new (ftfy's fixed-point loop). Stages
never write text themselves.

A stage can also enable another that ran before it (spin turns ``n- 2d`` into
``n- second``, which structure's hyphen repair then joins), whatever the order, so the
whole sequence repeats too, as black's safe mode checks its own output: the output is
written only once a sequence over it changes nothing, so a second run over an output
changes nothing. That check costs little: a stage is not run again on a text it has
already left unchanged. A document that has not settled after :data:`MAX_SEQUENCES`
sequences is an error (:class:`~cleaner.errors.FixedPointError`), never a silent stop.
"""

from __future__ import annotations

from collections.abc import Mapping, MutableMapping
from dataclasses import dataclass, field, replace
from typing import Protocol

from cleaner.config import Config
from cleaner.document import protected_spans
from cleaner.edits import apply_fixes, sha256_text
from cleaner.errors import FixedPointError
from cleaner.model import Applicability, Finding, Fix, SkippedFix, SkipReason, StagePass
from cleaner.rulepacks import Rule, RuleRegistry, is_enabled
from cleaner.suppression import is_suppressed, regions


@dataclass(slots=True)
class Proposal:
    """What one round of a stage suggests: fixes to apply, findings, and report data."""

    fixes: list[Fix] = field(default_factory=list)
    findings: list[Finding] = field(default_factory=list)
    data: dict[str, object] = field(default_factory=dict)


@dataclass(slots=True)
class StageContext:
    """What a stage may know about the run and the document it is working on."""

    config: Config
    rules: tuple[Rule, ...]
    markdown: bool
    services: Mapping[str, object]
    #: Per-document scratch space of this stage, kept across its rounds.
    memo: MutableMapping[str, object] = field(default_factory=dict)


class Stage(Protocol):
    """A text stage: a name (also the rule-pack ``stage``), a round limit, ``propose``."""

    name: str
    max_rounds: int

    def propose(self, text: str, ctx: StageContext) -> Proposal:
        """Return the fixes and findings for ``text``; never mutate anything shared."""
        ...


def text_stages() -> tuple[Stage, ...]:
    """Return the text stages in pipeline order."""
    from cleaner.stages import grammar, normalise, spin, structure

    return (normalise.STAGE, structure.STAGE, spin.STAGE, grammar.STAGE)


@dataclass(frozen=True, slots=True)
class TextRun:
    """The result of running the text stages over one text."""

    output: str
    passes: tuple[StagePass, ...]
    stage_data: Mapping[str, Mapping[str, object]]


#: Sequences of every stage run over a document before it must have settled: the last
#: one only confirms that nothing changes (three are the most any known text needs).
MAX_SEQUENCES = 4


def run_stages(
    text: str,
    config: Config,
    selected: RuleRegistry,
    *,
    markdown: bool = False,
    services: Mapping[str, object] | None = None,
    stages: tuple[Stage, ...] | None = None,
) -> TextRun:
    """Run every enabled text stage to its fixed point and return output and log.

    ``selected`` holds the rules to run, already chosen by ``config``'s select and
    ignore lists (:meth:`RuleRegistry.select`): the caller selects once per document.
    The sequence of stages repeats until one changes nothing; raise
    :class:`FixedPointError` (naming the stage) if it still changes the text after
    :data:`MAX_SEQUENCES`.
    """
    chosen = [s for s in (stages if stages is not None else text_stages()) if s.name in config.stages]
    passes: list[StagePass] = []
    stage_data: dict[str, Mapping[str, object]] = {}
    #: The text each stage last left unchanged: running it there again would change nothing.
    settled: dict[str, str] = {}
    changed_by: dict[str, None] = {}
    for sequence in range(1, MAX_SEQUENCES + 1):
        changed_by = {}
        for stage in chosen:
            if settled.get(stage.name) == text:
                continue
            ctx = StageContext(config, selected.for_stage(stage.name), markdown, services or {})
            new_text, stage_passes, data, done = _run_stage(stage, text, ctx, config)
            stage_data.setdefault(stage.name, data)
            if new_text != text:
                changed_by.update((f.rule_id, None) for p in stage_passes for f in p.applied)
                if sequence > 1:
                    _forget_last_word(passes, stage.name)
            if sequence == 1 or new_text != text:
                passes.extend(stage_passes)
            text = new_text
            if done:
                settled[stage.name] = text
        if not changed_by:
            return TextRun(text, tuple(passes), stage_data)
    rules = list(changed_by)
    raise FixedPointError(
        f"cleaning does not settle: after {MAX_SEQUENCES} runs of every stage, {', '.join(rules[:5])}"
        f"{' and others' if len(rules) > 5 else ''} still change{'s' if len(rules) == 1 else ''} the text, "
        "so a second run over the output would change it again; not cleaned"
    )


def _run_stage(stage: Stage, text: str, ctx: StageContext, config: Config) -> tuple[str, list[StagePass], Mapping[str, object], bool]:
    """Run one stage to its fixed point (at most ``max_rounds`` rounds) over ``text``.

    Return its output, its passes, the report data of its first round and whether its
    last round changed nothing (the output is its fixed point). When it did change
    something, the caller's next sequence goes on from there.
    """
    required = Applicability.UNSAFE if config.unsafe_fixes else Applicability.SAFE
    passes: list[StagePass] = []
    data: Mapping[str, object] = {}
    for round_number in range(1, stage.max_rounds + 1):
        proposal = stage.propose(text, ctx)
        if round_number == 1:
            data = proposal.data
        # A finding of an ignored (or unselected) rule is dropped like its fixes.
        proposal.findings = [f for f in proposal.findings if is_enabled(f.rule_id, config.select, config.ignore)]
        fixes, suppressed, findings = _suppress(text, proposal)
        new_text, applied, skipped = apply_fixes(text, fixes, required=required, protected=protected_spans(text, markdown=ctx.markdown))
        skipped += suppressed
        final = not applied or round_number == stage.max_rounds
        if applied or (final and (skipped or findings)):
            passes.append(
                StagePass(
                    stage=stage.name,
                    input_sha256=sha256_text(text),
                    output_sha256=sha256_text(new_text),
                    applied=applied,
                    # Earlier rounds' leftovers are proposed again; keep the last word only.
                    skipped=skipped if final else (),
                    findings=findings if final else (),
                    input_text=text,
                )
            )
        text = new_text
        if final:
            return text, passes, data, not applied
    return text, passes, data, True  # a stage of no rounds changes nothing


def _forget_last_word(passes: list[StagePass], stage: str) -> None:
    """Drop the skipped fixes and findings of ``stage``'s last pass: a new run of it has its own.

    A pass left with nothing applied is dropped altogether.
    """
    for index in range(len(passes) - 1, -1, -1):
        if passes[index].stage == stage:
            if passes[index].applied:
                passes[index] = replace(passes[index], skipped=(), findings=())
            else:
                del passes[index]
            return


def _suppress(text: str, proposal: Proposal) -> tuple[list[Fix], tuple[SkippedFix, ...], tuple[Finding, ...]]:
    """Hold back fixes and mark findings inside inline ``cleaner: disable`` regions."""
    disabled = regions(text)
    if not disabled:
        return proposal.fixes, (), tuple(proposal.findings)
    fixes = [f for f in proposal.fixes if not is_suppressed(f.rule_id, f.start, disabled)]
    held = tuple(SkippedFix(f, SkipReason.SUPPRESSED) for f in proposal.fixes if is_suppressed(f.rule_id, f.start, disabled))
    findings = tuple(replace(f, suppressed=True) if is_suppressed(f.rule_id, f.start, disabled) else f for f in proposal.findings)
    return fixes, held, findings
