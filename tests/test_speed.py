"""The fast paths give what the plain algorithms give (no timings here: see benchmarks/)."""

from __future__ import annotations

import re
from pathlib import Path
from unittest.mock import patch

from hypothesis import assume, given, settings
from hypothesis import strategies as st

from cleaner.document import _emails

#: The e-mail pattern as one regular expression: quadratic on ``'a.' * 8000``.
PLAIN_EMAIL = re.compile(r"\b[\w.+-]+@[\w-]+(?:\.[\w-]+)+\b")


@settings(max_examples=500)
@given(st.text(alphabet="ab.@+-_ \u00e9\n", max_size=40))
def test_emails_are_found_where_the_plain_pattern_finds_them(text: str) -> None:
    assert _emails(text) == [m.span() for m in PLAIN_EMAIL.finditer(text)]


def test_emails_in_prose() -> None:
    text = "Write to john.doe@example.com or x+y@a.b.c; not a.b@c, .x@y.z, @a.b or " + "a." * 50
    assert _emails(text) == [m.span() for m in PLAIN_EMAIL.finditer(text)] == [(9, 29), (33, 42), (56, 61)]


def _all_pairs_first_copy(keys: list[tuple[str, ...]], similarity: float) -> list[int | None]:
    """The first earlier paragraph each repeats, comparing every pair (the plain search)."""
    from cleaner.stages.near_duplicates import is_similar

    kept: list[int] = []
    answers: list[int | None] = []
    for position, key in enumerate(keys):
        original = next((i for i in kept if keys[i] == key or (similarity < 1 and is_similar(keys[i], key, similarity))), None)
        if original is None:
            kept.append(position)
        answers.append(original)
    return answers


def _index_answers(keys: list[tuple[str, ...]], similarity: float) -> list[int | None]:
    """The first earlier paragraph each repeats, as :class:`ParagraphIndex` finds it."""
    from cleaner.stages.near_duplicates import ParagraphIndex

    index = ParagraphIndex(keys, similarity)
    answers: list[int | None] = []
    for position, key in enumerate(keys):
        original = index.earlier_copy(key)
        if original is None:
            index.add(key, position)
        answers.append(original)
    return answers


@st.composite
def _paragraphs_with_near_copies(draw: st.DrawFn) -> list[tuple[str, ...]]:
    """Paragraphs of 8 to 40 words, some followed later by copies with a few words dropped, added or changed."""
    words = st.sampled_from([f"w{n}" for n in range(40)])
    originals = draw(st.lists(st.lists(words, min_size=8, max_size=40), min_size=1, max_size=6))
    paragraphs = [list(words_) for words_ in originals]
    for original in draw(st.lists(st.sampled_from(originals), max_size=8)):
        copy = list(original)
        for _ in range(draw(st.integers(0, 4))):
            place = draw(st.integers(0, len(copy) - 1))
            change = draw(st.sampled_from(["drop", "add", "change"]))
            if change == "drop" and len(copy) > 1:
                del copy[place]
            else:
                copy[place : place + (change == "change")] = [draw(words)]
        paragraphs.insert(draw(st.integers(0, len(paragraphs))), copy)
    return [tuple(words_) for words_ in paragraphs]


@settings(max_examples=400, deadline=None)
@given(_paragraphs_with_near_copies(), st.sampled_from([0.95, 0.9, 0.8, 0.7, 0.5]))
def test_paragraph_index_finds_the_near_copies_all_pairs_find(keys: list[tuple[str, ...]], similarity: float) -> None:
    assert _index_answers(keys, similarity) == _all_pairs_first_copy(keys, similarity)


@settings(max_examples=300, deadline=None)
@given(_paragraphs_with_near_copies(), st.sampled_from([0.95, 0.9, 0.8, 0.5]))
def test_paragraph_index_finds_the_same_near_copies_when_shingles_are_counted_in_slots(keys: list[tuple[str, ...]], similarity: float) -> None:
    # A large document's shingles are counted in a byte array, not sets: the answers stay those of all pairs
    from cleaner.stages import near_duplicates

    with patch.object(near_duplicates, "EXACT_SHINGLES", 0):
        assert _index_answers(keys, similarity) == _all_pairs_first_copy(keys, similarity)


def _unshared_plainly(keys: list[tuple[str, ...]], width: int) -> list[int]:
    """Per key, its distinct runs of ``width`` words that no other key has, counted the obvious way."""
    runs = [set(zip(*(key[start:] for start in range(width)))) for key in keys]
    return [len(mine - set().union(*(theirs for other, theirs in enumerate(runs) if other != index))) for index, mine in enumerate(runs)]


@settings(max_examples=300, deadline=None)
@given(st.lists(st.lists(st.sampled_from([f"w{n}" for n in range(12)]), max_size=30).map(tuple), max_size=30, unique=True), st.sampled_from([1, 2, 3]))
def test_counting_shingles_in_slots_never_finds_more_unshared_ones_than_there_are(keys: list[tuple[str, ...]], width: int) -> None:
    # More would rule out a paragraph that has a near copy; fewer only lets one through to the full tests
    from cleaner.stages import near_duplicates

    plain = _unshared_plainly(keys, width)
    exact = near_duplicates._unshared_counter(keys, width)
    with patch.object(near_duplicates, "EXACT_SHINGLES", 0):
        slots = near_duplicates._unshared_counter(keys, width)
    assert [exact(key) for key in keys] == plain
    assert all(slots(key) <= count for key, count in zip(keys, plain, strict=True))


def test_paragraph_index_finds_a_near_copy_whose_length_lowers_the_bound() -> None:
    # 14 words matched in 4 blocks: 10 word pairs shared, fewer than the 11 a partner of
    # the shortest length (13 words) needs, enough for one of 15 words; the unshared
    # pairs are the rarest, so a prefix sized for the shortest partner missed the copy
    words = [f"w{n}" for n in range(14)]
    longer = tuple(words[:4] + ["x"] + words[4:8] + ["y"] + words[8:])
    shorter = tuple(words[:11] + ["z"] + words[11:])
    assert _index_answers([longer, shorter], 0.9) == _index_answers([shorter, longer], 0.9) == [None, 0]


@settings(max_examples=300)
@given(
    st.lists(st.lists(st.sampled_from("the a of war talks ended bang whimper".split()), min_size=1, max_size=12), max_size=25),
    st.sampled_from([1.0, 0.9, 0.75, 0.5]),
)
def test_paragraph_index_finds_what_all_pairs_find(word_lists: list[list[str]], similarity: float) -> None:
    keys = [tuple(words) for words in word_lists]
    assert _index_answers(keys, similarity) == _all_pairs_first_copy(keys, similarity)


def _tiny_vocabulary_paragraphs(count: int) -> list[str]:
    """Paragraphs of 20 words drawn from ten, each numbered: every one shares words and triples with many others."""
    import random

    rng = random.Random(3)
    vocabulary = "alpha beta gamma delta epsilon zeta eta theta iota kappa".split()
    return [" ".join(rng.choice(vocabulary) for _ in range(20)) + f" number {i}." for i in range(count)]


def test_the_near_copy_search_is_bounded_and_a_finding_says_where_it_stopped() -> None:
    # Such paragraphs all meet in the index (a cost quadratic in their number): the
    # search stops within its bound, one finding says from which paragraph, and exact
    # copies are still removed after that.
    from cleaner import Config, clean_text
    from cleaner.stages.near_duplicates import WORK_ALLOWANCE, WORK_PER_PARAGRAPH, ParagraphIndex
    from cleaner.stages.structure import word_key

    paragraphs = _tiny_vocabulary_paragraphs(2000)
    keys = [word_key(p) for p in paragraphs]
    index = ParagraphIndex(keys, 0.9)
    spent = index._work_left
    for position, key in enumerate(keys):
        if index.earlier_copy(key) is None:
            index.add(key, position)
    assert index.stopped and spent - index._work_left <= WORK_ALLOWANCE + WORK_PER_PARAGRAPH * len(keys) + len(keys)
    text = "\n\n".join([*paragraphs, paragraphs[-3]]) + "\n"
    result = clean_text(text, Config(grammar="off", stages=("structure",)))
    found = [f for _, f in result.log.findings if f.rule_id == "structure.debris.repeated-paragraph"]
    assert len(found) == 1 and "not sought from paragraph" in found[0].message
    assert text[found[0].start : found[0].end] in paragraphs
    assert result.output == "\n\n".join(paragraphs) + "\n"  # the exact copy at the end is removed


def test_ordinary_and_shuffled_paragraphs_stay_within_the_near_copy_bound() -> None:
    import random

    from cleaner.stages.near_duplicates import ParagraphIndex
    from cleaner.stages.structure import paragraphs, word_key

    from .conftest import SEEDS

    words = [list(word_key(p.text)) for seed in SEEDS for p in paragraphs(seed.read_text(encoding="utf-8"))]
    rng = random.Random(5)
    shuffled = [tuple(rng.sample(key, len(key))) for _ in range(30) for key in words if len(key) >= 8]
    index = ParagraphIndex(shuffled, 0.9)
    for position, key in enumerate(shuffled):
        if index.earlier_copy(key) is None:
            index.add(key, position)
    assert not index.stopped


def _textstat_or_skip():  # type: ignore[no-untyped-def]
    import pytest

    try:
        from textstat.textstat import textstatistics
    except ImportError as exc:  # textstat 0.7.3 needs pkg_resources (setuptools < 81)
        pytest.skip(f"textstat 0.7.3, the oracle, cannot be imported here: {exc}")
    return textstatistics()


def _textstat_metrics():  # type: ignore[no-untyped-def]
    oracle = _textstat_or_skip()
    return {
        "flesch_reading_ease": oracle.flesch_reading_ease,
        "flesch_kincaid_grade": oracle.flesch_kincaid_grade,
        "gunning_fog": oracle.gunning_fog,
        "smog_index": oracle.smog_index,
        "coleman_liau_index": oracle.coleman_liau_index,
        "dale_chall": oracle.dale_chall_readability_score,
        "sentences": oracle.sentence_count,
        "words": oracle.lexicon_count,
    }


def test_readability_equals_textstat_on_the_seeds_and_odd_texts() -> None:
    from cleaner.stages import readability

    from .conftest import ROOT

    metrics = _textstat_metrics()
    texts = [p.read_text(encoding="utf-8") for p in sorted((ROOT / "seeds").glob("*.txt"))]
    texts += ["a", "Hello.", "\u0130stanbul\u2019s caf\u00e9\u2014na\u00efve= x=y 'quoted'", "One. Two. Three four five six.", "123 abc."]
    for text in texts:
        assert readability.score(text) == {name: round(float(metric(text)), 2) for name, metric in metrics.items()}


_READABILITY_PIECES = st.sampled_from(
    ["The", "talks", "ended", "without", "a", "deal", "ΟΔΟΣ", "Σ", "İstanbul", "naïve", "don't", "‘quoted’", "x=y", "2024", "re-run", "extraordinarily",
     ".", "!", "?", "...", ",", "“", "”", "—", " ", " ", " ", "\n", "\n\n", " \n ", "\t", ".\n", "!\n\n  "]
)


@settings(max_examples=150, deadline=None)
@given(st.lists(_READABILITY_PIECES, max_size=60).map("".join))
def test_readability_counted_in_pieces_equals_textstat(text: str) -> None:
    # The text is counted piece by piece, cut at line breaks after sentence ends: every
    # metric must still be textstat's for the whole text (one without letters scores
    # zeros by design, where textstat divides by nothing).
    from cleaner.stages import readability

    assume(any(ch.isalpha() for ch in text))
    metrics = _textstat_metrics()
    assert readability.score(text) == {name: round(float(metric(text)), 2) for name, metric in metrics.items()}, repr(text)


def test_cleaner_never_imports_pkg_resources() -> None:
    import subprocess
    import sys

    code = "import sys, cleaner.cli, cleaner.stages.readability as r; r.score('One two three. Four five six.'); print('pkg_resources' in sys.modules, 'textstat' in sys.modules)"
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.split() == ["False", "False"]


@settings(max_examples=200, deadline=None)
@given(st.lists(_READABILITY_PIECES, max_size=40), st.lists(_READABILITY_PIECES, max_size=10), st.integers(0, 40))
def test_scoring_a_text_and_its_cleaned_copy_together_gives_their_own_scores(pieces: list[str], change: list[str], at: int) -> None:
    # The copy (the text with a stretch changed) reuses the pieces counted for the text:
    # its scores must be those it gets alone.
    from cleaner.stages import readability

    before = "".join(pieces)
    after = "".join(pieces[:at] + change + pieces[at + len(change) :])
    assert readability.before_and_after(before, after) == (readability.score(before), readability.score(after))


def test_a_run_with_grammar_off_never_imports_a_grammar_client(tmp_path: Path) -> None:
    """LanguageTool's client brings urllib, http and email (40 ms of start-up); grammar off needs none of it."""
    import subprocess
    import sys

    (tmp_path / "one.txt").write_text("One two three. Four five six.\n", encoding="utf-8")
    code = (
        "import sys; from cleaner.cli import main\n"
        "try: main(['clean', sys.argv[1], '-o', sys.argv[2], '--grammar', 'off', '--no-cache'])\n"
        "except SystemExit: pass\n"
        "print(*(name in sys.modules for name in ('cleaner.engines.languagetool', 'cleaner.engines.harper', 'http.client')))"
    )
    done = subprocess.run([sys.executable, "-c", code, str(tmp_path / "one.txt"), str(tmp_path / "out")], capture_output=True, text=True, check=True)
    assert done.stdout.split() == ["False", "False", "False"], done.stderr
    assert (tmp_path / "out" / "one.txt").is_file()


def test_known_syllables_stay_bounded_and_never_keep_a_long_token(monkeypatch) -> None:  # type: ignore[no-untyped-def]
    from cleaner.stages import readability

    monkeypatch.setattr(readability, "_known_syllables", {})
    monkeypatch.setattr(readability, "_MOST_KNOWN", 3)
    endless = "syllable" * 100
    assert readability._syllable_counts(["one", "two", endless, "three", "one"]) == [1, 1, 300, 1, 1]
    assert endless not in readability._known_syllables
    assert readability._syllable_counts(["four", "five"]) == [1, 1]
    assert len(readability._known_syllables) <= 3  # emptied when full, then filled again
