"""Read-only queries the web dashboard and REST API need, over the tables of 001_initial.sql.

Every function takes an open (read-only) connection and returns plain records or dicts of
column values; nothing here writes. Text search is a case- and accent-insensitive substring
match (`contains` over `strip_accents(lower(...))` on both sides: "Erdogan" finds "Erdoğan"), so
user input is never parsed as a LIKE pattern.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from typing import Any

import duckdb

from dyadwatch.records import Event
from dyadwatch.store.events import EventFilter, fetch_dicts, row_to_event

# The country of an actor: its country column, else the first three letters of its code.
_SRC_COUNTRY = "coalesce(source_country, left(source_code, 3))"
_TGT_COUNTRY = "coalesce(target_country, left(target_code, 3))"
_EVENT_ORDER = "ORDER BY date_start NULLS LAST, doc_source, sentence_index, event_id"



def folded(sql: str) -> str:
    """`sql` lower-cased without accents: what text search compares."""
    return f"strip_accents(lower({sql}))"


_Q = folded("?")
_TITLE = "coalesce(title, '')"
_TEXT_MATCH = f" WHERE contains({folded('text')}, {_Q}) OR contains({folded(_TITLE)}, {_Q})"
# An event matches by its sentence or by how either actor is named or coded.
_EVENT_TEXT = folded(
    "concat_ws(' ', sentence, source_text, source_name, source_code, target_text, "
    "target_name, target_code)"
)
_EVENT_MATCH = f" WHERE contains({_EVENT_TEXT}, {_Q})"
DOCUMENT_LIST_COLUMNS = (
    "doc_id, doc_source, title, published, published_precision, inferred_date, "
    "inferred_precision, language, author, url, category, fmt, coded, length(text) AS chars, "
    "left(regexp_replace(text, '\\s+', ' ', 'g'), 90) AS lead"
)


@dataclass(frozen=True, slots=True)
class Page:
    """Which slice of a result list: at most `limit` rows after skipping `offset`."""

    limit: int = 50
    offset: int = 0

    def sql(self) -> str:
        return f" LIMIT {int(self.limit)} OFFSET {int(self.offset)}"


@dataclass(frozen=True, slots=True)
class Counts:
    """How much a workspace holds."""

    documents: int
    coded_documents: int
    events: int  # distinct real-world events (clusters)
    mentions: int  # sentences that report them (rows of the events table)
    quotes: int
    figures: int
    learned_actors: int
    errors: int


@dataclass(frozen=True, slots=True)
class DyadCount:
    """An unordered pair of countries (a < b) and how often events link them."""

    a: str
    b: str
    events: int  # distinct real-world events (clusters), as analysis.counts counts them
    mentions: int  # sentences that report them
    documents: int
    mean_goldstein: float | None
    first_date: str | None
    last_date: str | None


def _scalar(con: duckdb.DuckDBPyConnection, sql: str, params: list[Any] | None = None) -> Any:
    row = con.execute(sql, params or []).fetchone()
    return row[0] if row else None


def workspace_counts(con: duckdb.DuckDBPyConnection) -> Counts:
    """Row counts of the main tables."""
    tables = ("documents", "events", "quotes", "figures", "learned_actors", "errors")
    found = {t: int(_scalar(con, f"SELECT count(*) FROM {t}")) for t in tables}
    coded = int(_scalar(con, "SELECT count(*) FROM documents WHERE coded"))
    events = int(_scalar(con, "SELECT count(DISTINCT coalesce(cluster_id, event_id)) FROM events"))
    return Counts(
        documents=found["documents"], coded_documents=coded, events=events,
        mentions=found["events"],
        quotes=found["quotes"], figures=found["figures"],
        learned_actors=found["learned_actors"], errors=found["errors"],
    )


def top_dyads(
    con: duckdb.DuckDBPyConnection, limit: int = 20, actor: str | None = None
) -> list[DyadCount]:
    """Country pairs by number of events (distinct clusters; self-pairs left out); only those
    of `actor` if given."""
    where, params = "", []
    if actor:
        where = " AND (a = ? OR b = ?)"
        params = [actor.upper()[:3]] * 2
    sql = f"""
        WITH pairs AS (
            SELECT least({_SRC_COUNTRY}, {_TGT_COUNTRY}) AS a,
                   greatest({_SRC_COUNTRY}, {_TGT_COUNTRY}) AS b,
                   doc_id, goldstein, date_start, coalesce(cluster_id, event_id) AS event
            FROM events)
        SELECT a, b, count(DISTINCT event) AS events, count(*) AS mentions,
               count(DISTINCT doc_id) AS documents,
               avg(goldstein) AS mean_goldstein,
               CAST(min(date_start) AS VARCHAR) AS first_date,
               CAST(max(date_start) AS VARCHAR) AS last_date
        FROM pairs WHERE a <> b{where}
        GROUP BY a, b ORDER BY events DESC, a, b LIMIT {int(limit)}"""
    return [DyadCount(**row) for row in fetch_dicts(con, sql, params)]


def count_mentions(con: duckdb.DuckDBPyConnection, flt: EventFilter) -> int:
    """Mentions matching `flt`: rows of the events table, one per sentence reporting an event
    (`analysis.counts.COUNT_VOCABULARY`)."""
    where, params = flt.where()
    return int(_scalar(con, f"SELECT count(*) FROM events{where}", params))


def count_distinct_events(con: duckdb.DuckDBPyConnection, flt: EventFilter) -> int:
    """Events matching `flt`: distinct clusters of mentions (a mention not yet clustered is
    an event of its own)."""
    where, params = flt.where()
    sql = f"SELECT count(DISTINCT coalesce(cluster_id, event_id)) FROM events{where}"
    return int(_scalar(con, sql, params))


def page_events(con: duckdb.DuckDBPyConnection, flt: EventFilter, page: Page) -> list[Event]:
    """One page of the events matching `flt`, in date order (undated last)."""
    where, params = flt.where()
    sql = f"SELECT * FROM events{where} {_EVENT_ORDER}{page.sql()}"
    return [row_to_event(r) for r in fetch_dicts(con, sql, params)]


def get_event(con: duckdb.DuckDBPyConnection, event_id: str) -> Event | None:
    rows = fetch_dicts(con, "SELECT * FROM events WHERE event_id = ?", [event_id])
    return row_to_event(rows[0]) if rows else None


def cluster_events(con: duckdb.DuckDBPyConnection, cluster_id: str) -> list[Event]:
    """Every mention of one clustered event, in document order."""
    sql = f"SELECT * FROM events WHERE cluster_id = ? {_EVENT_ORDER}"
    return [row_to_event(r) for r in fetch_dicts(con, sql, [cluster_id])]


def count_documents(con: duckdb.DuckDBPyConnection, text: str | None = None) -> int:
    if not text:
        return int(_scalar(con, "SELECT count(*) FROM documents"))
    sql = f"SELECT count(*) FROM documents{_TEXT_MATCH}"
    return int(_scalar(con, sql, [text] * 2))


def page_documents(
    con: duckdb.DuckDBPyConnection, page: Page, text: str | None = None
) -> list[dict[str, Any]]:
    """Documents without their text (newest first), only those containing `text` if given."""
    where, params = "", []
    if text:
        where = _TEXT_MATCH
        params = [text] * 2
    sql = (f"SELECT {DOCUMENT_LIST_COLUMNS} FROM documents{where} "
           f"ORDER BY coalesce(published, inferred_date) DESC NULLS LAST, doc_source{page.sql()}")
    return fetch_dicts(con, sql, params)


def get_document(con: duckdb.DuckDBPyConnection, doc_id: str) -> dict[str, Any] | None:
    """One document with its text, or None."""
    rows = fetch_dicts(
        con, f"SELECT {DOCUMENT_LIST_COLUMNS}, text FROM documents WHERE doc_id = ?", [doc_id]
    )
    return rows[0] if rows else None


def snippet(con: duckdb.DuckDBPyConnection, doc_id: str, text: str, width: int = 160) -> str:
    """A stretch of the document around the first match of `text` (case- and
    accent-insensitive, as the search)."""
    doc = _scalar(con, "SELECT text FROM documents WHERE doc_id = ?", [doc_id]) or ""
    at = fold_find(doc, text)
    if at < 0:
        return doc[:width]
    start = max(0, at - width // 2)
    return ("…" if start else "") + doc[start : start + width] + "…"


def _fold(text: str) -> str:
    decomposed = unicodedata.normalize("NFD", text.lower())
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def fold_find(text: str, needle: str) -> int:
    """Where `needle` first occurs in `text`, ignoring case and accents; -1 when nowhere.
    The index is into `text` itself (folding can change lengths; each character is folded on
    its own and mapped back)."""
    starts: list[int] = []
    pieces: list[str] = []
    for i, char in enumerate(text):
        piece = _fold(char)
        pieces.append(piece)
        starts.extend([i] * len(piece))
    at = "".join(pieces).find(_fold(needle))
    return starts[at] if 0 <= at < len(starts) else -1


def count_matching_events(con: duckdb.DuckDBPyConnection, text: str) -> int:
    sql = f"SELECT count(*) FROM events{_EVENT_MATCH}"
    return int(_scalar(con, sql, [text]))


def search_events(con: duckdb.DuckDBPyConnection, text: str, page: Page) -> list[Event]:
    """Events whose sentence or actor names contain `text` (case- and accent-insensitive)."""
    sql = f"SELECT * FROM events{_EVENT_MATCH} {_EVENT_ORDER}{page.sql()}"
    return [row_to_event(r) for r in fetch_dicts(con, sql, [text])]


def _side_filter(doc_id: str | None, extra: tuple[str, str | None]) -> tuple[str, list[Any]]:
    clauses, params = [], []
    if doc_id:
        clauses.append("doc_id = ?")
        params.append(doc_id)
    column, value = extra
    if value:
        clauses.append(f"starts_with(upper(coalesce({column}, '')), ?)")
        params.append(value.upper())
    return (" WHERE " + " AND ".join(clauses)) if clauses else "", params


def page_quotes(
    con: duckdb.DuckDBPyConnection, page: Page, doc_id: str | None = None,
    speaker_code: str | None = None,
) -> tuple[int, list[dict[str, Any]]]:
    """(total, one page) of quotes, by document and speaker code (prefix) when given."""
    where, params = _side_filter(doc_id, ("speaker_code", speaker_code))
    total = int(_scalar(con, f"SELECT count(*) FROM quotes{where}", params))
    sql = f"SELECT * FROM quotes{where} ORDER BY doc_source, sentence_index, start_char{page.sql()}"
    return total, fetch_dicts(con, sql, params)


def page_figures(
    con: duckdb.DuckDBPyConnection, page: Page, doc_id: str | None = None,
    unit: str | None = None,
) -> tuple[int, list[dict[str, Any]]]:
    """(total, one page) of figures, by document and unit when given."""
    where, params = _side_filter(doc_id, ("unit", unit))
    total = int(_scalar(con, f"SELECT count(*) FROM figures{where}", params))
    sql = f"SELECT * FROM figures{where} ORDER BY doc_source, sentence_index, figure_id{page.sql()}"
    return total, fetch_dicts(con, sql, params)


def document_learned_actors(con: duckdb.DuckDBPyConnection, doc_id: str) -> list[dict[str, Any]]:
    return fetch_dicts(
        con, "SELECT * FROM learned_actors WHERE doc_id = ? ORDER BY name", [doc_id]
    )


def actor_names(
    con: duckdb.DuckDBPyConnection, actor: str, limit: int = 12
) -> list[dict[str, Any]]:
    """How an actor (code or country prefix) is named in events, most frequent first."""
    sql = f"""
        SELECT code, name, text, count(*) AS mentions FROM (
            SELECT source_code AS code, source_name AS name, source_text AS text FROM events
            WHERE starts_with(source_code, ?)
            UNION ALL
            SELECT target_code, target_name, target_text FROM events
            WHERE starts_with(target_code, ?))
        GROUP BY code, name, text ORDER BY mentions DESC, code LIMIT {int(limit)}"""
    return fetch_dicts(con, sql, [actor.upper()] * 2)



@dataclass(frozen=True, slots=True)
class EventKinds:
    """The CAMEO roots and PLOVER types that occur among some events (for filter menus)."""

    roots: tuple[str, ...]
    plovers: tuple[str, ...]
    outlets: tuple[str, ...] = ()
    contexts: tuple[str, ...] = ()  # PLOVER contexts that some of the events have


def event_kinds(
    con: duckdb.DuckDBPyConnection, dyad: tuple[str, str] | None = None, actor: str | None = None
) -> EventKinds:
    """Which roots, PLOVER types, outlets and contexts the events of a dyad or actor (or all)
    have."""
    where, params = EventFilter(dyad=dyad, actor=actor).where()
    rows = con.execute(f"SELECT DISTINCT root, plover FROM events{where}", params).fetchall()
    outlets = con.execute(
        "SELECT DISTINCT outlet FROM documents WHERE outlet IS NOT NULL AND doc_id IN "
        f"(SELECT doc_id FROM events{where}) ORDER BY outlet", params).fetchall()
    contexts = con.execute(
        f"SELECT DISTINCT unnest(contexts) AS c FROM events{where} ORDER BY c", params).fetchall()
    return EventKinds(tuple(sorted({r for r, _ in rows if r})),
                      tuple(sorted({p for _, p in rows if p})), tuple(o for (o,) in outlets),
                      tuple(c for (c,) in contexts if c))


def find_actor_names(
    con: duckdb.DuckDBPyConnection, text: str, limit: int = 30
) -> list[dict[str, Any]]:
    """Actors of the events whose code, name or words contain `text` (case- and
    accent-insensitive), most mentioned first: dicts of code, name, text, mentions."""
    sides = " UNION ALL ".join(
        f"SELECT {s}_code AS code, {s}_name AS name, {s}_text AS text FROM events "
        f"WHERE {s}_code IS NOT NULL" for s in ("source", "target")
    )
    match = folded("concat_ws(' ', code, name, text)")
    sql = f"""
        SELECT code, name, text, count(*) AS mentions FROM ({sides})
        WHERE contains({match}, {_Q})
        GROUP BY code, name, text ORDER BY mentions DESC, code LIMIT {int(limit)}"""
    return fetch_dicts(con, sql, [text])


def actor_codes(con: duckdb.DuckDBPyConnection) -> list[str]:
    """Every actor code that events use."""
    sql = ("SELECT DISTINCT code FROM (SELECT source_code AS code FROM events UNION "
           "SELECT target_code FROM events) WHERE code IS NOT NULL ORDER BY code")
    return [row[0] for row in con.execute(sql).fetchall()]


def has_actor_code(con: duckdb.DuckDBPyConnection, code: str) -> bool:
    """Whether some event's source or target code is `code` or starts with it."""
    sql = ("SELECT count(*) FROM events WHERE starts_with(source_code, ?) "
           "OR starts_with(target_code, ?)")
    return bool(_scalar(con, sql, [code, code]))
