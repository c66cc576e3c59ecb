"""Build ``rules/spin/thesaurus.tsv`` from the WordNet 3.0 database files.

The spin stage's fallback needs, for a word that looks out of place, the words that
share a meaning with it (a spinner picked it from their synonyms). WordNet has that
relation; this script keeps its synonym sets (synsets) in a small text file shipped
with the package, so nothing is fetched at run time.

Source: Debian's ``wordnet-base`` package (``apt-get install wordnet-base``), which
installs the database files under ``/usr/share/wordnet``. Only synsets with two or
more everyday lemmas are kept: every word of a lemma must be in symspellpy's English
frequency list, and proper names (capitalised lemmas) are dropped.

Run: .venv/bin/python tools/build_thesaurus.py [/usr/share/wordnet]
"""

from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
TARGET = ROOT / "rules" / "spin" / "thesaurus.tsv"
POS_FILES = {"n": "data.noun", "v": "data.verb", "a": "data.adj", "r": "data.adv"}
HEADER = """\
# Synonym sets for the spin stage's fallback, one per line: part of speech, tab, lemmas joined by "|".
# Derived by tools/build_thesaurus.py from WordNet 3.0 (Princeton University), kept only where
# two or more lemmas are everyday words. WordNet 3.0 Copyright 2006 by Princeton University.
# All rights reserved. THIS SOFTWARE AND DATABASE IS PROVIDED "AS IS" AND PRINCETON UNIVERSITY
# MAKES NO REPRESENTATIONS OR WARRANTIES, EXPRESS OR IMPLIED. Permission to use, copy, modify and
# distribute this software and database and its documentation for any purpose and without fee or
# royalty is hereby granted, provided that this notice appears on ALL copies.
"""


def known_words() -> set[str]:
    """Return the words of symspellpy's English unigram frequency list."""
    import symspellpy

    path = Path(symspellpy.__file__).parent / "frequency_dictionary_en_82_765.txt"
    return {line.split()[0] for line in path.read_text(encoding="utf-8").splitlines() if line.strip()}


def synsets(wordnet: Path, pos: str) -> list[list[str]]:
    """Return the lemma lists of every synset in one WordNet data file, in file order."""
    result = []
    for line in (wordnet / POS_FILES[pos]).read_text(encoding="latin-1").splitlines():
        if line.startswith("  "):
            continue
        fields = line.split()
        count = int(fields[3], 16)
        lemmas = [fields[4 + 2 * k] for k in range(count)]
        result.append([lemma.split("(")[0].replace("_", " ") for lemma in lemmas])
    return result


def main() -> None:
    wordnet = Path(sys.argv[1] if len(sys.argv) > 1 else "/usr/share/wordnet")
    words = known_words()
    lines = []
    for pos in POS_FILES:
        for lemmas in synsets(wordnet, pos):
            kept: list[str] = []
            for lemma in lemmas:
                if lemma != lemma.lower() or not all(w in words for w in lemma.split()):
                    continue
                if lemma not in kept:
                    kept.append(lemma)
            if len(kept) >= 2:
                lines.append(f"{pos}\t{'|'.join(kept)}")
    TARGET.write_text(HEADER + "\n".join(lines) + "\n", encoding="utf-8")
    print(f"{TARGET.relative_to(ROOT)}: {len(lines)} synsets")


if __name__ == "__main__":
    main()
