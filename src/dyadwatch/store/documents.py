"""Documents, their sources, MinHash bands, near-duplicates, input errors and ingest runs.

All SQL of the ingest stage lives here. Writers call these inside the one transaction of a
batch (`write_batch`); readers open the workspace read-only and call the `query_*` functions.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping, Sequence
from contextlib import suppress
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import PurePosixPath
from typing import Any, Protocol

import duckdb

from dyadwatch.records import Document, Extraction, InputError
from dyadwatch.store.bulk import bulk_insert, unnested
from dyadwatch.store.events import fetch_dicts, insert_extractions

DOCUMENT_COLUMNS = (
    "doc_id", "doc_source", "title", "text", "published", "published_precision", "language",
    "author", "url", "category", "inferred_date", "inferred_precision", "inferred_from", "fmt",
    "outlet",
)


class BandedSignature(Protocol):
    """What the store keeps of a MinHash signature (dyadwatch.ingest.dedup.Signature)."""

    @property
    def values(self) -> bytes: ...

    @property
    def bands(self) -> tuple[int, ...]: ...


@dataclass(frozen=True, slots=True)
class NearDuplicate:
    doc_id: str
    near_doc_id: str
    similarity: float


@dataclass(frozen=True, slots=True)
class DocumentBatch:
    """Everything one batch writes, in one transaction."""

    documents: tuple[Document, ...] = ()
    sources: tuple[tuple[str, str], ...] = ()  # (doc_source, doc_id) of every input read
    signatures: tuple[tuple[str, BandedSignature], ...] = ()
    near_duplicates: tuple[NearDuplicate, ...] = ()
    errors: tuple[InputError, ...] = ()
    extractions: tuple[Extraction, ...] = ()
    reread: tuple[str, ...] = ()  # inputs read again: their errors before `stale_before` go
    stale_before: datetime | None = None


def _now() -> datetime:
    return datetime.now(UTC).replace(tzinfo=None)


def _values(count: int, width: int) -> str:
    row = "(" + ", ".join("?" * width) + ")"
    return ", ".join([row] * count)


def known_sources(con: duckdb.DuckDBPyConnection, sources: Sequence[str]) -> dict[str, str]:
    """doc_source -> doc_id of the given sources already ingested."""
    if not sources:
        return {}
    rows = con.execute(
        f"SELECT doc_source, doc_id FROM document_sources WHERE doc_source IN "
        f"(SELECT * FROM (VALUES {_values(len(sources), 1)}))", list(sources)
    ).fetchall()
    return dict(rows)


def known_documents(con: duckdb.DuckDBPyConnection, doc_ids: Sequence[str]) -> set[str]:
    """The given doc ids that are already stored."""
    if not doc_ids:
        return set()
    rows = con.execute(
        f"SELECT doc_id FROM documents WHERE doc_id IN "
        f"(SELECT * FROM (VALUES {_values(len(doc_ids), 1)}))", list(doc_ids)
    ).fetchall()
    return {r[0] for r in rows}


def near_candidates(
    con: duckdb.DuckDBPyConnection, signatures: Sequence[BandedSignature]
) -> dict[str, bytes]:
    """Stored documents sharing at least one LSH band with any of `signatures`: doc_id -> the
    stored MinHash values."""
    pairs = [(band, h) for sig in signatures for band, h in enumerate(sig.bands)]
    if not pairs:
        return {}
    rows = con.execute(
        "SELECT DISTINCT m.doc_id, m.signature FROM doc_bands b "
        f"JOIN {unnested(('band', 'band_hash'))} q "
        "ON b.band = q.band AND b.band_hash = q.band_hash "
        "JOIN doc_minhash m ON m.doc_id = b.doc_id",
        [[p[0] for p in pairs], [p[1] for p in pairs]],
    ).fetchall()
    return {doc_id: bytes(values) for doc_id, values in rows}


def _document_row(doc: Document, now: datetime) -> tuple[Any, ...]:
    return (*(getattr(doc, c) for c in DOCUMENT_COLUMNS), False, now)


def _utc(iso: str) -> datetime:
    """An ISO time as naive UTC (the errors table holds TIMESTAMP, UTC by convention)."""
    moment = datetime.fromisoformat(iso)
    return moment.astimezone(UTC).replace(tzinfo=None) if moment.tzinfo else moment


def _drop_stale_errors(con: duckdb.DuckDBPyConnection, batch: DocumentBatch) -> None:
    """Error rows of an input read again (the input itself, its records `PATH:N`/`PATH#ID`, and
    the folders above it, which were readable this time) recorded before this run. Kept: the
    notes on a stored document (the coder failed on it, or coded it in part), which were
    recorded before it was stored, in the same batch, and still hold while it is unchanged."""
    if not batch.reread or batch.stale_before is None:
        return
    above = {str(p) for origin in batch.reread if origin.startswith("/")
             for p in PurePosixPath(origin).parents}
    con.execute(
        "DELETE FROM errors e WHERE e.time < $1 AND (list_contains($2, e.source) OR EXISTS ("
        "SELECT 1 FROM (SELECT unnest($3) AS p) WHERE starts_with(e.source, p || ':') "
        "OR starts_with(e.source, p || '#'))) AND NOT EXISTS (SELECT 1 FROM document_sources s "
        "WHERE s.doc_source = e.source AND e.time <= s.ingested_at)",
        [batch.stale_before, sorted({*batch.reread, *above}), list(batch.reread)],
    )


def _insert_errors(con: duckdb.DuckDBPyConnection, errors: Iterable[InputError]) -> None:
    """An error already recorded for the same source and reason is not recorded again (the
    pair is the table's key)."""
    for err in errors:
        con.execute("INSERT OR IGNORE INTO errors VALUES (?, ?, ?)",
                    [err.source, err.reason, _utc(err.time)])


def _insert_documents(con: duckdb.DuckDBPyConnection, batch: DocumentBatch) -> None:
    now = _now()
    bulk_insert(con, "INSERT OR IGNORE", "documents", (*DOCUMENT_COLUMNS, "coded", "ingested_at"),
          [_document_row(d, now) for d in batch.documents])
    bulk_insert(con, "INSERT OR REPLACE", "document_sources",
                ("doc_source", "doc_id", "ingested_at"),
                [(src, doc_id, now) for src, doc_id in batch.sources])
    bulk_insert(con, "INSERT OR IGNORE", "doc_minhash", ("doc_id", "signature"),
          [(doc_id, sig.values) for doc_id, sig in batch.signatures])
    bulk_insert(con, "INSERT OR IGNORE", "doc_bands", ("band", "band_hash", "doc_id"),
          [(i, h, doc_id) for doc_id, sig in batch.signatures for i, h in enumerate(sig.bands)])
    bulk_insert(con, "INSERT OR IGNORE", "near_duplicates", ("doc_id", "near_doc_id", "similarity"),
          [(n.doc_id, n.near_doc_id, n.similarity) for n in batch.near_duplicates])


def write_batch(con: duckdb.DuckDBPyConnection, batch: DocumentBatch) -> int:
    """Write a batch atomically: documents, sources, MinHash, near-duplicates, errors, the
    coder's extractions and `coded = TRUE` for the documents coded. Returns events written."""
    con.execute("BEGIN TRANSACTION")
    try:
        _drop_stale_errors(con, batch)  # before this batch's sources replace the old ones
        _insert_documents(con, batch)
        _insert_errors(con, batch.errors)
        events = insert_extractions(con, batch.extractions)
        coded = [ex.doc_id for ex in batch.extractions]
        if coded:
            con.execute("UPDATE documents SET coded = TRUE WHERE doc_id IN (SELECT unnest($1))",
                        [coded])
        con.execute("COMMIT")
    except BaseException:
        # a COMMIT that failed (a full disk) has ended the transaction already: the error to
        # report is its own, not "cannot rollback - no transaction is active"
        with suppress(duckdb.Error):
            con.execute("ROLLBACK")
        raise
    return events


def start_run(con: duckdb.DuckDBPyConnection, run_id: str) -> None:
    con.execute("INSERT OR REPLACE INTO ingest_runs VALUES (?, ?, NULL, NULL)",
                [run_id, _now()])


def finish_run(con: duckdb.DuckDBPyConnection, run_id: str, summary: Mapping[str, Any]) -> None:
    con.execute("UPDATE ingest_runs SET finished_at = ?, summary = ? WHERE run_id = ?",
                [_now(), json.dumps(dict(summary)), run_id])


def row_to_document(row: Mapping[str, Any]) -> Document:
    """A Document rebuilt from a row of the documents table."""
    return Document(**{c: row[c] for c in DOCUMENT_COLUMNS})


def query_documents(
    con: duckdb.DuckDBPyConnection, language: str | None = None, coded: bool | None = None
) -> list[dict[str, Any]]:
    """Documents in ingest order, each with the list of every source it was read from."""
    clauses: list[str] = []
    params: list[Any] = []
    if language:
        clauses.append("d.language = ?")
        params.append(language)
    if coded is not None:
        clauses.append("d.coded = ?")
        params.append(coded)
    where = (" WHERE " + " AND ".join(clauses)) if clauses else ""
    sql = (
        f"SELECT {', '.join('d.' + c for c in DOCUMENT_COLUMNS)}, d.coded, d.ingested_at, "
        "(SELECT list(s.doc_source ORDER BY s.doc_source) FROM document_sources s "
        f"WHERE s.doc_id = d.doc_id) AS sources FROM documents d{where} ORDER BY d.rowid"
    )
    return fetch_dicts(con, sql, params)


def query_errors(con: duckdb.DuckDBPyConnection) -> list[dict[str, Any]]:
    """Input errors, oldest first."""
    return fetch_dicts(con, "SELECT source, reason, time FROM errors ORDER BY time, source")


def query_near_duplicates(con: duckdb.DuckDBPyConnection) -> list[dict[str, Any]]:
    return fetch_dicts(con, "SELECT * FROM near_duplicates ORDER BY doc_id, near_doc_id")


def count_rows(con: duckdb.DuckDBPyConnection, table: str) -> int:
    """Rows in one of the ingest tables (the name is checked, not interpolated blindly)."""
    allowed = {"documents", "document_sources", "doc_minhash", "doc_bands", "near_duplicates",
               "errors", "ingest_runs", "events", "quotes", "figures"}
    if table not in allowed:
        raise ValueError(f"not an ingest table: {table}")
    row = con.execute(f"SELECT count(*) FROM {table}").fetchone()
    return int(row[0]) if row else 0
