"""Build ``rules/spin/reverse-thesaurus.tsv``: for a word or phrase a spinner may have
written, the everyday words it may have replaced, already in the same inflection.

A spinner swaps a word for a member of one of its synonym groups, and its groups are
thesaurus entries: WordNet synonym sets and the broader terms a thesaurus lists
("instruct" under "tell", "financial institution" under "bank"). Reversing a swap
means looking up the *spun* form and proposing the words that share an entry with it;
the context scorer then says which, if any, was the original. The lookup has to work
on inflected text ("towns", "instructed", "stated"), so this script lemmatises and
re-inflects at build time with lemminflect and writes every inflected pair out:
loading the file at run time is one dictionary build, with no lemmatiser and no
morphology rules in the package.

Sources (both from Debian packages; the installed product needs neither):

- WordNet 3.0 (``apt-get install wordnet-base``: ``/usr/share/wordnet/data.*``):
  members of one synset are each other's candidates.
- LibreOffice's English thesaurus (``apt-get install mythes-en-us``:
  ``/usr/share/mythes/th_en_US_v2.dat``): an entry's synonyms and its "(generic term)"
  and "(similar term)" words, both ways (a spinner writes "instructed" for "told" and
  "financial institution" for "bank"); antonyms and "(related term)" words are left out.

Both are filtered to everyday English: every word of a form must be in symspellpy's
English frequency list, an original must be a common word (:data:`MIN_ORIGINAL_COUNT`)
and not much rarer than the spun form (:data:`MIN_RATIO`: the original is usually the
more common English), capitalised lemmas (names) are dropped, and each spun form keeps
its :data:`MAX_ORIGINALS` most frequent originals.

Run (after ``pip install lemminflect`` and the two Debian packages):

    .venv/bin/python tools/build_reverse_thesaurus.py [--wordnet DIR] [--mythes FILE]
"""

from __future__ import annotations

import argparse
import itertools
import re
from collections import defaultdict
from collections.abc import Container, Iterable, Iterator, Mapping
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
TARGET = ROOT / "rules" / "spin" / "reverse-thesaurus.tsv"
WORDNET_FILES = {"n": "data.noun", "v": "data.verb", "a": "data.adj", "r": "data.adv"}
MYTHES_POS = {"(noun)": "n", "(verb)": "v", "(adj)": "a", "(adv)": "r"}
#: Penn tags each part of speech is written out in (lemminflect's tag set).
TAGS = {"n": ("NN", "NNS"), "v": ("VB", "VBD", "VBG", "VBN", "VBZ"), "a": ("JJ", "JJR", "JJS"), "r": ("RB",)}
#: Kept from a thesaurus entry besides its plain synonyms.
MYTHES_KEPT = ("(generic term)", "(similar term)")
#: An original must occur this often in the frequency list (about the 30,000 commonest words).
MIN_ORIGINAL_COUNT = 200_000
#: An original at least this share of the spun form's frequency.
MIN_RATIO = 0.2
#: Originals kept per spun form, the most frequent first.
MAX_ORIGINALS = 12
#: Words a spun form may be made of, at most.
MAX_WORDS = 3
#: Weight of a thesaurus entry's broader or similar term (a synonym weighs 1).
RELATED_WEIGHT = 0.5
#: Never proposed as originals: the closed-class groups (rules/spin/closed-class.txt)
#: cover function words, and as thesaurus originals ("started" -> "was", via "be")
#: they would only be noise.
FUNCTION_WORDS = frozenset(
    {
        *("be", "is", "are", "was", "were", "been", "being", "am", "have", "has", "had", "having"),
        *("do", "does", "did", "doing", "get", "gets", "got", "go", "goes", "went", "make", "makes", "made"),
        *("come", "comes", "came", "take", "takes", "took", "give", "gives", "gave", "put", "puts", "set", "sets"),
        *("can", "could", "may", "might", "will", "would", "shall", "should", "must", "ought"),
        *("the", "a", "an", "this", "that", "these", "those", "it", "its"),
    }
)
HEADER = """\
# Reverse thesaurus for rule spin.thesaurus.reverse (cleaner/spin/candidates.py), built by
# tools/build_reverse_thesaurus.py: a form a spinner may have written, a tab, the everyday words
# it may have replaced (same inflection, most frequent first) joined by "|".
# Derived from WordNet 3.0 and from LibreOffice's English thesaurus (th_en_US_v2, Debian package
# mythes-en-us), lemmatised and re-inflected with lemminflect (MIT), filtered by symspellpy's
# English word frequencies (MIT).
# WordNet 3.0 Copyright 2006 by Princeton University. All rights reserved. THIS SOFTWARE AND
# DATABASE IS PROVIDED "AS IS" AND PRINCETON UNIVERSITY MAKES NO REPRESENTATIONS OR WARRANTIES,
# EXPRESS OR IMPLIED. Permission to use, copy, modify and distribute this software and database
# and its documentation for any purpose and without fee or royalty is hereby granted, provided
# that this notice appears on ALL copies.
# th_en_US_v2 (LibreOffice dictionaries, en): Copyright 2000-2018 Kevin Atkinson and others;
# permission to use, copy, modify, distribute and sell it for any purpose is granted without fee,
# provided that the copyright notice and this permission notice appear in all copies.
"""


#: A group: part of speech and (lemma, weight) members, the first being the entry. Members
#: of weight 1 (synonyms) are each other's candidates; a lighter one (a broader or similar
#: term) only the entry's, with that weight.
Group = tuple[str, list[tuple[str, float]]]


def wordnet_groups(folder: Path) -> Iterator[Group]:
    """Yield every WordNet synset as a group of synonyms."""
    for pos, name in WORDNET_FILES.items():
        for line in (folder / name).read_text(encoding="latin-1").splitlines():
            if line.startswith("  "):
                continue
            fields = line.split()
            count = int(fields[3], 16)
            yield pos, [(re.sub(r"\(.*\)$", "", fields[4 + 2 * k]).replace("_", " "), 1.0) for k in range(count)]


def mythes_groups(path: Path) -> Iterator[Group]:
    """Yield every meaning of a MyThes file: the entry, its synonyms, its broader and
    similar terms (weight :data:`RELATED_WEIGHT`).

    >>> import tempfile; t = Path(tempfile.mkdtemp()) / "th.dat"
    >>> _ = t.write_text("UTF-8\\ntell|1\\n(verb)|say|order (generic term)|ask (antonym)\\n", encoding="utf-8")
    >>> list(mythes_groups(t))
    [('v', [('tell', 1.0), ('say', 1.0), ('order', 0.5)])]
    """
    lines = iter(path.read_text(encoding="utf-8").splitlines()[1:])
    for header in lines:
        entry, _, count = header.rpartition("|")
        for _ in range(int(count)):
            pos, *terms = next(lines).split("|")
            kept = [(entry, 1.0)]
            for term in terms:
                word, _, mark = term.partition(" (")
                if not mark:
                    kept.append((word.strip(), 1.0))
                elif f"({mark}" in MYTHES_KEPT:
                    kept.append((word.strip(), RELATED_WEIGHT))
            if pos in MYTHES_POS:
                yield MYTHES_POS[pos], kept


def inflections(lemma: str, pos: str) -> dict[str, str]:
    """Return the lemma's form for each Penn tag of ``pos``: the head word inflected
    (a noun phrase's last word, a verb phrase's first), the rest kept.

    >>> inflections("financial institution", "n")
    {'NN': 'financial institution', 'NNS': 'financial institutions'}
    >>> inflections("go away", "v")["VBD"], inflections("tell", "v")["VBN"]
    ('went away', 'told')
    """
    from lemminflect import getInflection

    words = lemma.split()
    head = 0 if pos == "v" else len(words) - 1
    forms = {}
    for tag in TAGS[pos]:
        if tag in ("NN", "VB", "JJ", "RB"):
            forms[tag] = lemma
            continue
        if len(words) > 1 and pos == "a":
            continue
        inflected = getInflection(words[head], tag, inflect_oov=False)
        if inflected:
            forms[tag] = " ".join([*words[:head], inflected[0], *words[head + 1 :]])
    return forms


def build(groups: Iterable[Group], counts: Mapping[str, int], bigrams: Container[str] = frozenset()) -> dict[str, list[str]]:
    """Return spun form -> originals from thesaurus groups, the best linked first
    (synonyms before words linked only as broader or similar terms, each by frequency:
    the original is usually the more common English). A form of several words must be
    common English, each pair of its words a listed bigram, and an original of several
    words a synonym. Function words are neither spun forms nor originals.

    >>> counts = {"tell": 10**7, "told": 10**7, "instruct": 10**5, "instructed": 10**6, "tells": 10**6,
    ...           "instructs": 10**4, "telling": 10**6, "instructing": 10**5}
    >>> build([("v", [("instruct", 1.0), ("tell", 0.5)])], counts)["instructed"]
    ['told']
    """
    links: dict[str, dict[str, float]] = defaultdict(lambda: defaultdict(float))
    for pos, members in groups:
        kept = [(lemma, weight) for lemma, weight in members if lemma == lemma.lower() and 0 < len(lemma.split()) <= MAX_WORDS]
        if len(kept) < 2 or kept[0][0] != members[0][0]:
            continue
        forms = [(inflections(lemma, pos), weight) for lemma, weight in kept]
        for tag in TAGS[pos]:
            written = [(f[tag], w, k == 0) for k, (f, w) in enumerate(forms) if tag in f and _common(f[tag], counts, bigrams)]
            for spun, spun_weight, spun_entry in written:
                for original, weight, entry in written:
                    if original == spun:
                        continue
                    if spun_weight == weight == 1.0 or spun_entry or entry:
                        links[spun][original] += min(spun_weight, weight)
    table = {}
    for spun, originals in links.items():
        least = max(MIN_ORIGINAL_COUNT, MIN_RATIO * _count(spun, counts))
        if spun in FUNCTION_WORDS:
            continue
        kept = [o for o in originals if o not in FUNCTION_WORDS and _count(o, counts) >= least and (" " not in o or originals[o] >= 1.0)]
        kept.sort(key=lambda o: (originals[o] < 1.0, -_count(o, counts), o))
        if kept:
            table[spun] = kept[:MAX_ORIGINALS]
    return table


def _common(form: str, counts: Mapping[str, int], bigrams: Container[str]) -> bool:
    """Tell whether every word of ``form`` is listed, and every pair of neighbours too."""
    words = form.split()
    return all(w in counts for w in words) and all(f"{a} {b}" in bigrams for a, b in itertools.pairwise(words))


def _count(form: str, counts: Mapping[str, int]) -> int:
    """A phrase is as frequent as its rarest word (an upper bound; phrases are rarer)."""
    return min(counts[w] for w in form.split())


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--wordnet", type=Path, default=Path("/usr/share/wordnet"))
    parser.add_argument("--mythes", type=Path, default=Path("/usr/share/mythes/th_en_US_v2.dat"))
    args = parser.parse_args()
    import symspellpy

    counts_file = Path(symspellpy.__file__).parent / "frequency_dictionary_en_82_765.txt"
    counts = {word: int(count) for word, count in (line.split() for line in counts_file.read_text(encoding="utf-8").splitlines() if line.strip())}
    bigrams_file = Path(symspellpy.__file__).parent / "frequency_bigramdictionary_en_243_342.txt"
    bigrams = {line.rpartition(" ")[0] for line in bigrams_file.read_text(encoding="utf-8").splitlines() if line.strip()}
    table = build([*wordnet_groups(args.wordnet), *mythes_groups(args.mythes)], counts, bigrams)
    lines = [f"{spun}\t{'|'.join(originals)}" for spun, originals in sorted(table.items())]
    TARGET.write_text(HEADER + "\n".join(lines) + "\n", encoding="utf-8")
    print(f"{TARGET.relative_to(ROOT)}: {len(lines)} spun forms, {sum(map(len, table.values()))} originals")


if __name__ == "__main__":
    main()
