"""Pipeline properties: idempotence, replay, determinism, stage behaviour on small inputs."""

from __future__ import annotations

import codecs
import os

import ftfy.bad_codecs  # noqa: F401  (registers sloppy-windows-1252)

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from cleaner import Config, clean_bytes, clean_text, replay
from cleaner.model import EditLog

from .conftest import SEEDS

OFF = Config(grammar="off")


#: Examples per property: a bounded number in the suite; benchmarks/fuzz.py raises it.
EXAMPLES = int(os.environ.get("CLEANER_FUZZ_EXAMPLES", "50"))


@settings(max_examples=EXAMPLES, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.text(max_size=300))
def test_any_text_replays_and_is_idempotent(text: str) -> None:
    result = clean_text(text, OFF)
    assert replay(text, result.log) == result.output
    again = clean_text(result.output, OFF)
    assert again.output == result.output
    assert again.log.applied == []


WORDS = st.sampled_from(["the", "war", "struggle", "international locations", "used to be", "2d", "Ecu", "  ", "\u00a0", "\r\n", "\n\n\n", "weekâ€™s", "decision- time", ".", ","])


@settings(max_examples=EXAMPLES, deadline=None)
@given(st.lists(WORDS, max_size=80))
def test_damaged_spun_text_replays_and_is_idempotent(parts: list[str]) -> None:
    text = " ".join(parts)
    result = clean_text(text, OFF)
    assert replay(text, result.log) == result.output
    assert clean_text(result.output, OFF).output == result.output


def test_seeds_replay_and_are_idempotent() -> None:
    for seed in SEEDS:
        result = clean_bytes(seed.read_bytes(), seed.name, OFF)
        assert replay(result.input_text, result.log) == result.output, seed.name
        assert clean_text(result.output, OFF).output == result.output, seed.name


def test_corrupted_copy_gives_the_same_output() -> None:
    seed = SEEDS[1]
    original = clean_bytes(seed.read_bytes(), seed.name, OFF).output
    text = seed.read_text(encoding="utf-8")
    # As browsers and Windows tools do it (WHATWG windows-1252: undefined bytes map to C1).
    mojibake = text.encode("utf-8").decode("sloppy-windows-1252")
    damaged = codecs.BOM_UTF8 + mojibake.replace("\n", "\r\n").encode("utf-8")
    assert clean_bytes(damaged, seed.name, OFF).output == original


def test_legacy_encoding_is_detected() -> None:
    result = clean_bytes("Café – naïve\n".encode("cp1252"), "x.txt", OFF)
    assert result.output == "Café – naïve\n"
    assert result.ingest["encoding"] == "windows-1252"


def test_normalisation_of_whitespace_and_unicode() -> None:
    text = "\ufeffTitle\r\n\r\n\r\nA\u00a0line  with   gaps.  \r\nCafe\u0301"
    assert clean_text(text, OFF).output == "Title\n\nA line with gaps.\nCafé\n"


def test_markdown_code_and_links_are_untouched() -> None:
    text = "---\ntitle: x  y\n---\n\nText  here with `a  b` and [l](http://e.com/a__b).\n\n```\ncode   stays\n```\n"
    out = clean_text(text, OFF, markdown=True).output
    assert "title: x  y" in out and "`a  b`" in out and "code   stays" in out and "(http://e.com/a__b)" in out
    assert "Text here" in out


def test_typography_policy_default_keeps_curly_quotes() -> None:
    text = "“Quoted” – it’s here.\n"
    assert clean_text(text, OFF).output == text
    assert clean_text(text, Config(grammar="off", typography="straight")).output == "\"Quoted\" - it's here.\n"


def test_every_removal_keeps_the_removed_text_in_the_log() -> None:
    text = "Title\n\nTitle\n\nBody text that is long enough to count here.\n\nThis article is from the archive of our partner .\n"
    result = clean_text(text, OFF)
    removed = [e.before for _, f in result.log.applied for e in f.edits if e.after == ""]
    assert any("Title" in r for r in removed)
    assert any("archive of our partner" in r for r in removed)
    assert isinstance(result.log, EditLog)


def words_accounted_for(result) -> bool:  # type: ignore[no-untyped-def]
    """Every word of the input is in the output, or overlaps an edit of the log.

    Edits of later stages are mapped back to the input through the earlier ones, so a
    word counts as accounted for exactly when some logged change touched it.
    """
    import re

    from cleaner.edits import to_input_offset

    touched = []
    for index, stage_pass in enumerate(result.log.passes):
        for fix in stage_pass.applied:
            for edit in fix.edits:
                touched.append((to_input_offset(result.log, index, edit.start), to_input_offset(result.log, index, edit.end)))
    for word in re.finditer(r"\w+", result.input_text):
        if any(s <= word.end() and word.start() <= e for s, e in touched):
            continue
        if word.group() not in result.output:
            return False
    return True


SEED_SENTENCES = [s for seed in SEEDS for s in seed.read_text(encoding="utf-8").split(". ") if 20 < len(s) < 300]
SWAPS = {"war": "struggle", "countries": "international locations", "was": "used to be", "second": "2d", "European": "Ecu", "where": "the place"}


@st.composite
def damaged_seed_text(draw: st.DrawFn) -> str:
    """Seed sentences with spinner swaps, mojibake and whitespace damage."""
    sentences = draw(st.lists(st.sampled_from(SEED_SENTENCES), min_size=1, max_size=6))
    text = ". ".join(sentences) + "."
    for original, spun in SWAPS.items():
        if draw(st.booleans()):
            text = text.replace(f" {original} ", f" {spun} ")
    if draw(st.booleans()):
        text = text.encode("utf-8").decode("sloppy-windows-1252")
    damage = draw(st.sampled_from(["", "  ", "\u00a0", "\r\n", "\n\n\n", "\t"]))
    return text.replace(" ", damage or " ", draw(st.integers(0, 3)))


@settings(max_examples=EXAMPLES, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.one_of(st.text(max_size=300), damaged_seed_text()))
def test_no_word_is_lost_without_an_edit_and_replay_holds(text: str) -> None:
    result = clean_text(text, OFF)
    assert replay(text, result.log) == result.output
    assert words_accounted_for(result)
    assert clean_text(result.output, OFF).output == result.output
