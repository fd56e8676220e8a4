"""What the ingest stage needs from the coding stage."""

from __future__ import annotations

import logging
from collections.abc import Sequence
from typing import Protocol

from dyadwatch.contexts import with_contexts
from dyadwatch.records import Document, Extraction, InputError, input_error
from dyadwatch.settings import Settings

log = logging.getLogger(__name__)


class DocumentCoder(Protocol):
    """Codes English documents. It may refine a document (e.g. its inferred date) and returns
    the document to store with what was extracted from it, in input order."""

    version: str
    dictionary_version: str

    def code(self, docs: Sequence[Document]) -> list[tuple[Document, Extraction]]: ...


def reset_coder(coder: DocumentCoder) -> None:
    """Forget what the coder learned from earlier documents, so a result depends on the
    documents given alone (`reset()` when the coder has one, else its `learned` is cleared)."""
    reset = getattr(coder, "reset", None)
    if callable(reset):
        reset()
        return
    learned = getattr(coder, "learned", None)
    if isinstance(learned, dict):
        learned.clear()


def code_documents(
    coder: DocumentCoder, docs: Sequence[Document], reset: bool = False
) -> tuple[list[tuple[Document, Extraction]], list[InputError]]:
    """Code `docs` in one call; when that fails, one by one, and a document the coder cannot
    read becomes an error row naming its source (it is stored uncoded). With `reset`, the
    coder forgets what it learned before each call (see `reset_coder`). Events leave with
    their PLOVER contexts (the context stage, `dyadwatch.contexts`)."""
    if reset:
        reset_coder(coder)
    try:
        coded = with_contexts(coder.code(docs))
        return coded, _notes(coded)
    except Exception:  # retried one by one to find the document at fault
        log.warning("coder failed on %d documents; coding them one by one", len(docs))
    pairs: list[tuple[Document, Extraction]] = []
    errors: list[InputError] = []
    for doc in docs:
        if reset:
            reset_coder(coder)
        try:
            pairs.extend(with_contexts(coder.code([doc])))
        except Exception as exc:  # a coder bug on one text must not lose the batch
            log.exception("coder failed on %s", doc.doc_source)
            errors.append(input_error(
                doc.doc_source, f"{doc.doc_source}: coder failed ({type(exc).__name__}: {exc}); "
                                "stored uncoded"))
    return pairs, errors + _notes(pairs)


def _notes(pairs: Sequence[tuple[Document, Extraction]]) -> list[InputError]:
    """The coder's notes on documents it coded in part, as rows of the errors table."""
    return [input_error(doc.doc_source, f"{doc.doc_source}: {note}")
            for doc, extraction in pairs for note in extraction.notes]


def load_coder(settings: Settings) -> DocumentCoder | None:
    """The default coder: spaCy, the actor dictionary and the CAMEO verb patterns."""
    from dyadwatch.coding.coder import SpacyCoder  # heavy: spaCy and the dictionaries

    return SpacyCoder(settings)
