"""Readers: one function per input format, chosen by file suffix (or sniffed for stdin).

`read_inputs(paths, options)` walks files, directories (recursively, dot-files skipped: see
walk.py, which also turns links, FIFOs and unreadable folders into errors) and `-` (stdin) and
yields, for every input, either a `RawDocument` or an `InputError` whose reason names the file.
Nothing raises out of it for bad input: one bad file never stops a batch. Every result passes
`checked`: text with lone surrogates, empty or over `max_document_chars` is an error; metadata
fields are cut to `max_field_chars`. Dumps are judged record by record (a NUL byte or bad UTF-8
costs its line, not the file).

- plain text (.txt, .text): decoded; YAML front matter is honoured when present;
- Markdown (.md, .markdown): YAML front matter (title, date, url/origin_url, author,
  category, language);
- HTML (.html, .htm): trafilatura main text and metadata, reader comments excluded;
- feeds (.xml, .rss, .atom, or sniffed): feedparser after a defusedxml check, one document per
  entry;
- dumps (.jsonl, .ndjson, .csv): one document per record, fields renamed by
  `ReadOptions.fields`.

`doc_source` is the absolute path, `PATH#ID` for a record or entry with an id, else `PATH:N`
(1-based line of a JSONL/CSV record, entry number of a feed).
"""

from __future__ import annotations

import csv
import io
import json
import logging
import os
import re
import sys
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field, replace
from datetime import datetime
from pathlib import Path
from typing import IO, Any

from dyadwatch.errors import InputFileError
from dyadwatch.ingest.formats import FEED_MARKERS, html_document, parse_feed, split_front_matter
from dyadwatch.ingest.text import decode_bytes
from dyadwatch.ingest.walk import expand, open_regular, shown
from dyadwatch.records import InputError, RawDocument, input_error

log = logging.getLogger(__name__)

STDIN = "<stdin>"
RECORD_FIELDS = ("text", "title", "published", "url", "source", "id", "author", "category",
                 "language")

ReadResult = RawDocument | InputError


@dataclass(frozen=True, slots=True)
class ReadOptions:
    """Limits and the field renaming of dumps (`fields`: our name -> the input's name)."""

    max_file_bytes: int = 20 * 1024 * 1024
    max_document_chars: int = 2_000_000
    max_field_chars: int = 2_000
    fields: dict[str, str] = field(default_factory=dict)

    def name_of(self, ours: str) -> str:
        return self.fields.get(ours, ours)


def _single(fn: Callable[[str, str], RawDocument]) -> Callable[[str, bytes], Iterator[ReadResult]]:
    """Wrap a one-document reader of decoded text into a reader of bytes yielding one result."""

    def read(source: str, data: bytes) -> Iterator[ReadResult]:
        try:
            yield fn(source, decode_bytes(data, source))
        except InputFileError as exc:
            yield input_error(source, exc.reason)

    return read


def read_text(source: str, text: str) -> RawDocument:
    """Plain text; YAML front matter at the top is read as metadata like Markdown's."""
    if text.lstrip("\ufeff").startswith("---"):
        return read_markdown(source, text, fmt="txt")
    return RawDocument(doc_source=source, text=text, fmt="txt")


def read_markdown(source: str, text: str, fmt: str = "md") -> RawDocument:
    """Markdown with optional YAML front matter between `---` lines."""
    meta, body = split_front_matter(text, source)
    return RawDocument(
        doc_source=source, text=body, fmt=fmt,
        title=_str(meta.get("title")),
        published=_str(meta.get("date") or meta.get("published")),
        author=_str(meta.get("author")),
        url=_str(meta.get("url") or meta.get("origin_url")),
        category=_str(meta.get("category")),
        language=_str(meta.get("language") or meta.get("lang")),
        outlet=_str(meta.get("source") or meta.get("outlet") or meta.get("site_name")),
    )


def read_html(source: str, text: str) -> RawDocument:
    return html_document(source, text)


def read_feed(source: str, data: bytes) -> Iterator[ReadResult]:
    """Each entry of an RSS/Atom feed with content becomes a document; the rest are errors."""
    try:
        entries = parse_feed(data, source)
    except InputFileError as exc:
        yield input_error(source, exc.reason)
        return
    for number, entry in enumerate(entries, 1):
        where = f"{source}#{entry.entry_id}" if entry.entry_id else f"{source}:{number}"
        if not entry.text.strip():
            yield input_error(where, f"{where}: feed entry {number} has no content")
            continue
        yield RawDocument(doc_source=where, text=entry.text, title=entry.title,
                          published=entry.published, author=entry.author, url=entry.url,
                          fmt="feed", outlet=entry.outlet)


def _str(value: Any) -> str | None:
    if value is None:
        return None
    if isinstance(value, datetime):
        return value.isoformat()
    text = str(value).strip()
    return text or None


def _record(source: str, where: int, rec: Any, options: ReadOptions, fmt: str) -> ReadResult:
    """One record of a dump as a document, or an error naming `PATH:LINE`."""
    here = f"{source}:{where}"
    if not isinstance(rec, dict):
        return input_error(here, f"{here}: record is not an object")
    values = {k: _str(rec.get(options.name_of(k))) for k in RECORD_FIELDS}
    text = values["text"]
    if not text:
        return input_error(here, f"{here}: record has no text in field `{options.name_of('text')}`")
    if any("\x00" in v for v in values.values() if v):
        return input_error(here, f"{here}: record holds NUL bytes (binary data), not text")
    doc_source = f"{source}#{values['id']}" if values["id"] else here
    return RawDocument(
        doc_source=doc_source, text=text, title=values["title"], published=values["published"],
        author=values["author"], url=values["url"], category=values["category"],
        language=values["language"], fmt=fmt, outlet=values["source"],
    )


def _lines(stream: IO[bytes], limit: int) -> Iterator[bytes | None]:
    """Lines of a stream; None for a line longer than `limit` bytes (skipped, not held)."""
    while True:
        line = stream.readline(limit + 1)
        if not line:
            return
        if len(line) > limit and not line.endswith(b"\n"):
            while (rest := stream.readline(1 << 20)) and not rest.endswith(b"\n"):
                pass
            yield None
            continue
        yield line


def read_jsonl(source: str, stream: IO[bytes], options: ReadOptions) -> Iterator[ReadResult]:
    """One JSON object per line; blank lines are skipped, a bad line is an error row. Each
    line is judged alone: NUL bytes or broken UTF-8 cost that line, not the file."""
    limit = options.max_document_chars * 4 + 4096  # UTF-8 text plus the JSON around it
    records = 0
    for line_no, raw in enumerate(_lines(stream, limit), 1):
        here = f"{source}:{line_no}"
        if raw is None:
            yield input_error(here, f"{here}: line longer than {limit:,} bytes")
            continue
        if not raw.strip():
            continue
        records += 1
        if b"\x00" in raw:
            yield input_error(here, f"{here}: line holds NUL bytes (binary data), not JSON")
            continue
        try:
            rec = json.loads(raw.decode("utf-8-sig"))
        except UnicodeDecodeError as exc:
            yield input_error(here, f"{here}: line is not valid UTF-8 ({exc.reason})")
            continue
        except (json.JSONDecodeError, RecursionError) as exc:
            why = exc.msg if isinstance(exc, json.JSONDecodeError) else "nested too deeply"
            yield input_error(here, f"{here}: invalid JSON ({why})")
            continue
        yield _record(source, line_no, rec, options, "jsonl")
    if not records:
        yield _no_records(source, stream)


def _no_records(source: str, stream: IO[bytes]) -> InputError:
    empty = stream.tell() == 0
    return input_error(source, f"{source}: " + ("empty file, no records" if empty
                                               else "no records, only blank lines"))


def read_csv(source: str, stream: IO[bytes], options: ReadOptions) -> Iterator[ReadResult]:
    """A CSV file with a header row; `PATH:LINE` counts physical lines from 1 (the header)."""
    csv.field_size_limit(max(options.max_document_chars + 1, 131072))
    text = io.TextIOWrapper(stream, encoding="utf-8-sig", errors="replace", newline="")
    reader = csv.DictReader(text)
    records = 0
    while True:
        try:
            rec = next(reader)
        except StopIteration:
            break
        except csv.Error as exc:
            here = f"{source}:{reader.line_num}"
            yield input_error(here, f"{here}: bad CSV record ({exc})")
            continue
        records += 1
        yield _record(source, reader.line_num, rec, options, "csv")
    if not records:
        yield _no_records(source, stream)


SINGLE_READERS: dict[str, Callable[[str, bytes], Iterator[ReadResult]]] = {
    ".txt": _single(read_text),
    ".text": _single(read_text),
    ".md": _single(read_markdown),
    ".markdown": _single(read_markdown),
    ".html": _single(read_html),
    ".htm": _single(read_html),
    ".xml": read_feed,
    ".rss": read_feed,
    ".atom": read_feed,
}
DUMP_READERS: dict[str, Callable[[str, IO[bytes], ReadOptions], Iterator[ReadResult]]] = {
    ".jsonl": read_jsonl,
    ".ndjson": read_jsonl,
    ".csv": read_csv,
}


def sniff_reader(head: bytes) -> Callable[[str, bytes], Iterator[ReadResult]] | None:
    """A reader for content of unknown type: feeds and HTML by their markup, else None."""
    lowered = head[:2048].lower()
    if any(marker in lowered for marker in FEED_MARKERS):
        return read_feed
    if b"<html" in lowered or b"<!doctype html" in lowered:
        return SINGLE_READERS[".html"]
    return None


def read_file(path: Path, options: ReadOptions) -> Iterator[ReadResult]:
    """The documents (or errors) of one file, by its suffix."""
    source = shown(path)
    suffix = path.suffix.lower()
    try:
        with open_regular(path) as stream:
            if suffix in DUMP_READERS:
                yield from DUMP_READERS[suffix](source, stream, options)
                return
            size = os.fstat(stream.fileno()).st_size
            if size > options.max_file_bytes:
                yield input_error(source, f"{source}: file of {size / 1048576:.1f} MB is over "
                                          f"the limit of {options.max_file_bytes / 1048576:.0f} MB")
                return
            data = stream.read(options.max_file_bytes + 1)
    except InputFileError as exc:
        yield input_error(source, exc.reason)
        return
    except OSError as exc:
        yield input_error(source, f"{source}: cannot read ({exc.strerror or exc})")
        return
    reader = SINGLE_READERS.get(suffix) or sniff_reader(data)
    if reader is None:
        yield input_error(source, f"{source}: unknown file type {suffix or '(no suffix)'!r}")
        return
    yield from reader(source, data)


def read_stdin(stream: IO[bytes], options: ReadOptions) -> Iterator[ReadResult]:
    """Standard input, sniffed: JSON lines, a feed, HTML, or text (with front matter)."""
    data = stream.read(options.max_file_bytes + 1)
    if len(data) > options.max_file_bytes:
        yield input_error(STDIN, f"{STDIN}: input over the limit of "
                                 f"{options.max_file_bytes / 1048576:.0f} MB")
        return
    if data.lstrip().startswith(b"{"):
        yield from read_jsonl(STDIN, io.BytesIO(data), options)
        return
    yield from (sniff_reader(data) or SINGLE_READERS[".txt"])(STDIN, data)


def read_inputs(
    paths: Sequence[str | Path], options: ReadOptions, stdin: IO[bytes] | None = None
) -> Iterator[ReadResult]:
    """Every document (or error) of the given files, directories and `-` (stdin), in order;
    each checked by `checked`."""
    for given in paths:
        if str(given) == "-":
            results = read_stdin(stdin or sys.stdin.buffer, options)
            yield from (checked(r, options, STDIN) for r in results)
            continue
        for item in expand(given):
            if isinstance(item, InputError):
                yield replace(item, origin=item.source)
                continue
            origin = shown(item)
            yield from (checked(r, options, origin) for r in read_file(item, options))


def checked(result: ReadResult, options: ReadOptions, origin: str) -> ReadResult:
    """A reader's result made safe to store: text that is not valid Unicode or is over the
    length limit becomes an error, metadata fields are cut to `max_field_chars`; `origin`
    (the input it came from) recorded."""
    if isinstance(result, InputError):
        return replace(result, source=shown(result.source), reason=shown(result.reason),
                       origin=origin)
    source = shown(result.doc_source)
    for name in ("text", *_METADATA):
        value = getattr(result, name)
        if value and (bad := _SURROGATE.search(value)):
            return input_error(source, f"{source}: {name} holds a lone surrogate "
                                       f"(U+{ord(bad.group()):04X}), not valid Unicode", origin)
    if not result.text.strip():
        return input_error(source, f"{source}: no text (only metadata or white space)", origin)
    if len(result.text) > options.max_document_chars:
        return input_error(source, f"{source}: text of {len(result.text):,} characters is over "
                                   f"the limit of {options.max_document_chars:,}", origin)
    cut: dict[str, Any] = {
        name: _capped(getattr(result, name), options.max_field_chars, source, name)
        for name in _METADATA}
    return replace(result, doc_source=source, origin=origin, **cut)


_METADATA = ("title", "published", "author", "url", "category", "language", "outlet")
_SURROGATE = re.compile("[\ud800-\udfff]")


def _capped(value: str | None, limit: int, source: str, name: str) -> str | None:
    if value is None or len(value) <= limit:
        return value
    log.warning("%s: %s of %d characters cut to %d", source, name, len(value), limit)
    return value[:limit]
