"""Coding on a local Dask cluster (2 worker processes on 127.0.0.1): shards written as Parquet,
compacted into the workspace, the same events as the single-process run."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from distributed import Client, LocalCluster

from dyadwatch.records import Document
from dyadwatch.run import ingest_on_cluster, ingest_with_workers
from dyadwatch.run.code_stage import code_batch
from dyadwatch.run.pipeline import code_on_dask
from dyadwatch.settings import Settings
from dyadwatch.store.events import insert_extractions
from dyadwatch.store.parquet import compact, shard_files
from dyadwatch.store.workspace import Workspace, open_workspace
from test_scale_ingest import snapshot
from test_scale_support import FAIL_MARKER, NAME_CODER, NameCoder, chunks, stored_documents


@pytest.fixture(scope="module")
def client() -> Iterator[Client]:
    with LocalCluster(n_workers=2, threads_per_worker=1, processes=True, host="127.0.0.1",
                      dashboard_address=None) as cluster, Client(cluster) as dask_client:
        yield dask_client


def event_ids(workspace: Workspace) -> list[str]:
    with workspace.connect(read_only=True) as con:
        return [r[0] for r in con.execute("SELECT event_id FROM events ORDER BY 1").fetchall()]


def test_dask_run_on_the_seeds_equals_the_single_process_run(
    client: Client, seeds_dir: Path, guardian_path: Path, tmp_path: Path
) -> None:
    stored = stored_documents([seeds_dir, guardian_path], tmp_path / "dask")
    seeds = [d for d in stored if d.doc_source.startswith(str(seeds_dir))]
    assert len(seeds) == 4
    docs = seeds + [d for d in stored if d not in seeds][:20]
    batches = chunks(docs, 3)
    workspace = Workspace(tmp_path / "dask")
    results = list(code_on_dask(batches, Settings(), client, workspace.parquet_dir,
                                coder_path=NAME_CODER))
    assert [r.index for r in results] == list(range(len(batches)))
    assert sum(len(r.doc_ids) for r in results) == len(docs)
    assert shard_files(workspace.parquet_dir)["events"]  # workers wrote Parquet
    report = compact(workspace)
    assert report.imported.rows["events"] == sum(r.events for r in results) > 0

    single = open_workspace(tmp_path / "single")
    coder = NameCoder(Settings())
    with single.connect() as con:
        for i, batch in enumerate(batches):
            insert_extractions(con, [ex for _, ex in code_batch(coder, batch, i).pairs])
    assert event_ids(workspace) == event_ids(single)
    with workspace.connect(read_only=True) as con:
        coded = con.execute("SELECT count(*) FROM documents WHERE coded").fetchone()
    assert coded == (len(docs),)
    seed_ids = {d.doc_id for d in seeds}
    with workspace.connect(read_only=True) as con:
        seed_events = [r for r in con.execute("SELECT doc_id FROM events").fetchall()
                       if r[0] in seed_ids]
    assert seed_events  # the seeds themselves produced events
    month_files = list(workspace.parquet_dir.glob("events/month=*/*.parquet"))
    assert month_files and all(p.name.startswith("compact-") for p in month_files)


def test_a_failing_document_on_a_worker_is_reported(client: Client, tmp_path: Path) -> None:
    text = f"Cambodia and Thailand talked. {FAIL_MARKER}"
    bad = Document(doc_id=Document.id_for(text), doc_source="/invented/bad.txt", text=text,
                   title=None, published="2025-01-02", published_precision="day", language="en")
    good_text = "Japan and Vietnam agreed to hold talks."
    good = Document(doc_id=Document.id_for(good_text), doc_source="/invented/good.txt",
                    text=good_text, title=None, published="2025-01-02",
                    published_precision="day", language="en")
    [result] = list(code_on_dask([[bad, good]], Settings(), client, tmp_path / "parquet",
                                 coder_path=NAME_CODER))
    assert result.doc_ids == (good.doc_id,) and result.events == 1
    assert [e.source for e in result.errors] == ["/invented/bad.txt"]


def test_ingest_on_the_cluster_stores_what_worker_processes_store(
    client: Client, seeds_dir: Path, guardian_path: Path, tmp_path: Path
) -> None:
    sample = tmp_path / "guardian-sample.jsonl"
    lines = guardian_path.read_text(encoding="utf-8").splitlines()[:16]
    sample.write_text("\n".join(lines) + "\n", encoding="utf-8")
    french = tmp_path / "fr.txt"  # workers identify the language: stored, not coded
    french.write_text("Le Cambodge et le Japon ont signé hier un accord commercial, et les deux "
                      "gouvernements ont promis de renforcer leur coopération.", encoding="utf-8")
    corpus = [seeds_dir, sample, french]
    on_dask = ingest_on_cluster(corpus, Settings(data_dir=tmp_path / "dask", batch_size=5),
                                client, coder_path=NAME_CODER)
    local = ingest_with_workers(corpus, Settings(data_dir=tmp_path / "local", batch_size=5), 1,
                                coder_path=NAME_CODER)
    assert on_dask.coded == local.coded == 20 and on_dask.events == local.events > 0
    assert on_dask.non_english == local.non_english == 1
    assert snapshot(tmp_path / "dask") == snapshot(tmp_path / "local")
    assert not any(shard_files(tmp_path / "dask" / "parquet").values())


@pytest.mark.slow
def test_dask_spacy_coding_of_the_seeds_equals_the_single_process_run(
    client: Client, seeds_dir: Path, tmp_path: Path
) -> None:
    from dyadwatch.coding.coder import load_default_coder

    docs = stored_documents([seeds_dir], tmp_path / "dask")
    batches = chunks(docs, 1)
    workspace = Workspace(tmp_path / "dask")
    results = list(code_on_dask(batches, Settings(), client, workspace.parquet_dir))
    compact(workspace)
    single = open_workspace(tmp_path / "single")
    coder = load_default_coder(Settings())
    with single.connect() as con:
        for i, batch in enumerate(batches):
            insert_extractions(con, [ex for _, ex in code_batch(coder, batch, i).pairs])
    assert sum(r.events for r in results) == len(event_ids(single)) > 10
    assert event_ids(workspace) == event_ids(single)
