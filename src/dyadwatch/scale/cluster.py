"""The same coding on a Dask distributed cluster: workers code shards and write Parquet.

`code_on_dask(batches, settings, scheduler, parquet_dir)` sends each batch of Documents to the
cluster as one shard. A worker plugin loads the coder once per worker (spaCy models are not
shareable across processes); the task codes the shard with a freshly reset coder and writes it
with `store.parquet.write_shard` under `parquet_dir` (a folder every worker can reach; shard
files are named by a hash of their documents, so a retried task overwrites its own files).
Only a small ShardResult travels back. `store.parquet.compact` then loads the shards into the
workspace's DuckDB. At most `max_in_flight` shards are pending at a time.
"""

from __future__ import annotations

import logging
import uuid
from collections import deque
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

from distributed import Client, Future, get_worker
from distributed.diagnostics.plugin import WorkerPlugin

from dyadwatch.coding.api import DocumentCoder
from dyadwatch.errors import DyadwatchError
from dyadwatch.ingest.dedup import Signature
from dyadwatch.ingest.finish import Finisher
from dyadwatch.records import Document, InputError
from dyadwatch.scale.parallel import DEFAULT_CODER, finish_and_code, load_coder_factory
from dyadwatch.settings import Settings
from dyadwatch.store.parquet import write_shard

log = logging.getLogger(__name__)

PLUGIN_NAME = "dyadwatch-coder"


@dataclass(frozen=True, slots=True)
class ShardResult:
    """What a worker reports for one shard: documents coded, events, files, errors."""

    index: int
    doc_ids: tuple[str, ...]
    events: int
    files: tuple[str, ...]
    errors: tuple[InputError, ...]
    seconds: float
    # (doc_id, language, signature) of every document, when the worker finished them
    finished: tuple[tuple[str, str | None, Signature], ...] = ()


class CoderPlugin(WorkerPlugin):
    """Loads the coder once on every worker that joins the cluster."""

    name = PLUGIN_NAME

    def __init__(self, settings: Settings, coder_path: str = DEFAULT_CODER) -> None:
        self.settings = settings
        self.coder_path = coder_path
        self.coder: DocumentCoder | None = None

    def setup(self, worker: object) -> None:
        self.coder = load_coder_factory(self.coder_path)(self.settings)
        log.info("dask worker loaded %s", self.coder_path)


def code_shard(
    index: int, docs: list[Document], parquet_dir: str, finish: Finisher | None = None
) -> ShardResult:
    """The task run on a worker: finish the documents (language, MinHash) when `finish` is
    given, code those that may be English, write the shard's Parquet files, report."""
    plugin = get_worker().plugins.get(PLUGIN_NAME)
    coder = getattr(plugin, "coder", None)
    if coder is None or not isinstance(plugin, CoderPlugin):
        raise DyadwatchError("this Dask worker has no dyadwatch coder plugin")
    coded = finish_and_code(coder, docs, index, finish, plugin.settings.code_chunk)
    files = write_shard(Path(parquet_dir), coded.pairs) if coded.pairs else ()
    return ShardResult(
        index=index, doc_ids=tuple(d.doc_id for d, _ in coded.pairs),
        events=sum(len(ex.events) for _, ex in coded.pairs),
        files=tuple(str(f) for f in files), errors=coded.errors, seconds=coded.seconds,
        finished=tuple((doc.doc_id, doc.language, sig) for doc, sig in coded.finished),
    )


def connect(scheduler: str | Client) -> Client:
    """A client of the scheduler at `tcp://HOST:PORT` (or the client given)."""
    if isinstance(scheduler, Client):
        return scheduler
    try:
        return Client(scheduler, timeout="30s")
    except OSError as exc:
        raise DyadwatchError(f"cannot reach the Dask scheduler at {scheduler}: {exc}") from exc


def code_on_dask(
    batches: Iterable[Sequence[Document]],
    settings: Settings,
    scheduler: str | Client,
    parquet_dir: Path,
    coder_path: str = DEFAULT_CODER,
    max_in_flight: int | None = None,
    finish: Finisher | None = None,
) -> Iterator[ShardResult]:
    """Code `batches` on the cluster at `scheduler`; yield one ShardResult per batch, in order.

    Reads the batches lazily, at most `max_in_flight` (default 2 x the cluster's threads) ahead.
    Writes shards under `parquet_dir`; the caller runs `store.parquet.compact` afterwards.
    With `finish`, workers finish the documents first (see `code_shard`).
    """
    client = connect(scheduler)
    owned = not isinstance(scheduler, Client)
    try:
        client.register_plugin(CoderPlugin(settings, coder_path), name=PLUGIN_NAME)
        threads = sum(client.nthreads().values()) or 1
        limit = max(1, max_in_flight or 2 * threads)
        window: deque[Future] = deque()
        run = uuid.uuid4().hex[:8]
        for index, docs in enumerate(batches):
            window.append(client.submit(code_shard, index, list(docs), str(parquet_dir), finish,
                                        pure=False, key=f"dyadwatch-shard-{run}-{index}"))
            while len(window) >= limit:
                yield window.popleft().result()
        while window:
            yield window.popleft().result()
    finally:
        if owned:
            client.close()
