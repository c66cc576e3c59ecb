"""The compact count tables: the same answers as the frequency lists, and safe stored copies."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

import cleaner.counts as counts
from cleaner.counts import CountTable, load_table, read_frequency_list
from cleaner.lexicon import BIGRAMS, UNIGRAMS, frequency_file


@pytest.mark.parametrize("name", [UNIGRAMS, BIGRAMS])
def test_table_answers_like_the_list(name: str, tmp_path: Path) -> None:
    """Every listed key has its count, unlisted keys have none: no two keys share a hash."""
    listed = dict(read_frequency_list(frequency_file(name)))
    table = load_table(frequency_file(name), tmp_path)
    assert len(table) == len(listed)
    assert all(table.get(key, 0) == count for key, count in listed.items())
    assert table.total == sum(listed.values()) and table.smallest == min(listed.values())
    for absent in ("zzqx", "the zzqx", "", "The"):
        assert absent not in listed and absent not in table and table.get(absent, -1) == -1


def test_second_load_reads_the_stored_table(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    source = tmp_path / "list.txt"
    source.write_text("the 50\nthe bank 8\nbank 10\n", encoding="utf-8")
    first = load_table(source, tmp_path / "tables")
    monkeypatch.setattr(counts, "read_frequency_list", lambda path: pytest.fail("parsed the list again"))
    second = load_table(source, tmp_path / "tables")
    assert [second.get(k, 0) for k in ("the", "the bank", "bank", "river")] == [first.get(k, 0) for k in ("the", "the bank", "bank", "river")] == [50, 8, 10, 0]


def test_a_changed_list_is_read_again(tmp_path: Path) -> None:
    source = tmp_path / "list.txt"
    source.write_text("the 50\n", encoding="utf-8")
    load_table(source, tmp_path)
    source.write_text("the 70\nbank 3\n", encoding="utf-8")
    os.utime(source, ns=(1, 1))
    assert load_table(source, tmp_path).get("the", 0) == 70


def _stored(tmp_path: Path) -> tuple[Path, Path]:
    source = tmp_path / "list.txt"
    source.write_text("the 50\nbank 10\n", encoding="utf-8")
    load_table(source, tmp_path / "tables")
    [stored] = (tmp_path / "tables").glob("list.*.counts")
    return source, stored


def test_two_lists_of_one_name_keep_a_table_each(tmp_path: Path) -> None:
    """Two installations (a virtualenv and pre-commit's) must not rebuild each other's table at every run."""
    first, second = tmp_path / "a" / "list.txt", tmp_path / "b" / "list.txt"
    for folder, text in ((first, "the 50\n"), (second, "the 7\n")):
        folder.parent.mkdir()
        folder.write_text(text, encoding="utf-8")
    assert [load_table(p, tmp_path / "tables").get("the", 0) for p in (first, second)] == [50, 7]
    kept = {p: p.stat().st_mtime_ns for p in (tmp_path / "tables").iterdir()}
    assert len(kept) == 2
    assert [load_table(p, tmp_path / "tables").get("the", 0) for p in (first, second)] == [50, 7]
    assert {p: p.stat().st_mtime_ns for p in (tmp_path / "tables").iterdir()} == kept  # read back, not rebuilt


@pytest.mark.parametrize(
    "damage",
    [
        lambda data: data[:-3],  # truncated
        lambda data: data[:-1] + bytes([data[-1] ^ 1]),  # a flipped bit in the counts
        lambda data: data.replace(b'"size": 2', b'"size": 1'),  # a header that lies
        lambda data: b"not a table at all",
        lambda data: b"cleaner.counts/3\n{not json\n",
        lambda data: data.replace(b'"total": 60', b'"total": 61'),  # a sum of the counts that is not theirs
        lambda data: data.replace(b'"smallest": 10', b'"smallest": "10"'),  # a least count that is not a number
        lambda data: data.replace(b'["the", 50]', b'["the", 500]'),  # a frequent key's count not the table's
        lambda data: data.replace(b'["the", 50]', b'["the", "50"]'),  # a count that is not a number
        lambda data: data.replace(b'[["the", 50], ["bank", 10]]', b'[["bank", 10], ["the", 50]]'),  # not most frequent first
    ],
)
def test_a_damaged_table_is_rebuilt(tmp_path: Path, damage: object) -> None:
    source, stored = _stored(tmp_path)
    original = stored.read_bytes()
    damaged = damage(original)  # type: ignore[operator]
    assert damaged != original
    stored.write_bytes(damaged)
    table = load_table(source, tmp_path / "tables")
    assert (table.get("the", 0), table.get("bank", 0), len(table), table.total, table.smallest) == (50, 10, 2, 60, 10)
    assert CountTable.from_bytes(stored.read_bytes(), "another list") is None  # a stored copy names its source


def test_a_stored_table_whose_digest_holds_but_whose_sums_cannot_be_is_refused() -> None:
    """A header written with a digest that matches (as a hostile writer could) but impossible sums is not trusted."""
    table = CountTable.from_pairs([("the", 50), ("bank", 10)])
    assert CountTable.from_bytes(table.to_bytes("list"), "list") is not None
    for extremes in ((60, -1), (5, 10)):  # a negative least count; a least count above the sum
        forged = CountTable(table._hashes, table._counts, table._frequent, extremes=extremes)
        assert CountTable.from_bytes(forged.to_bytes("list"), "list") is None


def test_a_pipe_or_folder_in_the_tables_place_is_ignored(tmp_path: Path) -> None:
    """A named pipe would block a plain open(); a folder cannot be read: both are rebuilt around."""
    source, stored = _stored(tmp_path)
    stored.unlink()
    os.mkfifo(stored)
    assert load_table(source, tmp_path / "tables").get("the", 0) == 50
    stored.unlink()
    stored.mkdir()
    assert load_table(source, tmp_path / "tables").get("bank", 0) == 10


def test_an_unwritable_folder_still_gives_a_table(tmp_path: Path) -> None:
    source = tmp_path / "list.txt"
    source.write_text("the 50\n", encoding="utf-8")
    not_a_folder = tmp_path / "file"
    not_a_folder.write_text("", encoding="utf-8")
    assert load_table(source, not_a_folder / "tables").get("the", 0) == 50
    assert load_table(source, None).get("the", 0) == 50


def test_memo_stays_bounded(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(counts, "MEMO_LIMIT", 3)
    table = CountTable.from_pairs([("a", 1), ("b", 2)])
    answers = [table.get(key, 0) for key in ("a", "b", "x", "y", "z", "a", "b")]
    assert answers == [1, 2, 0, 0, 0, 1, 2]
    assert len(table._memo) <= 3


def test_two_keys_with_one_hash_are_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(counts, "key_hash", lambda key: 7)
    with pytest.raises(ValueError, match="share a hash"):
        CountTable.from_pairs([("a", 1), ("b", 2)])


def test_frequent_keys_by_name_are_complete_or_not_given(monkeypatch: pytest.MonkeyPatch) -> None:
    """keys_above answers only when every key above the threshold is among those kept by name."""
    monkeypatch.setattr(counts, "FREQUENT_KEYS", 2)
    table = CountTable.from_pairs([("the", 50), ("of", 40), ("bank", 10), ("river", 5)])
    assert table.keys_above(45) == {"the"} and table.keys_above(40) == {"the"}
    assert table.keys_above(39) is None  # "bank" could be above it, and is not kept by name
    small = CountTable.from_pairs([("the", 50), ("bank", 10)])
    assert small.keys_above(0) == {"the", "bank"}  # every key is kept


def test_unigram_table_keeps_the_common_words_the_fallback_skips(tmp_path: Path) -> None:
    """The threshold of rules/spin/fallback.toml is within the frequent keys: no per-word look-up."""
    listed = dict(read_frequency_list(frequency_file(UNIGRAMS)))
    for table in (load_table(frequency_file(UNIGRAMS), tmp_path), load_table(frequency_file(UNIGRAMS), tmp_path)):  # built, then stored
        assert table.keys_above(10**9) == {key for key, count in listed.items() if count > 10**9}
