"""Candidate originals for spun words, from several sources behind one small interface.

A spinner replaces a word or phrase with another member of one of its synonym groups
(``bank|financial institution``, ``said|stated|mentioned``). To undo a swap, sources
propose for spans of the text the words the spinner may have replaced; the scorer
(:mod:`cleaner.spin.scorer`) then says which, if any, fits the context better.

The interface (the stage, ``cleaner eval`` and ``cleaner spin mine`` use only this):

- :class:`Candidate`: replace characters ``start:end`` (tokens ``first`` to ``last``)
  by ``text``; ``source`` names who proposed it (a rule id such as
  ``spin.groups.vocabulary``, or ``user:PATH`` for a user's dictionary) and goes into
  the edit's evidence; ``prior`` is the source's trust in the swap, in natural-log
  units added to the context score; ``signature`` tells that the spun form alone is
  evidence of spinning; ``contextual`` tells whether the context decides (figures
  are never ambiguous); ``ordinary`` tells that the spun form is an everyday word with
  the original's sense, which writers use as freely (its source's ``ordinary_prior``
  is its prior: the context and the document's agreement must carry the repair).
- A *source* has a ``name`` and ``scan(text, tokens) -> list[Candidate]``: every
  candidate in the text, in text order (several may share a span: one per original).
- :func:`candidates_for` gives the candidates beginning at one token;
  :func:`sources_for` builds the sources a stage's rules and the user's dictionaries give.

Sources here:

- :class:`GroupSource`: synonym groups, one per line, members joined by ``|``. The
  project's files (``rules/spin/*.txt``, each named by a ``spinner-groups`` rule) are
  *directed*: the first member is the original the spinner replaced, the others are
  what it writes. A user's spinner dictionary (the file the spinner itself used) is
  *undirected*: any member may have replaced any other, and the scorer decides.
- :class:`NumberSource`: figures the spinner half wrote in words ("eight.5",
  "1.eight", "five,22,062", "five%"), "percent" turned into a spaced "%" ("29 %"),
  and the month May turned into a modal ("in Might", "Could 4").
- :class:`ThesaurusSource`: a reverse thesaurus (``rules/spin/reverse-thesaurus.tsv``,
  built from WordNet and LibreOffice's English thesaurus by
  ``tools/build_reverse_thesaurus.py``): for a word or phrase the spinner may have
  written, the everyday words it may have replaced, in the same inflection, read at
  its first scan. No rule runs it yet, in the stage or in ``cleaner spin mine``: with
  the bigram scorer, its candidates were measured as noise (``rules/README.md``, "Reverse
  thesaurus"), so it waits for a scorer that can tell a word's senses apart;
  ``benchmarks/spin_candidates.py`` measures what it would add.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from itertools import compress
from operator import methodcaller, or_
from pathlib import Path
from typing import NamedTuple, Protocol

from cleaner.errors import RulePackError
from cleaner.rulepacks import Rule
from cleaner.spin.patterns import Tokens, is_sentence_start, spaced, token_words, tokenize  # noqa: F401  (tokenize: the doctests use it)


class Candidate(NamedTuple):
    """One proposed repair: ``text`` for characters ``start:end`` (tokens ``first..last``)."""

    start: int
    end: int
    first: int
    last: int
    #: The replacement as the source writes it (lower case unless a name): case is
    #: matched to the text when the repair is built.
    text: str
    #: Who proposed it: a rule id, or ``user:PATH``.
    source: str
    #: The source's trust in the swap (natural log), added to the context margin.
    prior: float
    #: Whether the spun form alone is evidence of spinning (it counts in detection).
    signature: bool
    #: Whether the context decides (words); figures are never ambiguous.
    contextual: bool = True
    #: Whether the spun form is an everyday word in its own right (marked "~" in a groups
    #: file): ordinary prose writes it where the original could stand, so ``prior`` is
    #: the source's lower ``ordinary_prior``.
    ordinary: bool = False


class CandidateSource(Protocol):
    """Anything that proposes candidates for a text."""

    name: str

    def scan(self, text: str, tokens: Tokens) -> list[Candidate]:
        """Return every candidate in ``text``, in text order."""
        ...


def candidates_for(text: str, tokens: Tokens, index: int, sources: Iterable[CandidateSource]) -> list[Candidate]:
    """Return the candidates of every source whose span begins at token ``index``.

    >>> src = GroupSource.from_lines("demo", ["bank|financial institution"], prior=1.0)
    >>> text = "The financial institution raised rates."
    >>> [(c.text, c.source) for c in candidates_for(text, tokenize(text), 1, [src])]
    [('bank', 'demo')]
    """
    return [c for source in sources for c in source.scan(text, tokens) if c.first == index]


#: A spun member ending in "!" is a signature: ordinary English almost never writes it.
_SIGNATURE_MARK = "!"
#: A spun member ending in "^" counts only as written in lower case ("japanese", not "Japanese").
_LOWER_MARK = "^"
#: A spun member ending in "~" is an everyday word with the original's sense ("resolution"
#: for "decision", "nevertheless" for "however"): an article's own use of it fits its
#: context as well as a spinner's does, so its swap gets the source's ``ordinary_prior``.
_ORDINARY_MARK = "~"
#: A line ending in " +s" also stands for the -s forms of its single-word members.
_PLURAL_MARK = " +s"


@dataclass(frozen=True, slots=True)
class GroupSource:
    """Synonym groups: spun form (as a tuple of words) -> the originals it may stand for.

    ``by_first_word`` indexes the spun forms by first word, longest first, so a scan
    costs one set look-up per word (:meth:`scan`).
    """

    name: str
    #: Spun form -> (originals, signature, only in lower case, ordinary word).
    groups: dict[tuple[str, ...], tuple[tuple[str, ...], bool, bool, bool]]
    by_first_word: dict[str, tuple[tuple[str, ...], ...]]
    prior: float
    #: The prior of a swap whose spun form is marked ordinary ("~").
    ordinary_prior: float

    @classmethod
    def from_lines(
        cls, name: str, lines: Iterable[str], *, prior: float, ordinary_prior: float | None = None, directed: bool = True, origin: str = ""
    ) -> GroupSource:
        """Parse group lines (``original|spun|spun``; ``#`` comments, blank lines skipped).

        Undirected groups (a spinner's own dictionary) make every member a candidate
        for every other. ``origin`` names the file in error messages. A form marked
        ordinary on any line is ordinary (the cautious reading); ``ordinary_prior``
        defaults to ``prior``.

        >>> src = GroupSource.from_lines("d", ["rate|fee~|charge +s", "year|12 months!"], prior=0.0)
        >>> src.groups[("charges",)], src.groups[("12", "months")], src.groups[("fees",)]
        ((('rates',), False, False, False), (('year',), True, False, False), (('rates',), False, False, True))
        """
        groups: dict[tuple[str, ...], tuple[list[str], bool, bool, bool]] = {}
        for number, raw in enumerate(lines, 1):
            line = raw.split("#", 1)[0].rstrip()
            if not line:
                continue
            plural = line.endswith(_PLURAL_MARK)
            members = [m.strip() for m in line.removesuffix(_PLURAL_MARK).split("|")]
            if len(members) < 2 or not all(members):
                raise RulePackError(f"{origin or name}:{number}: expected 'word|word|...' with two or more members")
            for original, spun in _pairs(members, directed):
                spun, signature, lower_only, ordinary = _marks(spun)
                original = _marks(original)[0]
                forms = [(original, spun)]
                if plural:
                    forms.append((_plural(original), _plural(spun)))
                for orig, form in forms:
                    key = tuple(token_words(form))
                    if not key or key == tuple(token_words(orig)):
                        continue
                    originals, was_signature, was_lower, was_ordinary = groups.setdefault(key, ([], signature, lower_only, ordinary))
                    if orig not in originals:
                        originals.append(orig)
                    groups[key] = (originals, was_signature and signature, was_lower or lower_only, was_ordinary or ordinary)
        frozen = {k: (tuple(v), sig, low, usual) for k, (v, sig, low, usual) in groups.items()}
        index: dict[str, list[tuple[str, ...]]] = {}
        for key in frozen:
            index.setdefault(key[0], []).append(key)
        by_first = {k: tuple(sorted(v, key=len, reverse=True)) for k, v in index.items()}
        return cls(name, frozen, by_first, prior, prior if ordinary_prior is None else ordinary_prior)

    def scan(self, text: str, tokens: Tokens) -> list[Candidate]:
        """Return a candidate per original for every spun form in the text, longest
        form first at each word, without overlaps between forms.

        A form's words are separated by spaces in the text, or by hyphens where the
        form has them ("month-to-month"); its last word may carry a possessive "'s"
        ("financial institution’s"), which the original then carries too.

        >>> src = GroupSource.from_lines("d", ["bank|financial institution", "monthly|month-to-month"], prior=0.0)
        >>> text = "The financial institution’s month-to-month figures"
        >>> [(text[c.start:c.end], c.text) for c in src.scan(text, tokenize(text))]
        [('financial institution’s', 'bank’s'), ('month-to-month', 'monthly')]
        """
        lowers, starts, ends = tokens.lowers, tokens.starts, tokens.ends
        table = self.by_first_word
        found: list[Candidate] = []
        next_free = 0
        # A possessive first word ("bank's") is looked up by its head; such words are
        # few, so they are picked from the text's distinct words, in C.
        possessive = {w for w in filter(methodcaller("endswith", "'s"), set(lowers)) if w[:-2] in table}
        hits = map(table.__contains__, lowers)
        if possessive:
            hits = map(or_, hits, map(possessive.__contains__, lowers))
        for i in compress(range(len(lowers)), hits):
            if i < next_free:
                continue
            keys = table.get(lowers[i], ())
            if lowers[i] in possessive:
                keys = tuple(sorted(keys + table[lowers[i][:-2]], key=len, reverse=True))
            for key in keys:
                last = i + len(key) - 1
                if (
                    last >= len(lowers)
                    or tuple(lowers[i:last]) != key[:-1]
                    or key[-1] not in (lowers[last], lowers[last][:-2] if lowers[last].endswith("'s") else None)
                ):
                    continue
                written = text[starts[i] : ends[last]]
                if last > i and not spaced(text, tokens, i, last) and written.lower().replace("’", "'") != _hyphenated(key, lowers[last]):
                    continue
                originals, signature, lower_only, ordinary = self.groups[key]
                if lower_only and not written.islower():
                    continue
                suffix = written[-2:] if key[-1] != lowers[last] else ""
                # A signature form with one original leaves the context nothing to decide.
                contextual = not signature or len(originals) > 1
                prior = self.ordinary_prior if ordinary else self.prior
                found.extend(Candidate(starts[i], ends[last], i, last, o + suffix, self.name, prior, signature, contextual, ordinary) for o in originals)
                next_free = last + 1
                break
        return found


def _hyphenated(key: tuple[str, ...], last_word: str) -> str:
    """Return a form's words joined by hyphens, its last word as written in the text."""
    return "-".join((*key[:-1], last_word))


def _marks(member: str) -> tuple[str, bool, bool, bool]:
    """Split a member into its words and its marks (signature, lower case only,
    ordinary word), in any order.

    >>> _marks("japanese^!"), _marks("yr!"), _marks("resolution~")
    (('japanese', True, True, False), ('yr', True, False, False), ('resolution', False, False, True))
    """
    signature = lower_only = ordinary = False
    while member.endswith((_SIGNATURE_MARK, _LOWER_MARK, _ORDINARY_MARK)):
        signature |= member.endswith(_SIGNATURE_MARK)
        lower_only |= member.endswith(_LOWER_MARK)
        ordinary |= member.endswith(_ORDINARY_MARK)
        member = member[:-1]
    return member, signature, lower_only, ordinary


def _pairs(members: Sequence[str], directed: bool) -> list[tuple[str, str]]:
    """Return (original, spun) pairs: first member to the rest, or every ordered pair."""
    if directed:
        return [(members[0], m) for m in members[1:]]
    return [(a, b) for a in members for b in members if a != b]


def _plural(phrase: str) -> str:
    """Put a phrase's last word in its -s form ("financial institution" -> "... institutions").

    >>> _plural("policy"), _plural("tax"), _plural("day")
    ('policies', 'taxes', 'days')
    """
    head, _, word = phrase.rpartition(" ")
    if word.endswith("y") and word[-2:-1] not in "aeiou":
        word = word[:-1] + "ies"
    elif word.endswith(("s", "x", "z", "ch", "sh")):
        word += "es"
    else:
        word += "s"
    return f"{head} {word}".strip()


_NUMBER_WORDS = {w: str(n) for n, w in enumerate(["zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine"])}
_WORD_DIGIT = "|".join(_NUMBER_WORDS)
#: A figure with a digit written as a word: "eight.5", "1.eight", "five,22,062", "six.7".
_HALF_WORDED = re.compile(rf"(?<![\w.,])(?:(?:{_WORD_DIGIT}|\d+)(?:[.,](?:{_WORD_DIGIT}|\d+))+)(?![\w])", re.IGNORECASE)
#: What every half-worded figure holds, a separator then a digit or a digit word: searched
#: first, as a pattern opening with a character class skips ahead in C, where the full
#: pattern tries its look-behind at every position (most texts have no such figure).
_HALF_WORDED_HINT = re.compile(rf"[.,](?:\d|{_WORD_DIGIT})", re.IGNORECASE)
#: A figure, a space, then "%": the spinner's "percent" ("29 %"), as in "29 % of voters".
_SPACED_PERCENT = re.compile(r"(?<=\d) %(?![\w%])")
#: A digit written as a word right before "%": "five%", "five %" (the spinner's "5%"),
#: matched on the few characters before each "%".
_WORDED_PERCENT = re.compile(rf"(?<![\w.,])(?:{_WORD_DIGIT}) ?$", re.IGNORECASE)
#: The month May written as a modal verb by a spinner that took "May" for "may": a
#: capitalised "Might" or "Could" inside a sentence (:data:`_DATE_WORDS` before it, or a
#: day or year after it: "in Might", "Could 4").
_SPUN_MAY = re.compile(r"\b(?:Might|Could)\b(?![-'’])(?P<day> \d{1,4}\b)?")
#: Words that introduce a month ("in May", "since May", "mid May").
_DATE_WORDS = frozenset({"in", "on", "of", "since", "until", "till", "by", "from", "to", "early", "late", "mid", "end", "last", "next", "this"})


@dataclass(frozen=True, slots=True)
class NumberSource:
    """Numbers rewritten by the spinner, written back as figures ("eight.5" -> "8.5").

    Only mixed forms are proposed: a figure with some digit spelled out is never
    ordinary writing, so each is a signature; plain number words ("five years") are left.
    A capitalised "Might" or "Could" inside a sentence, dated by its neighbours, is the
    month May to the same spinners (a signature too: "in Might" is not English).
    """

    name: str
    prior: float

    def scan(self, text: str, tokens: Tokens) -> list[Candidate]:
        """Return a candidate for every half-worded figure, every spaced "%" and every
        "Might"/"Could" standing for May.

        >>> src = NumberSource("n", 6.0)
        >>> text = "Prices rose five% in Might, and on Could 4 they might fall. Could it be?"
        >>> [(text[c.start:c.end], c.text) for c in src.scan(text, tokenize(text))]
        [('five', '5'), ('Might', 'May'), ('Could', 'May')]
        """
        found = []
        for match in _HALF_WORDED.finditer(text) if _HALF_WORDED_HINT.search(text) else ():
            parts = re.split(r"([.,])", match.group(0))
            if all(p.isdigit() or p in ".," for p in parts):
                continue
            figure = "".join(_NUMBER_WORDS.get(p.lower(), p) for p in parts)
            first, last = _token_span(tokens, match.start(), match.end())
            found.append(Candidate(match.start(), match.end(), first, last, figure, self.name, self.prior, True, False))
        for match in _SPACED_PERCENT.finditer(text) if " %" in text else ():
            first, last = _token_span(tokens, match.start() - 1, match.start())
            found.append(Candidate(match.start(), match.end(), first, last, " percent", self.name, self.prior, False, False))
        percent = text.find("%")
        while percent >= 0:
            worded = _WORDED_PERCENT.search(text, max(0, percent - 7), percent)
            if worded and not (worded.start() > 0 and (text[worded.start() - 1].isalnum() or text[worded.start() - 1] in ".,")):
                word = worded.group(0).rstrip()
                first, last = _token_span(tokens, worded.start(), worded.start() + len(word))
                found.append(
                    Candidate(worded.start(), worded.start() + len(word), first, last, _NUMBER_WORDS[word.lower()], self.name, self.prior, True, False)
                )
            percent = text.find("%", percent + 1)
        for match in _SPUN_MAY.finditer(text) if "Might" in text or "Could" in text else ():
            first, last = _token_span(tokens, match.start(), match.start() + 1)
            dated = match.group("day") or (first > 0 and tokens.lowers[first - 1] in _DATE_WORDS and spaced(text, tokens, first - 1, first))
            if dated and not is_sentence_start(text, match.start()):
                found.append(Candidate(match.start(), tokens.ends[first], first, first, "May", self.name, self.prior, True, False))
        return sorted(found)


class ReverseThesaurus(NamedTuple):
    """The reverse thesaurus in working form: spun form (words joined by spaces) ->
    its originals joined by "|" (split only for the forms a text contains)."""

    table: dict[str, str]
    #: First words of the forms of two or more words, with the longest such form's length.
    phrase_starts: dict[str, int]


@lru_cache(maxsize=4)
def read_reverse_thesaurus(path: Path) -> ReverseThesaurus:
    """Read a reverse thesaurus (``spun form<TAB>original|original``) once per process.

    >>> import tempfile; t = Path(tempfile.mkdtemp()) / "r.tsv"
    >>> _ = t.write_text("# comment\\ntowns\\tcities\\nfinancial institution\\tbank\\n", encoding="utf-8")
    >>> read_reverse_thesaurus(t)
    ReverseThesaurus(table={'towns': 'cities', 'financial institution': 'bank'}, phrase_starts={'financial': 2})
    """
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError) as exc:
        raise RulePackError(f"{path}: cannot read the reverse thesaurus: {exc}") from None
    table: dict[str, str] = {}
    phrase_starts: dict[str, int] = {}
    for number, line in enumerate(lines, 1):
        if not line or line.startswith("#"):
            continue
        spun, sep, originals = line.partition("\t")
        if not sep or not spun or not originals:
            raise RulePackError(f"{path}:{number}: expected 'spun form<TAB>original|original|...'")
        table[spun] = originals
        if " " in spun:
            first, *rest = spun.split(" ")
            phrase_starts[first] = max(phrase_starts.get(first, 0), len(rest) + 1)
    return ReverseThesaurus(table, phrase_starts)


@dataclass(frozen=True, slots=True)
class ThesaurusSource:
    """Reverse thesaurus look-ups: a spun word or phrase -> the words it may have replaced.

    A thesaurus links far more words than any spinner's groups, so its candidates are
    never signatures (they open no gate). The file is read at the first scan.

    >>> from cleaner.rulepacks import builtin_rules_dir
    >>> src = ThesaurusSource("t", builtin_rules_dir() / "spin" / "reverse-thesaurus.tsv", 0.0)
    >>> text = "She was instructed by the financial institution."
    >>> found = src.scan(text, tokenize(text))
    >>> ("instructed", "told") in {(text[c.start:c.end], c.text) for c in found}
    True
    >>> ("financial institution", "bank") in {(text[c.start:c.end], c.text) for c in found}
    True
    """

    name: str
    path: Path
    prior: float

    def scan(self, text: str, tokens: Tokens) -> list[Candidate]:
        """Return a candidate per original for each thesaurus form in the text, longest
        form first at each word, without overlaps.

        Words with a digit and ALL-CAPS words (acronyms) are skipped.
        """
        thesaurus = read_reverse_thesaurus(self.path)
        table, phrase_starts = thesaurus.table, thesaurus.phrase_starts
        lowers, starts, ends = tokens.lowers, tokens.starts, tokens.ends
        found: list[Candidate] = []
        next_free = 0
        hits = map(or_, map(table.__contains__, lowers), map(phrase_starts.__contains__, lowers))
        for i in compress(range(len(lowers)), hits):
            if i < next_free:
                continue
            for size in range(phrase_starts.get(lowers[i], 1), 0, -1):
                last = i + size - 1
                if last >= len(lowers):
                    continue
                form = " ".join(lowers[i : last + 1])
                originals = table.get(form)
                if originals is None or (last > i and not spaced(text, tokens, i, last)):
                    continue
                written = text[starts[i] : ends[last]]
                if any(c.isdigit() for c in written) or (written.isupper() and len(written) > 1):
                    break
                found.extend(Candidate(starts[i], ends[last], i, last, o, self.name, self.prior, False) for o in originals.split("|"))
                next_free = last + 1
                break
        return found


def _token_span(tokens: Tokens, start: int, end: int) -> tuple[int, int]:
    """Return the first and last token overlapping characters ``start:end``."""
    import bisect

    first = max(0, bisect.bisect_right(tokens.starts, start) - 1)
    last = max(first, bisect.bisect_left(tokens.starts, end) - 1)
    return first, last


@lru_cache(maxsize=32)
def _read_lines(path: Path) -> tuple[str, ...]:
    """Read a groups file once per process."""
    try:
        return tuple(path.read_text(encoding="utf-8").splitlines())
    except (OSError, UnicodeDecodeError) as exc:
        raise RulePackError(f"{path}: cannot read the spinner groups: {exc}") from None


@lru_cache(maxsize=32)
def group_source(rule: Rule) -> GroupSource:
    """Load the groups file a ``spinner-groups`` rule names (once per process)."""
    path = Path(rule.source_file).parent / rule.str_param("groups")
    prior = float(rule.param("prior", 0.0))  # type: ignore[arg-type]
    ordinary_prior = float(rule.param("ordinary_prior", prior))  # type: ignore[arg-type]
    return GroupSource.from_lines(rule.id, _read_lines(path), prior=prior, ordinary_prior=ordinary_prior, origin=str(path))


@lru_cache(maxsize=32)
def user_source(path: str, prior: float) -> GroupSource:
    """Load a user's spinner dictionary (undirected ``a|b|c`` lines) once per process."""
    return GroupSource.from_lines(f"user:{path}", _read_lines(Path(path)), prior=prior, directed=False, origin=path)


def sources_for(rules: Sequence[Rule], user_dictionaries: Sequence[str] = ()) -> list[CandidateSource]:
    """Return the candidate sources a stage's rules give; a ``user-dictionary`` rule
    (when selected) brings in the user's spinner dictionaries."""
    return [source for source, _ in _sources_with_rules(tuple(rules), tuple(user_dictionaries))]


def source_rules(rules: Sequence[Rule], user_dictionaries: Sequence[str] = ()) -> dict[str, Rule]:
    """Return the rule that answers for each source, by source name."""
    return {source.name: rule for source, rule in _sources_with_rules(tuple(rules), tuple(user_dictionaries))}


@lru_cache(maxsize=32)
def _sources_with_rules(rules: tuple[Rule, ...], user_dictionaries: tuple[str, ...]) -> tuple[tuple[CandidateSource, Rule], ...]:
    """Build each source once per rule set and list of dictionaries."""
    found: list[tuple[CandidateSource, Rule]] = []
    for rule in rules:
        prior = float(rule.param("prior", 0.0))  # type: ignore[arg-type]
        if rule.kind == "spinner-groups":
            found.append((group_source(rule), rule))
        elif rule.kind == "spun-numbers":
            found.append((NumberSource(rule.id, prior), rule))
        elif rule.kind == "user-dictionary":
            found.extend((user_source(path, prior), rule) for path in user_dictionaries)
    return tuple(found)
