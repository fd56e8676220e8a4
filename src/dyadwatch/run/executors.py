"""Executors: where the per-batch work of a run is done. They know nothing of stages.

An executor applies a `Work` to batches of items and yields each batch's results, in input
order, reading the batches lazily:

    for results in executor.map(work, batches): ...

`Work.load()` is called once in every process that does work (this one, each worker process,
each Dask worker) and returns the function applied to the items there: that is where a
process builds what it keeps between items (a coder: spaCy models are not shareable between
processes). The run (`dyadwatch.run.pipeline`) chooses the executor from `Settings`:

- `InProcess`: here, one item after another;
- `WorkerProcesses(workers, start)`: a process pool. Forked workers (on Linux:
  `Settings.worker_start`) start with what the parent loaded just before forking them,
  whose pages they share until they write to them; spawned workers each load their own. At
  most `max_in_flight` items (default 2 x workers) are submitted beyond the batch being
  filled, so memory stays flat however long the input stream is. A batch's items go out
  heaviest first when the work weighs them (`Weighed`): the run ends with short tasks
  instead of one worker finishing a long one while the other waits;
- `DaskCluster(scheduler)` in `dyadwatch.run.dask`: tasks on a Dask distributed cluster.
"""

from __future__ import annotations

import gc
import logging
import multiprocessing
import os
import threading
import time
from collections import deque
from collections.abc import Callable, Iterable, Iterator, Sequence
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass
from typing import Any, Protocol, TypeVar

from dyadwatch.errors import DyadwatchError, WorkerCrashError

log = logging.getLogger(__name__)

T = TypeVar("T")
R = TypeVar("R")
T_contra = TypeVar("T_contra", contravariant=True)
R_co = TypeVar("R_co", covariant=True)
F = TypeVar("F")  # a future, of whatever pool


class Work(Protocol[T_contra, R_co]):
    """What an executor applies: `load()` once per process gives the function for the items
    (picklable: it travels to spawned workers and Dask workers)."""

    def load(self) -> Callable[[T_contra], R_co]: ...


class Weighed(Protocol[T_contra]):
    """A `Work` that can also weigh an item (say, its length in characters): a pool of
    processes submits the items of a batch heaviest first, so the last ones to start are
    light and the workers finish the batch (and the run) close together."""

    def cost(self, item: T_contra) -> float: ...


class Executor(Protocol):
    """Apply `work` to every item of every batch; yield each batch's results in order."""

    def map(self, work: Work[T, R], batches: Iterable[Sequence[T]]) -> Iterator[list[R]]: ...


def default_workers() -> int:
    """The number of cores this process may use."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # not on Linux
        return max(1, os.cpu_count() or 1)


class InProcess:
    """Everything here, in input order."""

    def map(self, work: Work[T, R], batches: Iterable[Sequence[T]]) -> Iterator[list[R]]:
        apply = work.load()
        for batch in batches:
            yield [apply(item) for item in batch]


def heaviest_first(batch: Sequence[T], cost: Callable[[T], float] | None) -> list[int]:
    """The positions of `batch` in the order to submit them: by decreasing `cost` (ties and
    no `cost`: input order)."""
    positions = list(range(len(batch)))
    return sorted(positions, key=lambda i: -cost(batch[i])) if cost else positions


def windowed(
    batches: Iterable[Sequence[T]], submit: Callable[[T], F], result: Callable[[F], R],
    limit: int, cost: Callable[[T], float] | None = None,
) -> Iterator[list[R]]:
    """Submit every item of each batch (heaviest first when `cost` weighs them), keep at most
    `limit` items in flight beyond the batch being filled, yield each batch's results in
    input order."""
    window: deque[list[F]] = deque()
    in_flight = 0
    for batch in batches:
        submitted = {i: submit(batch[i]) for i in heaviest_first(batch, cost)}
        futures = [submitted[i] for i in range(len(batch))]
        window.append(futures)
        in_flight += len(futures)
        while in_flight >= limit and len(window) > 1:
            done = window.popleft()
            in_flight -= len(done)
            yield [result(f) for f in done]
    while window:
        yield [result(f) for f in window.popleft()]


@dataclass(slots=True)
class _Slot:
    """The function of this worker process: loaded by the parent just before it forks the
    workers (and dropped there once they are forked), or by a spawned worker's initializer."""

    apply: Callable[[Any], Any] | None = None
    failure: str | None = None


_WORKER = _Slot()  # one per process; the parent's is empty but while forking


def _exit_with_parent(parent: int, interval: float = 1.0) -> None:
    """A worker whose parent was killed would wait for work forever: leave instead."""
    while os.getppid() == parent:
        time.sleep(interval)
    os._exit(1)


def _load_into_slot(work: Work[Any, Any]) -> None:
    try:
        _WORKER.apply = work.load()
    except Exception as exc:  # reported with the first item, not as a broken pool
        _WORKER.failure = (str(exc) if isinstance(exc, DyadwatchError)
                           else f"cannot load {work!r}: {type(exc).__name__}: {exc}")
        return
    log.info("process %d loaded %r", os.getpid(), work)


def _init_worker(work: Work[Any, Any], parent: int) -> None:
    threading.Thread(target=_exit_with_parent, args=(parent,), daemon=True).start()
    if _WORKER.apply is None and _WORKER.failure is None:  # else forked with the parent's
        _load_into_slot(work)


def _apply_in_worker(item: Any) -> Any:
    if _WORKER.apply is None:
        raise DyadwatchError(_WORKER.failure or "worker process has nothing loaded")
    return _WORKER.apply(item)


def _ready() -> bool:
    """A no-op task: submitting one per worker makes the pool start them all at once."""
    return _WORKER.apply is not None


def _cost_of(work: Work[T, Any]) -> Callable[[T], float] | None:
    """`work.cost`, when the work can weigh its items (`Weighed`)."""
    cost = getattr(work, "cost", None)
    return cost if callable(cost) else None


def _result(future: Future[R]) -> R:
    try:
        return future.result()
    except BrokenProcessPool as exc:
        raise WorkerCrashError(
            "a worker process died (killed or out of memory); the batches already "
            "written are kept and a new run resumes after them"
        ) from exc


@dataclass(frozen=True, slots=True)
class WorkerProcesses:
    """A pool of `workers` processes (default: all cores) started by `start` ("fork" or
    "spawn"); `max_tasks_per_child` recycles processes (they are then spawned)."""

    workers: int | None = None
    start: str = "fork"
    max_in_flight: int | None = None
    max_tasks_per_child: int | None = None

    def map(self, work: Work[T, R], batches: Iterable[Sequence[T]]) -> Iterator[list[R]]:
        count = max(1, self.workers or default_workers())
        # Python cannot recycle forked workers: with max_tasks_per_child they are spawned
        start = "spawn" if self.max_tasks_per_child else self.start
        pool = self._pool(work, count, start)
        try:
            yield from windowed(batches, lambda item: pool.submit(_apply_in_worker, item),
                                _result, max(1, self.max_in_flight or 2 * count),
                                _cost_of(work))
        finally:
            pool.shutdown(wait=True, cancel_futures=True)

    def _pool(self, work: Work[Any, Any], count: int, start: str) -> ProcessPoolExecutor:
        if start == "fork":  # load once here; every worker is forked with it (copy-on-write)
            _load_into_slot(work)
            gc.freeze()  # the collector would otherwise touch, and so copy, every inherited page
        pool = ProcessPoolExecutor(
            max_workers=count, mp_context=multiprocessing.get_context(start),
            initializer=_init_worker, initargs=(work, os.getpid()),
            max_tasks_per_child=self.max_tasks_per_child,
        )
        try:
            for _ in range(count):  # start every worker now (a forking pool forks them all)
                pool.submit(_ready)
        finally:
            if start == "fork":  # the workers have their copy: the parent needs none
                _WORKER.apply, _WORKER.failure = None, None
                gc.unfreeze()
        return pool

