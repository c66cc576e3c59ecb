"""Long-lived helpers a run starts once and shares across documents (grammar engines).

Starting Harper builds its dictionary (about a second); starting LanguageTool means a
JVM or a server round trip. Engines are therefore created once per process and per
setting, never once per document, and never by downloading anything.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from functools import lru_cache
from pathlib import Path

from cleaner.config import Config
from cleaner.engines import GrammarEngine
from cleaner.errors import ConfigError, EngineUnavailable
from cleaner.rulepacks import builtin_rules_dir

LANGUAGETOOL_URL_ENV = "CLEANER_LANGUAGETOOL_URL"


@lru_cache(maxsize=1)
def project_words() -> tuple[str, ...]:
    """Return the project word list (names, British spellings) that engines must accept."""
    return _read_words(builtin_rules_dir() / "grammar" / "words.txt")


def engine_words(files: Sequence[str] = ()) -> tuple[str, ...]:
    """Return the project word list and the user's word lists ``files``, merged and sorted.

    A list that cannot be read is a :class:`ConfigError` naming it: running without the
    user's names would report every one of them.
    """
    words = set(project_words())
    for name in files:
        try:
            words.update(_read_words(Path(name)))
        except (OSError, UnicodeDecodeError) as exc:
            raise ConfigError(f"{name}: cannot read word list: {exc}", hint="one word per line, UTF-8; '#' starts a comment") from None
    return tuple(sorted(words))


def _read_words(path: Path) -> tuple[str, ...]:
    """Read one word per line; blank lines and ``#`` comments are skipped."""
    lines = path.read_text(encoding="utf-8").splitlines()
    return tuple(w.strip() for w in lines if w.strip() and not w.lstrip().startswith("#"))


def planned_engine(choice: str, languagetool_url: str) -> tuple[str, str, str]:
    """Decide, without starting anything, which engine ``choice`` means here.

    Returns the engine (``off``, ``languagetool`` or ``harper``), the LanguageTool URL
    (the setting, else ``CLEANER_LANGUAGETOOL_URL``) and the local LanguageTool
    version found. ``auto`` is LanguageTool when it is reachable without a download,
    else Harper. :func:`start_engine` and the result cache's key both ask here.
    """
    if choice == "off":  # before the import: LanguageTool's client brings urllib and http (40 ms)
        return "off", "", ""
    from cleaner.engines.languagetool import local_installation

    url = languagetool_url or os.environ.get(LANGUAGETOOL_URL_ENV, "")
    installed = local_installation() if not url and choice in ("auto", "languagetool") else None
    version = installed.version if installed else ""
    wants_languagetool = choice == "languagetool" or (choice == "auto" and bool(url or installed))
    return ("languagetool" if wants_languagetool else "harper"), url, version


@lru_cache(maxsize=16)
def fallback_notice(config: Config, engine_that_ran: object) -> str:
    """Say in one line that the engine ``config`` plans is not the one that ran ('' when it is).

    ``auto`` with a LanguageTool server that does not answer falls back to Harper
    (``languagetool`` named outright is an error instead): the user must know, as
    the findings are Harper's, and the cache files them under Harper.
    """
    planned, url, _ = planned_engine(config.grammar, config.languagetool_url)
    if not isinstance(engine_that_ran, str) or engine_that_ran == planned:
        return ""
    where = f" at {url}" if url else ""
    return f"notice: grammar: {planned}{where} could not be reached; {engine_that_ran} ran instead (its results are cached as {engine_that_ran}'s)"


def start_engine(choice: str, languagetool_url: str, language: str = "en-GB", word_files: tuple[str, ...] = ()) -> GrammarEngine | None:
    """Start the grammar engine a configuration asks for (``None`` when grammar is off).

    The URL is resolved (setting, else ``CLEANER_LANGUAGETOOL_URL``) before the cache
    is asked, so a changed environment never returns an engine for another server.
    """
    engine, url, _ = planned_engine(choice, languagetool_url)
    if engine == "off":
        return None
    return started_engine(engine, choice == "languagetool", url, language, engine_words(word_files))


@lru_cache(maxsize=4)
def started_engine(engine: str, required: bool, url: str, language: str, words: tuple[str, ...]) -> GrammarEngine:
    """Start ``engine`` once per process and setting; fall back to Harper unless ``required``."""
    if engine == "languagetool":
        from cleaner.engines.languagetool import LanguageToolEngine

        try:
            return LanguageToolEngine.connect(url, words, language)
        except EngineUnavailable:
            if required:
                raise
    from cleaner.engines.harper import HarperEngine

    return HarperEngine(words, dialect_of(language))


def dialect_of(language: str) -> str:
    """Return Harper's dialect name for a ``language`` setting.

    >>> dialect_of("en-GB"), dialect_of("en-US")
    ('british', 'american')
    """
    return {"en-GB": "british", "en-US": "american", "en-AU": "australian", "en-CA": "canadian"}[language]


class Services(dict[str, object]):
    """The shared helpers of one run, by name (``"grammar"``: the engine or ``None``)."""

    @classmethod
    def for_config(cls, config: Config) -> Services:
        """Start (or reuse) what ``config`` needs."""
        return cls(grammar=start_engine(config.grammar, config.languagetool_url, config.language, config.words))
