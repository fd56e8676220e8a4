"""The stages after coding, and what joins the stages to one another in a run.

- `StoreLookup`: the ingest stage's read-only question to the workspace (`ingest.Lookup`);
- `record_coded`, `record_finished`, `apply_coded`, `apply_shard`: what the code stage
  produced, kept on the batch;
- `write`: the write stage for one batch, one transaction (near-duplicate candidates by LSH
  bands, then documents, sources, MinHash, near-duplicates, errors, extractions);
- `CodeShard`: the per-batch work of a Dask run, whose workers write Parquet shards that
  `store.parquet.compact` then loads;
- `settle`: the last stage (event clusters across the corpus, the Parquet export by month).
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Collection, Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import datetime
from pathlib import Path

import duckdb

from dyadwatch.analysis import assign_clusters
from dyadwatch.analysis.occasions import refine_occasion_places
from dyadwatch.ingest.dedup import Signature, near_pairs
from dyadwatch.ingest.finish import Finisher
from dyadwatch.ingest.prepare import Batch
from dyadwatch.ingest.rules import IngestRules
from dyadwatch.records import Document, Extraction, InputError
from dyadwatch.run.code_stage import DEFAULT_CODER, CodedBatch, CodeDocuments, Task
from dyadwatch.settings import Settings
from dyadwatch.store import documents as store
from dyadwatch.store.parquet import write_event_partitions, write_shard
from dyadwatch.store.workspace import Connector

log = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class StoreLookup:
    """Stored sources and documents, read through the run's session."""

    workspace: Connector

    def __call__(
        self, sources: Sequence[str], doc_ids: Sequence[str]
    ) -> tuple[Mapping[str, str], Collection[str]]:
        with self.workspace.connect(read_only=True) as con:
            return store.known_sources(con, sources), store.known_documents(con, doc_ids)


def record_finished(batch: Batch, finished: Sequence[tuple[Document, Signature]]) -> None:
    """Keep what workers finished (`Finisher`) on the batch: documents with their language,
    signatures, and the count of those not in English."""
    done = {doc.doc_id: (doc, sig) for doc, sig in finished}
    for doc, sig in done.values():
        batch.signatures[doc.doc_id] = sig
        if not doc.codable:
            batch.count("non_english")
    batch.docs = [done[d.doc_id][0] if d.doc_id in done else d for d in batch.docs]
    # in document order, as the ingest stage adds them (near duplicates within a batch
    # depend on it)
    batch.signatures = {d.doc_id: batch.signatures[d.doc_id] for d in batch.docs
                        if d.doc_id in batch.signatures}


def record_coded(batch: Batch, pairs: Sequence[tuple[Document, Extraction]]) -> None:
    """Keep the coder's output on the batch: refined documents, extractions, counts."""
    refined: dict[str, Document] = {}
    for doc, extraction in pairs:
        refined[doc.doc_id] = doc
        batch.extractions.append(extraction)
        batch.count("coded")
        batch.count("events", len(extraction.events))
        batch.count("quotes", len(extraction.quotes))
        batch.count("figures", len(extraction.figures))
    batch.docs = [refined.get(d.doc_id, d) for d in batch.docs]


def apply_coded(batch: Batch, coded: CodedBatch) -> None:
    """A coded batch's documents (finished by the workers, when they did), extractions and
    errors, kept on the batch."""
    record_finished(batch, coded.finished)
    record_coded(batch, coded.pairs)
    batch.errors.extend(coded.errors)


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


def apply_shard(batch: Batch, shard: ShardResult) -> None:
    """A shard's extractions are in Parquet; the batch keeps the documents the worker
    finished, counts and errors (compact marks the documents coded)."""
    docs = {doc.doc_id: doc for doc in batch.docs}
    record_finished(batch, [(replace(docs[doc_id], language=language), signature)
                            for doc_id, language, signature in shard.finished])
    batch.count("coded", len(shard.doc_ids))
    batch.count("events", shard.events)
    batch.errors.extend(shard.errors)


@dataclass(frozen=True, slots=True)
class CodeShard:
    """The work of a Dask worker: code a batch (`CodeDocuments`) and write it as a Parquet
    shard under `parquet_dir` (a folder every worker can reach)."""

    settings: Settings
    parquet_dir: str
    coder_path: str = DEFAULT_CODER
    finish: Finisher | None = None

    def load(self) -> Callable[[Task], ShardResult]:
        code = CodeDocuments(self.settings, self.coder_path, self.finish,
                             self.settings.code_chunk).load()

        def shard(task: Task) -> ShardResult:
            coded = code(task)
            files = write_shard(Path(self.parquet_dir), coded.pairs) if coded.pairs else ()
            return ShardResult(
                index=coded.index, doc_ids=tuple(d.doc_id for d, _ in coded.pairs),
                events=sum(len(ex.events) for _, ex in coded.pairs),
                files=tuple(str(f) for f in files), errors=coded.errors,
                seconds=coded.seconds,
                finished=tuple((doc.doc_id, doc.language, sig) for doc, sig in coded.finished),
            )
        return shard


def find_near_duplicates(
    batch: dict[str, Signature], stored: dict[str, Signature], threshold: float
) -> list[store.NearDuplicate]:
    """Pairs (new doc, earlier doc) whose estimated Jaccard similarity reaches `threshold`:
    each new document against the stored candidates and the new documents before it."""
    ids = [*stored, *batch]
    pairs = near_pairs([*stored.values(), *batch.values()], len(stored), threshold)
    return [store.NearDuplicate(ids[i], ids[j], round(similarity, 4))
            for i, j, similarity in pairs if ids[i] != ids[j]]


def write(
    batch: Batch, workspace: Connector, rules: IngestRules, since: datetime | None = None
) -> None:
    """The write stage for one batch: one transaction for everything it produced. Error rows
    recorded before `since` (the run's start) for the inputs read again are dropped as
    stale."""
    with workspace.connect() as con:
        candidates = {doc_id: Signature(values=values, bands=()) for doc_id, values in
                      store.near_candidates(con, list(batch.signatures.values())).items()}
        near = find_near_duplicates(batch.signatures, candidates, rules.minhash.near_threshold)
        batch.count("near_duplicates", len(near))
        store.write_batch(con, store.DocumentBatch(
            documents=tuple(batch.docs), sources=tuple(batch.sources),
            signatures=tuple(batch.signatures.items()), near_duplicates=tuple(near),
            errors=tuple(batch.errors), extractions=tuple(batch.extractions),
            reread=tuple(sorted(batch.inputs - {""})) if since else (), stale_before=since,
        ))
    for err in batch.errors:
        log.warning("%s", err.reason)


def settle(con: duckdb.DuckDBPyConnection, parquet_dir: Path) -> None:
    """After a run: group mentions into events across all documents (`events.cluster_id`),
    place mentions told only in a third country at their occasion's place
    (`analysis.occasions`), then export the changed months to Parquet (so the export carries
    the cluster ids and places)."""
    assign_clusters(con)
    refine_occasion_places(con)
    write_event_partitions(con, parquet_dir)
