"""Readers: one function per input format, chosen by file suffix (or sniffed for stdin).

`read_inputs(paths, options)` walks files, directories (recursively, dot-files skipped) and `-`
(stdin) and yields, for every input, either a `RawDocument` or an `InputError` whose reason
names the file. Nothing raises out of it for bad input: one bad file never stops a batch.

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
import sys
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import IO, Any

from dyadwatch.errors import InputFileError
from dyadwatch.ingest.formats import FEED_MARKERS, html_document, parse_feed, split_front_matter
from dyadwatch.ingest.text import decode_bytes
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
                          fmt="feed")


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
    if len(text) > options.max_document_chars:
        return input_error(here, f"{here}: text of {len(text):,} characters is over the "
                                 f"limit of {options.max_document_chars:,}")
    doc_source = f"{source}#{values['id']}" if values["id"] else here
    return RawDocument(
        doc_source=doc_source, text=text, title=values["title"], published=values["published"],
        author=values["author"], url=values["url"], category=values["category"],
        language=values["language"], fmt=fmt,
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


def _starts_binary(stream: IO[bytes]) -> bool:
    """NUL bytes at the start of a buffered stream (peeked, not consumed)."""
    peek = getattr(stream, "peek", None)
    return peek is not None and b"\x00" in peek(8192)[:8192]


def read_jsonl(source: str, stream: IO[bytes], options: ReadOptions) -> Iterator[ReadResult]:
    """One JSON object per line; blank lines are skipped, a bad line is an error row."""
    if _starts_binary(stream):
        yield input_error(source, f"{source}: binary file (NUL bytes), not JSON lines")
        return
    limit = options.max_document_chars * 4 + 4096  # UTF-8 text plus the JSON around it
    for line_no, raw in enumerate(_lines(stream, limit), 1):
        here = f"{source}:{line_no}"
        if raw is None:
            yield input_error(here, f"{here}: line longer than {limit:,} bytes")
            continue
        if not raw.strip():
            continue
        try:
            rec = json.loads(raw.decode("utf-8-sig"))
        except UnicodeDecodeError as exc:
            yield input_error(here, f"{here}: line is not valid UTF-8 ({exc.reason})")
            continue
        except json.JSONDecodeError as exc:
            yield input_error(here, f"{here}: invalid JSON ({exc.msg} at column {exc.colno})")
            continue
        yield _record(source, line_no, rec, options, "jsonl")


def read_csv(source: str, stream: IO[bytes], options: ReadOptions) -> Iterator[ReadResult]:
    """A CSV file with a header row; `PATH:LINE` counts physical lines from 1 (the header)."""
    csv.field_size_limit(max(options.max_document_chars + 1, 131072))
    text = io.TextIOWrapper(stream, encoding="utf-8-sig", errors="replace", newline="")
    reader = csv.DictReader(text)
    while True:
        try:
            rec = next(reader)
        except StopIteration:
            return
        except csv.Error as exc:
            here = f"{source}:{reader.line_num}"
            yield input_error(here, f"{here}: bad CSV record ({exc})")
            continue
        yield _record(source, reader.line_num, rec, options, "csv")


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
    source = str(path)
    suffix = path.suffix.lower()
    try:
        if suffix in DUMP_READERS:
            with path.open("rb") as stream:
                yield from DUMP_READERS[suffix](source, stream, options)
            return
        size = path.stat().st_size
        if size > options.max_file_bytes:
            yield input_error(source, f"{source}: file of {size / 1048576:.1f} MB is over the "
                                      f"limit of {options.max_file_bytes / 1048576:.0f} MB")
            return
        data = path.read_bytes()
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


def _walk(root: Path) -> Iterator[Path]:
    for path in sorted(root.rglob("*")):
        rel = path.relative_to(root).parts
        if any(part.startswith(".") for part in rel):
            log.info("skipping hidden %s", path)
            continue
        if path.is_file():
            yield path


def read_inputs(
    paths: Sequence[str | Path], options: ReadOptions, stdin: IO[bytes] | None = None
) -> Iterator[ReadResult]:
    """Every document (or error) of the given files, directories and `-` (stdin), in order."""
    for given in paths:
        if str(given) == "-":
            yield from read_stdin(stdin or sys.stdin.buffer, options)
            continue
        path = Path(given).expanduser().resolve()
        if path.is_dir():
            for file in _walk(path):
                yield from read_file(file, options)
        elif path.is_file():
            yield from read_file(path, options)
        else:
            yield input_error(str(path), f"{path}: no such file or directory")
