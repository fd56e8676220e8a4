"""The ingest stage: inputs to stored (and, when a coder is given, coded) documents.

`ingest_paths(paths, settings, coder, progress)` reads and returns an `IngestSummary`.
Per batch of `settings.batch_size` inputs:

1. read (readers.py): every input becomes a RawDocument or an InputError naming the file;
2. clean (clean.py) and hash: `doc_id = Document.id_for(cleaned text)`; nothing left after
   cleaning is an error;
3. look up (read-only connection): a source already stored with the same doc_id is unchanged
   (skipped: ingest is idempotent and resumes after a kill); a known doc_id from a new source is a
   duplicate (one more `document_sources` row, no new document);
4. for new documents: metadata date normalised (metadata.py), else the date inferred from the
   text (`dyadwatch.nlp.dates.infer_document_date`; never invented); language (language.py);
   MinHash signature (dedup.py);
5. code (outside the database): new English documents go to `coder.code(docs)`; the documents
   it returns (possibly with a refined inferred date) are the ones stored;
6. write (one transaction, store/documents.py): near-duplicate candidates by LSH bands, then
   documents, sources, MinHash, near-duplicates, errors, extractions and `coded = TRUE`.
"""

from __future__ import annotations

import logging
import time
import uuid
from collections.abc import Callable, Iterator, Sequence
from dataclasses import asdict, dataclass, field, replace
from itertools import islice
from pathlib import Path
from typing import IO, Any

from dyadwatch.coding.api import DocumentCoder, code_documents
from dyadwatch.ingest.clean import clean_text
from dyadwatch.ingest.dedup import Signature, near_pairs, signature_of
from dyadwatch.ingest.language import LanguageIdentifier
from dyadwatch.ingest.metadata import normalise_date
from dyadwatch.ingest.readers import ReadOptions, ReadResult, read_inputs
from dyadwatch.ingest.rules import IngestRules, load_ingest_rules
from dyadwatch.nlp.dates import infer_document_date
from dyadwatch.records import Document, Extraction, InputError, RawDocument, input_error
from dyadwatch.settings import Settings
from dyadwatch.store import documents as store
from dyadwatch.store.workspace import Workspace, open_workspace

log = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class IngestSummary:
    """Counts of one ingest run (running totals while it runs)."""

    new: int = 0
    duplicates: int = 0
    unchanged: int = 0
    near_duplicates: int = 0
    failed: int = 0
    non_english: int = 0
    coded: int = 0
    events: int = 0
    quotes: int = 0
    figures: int = 0
    batches: int = 0
    seconds: float = 0.0
    run_id: str = ""

    @property
    def inputs(self) -> int:
        return self.new + self.duplicates + self.unchanged + self.failed

    def plus(self, other: IngestSummary) -> IngestSummary:
        counts = {k: getattr(self, k) + getattr(other, k) for k in _COUNTS}
        return replace(self, **counts)

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


_COUNTS = ("new", "duplicates", "unchanged", "near_duplicates", "failed", "non_english",
           "coded", "events", "quotes", "figures", "batches")


@dataclass(frozen=True, slots=True)
class IngestOptions:
    """What the readers and cleaners need beyond Settings: data-file rules, field renaming."""

    rules: IngestRules
    fields: dict[str, str] = field(default_factory=dict)

    @property
    def read(self) -> ReadOptions:
        return ReadOptions(self.rules.max_file_bytes, self.rules.max_document_chars, self.fields)


@dataclass(frozen=True, slots=True)
class _Cleaned:
    raw: RawDocument
    doc_id: str
    text: str
    title: str | None
    author: str | None


@dataclass(slots=True)
class _Batch:
    """One batch on its way to the database (private, mutable while it is assembled)."""

    docs: list[Document] = field(default_factory=list)
    sources: list[tuple[str, str]] = field(default_factory=list)
    signatures: dict[str, Signature] = field(default_factory=dict)
    errors: list[InputError] = field(default_factory=list)
    extractions: list[Extraction] = field(default_factory=list)
    counts: dict[str, int] = field(default_factory=dict)

    def count(self, key: str, n: int = 1) -> None:
        self.counts[key] = self.counts.get(key, 0) + n


def _batches(items: Iterator[ReadResult], size: int) -> Iterator[list[ReadResult]]:
    while chunk := list(islice(items, size)):
        yield chunk


def _clean(raw: RawDocument, rules: IngestRules) -> _Cleaned | InputError:
    cleaned = clean_text(raw.text, rules.cleaning, raw.title, raw.author)
    if not cleaned.text.strip():
        return input_error(raw.doc_source, f"{raw.doc_source}: no text left after cleaning")
    return _Cleaned(raw, Document.id_for(cleaned.text), cleaned.text, cleaned.title,
                    cleaned.author)


def build_document(item: _Cleaned, lang: LanguageIdentifier, identify: bool = True) -> Document:
    """The Document of a new text: metadata normalised, language (from metadata, else
    identified from the text unless `identify` is False: see `Finisher`), and an inferred
    date when metadata gives none."""
    raw = item.raw
    published = normalise_date(raw.published)
    language = lang.from_metadata(raw.language)
    if language is None and identify:
        language = lang.identify(item.text)
    doc = Document(
        doc_id=item.doc_id, doc_source=raw.doc_source, text=item.text, title=item.title,
        published=published.date if published else None,
        published_precision=published.precision if published else "unknown",
        language=language, author=item.author, url=raw.url, category=raw.category,
        fmt=raw.fmt,
    )
    if published is None:
        inferred = infer_document_date(item.text)
        if inferred is not None:
            doc = replace(doc, inferred_date=inferred.date, inferred_precision=inferred.precision,
                          inferred_from=inferred.evidence)
    return doc


def _sort(chunk: Sequence[ReadResult], rules: IngestRules, batch: _Batch) -> list[_Cleaned]:
    cleaned: list[_Cleaned] = []
    for result in chunk:
        item = result if isinstance(result, InputError) else _clean(result, rules)
        if isinstance(item, InputError):
            batch.errors.append(item)
            batch.count("failed")
        else:
            cleaned.append(item)
    return cleaned


def _assemble(
    cleaned: list[_Cleaned], workspace: Workspace, ctx: _Context, batch: _Batch,
    finish_here: bool = True,
) -> None:
    """Steps 3-4: skip what is stored, add sources of duplicates, build new documents. With
    `finish_here` False, documents that may be English are left for the workers to finish
    (`Finisher`; then `record_finished`); the others are finished here."""
    with workspace.connect(read_only=True) as con:
        known = store.known_sources(con, [c.raw.doc_source for c in cleaned])
        stored = store.known_documents(con, sorted({c.doc_id for c in cleaned}))
    new: set[str] = set()
    for item in cleaned:
        source = item.raw.doc_source
        if known.get(source) == item.doc_id:
            batch.count("unchanged")
            continue
        batch.sources.append((source, item.doc_id))
        if item.doc_id in stored or item.doc_id in new:
            batch.count("duplicates")
            continue
        new.add(item.doc_id)
        doc = build_document(item, ctx.lang, identify=finish_here)
        batch.docs.append(doc)
        batch.count("new")
        if finish_here or not doc.codable:
            batch.signatures[doc.doc_id] = signature_of(doc.text, ctx.rules.minhash)
            if not doc.codable:
                batch.count("non_english")


def record_finished(batch: _Batch, finished: Sequence[tuple[Document, Signature]]) -> None:
    """Keep what workers finished (`Finisher`) on the batch: documents with their language,
    signatures, and the count of those not in English."""
    done = {doc.doc_id: (doc, sig) for doc, sig in finished}
    for doc, sig in done.values():
        batch.signatures[doc.doc_id] = sig
        if not doc.codable:
            batch.count("non_english")
    batch.docs = [done[d.doc_id][0] if d.doc_id in done else d for d in batch.docs]
    # in document order, as `_assemble` adds them (near duplicates within a batch depend on it)
    batch.signatures = {d.doc_id: batch.signatures[d.doc_id] for d in batch.docs
                        if d.doc_id in batch.signatures}


def _code(batch: _Batch, coder: DocumentCoder | None) -> None:
    """Step 5: the coder reads the new documents in English (or too short to tell) and may
    refine them."""
    english = [d for d in batch.docs if d.codable]
    if coder is None or not english:
        return
    pairs, errors = code_documents(coder, english)
    batch.errors.extend(errors)
    record_coded(batch, pairs)


def record_coded(batch: _Batch, pairs: Sequence[tuple[Document, Extraction]]) -> None:
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


def find_near_duplicates(
    batch: dict[str, Signature], stored: dict[str, Signature], threshold: float
) -> list[store.NearDuplicate]:
    """Pairs (new doc, earlier doc) whose estimated Jaccard similarity reaches `threshold`:
    each new document against the stored candidates and the new documents before it."""
    ids = [*stored, *batch]
    pairs = near_pairs([*stored.values(), *batch.values()], len(stored), threshold)
    return [store.NearDuplicate(ids[i], ids[j], round(similarity, 4))
            for i, j, similarity in pairs if ids[i] != ids[j]]


def _write(batch: _Batch, workspace: Workspace, rules: IngestRules) -> None:
    """Step 6: one transaction for everything the batch produced."""
    with workspace.connect() as con:
        candidates = {doc_id: Signature(values=values, bands=()) for doc_id, values in
                      store.near_candidates(con, list(batch.signatures.values())).items()}
        near = find_near_duplicates(batch.signatures, candidates, rules.minhash.near_threshold)
        batch.count("near_duplicates", len(near))
        store.write_batch(con, store.DocumentBatch(
            documents=tuple(batch.docs), sources=tuple(batch.sources),
            signatures=tuple(batch.signatures.items()), near_duplicates=tuple(near),
            errors=tuple(batch.errors), extractions=tuple(batch.extractions),
        ))
    for err in batch.errors:
        log.warning("%s", err.reason)


@dataclass(frozen=True, slots=True)
class _Context:
    rules: IngestRules
    lang: LanguageIdentifier
    coder: DocumentCoder | None


def _run_batch(chunk: list[ReadResult], workspace: Workspace, ctx: _Context) -> IngestSummary:
    batch = _Batch()
    cleaned = _sort(chunk, ctx.rules, batch)
    if cleaned:
        _assemble(cleaned, workspace, ctx, batch)
    _code(batch, ctx.coder)
    _write(batch, workspace, ctx.rules)
    batch.count("batches")
    return IngestSummary(**batch.counts)  # type: ignore[arg-type]  # counts are the int fields


def ingest_paths(
    paths: Sequence[str | Path],
    settings: Settings,
    coder: DocumentCoder | None = None,
    progress: Callable[[IngestSummary], None] | None = None,
    options: IngestOptions | None = None,
    stdin: IO[bytes] | None = None,
) -> IngestSummary:
    """Ingest files, directories and `-` (stdin) into the workspace `settings.data_dir`.

    Reads the inputs, writes documents (and the coder's extractions) batch by batch, one
    transaction each, and returns the run's counts. `progress` is called after every batch with
    the running totals. Bad input becomes an `errors` row; it never stops the run."""
    options = options or IngestOptions(rules=load_ingest_rules())
    workspace = open_workspace(settings.data_dir, settings.lock_timeout_s)
    run_id = uuid.uuid4().hex[:16]
    with workspace.connect() as con:
        store.start_run(con, run_id)
    ctx = _Context(options.rules, LanguageIdentifier(options.rules.languages), coder)
    started = time.monotonic()
    total = IngestSummary(run_id=run_id)
    for chunk in _batches(read_inputs(paths, options.read, stdin), max(1, settings.batch_size)):
        total = total.plus(_run_batch(chunk, workspace, ctx))
        total = replace(total, seconds=round(time.monotonic() - started, 3))
        if progress is not None:
            progress(total)
    with workspace.connect() as con:
        store.finish_run(con, run_id, total.to_dict())
    log.info("ingest run %s: %s", run_id, total)
    return total

