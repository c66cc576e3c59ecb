"""Load and validate rule packs: the data every stage reads from ``rules/``.

A pack is one TOML file with a ``[pack]`` table and ``[[rule]]`` entries (format in
``rules/README.md``). Loading is strict, like a compiler: an unknown key, a missing
field, a bad regular expression or a rule without examples is a :class:`RulePackError`
that names the file, the rule and the field. A few rule *kinds* live in code; the many
rules live in data.
"""

from __future__ import annotations

import difflib
import hashlib
import json
import re
import tomllib
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import NamedTuple

from cleaner.errors import RulePackError
from cleaner.fileio import keyed_digest, read_bounded, store_quietly
from cleaner.folders import cache_folder
from cleaner.model import Applicability
from cleaner.patterns import PatternError, compile_pattern

#: Kind -> (required parameters, optional parameters). Stages interpret the parameters.
KIND_PARAMS: Mapping[str, tuple[frozenset[str], frozenset[str]]] = {
    "builtin": (frozenset(), frozenset()),
    "repeated-paragraph": (frozenset(), frozenset({"min_words", "max_words", "similarity", "within_first"})),
    "line-pattern": (frozenset({"pattern"}), frozenset()),
    "pattern": (frozenset({"pattern", "replace"}), frozenset()),
    # Blocks repeated across a batch's documents (cleaner/repeated_blocks.py); the
    # examples run as one more document of ``example_corpus``.
    "corpus-block": (frozenset({"example_corpus"}), frozenset()),
    "substitution": (
        frozenset({"match", "replace", "spin"}),
        frozenset({"before", "after", "unless_before", "unless_after", "case"}),
    ),
    "thesaurus-fallback": (frozenset({"thesaurus", "apply_margin", "report_margin"}), frozenset({"common_word_count"})),
    # Candidate sources of the spin stage (cleaner/spin/candidates.py), scored in context.
    "spinner-groups": (frozenset({"groups", "prior"}), frozenset({"ordinary_prior"})),
    "spun-numbers": (frozenset({"prior"}), frozenset()),
    "user-dictionary": (frozenset({"prior", "example_dictionary"}), frozenset()),
    "engine-rule": (frozenset({"engine", "engine_rule"}), frozenset()),
}
#: Stage -> the kinds its rules may have.
STAGE_KINDS: Mapping[str, frozenset[str]] = {
    "normalise": frozenset({"builtin"}),
    "structure": frozenset({"repeated-paragraph", "line-pattern", "pattern", "corpus-block"}),
    "spin": frozenset({"substitution", "thesaurus-fallback", "spinner-groups", "spun-numbers", "user-dictionary"}),
    "grammar": frozenset({"engine-rule"}),
}
_COMMON_KEYS = frozenset({"id", "kind", "message", "why", "applicability", "examples"})
_PACK_KEYS = frozenset({"id", "stage", "description", "applicability", "source"})
_STAGES = frozenset(STAGE_KINDS)
_SLUG = re.compile(r"^[a-z0-9][a-z0-9-]*$")
_PACK_ID = re.compile(r"^[a-z0-9-]+(?:\.[a-z0-9-]+)*$")
_SPIN_KINDS = frozenset({"signature", "contextual"})


@dataclass(frozen=True, slots=True, eq=False)
class Rule:
    """One rule, with the id used everywhere: config, select/ignore, log and reports.

    Rules compare and hash by identity: a loaded rule is one object for the whole run,
    which lets stages cache what they compile from a tuple of rules.
    """

    id: str
    pack: str
    stage: str
    kind: str
    message: str
    why: str
    applicability: Applicability
    fix_examples: tuple[tuple[str, str], ...]
    keep_examples: tuple[str, ...]
    params: Mapping[str, object] = field(default_factory=dict)
    source_file: str = ""

    def param(self, name: str, default: object = None) -> object:
        """Return a kind parameter, or ``default`` when the rule leaves it out."""
        return self.params.get(name, default)

    def str_param(self, name: str, default: str = "") -> str:
        """Return a string parameter."""
        value = self.params.get(name, default)
        return value if isinstance(value, str) else default

    def list_param(self, name: str) -> tuple[str, ...]:
        """Return a list-of-strings parameter (empty when absent)."""
        value = self.params.get(name, ())
        return tuple(value) if isinstance(value, list | tuple) else ()


@dataclass(frozen=True, slots=True)
class RuleRegistry:
    """All loaded rules, in load order, plus a digest of their source files (cache key)."""

    rules: tuple[Rule, ...]
    digest: str

    def for_stage(self, stage: str) -> tuple[Rule, ...]:
        """Return the rules a stage runs."""
        return tuple(r for r in self.rules if r.stage == stage)

    def get(self, rule_id: str) -> Rule | None:
        """Return the rule with this exact id, if any."""
        return next((r for r in self.rules if r.id == rule_id), None)

    def select(self, select: Sequence[str] = (), ignore: Sequence[str] = ()) -> RuleRegistry:
        """Keep rules chosen by id prefix; the most specific prefix wins (proselint style).

        >>> reg = RuleRegistry((_demo("spin.a.x"), _demo("spin.a.y"), _demo("normalise.z")), "")
        >>> [r.id for r in reg.select(["spin"], ["spin.a.y"]).rules]
        ['spin.a.x']
        """
        return _selected(self, tuple(select), tuple(ignore))


@lru_cache(maxsize=64)
def _selected(registry: RuleRegistry, select: tuple[str, ...], ignore: tuple[str, ...]) -> RuleRegistry:
    """Select once per registry and selection (every document of a run asks again)."""
    return RuleRegistry(tuple(r for r in registry.rules if is_enabled(r.id, select, ignore)), registry.digest)


def matches_prefix(rule_id: str, prefix: str) -> bool:
    """Tell whether ``prefix`` names ``rule_id`` or one of its enclosing groups."""
    return rule_id == prefix or rule_id.startswith(prefix + ".")


def is_enabled(rule_id: str, select: Sequence[str], ignore: Sequence[str]) -> bool:
    """Decide by the longest matching prefix among ``select`` and ``ignore``."""
    best_select = max((len(p) for p in select if matches_prefix(rule_id, p)), default=-1 if select else 0)
    best_ignore = max((len(p) for p in ignore if matches_prefix(rule_id, p)), default=-1)
    return best_select >= 0 and best_select > best_ignore


def _demo(rule_id: str) -> Rule:
    """Build a minimal rule for doctests."""
    return Rule(rule_id, "", "", "builtin", "", "", Applicability.SAFE, (), ())


def builtin_rules_dir() -> Path:
    """Return the folder of the rule packs shipped with the package.

    A wheel carries them as ``cleaner/_rules``; a source checkout reads ``rules/``.
    """
    shipped = Path(str(resources.files("cleaner"))) / "_rules"
    if shipped.is_dir():
        return shipped
    return Path(__file__).resolve().parent.parent / "rules"


class RuleFiles(NamedTuple):
    """The rule folders' files as read: their digest and each pack's bytes, in load order."""

    #: Covers every pack and every data file (``.tsv``, ``.txt``) of every folder: a cache
    #: key made of it changes when any of them does.
    digest: str
    packs: tuple[tuple[Path, bytes], ...]


def read_rule_files(extra_dirs: Iterable[Path] = ()) -> RuleFiles:
    """Read the packs of the shipped and the extra folders, and digest them with their data files.

    Nothing is parsed: a cache key needs the digest alone, so a re-run whose documents
    are all cached never parses a pack (:func:`registry_of` does that).
    """
    folders = [builtin_rules_dir(), *extra_dirs]
    for folder in folders:
        if not folder.is_dir():
            raise RulePackError(f"{folder}: rule folder not found")
    digest = hashlib.sha256()
    for data_file in sorted(p for folder in folders for p in folder.rglob("*") if p.suffix in (".tsv", ".txt")):
        digest.update(data_file.name.encode() + b"\0" + data_file.read_bytes())
    packs = []
    for path in (path for folder in folders for path in sorted(folder.rglob("*.toml"))):
        data = path.read_bytes()
        digest.update(path.name.encode() + b"\0" + data)
        packs.append((path, data))
    return RuleFiles(digest.hexdigest(), tuple(packs))


def registry_of(files: RuleFiles) -> RuleRegistry:
    """Parse and validate the packs read; raise on the first invalid file."""
    rules: list[Rule] = []
    seen: dict[str, str] = {}
    for path, data in files.packs:
        for rule in load_pack(path.as_posix(), data):
            if rule.id in seen:
                raise RulePackError(f"{path}: rule {rule.id!r}: duplicate id (also in {seen[rule.id]})")
            seen[rule.id] = path.as_posix()
            rules.append(rule)
    return RuleRegistry(tuple(rules), files.digest)


def load_registry(extra_dirs: Iterable[Path] = ()) -> RuleRegistry:
    """Load the shipped packs and any extra folders; raise on the first invalid file."""
    return registry_of(read_rule_files(extra_dirs))


def load_pack(name: str, data: bytes) -> list[Rule]:
    """Parse and validate one pack file's bytes; ``name`` is used in error messages."""
    doc = _parsed(name, data)
    unknown_top = set(doc) - {"pack", "rule"}
    if unknown_top:
        raise RulePackError(f"{name}: unknown table {sorted(unknown_top)[0]!r}")
    pack = doc.get("pack")
    if not isinstance(pack, dict):
        raise RulePackError(f"{name}: missing [pack] table")
    _check_keys(name, "[pack]", pack, _PACK_KEYS, {"id", "stage"})
    pack_id, stage = str(pack["id"]), str(pack["stage"])
    if not _PACK_ID.match(pack_id):
        raise RulePackError(f"{name}: [pack]: field 'id': {pack_id!r} is not dotted lower-case words")
    if stage not in _STAGES:
        raise RulePackError(f"{name}: [pack]: field 'stage': {stage!r} is not one of {sorted(_STAGES)}")
    default_applicability = _applicability(name, "[pack]", pack.get("applicability", "safe"))
    entries = doc.get("rule", [])
    if not isinstance(entries, list):
        raise RulePackError(f"{name}: 'rule' must be an array of tables ([[rule]])")
    return [_load_rule(name, pack_id, stage, default_applicability, entry) for entry in entries]


#: The first line of a kept parse of a pack; a change of format changes it.
_KEPT_PARSE = b"cleaner.rulepack-parse/1\n"
#: The largest kept parse read back (the shipped packs' largest is about 100 KB).
_MAX_KEPT_PARSE = 8 * 1024 * 1024


def _parsed(name: str, data: bytes) -> dict[str, object]:
    """Return the TOML document of one pack's bytes, parsed once per machine.

    tomllib takes about 60 ms over the shipped packs, paid by every process before its
    first document. The first process keeps each parse as JSON in the cache folder's
    ``rules/`` subfolder, named by the SHA-256 of the pack's bytes; later ones read it
    back in a fraction of that. A kept parse is used only if its digest line matches
    its body and its name, and it goes through every check :func:`load_pack` makes of
    a fresh one, so a damaged or planted file is either a fresh parse or a pack error
    like any other. A pack holding dates (which JSON cannot hold) is parsed each time.
    """
    key = hashlib.sha256(_KEPT_PARSE + data).hexdigest()
    kept = cache_folder() / "rules" / key
    raw = read_bounded(kept, _MAX_KEPT_PARSE)
    if raw and (doc := _kept_document(raw, key)) is not None:
        return doc
    try:
        doc = tomllib.loads(data.decode("utf-8"))
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise RulePackError(f"{name}: not valid TOML: {exc}") from None
    try:
        body = json.dumps(doc, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
    except TypeError:
        return doc
    store_quietly(kept, _KEPT_PARSE + keyed_digest(key, body).encode("ascii") + b"\n" + body)
    return doc


def _kept_document(raw: bytes, key: str) -> dict[str, object] | None:
    """Read a kept parse written for ``key``; ``None`` if it is anything else (too long, damaged, not a table)."""
    if len(raw) > _MAX_KEPT_PARSE or not raw.startswith(_KEPT_PARSE):
        return None
    digest, newline, body = raw[len(_KEPT_PARSE) :].partition(b"\n")
    if not newline or digest != keyed_digest(key, body).encode("ascii"):
        return None
    try:
        doc = json.loads(body)
    except (ValueError, RecursionError):
        return None
    return doc if isinstance(doc, dict) else None


def _load_rule(name: str, pack_id: str, stage: str, default: Applicability, entry: object) -> Rule:
    """Validate one ``[[rule]]`` table and build the :class:`Rule`."""
    if not isinstance(entry, dict):
        raise RulePackError(f"{name}: every [[rule]] must be a table")
    slug = str(entry.get("id", "?"))
    where = f"rule {slug!r}"
    kind = entry.get("kind")
    if kind not in STAGE_KINDS[stage]:
        raise RulePackError(f"{name}: {where}: field 'kind': {kind!r} is not one of {sorted(STAGE_KINDS[stage])} (stage {stage!r})")
    required, optional = KIND_PARAMS[kind]
    _check_keys(name, where, entry, _COMMON_KEYS | required | optional, {"id", "kind", "message", "examples"} | required)
    if not _SLUG.match(slug):
        raise RulePackError(f"{name}: {where}: field 'id': use lower-case words joined by '-'")
    examples = entry["examples"]
    if not isinstance(examples, dict) or set(examples) - {"fix", "keep"}:
        raise RulePackError(f"{name}: {where}: field 'examples': a table with 'fix' and 'keep'")
    fix_examples = examples.get("fix", [])
    keep_examples = examples.get("keep", [])
    if not fix_examples or not all(isinstance(p, list) and len(p) == 2 and all(isinstance(s, str) for s in p) for p in fix_examples):
        raise RulePackError(f"{name}: {where}: field 'examples.fix': at least one [input, expected] pair is required")
    if not keep_examples or not all(isinstance(s, str) for s in keep_examples):
        raise RulePackError(f"{name}: {where}: field 'examples.keep': at least one text the rule must leave alone is required")
    params = {k: v for k, v in entry.items() if k not in _COMMON_KEYS}
    _check_params(name, where, kind, params)
    return Rule(
        id=f"{pack_id}.{slug}",
        pack=pack_id,
        stage=stage,
        kind=kind,
        message=str(entry["message"]),
        why=str(entry.get("why", "")),
        applicability=_applicability(name, where, entry.get("applicability", default.label)),
        fix_examples=tuple((a, b) for a, b in fix_examples),
        keep_examples=tuple(keep_examples),
        params=params,
        source_file=name,
    )


def _check_params(name: str, where: str, kind: str, params: Mapping[str, object]) -> None:
    """Check kind-specific parameter types, and that regular expressions compile."""
    for key in ("pattern", "replace"):
        if key in params and not isinstance(params[key], str):
            raise RulePackError(f"{name}: {where}: field {key!r}: a string")
    if "pattern" in params:
        try:
            compiled = compile_pattern(str(params["pattern"]))
        except PatternError as exc:
            raise RulePackError(f"{name}: {where}: field 'pattern': {exc}") from None
        if "replace" in params:
            try:
                compiled.check_template(str(params["replace"]))
            except PatternError as exc:
                raise RulePackError(f"{name}: {where}: field 'replace': {exc}") from None
    for key in ("before", "after", "unless_before", "unless_after"):
        value = params.get(key, [])
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            raise RulePackError(f"{name}: {where}: field {key!r}: a list of words or phrases")
    if kind == "substitution":
        if params["spin"] not in _SPIN_KINDS:
            raise RulePackError(f"{name}: {where}: field 'spin': one of {sorted(_SPIN_KINDS)}")
        if params.get("case", "exact") != "exact":
            raise RulePackError(f"{name}: {where}: field 'case': only \"exact\" is supported")
        for key in ("match", "replace"):
            value = params[key]
            if not isinstance(value, str) or not value.strip():
                raise RulePackError(f"{name}: {where}: field {key!r}: a non-empty string")
    if kind == "thesaurus-fallback":
        for key in ("apply_margin", "report_margin", "common_word_count"):
            if key in params and (not isinstance(params[key], int | float) or isinstance(params[key], bool)):
                raise RulePackError(f"{name}: {where}: field {key!r}: a number")
        if not (Path(name).parent / str(params["thesaurus"])).is_file():
            raise RulePackError(f"{name}: {where}: field 'thesaurus': no file {params['thesaurus']!r} beside the pack")


def _check_keys(name: str, where: str, table: Mapping[str, object], allowed: frozenset[str] | set[str], required: set[str] | frozenset[str]) -> None:
    """Reject unknown keys (with a did-you-mean) and missing required ones."""
    for key in table:
        if key not in allowed:
            close = difflib.get_close_matches(key, sorted(allowed), n=1)
            hint = f" (did you mean {close[0]!r}?)" if close else ""
            raise RulePackError(f"{name}: {where}: unknown field {key!r}{hint}")
    for key in sorted(required):
        if key not in table:
            raise RulePackError(f"{name}: {where}: missing field {key!r}")


def _applicability(name: str, where: str, value: object) -> Applicability:
    """Parse an applicability label or raise a pack error naming the field."""
    try:
        return Applicability.parse(str(value))
    except ValueError:
        raise RulePackError(f"{name}: {where}: field 'applicability': {value!r} is not safe, unsafe or display-only") from None
