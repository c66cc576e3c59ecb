"""Blocks repeated across the documents of one corpus: the same footer or promo on every page.

A block that one site puts on every page (``Subscribe to our newsletter``, ``© 2022
Example News. All rights reserved.``, a related-links row) is not repeated *within*
a document, so the structure stage's own repeat rules cannot see it; it shows only as
frequency across the batch. Before a batch is cleaned, :func:`count_blocks` reads
every document once (linear in the corpus) and counts, for each block (a paragraph,
and each line of it: a scrape's short lines become paragraphs only in normalise),
the number of documents it occurs in. The blocks found in at least
``repeated_block_min_documents`` documents travel with the configuration as digests
(:attr:`Config.corpus_blocks`), and the structure rule ``structure.corpus.repeated-block``
(kind ``corpus-block``) proposes removing each paragraph whose digest is among them:
display-only (reported, never applied) under ``repeated_blocks = "report"``, applied
under ``"remove"``, where a paragraph that reads as a sentence of prose (eight words
or more, ending like a sentence: a stock phrase an agency repeats) is unsafe.

Memory stays bounded: the table of counts holds at most :data:`MAX_TRACKED` blocks;
when it is full, blocks seen least often are dropped (lossy counting), so a block
spread very thinly over a huge corpus can be missed, never invented. At most
:data:`MAX_BLOCKS` repeated blocks (the most frequent) are kept.
"""

from __future__ import annotations

import hashlib
import re
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from itertools import islice

from cleaner.config import Config
from cleaner.document import WORD, Paragraph, lower_words
from cleaner.model import Applicability, Fix
from cleaner.rulepacks import Rule

_SENTENCE_END = re.compile(r"[.!?][\"'\u201d\u2019)]?\s*$")
#: A block has at least this many words (a lone "Yes." or "Comments" is not evidence).
MIN_WORDS = 3
#: ... and at most this many (longer repeated text is an article syndicated twice, not furniture).
MAX_WORDS = 80
#: Words from which a repeated sentence is prose that a person should judge (unsafe).
PROSE_WORDS = 8
MAX_TRACKED = 1_000_000
MAX_BLOCKS = 1_000


def block_key(text: str) -> str | None:
    """Return the digest a block is counted by (its lower-cased words), or ``None`` if it is too short or long.

    >>> block_key("All rights  reserved.") == block_key("all rights reserved")
    True
    >>> block_key("Comments") is None
    True
    >>> block_key("İstanbul news today") == block_key("İSTANBUL NEWS TODAY")
    True
    >>> block_key("word " * 80) is None, block_key("word " * 81) is None
    (False, True)
    """
    # A block long enough to hold more words than that is checked for them first (in C,
    # stopping at one word too many): a document's one long paragraph is not lower-cased
    # and split whole only to be left out.
    if len(text) > 2 * MAX_WORDS and next(islice(WORD.finditer(text), MAX_WORDS, None), None) is not None:
        return None
    words = lower_words(text)
    if not MIN_WORDS <= len(words) <= MAX_WORDS:
        return None
    return hashlib.blake2b(" ".join(words).encode("utf-8"), digest_size=8).hexdigest()


def blocks_of(text: str) -> set[str]:
    """Return the digests of a document's blocks: each blank-line paragraph and each of its lines."""
    keys = set()
    for paragraph in re.split(r"\n[ \t]*\n", text):
        for block in (paragraph, *paragraph.split("\n")) if "\n" in paragraph.strip() else (paragraph,):
            key = block_key(block)
            if key is not None:
                keys.add(key)
    return keys


@dataclass(frozen=True, slots=True)
class RepeatedBlocks:
    """What counting found: the repeated blocks (digest, documents), most frequent first, and a sample text."""

    documents: int
    blocks: tuple[tuple[str, int], ...]
    #: The most frequent block's text, for the batch's notice.
    example: str = ""


def count_blocks(texts: Iterable[str], min_documents: int) -> RepeatedBlocks:
    """Count in how many of ``texts`` each block occurs; keep those in ``min_documents`` or more."""
    counts: Counter[str] = Counter()
    samples: dict[str, str] = {}
    documents = 0
    for text in texts:
        documents += 1
        for key in blocks_of(text):
            counts[key] += 1
            if counts[key] == 2 and key not in samples:
                samples[key] = _text_of(text, key)
        if len(counts) > MAX_TRACKED:
            counts, samples = _pruned(counts, samples)
    repeated = sorted(((key, n) for key, n in counts.items() if n >= min_documents), key=lambda item: (-item[1], item[0]))[:MAX_BLOCKS]
    return RepeatedBlocks(documents, tuple(repeated), samples.get(repeated[0][0], "") if repeated else "")


def _pruned(counts: Counter[str], samples: dict[str, str]) -> tuple[Counter[str], dict[str, str]]:
    """Drop the least-seen blocks until the table is half full (lossy counting)."""
    floor = 1
    while len(counts) > MAX_TRACKED // 2:
        counts = Counter({key: n for key, n in counts.items() if n > floor})
        floor += 1
    return counts, {key: text for key, text in samples.items() if key in counts}


def _text_of(text: str, key: str) -> str:
    """Return the block of ``text`` whose digest is ``key`` (for the notice)."""
    for paragraph in re.split(r"\n[ \t]*\n", text):
        for block in (paragraph, *paragraph.split("\n")):
            if block_key(block) == key:
                return " ".join(block.split())
    return ""


def find_corpus_blocks(rule: Rule, paragraphs: Iterable[Paragraph], text: str, config: Config) -> list[Fix]:
    """Propose removing each of ``text``'s ``paragraphs`` that repeats across the corpus (rule kind ``corpus-block``)."""
    if not config.corpus_blocks or config.repeated_blocks == "off":
        return []
    known = dict(config.corpus_blocks)
    fixes = []
    for para in paragraphs:
        key = block_key(para.text)
        if key is None or key not in known:
            continue
        fixes.append(Fix(rule.id, (para.removal(text),), _applicability(para.text, config), rule.message, {"documents": known[key]}))
    return fixes


def _applicability(block: str, config: Config) -> Applicability:
    """Display-only when only reporting; unsafe for what reads as a sentence of prose; else safe."""
    if config.repeated_blocks != "remove":
        return Applicability.DISPLAY_ONLY
    if len(WORD.findall(block)) >= PROSE_WORDS and _SENTENCE_END.search(block):
        return Applicability.UNSAFE
    return Applicability.SAFE
