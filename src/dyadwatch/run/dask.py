"""The Dask executor: items become tasks on a Dask distributed cluster.

`DaskCluster(scheduler).map(work, batches)`: a worker plugin calls `work.load()` once on every
worker that joins (spaCy models are not shareable across processes); each item is one task,
run with the loaded function; at most `max_in_flight` items (default 2 x the cluster's
threads) are pending at a time. Imported only by a cluster run (`distributed` is heavy).
"""

from __future__ import annotations

import logging
import uuid
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from typing import Any, TypeVar

from distributed import Client, Future, get_worker
from distributed.diagnostics.plugin import WorkerPlugin

from dyadwatch.errors import DyadwatchError
from dyadwatch.run.executors import Work, windowed

log = logging.getLogger(__name__)

T = TypeVar("T")
R = TypeVar("R")
PLUGIN_NAME = "dyadwatch-work"


class WorkPlugin(WorkerPlugin):
    """Loads the work's function once on every worker that joins the cluster."""

    name = PLUGIN_NAME

    def __init__(self, work: Work[Any, Any]) -> None:
        self.work = work
        self.apply: Callable[[Any], Any] | None = None

    def setup(self, worker: object) -> None:
        self.apply = self.work.load()
        log.info("dask worker loaded %r", self.work)


def _apply_on_worker(item: Any) -> Any:
    plugin = get_worker().plugins.get(PLUGIN_NAME)
    apply = getattr(plugin, "apply", None)
    if apply is None or not isinstance(plugin, WorkPlugin):
        raise DyadwatchError("this Dask worker has no dyadwatch plugin loaded")
    return apply(item)


def connect(scheduler: str | Client) -> Client:
    """A client of the scheduler at `tcp://HOST:PORT` (or the client given)."""
    if isinstance(scheduler, Client):
        return scheduler
    try:
        return Client(scheduler, timeout="30s")
    except OSError as exc:
        raise DyadwatchError(f"cannot reach the Dask scheduler at {scheduler}: {exc}") from exc


@dataclass(frozen=True, slots=True)
class DaskCluster:
    """The cluster at `scheduler` (an address, or a Client that the caller owns)."""

    scheduler: str | Client
    max_in_flight: int | None = None

    def map(self, work: Work[T, R], batches: Iterable[Sequence[T]]) -> Iterator[list[R]]:
        client = connect(self.scheduler)
        owned = not isinstance(self.scheduler, Client)
        try:
            client.register_plugin(WorkPlugin(work), name=PLUGIN_NAME)
            threads = sum(client.nthreads().values()) or 1
            run = uuid.uuid4().hex[:8]
            keys = iter(range(1 << 62))

            def submit(item: T) -> Future:
                return client.submit(_apply_on_worker, item, pure=False,
                                     key=f"dyadwatch-{run}-{next(keys)}")

            yield from windowed(batches, submit, lambda f: f.result(),
                                max(1, self.max_in_flight or 2 * threads))
        finally:
            if owned:
                client.close()
