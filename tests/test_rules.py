"""Every rule's own examples pass, and the rule-pack loader rejects malformed packs."""

from __future__ import annotations

import dataclasses
import json
import os
from pathlib import Path

import pytest

from cleaner.errors import RulePackError
from cleaner.fileio import keyed_digest
from cleaner.folders import CACHE_DIR_ENV
from cleaner.rulepacks import Rule, load_pack, load_registry, read_rule_files
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


def _kept_parses(cache: Path) -> list[Path]:
    return sorted((cache / "rules").iterdir()) if (cache / "rules").is_dir() else []


def test_a_packs_parse_is_kept_and_read_back_as_tomllib_gives_it(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import tomllib

    monkeypatch.setenv(CACHE_DIR_ENV, str(tmp_path))
    for path, data in read_rule_files().packs:
        load_pack(path.as_posix(), data)
    kept = _kept_parses(tmp_path)
    assert len(kept) == len({data for _, data in read_rule_files().packs})
    fresh = load_registry()

    def no_parsing(text: str) -> object:
        raise AssertionError("a kept parse should have been read")

    monkeypatch.setattr(tomllib, "loads", no_parsing)
    fields = [f.name for f in dataclasses.fields(Rule)]
    [kept_rules, fresh_rules] = [[tuple(getattr(rule, f) for f in fields) for rule in registry.rules] for registry in (load_registry(), fresh)]
    assert kept_rules == fresh_rules and len(kept_rules) == len(REGISTRY.rules)


@pytest.mark.parametrize(
    "damage",
    [
        lambda data: data.replace(b'"demo"', b'"other"'),  # the body edited: the digest line no longer matches
        lambda data: data[:-5],  # cut short
        lambda data: b"not a kept parse\n" + data,
        lambda data: b"",
    ],
)
def test_a_damaged_kept_parse_is_parsed_afresh(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, damage: object) -> None:
    monkeypatch.setenv(CACHE_DIR_ENV, str(tmp_path))
    load_pack("demo.toml", PACK)
    [kept] = _kept_parses(tmp_path)
    original = kept.read_bytes()
    kept.write_bytes(damage(original))  # type: ignore[operator]
    [rule] = load_pack("demo.toml", PACK)
    assert rule.id == "demo.x"
    assert kept.read_bytes() == original  # and kept again


def test_a_planted_kept_parse_is_checked_like_any_pack(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A kept parse with a right digest line but fields no pack may have is a pack error naming the file."""
    from cleaner import rulepacks

    monkeypatch.setenv(CACHE_DIR_ENV, str(tmp_path))
    load_pack("demo.toml", PACK)
    [kept] = _kept_parses(tmp_path)
    body = json.dumps({"pack": {"id": "demo", "stage": "structure"}, "rule": [{"id": "x", "kind": "pattern", "sneaky": 1}]}).encode()
    kept.write_bytes(rulepacks._KEPT_PARSE + keyed_digest(kept.name, body).encode() + b"\n" + body)
    with pytest.raises(RulePackError, match=r"demo\.toml: rule 'x': unknown field 'sneaky'"):
        load_pack("demo.toml", PACK)


def test_a_pipe_in_a_kept_parses_place_is_ignored(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(CACHE_DIR_ENV, str(tmp_path))
    load_pack("demo.toml", PACK)
    [kept] = _kept_parses(tmp_path)
    kept.unlink()
    os.mkfifo(kept)
    [rule] = load_pack("demo.toml", PACK)  # would hang on a blocking open
    assert rule.id == "demo.x"


def test_a_pack_json_cannot_hold_is_parsed_each_time_and_an_unwritable_cache_is_no_error(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(CACHE_DIR_ENV, str(tmp_path))
    dated = PACK.replace(b"[pack]\n", b"[pack]\ndescription = 2026-12-04\n")
    assert [rule.id for rule in load_pack("demo.toml", dated)] == ["demo.x"]
    assert _kept_parses(tmp_path) == []  # JSON has no dates: nothing kept
    not_a_folder = tmp_path / "file"
    not_a_folder.write_text("", encoding="utf-8")
    monkeypatch.setenv(CACHE_DIR_ENV, str(not_a_folder))
    [rule] = load_pack("demo.toml", PACK)
    assert rule.id == "demo.x"
