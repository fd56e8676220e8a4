"""The physical layout of the events table: rows sorted by dyad, then date.

DuckDB keeps min/max statistics per row group (zone maps) and skips row groups a filter cannot
match. Ingest appends events in document order, so one dyad's events are spread over every row
group and a dyad query reads the whole table. Sorted by (source_code, target_code, date_start)
a dyad's events sit in a few row groups, and `starts_with(source_code, 'USA')` style filters
(`store.events.EventFilter`) skip the rest. Measured on 10M synthetic events on a loaded
2-core machine (bench/query_latency.py): a dyad's first page of events 1.4-2.0 s -> 70-110 ms,
its monthly series 290-375 ms -> 22-25 ms.

The table is rebuilt (create a sorted copy with the same DDL, drop, rename) in one transaction,
which is much faster than deleting and re-inserting under the primary-key index. Events
appended later land unsorted at the end; sorting again (e.g. `dyadwatch compact --sort`)
restores the layout.
"""

from __future__ import annotations

import logging
import time

import duckdb

from dyadwatch.errors import WorkspaceError

log = logging.getLogger(__name__)

SORT_KEY = "source_code, target_code, date_start, event_id"


def sort_events(con: duckdb.DuckDBPyConnection) -> int:
    """Rewrite the events table sorted by dyad then date; returns the rows it holds."""
    row = con.execute(
        "SELECT sql FROM duckdb_tables() WHERE table_name = 'events' AND schema_name = 'main'"
    ).fetchone()
    if row is None or not str(row[0]).startswith("CREATE TABLE events"):
        raise WorkspaceError("the workspace has no events table to sort")
    ddl = str(row[0]).replace("CREATE TABLE events", "CREATE TABLE events_sorted", 1)
    started = time.perf_counter()
    con.execute("BEGIN TRANSACTION")
    try:
        con.execute("DROP TABLE IF EXISTS events_sorted")
        con.execute(ddl)
        con.execute(f"INSERT INTO events_sorted SELECT * FROM events ORDER BY {SORT_KEY}")
        con.execute("DROP TABLE events")
        con.execute("ALTER TABLE events_sorted RENAME TO events")
        con.execute("COMMIT")
    except BaseException:
        con.execute("ROLLBACK")
        raise
    count = con.execute("SELECT count(*) FROM events").fetchone()
    rows = int(count[0]) if count else 0
    log.info("sorted %d events in %.1fs", rows, time.perf_counter() - started)
    return rows

