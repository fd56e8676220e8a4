"""Support for the scale tests: a small real coder that worker processes can import by name,
and documents read from the shared corpora through the real ingest pipeline.

`NameCoder` is cheap (no spaCy model): it splits sentences with the project's splitter and
records a "consult" event for every sentence naming two countries of a small list. It also
remembers names across calls (like SpacyCoder's learned people), so the tests can check that
workers reset it per batch. Marker words make it fail on purpose.
"""

from __future__ import annotations

import os
import re
from collections.abc import Sequence
from dataclasses import replace
from itertools import islice
from pathlib import Path

from dyadwatch.records import Actor, Document, Event, Extraction
from dyadwatch.run import ingest_paths
from dyadwatch.settings import Settings
from dyadwatch.store.documents import query_documents, row_to_document
from dyadwatch.store.workspace import Workspace

COUNTRIES = {"Cambodia": "KHM", "China": "CHN", "Thailand": "THA", "Japan": "JPN",
             "Vietnam": "VNM", "Russia": "RUS", "Ukraine": "UKR", "India": "IND",
             "Australia": "AUS", "France": "FRA", "Germany": "DEU", "Britain": "GBR",
             "United States": "USA", "US": "USA", "Israel": "ISR", "Iran": "IRN"}
_NAMES = re.compile(r"\b(" + "|".join(sorted(COUNTRIES, key=len, reverse=True)) + r")\b")
FAIL_MARKER = "coder-must-fail"
EXIT_MARKER = "worker-must-exit"


class NameCoder:
    """Codes a consult event (040) between the first two countries named in a sentence."""

    version = "name-coder/1"
    dictionary_version = "countries/1"

    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self.learned: dict[str, str] = {}

    def code(self, docs: Sequence[Document]) -> list[tuple[Document, Extraction]]:
        return [(doc, self._extract(doc)) for doc in docs]

    def _extract(self, doc: Document) -> Extraction:
        from dyadwatch.nlp.sentences import split_sentences

        if FAIL_MARKER in doc.text:
            raise ValueError("this document asks the coder to fail")
        if EXIT_MARKER in doc.text:
            os._exit(3)
        events = []
        for sentence in split_sentences(doc.text):
            names = list(dict.fromkeys(_NAMES.findall(sentence.text)))
            # state carried across documents: a name met in another document scores higher
            seen = self.learned.get(names[0]) if names else None
            confidence = 0.9 if seen and seen != doc.doc_id else 0.5
            for name in names:
                self.learned.setdefault(name, doc.doc_id)
            if len(names) >= 2 and COUNTRIES[names[0]] != COUNTRIES[names[1]]:
                events.append(self._event(doc, sentence.index, sentence.text, names, confidence))
        return Extraction(doc.doc_id, events=tuple(events))

    def _event(self, doc: Document, index: int, text: str, names: list[str],
               confidence: float) -> Event:
        source = Actor(COUNTRIES[names[0]], COUNTRIES[names[0]], None, names[0])
        target = Actor(COUNTRIES[names[1]], COUNTRIES[names[1]], None, names[1])
        return Event(
            event_id=Event.id_for(doc.doc_id, index, source.code, target.code, "040"),
            doc_id=doc.doc_id, doc_source=doc.doc_source, sentence_index=index, sentence=text,
            date=doc.anchor_date, date_end=None, date_precision="document", source=source,
            target=target, cameo="040", root="04", quad_class=1, goldstein=1.0,
            plover="CONSULT", modality="occurred", negated=False, confidence=confidence,
            coder_version=self.version, dictionary_version=self.dictionary_version,
        )


def load_name_coder(settings: Settings) -> NameCoder:
    return NameCoder(settings)


NAME_CODER = "test_scale_support:load_name_coder"


class WhereCoder(NameCoder):
    """A NameCoder that titles each document with the process id that built the coder."""

    def __init__(self, settings: Settings) -> None:
        super().__init__(settings)
        self.built_in = os.getpid()

    def code(self, docs: Sequence[Document]) -> list[tuple[Document, Extraction]]:
        return [(replace(doc, title=str(self.built_in)), ex) for doc, ex in super().code(docs)]


def load_where_coder(settings: Settings) -> WhereCoder:
    return WhereCoder(settings)


WHERE_CODER = "test_scale_support:load_where_coder"


def stored_documents(paths: Sequence[Path], data_dir: Path, limit: int | None = None
                     ) -> list[Document]:
    """Documents of `paths` as the ingest pipeline cleans them (stored, not coded)."""
    settings = Settings(data_dir=data_dir)
    ingest_paths([str(p) for p in paths], settings, coder=None)
    with Workspace(data_dir).connect(read_only=True) as con:
        rows = query_documents(con, language="en")
    docs = sorted((row_to_document(r) for r in rows), key=lambda d: d.doc_source)
    return docs[:limit] if limit else docs


def chunks(docs: Sequence[Document], size: int) -> list[list[Document]]:
    it = iter(docs)
    return [c for c in iter(lambda: list(islice(it, size)), [])]
