"""Configuration validation: a hostile or mistyped ``[tool.cleaner]`` is refused, naming the key.

A configuration may come from a pull request nobody has read; values that would switch
a limit off (``nan``, ``inf``), mean nothing (negative thresholds) or reach outside the
project (``rules = ["../../.."]``) must stop the run with one line, not be interpreted.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from cleaner.cli import main
from cleaner.config import Config, from_mapping
from cleaner.errors import ConfigError

NAN, INF = float("nan"), float("inf")


@pytest.mark.parametrize(
    ("table", "named"),
    [
        ({"max-document-mb": NAN}, "max-document-mb"),
        ({"max-document-mb": INF}, "max-document-mb"),
        ({"max-document-mb": 0}, "max-document-mb"),
        ({"max-document-mb": -1}, "max-document-mb"),
        ({"max-document-mb": 10**400}, "max-document-mb"),
        ({"time-limit": NAN}, "time-limit"),
        ({"time-limit": INF}, "time-limit"),
        ({"time-limit": 0}, "time-limit"),
        ({"time-limit": -1}, "time-limit"),
        ({"time-limit": "60s"}, "time-limit"),
        ({"spin-threshold": NAN}, "spin-threshold"),
        ({"spin-threshold": -5}, "spin-threshold"),
        ({"spin-threshold": INF}, "spin-threshold"),
        ({"spin-threshold": "high"}, "spin-threshold"),
        ({"rules": ["../../../../"]}, "rules"),
        ({"rules": ["packs/../../elsewhere"]}, "rules"),
        ({"rules": ["/etc"]}, "rules"),
        ({"rules": [""]}, "rules"),
        ({"rules": "packs"}, "rules"),
        ({"unsafe-fixes": "yes"}, "unsafe-fixes"),
        ({"stages": ["normalise", "spellcheck"]}, "stages"),
        ({"grammar": "gpt"}, "grammar"),
        ({"typography": 1}, "typography"),
        ({"fail-on": "fatal"}, "fail-on"),
        ({"select": ["spin", ""]}, "select"),
        ({"ignore": ["spin..x"]}, "ignore"),
        ({"include": [""]}, "include"),
        ({"languagetool-url": "file:///etc/passwd"}, "languagetool-url"),
        ({"severity": {"spin": "fatal"}}, "severity"),
        ({"severity": {" ": "info"}}, "severity"),
        ({"per-path": {"*.md": {"ignore": [""]}}}, "per-path"),
        ({"per-path": {"*.md": {"skip": ["spin"]}}}, "per-path"),
        ({"spin-threshold": 1, "spin_threshold": 2}, "spin"),
    ],
)
def test_bad_value_is_refused_naming_the_key(table: dict[str, object], named: str) -> None:
    with pytest.raises(ConfigError) as error:
        from_mapping(table, "pyproject.toml [tool.cleaner]")
    line = error.value.one_line()
    assert "pyproject.toml [tool.cleaner]" in line and named in line
    assert "\n" not in line


def test_good_values_are_accepted() -> None:
    config = from_mapping(
        {"max-document-mb": 5, "spin-threshold": 0, "rules": ["packs/extra"], "languagetool-url": "http://localhost:8081", "select": ["grammar.harper.AnA"]},
        "cleaner.toml",
    )
    assert config.max_document_mb == 5.0 and config.spin_threshold == 0.0 and config.rules == ("packs/extra",)


def test_a_folder_outside_the_project_may_be_named_on_the_command_line() -> None:
    assert Config().with_overrides(rules=("../shared-rules",)).rules == ("../shared-rules",)
    with pytest.raises(ConfigError, match="max-document-mb"):
        Config().with_overrides(max_document_mb=float("nan"))


def test_the_cli_stops_with_one_line_naming_the_key(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "cleaner.toml").write_text('rules = ["../../../../"]\nmax-document-mb = nan\n')
    (tmp_path / "a.txt").write_text("x\n")
    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(main, ["clean", "a.txt", "-o", "out", "--grammar", "off", "--no-cache"], catch_exceptions=False)
    assert result.exit_code == 2
    [line] = [line for line in result.stderr.splitlines() if line.strip()]
    assert line.startswith("error[C210]") and ("rules" in line or "max-document-mb" in line)
    assert not (tmp_path / "out").exists()
