"""Rule patterns on RE2: regular expressions whose running time is linear in the text.

Rule packs are data, and data may come from a repository nobody has read. Under
Python's backtracking ``re`` a pattern such as ``(a|a)*$``, ``((a+))+$`` or
``(.*a){12}$`` takes minutes on a 32-character line; no load-time guard can spot every
such shape. RE2 (``google-re2``) runs every pattern it accepts in time linear in the
text, so rule patterns run there, and what RE2 cannot run is refused when the pack
loads (:class:`PatternError`, which the loader turns into a ``RulePackError`` naming
the file and rule).

Patterns are written in Python ``re`` syntax (the subset RE2 shares) and always in
multi-line mode (``^``/``$`` at line ends). Two things are added on top of RE2:

* Lookarounds at the *edges* of a pattern, the way rules say "after a lower-case
  letter" or "unless 'and' follows": ``(?<=X)``/``(?<!X)`` at the start and
  ``(?=Y)``/``(?!Y)`` at the end. The first positive lookbehind and lookahead become
  part of the RE2 expression (consumed, then given back as context); the others are
  checked around each match. Each must have a bounded width (at most
  :data:`MAX_CONTEXT_WIDTH` characters), and when one is checked around the match the
  match itself must be bounded too, so a rejected candidate costs a bounded amount of
  work. A lookaround anywhere else, a backreference or verbose mode is refused.
* ``\\w``, ``\\d`` and ``\\s`` mean what they mean in Python (Unicode letters, digits and
  spaces), not RE2's ASCII classes. A ``\\b`` that ends a lookahead is checked with
  Python's Unicode words as well; anywhere else ``\\b`` is RE2's ASCII word boundary.

Matches are found exactly where Python's ``re`` finds them, except that a negative
lookahead (or a second lookaround on one side) is checked on the match RE2 prefers:
if it fails, the search moves on to the next position instead of trying a shorter
match (or another alternative of the lookaround) at the same one.
"""

from __future__ import annotations

import re
import re._parser as python_parser  # Python's own parser: the widths of lookarounds
from collections.abc import Container, Iterator, Sequence
from dataclasses import dataclass, replace
from functools import lru_cache

import re2

from cleaner.errors import RulePackError

#: The widest context a lookaround may look at, in characters.
MAX_CONTEXT_WIDTH = 255

_OPTIONS = re2.Options()
_OPTIONS.log_errors = False  # errors are raised (and reported in one line), not logged
#: For the set of the strings patterns need (:class:`RequiredStrings`): RE2's usual memory budget.
_SET_OPTIONS = re2.Options()
_SET_OPTIONS.log_errors = False
_CHECK_OPTIONS = re2.Options()
_CHECK_OPTIONS.log_errors = False
_CHECK_OPTIONS.max_mem = 1 << 10  # parse only: the compilation stops as "too large" at once
_LEADING_FLAGS = re.compile(r"\(\?([a-zA-Z]+)\)")
_WORD = r"\p{L}\p{N}_"
_SPACE = r"\t\n\x0b\f\r\x1c-\x1f\x85\p{Z}"
#: Python class escape -> (outside a character class, inside one or None if it cannot be).
_CLASSES = {
    "w": (f"[{_WORD}]", _WORD),
    "W": (f"[^{_WORD}]", None),
    "d": (r"\p{Nd}", r"\p{Nd}"),
    "D": (r"\P{Nd}", r"\P{Nd}"),
    "s": (f"[{_SPACE}]", _SPACE),
    "S": (f"[^{_SPACE}]", None),
    "Z": (r"\z", None),
}
_TEMPLATE_TOKEN = re.compile(r"\\(?:g<([^>]*)>|([0-9]{1,2})|(.))", re.S)
_TEMPLATE_ESCAPES = {"n": "\n", "t": "\t", "r": "\r", "f": "\f", "v": "\v", "a": "\a", "b": "\b", "\\": "\\"}


class PatternError(ValueError):
    """A rule pattern that RE2 cannot run (or a replacement that does not fit it)."""


@dataclass(frozen=True, slots=True)
class _Context:
    """A lookaround checked around a match: ``(?<=X)``, ``(?<!X)``, ``(?=Y)`` or ``(?!Y)``."""

    lazy: _Lazy
    behind: bool
    negated: bool
    width: int  # characters a lookbehind looks back over
    word_end: bool = False  # the lookahead ends in ``\b``, checked here with Python's Unicode words

    def holds(self, data: bytes, start: int, end: int) -> bool:
        """Tell whether the context holds for a match at byte offsets ``start``..``end``."""
        if self.behind:
            begin = _chars_back(data, start, self.width)
            found = begin is not None and self.lazy.regexp().fullmatch(data, begin, start) is not None
        else:
            ahead = self.lazy.regexp().match(data, end)
            found = ahead is not None and (not self.word_end or _is_word_boundary(data, ahead.end()))
        return found != self.negated


class RuleMatch:
    """One match of a :class:`RulePattern`: offsets and groups in the searched ``str``."""

    __slots__ = ("_text", "_spans", "_names")

    def __init__(self, text: str, spans: tuple[tuple[int, int], ...], names: dict[str, int]) -> None:
        self._text = text
        self._spans = spans  # the match, then each group (-1, -1 when it did not take part)
        self._names = names

    def start(self) -> int:
        """Return where the match starts."""
        return self._spans[0][0]

    def end(self) -> int:
        """Return where the match ends."""
        return self._spans[0][1]

    def span(self) -> tuple[int, int]:
        """Return where the match starts and ends."""
        return self._spans[0]

    def group(self, index: int | str = 0) -> str | None:
        """Return the text of the match or of one group (``None`` if it did not take part)."""
        start, end = self._spans[self._names[index] if isinstance(index, str) else index]
        return None if start < 0 else self._text[start:end]

    def expand(self, template: str) -> str:
        """Fill a replacement template (``\\1``, ``\\g<name>``, ``\\n`` ...) as ``re`` does."""
        return _TEMPLATE_TOKEN.sub(lambda token: _template_piece(self, token), template)


def _template_piece(match: RuleMatch, token: re.Match[str]) -> str:
    """Return what one escape of a replacement template stands for."""
    name, number, char = token.groups()
    if name is not None:
        return match.group(int(name) if name.isdigit() else name) or ""
    if number is not None:
        return match.group(int(number)) or ""
    return _TEMPLATE_ESCAPES.get(char, "\\" + char)


class Haystack:
    """A text made ready for many patterns: its UTF-8 bytes, lower-cased once a case-blind prefilter asks.

    Why: the structure stage runs a few dozen patterns over one text, and the boilerplate
    patterns over each of its paragraphs; each piece is encoded and lower-cased once, not
    once per pattern (with :class:`RequiredStrings`, the boilerplate rules over 300
    documents went from 0.50 s to about 0.2 s).
    """

    __slots__ = ("text", "data", "_lowered")

    def __init__(self, text: str) -> None:
        self.text = text
        self.data = text.encode("utf-8", "replace")  # a lone surrogate is one character either way
        self._lowered: bytes | None = None

    def lowered(self) -> bytes:
        """Return the bytes with ASCII letters in lower case (the same length: offsets still hold)."""
        if self._lowered is None:
            self._lowered = self.data.lower()
        return self._lowered


class RequiredStrings:
    """The strings some patterns' prefilters look for, found in a text in one pass (an RE2 set).

    Why: each pattern looking for its own strings reads the text once per string (a few
    hundred times for the boilerplate rules); the set's automaton reads it once.

    >>> patterns = [compile_pattern(r"(?i)(?:follow|like) us on (?:twitter|facebook)"), compile_pattern(r"©.{1,9}")]
    >>> finder = RequiredStrings(patterns)
    >>> [p and sorted(sorted(o) for o in p.required) for p in finder.narrowed(Haystack("LIKE us on Twitter!"))]
    [[[(b' on ', True)], [(b' u', True)], [(b'twitter', True)]], None]
    """

    def __init__(self, patterns: Sequence[RulePattern]) -> None:
        self.patterns = tuple(patterns)
        self._pieces = sorted({piece for pattern in self.patterns for option in pattern.required or () for piece in option})
        self._set: re2.Set | None = None
        if self._pieces:
            try:
                self._set = re2.Set.SearchSet(_SET_OPTIONS)
                for piece, folded in self._pieces:  # a folded piece: no letter but ASCII ones other than k and s, and uncased ones
                    literal = re2.escape(piece.decode("utf-8"))
                    self._set.Add(f"(?i:{literal})" if folded else literal)
                self._set.Compile()
            except re2.error:  # more strings than one set holds (a huge rule pack): each pattern looks for its own
                self._set = None

    def narrowed(self, text: Haystack) -> list[RulePattern | None]:
        """Return each pattern narrowed to what ``text`` holds (:meth:`RulePattern.narrowed`), in order."""
        if self._set is None:
            return [pattern if _may_contain(pattern.required, text) else None for pattern in self.patterns]
        present = frozenset(self._pieces[i] for i in (self._set.Match(text.data) or ()))
        return [pattern.narrowed(present) for pattern in self.patterns]


def _haystack(text: str | Haystack) -> Haystack:
    """Return ``text`` made ready for matching, unless it already is."""
    return text if isinstance(text, Haystack) else Haystack(text)


@dataclass(frozen=True, slots=True)
class RulePattern:
    """A compiled rule pattern: RE2 for the match, plus the lookarounds at its edges."""

    source: str
    searcher: _Lazy  # [lookbehind X]() body [(lookahead Y)]
    body: _Lazy  # the body alone, for whole-paragraph matches
    behind_width: int  # characters of the folded lookbehind (0: none)
    ahead_folded: bool
    contexts: tuple[_Context, ...]  # checked around each match
    folded: tuple[_Context, ...]  # part of ``searcher``; a whole-text match checks them too
    groups: int
    names: dict[str, int]
    required: _Required  # strings every match contains (None: none known)
    widths: tuple[int, int]  # the fewest and most characters the body can match

    def finditer(self, text: str | Haystack) -> Iterator[RuleMatch]:
        """Yield the non-overlapping matches in ``text``, left to right, as ``re.finditer`` does."""
        haystack = _haystack(text)
        if not _may_contain(self.required, haystack):
            return
        text, data = haystack.text, haystack.data
        offsets = _Offsets(text, data)
        shift = 1 if self.behind_width else 0
        position = 0  # the earliest byte a match (its body) may start at
        while position <= len(data):
            begin = _chars_back(data, position, self.behind_width) if self.behind_width else position
            found = self.searcher.regexp().search(data, position if begin is None else begin)
            if found is None:
                return
            start = found.start(1) if shift else found.start()
            end = found.start(self.groups + shift + 1) if self.ahead_folded else found.end()
            if all(c.holds(data, start, end) for c in self.contexts):
                spans = [(start, end)] + [found.span(shift + g) for g in range(1, self.groups + 1)]
                yield RuleMatch(text, tuple((offsets.char(a), offsets.char(b)) if a >= 0 else (-1, -1) for a, b in spans), self.names)
                position = end if end > start else _next_char(data, end)
            else:
                position = _next_char(data, start)

    def narrowed(self, present: Container[tuple[bytes, bool]]) -> RulePattern | None:
        """Return this pattern for the pieces of a text holding the ``present`` required strings, or ``None`` if it matches nowhere in it.

        The copy's prefilter looks in each piece (a paragraph) only for the required
        strings the whole text holds, as one missing from the whole is missing from every
        piece: the boilerplate rules test each paragraph for one or two strings, not dozens.
        """
        if self.required is None:
            return self
        narrowed = []
        for option in self.required:
            found = frozenset(piece for piece in option if piece in present)
            if not found:
                return None
            narrowed.append(found)
        return replace(self, required=tuple(narrowed))

    def fullmatch(self, text: str | Haystack) -> RuleMatch | None:
        """Return the match of the whole of ``text``, if the pattern matches all of it."""
        length = len(text.text if isinstance(text, Haystack) else text)
        if not self.widths[0] <= length <= self.widths[1]:
            return None
        haystack = _haystack(text)
        if not _may_contain(self.required, haystack):
            return None
        text, data = haystack.text, haystack.data
        found = self.body.regexp().fullmatch(data)
        if found is None or not all(c.holds(data, 0, len(data)) for c in self.contexts + self.folded):
            return None
        offsets = _Offsets(text, data)
        spans = [(0, len(text))] + [found.span(g) for g in range(1, self.groups + 1)]
        return RuleMatch(text, tuple((offsets.char(a), offsets.char(b)) if a >= 0 else (-1, -1) for a, b in spans), self.names)

    def check_template(self, template: str) -> None:
        """Refuse a replacement template that names a group the pattern lacks or a bad escape."""
        for token in _TEMPLATE_TOKEN.finditer(template):
            name, number, char = token.groups()
            if name is not None and not (name.isdigit() and int(name) <= self.groups) and name not in self.names:
                raise PatternError(f"the replacement names group {name!r}, which the pattern does not have")
            if number is not None and int(number) > self.groups:
                raise PatternError(f"the replacement uses group {number}, but the pattern has {self.groups}")
            if char is not None and char.isascii() and char.isalpha() and char not in _TEMPLATE_ESCAPES:
                raise PatternError(f"bad escape '\\{char}' in the replacement")


@lru_cache(maxsize=512)
def compile_pattern(source: str) -> RulePattern:
    """Compile a rule pattern for RE2, or raise :class:`PatternError` saying why it cannot run.

    >>> p = compile_pattern(r"(?<=[a-z])- (?=[a-z])")
    >>> [(m.start(), m.group()) for m in p.finditer("a- b- c, x -y")]
    [(1, '- '), (4, '- ')]
    >>> compile_pattern(r"(\\w+)\\1")
    Traceback (most recent call last):
    ...
    cleaner.patterns.PatternError: RE2 cannot run it (invalid escape sequence: \\1): backreferences are not supported
    """
    parsed = _python_parse(source)
    flags, rest = _split_flags(source)
    behind, body, ahead = _split_edges(rest)
    # Lookarounds match no characters: the body's width is the whole pattern's.
    translated, body_width = _translate(body), _width_of(parsed)
    body_regexp = _Lazy(flags + translated)
    contexts: list[_Context] = []
    folded: list[_Context] = []
    prefix, behind_width = "", 0
    for item in behind:
        inner, negated = item[4:-1], item[3] == "!"
        context = _context(flags, inner, behind=True, negated=negated)
        if not negated and not prefix:
            prefix, behind_width = f"(?:{_translate(inner)})()", context.width
            folded.append(context)
        else:
            contexts.append(context)
    suffix = ""
    for item in ahead:
        inner, negated = item[3:-1], item[2] == "!"
        word_end = inner.endswith("\\b") and not inner.endswith("\\\\b")
        inner = inner[:-2] if word_end else inner
        context = _context(flags, inner, behind=False, negated=negated, word_end=word_end)
        if not negated and not suffix and not word_end:
            suffix = f"({_translate(inner)})"
            folded.append(context)
        else:
            contexts.append(context)
    if contexts and body_width[1] > MAX_CONTEXT_WIDTH:
        raise PatternError(
            f"with a negative lookaround (or two on one side) the match itself must be at most {MAX_CONTEXT_WIDTH} characters long; bound its repetitions"
        )
    searcher = _Lazy(f"{flags}{prefix}(?:{translated}){suffix}")
    # Lookarounds hold no capturing group (refused above), so the body's groups are the pattern's.
    return RulePattern(
        source,
        searcher,
        body_regexp,
        behind_width,
        bool(suffix),
        tuple(contexts),
        tuple(folded),
        parsed.state.groups - 1,
        dict(parsed.state.groupdict),
        _required_in(parsed),
        body_width,
    )


def _python_parse(source: str) -> python_parser.SubPattern:
    """Parse ``source`` with Python's parser, refusing what ``re.compile`` refuses, as a :class:`PatternError`.

    Compiling checks one thing more than parsing: that a lookbehind has a fixed width,
    so only a pattern with one is compiled too. The one parse then gives the pattern's
    groups, width and required strings, each of which parsed it again before (together
    a third of the shipped rule packs' pattern checks).
    """
    try:
        parsed = python_parser.parse(source)
        if "(?<" in source:  # a lookbehind, or text that looks like one: Python's compiler judges it
            re.compile(source)
    except re.error as exc:
        raise PatternError(f"bad regular expression: {exc}") from None
    return parsed


def _split_flags(source: str) -> tuple[str, str]:
    """Split leading inline flags (``(?i)``) from the pattern; RE2 always runs multi-line."""
    flags = "m"
    rest = source
    while match := _LEADING_FLAGS.match(rest):
        for flag in match.group(1):
            if flag in "xaL":
                raise PatternError(f"the inline flag '(?{flag})' is not supported by RE2")
            if flag in "ims" and flag not in flags:
                flags += flag
        rest = rest[match.end() :]
    return f"(?{flags})", rest


def _split_edges(pattern: str) -> tuple[list[str], str, list[str]]:
    """Split ``pattern`` into leading lookbehinds, the body, and trailing lookaheads."""
    groups, alternation = _top_level_groups(pattern)
    behind: list[str] = []
    start = 0
    for open_at, close_at in groups:
        if open_at != start or not pattern.startswith(("(?<=", "(?<!"), open_at):
            break
        behind.append(pattern[open_at:close_at])
        start = close_at
    ahead: list[str] = []
    end = len(pattern)
    for open_at, close_at in reversed(groups):
        if close_at != end or open_at < start or not pattern.startswith(("(?=", "(?!"), open_at):
            break
        ahead.insert(0, pattern[open_at:close_at])
        end = open_at
    if (behind or ahead) and alternation:
        raise PatternError("a lookaround at the edge of a pattern with '|' at its top level: put the alternatives in a group")
    return behind, pattern[start:end], ahead


def _top_level_groups(pattern: str) -> tuple[list[tuple[int, int]], bool]:
    """Return the spans of the groups at the top level, and whether a top-level '|' exists."""
    groups: list[tuple[int, int]] = []
    depth, index, opened, alternation, in_class = 0, 0, 0, False, False
    while index < len(pattern):
        char = pattern[index]
        if char == "\\":
            index += 2
            continue
        if in_class:
            in_class = char != "]"
        elif char == "[":
            in_class = True
            index += 1
            index += 1 if pattern.startswith("^", index) else 0
            index += 1 if pattern.startswith("]", index) else 0  # a leading ']' is a literal
            continue
        elif char == "(":
            opened = index if depth == 0 else opened
            depth += 1
        elif char == ")":
            depth -= 1
            if depth == 0:
                groups.append((opened, index + 1))
        elif char == "|" and depth == 0:
            alternation = True
        index += 1
    return groups, alternation


def _translate(pattern: str) -> str:
    """Rewrite Python's Unicode class escapes (``\\w``, ``\\d``, ``\\s``, ``\\Z``) for RE2."""
    out: list[str] = []
    index, in_class = 0, False
    while index < len(pattern):
        char = pattern[index]
        if char == "\\" and index + 1 < len(pattern):
            escape = pattern[index + 1]
            if escape in _CLASSES:
                outside, inside = _CLASSES[escape]
                if in_class and inside is None:
                    raise PatternError(f"'\\{escape}' inside a character class is not supported; write the class out")
                out.append(inside if in_class else outside)  # type: ignore[arg-type]
            else:
                out.append(pattern[index : index + 2])
            index += 2
            continue
        if char == "[" and not in_class:
            in_class = True
            out.append(char)
            index += 1
            for opening in ("^]", "^", "]"):
                if pattern.startswith(opening, index):
                    out.append(opening)
                    index += len(opening)
                    break
            continue
        if char == "]" and in_class:
            in_class = False
        out.append(char)
        index += 1
    return "".join(out)


def _context(flags: str, inner: str, *, behind: bool, negated: bool, word_end: bool = False) -> _Context:
    """Check a lookaround's content and measure how far it looks.

    Groups inside it are refused (they would shift numbers); a lookbehind must have a
    fixed width, and neither may look further than :data:`MAX_CONTEXT_WIDTH`.
    """
    lazy = _Lazy(flags + _translate(inner))
    parsed = _python_parse(inner)
    if parsed.state.groups > 1:
        raise PatternError(f"a group inside a lookaround must not capture: write (?:...) in {inner!r}")
    low, high = _width_of(parsed)
    if behind and low != high:
        raise PatternError(f"a lookbehind must have a fixed width: {inner!r}")
    if high > MAX_CONTEXT_WIDTH:
        raise PatternError(f"a lookaround may look at most {MAX_CONTEXT_WIDTH} characters away; bound its repetitions: {inner!r}")
    return _Context(lazy, behind, negated, high, word_end)


def _width_of(parsed: python_parser.SubPattern) -> tuple[int, int]:
    """Return the fewest and most characters the pattern of Python's parse ``parsed`` can match."""
    low, high = parsed.getwidth()
    return int(low), int(high)


class _Lazy:
    """An RE2 expression checked when the pack loads and compiled at its first use.

    Why: RE2 compiles a bounded repetition of a Unicode class (``[\\w,]{0,30}`` inside
    ``{2,12}``) into hundreds of copies of that class's UTF-8 automaton, a fifth of a
    second for one boilerplate pattern; compiling every pattern up front made start-up
    a second long although most documents never need most patterns (see
    :func:`_required_of`). The check parses the expression with a tiny memory budget:
    every syntax error RE2 knows is found there, and "too large" only means the parse
    succeeded. An expression too large for RE2's full budget is found at its first
    use: each document that needs it gets one error line (:class:`RulePackError`).
    """

    __slots__ = ("source", "_compiled", "_failure")

    def __init__(self, source: str) -> None:
        try:
            re2.compile(source, _CHECK_OPTIONS)
        except re2.error as exc:
            if _reason(exc) != "pattern too large - compile failed":
                _re2(source)  # raises the one-line PatternError with its hint
        self.source = source
        self._compiled: re2._Regexp | None = None
        self._failure: str | None = None

    def regexp(self) -> re2._Regexp:
        """Return the compiled expression, compiling it the first time."""
        if self._compiled is None:
            if self._failure is None:
                try:
                    self._compiled = _re2(self.source)
                    return self._compiled
                except PatternError as exc:
                    self._failure = f"a rule pattern cannot run: {exc}: {self.source[:120]!r}"
            raise RulePackError(self._failure, hint="bound the pattern's repetitions (RE2 compiles each repetition out)")
        return self._compiled


#: One of a set of UTF-8 strings (``True``: compared lower-cased) that every match contains.
_Option = frozenset[tuple[bytes, bool]]
#: Every match contains one string of each option; None: no such option is known.
_Required = tuple[_Option, ...] | None
_MAX_ALTERNATIVES = 32  # more strings than that cost more to look for than they save
_MAX_OPTIONS = 3


def _required_of(source: str) -> _Required:
    """Return sets of strings such that every match of ``source`` contains one of each set.

    A necessary condition only, from Python's parse of the pattern, so a text without them
    is skipped without compiling or running RE2 (the idea of RE2's own prefilter). The
    most selective sets are kept. Under ``(?i)`` only ASCII characters other than ``k``
    and ``s`` are used, whose case variants are exactly their ASCII upper and lower case
    (``K`` and ``ſ`` fold to ``k`` and ``s`` too), and characters without case (``©``),
    which match only themselves.

    >>> [sorted(option) for option in _required_of(r"(?i:photo|image)[:,]? [^\\n]{1,9}")]
    [[(b'image', True), (b'photo', True)], [(b' ', False)]]
    >>> _required_of(r"\\w+") is None
    True
    >>> [sorted(option) for option in _required_of(r"(?i)(?:©|copyright ©?|\\(c\\)) \\d{4}")]
    [[(b'(c)', True), (b'copyright ', True), (b'\\xc2\\xa9', True)], [(b' ', True)]]
    """
    return _required_in(python_parser.parse(source))


def _required_in(parsed: python_parser.SubPattern) -> _Required:
    """Return :func:`_required_of` the pattern of Python's parse ``parsed``."""
    options = sorted(set(_options(list(parsed), bool(parsed.state.flags & re.IGNORECASE))), key=_selectivity, reverse=True)
    return tuple(options[:_MAX_OPTIONS]) or None


def _selectivity(option: _Option) -> tuple[int, int]:
    """Rank a set of strings: the longer its shortest string and the fewer strings, the rarer."""
    return min(len(piece) for piece, _ in option), -len(option)


def _literal(code: int, ignore_case: bool) -> tuple[bytes, bool] | None:
    """Return one literal character as a required string, if it can be one."""
    char = chr(code)
    if ignore_case and (char.lower() in "ks" or not (char.isascii() or char.lower() == char.upper() == char.casefold() == char)):
        return None  # a character with case variants bytes.lower() does not make (K and ſ fold to k and s; É to é)
    if 0xD800 <= code <= 0xDFFF:  # a lone surrogate is searched as '?'
        return None
    data = char.encode("utf-8")
    return (data.lower(), True) if ignore_case else (data, False)


def _options(items: list[tuple[object, object]], ignore_case: bool) -> list[_Option]:
    """Return the sets of strings a match of this sequence of parsed items needs one of each."""
    options: list[_Option] = []
    run: list[tuple[bytes, bool]] = []  # adjacent literal characters, one string
    for op, arg in items:
        piece = _literal(arg, ignore_case) if op is python_parser.LITERAL else None  # type: ignore[arg-type]
        if piece is not None and run and run[-1][1] == piece[1]:
            run.append(piece)
            continue
        if run:
            options.append(frozenset([(b"".join(p for p, _ in run), run[0][1])]))
        run = [piece] if piece is not None else []
        if op is not python_parser.LITERAL and (found := _required_item(op, arg, ignore_case)):
            options.append(found)
    if run:
        options.append(frozenset([(b"".join(p for p, _ in run), run[0][1])]))
    return options


def _best(items: list[tuple[object, object]], ignore_case: bool) -> _Option | None:
    """Return the most selective set of strings a match of this sequence needs one of."""
    return max(_options(items, ignore_case), key=_selectivity, default=None)


def _required_item(op: object, arg: object, ignore_case: bool) -> _Option | None:
    """Return the set of strings one parsed item (not a literal character) needs one of."""
    if op is python_parser.SUBPATTERN:
        _, add, remove, sub = arg  # type: ignore[misc]
        return _best(list(sub), (ignore_case or bool(add & re.IGNORECASE)) and not remove & re.IGNORECASE)
    if op is python_parser.ATOMIC_GROUP:
        return _best(list(arg), ignore_case)  # type: ignore[call-overload]
    if op in (python_parser.MAX_REPEAT, python_parser.MIN_REPEAT, python_parser.POSSESSIVE_REPEAT):
        low, _, sub = arg  # type: ignore[misc]
        return _best(list(sub), ignore_case) if low >= 1 else None
    if op is python_parser.BRANCH:
        union: set[tuple[bytes, bool]] = set()
        for alternative in arg[1]:  # type: ignore[index]
            found = _best(list(alternative), ignore_case)
            if found is None:
                return None
            union |= found
        if len(union) > 4 * _MAX_ALTERNATIVES:  # a huge alternation: not worth minimising (quadratic) to look for
            return None
        minimal = _minimal(union)
        return minimal if len(minimal) <= _MAX_ALTERNATIVES else None
    if op is python_parser.IN and len(arg) <= 8 and all(kind is python_parser.LITERAL for kind, _ in arg):  # type: ignore[arg-type]
        pieces = [_literal(code, ignore_case) for _, code in arg]  # type: ignore[union-attr]
        return None if None in pieces else frozenset(pieces)  # type: ignore[arg-type]
    return None


def _minimal(pieces: set[tuple[bytes, bool]]) -> _Option:
    """Drop each string that holds another of the set: wherever it occurs, that one does too.

    An exact string also holds a lower-cased one it contains once lower-cased.

    >>> sorted(_minimal({(b"Photo", False), (b"Photos", False), (b"read more", True), (b"Read", False), (b"read", True)}))
    [(b'Photo', False), (b'read', True)]
    """
    return frozenset(
        (piece, folded)
        for piece, folded in pieces
        if not any(
            (other, other_folded) != (piece, folded) and (other in piece if other_folded == folded else other_folded and other in piece.lower())
            for other, other_folded in pieces
        )
    )


def _may_contain(required: _Required, haystack: Haystack) -> bool:
    """Tell whether ``haystack`` holds a string of each required set (always, if none are known)."""
    if required is None:
        return True
    data = haystack.data  # plain loops: this runs per paragraph and rule
    for option in required:
        for piece, folded in option:
            if folded:
                if piece in haystack.lowered():
                    break
            elif piece in data:
                break
        else:
            return False
    return True


def _reason(exc: re2.error) -> str:
    """Return RE2's reason for refusing an expression."""
    return exc.args[0].decode() if exc.args and isinstance(exc.args[0], bytes) else str(exc)


def _re2(pattern: str) -> re2._Regexp:
    """Compile with RE2 or explain in one line why it cannot run the pattern."""
    try:
        return re2.compile(pattern, _OPTIONS)
    except re2.error as exc:
        reason = _reason(exc)
        if "(?<" in reason or "(?=" in reason or "(?!" in reason:
            hint = "a lookaround is supported only at the start ((?<=...), (?<!...)) or the end ((?=...), (?!...)) of a pattern"
        elif "escape" in reason and re.search(r"\\[1-9]", reason):
            hint = "backreferences are not supported"
        else:
            hint = "rewrite it in the syntax RE2 shares with Python's re"
        raise PatternError(f"RE2 cannot run it ({reason}): {hint}") from None


def _is_word_boundary(data: bytes, position: int) -> bool:
    """Tell whether ``position`` is a word boundary by Python's (Unicode) idea of a word."""
    before = _chars_back(data, position, 1)
    left = data[before:position].decode("utf-8", "replace") if before is not None else ""
    right = data[position : _next_char(data, position)].decode("utf-8", "replace") if position < len(data) else ""
    return _is_word(left) != _is_word(right)


def _is_word(char: str) -> bool:
    """Tell whether ``char`` is a word character as Python's ``\\w`` means it (empty: no)."""
    return bool(char) and (char.isalnum() or char == "_")


def _chars_back(data: bytes, position: int, count: int) -> int | None:
    """Return the byte offset ``count`` UTF-8 characters before ``position`` (None before the start)."""
    for _ in range(count):
        if position == 0:
            return None
        position -= 1
        while position > 0 and data[position] & 0xC0 == 0x80:
            position -= 1
    return position


def _next_char(data: bytes, position: int) -> int:
    """Return the byte offset of the character after the one at ``position``."""
    position += 1
    while position < len(data) and data[position] & 0xC0 == 0x80:
        position += 1
    return position


class _Offsets:
    """Turn byte offsets in the UTF-8 text into ``str`` offsets, cheaply for nearby ones.

    Matches come left to right, so a moving cursor makes the whole conversion linear.
    """

    def __init__(self, text: str, data: bytes) -> None:
        self._data = data
        self._ascii = len(text) == len(data)
        self._byte = 0
        self._char = 0

    def char(self, byte: int) -> int:
        """Return the ``str`` offset of byte offset ``byte``."""
        if self._ascii:
            return byte
        if byte >= self._byte:
            self._char += len(self._data[self._byte : byte].decode("utf-8", "replace"))
        else:
            self._char -= len(self._data[byte : self._byte].decode("utf-8", "replace"))
        self._byte = byte
        return self._char
