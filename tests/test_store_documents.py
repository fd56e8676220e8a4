"""store/documents.py on real DuckDB files."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import duckdb
import pytest

from dyadwatch.ingest.dedup import signature_of
from dyadwatch.ingest.rules import load_ingest_rules
from dyadwatch.records import Document, InputError
from dyadwatch.store import documents as store
from dyadwatch.store.workspace import open_workspace

TEXT = ("The Cambodian and Vietnamese governments agreed on Tuesday to reopen two border "
        "crossings that had been closed since the spring, officials in both capitals said.")


def _doc(text: str, source: str) -> Document:
    return Document(doc_id=Document.id_for(text), doc_source=source, text=text, title="T",
                    published="2025-05-06", published_precision="day", language="en")


@pytest.fixture()
def ws(workspace_dir: Path):
    return open_workspace(workspace_dir)


def test_write_batch_stores_everything_and_lookups_find_it(ws) -> None:
    rules = load_ingest_rules().minhash
    doc = _doc(TEXT, "/x/a.txt")
    sig = signature_of(TEXT, rules)
    err = InputError("/x/b.txt", "/x/b.txt: empty file", "2026-01-01T00:00:00+00:00")
    batch = store.DocumentBatch(documents=(doc,), sources=(("/x/a.txt", doc.doc_id),
                                                           ("/y/a.txt", doc.doc_id)),
                                signatures=((doc.doc_id, sig),), errors=(err, err))
    with ws.connect() as con:
        store.write_batch(con, batch)
    with ws.connect(read_only=True) as con:
        assert store.known_sources(con, ["/x/a.txt", "/z.txt"]) == {"/x/a.txt": doc.doc_id}
        assert store.known_documents(con, [doc.doc_id, "nope"]) == {doc.doc_id}
        [row] = store.query_documents(con)
        assert row["sources"] == ["/x/a.txt", "/y/a.txt"] and row["coded"] is False
        assert store.row_to_document(row) == doc
        assert store.count_rows(con, "doc_bands") == rules.bands
        assert [e["reason"] for e in store.query_errors(con)] == [err.reason]
        near = store.near_candidates(con, [signature_of(TEXT + " Really.", rules)])
        assert list(near) == [doc.doc_id]
        assert store.near_candidates(con, [signature_of("unrelated words here", rules)]) == {}


def test_a_failing_batch_leaves_nothing(ws) -> None:
    good = _doc(TEXT, "/x/a.txt")
    broken = replace(_doc(TEXT + " More.", "/x/c.txt"), text=None)  # NOT NULL violation
    batch = store.DocumentBatch(documents=(good, broken),
                                sources=(("/x/a.txt", good.doc_id),))
    with ws.connect() as con, pytest.raises(duckdb.Error):
        store.write_batch(con, batch)
    with ws.connect(read_only=True) as con:
        assert store.count_rows(con, "documents") == 0
        assert store.count_rows(con, "document_sources") == 0


def test_count_rows_refuses_other_tables(ws) -> None:
    with ws.connect() as con, pytest.raises(ValueError):
        store.count_rows(con, "documents; DROP TABLE documents")


def test_runs_are_recorded(ws) -> None:
    with ws.connect() as con:
        store.start_run(con, "r1")
        store.finish_run(con, "r1", {"new": 3})
        row = con.execute("SELECT finished_at IS NOT NULL, summary->>'new' FROM ingest_runs"
                          ).fetchone()
    assert row == (True, "3")


def test_error_times_are_stored_in_utc(ws) -> None:
    err = InputError("/x/b.txt", "/x/b.txt: empty file", "2026-01-01T09:30:00+07:00")
    with ws.connect() as con:
        store.write_batch(con, store.DocumentBatch(errors=(err,)))
        [row] = store.query_errors(con)
    assert row["time"].isoformat() == "2026-01-01T02:30:00"
