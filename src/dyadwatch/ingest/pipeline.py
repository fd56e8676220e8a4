"""The ingest stage: inputs to stored (and, when a coder is given, coded) documents.

`ingest_paths(paths, settings, coder, progress)` reads and returns an `IngestSummary`.
Per batch of `settings.batch_size` inputs:

1. read (readers.py): every input becomes a RawDocument or an InputError naming the file;
2. clean (clean.py) and hash: `doc_id = Document.id_for(cleaned text)`; nothing left after
   cleaning is an error;
3. look up (read-only): a source already stored with the same doc_id is unchanged
   (skipped: ingest is idempotent and resumes after a kill); a known doc_id from a new source is a
   duplicate (one more `document_sources` row, no new document);
4. for new documents: metadata date normalised (metadata.py), else the date inferred from the
   text (`dyadwatch.nlp.dates.infer_document_date`; never invented); language (language.py);
   MinHash signature (dedup.py);
5. code (outside the database): new English documents go to `coder.code(docs)`; the documents
   it returns (possibly with a refined inferred date) are the ones stored;
6. write (one transaction, store/documents.py): near-duplicate candidates by LSH bands, then
   documents, sources, MinHash, near-duplicates, errors, extractions and `coded = TRUE`.

The steps are public for the parallel and cluster runs (`dyadwatch.scale.ingest`), which
code elsewhere: `Run` (the run's row and totals), `read_batches` (1), `prepare` (2-4),
`code` (5, here) or `record_finished`/`record_coded` (what workers did), `Run.written` (6).
Steps 3 and 6 open the workspace through the run's `Session` (`Run.session`), which attaches
the database file for each and lets go of it after.
"""

from __future__ import annotations

import logging
import time
import uuid
from collections.abc import Callable, Iterator, Sequence
from contextlib import ExitStack
from dataclasses import asdict, dataclass, field, replace
from datetime import UTC, datetime
from itertools import islice
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any

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
from dyadwatch.store.workspace import Connector, Workspace

if TYPE_CHECKING:
    import duckdb

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
        return ReadOptions(max_file_bytes=self.rules.max_file_bytes,
                           max_document_chars=self.rules.max_document_chars,
                           max_field_chars=self.rules.max_field_chars, fields=self.fields)


@dataclass(frozen=True, slots=True)
class _Cleaned:
    raw: RawDocument
    doc_id: str
    text: str
    title: str | None
    author: str | None


@dataclass(slots=True)
class Batch:
    """One batch on its way to the database (mutable while it is assembled): what `prepare`
    built, what the coder and workers add (`record_coded`, `record_finished`), then `write`."""

    docs: list[Document] = field(default_factory=list)
    sources: list[tuple[str, str]] = field(default_factory=list)
    signatures: dict[str, Signature] = field(default_factory=dict)
    errors: list[InputError] = field(default_factory=list)
    extractions: list[Extraction] = field(default_factory=list)
    counts: dict[str, int] = field(default_factory=dict)
    inputs: set[str] = field(default_factory=set)  # files read: their older errors are stale

    def count(self, key: str, n: int = 1) -> None:
        self.counts[key] = self.counts.get(key, 0) + n


def read_batches(
    paths: Sequence[str | Path], options: IngestOptions, stdin: IO[bytes] | None, size: int
) -> Iterator[list[ReadResult]]:
    """Step 1 in a stream: the inputs read, `size` at a time."""
    items = read_inputs(paths, options.read, stdin)
    while chunk := list(islice(items, max(1, size))):
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
        fmt=raw.fmt, outlet=raw.outlet,
    )
    if published is None:
        inferred = infer_document_date(item.text)
        if inferred is not None:
            doc = replace(doc, inferred_date=inferred.date, inferred_precision=inferred.precision,
                          inferred_from=inferred.evidence)
    return doc


def _sort(chunk: Sequence[ReadResult], rules: IngestRules, batch: Batch) -> list[_Cleaned]:
    cleaned: list[_Cleaned] = []
    for result in chunk:
        batch.inputs.add(result.origin)
        item = result if isinstance(result, InputError) else _guarded(_clean, result, rules)
        if isinstance(item, InputError):
            batch.errors.append(item)
            batch.count("failed")
        else:
            cleaned.append(item)
    return cleaned


def _guarded(
    step: Callable[[RawDocument, IngestRules], _Cleaned | InputError], raw: RawDocument,
    rules: IngestRules,
) -> _Cleaned | InputError:
    """`step(raw, rules)`; an unexpected failure on one input is that input's error row."""
    try:
        return step(raw, rules)
    except Exception as exc:  # a bug or a text no rule foresaw must not stop the batch
        log.exception("%s: cleaning failed", raw.doc_source)
        return input_error(raw.doc_source, f"{raw.doc_source}: could not be cleaned "
                                           f"({type(exc).__name__}: {exc})", raw.origin)


def _assemble(
    cleaned: list[_Cleaned], workspace: Connector, ctx: Context, batch: Batch,
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
        try:
            doc = build_document(item, ctx.lang, identify=finish_here)
        except Exception as exc:  # one unforeseen text must not stop the batch
            log.exception("%s: metadata or date failed", source)
            batch.sources.pop()
            batch.errors.append(input_error(source, f"{source}: could not be read "
                                                    f"({type(exc).__name__}: {exc})"))
            batch.count("failed")
            continue
        new.add(item.doc_id)
        batch.docs.append(doc)
        batch.count("new")
        if finish_here or not doc.codable:
            batch.signatures[doc.doc_id] = signature_of(doc.text, ctx.rules.minhash)
            if not doc.codable:
                batch.count("non_english")


def prepare(
    chunk: Sequence[ReadResult], workspace: Connector, ctx: Context, finish_here: bool = True
) -> Batch:
    """Steps 2-4 for one chunk of inputs: errors and counts recorded, new documents built
    (left for the workers to finish when `finish_here` is False: see `_assemble`)."""
    batch = Batch()
    cleaned = _sort(chunk, ctx.rules, batch)
    if cleaned:
        _assemble(cleaned, workspace, ctx, batch, finish_here)
    return batch


def record_finished(batch: Batch, finished: Sequence[tuple[Document, Signature]]) -> None:
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


def code(batch: Batch, coder: DocumentCoder | None) -> None:
    """Step 5: the coder reads the new documents in English (or too short to tell) and may
    refine them."""
    english = [d for d in batch.docs if d.codable]
    if coder is None or not english:
        return
    pairs, errors = code_documents(coder, english)
    batch.errors.extend(errors)
    record_coded(batch, pairs)


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
    """Step 6: one transaction for everything the batch produced. Error rows recorded before
    `since` (the run's start) for the inputs read again are dropped as stale."""
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


@dataclass(frozen=True, slots=True)
class Context:
    """What every batch of a run shares: the rules, the language identifier, the coder."""

    rules: IngestRules
    lang: LanguageIdentifier
    coder: DocumentCoder | None


Progress = Callable[[IngestSummary], None]


class Run:
    """One ingest run's bookkeeping: the workspace, its `ingest_runs` row, running totals.
    Batches are `prepare`d, coded here or elsewhere, then handed to `written`.

    A run is the workspace's one writer: it holds the workspace's writer lock from its start
    to `finish` (or `close`; `with Run(...) as run` closes it in any case), and it reads the
    whole database file before its first write: a damaged file raises WorkspaceDamagedError
    and is left as it was."""

    def __init__(self, settings: Settings, options: IngestOptions | None = None,
                 coder: DocumentCoder | None = None) -> None:
        self.options = options or IngestOptions(rules=load_ingest_rules())
        self.workspace = Workspace(settings.data_dir, settings.lock_timeout_s)
        self._held = ExitStack()
        self._held.enter_context(self.workspace.writer_lock())
        self.session = self.workspace.session()  # every connection of the run goes through it
        rules = self.options.rules
        self.ctx = Context(rules, LanguageIdentifier(rules.languages), coder)
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
        """Step 6 for `batch`, then the running totals (passed to `progress`)."""
        write(batch, self.session, self.ctx.rules, self.started_at)
        batch.count("batches")
        self.total = self.total.plus(IngestSummary(**batch.counts))  # type: ignore[arg-type]
        self.total = replace(self.total, seconds=round(time.monotonic() - self.started, 3))
        if progress is not None:
            progress(self.total)

    def finish(
        self, settle: Callable[[duckdb.DuckDBPyConnection], None] | None = None
    ) -> IngestSummary:
        """Record the run's totals (after `settle`, in the same connection, when given)."""
        with self.session.connect() as con:
            if settle is not None:
                settle(con)
            store.finish_run(con, self.total.run_id, self.total.to_dict())
        self.close()
        log.info("ingest run %s: %s", self.total.run_id, self.total)
        return self.total


def ingest_paths(
    paths: Sequence[str | Path],
    settings: Settings,
    coder: DocumentCoder | None = None,
    progress: Progress | None = None,
    options: IngestOptions | None = None,
    stdin: IO[bytes] | None = None,
    settle: Callable[[duckdb.DuckDBPyConnection], None] | None = None,
) -> IngestSummary:
    """Ingest files, directories and `-` (stdin) into the workspace `settings.data_dir`.

    Reads the inputs, writes documents (and the coder's extractions) batch by batch, one
    transaction each, and returns the run's counts. `progress` is called after every batch with
    the running totals; `settle` once at the end. Bad input becomes an `errors` row; it never
    stops the run."""
    with Run(settings, options, coder) as run:
        for chunk in read_batches(paths, run.options, stdin, settings.batch_size):
            batch = prepare(chunk, run.session, run.ctx)
            code(batch, coder)
            run.written(batch, progress)
        return run.finish(settle)
