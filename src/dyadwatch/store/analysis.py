"""The SQL the analysis needs: document dates, cluster ids, quotes and figures of a dyad.

Only this module (with the rest of `store/`) talks to DuckDB for the analysis stage.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import duckdb

from dyadwatch.records import Figure, Quote
from dyadwatch.store.bulk import unnested
from dyadwatch.store.events import EventFilter, fetch_dicts


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


def document_anchors(con: duckdb.DuckDBPyConnection) -> dict[str, str]:
    """doc_id -> the date the document speaks from (published, else inferred)."""
    rows = con.execute(
        "SELECT doc_id, coalesce(published, inferred_date) FROM documents "
        "WHERE coalesce(published, inferred_date) IS NOT NULL"
    ).fetchall()
    return {doc_id: str(anchor) for doc_id, anchor in rows}


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
        "AS anchor_date, url, CAST(ingested_at AS VARCHAR) AS ingested_at FROM documents "
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


def event_rows(
    con: duckdb.DuckDBPyConnection, flt: EventFilter | None = None
) -> list[dict[str, Any]]:
    """Rows of the events table (every column) matching the filter, in date order."""
    where, params = (flt or EventFilter()).where()
    return fetch_dicts(
        con,
        f"SELECT * EXCLUDE (date_start) FROM events{where} "
        "ORDER BY date_start NULLS LAST, doc_source, sentence_index, event_id",
        params,
    )
