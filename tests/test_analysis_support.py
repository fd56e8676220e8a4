"""Builders for the analysis, report, export and API tests: real Event records in a real
DuckDB workspace, from sentences written for these tests (not taken from any article)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from dyadwatch.records import Actor, Event, Extraction
from dyadwatch.store import open_workspace
from dyadwatch.store.events import insert_extractions

# A small code table for the tests: CAMEO code -> (quad class, Goldstein, PLOVER type).
CODES: dict[str, tuple[int, float, str]] = {
    "036": (1, 4.0, "AGREE"),
    "042": (1, 1.9, "CONSULT"),
    "051": (1, 3.4, "SUPPORT"),
    "057": (1, 8.0, "AGREE"),
    "0312": (1, 5.2, "AGREE"),
    "061": (2, 6.4, "COOPERATE"),
    "071": (2, 7.4, "AID"),
    "085": (2, 7.0, "CONCEDE"),
    "111": (3, -2.0, "ACCUSE"),
    "112": (3, -2.0, "ACCUSE"),
    "163": (4, -8.0, "SANCTION"),
    "173": (4, -5.0, "COERCE"),
}

NAMES = {"USA": "United States", "KHM": "Cambodia", "CHN": "China", "RUS": "Russia",
         "TUR": "Turkey"}


def actor(code: str, text: str | None = None) -> Actor:
    country = code[:3]
    return Actor(code=code, country=country, role=code[3:] or None, text=text or country)


@dataclass(frozen=True)
class Doc:
    doc_id: str
    doc_source: str
    published: str | None = None
    inferred: str | None = None
    url: str | None = None
    title: str | None = None


def event(doc: Doc, index: int, sentence: str, source: str, target: str, cameo: str,
          date: str | None, precision: str = "day", date_end: str | None = None,
          negated: bool = False, modality: str = "occurred") -> Event:
    quad, goldstein, plover = CODES[cameo]
    return Event(
        event_id=Event.id_for(doc.doc_id, index, source, target, cameo), doc_id=doc.doc_id,
        doc_source=doc.doc_source, sentence_index=index, sentence=sentence, date=date,
        date_end=date_end, date_precision=precision if date else "unknown",
        source=actor(source), target=actor(target), cameo=cameo, root=cameo[:2],
        quad_class=quad, goldstein=goldstein, plover=plover, modality=modality,
        negated=negated, confidence=0.9, coder_version="test-1", dictionary_version="test-1",
    )


def add_documents(con, docs: list[Doc]) -> None:
    for d in docs:
        con.execute(
            "INSERT INTO documents (doc_id, doc_source, title, text, published, "
            "published_precision, language, url, inferred_date, inferred_precision, fmt, "
            "coded, ingested_at) VALUES (?,?,?,?,?,?,?,?,?,?,?,?, TIMESTAMP '2026-03-01 10:20:30')",
            [d.doc_id, d.doc_source, d.title, "text of " + d.doc_id, d.published,
             "day" if d.published else "unknown", "en", d.url, d.inferred,
             "month" if d.inferred else "unknown", "txt", True],
        )


def build_workspace(path: Path, docs: list[Doc], events: list[Event]):
    """A migrated workspace at `path` holding the documents and events."""
    ws = open_workspace(path)
    with ws.connect() as con:
        add_documents(con, docs)
        by_doc: dict[str, list[Event]] = {}
        for e in events:
            by_doc.setdefault(e.doc_id, []).append(e)
        insert_extractions(con, [Extraction(d, tuple(evs)) for d, evs in by_doc.items()])
    return ws


# A small corpus in our own words about one dyad, shaped like the seeds: a dated timeline
# article, an undated commentary that mentions one of the same events, and a distinct
# later event of the same family.
TIMELINE = Doc("doc-timeline", "corpus/timeline.txt", published="2026-02-10",
               url="https://example.org/timeline", title="A year of US-Cambodia steps")
COMMENT = Doc("doc-comment", "corpus/comment.txt", inferred="2026-01",
              title="Washington courts Phnom Penh")
OTHER = Doc("doc-other", "corpus/other.txt", published="2024-05-02")


def seed_like_events() -> list[Event]:
    t, c = TIMELINE, COMMENT
    return [
        event(t, 1, "In October 2025 the two governments signed a trade pact.", "USAGOV",
              "KHMGOV", "057", "2025-10", "month"),
        event(t, 2, "On 31 October 2025 both defence chiefs agreed to restart drills.",
              "USAMIL", "KHMMIL", "0312", "2025-10-31"),
        event(t, 3, "In November 2025 Washington ended its weapons ban on Cambodia.",
              "USAGOV", "KHM", "085", "2025-11", "month"),
        event(t, 4, "On 5 December Phnom Penh agreed to widen security ties with the US.",
              "KHMGOV", "USA", "0312", "2025-12-05"),
        event(t, 5, "A US cruiser called at a Cambodian port from 24 to 28 January 2026.",
              "USAMIL", "KHM", "042", "2026-01-24", "range", date_end="2026-01-28"),
        event(t, 6, "On 3 February 2026 US export controls on Cambodia were relaxed.",
              "USAGOV", "KHM", "085", "2026-02-03"),
        event(c, 2, "Washington has dropped the weapons ban it placed on Phnom Penh.",
              "USAGOV", "KHMGOV", "085", None),
        event(c, 4, "Officials did not sign a new trade pact, an aide said.", "USAGOV",
              "KHMGOV", "057", "2025-10", "month", negated=True),
    ]
