"""The SQL of `dyadwatch watch` and its alerts (tables of migration 005_watch.sql).

Sources keep their HTTP validators; items are recorded `pending` when fetched and `ingested`
after the run that read them; alerts are stored once under their dedup key, with a delivery
row per channel that says whether it went out.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import Any, TypeVar

import duckdb

from dyadwatch.records import Event
from dyadwatch.store.events import fetch_dicts, row_to_event

T = TypeVar("T")
PENDING = "pending"
INGESTED = "ingested"


@dataclass(frozen=True, slots=True)
class SourceState:
    """What the last poll of a source learned: its kind and its HTTP validators."""

    source: str
    kind: str | None = None
    etag: str | None = None
    last_modified: str | None = None
    status: str | None = None


@dataclass(frozen=True, slots=True)
class WatchItem:
    """One thing to ingest: a feed entry or page (spooled to `path`) or a file of a folder."""

    item_key: str
    source: str
    path: str
    fingerprint: str | None = None


@dataclass(frozen=True, slots=True)
class AlertRow:
    """An alert as stored: `payload` is what every channel receives."""

    alert_id: str
    dedup_key: str
    rule: str
    kind: str
    summary: str
    payload: dict[str, Any]


@dataclass(frozen=True, slots=True)
class Delivery:
    """An alert still to send on one channel."""

    alert_id: str
    channel: str
    attempts: int
    payload: dict[str, Any]


def in_transaction(con: duckdb.DuckDBPyConnection,
                   work: Callable[[duckdb.DuckDBPyConnection], T]) -> T:
    """`work(con)` in one transaction: all of it is written, or none (a session's detach
    rolls back what an exception left open; a killed process never commits it)."""
    con.execute("BEGIN TRANSACTION")
    result = work(con)
    con.execute("COMMIT")
    return result


def source_state(con: duckdb.DuckDBPyConnection, source: str) -> SourceState | None:
    row = con.execute("SELECT kind, etag, last_modified, status FROM watch_sources "
                      "WHERE source = ?", [source]).fetchone()
    return None if row is None else SourceState(source, *row)


def save_source(con: duckdb.DuckDBPyConnection, state: SourceState) -> None:
    con.execute("INSERT OR REPLACE INTO watch_sources VALUES (?, ?, ?, ?, ?, now())",
                [state.source, state.kind, state.etag, state.last_modified, state.status])


def known_keys(con: duckdb.DuckDBPyConnection, keys: Sequence[str]) -> set[str]:
    """The item keys among `keys` already recorded (pending or ingested)."""
    if not keys:
        return set()
    rows = con.execute("SELECT item_key FROM watch_items WHERE list_contains(?, item_key)",
                       [list(keys)]).fetchall()
    return {r[0] for r in rows}


def fingerprints(con: duckdb.DuckDBPyConnection, source: str) -> dict[str, str | None]:
    """Item key -> fingerprint of every item recorded for `source` (a folder's files)."""
    rows = con.execute("SELECT item_key, fingerprint FROM watch_items WHERE source = ?",
                       [source]).fetchall()
    return {key: fp for key, fp in rows}


def add_items(con: duckdb.DuckDBPyConnection, items: Iterable[WatchItem]) -> int:
    """Record items as pending (a changed file replaces its row); the number recorded."""
    rows = [(i.item_key, i.source, i.fingerprint, i.path, PENDING) for i in items]
    if rows:
        con.executemany("INSERT OR REPLACE INTO watch_items VALUES (?, ?, ?, ?, ?, now(), NULL)",
                        rows)
    return len(rows)


def pending_items(con: duckdb.DuckDBPyConnection) -> list[WatchItem]:
    rows = con.execute("SELECT item_key, source, path, fingerprint FROM watch_items "
                       "WHERE state = ? ORDER BY seen_at, item_key", [PENDING]).fetchall()
    return [WatchItem(*row) for row in rows]


def mark_ingested(con: duckdb.DuckDBPyConnection, keys: Sequence[str]) -> None:
    if keys:
        con.execute("UPDATE watch_items SET state = ?, ingested_at = now() "
                    "WHERE list_contains(?, item_key)", [INGESTED, list(keys)])


def count_items(con: duckdb.DuckDBPyConnection) -> dict[str, int]:
    rows = con.execute("SELECT state, count(*) FROM watch_items GROUP BY state").fetchall()
    return {state: n for state, n in rows}


def unchecked_doc_ids(con: duckdb.DuckDBPyConnection) -> list[str]:
    """Coded documents the alert rules have not yet read."""
    rows = con.execute("SELECT doc_id FROM documents WHERE coded AND doc_id NOT IN "
                       "(SELECT doc_id FROM alert_checked_docs) ORDER BY ingested_at, doc_id"
                       ).fetchall()
    return [r[0] for r in rows]


def mark_checked(con: duckdb.DuckDBPyConnection, doc_ids: Sequence[str]) -> None:
    if doc_ids:
        con.executemany("INSERT OR IGNORE INTO alert_checked_docs VALUES (?, now())",
                        [(d,) for d in doc_ids])


def events_of(con: duckdb.DuckDBPyConnection, doc_ids: Sequence[str]) -> list[Event]:
    """The events of the given documents, in document and sentence order."""
    if not doc_ids:
        return []
    rows = fetch_dicts(con, "SELECT * FROM events WHERE list_contains(?, doc_id) "
                            "ORDER BY doc_id, sentence_index, event_id", [list(doc_ids)])
    return [row_to_event(r) for r in rows]


def events_by_id(con: duckdb.DuckDBPyConnection, event_ids: Sequence[str]) -> list[Event]:
    if not event_ids:
        return []
    rows = fetch_dicts(con, "SELECT * FROM events WHERE list_contains(?, event_id) "
                            "ORDER BY date_start NULLS LAST, doc_id, sentence_index",
                       [list(event_ids)])
    return [row_to_event(r) for r in rows]


def document_links(con: duckdb.DuckDBPyConnection,
                   doc_ids: Sequence[str]) -> dict[str, tuple[str | None, str | None]]:
    """doc_id -> (url, title) of the given documents."""
    if not doc_ids:
        return {}
    rows = con.execute("SELECT doc_id, url, title FROM documents WHERE list_contains(?, doc_id)",
                       [list(doc_ids)]).fetchall()
    return {d: (u, t) for d, u, t in rows}


def rule_seen(con: duckdb.DuckDBPyConnection, rule: str) -> set[str] | None:
    """The signal keys a series rule has seen; None before its first check."""
    row = con.execute("SELECT seen FROM alert_rule_state WHERE rule = ?", [rule]).fetchone()
    return None if row is None else set(json.loads(row[0]))


def save_rule_seen(con: duckdb.DuckDBPyConnection, rule: str, seen: Iterable[str]) -> None:
    con.execute("INSERT OR REPLACE INTO alert_rule_state VALUES (?, ?, now())",
                [rule, json.dumps(sorted(seen))])


def insert_alert(con: duckdb.DuckDBPyConnection, alert: AlertRow,
                 channels: Sequence[str]) -> bool:
    """Store `alert` with a pending delivery per channel, unless its dedup key is stored."""
    known = con.execute("SELECT 1 FROM alerts WHERE dedup_key = ?",
                        [alert.dedup_key]).fetchone()
    if known:
        return False
    con.execute("INSERT INTO alerts VALUES (?, ?, ?, ?, ?, ?, now())",
                [alert.alert_id, alert.dedup_key, alert.rule, alert.kind, alert.summary,
                 json.dumps(alert.payload, ensure_ascii=False)])
    if channels:
        con.executemany("INSERT INTO alert_deliveries VALUES (?, ?, 0, NULL, NULL)",
                        [(alert.alert_id, channel) for channel in channels])
    return True


def pending_deliveries(con: duckdb.DuckDBPyConnection, max_attempts: int) -> list[Delivery]:
    rows = con.execute(
        "SELECT d.alert_id, d.channel, d.attempts, a.payload FROM alert_deliveries d "
        "JOIN alerts a USING (alert_id) WHERE d.delivered_at IS NULL AND d.attempts < ? "
        "ORDER BY a.created_at, d.alert_id, d.channel", [max_attempts]).fetchall()
    return [Delivery(a, c, n, json.loads(p)) for a, c, n, p in rows]


def record_delivery(con: duckdb.DuckDBPyConnection, alert_id: str, channel: str,
                    error: str | None) -> None:
    """One attempt: delivered when `error` is None, else the error kept for the next try."""
    delivered = "now()" if error is None else "NULL"
    con.execute(
        "UPDATE alert_deliveries SET attempts = attempts + 1, last_error = ?, "
        f"delivered_at = {delivered} WHERE alert_id = ? AND channel = ?",
        [error, alert_id, channel])


def query_alerts(con: duckdb.DuckDBPyConnection, rule: str | None = None,
                 since: str | None = None) -> list[dict[str, Any]]:
    """Stored alerts, oldest first, with where each was delivered."""
    clauses, params = [], []
    if rule:
        clauses.append("a.rule = ?")
        params.append(rule)
    if since:
        clauses.append("a.created_at >= CAST(? AS TIMESTAMP)")
        params.append(since)
    where = (" WHERE " + " AND ".join(clauses)) if clauses else ""
    rows = fetch_dicts(
        con, "SELECT a.alert_id, a.created_at, a.rule, a.kind, a.summary, a.payload, "
             "list(d.channel ORDER BY d.channel) FILTER (WHERE d.delivered_at IS NOT NULL) "
             "AS delivered FROM alerts a LEFT JOIN alert_deliveries d USING (alert_id)"
             f"{where} GROUP BY ALL ORDER BY a.created_at, a.alert_id", params)
    for row in rows:
        row["payload"] = json.loads(row["payload"])
        row["delivered"] = row["delivered"] or []
    return rows
