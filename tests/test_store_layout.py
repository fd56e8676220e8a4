"""The sorted layout of the events table: same rows, dyad-then-date order, key still enforced."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import duckdb
import pytest

from dyadwatch.records import Actor, Extraction
from dyadwatch.store.events import EventFilter, insert_extractions, query_events
from dyadwatch.store.layout import sort_events
from dyadwatch.store.workspace import open_workspace
from test_parquet import KH, US, make_doc, make_event

CN = Actor("CHNGOV", "CHN", "GOV", "Beijing", "China")


def test_sort_keeps_every_row_and_orders_by_dyad_then_date(workspace_dir: Path) -> None:
    ws = open_workspace(workspace_dir)
    events = []
    for n, (source, target) in enumerate([(US, KH), (CN, KH), (KH, US), (US, CN)] * 3):
        doc = make_doc(n)
        event = replace(make_event(doc, n, f"2025-0{9 - n % 9}-01"), source=source,
                        target=target, event_id=f"ev{n:02d}")
        events.append(Extraction(doc.doc_id, (event,)))
    with ws.connect() as con:
        insert_extractions(con, events)
        before = sorted(con.execute("SELECT * FROM events").fetchall())
        assert sort_events(con) == 12
        rows = con.execute("SELECT source_code, target_code, date_start, event_id FROM events "
                           "ORDER BY rowid").fetchall()
        assert rows == sorted(rows)
        assert sorted(con.execute("SELECT * FROM events").fetchall()) == before
        with pytest.raises(duckdb.ConstraintException):
            con.execute("INSERT INTO events SELECT * FROM events LIMIT 1")
        dyad = query_events(con, EventFilter(dyad=("USA", "KHM")))
    assert len(dyad) == 6 and [e.date for e in dyad] == sorted(e.date for e in dyad)
