"""Saved HTML pages (``.html``, ``.htm``): the article's text, extracted by trafilatura.

trafilatura (which falls back to readability and jusText) finds the main text and
leaves out navigation, cookie banners, share bars, related links, comments and
footers; the page's title is kept as the first paragraph (a ``#`` heading in
Markdown). The output is ``<name>.txt`` (or ``<name>.md`` with ``html_output =
"markdown"``).

Nothing goes silently: the record's edit log starts with an ``extract`` pass from the
page's *visible text* (every block of text a reader could see, in page order) to the
extracted text. Each block the extractor dropped is a removal edit of rule
``source.html.dropped`` with the removed text; a block it changed (Markdown marks, a
merged title) is a replacement of rule ``source.html.reformatted``.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterator
from pathlib import Path

from cleaner.edits import sha256_text
from cleaner.errors import InputError
from cleaner.model import Applicability, Edit, Fix, StagePass
from cleaner.sources import BrokenRecord, Origin, Record, RecordOptions
from cleaner.sources.text import TextSink
from cleaner.stages import ingest

DROPPED = "source.html.dropped"
REFORMATTED = "source.html.reformatted"
#: Elements whose text no reader sees.
_INVISIBLE = ("script", "style", "noscript", "template", "svg", "iframe", "object")
#: Elements that start a new block of text (everything else runs on inline).
_BLOCKS = frozenset(
    "address article aside blockquote body br button dd details div dl dt fieldset figcaption figure footer form "
    "h1 h2 h3 h4 h5 h6 header hr li main nav ol p pre section summary table td th title tr ul".split()
)
_SPACES = re.compile(r"\s+")


def visible_blocks(page: str) -> list[str]:
    """Return the page's blocks of visible text in order, whitespace collapsed.

    >>> visible_blocks("<html><head><title>T</title><script>x()</script></head><body><p>One <b>two</b></p><div>Three</div></body></html>")
    ['T', 'One two', 'Three']
    """
    import lxml.html

    try:
        root = lxml.html.document_fromstring(page)
    except (ValueError, lxml.etree.ParserError):
        return []
    for element in root.iter(*_INVISIBLE):
        element.drop_tree()
    parts: list[str] = []

    def walk(element: lxml.html.HtmlElement) -> None:
        block = isinstance(element.tag, str) and element.tag in _BLOCKS
        if block:
            parts.append("\0")
        if isinstance(element.tag, str) and element.text:
            parts.append(element.text)
        for child in element:
            walk(child)
            if child.tail:
                parts.append(child.tail)
        if block:
            parts.append("\0")

    walk(root)
    return [b for b in (_SPACES.sub(" ", chunk).strip() for chunk in "".join(parts).split("\0")) if b]


def extract(page: str, markdown: bool) -> list[str]:
    """Return the article's paragraphs (title first) as trafilatura finds them."""
    import trafilatura

    document = trafilatura.bare_extraction(page, with_metadata=True, include_comments=False, include_tables=True)
    if document is None or not (document.text or "").strip():
        return []
    if markdown:
        formatted = trafilatura.extract(page, output_format="markdown", include_formatting=True, include_comments=False, include_tables=True) or ""
        body = [p.strip() for p in re.split(r"\n\s*\n", formatted)]
    else:
        body = [_SPACES.sub(" ", p).strip() for p in document.text.split("\n")]
    title = _SPACES.sub(" ", document.title or "").strip()
    paragraphs = [p for p in body if p]
    if title and (not paragraphs or paragraphs[0].lstrip("# ") != title):
        paragraphs.insert(0, f"# {title}" if markdown else title)
    return paragraphs


def extraction_pass(blocks: list[str], paragraphs: list[str]) -> tuple[str, str, StagePass]:
    """Return the page text, the extracted text and the pass between them.

    Both texts are their paragraphs separated by blank lines and ending in one newline;
    the blocks are aligned by :class:`difflib.SequenceMatcher`, so each dropped block
    is one removal edit and each changed one a replacement.
    """
    page = "".join(b + "\n\n" for b in blocks)
    starts = [0]
    for block in blocks:
        starts.append(starts[-1] + len(block) + 2)
    fixes: list[Fix] = []
    opcodes = [op for op in difflib.SequenceMatcher(None, blocks, paragraphs, autojunk=False).get_opcodes() if op[0] != "equal"]
    for tag, i1, i2, j1, j2 in opcodes:
        after = "".join(p + "\n\n" for p in paragraphs[j1:j2])
        edit = Edit(starts[i1], starts[i2], page[starts[i1] : starts[i2]], after)
        rule, message = (DROPPED, "Page text the extractor left out (navigation, banner, footer ...).") if tag == "delete" else (REFORMATTED, "Page text the extractor reformatted.")
        fixes.append(Fix(rule, (edit,), Applicability.SAFE, message, {"extractor": "trafilatura"}))
    # The text ends in one newline, not a blank line: take the last separator's second newline.
    end = len(page)
    if fixes and fixes[-1].edits[0].end == end:
        last = fixes[-1].edits[0]
        trimmed = Edit(last.start - 1, last.end, page[last.start - 1 : last.end], "") if not last.after else Edit(last.start, last.end, last.before, last.after[:-1])
        fixes[-1] = fixes[-1]._replace(edits=(trimmed,))
    else:
        fixes.append(Fix(REFORMATTED, (Edit(end - 1, end, "\n", ""),), Applicability.SAFE, "Page text the extractor reformatted.", {"extractor": "trafilatura"}))
    text = "".join(p + "\n\n" for p in paragraphs)[:-1]
    return page, text, StagePass("extract", sha256_text(page), sha256_text(text), tuple(fixes), input_text=page)


class HtmlPages:
    """The HTML format: one page, one document."""

    name = "html"
    suffixes = (".html", ".htm")

    def read(self, path: Path, options: RecordOptions) -> Iterator[Record | BrokenRecord]:
        """Yield the page's article text as one record, its extraction as the first pass."""
        try:
            data = path.read_bytes()
        except OSError as exc:
            raise InputError(f"{path}: cannot read: {exc.strerror or exc}") from None
        page = ingest.decode(data, path.as_posix()).text
        markdown = options.html_output == "markdown"
        paragraphs = extract(page, markdown)
        if not paragraphs:
            raise InputError(f"{path}: no article text found in the page", hint="the extractor found only navigation and boilerplate; clean the page's text as a .txt file instead")
        _, text, extraction = extraction_pass(visible_blocks(page), paragraphs)
        yield Record(path.name, text, Origin(path.as_posix()), markdown=markdown, extraction=extraction)

    def output_name(self, path: Path, options: RecordOptions) -> str:
        """``<name>.txt``, or ``<name>.md`` for Markdown output."""
        return path.stem + (".md" if options.html_output == "markdown" else ".txt")

    def open_sink(self, source: Path, target: Path, options: RecordOptions) -> TextSink:
        """Open the text writer of ``target``."""
        return TextSink(target)


FORMAT = HtmlPages()
