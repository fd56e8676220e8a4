"""Coding in worker processes: same results for any number of workers, bounded, bad input kept
apart, crashes and broken coders reported clearly."""

from __future__ import annotations

import os
import time
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path

import pytest

from dyadwatch.errors import DyadwatchError, WorkerCrashError
from dyadwatch.records import Document
from dyadwatch.run.code_stage import CodedBatch, code_batch
from dyadwatch.run.pipeline import code_in_processes
from dyadwatch.settings import Settings
from test_scale_support import (
    EXIT_MARKER,
    FAIL_MARKER,
    NAME_CODER,
    WHERE_CODER,
    NameCoder,
    chunks,
    stored_documents,
)


@pytest.fixture(scope="module")
def guardian_docs(guardian_path: Path, tmp_path_factory: pytest.TempPathFactory) -> list[Document]:
    return stored_documents([guardian_path], tmp_path_factory.mktemp("ws"), limit=36)


def invented(text: str, n: int) -> Document:
    return Document(doc_id=Document.id_for(text), doc_source=f"/invented/{n}.txt", text=text,
                    title=None, published="2025-05-01", published_precision="day", language="en")


def flat(results: Sequence[CodedBatch]) -> list:
    return [pair for batch in results for pair in batch.pairs]


@pytest.mark.parametrize("start", ["fork", "spawn"])
def test_two_workers_give_the_one_worker_result(guardian_docs: list[Document], start: str) -> None:
    batches = chunks(guardian_docs, 4)
    settings = Settings(worker_start=start)
    one = list(code_in_processes(batches, settings, workers=1, coder_path=NAME_CODER))
    two = list(code_in_processes(batches, settings, workers=2, coder_path=NAME_CODER))
    assert [b.index for b in two] == list(range(len(batches)))
    assert flat(two) == flat(one)
    events = [e for _, ex in flat(two) for e in ex.events]
    assert len(events) > 20  # the corpus names many country pairs
    # ...and both equal coding each batch in this process with a fresh coder
    coder = NameCoder(settings)
    assert flat(two) == flat([code_batch(coder, b, i) for i, b in enumerate(batches)])


@pytest.mark.parametrize("start", ["fork", "spawn"])
def test_forked_workers_share_the_coder_the_parent_built(
    guardian_docs: list[Document], start: str
) -> None:
    """Forked workers start with the coder built once in the parent (copy-on-write); spawned
    ones build their own. The parent keeps no coder afterwards."""
    import dyadwatch.run.executors as executors

    batches = chunks(guardian_docs, 4)
    results = list(code_in_processes(batches, Settings(worker_start=start), workers=2,
                                     coder_path=WHERE_CODER))
    built_in = {int(doc.title or 0) for doc, _ in flat(results)}
    if start == "fork":
        assert built_in == {os.getpid()}
    else:
        assert os.getpid() not in built_in and 1 <= len(built_in) <= 2
    assert executors._WORKER.apply is None


def test_batches_are_cut_into_worker_tasks_of_code_chunk_documents(
    guardian_docs: list[Document],
) -> None:
    """A batch of 12 goes out as tasks of 5, 5 and 2 documents; what the coder learns stays
    within a task, so the result equals coding each batch in pieces of 5 here, for any number
    of workers, and differs from coding the batch whole (the coder's cross-document state)."""
    batches = chunks(guardian_docs, 12)
    settings = Settings(code_chunk=5)
    two = list(code_in_processes(batches, settings, workers=2, coder_path=NAME_CODER))
    one = list(code_in_processes(batches, settings, workers=1, coder_path=NAME_CODER))
    coder = NameCoder(settings)
    pieces = [code_batch(coder, b, i, chunk=5) for i, b in enumerate(batches)]
    whole = [code_batch(coder, b, i) for i, b in enumerate(batches)]
    assert [b.index for b in two] == list(range(len(batches)))
    assert flat(two) == flat(one) == flat(pieces)
    assert [d.doc_id for d, _ in flat(two)] == [d.doc_id for d in guardian_docs]
    assert flat(pieces) != flat(whole)


def test_reset_makes_a_batch_independent_of_earlier_batches(
    guardian_docs: list[Document],
) -> None:
    def warmed() -> NameCoder:
        coder = NameCoder(Settings())
        coder.code(guardian_docs[:8])  # learns names from other documents
        return coder

    differ = 0
    for doc in guardian_docs[8:]:
        alone = code_batch(NameCoder(Settings()), [doc]).pairs
        differ += warmed().code([doc]) != list(alone)  # what a reset must undo
        assert code_batch(warmed(), [doc]).pairs == alone
    assert differ > 0


def test_in_flight_batches_are_bounded(guardian_docs: list[Document]) -> None:
    pulled: list[int] = []

    def stream() -> Iterator[list[Document]]:
        for i, batch in enumerate(chunks(guardian_docs, 2)):
            pulled.append(i)
            yield batch

    ahead = []
    for consumed, _ in enumerate(code_in_processes(stream(), Settings(), workers=2,
                                                   coder_path=NAME_CODER, max_in_flight=3)):
        ahead.append(len(pulled) - consumed)
    assert max(ahead) <= 3 and len(ahead) == 18


def test_a_failing_document_becomes_an_error_and_its_batch_is_kept() -> None:
    docs = [invented("Cambodia and China held talks on trade.", 1),
            invented(f"Japan and Vietnam met. {FAIL_MARKER}", 2),
            invented("Thailand and Cambodia signed a border accord.", 3)]
    [batch] = list(code_in_processes([docs], Settings(), workers=1, coder_path=NAME_CODER))
    assert [d.doc_source for d, _ in batch.pairs] == ["/invented/1.txt", "/invented/3.txt"]
    assert all(len(ex.events) == 1 for _, ex in batch.pairs)
    [error] = batch.errors
    assert error.source == "/invented/2.txt"
    assert "/invented/2.txt" in error.reason and "ValueError" in error.reason


def test_a_dead_worker_is_reported_not_hidden() -> None:
    docs = [[invented("Cambodia and China held talks.", 1)],
            [invented(f"Japan met Vietnam. {EXIT_MARKER}", 2)]]
    with pytest.raises(WorkerCrashError, match="worker process died"):
        list(code_in_processes(docs, Settings(), workers=1, coder_path=NAME_CODER))


def test_an_unknown_coder_is_named_in_the_error() -> None:
    docs = [[invented("Cambodia and China held talks.", 1)]]
    with pytest.raises(DyadwatchError, match="no_such_module"):
        list(code_in_processes(docs, Settings(), workers=1,
                               coder_path="no_such_module:make_coder"))


@pytest.mark.slow
def test_the_spacy_coder_in_two_processes_equals_one_process(
    seeds_dir: Path, guardian_docs: list[Document], tmp_path: Path
) -> None:
    from dyadwatch.coding.coder import load_default_coder

    docs = stored_documents([seeds_dir], tmp_path / "seeds") + guardian_docs[:8]
    batches = chunks(docs, 3)
    settings = Settings()
    parallel = list(code_in_processes(batches, settings, workers=2))
    coder = load_default_coder(settings)
    single = [code_batch(coder, b, i) for i, b in enumerate(batches)]
    assert flat(parallel) == flat(single)
    assert sum(len(ex.events) for _, ex in flat(parallel)) > 10


class _Stamped:
    """Work for a real pool: each word comes back with the moment it was worked on; the
    word's length is its weight (`executors.Weighed`)."""

    def load(self) -> Callable[[str], tuple[str, int]]:
        return lambda word: (word, time.monotonic_ns())

    def cost(self, word: str) -> float:
        return len(word)


def test_a_batch_goes_out_heaviest_first_and_comes_back_in_order() -> None:
    from dyadwatch.run.executors import WorkerProcesses, heaviest_first

    batches = [["to", "embassy", "a", "ceasefire"], ["talks", "on", "aid", "sanctions"]]
    # one worker takes the items in the order they were submitted
    results = list(WorkerProcesses(1, "fork").map(_Stamped(), batches))
    assert [[word for word, _ in batch] for batch in results] == batches
    for batch in results:
        ran = [word for word, _ in sorted(batch, key=lambda pair: pair[1])]
        assert ran == sorted(ran, key=len, reverse=True)
    assert heaviest_first(["ab", "cd", "e", "fgh"], len) == [3, 0, 1, 2]  # ties: input order
    assert heaviest_first(["ab", "e"], None) == [0, 1]
