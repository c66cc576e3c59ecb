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
