"""The library API: clean a text, bytes or a batch of files. The CLI is a thin shell over this.

``clean_text`` is pure: the same text, configuration and rules give the same result, and
inputs and results pickle, so the pipeline drops into any batch engine.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path, PurePath

from cleaner.config import Config
from cleaner.edits import sha256_text
from cleaner.errors import FixedPointError
from cleaner.model import EditLog
from cleaner.pipeline import run_stages
from cleaner.rulepacks import RuleFiles, RuleRegistry, read_rule_files, registry_of
from cleaner.spin import detect as spin
from cleaner.stages import grammar, ingest, readability

MARKDOWN_SUFFIXES = frozenset({".md", ".markdown"})


@dataclass(frozen=True, slots=True)
class CleanResult:
    """One cleaned document: its text before and after, the edit log, and measurements."""

    source: str
    input_text: str
    output: str
    log: EditLog
    markdown: bool
    ingest: Mapping[str, object] = field(default_factory=dict)
    stages: Mapping[str, Mapping[str, object]] = field(default_factory=dict)
    readability: Mapping[str, Mapping[str, float]] = field(default_factory=dict)

    @property
    def changed(self) -> bool:
        """Tell whether cleaning changed the text."""
        return self.output != self.input_text


_RULE_FILES: dict[tuple[str, ...], RuleFiles] = {}
_REGISTRY_CACHE: dict[tuple[str, ...], RuleRegistry] = {}


def _rule_files_for(config: Config) -> RuleFiles:
    """Read (once per process) the rule folders a configuration asks for."""
    key = config.rules
    if key not in _RULE_FILES:
        _RULE_FILES[key] = read_rule_files(Path(p) for p in config.rules)
    return _RULE_FILES[key]


def registry_for(config: Config) -> RuleRegistry:
    """Load (once per process) the rule packs a configuration asks for."""
    key = config.rules
    if key not in _REGISTRY_CACHE:
        _REGISTRY_CACHE[key] = registry_of(_rule_files_for(config))
    return _REGISTRY_CACHE[key]


def rules_digest_for(config: Config) -> str:
    """Return the digest of the rule packs a configuration asks for, without parsing them."""
    return _rule_files_for(config).digest


def load_for_documents(config: Config) -> None:
    """Load, once per process, what cleaning documents under ``config`` needs.

    The rule packs, the spin scorer's word counts and the syllable dictionary load
    lazily at first use; a per-document time limit (:func:`cleaner.executors.time_limit`)
    must count the document alone, so the executors call this before starting the clock.
    """
    from cleaner.spin.scorer import default_scorer
    from cleaner.stages import readability

    registry_for(config)
    default_scorer()
    readability.load()


def clean_text(
    text: str,
    config: Config | None = None,
    *,
    source: str = "<text>",
    markdown: bool = False,
    services: Mapping[str, object] | None = None,
    ingest_info: Mapping[str, object] | None = None,
) -> CleanResult:
    """Clean ``text`` and return the result with its full edit log.

    >>> clean_text("Hello\\u00a0world.  \\r\\n").output
    'Hello world.\\n'
    """
    config = config or Config()
    registry = registry_for(config)
    if services is None:
        from cleaner.services import Services

        services = Services.for_config(config)
    selected = registry.select(config.select, config.ignore)
    try:
        run = run_stages(text, config, selected, markdown=markdown, services=services)
    except FixedPointError as exc:
        raise FixedPointError(f"{source}: {exc}") from None
    log = EditLog(source, sha256_text(text), run.passes)
    stages = dict(run.stage_data)
    engine = services.get("grammar")
    if "grammar" in stages and engine is not None:
        # Findings by category on the input as it came and on the output: the drop
        # measures the repair (spun text has far more). The stage's own calls are reused.
        counts = {"before": grammar.categorise(grammar.cached_check(engine, _without_lone_surrogates(text))), "after": grammar.categorise(grammar.cached_check(engine, run.output))}  # type: ignore[arg-type]
        stages["grammar"] = {**stages["grammar"], **counts}
    if "spin" in stages:
        # The spin verdict of the output: what is still spun after repair.
        stages["spin"] = {**stages["spin"], "after": spin.measure(run.output, selected.for_stage("spin"), config.spin_threshold, config.spin_dictionaries)}
    return CleanResult(
        source=source,
        input_text=text,
        output=run.output,
        log=log,
        markdown=markdown,
        ingest=dict(ingest_info or {}),
        stages=stages,
        readability=_readability(text, run.output),
    )


def _without_lone_surrogates(text: str) -> str:
    """Return ``text`` with each lone surrogate as U+FFFD, as normalisation repairs it.

    Grammar engines outside Python cannot take one; the input's own findings are
    counted on the text as it will be read.
    """
    return text if text.isascii() else text.encode("utf-16", "surrogatepass").decode("utf-16", "replace")


def _readability(text: str, output: str) -> dict[str, Mapping[str, float]]:
    """Score the text before and after cleaning (once when cleaning changed nothing)."""
    before, after = readability.before_and_after(text, output)
    return {"before": before, "after": after}


def clean_bytes(
    data: bytes,
    source: str,
    config: Config | None = None,
    *,
    services: Mapping[str, object] | None = None,
) -> CleanResult:
    """Decode ``data`` (read from ``source``) and clean it; raise ``InputError`` for binary data."""
    decoded = ingest.decode(data, source)
    info: dict[str, object] = {"encoding": decoded.encoding, "bom": decoded.bom, "sha256": decoded.sha256, "bytes": decoded.size}
    if decoded.confidence is not None:
        info["encoding_confidence"] = decoded.confidence
    markdown = PurePath(source).suffix.lower() in MARKDOWN_SUFFIXES
    return clean_text(decoded.text, config, source=source, markdown=markdown, services=services, ingest_info=info)
