"""The ingest stage: inputs read and cleaned into documents, batch by batch.

`prepared_batches(paths, options, stdin, size, lookup, ctx)` is the stage's one entry: per
batch of `size` inputs,

1. read (readers.py): every input becomes a RawDocument or an InputError naming the file;
2. clean (clean.py) and hash: `doc_id = Document.id_for(cleaned text)`; nothing left after
   cleaning is an error;
3. look up (read-only, through `lookup`, which the run answers from the workspace): a source
   already stored with the same doc_id is unchanged (skipped: ingest is idempotent and
   resumes after a kill); a known doc_id from a new source is a duplicate (one more source
   row, no new document);
4. for new documents: metadata date normalised (metadata.py), else the date inferred from the
   text (`dyadwatch.nlp.dates.infer_document_date`; never invented); language (language.py);
   MinHash signature (dedup.py). With `finish_here` False, documents that may be English are
   left for the coding workers to finish (`finish.Finisher`).

It yields one `Batch` per chunk of inputs. Coding and writing are later stages of the run
(`dyadwatch.run`); this package imports neither `dyadwatch.coding` nor `dyadwatch.store`.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Collection, Iterator, Mapping, Sequence
from dataclasses import asdict, dataclass, field, replace
from itertools import islice
from pathlib import Path
from typing import IO, Any, Protocol

from dyadwatch.ingest.clean import clean_text
from dyadwatch.ingest.dedup import Signature, signature_of
from dyadwatch.ingest.language import LanguageIdentifier
from dyadwatch.ingest.metadata import normalise_date
from dyadwatch.ingest.readers import ReadOptions, ReadResult, read_inputs
from dyadwatch.ingest.rules import IngestRules
from dyadwatch.nlp.dates import infer_document_date
from dyadwatch.records import Document, Extraction, InputError, RawDocument, input_error

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
    built, then what the later stages of the run add (`dyadwatch.run.stages`)."""

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


class Lookup(Protocol):
    """Step 3's question to the workspace (read-only): of these sources, which are stored and
    with which doc_id; of these doc_ids, which are stored."""

    def __call__(
        self, sources: Sequence[str], doc_ids: Sequence[str]
    ) -> tuple[Mapping[str, str], Collection[str]]: ...


@dataclass(frozen=True, slots=True)
class Context:
    """What every batch of a run shares: the rules and the language identifier."""

    rules: IngestRules
    lang: LanguageIdentifier

    @classmethod
    def of(cls, options: IngestOptions) -> Context:
        return cls(options.rules, LanguageIdentifier(options.rules.languages))


def _assemble(
    cleaned: list[_Cleaned], lookup: Lookup, ctx: Context, batch: Batch,
    finish_here: bool = True,
) -> None:
    """Steps 3-4: skip what is stored, add sources of duplicates, build new documents. With
    `finish_here` False, documents that may be English are left for the workers to finish
    (`Finisher`); the others are finished here."""
    known, stored = lookup([c.raw.doc_source for c in cleaned], sorted({c.doc_id for c in cleaned}))
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
    chunk: Sequence[ReadResult], lookup: Lookup, ctx: Context, finish_here: bool = True
) -> Batch:
    """Steps 2-4 for one chunk of inputs: errors and counts recorded, new documents built
    (left for the workers to finish when `finish_here` is False: see `_assemble`)."""
    batch = Batch()
    cleaned = _sort(chunk, ctx.rules, batch)
    if cleaned:
        _assemble(cleaned, lookup, ctx, batch, finish_here)
    return batch




def prepared_batches(
    paths: Sequence[str | Path], options: IngestOptions, stdin: IO[bytes] | None, size: int,
    lookup: Lookup, finish_here: bool = True,
) -> Iterator[Batch]:
    """The stage: steps 1-4 for every chunk of `size` inputs, one Batch each, in a stream."""
    ctx = Context.of(options)
    for chunk in read_batches(paths, options, stdin, size):
        yield prepare(chunk, lookup, ctx, finish_here)
