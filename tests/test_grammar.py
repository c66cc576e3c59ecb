"""Harper for real: allowlisted fixes applied, everything else reported, names untouched."""

from __future__ import annotations

import pytest

from cleaner import Config, clean_text
from cleaner.engines.languagetool import matches_from_json

HARPER = Config(grammar="harper", select=("grammar", "normalise"))


def test_allowlisted_fixes_are_applied() -> None:
    result = clean_text("They reached a agreement with out delay in the the end.\n", HARPER)
    assert result.output == "They reached an agreement without delay in the end.\n"
    assert {f.rule_id for _, f in result.log.applied} >= {"grammar.harper.an-a", "grammar.harper.repeated-words", "grammar.harper.without"}


def test_names_and_british_spellings_are_never_changed() -> None:
    text = "Witkoff met Dmitriev in Druzhkivka; plans were centred and finalised.\n"
    result = clean_text(text, HARPER)
    assert result.output == text
    assert not [f for _, f in result.log.findings if f.rule_id == "grammar.harper.spell-check"]


def test_languagetool_json_offsets_are_converted() -> None:
    text = "😀 This are bad."
    payload = {"matches": [{"offset": 3, "length": 8, "message": "agreement", "replacements": [{"value": "This is"}], "rule": {"id": "THIS_NNS", "category": {"id": "GRAMMAR"}}}]}
    [match] = matches_from_json(text, payload)
    assert text[match.start : match.end] == "This are"
    assert match.engine_rule == "THIS_NNS" and match.category == "GRAMMAR"


def test_languagetool_server_when_available() -> None:
    import os

    if not os.environ.get("CLEANER_LANGUAGETOOL_URL"):
        pytest.skip("no LanguageTool server: set CLEANER_LANGUAGETOOL_URL to run against one")
    result = clean_text("They reached a agreement.\n", Config(grammar="languagetool"))
    assert result.stages["grammar"]["engine"] == "languagetool"
