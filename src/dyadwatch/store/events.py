"""Events, quotes, figures and learned actors: writing extractions and reading them back."""

from __future__ import annotations

import calendar
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

import duckdb

from dyadwatch.records import Actor, Event, Extraction, Location
from dyadwatch.store.bulk import bulk_insert

EVENT_COLUMNS = (
    "event_id", "doc_id", "doc_source", "sentence_index", "sentence", "date", "date_end",
    "date_precision", "date_start", "source_code", "source_country", "source_role",
    "source_text", "source_name", "target_code", "target_country", "target_role",
    "target_text", "target_name", "cameo", "root", "quad_class", "goldstein", "plover",
    "modality", "negated", "cluster_id", "confidence", "coder_version", "dictionary_version",
    "pattern",
    # migration 006: where the event happened (records.Location), flat like the actors
    "location_name", "location_country", "location_adm1", "location_lat", "location_lon",
    "location_feature_id", "location_precision",
    "contexts",
)
LOCATION_FIELDS = ("name", "country", "adm1", "lat", "lon", "feature_id", "precision")


QUOTE_COLUMNS = (
    "quote_id", "doc_id", "doc_source", "sentence_index", "text", "speaker", "speaker_code",
    "start_char", "end_char",
)
FIGURE_COLUMNS = (
    "figure_id", "doc_id", "doc_source", "sentence_index", "value", "unit", "text", "about",
    "sentence",
)
LEARNED_COLUMNS = ("name", "code", "country", "role", "doc_id", "evidence")


def date_start(date: str | None) -> str | None:
    """The first day of an ISO date of any precision ("2025" -> "2025-01-01")."""
    if not date:
        return None
    year, month, day = [*date.split("-"), "01", "01"][:3]
    return f"{year}-{month}-{day}"


def date_end_of(date: str) -> str:
    """The last day of an ISO date of any precision ("2026-01" -> "2026-01-31")."""
    parts = date.split("-")
    year = int(parts[0])
    if len(parts) == 1:
        return f"{year}-12-31"
    month = int(parts[1])
    if len(parts) == 2:
        return f"{year}-{month:02d}-{calendar.monthrange(year, month)[1]:02d}"
    return date


def event_table_row(event: Event) -> tuple[Any, ...]:
    """The event as a row of the events table (EVENT_COLUMNS, in order)."""
    s, t = event.source, event.target
    return (
        event.event_id, event.doc_id, event.doc_source, event.sentence_index, event.sentence,
        event.date, event.date_end, event.date_precision, date_start(event.date),
        s.code, s.country, s.role, s.text, s.name, t.code, t.country, t.role, t.text, t.name,
        event.cameo, event.root, event.quad_class, event.goldstein, event.plover,
        event.modality, event.negated, event.cluster_id, event.confidence,
        event.coder_version, event.dictionary_version, event.pattern,
        *_location_row(event.location), list(event.contexts),
    )


def _location_row(location: Location | None) -> tuple[Any, ...]:
    if location is None:
        return (None,) * len(LOCATION_FIELDS)
    return tuple(getattr(location, field) for field in LOCATION_FIELDS)


def location_columns(location: Location | None) -> dict[str, Any]:
    """The flat location columns of an event (location_name, ...; all None when unknown)."""
    return {f"location_{f}": v for f, v in zip(LOCATION_FIELDS, _location_row(location),
                                                strict=True)}


def _location(row: dict[str, Any]) -> Location | None:
    """The event's location from its flat columns (None when not located)."""
    if row.get("location_name") is None:
        return None
    values = {f: row[f"location_{f}"] for f in LOCATION_FIELDS}
    return Location(**values)


def insert_extractions(con: duckdb.DuckDBPyConnection, extractions: Iterable[Extraction]) -> int:
    """Insert what was extracted (inside the caller's transaction); returns events written.

    Re-inserting the same ids replaces nothing and adds nothing: ids are content hashes.
    Rows go in through Arrow in one statement per table.
    """
    events: list[tuple[Any, ...]] = []
    quotes: list[tuple[Any, ...]] = []
    figures: list[tuple[Any, ...]] = []
    learned: list[tuple[Any, ...]] = []
    for ex in extractions:
        events.extend(event_table_row(e) for e in ex.events)
        quotes.extend(
            (q.quote_id, q.doc_id, q.doc_source, q.sentence_index, q.text, q.speaker,
             q.speaker_code, q.start, q.end)
            for q in ex.quotes
        )
        figures.extend(
            (f.figure_id, f.doc_id, f.doc_source, f.sentence_index, f.value, f.unit, f.text,
             f.about, f.sentence)
            for f in ex.figures
        )
        learned.extend(
            (a.name, a.code, a.country, a.role, a.doc_id, a.evidence) for a in ex.learned_actors
        )
    bulk_insert(con, "INSERT OR IGNORE", "events", EVENT_COLUMNS, events)
    bulk_insert(con, "INSERT OR IGNORE", "quotes", QUOTE_COLUMNS, quotes)
    bulk_insert(con, "INSERT OR IGNORE", "figures", FIGURE_COLUMNS, figures)
    bulk_insert(con, "INSERT OR IGNORE", "learned_actors", LEARNED_COLUMNS, learned)
    return len(events)


@dataclass(frozen=True, slots=True)
class EventFilter:
    """Which events to read: by actor (code or country prefix), dyad, dates, CAMEO root,
    document, PLOVER context, PLOVER type, QuadClass, modality and lowest coder
    confidence."""

    actor: str | None = None
    dyad: tuple[str, str] | None = None
    since: str | None = None
    until: str | None = None
    root: str | None = None
    doc_id: str | None = None
    plover: str | None = None
    quad_class: int | None = None
    modality: str | None = None
    min_confidence: float | None = None
    outlet: str | None = None
    context: str | None = None

    def where(self) -> tuple[str, list[Any]]:
        clauses: list[str] = []
        params: list[Any] = []
        if self.actor:
            clauses.append("(starts_with(source_code, ?) OR starts_with(target_code, ?))")
            params += [self.actor.upper()] * 2
        if self.dyad:
            a, b = (x.upper() for x in self.dyad)
            clauses.append(
                "((starts_with(source_code, ?) AND starts_with(target_code, ?)) OR "
                "(starts_with(source_code, ?) AND starts_with(target_code, ?)))"
            )
            params += [a, b, b, a]
        if self.since:
            clauses.append("date_start >= CAST(? AS DATE)")
            params.append(date_start(self.since))
        if self.until:  # the whole period: --until 2026-01 keeps all of January
            clauses.append("date_start <= CAST(? AS DATE)")
            params.append(date_end_of(self.until))
        if self.root:
            clauses.append("root = ?")
            params.append(self.root.zfill(2))
        if self.doc_id:
            clauses.append("doc_id = ?")
            params.append(self.doc_id)
        if self.context:
            clauses.append("list_contains(contexts, ?)")
            params.append(self.context.lower())
        self._kind_clauses(clauses, params)
        return (" WHERE " + " AND ".join(clauses)) if clauses else "", params

    def _kind_clauses(self, clauses: list[str], params: list[Any]) -> None:
        """What kind of event: PLOVER type, QuadClass, modality, lowest confidence."""
        if self.plover:
            clauses.append("upper(plover) = ?")
            params.append(self.plover.upper())
        if self.quad_class is not None:
            clauses.append("quad_class = ?")
            params.append(int(self.quad_class))
        if self.modality:
            clauses.append("modality = ?")
            params.append(self.modality.lower())
        if self.min_confidence is not None:
            clauses.append("confidence >= ?")
            params.append(float(self.min_confidence))
        if self.outlet:  # the publisher of the event's document (migration 004)
            clauses.append("doc_id IN (SELECT doc_id FROM documents WHERE outlet = ?)")
            params.append(self.outlet)


def _actor(row: dict[str, Any], side: str) -> Actor:
    return Actor(
        code=row[f"{side}_code"], country=row[f"{side}_country"], role=row[f"{side}_role"],
        text=row[f"{side}_text"] or "", name=row[f"{side}_name"],
    )


def row_to_event(row: dict[str, Any]) -> Event:
    """An Event rebuilt from a row of the events table."""
    return Event(
        event_id=row["event_id"], doc_id=row["doc_id"], doc_source=row["doc_source"],
        sentence_index=row["sentence_index"], sentence=row["sentence"], date=row["date"],
        date_end=row["date_end"], date_precision=row["date_precision"],
        source=_actor(row, "source"), target=_actor(row, "target"), cameo=row["cameo"],
        root=row["root"], quad_class=row["quad_class"], goldstein=row["goldstein"],
        plover=row["plover"], modality=row["modality"], negated=row["negated"],
        confidence=row["confidence"], coder_version=row["coder_version"],
        dictionary_version=row["dictionary_version"], cluster_id=row["cluster_id"],
        pattern=row["pattern"], location=_location(row),
        contexts=tuple(row.get("contexts") or ()),
    )


def fetch_dicts(
    con: duckdb.DuckDBPyConnection, sql: str, params: Sequence[Any] = ()
) -> list[dict[str, Any]]:
    """Rows of a query as dicts keyed by column name."""
    cursor = con.execute(sql, list(params))
    names = [d[0] for d in cursor.description]
    return [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]


def query_events(con: duckdb.DuckDBPyConnection, flt: EventFilter | None = None) -> list[Event]:
    """Events matching the filter, in date order (undated last), then document order."""
    where, params = (flt or EventFilter()).where()
    sql = (
        f"SELECT * FROM events{where} "
        "ORDER BY date_start NULLS LAST, doc_source, sentence_index, event_id"
    )
    return [row_to_event(r) for r in fetch_dicts(con, sql, params)]


def document_contexts(con: duckdb.DuckDBPyConnection, doc_id: str) -> list[str]:
    """A document's PLOVER contexts: the union of its events' contexts, by name."""
    rows = con.execute(
        "SELECT DISTINCT c FROM (SELECT unnest(contexts) AS c FROM events WHERE doc_id = ?) "
        "ORDER BY c", [doc_id],
    ).fetchall()
    return [str(r[0]) for r in rows]


def context_counts(con: duckdb.DuckDBPyConnection) -> dict[str, int]:
    """How many events carry each PLOVER context."""
    rows = con.execute(
        "SELECT c, count(*) FROM (SELECT unnest(contexts) AS c FROM events) GROUP BY c"
    ).fetchall()
    return {str(name): int(n) for name, n in rows}
