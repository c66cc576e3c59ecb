"""Normalise: repair encodings and make whitespace and Unicode canonical.

Each rule of ``rules/normalise.toml`` is a ``builtin`` whose id slug names one function
below; the stage fails loudly if the data and the code disagree. ftfy runs per line
with an explicit configuration (quotes, ligatures, widths and line breaks are *not*
its business here), and its explanation plan is kept as evidence, so every encoding
repair can be replayed with ``ftfy.apply_plan``.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Iterator

import ftfy
from ftfy.chardata import HTML_ENTITY_RE, LIGATURES, WIDTH_MAP
from ftfy.fixes import unescape_html

from cleaner.edits import edits_from_diff
from cleaner.memo import remembered_for_short_texts
from cleaner.model import Applicability, Edit, Fix
from cleaner.pipeline import Proposal, StageContext
from cleaner.rulepacks import Rule

FTFY_CONFIG = ftfy.TextFixerConfig(
    unescape_html=False,
    remove_terminal_escapes=True,
    fix_encoding=True,
    restore_byte_a0=True,
    replace_lossy_sequences=True,
    decode_inconsistent_utf8=True,
    fix_c1_controls=True,
    fix_latin_ligatures=False,
    fix_character_width=False,
    uncurl_quotes=False,
    fix_line_breaks=False,
    fix_surrogates=True,
    remove_control_chars=True,
    normalization=None,
    explain=True,
)

_ODD_SPACES = re.compile("[\u00a0\u1680\u2000-\u200a\u202f\u205f\u3000]")
#: Zero-width space, soft hyphen, word joiner, and a byte-order mark inside the text.
_INVISIBLE_CHARACTERS = "\u200b\u00ad\u2060\ufeff"
_INVISIBLE = re.compile("[\u200b\u00ad\u2060]|(?<=.)\ufeff", re.S)
_TRAILING = re.compile(r"[ \t]+$", re.M)
# The two patterns below start with their literal characters and look behind only where
# those occur ("(?<=\S)  +" would be tried at every position): ten times faster.
_REPEATED_SPACES = re.compile(r"  (?<=\S  ) *(?=\S)")  # two or more spaces between non-spaces
_EXTRA_BLANK_LINES = re.compile(r"\n(?:[ \t]*\n){2,}")
_SINGLE_BREAK = re.compile(r"\n(?<=[^\n]\n)(?=[^\n])")  # a newline between two characters of lines
_MIN_SCRAPE_BREAKS = 3
_SENTENCE_END = re.compile(r"[.!?:;\"'\u201d\u2019)\]]\s*$")
_CURLY = {"\u2018": "'", "\u2019": "'", "\u201c": '"', "\u201d": '"', "\u2013": "-", "\u2014": "--"}
_CURLY_RE = re.compile("[" + "".join(_CURLY) + "]")
#: Line breaks other than "\n": vertical tab, form feed, Unicode line and paragraph separators.
_OTHER_LINE_BREAKS = re.compile("[\v\f\u2028\u2029]")


def _lines(text: str) -> Iterator[tuple[int, str]]:
    """Yield ``(offset, line)`` for every line of ``text`` without its newline."""
    offset = 0
    for line in text.split("\n"):
        yield offset, line
        offset += len(line) + 1


def _regex_fixes(rule: Rule, text: str, pattern: re.Pattern[str], replacement: Callable[[re.Match[str]], str]) -> list[Fix]:
    """Make one fix per match of ``pattern``, replacing it with ``replacement(match)``."""
    return [
        _fix(rule, (Edit(m.start(), m.end(), m.group(), replacement(m)),))
        for m in pattern.finditer(text)
        if replacement(m) != m.group()
    ]


def _fix(rule: Rule, edits: tuple[Edit, ...], **evidence: object) -> Fix:
    """Wrap edits in a fix labelled with the rule."""
    return Fix(rule.id, edits, rule.applicability, rule.message, evidence)


def fix_bom(rule: Rule, text: str, ctx: StageContext) -> list[Fix]:
    """Drop a byte-order mark at the start: it is an encoding signature, not text."""
    return [_fix(rule, (Edit(0, 1, "\ufeff", ""),))] if text.startswith("\ufeff") else []


def fix_line_endings(rule: Rule, text: str, ctx: StageContext) -> list[Fix]:
    """Turn CRLF and lone CR into LF."""
    return _regex_fixes(rule, text, re.compile(r"\r\n?"), lambda m: "\n")


def fix_encoding(rule: Rule, text: str, ctx: StageContext) -> list[Fix]:
    """Repair mojibake and control characters with ftfy, one fix per changed line."""
    fixes = []
    for offset, line in _between_line_breaks(text):
        if line.isascii() and line.isprintable():
            continue
        fixed, plan = _repaired_line(line)
        if fixed != line and "\n" not in fixed:
            fixes.append(_fix(rule, edits_from_diff(line, fixed, offset=offset), ftfy_plan=[list(step) for step in plan]))
    return fixes


def _ftfy_line(line: str) -> tuple[str, tuple[tuple[str, str], ...]]:
    """Return ftfy's repair of one line and its explanation plan as ``(action, parameter)`` pairs."""
    fixed, plan = ftfy.fix_and_explain(line, FTFY_CONFIG)
    return fixed, tuple((step.action, step.parameter) for step in plan or [])


#: ftfy is a pure function of the line: the stage's later rounds and the pipeline's
#: confirmation run see most lines again unchanged, and ftfy is most of this stage's time.
#: Lines up to 2,000 characters are remembered, 1,024 of them (a few MB).
_repaired_line = remembered_for_short_texts(_ftfy_line, max_length=2_000, maxsize=1_024)


def _between_line_breaks(text: str) -> Iterator[tuple[int, str]]:
    """Yield ``(offset, piece)`` for the text between any two line breaks, of any kind.

    ftfy deletes a vertical tab as a control character, gluing the words on either side
    ("Jane Doe\\vPhone" -> "Jane DoePhone"); rule ``line-separators`` makes it a line
    break instead, so ftfy never sees one.
    """
    if not _OTHER_LINE_BREAKS.search(text):  # the usual case: the lines are the pieces
        yield from _lines(text)
        return
    for offset, line in _lines(text):
        start = 0
        for match in _OTHER_LINE_BREAKS.finditer(line):
            yield offset + start, line[start : match.start()]
            start = match.end()
        yield offset + start, line[start:]


def fix_line_separators(rule: Rule, text: str, ctx: StageContext) -> list[Fix]:
    """Turn vertical tabs, form feeds and Unicode line/paragraph separators into a newline.

    They separate lines (``str.splitlines`` splits at each) but no tool after us treats
    them so: removed, they would glue the words around them together.
    """
    return _regex_fixes(rule, text, _OTHER_LINE_BREAKS, lambda m: "\n")


def fix_unicode_nfc(rule: Rule, text: str, ctx: StageContext) -> list[Fix]:
    """Compose characters (NFC) so that equal-looking text compares equal."""
    if unicodedata.is_normalized("NFC", text):
        return []
    fixes = []
    for offset, line in _lines(text):
        composed = unicodedata.normalize("NFC", line)
        if composed != line:
            fixes.append(_fix(rule, edits_from_diff(line, composed, offset=offset)))
    return fixes


def fix_odd_spaces(rule: Rule, text: str, ctx: StageContext) -> list[Fix]:
    """Replace no-break and other typographic spaces with a plain space."""
    return _regex_fixes(rule, text, _ODD_SPACES, lambda m: " ")


def fix_invisible_characters(rule: Rule, text: str, ctx: StageContext) -> list[Fix]:
    """Remove zero-width spaces, soft hyphens and word joiners left by web pages."""
    if not any(character in text for character in _INVISIBLE_CHARACTERS):  # the usual case, found by substring search
        return []
    return _regex_fixes(rule, text, _INVISIBLE, lambda m: "")


def fix_trailing_whitespace(rule: Rule, text: str, ctx: StageContext) -> list[Fix]:
    """Remove spaces and tabs at the end of lines (Markdown's two-space break excepted)."""
    if not (" \n" in text or "\t\n" in text or text.endswith((" ", "\t"))):  # no line ends in one: nothing to match
        return []
    if ctx.markdown:
        return _regex_fixes(rule, text, _TRAILING, lambda m: "  " if m.group() == "  " and _is_hard_break(text, m.end()) else "")
    return _regex_fixes(rule, text, _TRAILING, lambda m: "")


def _is_hard_break(text: str, line_end: int) -> bool:
    """Tell whether two spaces ending the line at ``line_end`` are a Markdown hard break.

    They are only before a line of the same paragraph; before a blank line or at the
    end of the text they break nothing, and a later removal of what follows would
    otherwise leave them to be stripped by a second run.
    """
    if line_end >= len(text):
        return False
    next_end = text.find("\n", line_end + 1)
    return bool(text[line_end + 1 : next_end if next_end != -1 else len(text)].strip())


def fix_repeated_spaces(rule: Rule, text: str, ctx: StageContext) -> list[Fix]:
    """Collapse runs of spaces between words (indentation is left alone)."""
    return _regex_fixes(rule, text, _REPEATED_SPACES, lambda m: " ")


def fix_blank_lines(rule: Rule, text: str, ctx: StageContext) -> list[Fix]:
    """Separate paragraphs by exactly one blank line."""
    return _regex_fixes(rule, text, _EXTRA_BLANK_LINES, lambda m: "\n\n")


def fix_paragraph_per_line(rule: Rule, text: str, ctx: StageContext) -> list[Fix]:
    """Put a blank line between paragraphs written one per line (not hard-wrapped text).

    Scraped articles often put each paragraph on one long line with a single newline
    between them. Hard-wrapped text (short lines) and Markdown are left alone, since
    there a single newline joins lines of one paragraph.
    """
    if ctx.markdown or not is_paragraph_per_line(text):
        return []
    return _regex_fixes(rule, text, _SINGLE_BREAK, lambda m: "\n\n")


def is_paragraph_per_line(text: str, wrap_width: int = 100) -> bool:
    """Tell whether lines joined by single newlines are paragraphs, i.e. not hard-wrapped.

    They are when most are long (one paragraph per line), or when most line breaks do
    not look like wrapping: a scrape's short lines (headline, byline, date line, share
    bar, captions) are blocks of their own. A break looks like wrapping when the next
    line goes on in lower case, or the line is near the text's wrap width (the length
    nine lines in ten stay within) and does not end a sentence.

    >>> is_paragraph_per_line("short\\nlines\\nhere\\n")
    False
    >>> is_paragraph_per_line(("x" * 120 + "\\n") * 3)
    True
    >>> is_paragraph_per_line("Talks end\\nBy Jane Smith\\nShare this article\\nThe talks ended on Friday.\\n")
    True
    """
    joined = [m.start() for m in _SINGLE_BREAK.finditer(text)]
    if not joined:
        return False
    lines = [text[text.rfind("\n", 0, end) + 1 : end] for end in joined]
    long_lines = sum(1 for line in lines if len(line) > wrap_width)
    if long_lines * 2 >= len(joined):
        return True
    if len(joined) < _MIN_SCRAPE_BREAKS:
        return False  # too few short lines to tell a scrape from a wrapped paragraph
    every_line = sorted(len(line) for line in text.split("\n") if line)
    width = every_line[(len(every_line) * 9) // 10]
    wrapped = sum(1 for line, end in zip(lines, joined) if _goes_on_in_lower_case(text, end) or (len(line) >= 0.7 * width and not _SENTENCE_END.search(line)))
    return wrapped * 2 < len(joined)


def _goes_on_in_lower_case(text: str, break_at: int) -> bool:
    """Tell whether the line after the newline at ``break_at`` starts with a lower-case letter."""
    following = text[break_at + 1 : break_at + 2]
    return following.islower()


def fix_document_edges(rule: Rule, text: str, ctx: StageContext) -> list[Fix]:
    """Drop leading blank lines and end the text with exactly one newline.

    A record's text that came without a final newline (a JSON Lines or Parquet field)
    ends without one (``Config.final_newline``), so a clean record stays as it was.
    """
    edits = []
    lead = re.match(r"(?:[ \t]*\n)+", text)
    if lead:
        edits.append(Edit(0, lead.end(), lead.group(), ""))
    body = text.rstrip(" \t\n")
    end = "\n" if ctx.config.final_newline else ""
    if body and text[len(body) :] != end and (not lead or lead.end() <= len(body)):
        edits.append(Edit(len(body), len(text), text[len(body) :], end))
    return [_fix(rule, tuple(edits))] if edits else []


def fix_typography(rule: Rule, text: str, ctx: StageContext) -> list[Fix]:
    """Under ``typography = "straight"``, use straight quotes and ASCII dashes."""
    if ctx.config.typography != "straight":
        return []
    return _regex_fixes(rule, text, _CURLY_RE, lambda m: _CURLY[m.group()])


# ftfy's default fixes beyond encoding repair, each its own rule (so each can be ignored)
# and each occurrence its own fix: ligatures and digraphs from ftfy's LIGATURES table,
# HTML entities as ftfy's unescape_html decodes them, full-width forms from its WIDTH_MAP.
_LATIN_LIGATURES = {code: text for code, text in LIGATURES.items() if 0xFB00 <= code <= 0xFB06}
_DIGRAPHS = {code: text for code, text in LIGATURES.items() if code not in _LATIN_LIGATURES}
_LIGATURE_RE = re.compile("[" + "".join(map(chr, _LATIN_LIGATURES)) + "]")
_DIGRAPH_RE = re.compile("[" + "".join(map(chr, _DIGRAPHS)) + "]")
_FULL_WIDTH_RUN = re.compile("[\uff01-\uff5e]+")
#: Scripts whose typography uses full-width punctuation: a full-width run next to one is kept.
_EAST_ASIAN = re.compile("[\u1100-\u11ff\u2e80-\u2fdf\u3000-\u303f\u3040-\u30ff\u3100-\u31ff\u3200-\u9fff\uac00-\ud7af\uf900-\ufaff\uff61-\uffdc]")


def fix_latin_ligatures(rule: Rule, text: str, ctx: StageContext) -> list[Fix]:
    """Take apart Latin ligature characters ('ﬁ' -> 'fi'), which PDF extraction leaves in words."""
    return _regex_fixes(rule, text, _LIGATURE_RE, lambda m: m.group().translate(_LATIN_LIGATURES))


def fix_digraphs(rule: Rule, text: str, ctx: StageContext) -> list[Fix]:
    """Spell out single-code-point digraphs ('ǌ' -> 'nj', 'ŉ' -> 'ʼn'), which no keyboard types."""
    return _regex_fixes(rule, text, _DIGRAPH_RE, lambda m: m.group().translate(_DIGRAPHS))


def fix_html_entities(rule: Rule, text: str, ctx: StageContext) -> list[Fix]:
    """Decode HTML entities left in scraped text ('&quot;' -> '"'), one fix per entity.

    Markdown is left alone (an entity is Markdown's own way to write a character). On
    a line that also has a '<' the text may be HTML source, where an entity is meant,
    so the fix is unsafe there (ftfy's own ``unescape_html="auto"`` skips such text).
    """
    if ctx.markdown or "&" not in text:
        return []
    fixes = []
    for offset, line in _lines(text):
        if "&" not in line:
            continue
        for match in HTML_ENTITY_RE.finditer(line):
            decoded = unescape_html(match.group())
            if decoded == match.group() or "\n" in decoded:
                continue
            fix = _fix(rule, (Edit(offset + match.start(), offset + match.end(), match.group(), decoded),))
            fixes.append(fix._replace(applicability=Applicability.UNSAFE) if "<" in line else fix)
    return fixes


def fix_full_width_latin(rule: Rule, text: str, ctx: StageContext) -> list[Fix]:
    """Turn full-width ASCII forms in Latin text ('Ningbo，China') into ASCII.

    Chinese, Japanese and Korean text uses full-width punctuation on purpose, so a run
    of full-width forms next to a character of those scripts is left alone.
    """
    fixes = []
    for match in _FULL_WIDTH_RUN.finditer(text):
        around = text[max(0, match.start() - 1) : match.start()] + text[match.end() : match.end() + 1]
        if not _EAST_ASIAN.search(around):
            fixes.append(_fix(rule, (Edit(match.start(), match.end(), match.group(), match.group().translate(WIDTH_MAP)),)))
    return fixes


FIXERS: dict[str, Callable[[Rule, str, StageContext], list[Fix]]] = {
    "bom": fix_bom,
    "line-endings": fix_line_endings,
    "line-separators": fix_line_separators,
    "encoding-repair": fix_encoding,
    "unicode-nfc": fix_unicode_nfc,
    "odd-spaces": fix_odd_spaces,
    "invisible-characters": fix_invisible_characters,
    "trailing-whitespace": fix_trailing_whitespace,
    "repeated-spaces": fix_repeated_spaces,
    "blank-lines": fix_blank_lines,
    "paragraph-per-line": fix_paragraph_per_line,
    "document-edges": fix_document_edges,
    "typography": fix_typography,
    "latin-ligatures": fix_latin_ligatures,
    "digraphs": fix_digraphs,
    "html-entities": fix_html_entities,
    "full-width-latin": fix_full_width_latin,
}


class NormaliseStage:
    """Run every enabled normalisation rule; the pipeline repeats until nothing changes."""

    name = "normalise"
    max_rounds = 6

    def propose(self, text: str, ctx: StageContext) -> Proposal:
        """Collect the fixes of every rule; overlapping ones wait for the next round."""
        proposal = Proposal()
        for rule in ctx.rules:
            proposal.fixes.extend(builtin_for(rule)(rule, text, ctx))
        return proposal


def builtin_for(rule: Rule) -> Callable[[Rule, str, StageContext], list[Fix]]:
    """Return the function implementing a ``builtin`` normalisation rule."""
    slug = rule.id.rsplit(".", 1)[-1]
    if rule.kind != "builtin" or slug not in FIXERS:
        from cleaner.errors import RulePackError

        raise RulePackError(f"{rule.source_file}: rule {rule.id!r}: no built-in normalisation named {slug!r}")
    return FIXERS[slug]


STAGE = NormaliseStage()
