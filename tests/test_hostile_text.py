"""Hostile text and hostile rules: patterns that would backtrack forever, legacy encodings,
control characters, lone surrogates. Each gets a correct result or one clear line."""

from __future__ import annotations

import json
import random
import re
import threading
from pathlib import Path

import pytest
from click.testing import CliRunner

from cleaner import Config, clean_bytes, clean_text, replay
from cleaner.api import CleanResult
from cleaner.cli import main
from cleaner.errors import BinaryInputError, FixedPointError, OutputError, RulePackError
from cleaner.fileio import write_in_place
from cleaner.patterns import Haystack, RequiredStrings, compile_pattern
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
    outcome = within(10, lambda: settled_or_error(("a" * 32 + "!\n\n") * 200, Config(grammar="off", rules=(str(tmp_path),))))
    # (a|a)*$ matches the empty end of every line, so its "x" is inserted again on every
    # run: a rule that never settles is an error naming it, not a silent stop.
    assert isinstance(outcome, CleanResult) or (pattern == "(a|a)*$" and "hostile.evil" in str(outcome))


def settled_or_error(text: str, config: Config) -> CleanResult | FixedPointError:
    """Clean ``text``; return the error instead of raising it when cleaning does not settle."""
    try:
        return clean_text(text, config)
    except FixedPointError as error:
        return error


@pytest.mark.parametrize(
    ("pattern", "reason"),
    [
        (r"(\w+) \1", "backreferences are not supported"),
        (r"a(?=b)c", "lookaround is supported only at the start"),
        (r"(?x) a b", "(?x)"),
        (r"(?<=a+)b", "bad regular expression"),
        (r"a(?<=b+)c", "look-behind requires fixed-width pattern"),  # found by Python's compiler, not its parser
        (r"a[b", "bad regular expression: unterminated character set"),
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


# --- Legacy encodings: read right, or refused in one line; never rewritten as mojibake.

LEGACY = {
    "shift_jis": ("東京都は、来週の会議を延期すると発表した。関係者によると、交渉は金曜日に決裂した。\n", {"cp932", "shift_jis"}),
    "gb18030": ("北京市政府宣布推迟下周的会议。据知情人士透露，谈判于周五破裂。\n", {"gb18030", "gbk", "gb2312"}),
    "euc-kr": ("서울시는 다음 주 회의를 연기한다고 발표했다. 관계자에 따르면 협상은 금요일에 결렬됐다.\n", {"cp949", "euc_kr"}),
    "cp1251": ("Министр объявил о реформе в пятницу, сообщили источники в правительстве.\n", {"cp1251"}),
}


@pytest.mark.parametrize("codec", list(LEGACY))
def test_legacy_encodings_are_read_in_their_encoding_with_a_confidence(codec: str) -> None:
    text, names = LEGACY[codec]
    result = clean_bytes(text.encode(codec), "legacy.txt", OFF)
    assert result.output == text  # main read these as Windows-1252: mojibake
    assert result.ingest["encoding"] in names
    assert 0.9 <= float(result.ingest["encoding_confidence"]) <= 1  # type: ignore[arg-type]


def test_western_legacy_text_reads_as_before_and_mojibake_is_still_repaired() -> None:
    news = "The minister’s “reform” plan – announced on Friday – was criticised by the café owners.\n"
    assert clean_bytes(news.encode("cp1252"), "news.txt", OFF).ingest["encoding"] == "windows-1252"
    assert clean_bytes(news.encode("cp1252"), "news.txt", OFF).output == news
    french = "Le ministre a annoncé une réforme très ambitieuse à Paris.\n"
    assert clean_bytes(french.encode("latin-1"), "fr.txt", OFF).output == french
    # UTF-8 with a Windows-1252 patch keeps its UTF-8 and reads the patch.
    patched = "Kyiv’s talks – day one. ".encode() + "Café owners".encode("cp1252") + " met.\n".encode()
    result = clean_bytes(patched, "patched.txt", OFF)
    assert result.output == "Kyiv’s talks – day one. Café owners met.\n" and result.ingest["encoding"] == "utf-8 with windows-1252 bytes"
    # UTF-8 read as Windows-1252 upstream (mojibake in a UTF-8 file) is ftfy's to repair.
    assert clean_bytes("This weekâ€™s meeting.\n".encode(), "m.txt", OFF).output == "This week’s meeting.\n"


def test_an_encoding_that_cannot_be_told_is_refused_in_one_line_and_the_batch_goes_on(tmp_path: Path) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "short.txt").write_bytes("会議".encode("shift_jis"))  # as well Big5, GBK or EUC-KR
    (folder / "noise.txt").write_bytes(bytes(range(128, 256)))
    (folder / "fine.txt").write_text("A  fine text.\n", encoding="utf-8")
    result = CliRunner().invoke(main, ["clean", str(folder), "-o", str(tmp_path / "out"), "--grammar", "off", "--no-cache", "--jobs", "1"])
    errors = sorted(line for line in result.stderr.splitlines() if line.startswith("error["))
    assert result.exit_code == 2 and len(errors) == 2
    assert all(line.startswith("error[C206]") and "not cleaned" in line for line in errors)
    assert "noise.txt" in errors[0] and "short.txt" in errors[1] and "cp932" in errors[1]
    assert (tmp_path / "out" / "fine.txt").read_text(encoding="utf-8") == "A fine text.\n"
    assert not (tmp_path / "out" / "short.txt").exists()


@pytest.mark.parametrize("codec", ["shift_jis", "gb18030", "euc-kr"])
def test_in_place_writes_a_legacy_file_back_in_its_encoding(codec: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    text = LEGACY[codec][0]
    doc = tmp_path / "legacy.txt"
    doc.write_bytes(text.replace("。", "。  ", 1).encode(codec))  # two spaces to clean
    result = CliRunner().invoke(main, ["clean", "--in-place", str(doc), "--report", str(tmp_path / "log"), "--grammar", "off", "--no-cache", "--jobs", "1"])
    assert result.exit_code == 0, result.output
    assert doc.read_bytes().decode(codec) == text.replace("。", "。 ", 1)  # cleaned, in its own encoding
    entry = json.loads((tmp_path / "log" / "report.json").read_text(encoding="utf-8"))["documents"][0]
    assert entry["encoding"] in LEGACY[codec][1] and entry["encoding_confidence"] >= 0.9
    assert f"| {entry['encoding']} (confidence" in (tmp_path / "log" / "REPORT.md").read_text(encoding="utf-8")


def test_in_place_refuses_text_its_encoding_cannot_hold(tmp_path: Path) -> None:
    doc = tmp_path / "legacy.txt"
    doc.write_bytes("会議は延期された。\n".encode("cp932"))
    with pytest.raises(OutputError) as error:
        write_in_place(doc, "会議は延期された 😀\n", encoding="cp932")
    assert "cp932" in str(error.value) and "U+1F600" in str(error.value) and "line 1" in str(error.value)
    assert doc.read_bytes().decode("cp932") == "会議は延期された。\n"  # untouched


# --- Control characters: a stray one is an edit; only real binary data is refused.


def test_a_stray_control_byte_is_removed_as_an_edit_not_refused_as_binary() -> None:
    result = clean_bytes(b"Meeting moved to 10am.\a", "bell.txt", OFF)  # main: C202 binary
    assert result.output == "Meeting moved to 10am.\n"
    assert any(f.rule_id == "normalise.encoding-repair" and any(e.before == "\a" for e in f.edits) for _, f in result.log.applied)
    text = "Line one\x01 has\x08 a few\x7f controls; the document is kept.\n".encode()
    assert clean_bytes(text, "controls.txt", OFF).output == "Line one has a few controls; the document is kept.\n"


@pytest.mark.parametrize("data", [b"text\x00with NUL bytes", bytes(range(1, 32)) * 40 + b"some text"])
def test_real_binary_data_is_still_refused(data: bytes) -> None:
    with pytest.raises(BinaryInputError):
        clean_bytes(data, "binary.txt", OFF)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Jane Doe\vPhone: 555 0100", "Jane Doe\nPhone: 555 0100\n"),
        ("Page one.\fPage two.", "Page one.\nPage two.\n"),
        ("Line one\u2028line two.", "Line one\nline two.\n"),
    ],
)
def test_vertical_tab_and_form_feed_become_line_breaks_not_glue(text: str, expected: str) -> None:
    result = clean_text(text, OFF)
    assert result.output == expected  # main: "Jane DoePhone"
    assert any(f.rule_id == "normalise.line-separators" for _, f in result.log.applied)
    assert replay(text, result.log) == result.output


@pytest.mark.parametrize(("text", "expected"), [("a\ud800b", "a\ufffdb\n"), ("x\udc00", "x\ufffd\n"), ("ok \ud83d\ude00", "ok 😀\n")])
def test_lone_surrogates_from_the_library_api_are_repaired(text: str, expected: str) -> None:
    result = clean_text(text, OFF)  # main: UnicodeEncodeError
    assert result.output == expected
    assert replay(text, result.log) == result.output
    assert any(e.before.startswith(text[1]) or text[-1] in e.before for _, f in result.log.applied for e in f.edits)


@pytest.mark.parametrize(
    ("pattern", "text"),
    [
        (r"(?i)skip to (?:content|navigation)", "\u017fKIP TO \u212aONTENT and Skip to navigation"),  # long s, Kelvin sign
        (r"(?i:photo|image) credit: \w+", "IMAGE credit: Reuters; Photo credit: AP"),
        (r"(?:Photos?|Pictures?): [A-Z]\w+", "Pictures: Getty"),
        (r"[|•·»][a-z]{1,3}", "home»news · sport"),
        (r"(?i)(?:©|copyright) \d{4}", "© 2024, COPYRIGHT 2023"),  # a character without case, under (?i)
    ],
)
def test_texts_skipped_for_lacking_required_strings_are_the_ones_without_a_match(pattern: str, text: str) -> None:
    # A text is skipped, without running RE2, only if it lacks what every match needs:
    # with it, the matches are Python's (narrowed to the strings found or not); without
    # it (each required piece removed), none.
    ours = compile_pattern(pattern)
    finder = RequiredStrings([ours])
    narrowed = finder.narrowed(Haystack(text))[0]
    assert narrowed is not None
    expected = [m.span() for m in re.finditer(pattern, text, re.M)]
    assert [m.span() for m in ours.finditer(text)] == [m.span() for m in narrowed.finditer(text)] == expected
    assert ours.required is not None
    for option in ours.required:
        bare = text
        for piece, folded in option:
            bare = re.sub(re.escape(piece.decode()), "", bare, flags=re.I if folded else 0)
        assert finder.narrowed(Haystack(bare)) == [None] and not list(re.finditer(pattern, bare, re.M)), (pattern, bare)


def test_a_pattern_too_large_for_re2_fails_at_first_use_with_one_error_line() -> None:
    pattern = compile_pattern(r"(?:[\w,]{0,100}x){2,9}")  # it parses; compiled out it is too large
    with pytest.raises(RulePackError, match="pattern too large"):
        list(pattern.finditer("xx"))
    assert list(pattern.finditer("no such letter here")) == []  # skipped: no 'x', nothing compiled


def test_patterns_needing_more_strings_than_one_re2_set_holds_each_look_for_their_own(monkeypatch: pytest.MonkeyPatch) -> None:
    # A huge rule pack (here: a set given almost no memory) cannot have one set of all
    # its required strings: the finder then checks each pattern alone, with the same answers.
    import re2

    import cleaner.patterns as patterns

    sources = [r"(?i)(?:follow|like) us on (?:twitter|facebook)", r"©.{1,9}", r"Photo: [A-Z]\w+", r"(?i)skip to content"]
    compiled = [compile_pattern(source) for source in sources]
    texts = ["Like us on Facebook. Photo: Reuters", "© 2024 and SKIP TO CONTENT", "nothing here"]
    expected = [[p is not None for p in RequiredStrings(compiled).narrowed(Haystack(text))] for text in texts]
    tiny = re2.Options()
    tiny.log_errors = False
    tiny.max_mem = 1 << 8
    monkeypatch.setattr(patterns, "_SET_OPTIONS", tiny)
    finder = RequiredStrings(compiled)
    assert finder._set is None  # the set could not be compiled
    assert [[p is not None for p in finder.narrowed(Haystack(text))] for text in texts] == expected == [[True, False, True, False], [False, True, False, True], [False] * 4]


def test_a_huge_alternation_is_not_minimised_for_the_prefilter(monkeypatch: pytest.MonkeyPatch) -> None:
    # Dropping the strings that hold another is quadratic in their number: an alternation
    # of thousands (a hostile rule pack) is left out of the prefilter instead.
    import cleaner.patterns as patterns

    minimised: list[int] = []
    minimal = patterns._minimal
    monkeypatch.setattr(patterns, "_minimal", lambda pieces: minimised.append(len(pieces)) or minimal(pieces))
    words = "|".join(f"word{i}x" for i in range(5_000))
    pattern = patterns.compile_pattern(f"(?:{words}) end")
    assert max(minimised, default=0) <= 4 * patterns._MAX_ALTERNATIVES
    assert pattern.required is not None and all(len(option) <= patterns._MAX_ALTERNATIVES for option in pattern.required)
    assert [m.group() for m in pattern.finditer("a word42x end")] == ["word42x end"]
