"""Mine a corpus of spun documents for recurring substitutions and write them as rules to review.

A spinner is consistent: it swaps the same word for the same group member in every
document it rewrites ("bank" -> "financial institution", "said" -> "mentioned"). One
such swap in one document could be chance; the same badly fitting phrase, better
replaced by the same candidate across many documents, is the spinner's habit. So for
every document judged spun, every span a candidate source proposes something for is
scored in its context, and per spun form the evidence is summed: how often it occurs,
in how many documents, how often the same candidate fits better, by what margin.
Forms that pass the thresholds (:class:`Thresholds`) become ``substitution`` rules in
the rule-pack format (``rules/README.md``), with the evidence in their ``why`` and in
a comment, example sentences from the corpus as ``examples.fix`` and the repaired
sentence as ``examples.keep``, for a person to review and add to a pack.

Spans the curated rules already reverse are skipped: the mined rules are what the
packs do not know yet. A candidate must also be the more common English of the two
(out of context), because a spinner's pick is usually the rarer word; that keeps
ordinary words, whose synonyms are rarer than they are, out of the proposals.
"""

from __future__ import annotations

import json
import math
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from cleaner.api import registry_for
from cleaner.discovery import collect_inputs
from cleaner.config import Config
from cleaner.emit.report import FileError
from cleaner.errors import CleanerError, RulePackError
from cleaner.model import Applicability
from cleaner.rulepacks import Rule
from cleaner.ruletest import run_rule
from cleaner.spin.candidates import Candidate, CandidateSource, GroupSource, user_source
from cleaner.spin.detect import measure, scan
from cleaner.spin.patterns import SENTENCE_END, Tokens, is_sentence_start, sentence_around
from cleaner.spin.scorer import Scorer, default_scorer
from cleaner.stages.ingest import decode


@dataclass(frozen=True, slots=True)
class Thresholds:
    """What a recurring substitution needs to become a proposed rule.

    An occurrence is a *win* for its best candidate when the candidate fits its context
    better than the spun form by more than ``min_margin`` (natural-log units of the
    stage's context score, prior included). The default 1 asks for a clearly better fit
    (about three times as likely): an ordinary word next to a slightly more common
    synonym ("in the region" / "in the area") wins by less. ``min_share`` is the share
    of the spun form's occurrences the same candidate must win.
    """

    min_documents: int = 2
    min_occurrences: int = 2
    min_share: float = 0.6
    min_margin: float = 1.0


@dataclass(slots=True)
class Occurrence:
    """One place a spun form was seen, with the best candidate there."""

    document: str
    sentence: str
    best: str
    margin: float
    source: str


@dataclass(slots=True)
class Evidence:
    """Everything seen of one spun form across the corpus."""

    spun: str
    occurrences: list[Occurrence] = field(default_factory=list)

    def winners(self, min_margin: float) -> dict[str, list[Occurrence]]:
        """Group the occurrences where some candidate fitted better by more than ``min_margin``, by candidate."""
        found: dict[str, list[Occurrence]] = {}
        for occurrence in self.occurrences:
            if occurrence.margin > min_margin:
                found.setdefault(occurrence.best, []).append(occurrence)
        return found


@dataclass(frozen=True, slots=True)
class MinedRule:
    """A proposed reversal with its evidence."""

    spun: str
    original: str
    occurrences: int
    wins: int
    documents: int
    mean_margin: float
    sources: tuple[str, ...]
    sentences: tuple[str, ...]

    @property
    def share(self) -> float:
        """Share of the spun form's occurrences where the original fitted better."""
        return self.wins / max(1, self.occurrences)


def collect_evidence(documents: Iterable[tuple[str, str]], sources: Sequence[CandidateSource], scorer: Scorer, known: tuple[Rule, ...]) -> dict[str, Evidence]:
    """Score every candidate span of every document; return the evidence by spun form.

    ``known`` are the spin stage's rules: the spans their curated substitutions match
    or their own candidate sources (groups, figures) propose are what the stage already
    repairs, and are skipped. Where spans overlap, the longest is taken. Each candidate
    is scored by the stage's scorer (its margin: fit minus the spun form's fit, plus the
    source's prior).
    """
    evidence: dict[str, Evidence] = {}
    for name, text in documents:
        stage_view = scan(text, known)
        tokens = stage_view.tokens
        covered = {i for span in [*((m.first, m.last) for m in stage_view.matches), *((c.first, c.last) for c in stage_view.candidates)] for i in range(span[0], span[1] + 1)}
        by_span: dict[tuple[int, int], list[Candidate]] = {}
        for source in sources:
            for candidate in source.scan(text, tokens):
                by_span.setdefault((candidate.first, candidate.last), []).append(candidate)
        taken: set[int] = set()
        sentence_ends = [m.end() for m in SENTENCE_END.finditer(text)]
        for (first, last), candidates in sorted(by_span.items(), key=lambda item: (item[0][0] - item[0][1], item[0][0])):
            span = set(range(first, last + 1))
            if span & (covered | taken) or not _is_lower_case(text, tokens, first, last):
                continue
            taken |= span
            spun_words = tokens.lowers[first : last + 1]
            scored = [scorer.score(text, tokens, c) for c in candidates if _is_plausible_original(scorer, c.text, spun_words)]
            best = max(scored, key=lambda s: s.margin, default=None)
            sentence = excerpt(text, tokens.starts[first], tokens.ends[last], sentence_ends)
            if best is None:
                occurrence = Occurrence(name, sentence, "", -math.inf, "")
            else:
                occurrence = Occurrence(name, sentence, best.candidate.text.lower(), best.margin, best.candidate.source)
            spun = " ".join(spun_words)
            evidence.setdefault(spun, Evidence(spun)).occurrences.append(occurrence)
    return evidence


def excerpt(text: str, start: int, end: int, sentence_ends: Sequence[int]) -> str:
    """Return the sentence around ``text[start:end]``, cut to the whole words near it when long.

    >>> text = "One. " + "word " * 60 + "the spun phrase here " + "word " * 60 + "end. Two."
    >>> cut = excerpt(text, 309, 320, [4, len(text) - 4])
    >>> len(cut) <= EXAMPLE_CHARS, "spun phrase" in cut, excerpt(text, len(text) - 3, len(text), [4, len(text) - 4])
    (True, True, 'Two.')
    """
    sentence = sentence_around(text, start, sentence_ends)
    if len(sentence) <= EXAMPLE_CHARS:
        return sentence
    sentence_start = text.find(sentence, max(0, start - len(sentence)))
    sentence_end = sentence_start + len(sentence)
    margin = (EXAMPLE_CHARS - (end - start)) // 2
    left = max(sentence_start, text.rfind(" ", sentence_start, max(sentence_start, start - margin)) + 1)
    right = text.find(" ", min(end + margin, sentence_end), sentence_end)
    return text[left : right if right >= 0 else sentence_end].strip()


def _is_plausible_original(scorer: Scorer, candidate: str, spun_words: Sequence[str]) -> bool:
    """Tell whether a spinner could have turned ``candidate`` into the spun words.

    The original is the more common English of the two, out of context, and no longer:
    spinners write a phrase for a word ("financial institution" for "bank"), and
    proposing a phrase for a word would favour chains of common words ("in the first
    place" for "earlier").
    """
    words = candidate.lower().split()
    return len(words) <= len(spun_words) and scorer.fit(None, words, None) > scorer.fit(None, spun_words, None)


def _is_lower_case(text: str, tokens: Tokens, first: int, last: int) -> bool:
    """Tell whether the span is written in lower case (a capital only to begin a sentence).

    Capitalised words are mostly names ("March", "Reserve Bank"), which a rule of
    ordinary words must not touch.
    """
    written = text[tokens.starts[first] : tokens.ends[last]]
    if is_sentence_start(text, tokens.starts[first]):
        written = written[1:]
    return written == written.lower()


def select_rules(evidence: Mapping[str, Evidence], thresholds: Thresholds) -> list[MinedRule]:
    """Keep the spun forms consistently better replaced by one candidate; strongest first."""
    mined = []
    for spun, seen in evidence.items():
        winners = seen.winners(thresholds.min_margin)
        if not winners:
            continue
        original, wins = max(winners.items(), key=lambda item: (len(item[1]), sum(o.margin for o in item[1])))
        documents = {o.document for o in wins}
        rule = MinedRule(
            spun=spun,
            original=original,
            occurrences=len(seen.occurrences),
            wins=len(wins),
            documents=len(documents),
            mean_margin=sum(o.margin for o in wins) / len(wins),
            sources=tuple(sorted({o.source for o in wins})),
            sentences=tuple(_examples(wins)),
        )
        if rule.documents >= thresholds.min_documents and rule.wins >= thresholds.min_occurrences and rule.share >= thresholds.min_share:
            mined.append(rule)
    return sorted(mined, key=lambda r: (-r.documents, -r.wins, -r.mean_margin, r.spun))


#: Example sentences per rule (from different documents where there are enough).
EXAMPLES = 3
#: An example longer than this is cut to the words around the spun form.
EXAMPLE_CHARS = 240


def _examples(wins: Sequence[Occurrence]) -> list[str]:
    """Pick example sentences: the highest margins first, one per document, then the rest."""
    ranked = sorted(wins, key=lambda o: -o.margin)
    firsts = {o.document: o for o in reversed(ranked)}
    chosen = [o.sentence for o in ranked if firsts[o.document] is o]
    chosen += [o.sentence for o in ranked if firsts[o.document] is not o]
    return list(dict.fromkeys(chosen))[:EXAMPLES]


PACK_HEADER = """\
# Candidate spin rules mined by `cleaner spin mine` from {documents} document(s) ({spun} judged spun).
#
# Each rule reverses a substitution that recurred across the corpus: the spun form, better
# replaced by the same candidate in most of its occurrences. The evidence is in each rule's
# comment and `why`; the examples are sentences of the corpus. Review every rule before
# adding it to a pack: keep `contextual` for words ordinary English also uses, make it a
# `signature` only if ordinary English almost never writes the spun form, add `before` /
# `after` conditions where the swap is right only in some contexts, and add keep examples
# of the spun form used correctly. Check it with `cleaner rules test --rules FOLDER`.

[pack]
id = {pack_id}
stage = "spin"
description = "Spinner substitutions mined from a corpus, for review."
applicability = "safe"
source = {source}
"""


def render_pack(rules: Sequence[MinedRule], pack_id: str, documents: int, spun: int, corpus: str) -> tuple[str, list[MinedRule], list[str]]:
    """Write mined rules as a rule-pack TOML text; return it, the rules written and the forms left out (with why).

    Each rule's examples are checked by running the rule: a fix example is the corpus
    sentence and what the rule makes of it; the keep example is that repaired sentence,
    which the rule must leave alone. A rule none of whose examples work is left out.
    """
    parts = [PACK_HEADER.format(documents=documents, spun=spun, pack_id=_toml(pack_id), source=_toml(f"cleaner spin mine over {corpus}"))]
    written: list[MinedRule] = []
    skipped = []
    used_ids: set[str] = set()
    for mined in rules:
        slug = _slug(f"{mined.spun}-for-{mined.original}")
        if slug in used_ids:
            continue
        probe = _rule(pack_id, slug, mined, (), ())
        fixes = [(s, run_rule(probe, s)) for s in mined.sentences]
        fixes = [(s, out) for s, out in fixes if out != s]
        keeps = [out for _, out in fixes[:1] if run_rule(probe, out) == out]
        if not fixes or not keeps:
            skipped.append(f"{mined.spun!r} -> {mined.original!r}: no example sentence the rule repairs and then leaves alone")
            continue
        used_ids.add(slug)
        written.append(mined)
        parts.append(_rule_toml(slug, mined, fixes, keeps))
    return "\n".join(parts), written, skipped


def _rule(pack_id: str, slug: str, mined: MinedRule, fixes: Sequence[tuple[str, str]], keeps: Sequence[str]) -> Rule:
    """Build the rule as the pack loader would (to run its examples)."""
    params = {"match": mined.spun, "replace": mined.original, "spin": "contextual"}
    return Rule(f"{pack_id}.{slug}", pack_id, "spin", "substitution", MESSAGE, _why(mined), Applicability.SAFE, tuple(fixes), tuple(keeps), params)


MESSAGE = "“{match}” is spinner output for “{replacement}”."


def _why(mined: MinedRule) -> str:
    """The rule's reason, with its evidence."""
    return (
        f"Mined from a spun corpus: “{mined.spun}” occurred {mined.occurrences} time(s); in {mined.wins} ({mined.share:.0%}), "
        f"across {mined.documents} document(s), “{mined.original}” fitted the context better, by {mined.mean_margin:.2f} on average "
        f"(natural log of the context fit), and it is the more common English. Candidates from: {', '.join(mined.sources)}."
    )


def _rule_toml(slug: str, mined: MinedRule, fixes: Sequence[tuple[str, str]], keeps: Sequence[str]) -> str:
    """One ``[[rule]]`` table, with its evidence as a comment."""
    lines = [
        f"# evidence: {mined.occurrences} occurrence(s), {mined.wins} better as “{mined.original}” ({mined.share:.0%}) "
        f"in {mined.documents} document(s); mean margin {mined.mean_margin:.2f}; sources: {', '.join(mined.sources)}",
        "[[rule]]",
        f"id = {_toml(slug)}",
        'kind = "substitution"',
        'spin = "contextual"',
        f"match = {_toml(mined.spun)}",
        f"replace = {_toml(mined.original)}",
        f"message = {_toml(MESSAGE)}",
        f"why = {_toml(_why(mined))}",
        "examples.fix = [",
        *[f"    [{_toml(before)}, {_toml(after)}]," for before, after in fixes],
        "]",
        f"examples.keep = [{', '.join(_toml(k) for k in keeps)}]",
    ]
    return "\n".join(lines) + "\n"


def _toml(value: str) -> str:
    """Quote a string for TOML (a JSON string is a valid TOML basic string)."""
    return json.dumps(value, ensure_ascii=False)


def _slug(text: str) -> str:
    """Make a rule id: lower-case words joined by '-'.

    >>> _slug("financial institution-for-bank"), _slug("12 months-for-year")
    ('financial-institution-for-bank', '12-months-for-year')
    """
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-") or "rule"


@dataclass(frozen=True, slots=True)
class MineResult:
    """What mining a corpus produced: the pack text and what went into it."""

    pack: str
    rules: tuple[MinedRule, ...]
    left_out: tuple[str, ...]
    documents: int
    spun: int
    errors: tuple[FileError, ...]


def mine_corpus(
    paths: Sequence[Path],
    config: Config,
    *,
    assume_spun: bool = False,
    thresholds: Thresholds = Thresholds(),
    pack_id: str = "spin.mined",
) -> MineResult:
    """Read the corpus, keep the documents the spin detector judges spun (all with
    ``assume_spun``), and mine them with :func:`mining_sources`.

    A file that cannot be read is an error for that file; the others are still mined.
    """
    found = collect_inputs(list(paths), config)
    inputs, errors = found.files, list(found.errors)
    documents = []
    for path in inputs:
        try:
            documents.append((path.as_posix(), decode(path.read_bytes(), path.as_posix()).text))
        except CleanerError as exc:
            errors.append(FileError(path.as_posix(), exc.one_line()))
        except OSError as exc:
            errors.append(FileError(path.as_posix(), f"error[C201]: {path}: cannot read: {exc.strerror}"))
    rules = registry_for(config).select(config.select, config.ignore).for_stage("spin")
    spun = [(name, text) for name, text in documents if assume_spun or measure(text, rules, config.spin_threshold, config.spin_dictionaries)["spun"]]
    evidence = collect_evidence(spun, mining_sources(rules, config.spin_dictionaries), default_scorer(), rules)
    corpus = ", ".join(p.as_posix() for p in paths)
    text, written, left_out = render_pack(select_rules(evidence, thresholds), pack_id, len(documents), len(spun), corpus)
    return MineResult(text, tuple(written), tuple(left_out), len(documents), len(spun), tuple(errors))


def mining_sources(rules: Sequence[Rule], dictionaries: Sequence[str]) -> list[CandidateSource]:
    """Return the sources of swaps the stage does not know yet: the user's spinner
    dictionaries (``spin_dictionaries``) and the thesaurus, read as undirected groups.

    The thesaurus is the one the fallback rule names (WordNet synonym sets): any member
    of a set may have replaced any other, and the scorer and the corpus decide which.
    """
    fallback = next((r for r in rules if r.kind == "thesaurus-fallback"), None)
    if fallback is None:
        raise RulePackError("spin mining reads the thesaurus the spin.fallback rule names; that rule is not selected")
    thesaurus = Path(fallback.source_file).parent / fallback.str_param("thesaurus")
    sources: list[CandidateSource] = [user_source(path, 0.0) for path in dictionaries]
    sources.append(GroupSource.from_lines(fallback.id, _synonym_sets(thesaurus), prior=0.0, directed=False, origin=str(thesaurus)))
    return sources


def _synonym_sets(path: Path) -> list[str]:
    """Read the thesaurus (``pos<TAB>lemma|lemma|...``) as group lines (``lemma|lemma|...``)."""
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError) as exc:
        raise RulePackError(f"{path}: cannot read the thesaurus: {exc}") from None
    return [line.partition("\t")[2] for line in lines if line and not line.startswith("#")]
