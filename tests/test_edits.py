"""The edit applier: order, overlap, stale and protected edits are skipped, never guessed."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from cleaner.edits import apply_fixes, edits_from_diff, splice
from cleaner.model import Applicability, Edit, Fix, SkipReason


def fix(start: int, end: int, before: str, after: str, applicability: Applicability = Applicability.SAFE) -> Fix:
    return Fix("demo.rule", (Edit(start, end, before, after),), applicability, "demo")


def test_overlapping_fix_is_skipped_and_reported() -> None:
    text, applied, skipped = apply_fixes("abcdef", [fix(0, 3, "abc", "X"), fix(2, 4, "cd", "Y")])
    assert text == "Xdef"
    assert [s.reason for s in skipped] == [SkipReason.OVERLAP]


def test_stale_fix_is_skipped() -> None:
    text, applied, skipped = apply_fixes("abc", [fix(0, 1, "z", "y")])
    assert text == "abc" and skipped[0].reason is SkipReason.STALE


def test_unsafe_fix_needs_permission() -> None:
    unsafe = fix(0, 1, "a", "b", Applicability.UNSAFE)
    assert apply_fixes("a", [unsafe])[0] == "a"
    assert apply_fixes("a", [unsafe], required=Applicability.UNSAFE)[0] == "b"


def test_protected_span_is_not_touched() -> None:
    text, _, skipped = apply_fixes("see http://x.y/a  b", [fix(4, 8, "http", "HTTP")], protected=[(4, 16)])
    assert text == "see http://x.y/a  b" and skipped[0].reason is SkipReason.PROTECTED


@given(st.text(max_size=60), st.text(max_size=60))
def test_edits_from_diff_reproduce_the_target(before: str, after: str) -> None:
    assert splice(before, edits_from_diff(before, after)) == after


def _bounded_matcher(monkeypatch, limit: int) -> None:
    """Make ``edits_from_diff`` bound its diffs at ``limit`` pairs and check that it does."""
    import difflib

    import cleaner.edits

    matcher = difflib.SequenceMatcher

    def checked(junk, a, b, autojunk=True):  # type: ignore[no-untyped-def]
        assert len(a) * len(b) <= limit, f"unbounded SequenceMatcher on {len(a)} x {len(b)} characters"
        return matcher(junk, a, b, autojunk=autojunk)

    monkeypatch.setattr(cleaner.edits, "DIFF_PAIRS_LIMIT", limit)
    monkeypatch.setattr(cleaner.edits.difflib, "SequenceMatcher", checked)


def test_a_long_line_with_one_mojibake_is_diffed_in_bounded_pieces(monkeypatch) -> None:
    _bounded_matcher(monkeypatch, 400)
    before = "word " * 10_000 + "caf\u00c3\u00a9 " + "more " * 10_000
    after = before.replace("\u00c3\u00a9", "\u00e9")
    assert edits_from_diff(before, after) == (Edit(50_003, 50_005, "\u00c3\u00a9", "\u00e9"),)


@given(st.text(alphabet="ab \u00c3\u00a9\u00e9", max_size=80), st.text(alphabet="ab \u00c3\u00a9\u00e9", max_size=80))
def test_bounded_diffs_reproduce_the_target(before: str, after: str) -> None:
    import pytest

    with pytest.MonkeyPatch.context() as monkeypatch:
        _bounded_matcher(monkeypatch, 16)
        assert splice(before, edits_from_diff(before, after)) == after
