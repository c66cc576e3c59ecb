"""Run a rule's own examples: each ``fix`` pair must produce exactly its expected text,
each ``keep`` text must come through unchanged (Harper's test/allows, LanguageTool's
<example>). The rule runs alone, through its real stage and the real fix applier.
"""

from __future__ import annotations

import tempfile
from dataclasses import replace
from pathlib import Path

from cleaner.config import Config
from cleaner.pipeline import Stage, run_stages, text_stages
from cleaner.rulepacks import Rule, RuleRegistry
from cleaner.services import Services

#: Examples show what a rule does where it may fire: unsafe fixes applied, the spin gate
#: open (threshold 0), the optional typography policy on.
EXAMPLE_CONFIG = Config(typography="straight", unsafe_fixes=True, spin_threshold=0.0, grammar="harper")


def run_rule(rule: Rule, text: str) -> str:
    """Return ``text`` after running ``rule`` alone through its stage.

    A rule that reads a user's files (``user-dictionary``) runs with the groups its
    ``example_dictionary`` lists, written to a scratch file; a ``corpus-block`` rule
    runs on ``text`` as one more document of its ``example_corpus``, blocks removed.
    A grammar rule runs on its own engine (a LanguageTool rule needs a server:
    ``CLEANER_LANGUAGETOOL_URL``).
    """
    stage = _stage_for(rule)
    config = replace(EXAMPLE_CONFIG, grammar=rule.str_param("engine")) if rule.kind == "engine-rule" else EXAMPLE_CONFIG
    services = Services.for_config(config) if rule.stage == "grammar" else {}
    selected = RuleRegistry((rule,), "")
    if rule.kind == "corpus-block":
        from cleaner.repeated_blocks import count_blocks

        corpus = [*rule.list_param("example_corpus"), text]
        found = count_blocks(corpus, EXAMPLE_CONFIG.repeated_block_min_documents)
        config = replace(EXAMPLE_CONFIG, repeated_blocks="remove", corpus_blocks=found.blocks)
        return run_stages(text, config, selected, markdown=False, services=services, stages=(stage,)).output
    if rule.kind != "user-dictionary":
        return run_stages(text, config, selected, markdown=False, services=services, stages=(stage,)).output
    with tempfile.TemporaryDirectory() as scratch:
        dictionary = Path(scratch) / "dictionary.txt"
        dictionary.write_text("\n".join(rule.list_param("example_dictionary")) + "\n", encoding="utf-8")
        config = replace(config, spin_dictionaries=(str(dictionary),))
        return run_stages(text, config, selected, markdown=False, services=services, stages=(stage,)).output


def _stage_for(rule: Rule) -> Stage:
    """Return the stage object that runs ``rule``."""
    return next(s for s in text_stages() if s.name == rule.stage)


def check_rule_examples(rule: Rule) -> list[str]:
    """Return one message per failing example of ``rule`` (empty when all pass)."""
    failures = []
    for before, expected in rule.fix_examples:
        got = run_rule(rule, before)
        if got != expected:
            failures.append(f"{rule.id}: fix example {before!r}: expected {expected!r}, got {got!r}")
    for keep in rule.keep_examples:
        got = run_rule(rule, keep)
        if got != keep:
            failures.append(f"{rule.id}: keep example {keep!r} was changed to {got!r}")
    return failures
