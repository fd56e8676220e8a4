"""What the ingest stage needs from the coding stage."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Protocol

from dyadwatch.records import Document, Extraction
from dyadwatch.settings import Settings


class DocumentCoder(Protocol):
    """Codes English documents. It may refine a document (e.g. its inferred date) and returns
    the document to store with what was extracted from it, in input order."""

    version: str
    dictionary_version: str

    def code(self, docs: Sequence[Document]) -> list[tuple[Document, Extraction]]: ...


def load_coder(settings: Settings) -> DocumentCoder | None:
    """The default coder: spaCy, the actor dictionary and the CAMEO verb patterns."""
    from dyadwatch.coding.coder import SpacyCoder  # heavy: spaCy and the dictionaries

    return SpacyCoder(settings)
