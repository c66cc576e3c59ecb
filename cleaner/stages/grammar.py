"""Grammar: ask the configured engine for findings; apply only allowlisted ones.

A finding becomes a fix only when its engine rule is on an allowlist in
``rules/grammar/`` (with the reason written there), it has exactly one suggestion, and
it is not a spelling finding. Everything else is reported with its position and
suggestions. The rule id is ``grammar.<engine>.<engine rule in kebab case>`` for both,
the project's one scheme (lower-case slugs a rule pack can declare and select/ignore
prefixes can name). The engine's own rule id (LanguageTool's ``EN_A_VS_AN``, Harper's
``AnA``) is not lost in that translation: every fix and finding carries it as evidence
``engine_rule`` and at the end of its message (``Wrong indefinite article.
[EN_A_VS_AN]``), so the report, ``check`` and every output format show the name the
engine's own documentation uses.
"""

from __future__ import annotations

from typing import cast

from cleaner.edits import sha256_text
from cleaner.engines import EngineMatch, GrammarEngine, kebab
from cleaner.errors import RulePackError
from cleaner.model import Edit, Finding, Fix, Severity
from cleaner.pipeline import Proposal, StageContext
from cleaner.rulepacks import Rule

_NEVER_APPLIED = frozenset({"spelling"})
_INFO_CATEGORIES = frozenset({"spelling", "readability", "style"})


def rule_id(engine: str, engine_rule: str) -> str:
    """Return the one id a finding of ``engine_rule`` has everywhere."""
    return f"grammar.{engine}.{kebab(engine_rule)}"


def engine_message(message: str, engine_rule: str) -> str:
    """Return ``message`` ending with the engine's own rule id.

    >>> engine_message("Wrong indefinite article.", "EN_A_VS_AN")
    'Wrong indefinite article. [EN_A_VS_AN]'
    """
    return f"{message} [{engine_rule}]"


def allowlist(rules: tuple[Rule, ...], engine: str) -> dict[str, Rule]:
    """Map engine rule names to the allowlist entries for ``engine``; check their ids."""
    allowed = {}
    for rule in rules:
        if rule.str_param("engine") != engine:
            continue
        name = rule.str_param("engine_rule")
        if rule.id != rule_id(engine, name):
            raise RulePackError(f"{rule.source_file}: rule {rule.id!r}: id must be {rule_id(engine, name)!r} for {engine} rule {name!r}")
        allowed[name] = rule
    return allowed


def categorise(matches: list[EngineMatch]) -> dict[str, int]:
    """Count matches by category, for the before/after comparison in reports."""
    counts: dict[str, int] = {}
    for match in matches:
        counts[match.category.lower()] = counts.get(match.category.lower(), 0) + 1
    return dict(sorted(counts.items()))


class GrammarStage:
    """Check with the run's engine; propose allowlisted fixes, report the rest."""

    name = "grammar"
    max_rounds = 2

    def propose(self, text: str, ctx: StageContext) -> Proposal:
        """Turn engine matches into safe fixes or findings."""
        engine = cast("GrammarEngine | None", ctx.services.get("grammar"))
        if engine is None:
            return Proposal(data={"engine": None})
        matches = cached_check(engine, text)
        allowed = allowlist(ctx.rules, engine.name)
        proposal = Proposal(data={"engine": engine.name, "version": engine.version})
        for match in matches:
            category = match.category.lower()
            entry = allowed.get(match.engine_rule)
            if entry and len(match.suggestions) == 1 and category not in _NEVER_APPLIED:
                edit = Edit(match.start, match.end, text[match.start : match.end], match.suggestions[0])
                evidence = {"engine": engine.name, "engine_rule": match.engine_rule, "engine_message": match.message}
                proposal.fixes.append(Fix(entry.id, (edit,), entry.applicability, engine_message(entry.message, match.engine_rule), evidence))
                continue
            severity = Severity.INFO if category in _INFO_CATEGORIES else Severity.WARNING
            proposal.findings.append(
                Finding(
                    rule_id(engine.name, match.engine_rule),
                    match.start,
                    match.end,
                    engine_message(match.message, match.engine_rule),
                    severity,
                    suggestions=match.suggestions[:5],
                    evidence={"category": category, "engine_rule": match.engine_rule, "text": text[match.start : match.end][:200]},
                )
            )
        return proposal


_CHECK_CACHE: dict[tuple[int, str], list[EngineMatch]] = {}


def cached_check(engine: GrammarEngine, text: str) -> list[EngineMatch]:
    """Check ``text`` once per engine: the before/after counts reuse the stage's own calls."""
    key = (id(engine), sha256_text(text))
    if key not in _CHECK_CACHE:
        if len(_CHECK_CACHE) > 64:
            _CHECK_CACHE.clear()
        _CHECK_CACHE[key] = engine.check(text)
    return _CHECK_CACHE[key]


STAGE = GrammarStage()
