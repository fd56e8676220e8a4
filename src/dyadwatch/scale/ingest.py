"""The ingest pipeline with its coding step spread over processes or a Dask cluster.

The steps are those of `dyadwatch.ingest.pipeline` (read, clean, look up, build documents,
code, write); step 5 moves out of the parent, and with worker processes step 4's language and
MinHash too:

- `ingest_with_workers(paths, settings, workers)`: the parent reads, cleans and looks up in a
  stream and hands batches to `code_in_processes`, whose workers finish the documents
  (`ingest.finish.Finisher`) and code them in tasks of `settings.code_chunk` documents; the
  parent alone writes, one transaction per batch, in input order. Memory stays flat (at most
  2 x workers tasks in flight beyond the batch being filled).
- `ingest_on_cluster(paths, settings, scheduler)`: batches go to Dask workers, which write
  Parquet shards; the parent records each batch's documents once its shard is written, then
  `compact` loads the shards into DuckDB.

Both end by exporting the events to `parquet/events/month=*/` (only changed months).
A batch's documents are written only after it is coded, so a run killed midway leaves no
document marked as seen but never coded; the next run resumes after the last written batch.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Callable, Iterator, Sequence
from dataclasses import replace
from pathlib import Path
from typing import IO, TYPE_CHECKING

import duckdb

from dyadwatch.analysis import assign_clusters
from dyadwatch.ingest import pipeline
from dyadwatch.ingest.finish import Finisher
from dyadwatch.records import Document
from dyadwatch.scale.parallel import DEFAULT_CODER, CodedBatch, code_in_processes
from dyadwatch.settings import Settings
from dyadwatch.store.parquet import compact, write_event_partitions
from dyadwatch.store.workspace import Workspace

if TYPE_CHECKING:  # distributed is imported only by a cluster run: worker processes
    # re-import the parent's main module, and this module should stay light for them
    from distributed import Client

    from dyadwatch.scale.cluster import ShardResult

Progress = pipeline.Progress


def _prepared(
    paths: Sequence[str | Path], settings: Settings, run: pipeline.Run,
    stdin: IO[bytes] | None, pending: deque[pipeline.Batch],
) -> Iterator[list[Document]]:
    """Steps 1-4 per batch, leaving language and MinHash to the workers; each batch is
    queued in `pending`, its documents that may be in English yielded."""
    for chunk in pipeline.read_batches(paths, run.options, stdin, settings.batch_size):
        batch = pipeline.prepare(chunk, run.session, run.ctx, finish_here=False)
        pending.append(batch)
        yield [d for d in batch.docs if d.codable]


def _apply(batch: pipeline.Batch, coded: CodedBatch) -> None:
    """Steps 4 (finished by the workers) and 5, recorded as the in-process pipeline records
    them, plus worker errors."""
    pipeline.record_finished(batch, coded.finished)
    pipeline.record_coded(batch, coded.pairs)
    batch.errors.extend(coded.errors)


def _apply_shard(batch: pipeline.Batch, shard: ShardResult) -> None:
    """A shard's extractions are in Parquet; the parent records the documents the worker
    finished, counts and errors, and writes the documents (compact marks them coded)."""
    docs = {doc.doc_id: doc for doc in batch.docs}
    pipeline.record_finished(batch, [(replace(docs[doc_id], language=language), signature)
                                     for doc_id, language, signature in shard.finished])
    batch.count("coded", len(shard.doc_ids))
    batch.count("events", shard.events)
    batch.errors.extend(shard.errors)


def _settle_into(parquet_dir: Path) -> Callable[[duckdb.DuckDBPyConnection], None]:
    return lambda con: settle(con, parquet_dir)


def ingest_with_workers(
    paths: Sequence[str | Path],
    settings: Settings,
    workers: int | None = None,
    progress: Progress | None = None,
    options: pipeline.IngestOptions | None = None,
    stdin: IO[bytes] | None = None,
    coder_path: str = DEFAULT_CODER,
) -> pipeline.IngestSummary:
    """Ingest `paths` into `settings.data_dir`, coding in `workers` processes (default: all
    cores). Returns the run's counts; the stored result equals a one-worker run's."""
    with pipeline.Run(settings, options) as run:
        pending: deque[pipeline.Batch] = deque()
        docs = _prepared(paths, settings, run, stdin, pending)
        rules = run.options.rules
        finish = Finisher(rules.languages, rules.minhash)
        for coded in code_in_processes(docs, settings, workers, coder_path, finish=finish):
            batch = pending.popleft()
            _apply(batch, coded)
            run.written(batch, progress)
        return run.finish(_settle_into(run.workspace.parquet_dir))


def ingest_on_cluster(
    paths: Sequence[str | Path],
    settings: Settings,
    scheduler: str | Client,
    progress: Progress | None = None,
    options: pipeline.IngestOptions | None = None,
    stdin: IO[bytes] | None = None,
    coder_path: str = DEFAULT_CODER,
) -> pipeline.IngestSummary:
    """Ingest `paths`, coding on the Dask cluster at `scheduler` (workers write Parquet shards
    under the workspace's parquet/ folder, which they must be able to reach), then compact."""
    from dyadwatch.scale.cluster import code_on_dask

    with pipeline.Run(settings, options) as run:
        pending: deque[pipeline.Batch] = deque()
        docs = _prepared(paths, settings, run, stdin, pending)
        finish = Finisher(run.options.rules.languages, run.options.rules.minhash)
        for shard in code_on_dask(docs, settings, scheduler, run.workspace.parquet_dir,
                                  coder_path, finish=finish):
            batch = pending.popleft()
            _apply_shard(batch, shard)
            run.written(batch, progress)
        compact(run.workspace)
        return run.finish(_settle_into(run.workspace.parquet_dir))


def run_ingest(
    paths: Sequence[str | Path],
    settings: Settings,
    options: pipeline.IngestOptions | None = None,
    progress: Progress | None = None,
    *,
    code: bool = True,
    workers: int | None = None,
    scheduler: str | None = None,
) -> pipeline.IngestSummary:
    """What `dyadwatch ingest` runs: no coding (`code=False`), coding on the Dask cluster at
    `scheduler`, in this process (`workers=0`), or in `workers` processes (default: all
    cores). Every way ends with the events exported to Parquet by month."""
    if code and scheduler:
        return ingest_on_cluster(paths, settings, scheduler, progress, options)
    if code and workers != 0:
        return ingest_with_workers(paths, settings, workers, progress, options)
    from dyadwatch.coding import load_coder  # heavy: spaCy and the dictionaries

    coder = load_coder(settings) if code else None
    parquet_dir = Workspace(settings.data_dir).parquet_dir
    return pipeline.ingest_paths(paths, settings, coder, progress, options,
                                 settle=_settle_into(parquet_dir))


def settle(con: duckdb.DuckDBPyConnection, parquet_dir: Path) -> None:
    """After a run: group mentions into events across all documents (`events.cluster_id`),
    then export the changed months to Parquet (so the export carries the cluster ids)."""
    assign_clusters(con)
    write_event_partitions(con, parquet_dir)
