"""One ingest run, top-down: read and clean, code, write, settle, with the coding spread by
an executor that `Settings` chooses.

    run_ingest(paths, settings)       # what `dyadwatch ingest`, the upload, the demo run

The stages, each entered once and in this order by every batch:

1. ingest (`dyadwatch.ingest.prepare`): inputs read, cleaned, looked up against the
   workspace (`stages.StoreLookup`) and built into documents, one `Batch` per
   `settings.batch_size` inputs, in a stream;
2. code (`code_stage`): the coder from its one factory (`code_stage.DEFAULT_CODER`), applied
   by the executor (`executor_for(settings)`): in this process (`workers=0`), in worker
   processes (which also finish the documents: language, MinHash), or on a Dask cluster
   (`scheduler`; its workers write Parquet shards);
3. write (`stages.write`): one transaction per batch, in input order, by this process alone;
4. settle (`stages.settle`): after the last batch (and, on a cluster, `compact`), event
   clusters over the corpus and the Parquet export of the changed months.

A batch's documents are written only after it is coded, so a run killed midway leaves no
document marked as seen but never coded; the next run resumes after the last written batch.
Executors know nothing of stages ("apply this work to these batches", `executors.Work`); the
stages know nothing of executors. Each stage a batch enters is logged at DEBUG on this
module's logger ("batch N: stage"), and "run: settle" once at the end.
"""

from __future__ import annotations

import logging
import time
import uuid
from collections import deque
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import ExitStack
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any

import duckdb

from dyadwatch.coding.api import DocumentCoder
from dyadwatch.ingest.finish import Finisher
from dyadwatch.ingest.prepare import Batch, IngestOptions, IngestSummary, prepared_batches
from dyadwatch.ingest.rules import load_ingest_rules
from dyadwatch.records import Document
from dyadwatch.run import stages
from dyadwatch.run.code_stage import (
    DEFAULT_CODER,
    CodedBatch,
    CodeDocuments,
    InProcessCoder,
    Task,
    build_coder,
    merged,
    tasks,
)
from dyadwatch.run.executors import Executor, InProcess, Work, WorkerProcesses
from dyadwatch.settings import Settings
from dyadwatch.store import documents as store
from dyadwatch.store.parquet import compact
from dyadwatch.store.workspace import Workspace

if TYPE_CHECKING:  # distributed is imported only by a cluster run
    from distributed import Client

log = logging.getLogger(__name__)

Progress = Callable[[IngestSummary], None]
Settle = Callable[[duckdb.DuckDBPyConnection], None]


class Run:
    """One ingest run's bookkeeping: the workspace, its `ingest_runs` row, running totals.

    A run is the workspace's one writer: it holds the workspace's writer lock from its start
    to `finish` (or `close`; `with Run(...) as run` closes it in any case), and it reads the
    whole database file before its first write: a damaged file raises WorkspaceDamagedError
    and is left as it was."""

    def __init__(self, settings: Settings, options: IngestOptions | None = None) -> None:
        self.options = options or IngestOptions(rules=load_ingest_rules())
        self.workspace = Workspace(settings.data_dir, settings.lock_timeout_s)
        self._held = ExitStack()
        self._held.enter_context(self.workspace.writer_lock())
        self.session = self.workspace.session()  # every connection of the run goes through it
        self.total = IngestSummary(run_id=uuid.uuid4().hex[:16])
        self.started = time.monotonic()
        self.started_at = datetime.now(UTC).replace(tzinfo=None)
        try:
            self.workspace.check()
            self.workspace.migrate()
            with self.session.connect() as con:
                store.start_run(con, self.total.run_id)
        except BaseException:
            self.close()
            raise
        # no DuckDB (nor its threads) in this process until the first batch: worker processes
        # that a parallel run forks before reading start without one
        self.session.close()

    def __enter__(self) -> Run:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        """Let go of the database and of the writer lock (after `finish`, or on failure)."""
        self.session.close()
        self._held.close()

    def written(self, batch: Batch, progress: Progress | None) -> None:
        """The write stage for `batch`, then the running totals (passed to `progress`)."""
        stages.write(batch, self.session, self.options.rules, self.started_at)
        batch.count("batches")
        self.total = self.total.plus(IngestSummary(**batch.counts))  # type: ignore[arg-type]
        self.total = replace(self.total, seconds=round(time.monotonic() - self.started, 3))
        if progress is not None:
            progress(self.total)

    def finish(self, settle: Settle | None = None) -> IngestSummary:
        """Record the run's totals (after `settle`, in the same connection, when given)."""
        with self.session.connect() as con:
            if settle is not None:
                log.debug("run: settle")
                settle(con)
            store.finish_run(con, self.total.run_id, self.total.to_dict())
        self.close()
        log.info("ingest run %s: %s", self.total.run_id, self.total)
        return self.total


@dataclass(frozen=True, slots=True)
class Plan:
    """How the code stage runs: the executor, the work it applies, how a batch becomes
    items, what a batch keeps of the results; `finish_here` False when the workers finish
    the documents (language, MinHash)."""

    executor: Executor
    work: Work[Any, Any]
    split: Callable[[int, Batch], list[Any]]
    apply: Callable[[Batch, list[Any]], None]
    finish_here: bool = True
    shards: bool = False  # the workers wrote Parquet shards: compact before settling


def _codable(batch: Batch) -> list[Document]:
    return [d for d in batch.docs if d.codable]


def _whole_if_any(index: int, batch: Batch) -> list[Task]:
    """In this process, a batch is one task, and none when it holds nothing to code."""
    docs = _codable(batch)
    return [(index, docs)] if docs else []


def _apply_each(batch: Batch, results: list[CodedBatch]) -> None:
    for coded in results:
        stages.apply_coded(batch, coded)


def executor_for(settings: Settings) -> Executor:
    """In this process (`workers` 0), on the Dask cluster at `scheduler`, else in `workers`
    processes (None: all cores)."""
    if settings.scheduler:
        from dyadwatch.run.dask import DaskCluster  # distributed: only for a cluster run

        return DaskCluster(settings.scheduler)
    if settings.workers == 0:
        return InProcess()
    return WorkerProcesses(settings.workers, settings.worker_start)


def plan_for(
    executor: Executor, settings: Settings, options: IngestOptions, parquet_dir: Path,
    coder: DocumentCoder | None = None, coder_path: str = DEFAULT_CODER,
) -> Plan:
    """The code stage for `executor`: in this process, the run's coder on each batch as a
    whole; elsewhere, workers that finish and code tasks of `settings.code_chunk` documents
    (worker processes) or whole batches written as Parquet shards (a Dask cluster, or any
    other executor). `coder` is used in this process only."""
    if isinstance(executor, InProcess):
        work = InProcessCoder(coder or build_coder(settings, coder_path))
        return Plan(executor, work, _whole_if_any, _apply_each)
    finish = Finisher(options.rules.languages, options.rules.minhash)
    if isinstance(executor, WorkerProcesses):
        return Plan(executor, CodeDocuments(settings, coder_path, finish),
                    lambda i, b: tasks(i, _codable(b), settings.code_chunk),
                    lambda b, results: stages.apply_coded(b, merged(0, results)),
                    finish_here=False)
    return Plan(executor, stages.CodeShard(settings, str(parquet_dir), coder_path, finish),
                lambda i, b: [(i, _codable(b))],
                lambda b, results: stages.apply_shard(b, results[0]),
                finish_here=False, shards=True)


def _code(batches: Iterable[Batch], plan: Plan) -> Iterator[Batch]:
    """The code stage: each batch's items through the executor, the results kept on it."""
    pending: deque[tuple[int, Batch]] = deque()

    def items() -> Iterator[list[Any]]:
        for index, batch in enumerate(batches):
            log.debug("batch %d: ingest", index)
            pending.append((index, batch))
            yield plan.split(index, batch)

    for results in plan.executor.map(plan.work, items()):
        index, batch = pending.popleft()
        log.debug("batch %d: code", index)
        plan.apply(batch, results)
        yield batch


def _uncoded(batches: Iterable[Batch]) -> Iterator[Batch]:
    for index, batch in enumerate(batches):
        log.debug("batch %d: ingest", index)
        yield batch


def run_ingest(
    paths: Sequence[str | Path],
    settings: Settings,
    options: IngestOptions | None = None,
    progress: Progress | None = None,
    *,
    code: bool = True,
    coder: DocumentCoder | None = None,
    coder_path: str = DEFAULT_CODER,
    executor: Executor | None = None,
    stdin: IO[bytes] | None = None,
    settle: bool = True,
) -> IngestSummary:
    """Ingest `paths` (files, folders, `-` for `stdin`) into `settings.data_dir`: what
    `dyadwatch ingest` runs. The code stage runs on `executor` (default: `executor_for
    (settings)`) with `coder` (in this process only) or the coder the factory `coder_path`
    builds; `code=False` stores documents only. Returns the run's counts; bad input becomes
    an `errors` row and never stops the run. `progress` is called after every batch with
    the running totals."""
    with Run(settings, options) as run:
        parquet_dir = run.workspace.parquet_dir
        plan = (plan_for(executor or executor_for(settings), settings, run.options,
                         parquet_dir, coder, coder_path) if code else None)
        finish_here = plan.finish_here if plan else True
        batches = prepared_batches(paths, run.options, stdin, settings.batch_size,
                                   stages.StoreLookup(run.session), finish_here)
        coded = _code(batches, plan) if plan else _uncoded(batches)
        for index, batch in enumerate(coded):
            log.debug("batch %d: write", index)
            run.written(batch, progress)
        if plan is not None and plan.shards:
            compact(run.workspace)
        return run.finish((lambda con: stages.settle(con, parquet_dir)) if settle else None)


def ingest_paths(
    paths: Sequence[str | Path],
    settings: Settings,
    coder: DocumentCoder | None = None,
    progress: Progress | None = None,
    options: IngestOptions | None = None,
    stdin: IO[bytes] | None = None,
    settle: bool = False,
) -> IngestSummary:
    """A run in this process with `coder` (None: documents only); settles when asked."""
    return run_ingest(paths, settings, options, progress, code=coder is not None, coder=coder,
                      executor=InProcess(), stdin=stdin, settle=settle)


def ingest_with_workers(
    paths: Sequence[str | Path],
    settings: Settings,
    workers: int | None = None,
    progress: Progress | None = None,
    options: IngestOptions | None = None,
    stdin: IO[bytes] | None = None,
    coder_path: str = DEFAULT_CODER,
) -> IngestSummary:
    """A run coding in `workers` processes (default: all cores); the stored result equals a
    one-worker run's."""
    executor = WorkerProcesses(workers, settings.worker_start)
    return run_ingest(paths, settings, options, progress, coder_path=coder_path,
                      executor=executor, stdin=stdin)


def ingest_on_cluster(
    paths: Sequence[str | Path],
    settings: Settings,
    scheduler: str | Client,
    progress: Progress | None = None,
    options: IngestOptions | None = None,
    stdin: IO[bytes] | None = None,
    coder_path: str = DEFAULT_CODER,
) -> IngestSummary:
    """A run coding on the Dask cluster at `scheduler` (workers write Parquet shards under the
    workspace's parquet/ folder, which they must be able to reach), then compacted."""
    from dyadwatch.run.dask import DaskCluster  # distributed: only for a cluster run

    return run_ingest(paths, settings, options, progress, coder_path=coder_path,
                      executor=DaskCluster(scheduler), stdin=stdin)


def code_in_processes(
    batches: Iterable[Sequence[Document]],
    settings: Settings,
    workers: int | None = None,
    coder_path: str = DEFAULT_CODER,
    max_in_flight: int | None = None,
    max_tasks_per_child: int | None = None,
    finish: Finisher | None = None,
) -> Iterator[CodedBatch]:
    """The code stage alone on worker processes: one CodedBatch per batch of Documents, in
    input order, each batch cut into tasks of `settings.code_chunk` documents (see
    `WorkerProcesses` for `max_in_flight` and `max_tasks_per_child`). With `finish`, workers
    first finish every document and code those that may be English."""
    executor = WorkerProcesses(workers, settings.worker_start, max_in_flight,
                               max_tasks_per_child)
    items = (tasks(i, docs, settings.code_chunk) for i, docs in enumerate(batches))
    for index, results in enumerate(executor.map(CodeDocuments(settings, coder_path, finish),
                                                 items)):
        yield merged(index, results)


def code_on_dask(
    batches: Iterable[Sequence[Document]],
    settings: Settings,
    scheduler: str | Client,
    parquet_dir: Path,
    coder_path: str = DEFAULT_CODER,
    max_in_flight: int | None = None,
    finish: Finisher | None = None,
) -> Iterator[stages.ShardResult]:
    """The code stage alone on the Dask cluster at `scheduler`: one ShardResult per batch, in
    order; the workers write Parquet shards under `parquet_dir` (then `compact`)."""
    from dyadwatch.run.dask import DaskCluster  # distributed: only for a cluster run

    work = stages.CodeShard(settings, str(parquet_dir), coder_path, finish)
    items = ([(i, list(docs))] for i, docs in enumerate(batches))
    for results in DaskCluster(scheduler, max_in_flight).map(work, items):
        yield results[0]
