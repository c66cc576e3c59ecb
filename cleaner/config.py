"""Configuration: one frozen record, read from ``[tool.cleaner]`` or ``cleaner.toml``.

Command-line flags override the file; :func:`resolve` also says where each value came
from (``cleaner config`` prints it). Every option, its default and its risk:

``typography`` (``"keep"``)
    ``keep`` leaves the author's curly quotes and dashes alone; ``straight`` turns curly
    quotes into straight ones and en/em dashes into ``-``/``--``. Changing it rewrites
    characters in every document, so it is a written decision, not ftfy's default.
``stages`` (all: ``["normalise", "structure", "spin", "grammar"]``)
    The text stages to run (their order is fixed by the pipeline).
``select`` / ``ignore`` (``[]``)
    Rule id prefixes to run or skip; the most specific prefix wins.
``unsafe_fixes`` (``false``)
    Also apply fixes marked ``unsafe``. Risky: they may change meaning.
``rules`` (``[]``)
    Extra folders of rule packs, read after the shipped ones. A configuration file may
    name only relative folders that stay below it (no absolute path, no ``..``);
    ``--rules DIR`` on the command line may name any folder.
``grammar`` (``"auto"``)
    ``auto``, ``languagetool``, ``harper`` or ``off``.
``languagetool_url`` (``""``)
    A LanguageTool HTTP server to use (an ``http://`` or ``https://`` URL); never a
    public one unless named here.
``language`` (``"en-GB"``)
    The English variant both grammar engines check against: ``en-GB`` (British,
    -ise spellings, LanguageTool's Oxford -ize hints off), ``en-US``, ``en-AU`` or
    ``en-CA`` (Harper's dialects of the same names).
``words`` (``[]``)
    The user's word lists (one word per line, ``#`` comments), accepted by both
    engines on top of the project's ``rules/grammar/words.txt``: names and spellings
    that must stay untouched and unreported. Paths are the user's, read at run time.
``spin_threshold`` (``1.5``)
    Spin score (spin evidence per 100 words: a signature hit counts 1, a contextual
    hit 0.5) at or above which a document is judged spun and contextual spin rules
    may fire; a document also needs two signature hits, and 0 treats every document
    as spun. Measured: 0.0 on the four clean seeds, 1.9 to 3.9 on them spun with
    seed 001's vocabulary (benchmarks/spin_heldout.py), 7.5 on seed 001. A finite
    number from 0 to 100.
``spin_dictionaries`` (``[]``)
    A spinner's own synonym-group files (``a|b|c`` per line), for a corpus whose
    spinner is known: each member becomes a candidate original of every other, the
    context scorer decides (rule ``spin.groups.user-dictionary``). The project ships
    none; paths are the user's, read at run time, never fetched.
``fail_on`` (``"error"``)
    Lowest finding severity that makes ``check`` and ``clean`` exit 1.
``max_document_mb`` (``20.0``)
    Larger inputs are refused with a one-line error (the batch goes on): a "document"
    of 50 MB is usually a dump that should be split, and the grammar engines' cost
    grows faster than linearly with it. A finite number above 0 and at most 1024.
``time_limit`` (``60.0``)
    Seconds one document may take to clean; a document that takes longer gets a
    one-line error (C208) and the batch goes on, so one runaway document (a case no
    one has met yet that is slower than linear) cannot stall a run. Ordinary news
    articles take well under a second. A finite number above 0 and at most 86400.
``text_field`` (``"text"``) / ``id_field`` (``"id"``)
    In JSON Lines and Parquet corpora, the field (column) holding each record's text,
    and the one naming it in reports, diffs and check positions (``file:id``); a
    record without a usable id is named by its number in the file.
``html_output`` (``"text"``)
    What a saved HTML page's article text is written as: ``text`` (``<name>.txt``) or
    ``markdown`` (``<name>.md``, headings and emphasis kept).
``repeated_blocks`` (``"report"``) / ``repeated_block_min_documents`` (``3``)
    Blocks (paragraphs, lines of a scrape) found in at least that many documents of
    one batch, such as a site's footer or promo on every page (rule
    ``structure.corpus.repeated-block``, :mod:`cleaner.repeated_blocks`): ``report``
    lists each occurrence as a display-only fix, ``remove`` removes them (a repeated
    sentence of prose is unsafe), ``off`` does not count. Counting reads the batch
    once more before cleaning. A whole number of at least 2.
``include`` (``["*.txt", "*.md", "*.markdown", "*.jsonl", "*.jsonl.gz", "*.ndjson", "*.parquet", "*.html", "*.htm"]``) / ``exclude`` (``[]``) / ``extend_exclude`` (``[]``)
    Glob patterns (matched against the path as found, e.g. ``docs/drafts/a.txt``, the
    path inside the folder given, and the file name) choosing which files and folders
    a folder contributes; ``extend_exclude`` adds to ``exclude`` instead of replacing
    it (``--extend-exclude``). ``.gitignore``/``.cleanerignore`` files and hidden
    folders are skipped too (see :mod:`cleaner.discovery`).
``severity`` (``{}``)
    A table of rule id prefix -> ``info``/``warning``/``error``, overriding the
    severity of what ``check`` reports (the longest prefix wins).
``per_path`` (``{}``)
    A table of glob -> ``{select = [...], ignore = [...]}``: extra rule selection for
    matching files, e.g. ``[tool.cleaner.per-path."notes/*.md"] ignore = ["grammar"]``.
"""

from __future__ import annotations

import fnmatch
import math
import re
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, fields, replace
from pathlib import Path, PurePath, PureWindowsPath

from cleaner.errors import ConfigError

STAGES = ("normalise", "structure", "spin", "grammar")
_LEVELS = frozenset({"info", "warning", "error"})
_CHOICES: dict[str, frozenset[str]] = {
    "typography": frozenset({"keep", "straight"}),
    "grammar": frozenset({"auto", "languagetool", "harper", "off"}),
    "language": frozenset({"en-GB", "en-US", "en-AU", "en-CA"}),
    "fail_on": _LEVELS,
    "html_output": frozenset({"text", "markdown"}),
    "repeated_blocks": frozenset({"off", "report", "remove"}),
}
#: Number option -> (lowest, highest, whether the lowest is allowed). Spin scores are
#: evidence per 100 words, so above 100 no document could reach the threshold.
_RANGES: dict[str, tuple[float, float, bool]] = {
    "spin_threshold": (0.0, 100.0, True),
    "max_document_mb": (0.0, 1024.0, False),
    "time_limit": (0.0, 86400.0, False),
    "repeated_block_min_documents": (2, 1_000_000_000, True),
}
#: Fields the batch sets (never a configuration key or a flag, not shown by ``cleaner config``).
INTERNAL = frozenset({"corpus_blocks", "final_newline"})
_RULE_PREFIX = re.compile(r"^[A-Za-z0-9_-]+(?:\.[A-Za-z0-9_-]+)*$")
_URL = re.compile(r"^https?://[^\s/?#]+(?:[/?#]\S*)?$")
#: The origin of values given as flags (rules folders named there are the user's choice).
COMMAND_LINE = "command line"


@dataclass(frozen=True, slots=True)
class PathRules:
    """Extra rule selection for files matching ``glob`` (``per_path`` in the file)."""

    glob: str
    select: tuple[str, ...] = ()
    ignore: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class Config:
    """The effective settings of one run (see the module docstring for each option)."""

    typography: str = "keep"
    stages: tuple[str, ...] = STAGES
    select: tuple[str, ...] = ()
    ignore: tuple[str, ...] = ()
    unsafe_fixes: bool = False
    rules: tuple[str, ...] = ()
    grammar: str = "auto"
    languagetool_url: str = ""
    language: str = "en-GB"
    words: tuple[str, ...] = ()
    spin_threshold: float = 1.5
    spin_dictionaries: tuple[str, ...] = ()
    fail_on: str = "error"
    max_document_mb: float = 20.0
    time_limit: float = 60.0
    text_field: str = "text"
    id_field: str = "id"
    html_output: str = "text"
    repeated_blocks: str = "report"
    repeated_block_min_documents: int = 3
    include: tuple[str, ...] = ("*.txt", "*.md", "*.markdown", "*.jsonl", "*.jsonl.gz", "*.ndjson", "*.parquet", "*.html", "*.htm")
    exclude: tuple[str, ...] = ()
    extend_exclude: tuple[str, ...] = ()
    severity: tuple[tuple[str, str], ...] = ()
    per_path: tuple[PathRules, ...] = ()
    #: Set by the batch: (digest, documents) of each block repeated across it (:mod:`cleaner.repeated_blocks`).
    corpus_blocks: tuple[tuple[str, int], ...] = ()
    #: Whether a cleaned text ends in a newline (a file does; a record's text keeps its own convention).
    final_newline: bool = True

    def with_overrides(self, **values: object) -> Config:
        """Return a copy with the given non-``None`` values (command-line flags) applied."""
        given = {k: v for k, v in values.items() if v is not None}
        return validate(replace(self, **given), COMMAND_LINE)  # type: ignore[arg-type]

    def as_table(self) -> dict[str, object]:
        """Return the settings as the configuration file would write them (for ``cleaner config``)."""
        table: dict[str, object] = {}
        for f in fields(self):
            if f.name in INTERNAL:
                continue
            value = getattr(self, f.name)
            if f.name == "severity":
                value = dict(value)
            elif f.name == "per_path":
                value = {e.glob: {"select": list(e.select), "ignore": list(e.ignore)} for e in value}
            elif isinstance(value, tuple):
                value = list(value)
            table[f.name.replace("_", "-")] = value
        return table

    def for_path(self, path: str) -> Config:
        """Return the configuration for one file: ``per_path`` entries that match add rules."""
        select, ignore = list(self.select), list(self.ignore)
        for entry in self.per_path:
            if path_matches(path, entry.glob):
                select += entry.select
                ignore += entry.ignore
        return replace(self, select=tuple(select), ignore=tuple(ignore)) if self.per_path else self

    def wants(self, path: str) -> bool:
        """Tell whether a file found in a folder is included and not excluded."""
        return any(path_matches(path, g) for g in self.include) and not any(path_matches(path, g) for g in (*self.exclude, *self.extend_exclude))

    def severity_of(self, rule_id: str, default: str) -> str:
        """Return the configured severity of ``rule_id`` (longest matching prefix), else ``default``."""
        best = max(((len(p), level) for p, level in self.severity if rule_id == p or rule_id.startswith(p + ".")), default=None)
        return best[1] if best else default


def path_matches(path: str, glob: str) -> bool:
    """Match a slash-separated path, or its file name, against a glob.

    >>> path_matches("seeds/004_x.txt", "seeds/*.txt"), path_matches("a/b/c.md", "*.md"), path_matches("a/b.txt", "*.md")
    (True, True, False)
    """
    return fnmatch.fnmatchcase(path, glob) or fnmatch.fnmatchcase(path.rsplit("/", 1)[-1], glob)


def validate(config: Config, origin: str) -> Config:
    """Check every option's value and range; raise :class:`ConfigError` naming the key.

    A configuration can come from a repository nobody has read (a pull request's
    ``pyproject.toml``), so a value that would silently disable a limit (``nan``,
    ``inf``), mean nothing (a negative threshold) or reach outside the project (a
    rules folder like ``../../..``) is refused, not interpreted.
    """
    for key, choices in _CHOICES.items():
        value = getattr(config, key)
        if value not in choices:
            raise ConfigError(f"{origin}: {_key(key)} = {value!r} is not one of {sorted(choices)}")
    unknown = [s for s in config.stages if s not in STAGES]
    if unknown:
        raise ConfigError(f"{origin}: stages: {unknown[0]!r} is not one of {list(STAGES)}")
    for key, (low, high, low_inclusive) in _RANGES.items():
        value = getattr(config, key)
        if not (math.isfinite(value) and (value >= low if low_inclusive else value > low) and value <= high):
            bound = f"{'at least' if low_inclusive else 'more than'} {low:g} and at most {high:g}"
            raise ConfigError(f"{origin}: {_key(key)} = {value!r} must be a finite number {bound}")
    for key in ("select", "ignore"):
        _check_prefixes(origin, _key(key), getattr(config, key))
    for key in ("text_field", "id_field"):
        if not getattr(config, key):
            raise ConfigError(f"{origin}: {_key(key)}: an empty field name")
    for key in ("include", "exclude"):
        if any(not glob.strip() for glob in getattr(config, key)):
            raise ConfigError(f"{origin}: {_key(key)}: an empty glob pattern")
    for folder in config.rules:
        _check_rules_folder(origin, folder)
    if config.languagetool_url and not _URL.match(config.languagetool_url):
        raise ConfigError(f"{origin}: languagetool-url = {config.languagetool_url!r} is not an http:// or https:// URL")
    for prefix, _level in config.severity:
        _check_prefixes(origin, "severity", (prefix,))
    for entry in config.per_path:
        if not entry.glob.strip():
            raise ConfigError(f"{origin}: per-path: an empty glob pattern")
        _check_prefixes(origin, f"per-path {entry.glob!r} select", entry.select)
        _check_prefixes(origin, f"per-path {entry.glob!r} ignore", entry.ignore)
    return config


def _key(name: str) -> str:
    """Return an option's name as the configuration file spells it."""
    return name.replace("_", "-")


def _check_prefixes(origin: str, key: str, prefixes: tuple[str, ...]) -> None:
    """Refuse a rule id prefix that no rule id could start with (empty, spaces, stray dots)."""
    for prefix in prefixes:
        if not _RULE_PREFIX.match(prefix):
            raise ConfigError(f"{origin}: {key}: {prefix!r} is not a rule id prefix (dotted words such as 'spin' or 'structure.debris')")


def _check_rules_folder(origin: str, folder: str) -> None:
    """Refuse a rules folder that a configuration file points outside its project with.

    On the command line the user names the folder; a configuration file may name only
    a relative folder below the one it is read from (no absolute path, no ``..``).
    """
    if not folder.strip():
        raise ConfigError(f"{origin}: rules: an empty folder name")
    if origin == COMMAND_LINE:
        return
    path = PurePath(folder)
    if path.is_absolute() or PureWindowsPath(folder).is_absolute() or ".." in path.parts or ".." in PureWindowsPath(folder).parts:
        raise ConfigError(
            f"{origin}: rules: {folder!r} leaves the project folder",
            hint="a configuration file may name rule folders below itself only; pass --rules DIR for others",
        )


def from_mapping(table: Mapping[str, object], origin: str) -> Config:
    """Build a config from a TOML table; unknown keys are errors that name the key."""
    known = {f.name: f for f in fields(Config) if f.name not in INTERNAL}
    values: dict[str, object] = {}
    for raw_key, value in table.items():
        key = raw_key.replace("-", "_")
        if key not in known:
            raise ConfigError(f"{origin}: unknown key {raw_key!r}", hint=f"known keys: {', '.join(sorted(known))}")
        if key in values:
            raise ConfigError(f"{origin}: {raw_key!r} is given twice (as {_key(key)!r} and {key!r})")
        values[key] = _convert(key, raw_key, value, known[key].default, origin)
    return validate(Config(**values), origin)  # type: ignore[arg-type]


def _convert(key: str, raw_key: str, value: object, default: object, origin: str) -> object:
    """Check one value's type against its default and convert TOML shapes to the record's."""
    if key == "severity":
        if not isinstance(value, dict) or not all(isinstance(v, str) and v in _LEVELS for v in value.values()):
            raise ConfigError(f"{origin}: severity must be a table of rule prefix = \"info\" | \"warning\" | \"error\"")
        return tuple(sorted(value.items()))
    if key == "per_path":
        if not isinstance(value, dict):
            raise ConfigError(f"{origin}: per-path must be a table of glob = {{select = [...], ignore = [...]}}")
        entries = []
        for glob, rules in value.items():
            if not isinstance(rules, dict) or set(rules) - {"select", "ignore"} or not all(_strings(v) for v in rules.values()):
                raise ConfigError(f"{origin}: per-path {glob!r}: only 'select' and 'ignore' lists of rule prefixes")
            entries.append(PathRules(glob, tuple(rules.get("select", ())), tuple(rules.get("ignore", ()))))
        return tuple(entries)
    if isinstance(default, tuple):
        if not _strings(value):
            raise ConfigError(f"{origin}: {raw_key} must be a list of strings")
        return tuple(value)  # type: ignore[arg-type]
    if isinstance(default, bool):
        if not isinstance(value, bool):
            raise ConfigError(f"{origin}: {raw_key} must be true or false")
        return value
    if isinstance(default, int):
        if not isinstance(value, int) or isinstance(value, bool):
            raise ConfigError(f"{origin}: {raw_key} must be a whole number")
        return value
    if isinstance(default, float):
        if not isinstance(value, int | float) or isinstance(value, bool):
            raise ConfigError(f"{origin}: {raw_key} must be a number")
        try:
            return float(value)
        except OverflowError:
            raise ConfigError(f"{origin}: {raw_key}: the number is out of range") from None
    if not isinstance(value, str):
        raise ConfigError(f"{origin}: {raw_key} must be a string")
    return value


def _strings(value: object) -> bool:
    """Tell whether ``value`` is a list of strings."""
    return isinstance(value, list) and all(isinstance(v, str) for v in value)


def find_config_table(start: Path | None = None) -> tuple[Mapping[str, object], str]:
    """Find ``cleaner.toml`` or a ``pyproject.toml`` with ``[tool.cleaner]`` upwards from ``start``."""
    folder = (start or Path.cwd()).resolve()
    for candidate in (folder, *folder.parents):
        standalone = candidate / "cleaner.toml"
        if standalone.is_file():
            return _read_toml(standalone), str(standalone)
        pyproject = candidate / "pyproject.toml"
        if pyproject.is_file():
            tool = _read_toml(pyproject).get("tool", {})
            if isinstance(tool, dict) and isinstance(tool.get("cleaner"), dict):
                return tool["cleaner"], f"{pyproject} [tool.cleaner]"
    return {}, ""


def load_config(start: Path | None = None) -> Config:
    """Return the configuration file's settings (defaults when there is none)."""
    table, origin = find_config_table(start)
    return from_mapping(table, origin) if origin else Config()


def read_config_file(path: Path) -> tuple[Mapping[str, object], str]:
    """Read a configuration file named on the command line (``--config FILE``).

    A ``pyproject.toml`` gives its ``[tool.cleaner]`` table (empty if it has none); any
    other file is a ``cleaner.toml``, whose top level is the table.
    """
    data = _read_toml(path)
    if path.name != "pyproject.toml":
        return data, str(path)
    tool = data.get("tool", {})
    table = tool.get("cleaner", {}) if isinstance(tool, dict) else {}
    return (table if isinstance(table, dict) else {}), f"{path} [tool.cleaner]"


def resolve(flags: Mapping[str, object], start: Path | None = None, *, config_file: Path | None = None, isolated: bool = False) -> tuple[Config, dict[str, str]]:
    """Combine the configuration file with command-line flags (flags win).

    Returns the configuration and, for every key, where its value came from:
    ``default``, the file, or ``command line``. Flags that were not given are ``None``
    (or empty for repeatable ones) and leave the file's value alone. ``config_file``
    replaces the search upwards from ``start``; ``isolated`` reads no file at all.
    """
    table: Mapping[str, object]
    if isolated:
        table, origin = {}, ""
    elif config_file is not None:
        table, origin = read_config_file(config_file)
    else:
        table, origin = find_config_table(start)
    config = from_mapping(table, origin) if origin else Config()
    origins = {f.name: (origin if f.name in {k.replace("-", "_") for k in table} else "default") for f in fields(Config) if f.name not in INTERNAL}
    given = {k: (tuple(v) if isinstance(v, list | tuple) else v) for k, v in flags.items()}
    given = {k: v for k, v in given.items() if v is not None and v != ()}
    for key in given:
        origins[key] = COMMAND_LINE
    return config.with_overrides(**given), origins


def _read_toml(path: Path) -> dict[str, object]:
    """Read a TOML file or raise a :class:`ConfigError` naming it."""
    try:
        return tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
        raise ConfigError(f"{path}: cannot read configuration: {exc}") from None
