"""The spin fallback's word knowledge: thesaurus and frequency lists, read from disk."""

from __future__ import annotations

from pathlib import Path

import pytest

from cleaner.errors import RulePackError
from cleaner.lexicon import load_lexicon, read_thesaurus
from cleaner.rulepacks import builtin_rules_dir, load_pack

THESAURUS = builtin_rules_dir() / "spin" / "thesaurus.tsv"


def test_thesaurus_links_every_member_of_a_synonym_set() -> None:
    synonyms = read_thesaurus(THESAURUS)
    assert "battle" in synonyms["struggle"] and "struggle" in synonyms["battle"]


def test_context_fit_prefers_the_common_collocation() -> None:
    lexicon = load_lexicon(THESAURUS)
    assert lexicon.fit("so", "much", "better") > lexicon.fit("so", "lots", "better")
    assert "much" in lexicon.candidates("lots")


def test_candidates_keep_the_inflection() -> None:
    lexicon = load_lexicon(THESAURUS)
    assert "battles" in lexicon.candidates("struggles")
    assert all(lexicon.count(c) > 0 for c in lexicon.candidates("struggles"))


def test_malformed_thesaurus_line_names_file_and_line(tmp_path: Path) -> None:
    bad = tmp_path / "thesaurus.tsv"
    bad.write_text("# comment\nn\tfight|struggle\nno tab here\n", encoding="utf-8")
    with pytest.raises(RulePackError, match=r"thesaurus.tsv:3"):
        read_thesaurus(bad)


def test_fallback_rule_without_its_thesaurus_is_refused(tmp_path: Path) -> None:
    pack = (builtin_rules_dir() / "spin" / "fallback.toml").read_text(encoding="utf-8")
    with pytest.raises(RulePackError, match="field 'thesaurus'"):
        load_pack((tmp_path / "fallback.toml").as_posix(), pack.encode())
