"""Pipeline properties: idempotence, replay, determinism, stage behaviour on small inputs."""

from __future__ import annotations

import codecs
import os
from pathlib import Path

import pytest
from click.testing import CliRunner

import ftfy.bad_codecs  # noqa: F401  (registers sloppy-windows-1252)

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from cleaner import Config, clean_bytes, clean_text, replay
from cleaner.api import registry_for
from cleaner.cli import main
from cleaner.errors import FixedPointError
from cleaner.model import EditLog
from cleaner.pipeline import Proposal, Stage, StageContext, run_stages, text_stages

from .conftest import SEEDS

OFF = Config(grammar="off")


#: Examples per property: a bounded number in the suite; benchmarks/fuzz.py raises it.
EXAMPLES = int(os.environ.get("CLEANER_FUZZ_EXAMPLES", "50"))


#: Any code point at all (controls, surrogates, private use, unassigned), with the ones
#: that broke cleaning before drawn often: a uniform draw would almost never hit them.
#: (Joined from a list: ``st.text`` leaves surrogates out, whatever its alphabet.)
ANY_CODE_POINT = st.lists(
    st.one_of(st.characters(codec=None, categories=None), st.sampled_from(["\ud800", "\udfff", "\v", "\f", "\a", "\x1b", "\u2028", "\u2029", "\ufeff", "\x85", "\r", "\n", " "])),
    max_size=300,
).map("".join)


@settings(max_examples=EXAMPLES, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.one_of(st.text(max_size=300), ANY_CODE_POINT))
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
@given(st.one_of(st.text(max_size=300), ANY_CODE_POINT, damaged_seed_text()))
def test_no_word_is_lost_without_an_edit_and_replay_holds(text: str) -> None:
    result = clean_text(text, OFF)
    assert replay(text, result.log) == result.output
    assert words_accounted_for(result)
    assert clean_text(result.output, OFF).output == result.output


#: Markdown an attacker or a broken converter writes: unclosed fences and code spans,
#: hard breaks, front matter, HTML comments (suppression), links with odd targets.
MARKDOWN_PARTS = st.sampled_from([
    "# Title", "Text  here", "a  ", "  ", "\n", "\n\n", "```", "```python", "~~~", "`code  span", "`", "---", "title: x  y",
    "[link](http://e.com/a__b)", "[broken](", "<!-- cleaner: disable -->", "<!-- cleaner: enable -->", "<!--", "> quote",
    "- item", "1. item", "    indented  code", "<b>html</b>", "Advertisement", "Share", "n- 2d", "weekâ€™s", "\u00a0", "\r\n", "\t",
])


@settings(max_examples=EXAMPLES, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(MARKDOWN_PARTS, max_size=40), st.sampled_from(["", " ", "\n"]))
def test_hostile_markdown_replays_and_is_idempotent(parts: list[str], joiner: str) -> None:
    text = joiner.join(parts)
    result = clean_text(text, OFF, markdown=True)
    assert replay(text, result.log) == result.output
    assert words_accounted_for(result)
    assert clean_text(result.output, OFF, markdown=True).output == result.output


@pytest.mark.parametrize(
    ("text", "config", "markdown", "expected"),
    [
        # spin's repair ("2d" -> "second") makes structure's hyphen repair apply
        ("n- 2d", OFF, False, "n-second\n"),
        # each repeated title removed let the next copy into the first three paragraphs
        ("Share\n\nTweet\n\n" * 5 + "Body.", Config(grammar="off", ignore=("structure.boilerplate",)), False, "Share\n\nTweet\n\nBody.\n"),
        ("Share\n\nTweet\n\n" * 5 + "Body.", OFF, False, "Body.\n"),
        # removing the only paragraph left a newline for the next run to remove
        ("Advertisement", OFF, False, ""),
        # two spaces before a blank line are no hard break
        ("a  \n\na  ", OFF, True, "a\n"),
    ],
)
def test_realistic_text_is_clean_after_one_run(text: str, config: Config, markdown: bool, expected: str) -> None:
    once = clean_text(text, config, markdown=markdown)
    assert once.output == expected  # main: a second run changed each of these again
    assert clean_text(once.output, config, markdown=markdown).output == once.output
    assert replay(text, once.log) == once.output


def test_markdown_hard_breaks_inside_a_paragraph_are_kept() -> None:
    text = "Line one  \nline two.\n\nNext  \n"
    assert clean_text(text, OFF, markdown=True).output == "Line one  \nline two.\n\nNext\n"


def test_repeated_titles_are_removed_in_one_round() -> None:
    text = "Share\n\nTweet\n\n" * 5 + "Body."
    result = clean_text(text, Config(grammar="off", ignore=("structure.boilerplate",)))
    structure = [p for p in result.log.passes if p.stage == "structure"]
    assert len(structure) == 1 and len(structure[0].applied) == 8


class CountingStage:
    """A real stage that counts the rounds it is asked for."""

    def __init__(self, inner: Stage) -> None:
        self.inner, self.name, self.max_rounds, self.rounds = inner, inner.name, inner.max_rounds, 0

    def propose(self, text: str, ctx: StageContext) -> Proposal:
        self.rounds += 1
        return self.inner.propose(text, ctx)


def counted_run(text: str) -> dict[str, int]:
    """Run the real stages (grammar off), counting the rounds each one makes."""
    stages = tuple(CountingStage(s) for s in text_stages())
    run_stages(text, OFF, registry_for(OFF).select((), ()), stages=stages)
    return {s.name: s.rounds for s in stages}


def test_the_check_that_nothing_changes_reruns_only_stages_before_the_last_change() -> None:
    # Clean text: every stage runs once, and that is the check.
    assert counted_run("Clean text.\n") == {"normalise": 1, "structure": 1, "spin": 1, "grammar": 1}
    # Only normalise changes: its confirming round is the check; nothing runs twice.
    assert counted_run("Two  spaces.\n") == {"normalise": 2, "structure": 1, "spin": 1, "grammar": 1}
    # Structure changes the text: normalise runs once more on its output, then all is settled.
    assert counted_run("Title\n\nTitle\n\nBody text.\n") == {"normalise": 2, "structure": 2, "spin": 1, "grammar": 1}


NEVER_SETTLES = """
[pack]
id = "restless"
stage = "structure"

[[rule]]
id = "grow"
kind = "pattern"
pattern = '!$'
replace = "!!"
message = "m"
examples.fix = [["a!", "a!!"]]
examples.keep = ["c"]
"""


def test_a_rule_that_never_settles_is_an_error_naming_the_document(tmp_path: Path) -> None:
    (tmp_path / "packs").mkdir()
    (tmp_path / "packs" / "restless.toml").write_text(NEVER_SETTLES, encoding="utf-8")
    config = Config(grammar="off", rules=(str(tmp_path / "packs"),))
    with pytest.raises(FixedPointError) as error:
        clean_text("Wow!\n", config, source="wow.txt")  # main: stopped silently after four rounds
    assert error.value.code == "C207" and "wow.txt" in str(error.value) and "restless.grow" in str(error.value)
    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "wow.txt").write_text("Wow!\n", encoding="utf-8")
    (tmp_path / "in" / "calm.txt").write_text("Calm  text.\n", encoding="utf-8")
    args = ["clean", str(tmp_path / "in"), "-o", str(tmp_path / "out"), "--rules", str(tmp_path / "packs"), "--grammar", "off", "--no-cache", "--jobs", "1"]
    result = CliRunner().invoke(main, args)
    errors = [line for line in result.stderr.splitlines() if line.startswith("error[")]
    assert result.exit_code == 2 and len(errors) == 1 and errors[0].startswith("error[C207]") and "wow.txt" in errors[0]
    assert (tmp_path / "out" / "calm.txt").read_text(encoding="utf-8") == "Calm text.\n"
    assert not (tmp_path / "out" / "wow.txt").exists()


HARPER = Config(grammar="harper")


@settings(max_examples=max(5, EXAMPLES // 5), deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(damaged_seed_text())
def test_damaged_seed_text_with_harper_replays_and_is_idempotent(text: str) -> None:
    # Harper's fixes can enable one another ("as an ways aside" -> "a ways aside" -> "far apart").
    result = clean_text(text, HARPER)
    assert replay(text, result.log) == result.output
    assert words_accounted_for(result)
    assert clean_text(result.output, HARPER).output == result.output
