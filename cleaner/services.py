"""Long-lived helpers a run starts once and shares across documents (grammar engines).

Starting Harper builds its dictionary (about a second); starting LanguageTool means a
JVM or a server round trip. Engines are therefore created once per process and per
setting, never once per document, and never by downloading anything.
"""

from __future__ import annotations

import os
from functools import lru_cache

from cleaner.config import Config
from cleaner.engines import GrammarEngine
from cleaner.errors import EngineUnavailable
from cleaner.rulepacks import builtin_rules_dir

LANGUAGETOOL_URL_ENV = "CLEANER_LANGUAGETOOL_URL"


def project_words() -> tuple[str, ...]:
    """Return the project word list (names, British spellings) that engines must accept."""
    path = builtin_rules_dir() / "grammar" / "words.txt"
    lines = path.read_text(encoding="utf-8").splitlines()
    return tuple(w.strip() for w in lines if w.strip() and not w.lstrip().startswith("#"))


def planned_engine(choice: str, languagetool_url: str) -> tuple[str, str, str]:
    """Decide, without starting anything, which engine ``choice`` means here.

    Returns the engine (``off``, ``languagetool`` or ``harper``), the LanguageTool URL
    (the setting, else ``CLEANER_LANGUAGETOOL_URL``) and the local LanguageTool
    version found. ``auto`` is LanguageTool when it is reachable without a download,
    else Harper. :func:`start_engine` and the result cache's key both ask here.
    """
    from cleaner.engines.languagetool import local_installation

    if choice == "off":
        return "off", "", ""
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


@lru_cache(maxsize=4)
def start_engine(choice: str, languagetool_url: str) -> GrammarEngine | None:
    """Start the grammar engine a configuration asks for (``None`` when grammar is off)."""
    engine, url, _ = planned_engine(choice, languagetool_url)
    if engine == "off":
        return None
    if engine == "languagetool":
        from cleaner.engines.languagetool import LanguageToolEngine

        try:
            return LanguageToolEngine.connect(url, project_words())
        except EngineUnavailable:
            if choice == "languagetool":
                raise
    from cleaner.engines.harper import HarperEngine

    return HarperEngine(project_words())


class Services(dict[str, object]):
    """The shared helpers of one run, by name (``"grammar"``: the engine or ``None``)."""

    @classmethod
    def for_config(cls, config: Config) -> Services:
        """Start (or reuse) what ``config`` needs."""
        return cls(grammar=start_engine(config.grammar, config.languagetool_url))
