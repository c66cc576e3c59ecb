"""Harper for real: allowlisted fixes applied, everything else reported, names untouched."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from cleaner import Config, clean_text
from cleaner.engines.languagetool import LanguageToolEngine, local_installation, to_engine_matches
from cleaner.errors import EngineUnavailable

HARPER = Config(grammar="harper", select=("grammar", "normalise"))


def test_allowlisted_fixes_are_applied() -> None:
    result = clean_text("They reached a agreement with out delay in the the end.\n", HARPER)
    assert result.output == "They reached an agreement without delay in the end.\n"
    assert {f.rule_id for _, f in result.log.applied} >= {"grammar.harper.an-a", "grammar.harper.repeated-words", "grammar.harper.without"}


def test_names_and_british_spellings_are_never_changed() -> None:
    text = "Witkoff met Dmitriev in Druzhkivka; plans were centred and finalised.\n"
    result = clean_text(text, HARPER)
    assert result.output == text
    assert not [f for _, f in result.log.findings if f.rule_id == "grammar.harper.spell-check"]


#: One match exactly as LanguageTool's /v2/check returns it (offsets in UTF-16 units).
LT_MATCH = {
    "message": "Did you mean “This is”?",
    "shortMessage": "Grammatical problem",
    "replacements": [{"value": "This is"}],
    "offset": 3,
    "length": 8,
    "context": {"text": "😀 This are bad.", "offset": 3, "length": 8},
    "sentence": "😀 This are bad.",
    "type": {"typeName": "Other"},
    "rule": {"id": "THIS_NNS", "description": "this + plural", "issueType": "grammar", "category": {"id": "GRAMMAR", "name": "Grammar"}},
    "ignoreForIncompleteSentence": False,
    "contextForSureMatch": 0,
}


def test_languagetool_json_offsets_are_converted() -> None:
    import language_tool_python

    text = "😀 This are bad."
    [match] = to_engine_matches([language_tool_python.Match(dict(LT_MATCH), text)])
    assert text[match.start : match.end] == "This are"
    assert (match.engine_rule, match.category, match.suggestions) == ("THIS_NNS", "GRAMMAR", ("This is",))


def test_languagetool_is_never_downloaded(tmp_path, monkeypatch, no_network) -> None:  # type: ignore[no-untyped-def]
    import language_tool_python.download_lt as download_lt

    def refuse(*args: object) -> None:
        raise AssertionError("language-tool-python tried to download LanguageTool")

    monkeypatch.setattr(download_lt.ReleaseLocalLanguageTool, "download", refuse)
    monkeypatch.setenv("LTP_PATH", str(tmp_path))
    monkeypatch.delenv("LTP_JAR_DIR_PATH", raising=False)
    with pytest.raises(EngineUnavailable, match="neither configured as a server nor installed locally"):
        LanguageToolEngine.connect("")
    assert list(tmp_path.iterdir()) == []


def test_local_languagetool_installation_is_found(tmp_path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    import shutil

    if shutil.which("java") is None:
        pytest.skip("no java on PATH: a local LanguageTool cannot run here")
    for version in ("6.8", "6.10"):
        (tmp_path / f"LanguageTool-{version}").mkdir()
        (tmp_path / f"LanguageTool-{version}" / "languagetool-server.jar").write_bytes(b"")
    monkeypatch.setenv("LTP_PATH", str(tmp_path))
    monkeypatch.delenv("LTP_JAR_DIR_PATH", raising=False)
    found = local_installation()
    assert found is not None and found.version == "6.10"


def test_languagetool_through_language_tool_python_on_a_loopback_server() -> None:
    """language-tool-python's remote mode against LanguageTool's wire format on loopback.

    Not LanguageTool itself (the tests below run that, where a server is built): a
    replay of its /v2/languages and /v2/check responses, to test the adapter path
    on any machine, Java or not.
    """
    import json
    import threading
    from http.server import BaseHTTPRequestHandler, HTTPServer

    text = "😀 This are bad."

    class Replay(BaseHTTPRequestHandler):
        def _send(self, payload: object) -> None:
            body = json.dumps(payload).encode()
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def do_GET(self) -> None:  # noqa: N802 - http.server's name
            self._send([{"name": "English (GB)", "code": "en", "longCode": "en-GB"}])

        def do_POST(self) -> None:  # noqa: N802
            self.rfile.read(int(self.headers["Content-Length"]))
            self._send({"software": {"name": "LanguageTool", "version": "6.8"}, "matches": [dict(LT_MATCH)]})

        def log_message(self, *args: object) -> None:
            pass

    server = HTTPServer(("127.0.0.1", 0), Replay)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        engine = LanguageToolEngine.connect(f"http://127.0.0.1:{server.server_port}")
        [match] = engine.check(text)
        assert text[match.start : match.end] == "This are"
    finally:
        server.shutdown()


def test_languagetool_server_fixes_allowlisted_rules_and_names_itself(languagetool_url: str) -> None:
    from cleaner.engines.languagetool_server import pinned_version

    result = clean_text("They reached a agreement with out delay in the the end.\n", Config(grammar="languagetool", languagetool_url=languagetool_url, select=("grammar", "normalise")))
    assert result.output == "They reached an agreement without delay in the end.\n"
    assert result.stages["grammar"]["engine"] == "languagetool"
    assert result.stages["grammar"]["version"] == pinned_version()
    assert {f.rule_id for _, f in result.log.applied} >= {"grammar.languagetool.en-a-vs-an", "grammar.languagetool.with-out", "grammar.languagetool.english-word-repeat-rule"}
    # LanguageTool's own ids travel with the project's: as evidence and at the end of the message.
    shown = {f.rule_id: (f.evidence["engine_rule"], f.message) for _, f in result.log.applied}
    assert shown["grammar.languagetool.en-a-vs-an"] == ("EN_A_VS_AN", "Wrong indefinite article. [EN_A_VS_AN]")
    assert shown["grammar.languagetool.with-out"][0] == "WITH_OUT"


BRITISH = "Witkoff met Dmitriev in Druzhkivka and Kyiv; plans were centred and finalised.\n"


@pytest.mark.parametrize("engine", ["harper", "languagetool"])
def test_names_and_british_spellings_are_kept_by_both_engines(engine: str, request: pytest.FixtureRequest) -> None:
    url = request.getfixturevalue("languagetool_url") if engine == "languagetool" else ""
    result = clean_text(BRITISH, Config(grammar=engine, languagetool_url=url))
    assert result.output == BRITISH
    assert [f.rule_id for _, f in result.log.findings if f.rule_id.startswith("grammar.")] == []


@pytest.mark.parametrize("engine", ["harper", "languagetool"])
def test_user_word_lists_are_honoured_by_both_engines(engine: str, tmp_path, request: pytest.FixtureRequest) -> None:  # type: ignore[no-untyped-def]
    url = request.getfixturevalue("languagetool_url") if engine == "languagetool" else ""
    text = "The envoy travelled from Pokrovsk to Zvyahel on Monday.\n"
    words = tmp_path / "names.txt"
    words.write_text("# towns\nPokrovsk\nZvyahel\n", encoding="utf-8")

    def flagged(config: Config) -> set[str]:
        result = clean_text(text, config)
        return {text[f.start : f.end] for _, f in result.log.findings if f.rule_id.startswith("grammar.")}

    assert flagged(Config(grammar=engine, languagetool_url=url)) >= {"Pokrovsk", "Zvyahel"}
    assert flagged(Config(grammar=engine, languagetool_url=url, words=(str(words),))) == set()


def test_the_english_variant_reaches_languagetool(languagetool_url: str) -> None:
    text = "The colour of the flag was a surprise.\n"
    british = clean_text(text, Config(grammar="languagetool", languagetool_url=languagetool_url))
    american = clean_text(text, Config(grammar="languagetool", languagetool_url=languagetool_url, language="en-US"))
    assert [f.rule_id for _, f in british.log.findings] == []
    assert [(f.rule_id, text[f.start : f.end]) for _, f in american.log.findings] == [("grammar.languagetool.morfologik-rule-en-us", "colour")]


def test_paragraph_batches_find_what_one_request_finds(languagetool_url: str) -> None:
    from cleaner.engines import languagetool

    engine = LanguageToolEngine.connect(languagetool_url)
    text = "".join(f"Paragraph {i} has a error in it. 😀 They went to the the talks.\n\n" for i in range(150))
    assert len(languagetool.paragraph_batches(text)) > 1
    whole = languagetool.to_engine_matches(engine._tool.check(text))
    batched = engine.check(text)
    assert [(m.engine_rule, m.start, m.end) for m in batched] == [(m.engine_rule, m.start, m.end) for m in whole]
    assert {text[m.start : m.end] for m in batched} == {"a", "the the"}


def test_clean_seeds_report_names_languagetool_its_version_and_rule_ids(languagetool_url: str, tmp_path) -> None:  # type: ignore[no-untyped-def]
    import json

    from click.testing import CliRunner

    from cleaner.cli import main
    from cleaner.engines.languagetool_server import pinned_version

    from .conftest import SEEDS

    out = tmp_path / "out"
    result = CliRunner().invoke(main, ["clean", str(SEEDS[0].parent), "-o", str(out), "--grammar", "languagetool", "--languagetool-url", languagetool_url, "--jobs", "1"])
    assert result.exit_code in (0, 1), result.output
    report = json.loads((out / "report.json").read_text(encoding="utf-8"))
    assert {(d["grammar"]["engine"], d["grammar"]["version"]) for d in report["documents"]} == {("languagetool", pinned_version())}
    findings = [f for d in report["documents"] for p in d["passes"] for f in p["findings"] if f["rule"].startswith("grammar.")]
    rules = {f["rule"] for f in findings}
    assert "grammar.languagetool.morfologik-rule-en-gb" in rules
    assert not [r for r in rules if not r.startswith("grammar.languagetool.")]
    # Each finding shows LanguageTool's own rule id (evidence and message), the one its documentation uses.
    spelling = [f for f in findings if f["rule"] == "grammar.languagetool.morfologik-rule-en-gb"]
    assert {f["evidence"]["engine_rule"] for f in spelling} == {"MORFOLOGIK_RULE_EN_GB"}
    assert all(report["messages"][f["message"]].endswith(" [MORFOLOGIK_RULE_EN_GB]") for f in spelling)
    assert f"Grammar engine: languagetool {pinned_version()} " in (out / "REPORT.md").read_text(encoding="utf-8")
    checked = CliRunner().invoke(main, ["check", str(SEEDS[1]), "--grammar", "languagetool", "--languagetool-url", languagetool_url, "--exit-zero"])
    assert "grammar.languagetool.morfologik-rule-en-gb: Possible spelling mistake found. [MORFOLOGIK_RULE_EN_GB]" in checked.output, checked.output


def test_languagetool_without_a_server_says_in_one_line_how_to_get_one(tmp_path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    from click.testing import CliRunner

    from cleaner.cli import main
    from cleaner.services import started_engine

    monkeypatch.setenv("LTP_PATH", str(tmp_path))
    monkeypatch.delenv("LTP_JAR_DIR_PATH", raising=False)
    monkeypatch.delenv("CLEANER_LANGUAGETOOL_URL", raising=False)
    (tmp_path / "doc.txt").write_text("Fine text.\n", encoding="utf-8")
    started_engine.cache_clear()
    result = CliRunner().invoke(main, ["check", str(tmp_path / "doc.txt"), "--grammar", "languagetool", "--isolated", "--jobs", "1"])
    started_engine.cache_clear()
    assert result.exit_code == 2
    [line] = [l for l in result.output.splitlines() if "error[" in l]
    assert "cleaner languagetool build" in line and "--languagetool-url" in line and "--grammar harper" in line


def test_report_counts_grammar_findings_before_and_after_cleaning() -> None:
    from cleaner import clean_bytes

    from .conftest import SPUN_SEED

    result = clean_bytes(SPUN_SEED.read_bytes(), SPUN_SEED.name, Config(grammar="harper"))
    counts = result.stages["grammar"]
    before, after = counts["before"], counts["after"]
    assert isinstance(before, dict) and isinstance(after, dict)
    assert sum(after.values()) < sum(before.values())


def test_auto_picks_harper_when_languagetool_needs_a_download(tmp_path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    from cleaner.engines.harper import HarperEngine
    from cleaner.services import start_engine, started_engine

    monkeypatch.setenv("LTP_PATH", str(tmp_path))
    monkeypatch.delenv("LTP_JAR_DIR_PATH", raising=False)
    monkeypatch.delenv("CLEANER_LANGUAGETOOL_URL", raising=False)
    started_engine.cache_clear()
    try:
        assert isinstance(start_engine("auto", ""), HarperEngine)
        with pytest.raises(EngineUnavailable):
            start_engine("languagetool", "")
    finally:
        started_engine.cache_clear()


def test_the_pom_pins_languagetool_server_and_english(tmp_path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    import re
    import xml.etree.ElementTree as ET

    from cleaner.engines import languagetool_server as server

    ns = "{http://maven.apache.org/POM/4.0.0}"
    deps = {(d.findtext(f"{ns}groupId"), d.findtext(f"{ns}artifactId"), d.findtext(f"{ns}version")) for d in ET.parse(server.pom_path()).getroot().iter(f"{ns}dependency")}
    assert deps == {("org.languagetool", "languagetool-server", "${languagetool.version}"), ("org.languagetool", "language-en", "${languagetool.version}")}
    assert re.fullmatch(r"\d+\.\d+(\.\d+)?", server.pinned_version())
    monkeypatch.setenv("PATH", str(tmp_path))  # neither mvn nor java
    with pytest.raises(EngineUnavailable, match="Maven"):
        server.build(tmp_path / "lt")
    with pytest.raises(EngineUnavailable, match="java"):
        server.server_command(tmp_path / "lt", 8081)


def test_serving_an_unbuilt_folder_says_to_build_it(tmp_path) -> None:  # type: ignore[no-untyped-def]
    import shutil

    from cleaner.engines import languagetool_server as server

    if shutil.which("java") is None:
        pytest.skip("no java on PATH: the java check comes first")
    with pytest.raises(EngineUnavailable) as error:
        server.server_command(tmp_path, 8081)
    assert "cleaner languagetool build" in error.value.one_line()


def test_an_unreadable_word_list_is_one_error_naming_it(tmp_path) -> None:  # type: ignore[no-untyped-def]
    from cleaner.errors import ConfigError

    missing = tmp_path / "names.txt"
    with pytest.raises(ConfigError, match="names.txt: cannot read word list"):
        clean_text("Fine text.\n", Config(grammar="harper", words=(str(missing),)))


@given(st.lists(st.text(alphabet="ab .\n\t😀", max_size=30), max_size=30), st.integers(min_value=1, max_value=40))
def test_paragraph_batches_cover_the_text_in_order(pieces: list[str], limit: int) -> None:
    from cleaner.engines.languagetool import PARAGRAPH_BREAK, paragraph_batches

    text = "\n\n".join(pieces)
    batches = paragraph_batches(text, limit)
    assert "".join(piece for _, piece in batches) == text
    assert all(text[offset : offset + len(piece)] == piece and piece for offset, piece in batches)
    # a batch over the limit is one paragraph: no cut was possible inside it
    assert all(len(piece) <= limit or not [b for b in PARAGRAPH_BREAK.finditer(piece) if b.end() < len(piece)] for _, piece in batches)
