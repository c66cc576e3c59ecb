"""Blocks repeated across a corpus's documents: counted over the batch, reported by
default, removed where the configuration says so, a repeated sentence of prose unsafe."""

from __future__ import annotations

import json
from dataclasses import replace
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from click.testing import CliRunner

from cleaner import Config, clean_text
from cleaner import repeated_blocks
from cleaner.cli import main
from cleaner.errors import ConfigError
from cleaner.config import from_mapping
from cleaner.model import Applicability
from cleaner.repeated_blocks import block_key, count_blocks

PROMO = "Daily Post: local news you can trust"
STOCK = "The Daily Post is published by Example Media Group and has reported on the county for over a century."
RULE = "structure.corpus.repeated-block"


def page(number: int) -> str:
    return f"Story {number} headline\n\nBody of story number {number}, with words of its own.\n\n{PROMO}\n\n{STOCK}\n"


def run(*args: str):  # type: ignore[no-untyped-def]
    return CliRunner().invoke(main, [*args, "--grammar", "off", "--isolated", "--no-cache"], catch_exceptions=False)


def site(folder: Path, pages: int = 4) -> Path:
    folder.mkdir()
    for number in range(1, pages + 1):
        (folder / f"s{number}.txt").write_text(page(number), encoding="utf-8")
    return folder


def test_counting_finds_blocks_in_enough_documents_only() -> None:
    found = count_blocks([page(1), page(2), page(3), "Something else entirely here.\n"], 3)
    assert dict(found.blocks) == {block_key(PROMO): 3, block_key(STOCK): 3}
    assert found.documents == 4 and found.example in {PROMO, STOCK}
    assert count_blocks([page(1), page(2)], 3).blocks == ()


def test_lines_of_a_scrape_count_as_blocks() -> None:
    scrape = "Headline {}\nBy A Writer\n{}\nThe story {} goes on here.\n"
    found = count_blocks([scrape.format(n, PROMO, n) for n in range(3)], 3)
    assert block_key(PROMO) in dict(found.blocks)


def test_the_table_of_counts_stays_bounded(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(repeated_blocks, "MAX_TRACKED", 50)
    texts = [f"Unique words number {n} here.\n\n{PROMO}\n" for n in range(400)]
    found = count_blocks(texts, 3)
    assert dict(found.blocks) == {block_key(PROMO): 400}


def test_report_by_default_remove_when_configured_prose_unsafe() -> None:
    found = count_blocks([page(n) for n in range(1, 5)], 3)
    reported = clean_text(page(1), replace(Config(grammar="off"), corpus_blocks=found.blocks))
    assert reported.output == page(1)
    skipped = [s.fix for _, s in reported.log.skipped if s.fix.rule_id == RULE]
    assert {f.applicability for f in skipped} == {Applicability.DISPLAY_ONLY} and len(skipped) == 2
    removing = replace(Config(grammar="off", repeated_blocks="remove"), corpus_blocks=found.blocks)
    removed = clean_text(page(1), removing)
    assert removed.output == f"Story 1 headline\n\nBody of story number 1, with words of its own.\n\n{STOCK}\n"
    assert [s.fix.applicability for _, s in removed.log.skipped if s.fix.rule_id == RULE] == [Applicability.UNSAFE]
    assert clean_text(page(1), replace(removing, unsafe_fixes=True)).output == "Story 1 headline\n\nBody of story number 1, with words of its own.\n"


def test_a_batch_reports_then_removes_repeated_blocks(tmp_path: Path) -> None:
    source = site(tmp_path / "site")
    checked = run("check", str(source))
    assert checked.stdout.count(RULE) == 8 and "notice: 2 block(s) repeat in 3 or more of the batch's 4 documents" in checked.stderr
    cleaned = run("clean", str(source), "-o", str(tmp_path / "out"), "--repeated-blocks", "remove")
    assert (tmp_path / "out" / "s2.txt").read_text(encoding="utf-8") == f"Story 2 headline\n\nBody of story number 2, with words of its own.\n\n{STOCK}\n"
    assert cleaned.exit_code == 1  # the unsafe removal of the stock sentence is left for a person
    off = run("clean", str(source), "-o", str(tmp_path / "off"), "--repeated-blocks", "off")
    assert "repeat in" not in off.stderr and (tmp_path / "off" / "s2.txt").read_text(encoding="utf-8") == page(2)


def test_two_jobs_count_and_remove_the_same_blocks_as_one(tmp_path: Path) -> None:
    """With two jobs the blocks are counted in a helper process while this one warms up for the workers."""
    source = site(tmp_path / "site", pages=6)
    runs = {jobs: run("clean", str(source), "-o", str(tmp_path / f"out{jobs}"), "--repeated-blocks", "remove", "--jobs", jobs) for jobs in ("1", "2")}
    assert "notice: 2 block(s) repeat in 3 or more of the batch's 6 documents" in runs["2"].stderr
    assert runs["1"].stderr == runs["2"].stderr and runs["1"].exit_code == runs["2"].exit_code == 1
    for number in range(1, 7):
        assert (tmp_path / "out2" / f"s{number}.txt").read_bytes() == (tmp_path / "out1" / f"s{number}.txt").read_bytes() != page(number).encode()


def test_records_of_one_file_are_documents_of_the_corpus(tmp_path: Path) -> None:
    source = tmp_path / "in"
    source.mkdir()
    (source / "c.jsonl").write_text("".join(json.dumps({"id": n, "text": page(n)}) + "\n" for n in range(1, 4)), encoding="utf-8")
    run("clean", str(source), "-o", str(tmp_path / "out"), "--repeated-blocks", "remove")
    texts = [json.loads(line)["text"] for line in (tmp_path / "out" / "c.jsonl").read_text(encoding="utf-8").splitlines()]
    assert all(PROMO not in text and STOCK in text for text in texts)


def test_two_documents_are_not_a_corpus_by_default(tmp_path: Path) -> None:
    source = site(tmp_path / "site", pages=2)
    assert RULE not in run("check", str(source)).stdout


def test_configuration_keys() -> None:
    assert from_mapping({"repeated-blocks": "remove", "repeated-block-min-documents": 5}, "t").repeated_block_min_documents == 5
    with pytest.raises(ConfigError, match="repeated-block-min-documents"):
        from_mapping({"repeated-block-min-documents": 1}, "t")
    with pytest.raises(ConfigError, match="whole number"):
        from_mapping({"repeated-block-min-documents": 2.5}, "t")
    with pytest.raises(ConfigError, match="unknown key 'corpus-blocks'"):
        from_mapping({"corpus-blocks": []}, "t")


@given(st.text(alphabet="aZ İıKΣσς'’-\u0307\u00df", max_size=30))
@settings(max_examples=500)
def test_block_key_is_the_digest_of_each_word_lower_cased(text: str) -> None:
    """The key lower-cases the block before finding words: the same words as lower-casing each word."""
    import hashlib
    import re

    words = [word.lower() for word in re.findall(r"\w+", text)]
    expected = hashlib.blake2b(" ".join(words).encode("utf-8"), digest_size=8).hexdigest() if 3 <= len(words) <= 80 else None
    assert block_key(text) == expected


_WORD_CHARACTERS = st.sampled_from([*"aAbΣσςİiIKkſSs .,-'’\n", "\u0307", "\u0345", "ΐ", "ǅ", "ẞ"])


@settings(max_examples=500, deadline=None)
@given(st.text(alphabet=_WORD_CHARACTERS, max_size=30))
def test_lower_words_are_each_word_lower_cased(text: str) -> None:
    # The fast path lower-cases the whole text before finding its words: the same words
    # as lower-casing each, 'İ' and 'Σ' (whose lower case depends on them) included.
    import re

    from cleaner.document import lower_words

    assert lower_words(text) == [word.lower() for word in re.findall(r"\w+", text)]
