"""The context stage: coded documents in, the same documents with their events' contexts out."""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import replace
from functools import lru_cache

from dyadwatch.contexts.lexicon import ContextLexicon, load_contexts
from dyadwatch.errors import ParameterError
from dyadwatch.records import Document, Event, Extraction

log = logging.getLogger(__name__)


@lru_cache(maxsize=1)
def packaged_lexicon() -> ContextLexicon:
    """The packaged lexicon, read once per process (it is immutable)."""
    return load_contexts()


def event_contexts(event: Event, lexicon: ContextLexicon) -> tuple[str, ...]:
    """The contexts of one event: its sentence, its CAMEO code and both actors' codes."""
    return lexicon.assign(event.sentence, event.cameo, (event.source.code, event.target.code))


def with_contexts(
    pairs: Sequence[tuple[Document, Extraction]], lexicon: ContextLexicon | None = None
) -> list[tuple[Document, Extraction]]:
    """Each (document, extraction) with every event's `contexts` filled (order kept)."""
    lexicon = lexicon or packaged_lexicon()
    out = []
    for doc, extraction in pairs:
        events = tuple(replace(e, contexts=event_contexts(e, lexicon))
                       for e in extraction.events)
        out.append((doc, replace(extraction, events=events)))
    log.debug("contexts (%s %s) on %d documents", lexicon.name, lexicon.version, len(out))
    return out


def check_context(name: str | None, lexicon: ContextLexicon | None = None) -> str | None:
    """`name` in lower case when it is one of the lexicon's contexts (None stays None); else
    a ParameterError that names it and lists the known contexts."""
    if name is None:
        return None
    names = (lexicon or packaged_lexicon()).names
    if name.strip().lower() not in names:
        raise ParameterError(f"unknown context {name!r}: expected one of {', '.join(names)}")
    return name.strip().lower()
