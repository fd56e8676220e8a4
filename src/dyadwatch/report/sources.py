"""The brief's list of sources: outlet, title and date, linked to the document's URL.

A document with a title shows it; one without shows the opening words of its text in quotes
(never a bare "(untitled)"), with its record id or file name beside. A link is made only of an
http(s) URL: anything else (a `javascript:` URL in a hostile feed, a local path) stays text.
Links are plain navigation: the brief loads nothing from them.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from urllib.parse import urlsplit

from dyadwatch.store.analysis import DocumentInfo

LEAD_WORDS = 14


@dataclass(frozen=True, slots=True)
class SourceLine:
    """One source as the brief lists it."""

    doc_id: str
    outlet: str | None
    label: str  # the title, else the opening words of the text, else the record name
    titled: bool
    date: str | None  # "2019-04-10", or "about 2019-04" when only inferred from the text
    url: str | None  # the stored URL
    link: str | None  # the same URL when it is one to link (http or https), else None
    record: str  # the file name, or the record id of a JSONL/CSV line


def _record(doc_source: str) -> str:
    """The file name of a path, or the id of `PATH#ID` (`PATH:N` stays `FILE:N`)."""
    path, _, record_id = doc_source.partition("#")
    return record_id or path.replace("\\", "/").rsplit("/", 1)[-1]


def _lead(text: str | None) -> str | None:
    words = (text or "").split()
    if not words:
        return None
    more = len(words) > LEAD_WORDS
    return "“" + " ".join(words[:LEAD_WORDS]) + ("…”" if more else "”")


def _link(url: str | None) -> str | None:
    if not url:
        return None
    try:
        parts = urlsplit(url.strip())
    except ValueError:
        return None
    return url.strip() if parts.scheme.lower() in ("http", "https") and parts.netloc else None


def source_line(doc: DocumentInfo) -> SourceLine:
    """How the brief lists one document."""
    title = (doc.title or "").strip()
    date = doc.published or (f"about {doc.anchor_date}" if doc.anchor_date else None)
    return SourceLine(
        doc_id=doc.doc_id, outlet=doc.outlet, titled=bool(title),
        label=title or _lead(doc.lead) or _record(doc.doc_source), date=date, url=doc.url,
        link=_link(doc.url), record=_record(doc.doc_source),
    )


def source_lines(docs: Iterable[DocumentInfo]) -> tuple[SourceLine, ...]:
    """Sources by outlet (unknown last), then title (or opening words), then date."""
    lines = [source_line(d) for d in docs]
    return tuple(sorted(lines, key=lambda s: (
        s.outlet is None, (s.outlet or "").casefold(), not s.titled, s.label.casefold(),
        s.date or "", s.doc_id)))
