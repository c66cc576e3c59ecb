"""Nothing downloads at run time: the whole pipeline runs with the network blocked."""

from __future__ import annotations

from cleaner import Config, clean_bytes
from cleaner.stages import readability

from .conftest import SEEDS


def test_readability_offline(no_network) -> None:
    scores = readability.score(SEEDS[0].read_text(encoding="utf-8"))
    assert scores["words"] > 100 and scores["smog_index"] > 0


def test_full_pipeline_with_harper_offline(no_network) -> None:
    result = clean_bytes(SEEDS[1].read_bytes(), SEEDS[1].name, Config(grammar="harper"))
    assert result.stages["grammar"]["engine"] == "harper"
    assert result.output.endswith("\n")
