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

import logging
import time
import uuid
from collections import deque
from collections.abc import Callable, Iterator, Sequence
from dataclasses import replace
from pathlib import Path
from typing import IO, TYPE_CHECKING

import duckdb

from dyadwatch.analysis import assign_clusters
from dyadwatch.ingest import pipeline
from dyadwatch.ingest.finish import Finisher
from dyadwatch.ingest.language import LanguageIdentifier
from dyadwatch.ingest.readers import read_inputs
from dyadwatch.ingest.rules import load_ingest_rules
from dyadwatch.records import Document
from dyadwatch.scale.parallel import DEFAULT_CODER, CodedBatch, code_in_processes
from dyadwatch.settings import Settings
from dyadwatch.store import documents as store
from dyadwatch.store.parquet import compact, write_event_partitions
from dyadwatch.store.workspace import Workspace, open_workspace

if TYPE_CHECKING:  # distributed is imported only by a cluster run: worker processes
    # re-import the parent's main module, and this module should stay light for them
    from distributed import Client

    from dyadwatch.scale.cluster import ShardResult

log = logging.getLogger(__name__)

Progress = Callable[[pipeline.IngestSummary], None]


def _prepared(
    paths: Sequence[str | Path], settings: Settings, workspace: Workspace,
    ctx: pipeline._Context, stdin: IO[bytes] | None, pending: deque[pipeline._Batch],
    options: pipeline.IngestOptions, finish_here: bool = True,
) -> Iterator[list[Document]]:
    """Steps 1-4 per batch; each batch is queued in `pending`, its documents that may be in
    English yielded (the workers finish them when `finish_here` is False)."""
    items = read_inputs(paths, options.read, stdin)
    for chunk in pipeline._batches(items, max(1, settings.batch_size)):
        batch = pipeline._Batch()
        cleaned = pipeline._sort(chunk, ctx.rules, batch)
        if cleaned:
            pipeline._assemble(cleaned, workspace, ctx, batch, finish_here)
        pending.append(batch)
        yield [d for d in batch.docs if d.codable]


def _apply(batch: pipeline._Batch, coded: CodedBatch) -> None:
    """Steps 4 (finished by the workers) and 5, recorded as the in-process pipeline records
    them, plus worker errors."""
    pipeline.record_finished(batch, coded.finished)
    pipeline.record_coded(batch, coded.pairs)
    batch.errors.extend(coded.errors)


def _apply_shard(batch: pipeline._Batch, shard: ShardResult) -> None:
    """A shard's extractions are in Parquet; the parent records the documents the worker
    finished, counts and errors, and writes the documents (compact marks them coded)."""
    docs = {doc.doc_id: doc for doc in batch.docs}
    pipeline.record_finished(batch, [(replace(docs[doc_id], language=language), signature)
                                     for doc_id, language, signature in shard.finished])
    batch.count("coded", len(shard.doc_ids))
    batch.count("events", shard.events)
    batch.errors.extend(shard.errors)


class _Run:
    """One run's bookkeeping: the workspace, its run row, running totals."""

    def __init__(self, settings: Settings, options: pipeline.IngestOptions | None) -> None:
        self.options = options or pipeline.IngestOptions(rules=load_ingest_rules())
        self.workspace = open_workspace(settings.data_dir, settings.lock_timeout_s)
        self.ctx = pipeline._Context(
            self.options.rules, LanguageIdentifier(self.options.rules.languages), None
        )
        self.total = pipeline.IngestSummary(run_id=uuid.uuid4().hex[:16])
        self.started = time.monotonic()
        with self.workspace.connect() as con:
            store.start_run(con, self.total.run_id)

    def written(self, batch: pipeline._Batch, progress: Progress | None) -> None:
        pipeline._write(batch, self.workspace, self.ctx.rules)
        batch.count("batches")
        self.total = self.total.plus(pipeline.IngestSummary(**batch.counts))  # type: ignore[arg-type]
        self.total = replace(self.total, seconds=round(time.monotonic() - self.started, 3))
        if progress is not None:
            progress(self.total)

    def finish(self) -> pipeline.IngestSummary:
        with self.workspace.connect() as con:
            settle(con, self.workspace.parquet_dir)
            store.finish_run(con, self.total.run_id, self.total.to_dict())
        log.info("ingest run %s: %s", self.total.run_id, self.total)
        return self.total


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
    run = _Run(settings, options)
    pending: deque[pipeline._Batch] = deque()
    docs = _prepared(paths, settings, run.workspace, run.ctx, stdin, pending, run.options,
                     finish_here=False)
    rules = run.options.rules
    finish = Finisher(rules.languages, rules.minhash)
    for coded in code_in_processes(docs, settings, workers, coder_path, finish=finish):
        batch = pending.popleft()
        _apply(batch, coded)
        run.written(batch, progress)
    return run.finish()


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

    run = _Run(settings, options)
    pending: deque[pipeline._Batch] = deque()
    docs = _prepared(paths, settings, run.workspace, run.ctx, stdin, pending, run.options,
                     finish_here=False)
    finish = Finisher(run.options.rules.languages, run.options.rules.minhash)
    for shard in code_on_dask(docs, settings, scheduler, run.workspace.parquet_dir, coder_path,
                              finish=finish):
        batch = pending.popleft()
        _apply_shard(batch, shard)
        run.written(batch, progress)
    compact(run.workspace)
    return run.finish()


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
    summary = pipeline.ingest_paths(paths, settings, coder, progress, options)
    with Workspace(settings.data_dir, settings.lock_timeout_s).connect() as con:
        settle(con, Workspace(settings.data_dir).parquet_dir)
    return summary


def settle(con: duckdb.DuckDBPyConnection, parquet_dir: Path) -> None:
    """After a run: group mentions into events across all documents (`events.cluster_id`),
    then export the changed months to Parquet (so the export carries the cluster ids)."""
    assign_clusters(con)
    write_event_partitions(con, parquet_dir)
