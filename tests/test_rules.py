"""Every rule's own examples pass, and the rule-pack loader rejects malformed packs."""

from __future__ import annotations

import pytest

from cleaner.errors import RulePackError
from cleaner.rulepacks import load_pack, load_registry, read_rule_files
from cleaner.ruletest import check_rule_examples, run_rule

REGISTRY = load_registry()


@pytest.mark.parametrize("rule", REGISTRY.rules, ids=lambda r: r.id)
def test_rule_examples(rule, request: pytest.FixtureRequest) -> None:
    if rule.kind == "engine-rule" and rule.str_param("engine") == "languagetool":
        request.getfixturevalue("languagetool_url")  # a real server, or a skip (a failure in CI) saying why
    assert check_rule_examples(rule) == []


def test_every_stage_has_rules() -> None:
    assert {r.stage for r in REGISTRY.rules} == {"normalise", "structure", "spin", "grammar"}


def test_a_wrong_expectation_is_reported() -> None:
    rule = REGISTRY.get("spin.autoblog.international-locations-for-countries")
    assert rule is not None
    assert run_rule(rule, "two international locations") == "two countries"
    broken = type(rule)(**{**{f: getattr(rule, f) for f in rule.__slots__}, "fix_examples": (("two international locations", "two nations"),)})
    assert check_rule_examples(broken) != []


PACK = b"""
[pack]
id = "demo"
stage = "structure"

[[rule]]
id = "x"
kind = "pattern"
pattern = "a"
replace = "b"
message = "m"
examples.fix = [["a", "b"]]
examples.keep = ["c"]
"""


def test_valid_pack_loads() -> None:
    [rule] = load_pack("demo.toml", PACK)
    assert rule.id == "demo.x"


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ((b'replace = "b"', b'replce = "b"'), "unknown field 'replce' (did you mean 'replace'?)"),
        ((b'examples.keep = ["c"]', b""), "examples.keep"),
        ((b'pattern = "a"', b'pattern = "(a"'), "bad regular expression"),
        ((b'pattern = "a"', b"pattern = '(a)\\1'"), "rule 'x': field 'pattern': RE2 cannot run it"),
        ((b'kind = "pattern"', b'kind = "substitution"'), "field 'kind'"),
        ((b"[pack]", b"[pack"), "not valid TOML"),
    ],
)
def test_malformed_pack_names_file_rule_and_field(change: tuple[bytes, bytes], message: str) -> None:
    with pytest.raises(RulePackError) as error:
        load_pack("demo.toml", PACK.replace(*change))
    assert "demo.toml" in str(error.value)
    assert message in str(error.value)


def test_the_rules_digest_is_the_registrys_and_covers_every_folders_files(tmp_path) -> None:  # type: ignore[no-untyped-def]
    # The cache key takes the digest without loading the packs; it must be the loaded
    # registry's, and change when a pack or a data file of an extra folder does.
    from pathlib import Path

    extra = tmp_path / "extra"
    extra.mkdir()
    (extra / "demo.toml").write_bytes(PACK)
    (extra / "words.txt").write_text("one\n")
    digest = read_rule_files([extra]).digest
    assert digest == load_registry([extra]).digest == load_registry(iter([extra])).digest == read_rule_files(iter([extra])).digest
    assert read_rule_files().digest == REGISTRY.digest != digest
    (extra / "words.txt").write_text("two\n")
    assert read_rule_files([Path(extra)]).digest != digest  # a data file of the extra folder counts
