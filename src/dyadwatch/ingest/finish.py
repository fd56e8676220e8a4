"""The per-document part of ingest step 4 that needs no database, runnable in any process.

`Finisher(languages, minhash)(doc)` gives the document with its language (identified from
the text when metadata gave none) and its MinHash signature. Coding workers run it, so the
parent (the only writer, one process however many workers) keeps to reading and writing.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from functools import cache

from dyadwatch.ingest.dedup import Signature, signature_of
from dyadwatch.ingest.language import LanguageIdentifier
from dyadwatch.ingest.rules import LanguageRules, MinHashRules
from dyadwatch.records import Document


@dataclass(frozen=True, slots=True)
class Finisher:
    """Language and signature of a new document (picklable: sent to worker processes)."""

    languages: LanguageRules
    minhash: MinHashRules

    def __call__(self, doc: Document) -> tuple[Document, Signature]:
        if doc.language is None:
            doc = replace(doc, language=_identifier(self.languages).identify(doc.text))
        return doc, signature_of(doc.text, self.minhash)


@cache
def _identifier(rules: LanguageRules) -> LanguageIdentifier:
    return LanguageIdentifier(rules)  # one per process: lingua loads its models on first use
