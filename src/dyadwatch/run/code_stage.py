"""The code stage of a run: documents in, (Document, Extraction) pairs out, in any process.

The coder comes from its one factory, named by a dotted path ("module:function", called with
`Settings`) so that worker processes can import it: `DEFAULT_CODER`, `coding.api.load_coder`.
`CodeDocuments` is the per-item work an executor applies (`run.executors.Work`): each item
is one task of at most `Settings.code_chunk` documents of a batch; in a worker, its
documents are finished first (`ingest.finish.Finisher`: language and MinHash), and every
task is coded by a coder whose state is reset first, so the output does not depend on the
number of workers (event ids are content hashes). `InProcessCoder` codes a whole batch with
the run's coder as the in-process run always has (no reset between batches).
"""

from __future__ import annotations

import importlib
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace

from dyadwatch.coding.api import DocumentCoder, code_documents
from dyadwatch.errors import DyadwatchError
from dyadwatch.ingest.dedup import Signature
from dyadwatch.ingest.finish import Finisher
from dyadwatch.records import Document, Extraction, InputError
from dyadwatch.settings import Settings

DEFAULT_CODER = "dyadwatch.coding.api:load_coder"
CoderFactory = Callable[[Settings], DocumentCoder | None]


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


def build_coder(settings: Settings, path: str = DEFAULT_CODER) -> DocumentCoder:
    """The coder the factory at `path` builds from `settings`."""
    coder = load_coder_factory(path)(settings)
    if coder is None:
        raise DyadwatchError(f"coder factory {path!r} gave no coder")
    return coder


def prepare_coder(coder: DocumentCoder) -> None:
    """Build now what the coder would build on its first event (its locator's gazetteer,
    `coding.locations.Locator.prepare`). `CodeDocuments.load` runs once in a forking pool's
    parent, so its workers then share that one copy instead of building one each (about a
    second of CPU per worker); a spawned or Dask worker would build it on its first events
    anyway. A coder without a locator is left as it is."""
    prepare = getattr(getattr(coder, "locator", None), "prepare", None)
    if callable(prepare):
        prepare()


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


Task = tuple[int, Sequence[Document]]  # (batch index, documents)


@dataclass(frozen=True, slots=True)
class CodeDocuments:
    """The work of a coding worker: build the coder once, then finish (when `finish` is
    given) and code each task with a freshly reset coder (`finish_and_code`)."""

    settings: Settings
    coder_path: str = DEFAULT_CODER
    finish: Finisher | None = None
    chunk: int | None = None  # documents per call within a task (Dask: a task is a batch)

    def load(self) -> Callable[[Task], CodedBatch]:
        try:
            coder = build_coder(self.settings, self.coder_path)
            prepare_coder(coder)
        except Exception as exc:
            raise DyadwatchError(f"cannot load the coder {self.coder_path}: "
                                 f"{type(exc).__name__}: {exc}") from exc
        return lambda task: finish_and_code(coder, task[1], task[0], self.finish, self.chunk)

    def cost(self, task: Task) -> float:
        """A task's weight for the executor's order (`executors.Weighed`): its characters,
        which the coding time follows."""
        return sum(len(doc.text) for doc in task[1])


@dataclass(frozen=True, slots=True)
class InProcessCoder:
    """The work of an in-process run: the run's coder on the whole batch, as given."""

    coder: DocumentCoder

    def load(self) -> Callable[[Task], CodedBatch]:
        def code(task: Task) -> CodedBatch:
            started = time.perf_counter()
            pairs, errors = code_documents(self.coder, task[1])
            return CodedBatch(task[0], tuple(pairs), tuple(errors),
                              time.perf_counter() - started)
        return code


def tasks(index: int, docs: Sequence[Document], chunk: int | None) -> list[Task]:
    """A batch as the tasks of `chunk` documents that the executor spreads."""
    return [(index, list(piece)) for piece in chunked(list(docs), chunk)]
