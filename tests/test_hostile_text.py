"""Hostile text and hostile rules: patterns that would backtrack forever, legacy encodings,
control characters, lone surrogates. Each gets a correct result or one clear line."""

from __future__ import annotations

import random
import re
import threading
from pathlib import Path

import pytest

from cleaner import Config, clean_text
from cleaner.errors import RulePackError
from cleaner.patterns import compile_pattern
from cleaner.rulepacks import builtin_rules_dir, load_pack, load_registry

OFF = Config(grammar="off")

PACK = """
[pack]
id = "hostile"
stage = "structure"

[[rule]]
id = "evil"
kind = "pattern"
pattern = '''{pattern}'''
replace = "x"
message = "m"
examples.fix = [["aaa b", "x b"]]
examples.keep = ["c"]
"""

CATASTROPHIC = ["(a|a)*$", "((a+))+$", "(.*a){12}$"]


def within(seconds: float, work) -> object:  # type: ignore[no-untyped-def]
    """Run ``work`` in a thread; fail (instead of hanging the suite) if it takes longer."""
    result: list[object] = []
    thread = threading.Thread(target=lambda: result.append(work()), daemon=True)
    thread.start()
    thread.join(seconds)
    assert not thread.is_alive(), f"still running after {seconds} s"
    return result[0]


@pytest.mark.parametrize("pattern", CATASTROPHIC)
def test_catastrophic_patterns_load_and_finish(pattern: str, tmp_path: Path) -> None:
    # Under Python's re each of these takes over 20 s on the 32-character line.
    (tmp_path / "evil.toml").write_text(PACK.format(pattern=pattern))
    registry = load_registry([tmp_path])
    assert any(rule.id == "hostile.evil" for rule in registry.rules)
    line = "a" * 32 + "!"
    within(10, lambda: list(compile_pattern(pattern).finditer(line + "\n" + line * 3000)))
    short = "aaaa!\naaaa"  # short enough for Python's re: the same matches
    assert [m.span() for m in compile_pattern(pattern).finditer(short)] == [m.span() for m in re.finditer(pattern, short, re.M)]
    assert within(10, lambda: clean_text(("a" * 32 + "!\n\n") * 200, Config(grammar="off", rules=(str(tmp_path),)))) is not None


@pytest.mark.parametrize(
    ("pattern", "reason"),
    [
        (r"(\w+) \1", "backreferences are not supported"),
        (r"a(?=b)c", "lookaround is supported only at the start"),
        (r"(?x) a b", "(?x)"),
        (r"(?<=a+)b", "bad regular expression"),
        (r"a(?=.*b)", "at most 255 characters"),
        (r"(?<!q).*x", "the match itself must be at most"),
        (r"(?<=b)c|a", "'|' at its top level"),
        (r"(?<=(a))b", "must not capture"),
    ],
)
def test_what_re2_cannot_run_is_refused_naming_file_and_rule(pattern: str, reason: str) -> None:
    with pytest.raises(RulePackError) as error:
        load_pack("rules/extra/evil.toml", PACK.format(pattern=pattern).encode())
    line = error.value.one_line()
    assert "rules/extra/evil.toml: rule 'evil': field 'pattern'" in line and reason in line
    assert "\n" not in line


def test_a_replacement_naming_a_missing_group_is_refused() -> None:
    with pytest.raises(RulePackError, match="field 'replace'.*group 2"):
        load_pack("x.toml", PACK.format(pattern="(a)").replace('replace = "x"', "replace = '\\2'").encode())


def shipped_patterns() -> list[str]:
    import tomllib

    return [r["pattern"] for path in sorted(builtin_rules_dir().rglob("*.toml")) for r in tomllib.loads(path.read_text()).get("rule", []) if "pattern" in r]


def test_shipped_patterns_match_exactly_where_python_re_does() -> None:
    # The shipped rules ran under Python's re before; on RE2 they must find the same
    # matches and groups, Unicode words included (cross-checked on random texts).
    alphabet = list("abcxyz ABC-.\n\u00e9\u00fc\u4e2d12") + [" and ", "- ", "The", "Officials", "partner.", "Advertisement", "Like us on Facebook"]
    rng = random.Random(7)
    texts = ["".join(rng.choice(alphabet) for _ in range(rng.randint(0, 30))) for _ in range(1500)]
    for pattern in shipped_patterns():
        python, ours = re.compile(pattern, re.M), compile_pattern(pattern)
        for text in texts:
            expected = [(m.span(), m.groups()) for m in python.finditer(text)]
            found = [((m.start(), m.end()), tuple(m.group(i) for i in range(1, ours.groups + 1))) for m in ours.finditer(text)]
            assert found == expected, (pattern, text)
            assert (python.fullmatch(text) is None) == (ours.fullmatch(text) is None), (pattern, text)


def test_offsets_are_characters_in_non_ascii_text() -> None:
    pattern = compile_pattern(r"(?<=[a-z])- (?=[a-z])")
    text = "café- au lait, naïve- ly, 東京- x"
    assert [m.start() for m in pattern.finditer(text)] == [m.start() for m in re.finditer(r"(?<=[a-z])- (?=[a-z])", text)]
    assert compile_pattern(r"(\w+)").fullmatch("naïve").group(1) == "naïve"  # \w is Unicode, as in Python


@pytest.mark.parametrize(
    ("pattern", "text"),
    [
        (r"(?i)skip to (?:content|navigation)", "\u017fKIP TO \u212aONTENT and Skip to navigation"),  # long s, Kelvin sign
        (r"(?i:photo|image) credit: \w+", "IMAGE credit: Reuters; Photo credit: AP"),
        (r"(?:Photos?|Pictures?): [A-Z]\w+", "Pictures: Getty"),
        (r"[|•·»][a-z]{1,3}", "home»news · sport"),
    ],
)
def test_texts_skipped_for_lacking_required_strings_are_the_ones_without_a_match(pattern: str, text: str) -> None:
    # A text is skipped, without running RE2, only if it lacks what every match needs:
    # with it, the matches are Python's; without it (each required piece removed), none.
    ours = compile_pattern(pattern)
    assert [m.span() for m in ours.finditer(text)] == [m.span() for m in re.finditer(pattern, text, re.M)]
    assert ours.required is not None
    for option in ours.required:
        bare = text
        for piece, folded in option:
            bare = re.sub(re.escape(piece.decode()), "", bare, flags=re.I if folded else 0)
        assert not ours.may_occur_in(bare) and not list(re.finditer(pattern, bare, re.M)), (pattern, bare)


def test_a_pattern_too_large_for_re2_fails_at_first_use_with_one_error_line() -> None:
    pattern = compile_pattern(r"(?:[\w,]{0,100}x){2,9}")  # it parses; compiled out it is too large
    with pytest.raises(RulePackError, match="pattern too large"):
        list(pattern.finditer("xx"))
    assert list(pattern.finditer("no such letter here")) == []  # skipped: no 'x', nothing compiled
