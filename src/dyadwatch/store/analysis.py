"""The SQL the analysis needs: document dates, cluster ids, quotes and figures of a dyad.

Only this module (with the rest of `store/`) talks to DuckDB for the analysis stage.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

import duckdb

from dyadwatch.records import Event, Figure, Quote
from dyadwatch.store.bulk import unnested
from dyadwatch.store.events import EVENT_COLUMNS, EventFilter, event_table_row, fetch_dicts

LEAD_CHARS = 240


@dataclass(frozen=True, slots=True)
class DocumentInfo:
    """What a report or export shows about a source document."""

    doc_id: str
    doc_source: str
    title: str | None
    published: str | None
    anchor_date: str | None
    url: str | None
    ingested_at: str | None
    outlet: str | None = None
    lead: str | None = None  # the text's first characters (what an untitled source shows)

    @property
    def outlet_key(self) -> str:
        """Who published it, for counting distinct outlets: the outlet, else the URL's host,
        else the document itself (an unknown publisher counts as its own)."""
        if self.outlet:
            return self.outlet.strip().casefold()
        host = urlsplit(self.url).hostname if self.url else None
        return host.removeprefix("www.") if host else f"doc:{self.doc_id}"


def document_anchors(con: duckdb.DuckDBPyConnection) -> dict[str, str]:
    """doc_id -> the date the document speaks from (published, else inferred)."""
    rows = con.execute(
        "SELECT doc_id, coalesce(published, inferred_date) FROM documents "
        "WHERE coalesce(published, inferred_date) IS NOT NULL"
    ).fetchall()
    return {doc_id: str(anchor) for doc_id, anchor in rows}


def publication_span(con: duckdb.DuckDBPyConnection) -> tuple[str | None, str | None]:
    """(earliest, latest) date the documents speak from: their published dates, and dates
    inferred from the text to the day or month. A year read from the text ("This year,
    2011") bounds the span only when no document has a sharper date."""
    row = con.execute(
        "SELECT min(d) FILTER (WHERE sharp), max(d) FILTER (WHERE sharp), min(d), max(d) "
        "FROM (SELECT coalesce(published, inferred_date) AS d, published IS NOT NULL OR "
        "inferred_precision IN ('day', 'month') AS sharp FROM documents "
        "WHERE coalesce(published, inferred_date) IS NOT NULL)"
    ).fetchone()
    if not row or row[2] is None:
        return None, None
    first, last = (row[0], row[1]) if row[0] is not None else (row[2], row[3])
    return str(first), str(last)


def known_actor_codes(con: duckdb.DuckDBPyConnection) -> set[str]:
    """Every actor code of the stored events (source or target)."""
    rows = con.execute(
        "SELECT DISTINCT source_code FROM events WHERE source_code IS NOT NULL UNION "
        "SELECT DISTINCT target_code FROM events WHERE target_code IS NOT NULL"
    ).fetchall()
    return {str(r[0]) for r in rows}


def write_cluster_ids(con: duckdb.DuckDBPyConnection, mapping: Mapping[str, str]) -> int:
    """Set events.cluster_id from event_id -> cluster_id; returns how many rows changed."""
    if not mapping:
        return 0
    changed = con.execute(
        "UPDATE events SET cluster_id = m.cluster_id "
        f"FROM {unnested(('event_id', 'cluster_id'))} m "
        "WHERE events.event_id = m.event_id AND events.cluster_id IS DISTINCT FROM m.cluster_id",
        [list(mapping), list(mapping.values())],
    ).fetchone()
    return int(changed[0]) if changed else 0


def _in_clause(values: Sequence[str]) -> str:
    return "(" + ", ".join("?" * len(values)) + ")"


def fetch_documents(
    con: duckdb.DuckDBPyConnection, doc_ids: Sequence[str]
) -> dict[str, DocumentInfo]:
    """doc_id -> DocumentInfo for the given documents (unknown ids are left out)."""
    if not doc_ids:
        return {}
    rows = fetch_dicts(
        con,
        "SELECT doc_id, doc_source, title, published, coalesce(published, inferred_date) "
        "AS anchor_date, url, CAST(ingested_at AS VARCHAR) AS ingested_at, outlet, "
        f"left(text, {LEAD_CHARS}) AS lead FROM documents "
        f"WHERE doc_id IN {_in_clause(doc_ids)}",
        list(doc_ids),
    )
    return {r["doc_id"]: DocumentInfo(**r) for r in rows}


def fetch_quotes(con: duckdb.DuckDBPyConnection, doc_ids: Sequence[str]) -> list[Quote]:
    """Quotes of the given documents, in document and sentence order."""
    if not doc_ids:
        return []
    rows = con.execute(
        "SELECT quote_id, doc_id, doc_source, sentence_index, text, speaker, speaker_code, "
        f"coalesce(start_char, 0), coalesce(end_char, 0) FROM quotes "
        f"WHERE doc_id IN {_in_clause(doc_ids)} ORDER BY doc_source, sentence_index, quote_id",
        list(doc_ids),
    ).fetchall()
    return [Quote(*row) for row in rows]


def fetch_figures(con: duckdb.DuckDBPyConnection, doc_ids: Sequence[str]) -> list[Figure]:
    """Figures (stated quantities) of the given documents, in document order."""
    if not doc_ids:
        return []
    rows = con.execute(
        "SELECT figure_id, doc_id, doc_source, sentence_index, value, unit, text, "
        f"coalesce(about, ''), coalesce(sentence, '') FROM figures "
        f"WHERE doc_id IN {_in_clause(doc_ids)} ORDER BY doc_source, sentence_index, figure_id",
        list(doc_ids),
    ).fetchall()
    return [Figure(*row) for row in rows]


def count_documents(con: duckdb.DuckDBPyConnection) -> int:
    row = con.execute("SELECT count(*) FROM documents").fetchone()
    return int(row[0]) if row else 0


# Every column of the events table but the derived `date_start`, in table order.
EVENT_CSV_COLUMNS = tuple(c for c in EVENT_COLUMNS if c != "date_start")


def flat_event(row: Mapping[str, Any]) -> dict[str, Any]:
    """A row of the events table (by column name) as a flat row: EVENT_CSV_COLUMNS in order,
    the PLOVER contexts as one cell of names joined by ";" (empty when none). The one
    flattening of `events -f csv`, `export -f csv|parquet`, the Python API and `code -f csv`."""
    flat = {column: row[column] for column in EVENT_CSV_COLUMNS}
    flat["contexts"] = ";".join(flat["contexts"] or ())
    return flat


def event_csv_row(event: Event) -> dict[str, Any]:
    """The flat row of an event not stored (`dyadwatch code -f csv`): the row `event_rows`
    gives for it once stored (its `cluster_id` is None until clustering)."""
    return flat_event(dict(zip(EVENT_COLUMNS, event_table_row(event), strict=True)))


def event_rows(
    con: duckdb.DuckDBPyConnection, flt: EventFilter | None = None
) -> list[dict[str, Any]]:
    """Flat rows (`flat_event`) of the events matching the filter, in date order: the one
    schema of `events -f csv`, `export -f csv|parquet` and the Python API."""
    where, params = (flt or EventFilter()).where()
    rows = fetch_dicts(
        con,
        f"SELECT {', '.join(EVENT_CSV_COLUMNS)} FROM events{where} "
        "ORDER BY date_start NULLS LAST, doc_source, sentence_index, event_id",
        params,
    )
    return [flat_event(row) for row in rows]
