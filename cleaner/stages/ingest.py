"""Ingest: turn an input's bytes into text, or refuse it with a clear reason.

Decoding order: a UTF-32/UTF-16 byte-order mark wins; then strict UTF-8 (a UTF-8 BOM is
kept as U+FEFF so that its removal is an edit in the log); then Windows-1252 with
ftfy's "sloppy" variant so every byte maps to a character and the ftfy pass in
``normalise`` can repair any mojibake that this reveals. Binary data (NUL bytes, many
control characters) is refused rather than turned into garbage.
"""

from __future__ import annotations

import codecs
import hashlib
import re
from dataclasses import dataclass

import ftfy.bad_codecs  # noqa: F401  (registers the "sloppy-windows-1252" codec)

from cleaner.errors import BinaryInputError, InputError

_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)
#: Control bytes that text files do not contain (tab, newlines, form feed, escape are fine).
_CONTROL_TABLE = bytes(sorted(frozenset(range(0x20)) - {0x09, 0x0A, 0x0C, 0x0D, 0x1B}))


@dataclass(frozen=True, slots=True)
class Decoded:
    """Decoded text and how it was obtained (for the report)."""

    text: str
    encoding: str
    bom: bool
    sha256: str
    size: int


def decode(data: bytes, name: str) -> Decoded:
    """Decode ``data`` read from ``name``; raise :class:`InputError` for binary input.

    >>> decode("caf\\u00e9".encode("cp1252"), "x.txt").encoding
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
    if sample and len(sample) - len(sample.translate(None, _CONTROL_TABLE)) > len(sample) * 0.01:
        raise BinaryInputError(f"{name}: looks like binary data (many control bytes), not text")
    try:
        text = data.decode("utf-8")
        return Decoded(text, "utf-8", text.startswith("\ufeff"), digest, len(data))
    except UnicodeDecodeError:
        pass
    # Not UTF-8 throughout: keep the valid UTF-8 runs and read each invalid byte as
    # Windows-1252, which covers both legacy files and UTF-8 files with a bad patch.
    text = data.decode("utf-8", errors=_ERROR_HANDLER)
    encoding = "utf-8 with windows-1252 bytes" if _has_multibyte_utf8(data) else "windows-1252"
    return Decoded(text, encoding, text.startswith("\ufeff"), digest, len(data))


def _read_invalid_as_cp1252(error: UnicodeError) -> tuple[str, int]:
    """Decode-error handler: map each undecodable byte through Windows-1252."""
    assert isinstance(error, UnicodeDecodeError)
    bad = error.object[error.start : error.end]
    return bad.decode("sloppy-windows-1252"), error.end


def _has_multibyte_utf8(data: bytes) -> bool:
    """Tell whether ``data`` holds at least one valid multi-byte UTF-8 sequence."""
    return re.search(rb"[\xc2-\xdf][\x80-\xbf]|[\xe0-\xef][\x80-\xbf]{2}|[\xf0-\xf4][\x80-\xbf]{3}", data) is not None


_ERROR_HANDLER = "cleaner-windows-1252"
codecs.register_error(_ERROR_HANDLER, _read_invalid_as_cp1252)
