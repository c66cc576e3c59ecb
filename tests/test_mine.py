"""`cleaner spin mine`: recurring substitutions in a spun corpus become reviewable rules the loader accepts."""

from __future__ import annotations

import tomllib
from pathlib import Path

from click.testing import CliRunner

from cleaner.cli import main
from cleaner.rulepacks import load_registry
from cleaner.ruletest import check_rule_examples
from cleaner.spin.mine import Evidence, Occurrence, Thresholds, select_rules

OFF = ["--grammar", "off"]

#: Ordinary news sentences; the corpus is these with one consistent swap, as a spinner makes it
#: (a swap the shipped rules and groups do not know, so only mining can find it).
ORIGINALS = [
    "The hospital raised its fees on Tuesday, officials said. Doctors in the region asked for more staff.",
    "Patients at the hospital waited for hours after the report. The company said it would increase its spending.",
    "Analysts said the city hospital would stay open. Doctors expect a rise in patients this winter.",
    "A spokesman for the hospital said the wards were safe. Patients in the region stayed calm all week.",
    "The hospital warned that waiting times would rise this year. Officials said the service was strong.",
]
SWAP = ("hospital", "health facility")
#: A spinner's dictionary, as a user would pass it: the swapped group and groups of ordinary words
#: (which the corpus uses in their ordinary sense, so no rule may touch them).
DICTIONARY = "hospital|health facility\ndoctors|physicians|medical doctors\npatients|sufferers\nregion|area|space\nrise|upward thrust\nweek|seven days\n"


def run(*args: str):
    return CliRunner().invoke(main, list(args), catch_exceptions=False)


def _corpus(folder: Path) -> Path:
    """Write the spun corpus (one swap, made everywhere) and the dictionary; return the dictionary."""
    folder.mkdir()
    for number, text in enumerate(ORIGINALS, 1):
        (folder / f"doc_{number}.txt").write_text(text.replace(*SWAP) + "\n", encoding="utf-8")
    dictionary = folder.parent / "spinner.txt"
    dictionary.write_text(DICTIONARY, encoding="utf-8")
    return dictionary


def test_mine_proposes_the_reversal_and_no_edit_of_ordinary_words(tmp_path: Path) -> None:
    dictionary = _corpus(tmp_path / "corpus")
    pack_dir = tmp_path / "mined"
    pack_dir.mkdir()
    result = run("spin", "mine", str(tmp_path / "corpus"), "-o", str(pack_dir / "mined.toml"), "--spin-dictionary", str(dictionary), "--assume-spun", *OFF)
    assert result.exit_code == 0, result.output
    pack = tomllib.loads((pack_dir / "mined.toml").read_text(encoding="utf-8"))
    rules = pack["rule"]
    assert [(r["match"], r["replace"]) for r in rules] == [("health facility", "hospital")]
    rule = rules[0]
    # "city health facility" (document 3) reads well enough to a bigram model: 4 wins of 5.
    assert "occurred 5 time(s); in 4 (80%), across 4 document(s)" in rule["why"] and f"user:{dictionary}" in rule["why"]
    corpus = " ".join(text.replace(*SWAP) for text in ORIGINALS)
    fixes = rule["examples"]["fix"]
    assert len(fixes) == 3
    for before, after in fixes:
        assert before in corpus and after == before.replace("health facility", "hospital")
    assert rule["examples"]["keep"] == [fixes[0][1]]
    # The pack loads with the project's own loader, and each mined rule passes its own examples
    # (as `cleaner rules test --rules DIR` runs them; here only the mined pack's rules).
    registry = load_registry([pack_dir])
    mined = [r for r in registry.rules if r.pack == "spin.mined"]
    assert [r.id for r in mined] == ["spin.mined.health-facility-for-hospital"]
    assert [failure for r in mined for failure in check_rule_examples(r)] == []
    tested = run("rules", "test", "--rules", str(pack_dir))
    assert "spin.mined" not in tested.stderr


def test_without_assume_spun_only_documents_judged_spun_are_mined(tmp_path: Path) -> None:
    dictionary = _corpus(tmp_path / "corpus")
    out = tmp_path / "mined.toml"
    result = run("spin", "mine", str(tmp_path / "corpus"), "-o", str(out), "--spin-dictionary", str(dictionary), *OFF)
    assert result.exit_code == 0
    assert "0 rule(s) from 0 of 5 document(s) judged spun" in result.stderr
    assert "rule" not in tomllib.loads(out.read_text(encoding="utf-8"))


def test_an_unreadable_file_is_reported_and_the_rest_is_mined(tmp_path: Path) -> None:
    dictionary = _corpus(tmp_path / "corpus")
    (tmp_path / "corpus" / "broken.txt").write_bytes(b"\x00\x01binary\x00")
    result = run("spin", "mine", str(tmp_path / "corpus"), "-o", str(tmp_path / "m.toml"), "--spin-dictionary", str(dictionary), "--assume-spun", *OFF)
    assert result.exit_code == 2
    assert [line for line in result.stderr.splitlines() if line.startswith("error")][0].count("broken.txt") == 1
    assert "1 rule(s) from 5 of 5" in result.stderr


def _seen(spun: str, *occurrences: tuple[str, str, float]) -> Evidence:
    return Evidence(spun, [Occurrence(document, f"a sentence with {spun}", best, margin, "test") for document, best, margin in occurrences])


def test_a_substitution_must_recur_across_documents_and_win_consistently() -> None:
    thresholds = Thresholds(min_documents=2, min_occurrences=2, min_share=0.6, min_margin=1.0)
    evidence = {
        "struggle": _seen("struggle", ("a", "war", 3.0), ("b", "war", 2.0), ("c", "war", 1.5)),
        "once": _seen("once", ("a", "formerly", 4.0), ("a", "formerly", 4.0)),  # one document only
        "vital": _seen("vital", ("a", "important", 2.0), ("b", "important", 2.0), ("c", "", float("-inf")), ("d", "", float("-inf"))),  # half the time
        "fee": _seen("fee", ("a", "rate", 0.5), ("b", "rate", 0.8)),  # margins too small
    }
    mined = select_rules(evidence, thresholds)
    assert [(m.spun, m.original, m.documents, m.wins, m.occurrences) for m in mined] == [("struggle", "war", 3, 3, 3)]
    assert mined[0].mean_margin == 6.5 / 3
