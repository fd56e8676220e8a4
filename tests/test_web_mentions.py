"""Mentions are not events: a document that reports one event twice has two mentions and one
event, in the store, the REST API and the dashboard (real DuckDB workspace, FastAPI
TestClient; the workspace of test_web_api with one mention added, our own sentence)."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

from fastapi.testclient import TestClient

from dyadwatch.records import Extraction
from dyadwatch.store import web as store
from dyadwatch.store.events import EventFilter, insert_extractions, query_events
from dyadwatch.store.workspace import Workspace
from dyadwatch.web import WebConfig, create_app
from test_web_api import LOOPBACK, fill_workspace


def test_a_document_with_one_event_told_twice(workspace_dir: Path) -> None:
    sample = fill_workspace(workspace_dir)
    with Workspace(workspace_dir).connect() as con:
        embargo = next(e for e in query_events(con) if e.event_id == sample.embargo_a)
        again = replace(embargo, event_id="again-" + embargo.event_id, sentence_index=4,
                        sentence="Washington said the ban on arms sales was over.")
        insert_extractions(con, [Extraction(sample.doc_a, events=(again,))])
        con.execute("UPDATE events SET cluster_id = ? WHERE event_id = ?",
                    [embargo.cluster_id, again.event_id])
        flt = EventFilter(doc_id=sample.doc_a)
        assert store.count_mentions(con, flt) == 3
        assert store.count_distinct_events(con, flt) == 2

    client = TestClient(create_app(WebConfig(data_dir=workspace_dir)), base_url=LOOPBACK)
    doc = client.get(f"/api/documents/{sample.doc_a}").json()
    assert (doc["events"], doc["mentions"]) == (2, 3)
    assert client.get("/api/events", params={"actor": "USA"}).json()["total"] == 5
    page = client.get("/actor/USA").text
    assert "Mentions (5)" in page and "Events (5)" not in page
    assert "Mentions (3)" in client.get(f"/document/{sample.doc_a}").text
