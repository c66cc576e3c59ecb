"""Harper for real: allowlisted fixes applied, everything else reported, names untouched."""

from __future__ import annotations

import pytest

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

    Not LanguageTool itself (that needs a download this machine cannot make): a
    replay of its /v2/languages and /v2/check responses, to test the adapter path.
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


def test_languagetool_server_when_available() -> None:
    import os

    if not os.environ.get("CLEANER_LANGUAGETOOL_URL"):
        pytest.skip("no LanguageTool server: set CLEANER_LANGUAGETOOL_URL to run against one")
    result = clean_text("They reached a agreement.\n", Config(grammar="languagetool"))
    assert result.stages["grammar"]["engine"] == "languagetool"


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
    from cleaner.services import start_engine

    monkeypatch.setenv("LTP_PATH", str(tmp_path))
    monkeypatch.delenv("LTP_JAR_DIR_PATH", raising=False)
    monkeypatch.delenv("CLEANER_LANGUAGETOOL_URL", raising=False)
    start_engine.cache_clear()
    try:
        assert isinstance(start_engine("auto", ""), HarperEngine)
        with pytest.raises(EngineUnavailable):
            start_engine("languagetool", "")
    finally:
        start_engine.cache_clear()
