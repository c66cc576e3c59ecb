"""Configuration: one frozen record, read from ``[tool.cleaner]`` or ``cleaner.toml``.

Every option, its default and its risk:

``typography`` (``"keep"``)
    ``keep`` leaves the author's curly quotes and dashes alone; ``straight`` turns curly
    quotes into straight ones and en/em dashes into ``-``/``--``. Changing it rewrites
    characters in every document, so it is a written decision, not ftfy's default.
``select`` / ``ignore`` (``[]``)
    Rule id prefixes to run or skip; the most specific prefix wins.
``unsafe_fixes`` (``false``)
    Also apply fixes marked ``unsafe``. Risky: they may change meaning.
``rules`` (``[]``)
    Extra folders of rule packs, read after the shipped ones.
``grammar`` (``"auto"``)
    ``auto``, ``languagetool``, ``harper`` or ``off``.
``languagetool_url`` (``""``)
    A LanguageTool HTTP server to use; never a public one unless named here.
``spin_threshold`` (``1.5``)
    Spin score (spin evidence per 100 words: a signature hit counts 1, a contextual
    hit 0.5) at or above which a document is judged spun and contextual spin rules
    may fire; a document also needs two signature hits, and 0 treats every document
    as spun. Measured: 0.0 on the four clean seeds, 1.9 to 3.9 on them spun with
    seed 001's vocabulary (benchmarks/spin_heldout.py), 7.5 on seed 001.
``fail_on`` (``"error"``)
    Lowest finding severity that makes ``check`` and ``clean`` exit 1.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass, fields, replace
from pathlib import Path

from cleaner.errors import ConfigError

_CHOICES: dict[str, frozenset[str]] = {
    "typography": frozenset({"keep", "straight"}),
    "grammar": frozenset({"auto", "languagetool", "harper", "off"}),
    "fail_on": frozenset({"info", "warning", "error"}),
}


@dataclass(frozen=True, slots=True)
class Config:
    """The effective settings of one run (see the module docstring for each option)."""

    typography: str = "keep"
    select: tuple[str, ...] = ()
    ignore: tuple[str, ...] = ()
    unsafe_fixes: bool = False
    rules: tuple[str, ...] = ()
    grammar: str = "auto"
    languagetool_url: str = ""
    spin_threshold: float = 1.5
    fail_on: str = "error"

    def with_overrides(self, **values: object) -> Config:
        """Return a copy with the given non-``None`` values (command-line flags) applied."""
        given = {k: v for k, v in values.items() if v is not None}
        return validate(replace(self, **given), "command line")  # type: ignore[arg-type]


def validate(config: Config, origin: str) -> Config:
    """Check choice-valued options; raise :class:`ConfigError` naming the key."""
    for key, choices in _CHOICES.items():
        value = getattr(config, key)
        if value not in choices:
            raise ConfigError(f"{origin}: {key} = {value!r} is not one of {sorted(choices)}")
    return config


def from_mapping(table: dict[str, object], origin: str) -> Config:
    """Build a config from a TOML table; unknown keys are errors that name the key."""
    known = {f.name: f for f in fields(Config)}
    values: dict[str, object] = {}
    for raw_key, value in table.items():
        key = raw_key.replace("-", "_")
        if key not in known:
            raise ConfigError(f"{origin}: unknown key {raw_key!r}", hint=f"known keys: {', '.join(sorted(known))}")
        default = known[key].default
        if isinstance(default, tuple):
            if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
                raise ConfigError(f"{origin}: {raw_key} must be a list of strings")
            value = tuple(value)
        elif isinstance(default, bool):
            if not isinstance(value, bool):
                raise ConfigError(f"{origin}: {raw_key} must be true or false")
        elif isinstance(default, float):
            if not isinstance(value, int | float) or isinstance(value, bool):
                raise ConfigError(f"{origin}: {raw_key} must be a number")
            value = float(value)
        elif not isinstance(value, str):
            raise ConfigError(f"{origin}: {raw_key} must be a string")
        values[key] = value
    return validate(Config(**values), origin)  # type: ignore[arg-type]


def load_config(start: Path | None = None) -> Config:
    """Find ``cleaner.toml`` or a ``pyproject.toml`` with ``[tool.cleaner]`` upwards from ``start``."""
    folder = (start or Path.cwd()).resolve()
    for candidate in (folder, *folder.parents):
        standalone = candidate / "cleaner.toml"
        if standalone.is_file():
            return from_mapping(_read_toml(standalone), str(standalone))
        pyproject = candidate / "pyproject.toml"
        if pyproject.is_file():
            tool = _read_toml(pyproject).get("tool", {})
            if isinstance(tool, dict) and isinstance(tool.get("cleaner"), dict):
                return from_mapping(tool["cleaner"], f"{pyproject} [tool.cleaner]")
    return Config()


def _read_toml(path: Path) -> dict[str, object]:
    """Read a TOML file or raise a :class:`ConfigError` naming it."""
    try:
        return tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
        raise ConfigError(f"{path}: cannot read configuration: {exc}") from None
