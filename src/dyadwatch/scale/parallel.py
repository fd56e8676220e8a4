"""Coding batches of documents in worker processes, one spaCy model per process.

The parent reads and cleans inputs in a stream and hands batches of Documents to
`code_in_processes`; each worker process has its own coder (spaCy models are not shareable
between processes) and returns (Document, Extraction) pairs; the parent alone writes to DuckDB.
Forked workers (on Linux: `Settings.worker_start`) start with a coder the parent built once
just before forking them, whose pages they share until they write to them; spawned workers
each load their own. Batches go out as tasks of
`Settings.code_chunk` documents, at most `max_in_flight` tasks (default 2 x workers) beyond
the batch being filled, so memory stays flat however long the input stream is. Results come
back in input order, and every task is coded by a coder whose state is reset first, so the
output does not depend on the number of workers (event ids are content hashes).
"""

from __future__ import annotations

import gc
import importlib
import logging
import multiprocessing
import os
import threading
import time
from collections import deque
from collections.abc import Callable, Iterable, Iterator, Sequence
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, replace

from dyadwatch.coding.api import DocumentCoder, code_documents
from dyadwatch.errors import DyadwatchError, WorkerCrashError
from dyadwatch.ingest.dedup import Signature
from dyadwatch.ingest.finish import Finisher
from dyadwatch.records import Document, Extraction, InputError
from dyadwatch.settings import Settings

log = logging.getLogger(__name__)

DEFAULT_CODER = "dyadwatch.coding.coder:load_default_coder"
CoderFactory = Callable[[Settings], DocumentCoder]


@dataclass(frozen=True, slots=True)
class CodedBatch:
    """What a worker returns for one batch: pairs in input order, documents it could not code
    (one InputError each, naming the source and the reason), the seconds it took, and every
    document with its language and signature when the worker finished them (`Finisher`)."""

    index: int
    pairs: tuple[tuple[Document, Extraction], ...]
    errors: tuple[InputError, ...] = ()
    seconds: float = 0.0
    finished: tuple[tuple[Document, Signature], ...] = ()  # when a Finisher was given


def default_workers() -> int:
    """The number of cores this process may use."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # not on Linux
        return max(1, os.cpu_count() or 1)


def load_coder_factory(path: str) -> CoderFactory:
    """The factory named `module:function` (a dotted path, so workers can import it)."""
    module_name, _, attr = path.partition(":")
    if not attr:
        raise DyadwatchError(f"coder factory {path!r}: expected 'module:function'")
    try:
        factory = getattr(importlib.import_module(module_name), attr)
    except (ImportError, AttributeError) as exc:
        raise DyadwatchError(f"coder factory {path!r}: {exc}") from exc
    if not callable(factory):
        raise DyadwatchError(f"coder factory {path!r} is not callable")
    return factory  # type: ignore[no-any-return]


def chunked(docs: Sequence[Document], size: int | None) -> list[Sequence[Document]]:
    """`docs` in consecutive pieces of at most `size` documents (one piece when None)."""
    if not size or size >= len(docs):
        return [docs]
    return [docs[start : start + size] for start in range(0, len(docs), size)]


def code_batch(
    coder: DocumentCoder, docs: Sequence[Document], index: int = 0, chunk: int | None = None
) -> CodedBatch:
    """Code one batch, `chunk` documents at a time (all at once when None), each piece with a
    freshly reset coder, so the result does not depend on how pieces are spread over workers.
    When a piece fails, its documents are coded one at a time and those that still fail
    become errors; the rest are kept."""
    started = time.perf_counter()
    pairs: list[tuple[Document, Extraction]] = []
    errors: list[InputError] = []
    for piece in chunked(docs, chunk):
        piece_pairs, piece_errors = code_documents(coder, piece, reset=True)
        pairs.extend(piece_pairs)
        errors.extend(piece_errors)
    return CodedBatch(index, tuple(pairs), tuple(errors), time.perf_counter() - started)


def finish_and_code(
    coder: DocumentCoder, docs: Sequence[Document], index: int, finish: Finisher | None,
    chunk: int | None = None,
) -> CodedBatch:
    """`code_batch`, after `finish` (when given) has finished every document: those that may
    be in English are coded, and all come back in `CodedBatch.finished`."""
    if finish is None:
        return code_batch(coder, docs, index, chunk)
    finished = tuple(finish(doc) for doc in docs)
    coded = code_batch(coder, [doc for doc, _ in finished if doc.codable], index, chunk)
    return replace(coded, finished=finished)


def merged(index: int, parts: Sequence[CodedBatch]) -> CodedBatch:
    """The pieces of one batch as one CodedBatch, in input order."""
    return CodedBatch(
        index, tuple(p for part in parts for p in part.pairs),
        tuple(e for part in parts for e in part.errors), sum(part.seconds for part in parts),
        tuple(f for part in parts for f in part.finished),
    )


@dataclass(slots=True)
class _WorkerSlot:
    """The coder of this worker process: built by the parent just before it forks the workers
    (and dropped there once they are forked), or by a spawned worker's initializer."""

    coder: DocumentCoder | None = None
    failure: str | None = None


_WORKER = _WorkerSlot()  # one per process; the parent's is empty but while forking


def _exit_with_parent(parent: int, interval: float = 1.0) -> None:
    """A worker whose parent was killed would wait for work forever: leave instead."""
    while os.getppid() == parent:
        time.sleep(interval)
    os._exit(1)


def _load_into_slot(settings: Settings, coder_path: str) -> None:
    try:
        _WORKER.coder = load_coder_factory(coder_path)(settings)
    except Exception as exc:  # reported with the first batch, not as a broken pool
        _WORKER.failure = f"cannot load the coder {coder_path}: {type(exc).__name__}: {exc}"
        return
    log.info("process %d loaded %s", os.getpid(), coder_path)


def _init_worker(settings: Settings, coder_path: str, parent: int) -> None:
    threading.Thread(target=_exit_with_parent, args=(parent,), daemon=True).start()
    if _WORKER.coder is None and _WORKER.failure is None:  # else forked with the parent's
        _load_into_slot(settings, coder_path)


def _code_in_worker(index: int, docs: list[Document], finish: Finisher | None) -> CodedBatch:
    if _WORKER.coder is None:
        raise DyadwatchError(_WORKER.failure or "worker process has no coder")
    return finish_and_code(_WORKER.coder, docs, index, finish)


def _ready() -> bool:
    """A no-op task: submitting one per worker makes the pool start them all at once."""
    return _WORKER.coder is not None


def _result(future: Future[CodedBatch]) -> CodedBatch:
    try:
        return future.result()
    except BrokenProcessPool as exc:
        raise WorkerCrashError(
            "a coding worker process died (killed or out of memory); the batches already "
            "written are kept and a new run resumes after them"
        ) from exc


def code_in_processes(
    batches: Iterable[Sequence[Document]],
    settings: Settings,
    workers: int | None = None,
    coder_path: str = DEFAULT_CODER,
    max_in_flight: int | None = None,
    max_tasks_per_child: int | None = None,
    finish: Finisher | None = None,
) -> Iterator[CodedBatch]:
    """Code `batches` of Documents (English or of unknown language) in `workers` processes
    (default: all cores).

    Reads the batches lazily; yields one CodedBatch per batch, in input order. Each batch is
    cut into tasks of `settings.code_chunk` documents (see `code_batch`); at most
    `max_in_flight` tasks (default 2 x workers) are submitted ahead of the consumer, beyond
    the batch being filled. Each process builds its coder once with the factory `coder_path`
    ("module:function", called with `settings`); `max_tasks_per_child` recycles processes
    after that many tasks (they are then spawned, whatever `settings.worker_start` says).
    With `finish`, workers first finish every document (language, signature) and code those
    that are English or unknown; `CodedBatch.finished` returns them all.
    """
    count = max(1, workers or default_workers())
    limit = max(1, max_in_flight or 2 * count)
    # Python cannot recycle forked workers: with max_tasks_per_child they are spawned
    start = "spawn" if max_tasks_per_child else settings.worker_start
    if start == "fork":  # load once here; every worker is forked with it (copy-on-write)
        _load_into_slot(settings, coder_path)
        gc.freeze()  # the collector would otherwise touch, and so copy, every inherited page
    pool = ProcessPoolExecutor(
        max_workers=count, mp_context=multiprocessing.get_context(start),
        initializer=_init_worker, initargs=(settings, coder_path, os.getpid()),
        max_tasks_per_child=max_tasks_per_child,
    )
    try:
        for _ in range(count):  # start every worker now (a forking pool forks them all at once)
            pool.submit(_ready)
    finally:
        if start == "fork":  # the workers have their copy: the parent needs none
            _WORKER.coder, _WORKER.failure = None, None
            gc.unfreeze()
    window: deque[tuple[int, list[Future[CodedBatch]]]] = deque()
    in_flight = 0
    try:
        for index, docs in enumerate(batches):
            pieces = chunked(list(docs), settings.code_chunk)
            tasks = [pool.submit(_code_in_worker, index, list(p), finish) for p in pieces]
            window.append((index, tasks))
            in_flight += len(pieces)
            while in_flight >= limit and len(window) > 1:
                done, futures = window.popleft()
                in_flight -= len(futures)
                yield merged(done, [_result(f) for f in futures])
        while window:
            done, futures = window.popleft()
            yield merged(done, [_result(f) for f in futures])
    finally:
        pool.shutdown(wait=True, cancel_futures=True)
