"""Bytes to text: encoding detection and the binary check shared by every reader."""

from __future__ import annotations

import logging
import unicodedata

from dyadwatch.errors import InputFileError

log = logging.getLogger(__name__)

# A text file has almost no C0 control characters besides tab/newline/CR/form feed.
_CONTROL_SHARE = 0.05
_SNIFF = 8192


def _control_share(text: str) -> float:
    sample = text[:_SNIFF]
    if not sample:
        return 0.0
    bad = sum(1 for ch in sample if unicodedata.category(ch) == "Cc" and ch not in "\t\n\r\f")
    return bad / len(sample)


def decode_bytes(data: bytes, source: str) -> str:
    """The text of `data`: UTF-8 (with or without BOM, or UTF-16 with BOM), else Windows-1252,
    else Latin-1. Raises InputFileError for empty or binary input."""
    if not data.strip():
        raise InputFileError(source, f"{source}: empty file ({len(data)} bytes, no text)")
    if b"\x00" in data[:_SNIFF] and not data.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise InputFileError(source, f"{source}: binary file (NUL bytes), not text")
    text = _try_decode(data, source)
    if not text.strip():
        raise InputFileError(source, f"{source}: no text, only white space ({len(data)} bytes)")
    if _control_share(text) > _CONTROL_SHARE:
        raise InputFileError(source, f"{source}: binary file (control characters), not text")
    return text


def _try_decode(data: bytes, source: str) -> str:
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return data.decode("utf-16")
        except UnicodeDecodeError as exc:
            raise InputFileError(source, f"{source}: broken UTF-16 text ({exc.reason})") from exc
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        log.warning("%s: not valid UTF-8 (byte %d); read as Windows-1252/Latin-1",
                    source, exc.start)
    try:
        return data.decode("cp1252")
    except UnicodeDecodeError:
        return data.decode("latin-1")
