"""Ingest: turn an input's bytes into text, or refuse it with a clear reason.

Decoding order: a UTF-32/UTF-16 byte-order mark wins; then strict UTF-8 (a UTF-8 BOM is
kept as U+FEFF so that its removal is an edit in the log). Text that is not UTF-8
throughout is one of:

* UTF-8 with a patch of bad bytes (most of its non-ASCII bytes are valid UTF-8): the
  valid runs stay, each bad byte is read as Windows-1252;
* a legacy encoding, told by ``charset-normalizer`` with a confidence (one minus its
  "mess" ratio). Where Windows-1252 reads it as cleanly as the best candidate (Western
  text: cp1252, latin-1), it is read with ftfy's "sloppy" Windows-1252, so every byte
  maps to a character and ``normalise``'s ftfy pass repairs any mojibake this reveals;
  otherwise (Shift-JIS, GB18030, EUC-KR, Cyrillic code pages...) in the encoding found,
  if it is clearly the best reading. When no encoding reads it cleanly, or two read it
  differently and equally well, the file is refused (:class:`EncodingError`) rather
  than guessed, since a wrong guess is mojibake nobody can undo.

The encoding used and its confidence go into the report, and ``--in-place`` writes a
file back in the encoding it was read in (:func:`codec_for_writing`).

Binary data (NUL bytes, or a high share of control bytes) is refused rather than turned
into garbage; a few control characters in text are left to ``normalise``, which removes
them (or turns a vertical tab into a line break) as edits.
"""

from __future__ import annotations

import codecs
import hashlib
import re
from dataclasses import dataclass

import ftfy.bad_codecs  # noqa: F401  (registers the "sloppy-windows-1252" codec)

from cleaner.errors import BinaryInputError, EncodingError, InputError

_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)
#: Control bytes that text files rarely contain (tab, newlines, vertical tab, form feed, escape are fine).
_CONTROL_TABLE = bytes(sorted(frozenset(range(0x20)) - {0x09, 0x0A, 0x0B, 0x0C, 0x0D, 0x1B}))
#: Share of control bytes above which a file is binary data, not text with a stray one.
BINARY_CONTROL_SHARE = 0.1
#: Lowest confidence (one minus charset-normalizer's mess ratio) at which a legacy encoding is used.
MIN_CONFIDENCE = 0.9
#: How much cleaner than every different reading the chosen one must be.
MIN_MARGIN = 0.05
#: Share of invalid bytes among the non-ASCII ones up to which a file is UTF-8 with bad bytes.
BAD_UTF8_SHARE = 0.25
#: What Windows-1252 is called among charset-normalizer's candidates.
_WINDOWS_1252 = "cp1252"


@dataclass(frozen=True, slots=True)
class Decoded:
    """Decoded text and how it was obtained (for the report, and to write it back)."""

    text: str
    encoding: str
    bom: bool
    sha256: str
    size: int
    #: How sure the detector is of a legacy encoding (``None``: none was needed).
    confidence: float | None = None


def decode(data: bytes, name: str) -> Decoded:
    """Decode ``data`` read from ``name``; raise :class:`InputError` for binary or undecidable input.

    >>> decode("caf\u00e9".encode("cp1252"), "x.txt").encoding
    'windows-1252'
    """
    digest = hashlib.sha256(data).hexdigest()
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            try:
                return Decoded(data.decode(encoding), encoding, True, digest, len(data))
            except UnicodeDecodeError as exc:
                raise InputError(f"{name}: starts with a {encoding} byte-order mark but is not {encoding}: {exc.reason}") from None
    if b"\0" in data:
        raise BinaryInputError(f"{name}: looks like binary data (contains NUL bytes), not text")
    sample = data[:65536]
    controls = len(sample) - len(sample.translate(None, _CONTROL_TABLE))
    if controls > len(sample) * BINARY_CONTROL_SHARE:
        raise BinaryInputError(f"{name}: looks like binary data ({controls} of its first {len(sample)} bytes are control bytes), not text")
    try:
        text = data.decode("utf-8")
        return Decoded(text, "utf-8", text.startswith("\ufeff"), digest, len(data))
    except UnicodeDecodeError:
        pass
    if _mostly_utf8(data):
        # UTF-8 with a bad patch: keep the valid runs, read each invalid byte as Windows-1252.
        text = data.decode("utf-8", errors=_ERROR_HANDLER)
        return Decoded(text, "utf-8 with windows-1252 bytes", text.startswith("\ufeff"), digest, len(data))
    encoding, confidence = detect_legacy(data, name)
    if encoding == _WINDOWS_1252:
        return Decoded(data.decode("sloppy-windows-1252"), "windows-1252", False, digest, len(data), confidence)
    try:
        return Decoded(data.decode(encoding), encoding, False, digest, len(data), confidence)
    except UnicodeDecodeError as exc:
        raise EncodingError(f"{name}: reads as {encoding} at first, but byte {exc.start} is not {encoding}; not cleaned") from None


def detect_legacy(data: bytes, name: str) -> tuple[str, float]:
    """Return the legacy encoding of ``data`` and the confidence in it; refuse when unsure.

    Windows-1252 wins whenever it reads the text as cleanly as the best candidate, so
    Western files (and UTF-8 read as Windows-1252 somewhere upstream, which ftfy
    repairs) are read as they always were.
    """
    from charset_normalizer import from_bytes

    matches = list(from_bytes(data))
    if not matches:
        raise EncodingError(f"{name}: not UTF-8, and no known encoding reads it as text; not cleaned")
    best = min(matches, key=lambda m: m.chaos)
    western = [m for m in matches if _WINDOWS_1252 in m.could_be_from_charset]
    if western and western[0].chaos <= best.chaos + MIN_MARGIN / 2:
        return _WINDOWS_1252, round(1 - western[0].chaos, 3)
    confidence = round(1 - best.chaos, 3)
    if confidence < MIN_CONFIDENCE:
        raise EncodingError(f"{name}: not UTF-8, and its encoding is unclear (best guess {best.encoding} at confidence {confidence:.2f}, below {MIN_CONFIDENCE}); not cleaned")
    text = str(best)
    rivals = sorted({m.encoding for m in matches if m is not best and m.chaos < best.chaos + MIN_MARGIN and str(m) != text})
    if rivals:
        raise EncodingError(f"{name}: not UTF-8, and it reads equally well as {best.encoding} or {', '.join(rivals[:3])}; not cleaned rather than guessed")
    return best.encoding, confidence


def codec_for_writing(encoding: str) -> str:
    """Return the codec that writes a text back in the ``encoding`` it was read in.

    UTF-8 with bad bytes is written as UTF-8 (the bytes were damage, now repaired);
    UTF-16 and UTF-32 get a byte-order mark again (Python's codecs write one), which a
    reader needs; a UTF-8 one is not put back, as removing it was an edit.

    >>> codec_for_writing("windows-1252"), codec_for_writing("utf-8 with windows-1252 bytes"), codec_for_writing("cp932")
    ('sloppy-windows-1252', 'utf-8', 'cp932')
    """
    if encoding.startswith("utf-8"):
        return "utf-8"
    return "sloppy-windows-1252" if encoding == "windows-1252" else encoding


def _mostly_utf8(data: bytes) -> bool:
    """Tell whether ``data`` is UTF-8 with a few bad bytes rather than another encoding.

    It is when at most :data:`BAD_UTF8_SHARE` of its non-ASCII bytes are invalid as
    UTF-8: Shift-JIS, GB18030 and EUC-KR text has two thirds invalid (some of its byte
    pairs happen to be valid UTF-8), legacy single-byte text all of them.
    """
    non_ascii = len(data.translate(None, _ASCII))
    bad = len(_ESCAPED.findall(data.decode("utf-8", errors="surrogateescape")))
    return bad <= non_ascii * BAD_UTF8_SHARE


_ASCII = bytes(range(0x80))
_ESCAPED = re.compile("[\udc80-\udcff]")


def _read_invalid_as_cp1252(error: UnicodeError) -> tuple[str, int]:
    """Decode-error handler: map each undecodable byte through Windows-1252."""
    assert isinstance(error, UnicodeDecodeError)
    bad = error.object[error.start : error.end]
    return bad.decode("sloppy-windows-1252"), error.end


_ERROR_HANDLER = "cleaner-windows-1252"
codecs.register_error(_ERROR_HANDLER, _read_invalid_as_cp1252)
