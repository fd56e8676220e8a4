"""Parquet partitions: the month export of DuckDB's events, shards, their import and compaction."""

from __future__ import annotations

from pathlib import Path

import duckdb
import pyarrow.parquet as pq

from dyadwatch.records import Actor, Document, Event, Extraction, Figure, LearnedActor, Quote
from dyadwatch.store import parquet
from dyadwatch.store.documents import DocumentBatch, write_batch
from dyadwatch.store.events import insert_extractions
from dyadwatch.store.workspace import open_workspace

US = Actor("USAGOV", "USA", "GOV", "Washington", "United States")
KH = Actor("KHMGOV", "KHM", "GOV", "Phnom Penh", "Cambodia")


def make_doc(n: int) -> Document:
    text = f"Invented article number {n}: the two governments held talks about port visits."
    return Document(
        doc_id=Document.id_for(text), doc_source=f"/tmp/invented-{n}.txt", text=text,
        title=f"Invented {n}", published="2025-03-02", published_precision="day", language="en",
    )


def make_event(doc: Document, index: int, date: str | None, cameo: str = "040") -> Event:
    return Event(
        event_id=Event.id_for(doc.doc_id, index, US.code, KH.code, cameo), doc_id=doc.doc_id,
        doc_source=doc.doc_source, sentence_index=index,
        sentence=f"Officials met in an invented sentence {index}.", date=date, date_end=None,
        date_precision="day" if date else "unknown", source=US, target=KH, cameo=cameo,
        root=cameo[:2], quad_class=1, goldstein=1.0, plover="CONSULT", modality="occurred",
        negated=False, confidence=0.8, coder_version="test/1", dictionary_version="test/1",
    )


def make_extraction(doc: Document, dates: list[str | None]) -> Extraction:
    events = tuple(make_event(doc, i, d) for i, d in enumerate(dates))
    quote = Quote(f"q{doc.doc_id[:6]}", doc.doc_id, doc.doc_source, 0, "We will talk", "a minister",
                  start=1, end=13)
    figure = Figure(f"f{doc.doc_id[:6]}", doc.doc_id, doc.doc_source, 0, 3.0, "count",
                    "three ships", "ships")
    person = LearnedActor(f"Invented Person {doc.doc_id[:4]}", "KHMGOV", "KHM", "GOV",
                          doc.doc_id, "Cambodian minister Invented Person")
    return Extraction(doc.doc_id, events, (quote,), (figure,), (person,))


def test_export_writes_one_file_per_month_and_reads_back(workspace_dir: Path) -> None:
    ws = open_workspace(workspace_dir)
    doc = make_doc(1)
    with ws.connect() as con:
        insert_extractions(con, [make_extraction(doc, ["2025-03-02", "2025-03", "2024-12-31",
                                                        None])])
        report = parquet.write_event_partitions(con, ws.parquet_dir)
    assert report.written == ("2024-12", "2025-03", "undated")
    months = sorted(p.name for p in (ws.parquet_dir / "events").iterdir())
    assert months == ["month=2024-12", "month=2025-03", "month=undated"]
    pattern = str(ws.parquet_dir / "events" / "*" / "*.parquet")
    rows = duckdb.sql(
        f"SELECT month, count(*) FROM read_parquet('{pattern}', hive_partitioning=true) "
        "GROUP BY month ORDER BY month"
    ).fetchall()
    assert rows == [("2024-12", 1), ("2025-03", 2), ("undated", 1)]


def test_export_is_idempotent_and_rewrites_only_changed_months(workspace_dir: Path) -> None:
    ws = open_workspace(workspace_dir)
    first, second = make_doc(1), make_doc(2)
    with ws.connect() as con:
        insert_extractions(con, [make_extraction(first, ["2025-03-02", "2024-12-31"])])
        parquet.write_event_partitions(con, ws.parquet_dir)
        again = parquet.write_event_partitions(con, ws.parquet_dir)
        assert again.written == () and again.unchanged == ("2024-12", "2025-03")
        insert_extractions(con, [make_extraction(second, ["2025-03-09"])])
        changed = parquet.write_event_partitions(con, ws.parquet_dir)
        assert changed.written == ("2025-03",) and changed.unchanged == ("2024-12",)
        # a content change without a new id (cluster ids are written later) also counts
        con.execute("UPDATE events SET cluster_id = 'c1' WHERE date_start = DATE '2024-12-31'")
        relabelled = parquet.write_event_partitions(con, ws.parquet_dir)
        assert relabelled.written == ("2024-12",)
        con.execute("DELETE FROM events WHERE date_start < DATE '2025-01-01'")
        shrunk = parquet.write_event_partitions(con, ws.parquet_dir)
    assert shrunk.removed == ("2024-12",)
    march = list((ws.parquet_dir / "events" / "month=2025-03").glob("*.parquet"))
    assert len(march) == 1 and pq.read_table(march[0]).num_rows == 2
    assert not list((ws.parquet_dir / "events" / "month=2024-12").glob("*.parquet"))


def test_shard_import_loads_every_table_once_and_removes_files(workspace_dir: Path) -> None:
    ws = open_workspace(workspace_dir)
    docs = [make_doc(1), make_doc(2)]
    pairs = [(docs[0], make_extraction(docs[0], ["2025-03-02", None])),
             (docs[1], make_extraction(docs[1], ["2025-04-10"]))]
    written = parquet.write_shard(ws.parquet_dir, pairs)
    assert len(written) == 3 + 4  # three event months, four side tables
    assert parquet.write_shard(ws.parquet_dir, pairs) == written  # same shard, same files
    with ws.connect() as con:
        report = parquet.import_shards(con, ws.parquet_dir)
        assert report.rows == {"events": 3, "documents": 2, "quotes": 2, "figures": 2,
                               "learned_actors": 2}
        assert con.execute("SELECT count(*) FROM documents WHERE coded").fetchone() == (2,)
        assert con.execute("SELECT count(*) FROM document_sources").fetchone() == (2,)
        stored = {r[0] for r in con.execute("SELECT event_id FROM events").fetchall()}
    assert stored == {e.event_id for _, ex in pairs for e in ex.events}
    assert all(not files for files in parquet.shard_files(ws.parquet_dir).values())
    parquet.write_shard(ws.parquet_dir, pairs)
    with ws.connect() as con:
        assert parquet.import_shards(con, ws.parquet_dir).rows["events"] == 0


def test_shard_rows_equal_duckdb_rows(workspace_dir: Path) -> None:
    """A shard imported and a direct insert give the same event rows, column for column."""
    doc = make_doc(3)
    pairs = [(doc, make_extraction(doc, ["2025-03-02", "2025", None]))]
    direct, sharded = open_workspace(workspace_dir / "a"), open_workspace(workspace_dir / "b")
    with direct.connect() as con:
        insert_extractions(con, [pairs[0][1]])
        want = con.execute("SELECT * FROM events ORDER BY event_id").fetchall()
    parquet.write_shard(sharded.parquet_dir, pairs)
    with sharded.connect() as con:
        parquet.import_shards(con, sharded.parquet_dir)
        got = con.execute("SELECT * FROM events ORDER BY event_id").fetchall()
    assert got == want


def test_compact_merges_shards_into_one_file_per_month(workspace_dir: Path) -> None:
    ws = open_workspace(workspace_dir)
    docs = [make_doc(n) for n in range(4)]
    with ws.connect() as con:  # one document stored the ordinary way first
        write_batch(con, DocumentBatch(documents=(docs[0],), sources=((docs[0].doc_source,
                    docs[0].doc_id),), extractions=(make_extraction(docs[0], ["2025-03-01"]),)))
    for doc in docs[1:]:
        parquet.write_shard(ws.parquet_dir, [(doc, make_extraction(doc, ["2025-03-05"]))])
    assert len(list((ws.parquet_dir / "events" / "month=2025-03").iterdir())) == 3
    with ws.connect() as con:
        assert parquet.create_parquet_view(con, ws.parquet_dir)
        assert con.execute("SELECT count(*) FROM parquet_events").fetchone() == (3,)
    report = parquet.compact(ws)
    assert report.imported.files == 3 * 5 and report.partitions.written == ("2025-03",)
    files = list((ws.parquet_dir / "events" / "month=2025-03").iterdir())
    assert len(files) == 1 and files[0].name.startswith(parquet.EXPORT_PREFIX)
    assert pq.read_table(files[0]).num_rows == 4
    with ws.connect() as con:
        assert con.execute("SELECT count(*) FROM events").fetchone() == (4,)
        assert parquet.create_parquet_view(con, ws.parquet_dir)
        assert con.execute("SELECT count(*) FROM parquet_events").fetchone() == (4,)
    assert parquet.compact(ws).partitions.written == ()


def test_month_of_every_precision() -> None:
    assert parquet.month_of("2025-03-02") == "2025-03"
    assert parquet.month_of("2025-03") == "2025-03"
    assert parquet.month_of("2025") == "2025-01"
    assert parquet.month_of(None) == parquet.UNDATED


def test_shards_from_before_locations_import_and_new_ones_keep_them(workspace_dir: Path) -> None:
    """#15: shards written before migration 006 have no location_* columns; they still import
    (location NULL), and a located event's shard row round-trips its location."""
    import dataclasses

    import pyarrow as pa

    from dyadwatch.records import Location
    from dyadwatch.store.events import query_events

    ws = open_workspace(workspace_dir)
    doc = make_doc(7)
    extraction = make_extraction(doc, ["2025-05-01", "2025-05-02"])
    here = Location(name="Kuala Lumpur", country="MYS", adm1="MY.14", lat=3.14, lon=101.69,
                    feature_id="geonames:1735161", precision="city")
    located = dataclasses.replace(extraction.events[0], location=here)
    extraction = dataclasses.replace(extraction, events=(located, extraction.events[1]))
    written = parquet.write_shard(ws.parquet_dir, [(doc, extraction)])
    old = next(p for p in written if "events" in str(p))
    table = pq.read_table(old)
    keep = [n for n in table.column_names if not n.startswith("location_")]
    pq.write_table(pa.Table.from_pylist(table.select(keep).to_pylist()), old)
    with ws.connect() as con:
        assert parquet.import_shards(con, ws.parquet_dir).rows["events"] == 2
        assert all(e.location is None for e in query_events(con))
    fresh = open_workspace(workspace_dir.parent / "fresh")
    parquet.write_shard(fresh.parquet_dir, [(doc, extraction)])
    with fresh.connect() as con:
        parquet.import_shards(con, fresh.parquet_dir)
        found = {e.event_id: e.location for e in query_events(con)}
    assert found[located.event_id] == here and list(found.values()).count(None) == 1
