"""One count vocabulary for every page and output (brief, dashboard, CLI, API).

- events: distinct real-world events (clusters: one event told by five articles is one);
- mentions: sentences that report an event (one per sentence and coded event);
- documents: articles the mentions come from;
- outlets: distinct publishers of those articles (a document whose outlet is unknown counts
  as its own: see `store.analysis.DocumentInfo.outlet_key`).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import asdict, dataclass
from typing import Any, Protocol

COUNT_VOCABULARY = ("events = distinct real-world events (clusters of mentions); mentions = "
                    "sentences reporting an event; documents = articles (an event's "
                    "sources); outlets = distinct publishers.")


class HasOutlet(Protocol):
    @property
    def outlet_key(self) -> str: ...


class Counted(Protocol):
    @property
    def doc_ids(self) -> tuple[str, ...]: ...

    @property
    def num_mentions(self) -> int: ...


@dataclass(frozen=True, slots=True)
class Counts:
    """How much evidence a set of events rests on, in the one vocabulary."""

    events: int
    mentions: int
    documents: int
    outlets: int

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    def phrase(self) -> str:
        """"49 events (69 mentions in 40 documents from 12 outlets)"."""
        return (f"{self.events} {_plural(self.events, 'event')} ({self.mentions} "
                f"{_plural(self.mentions, 'mention')} in {self.documents} "
                f"{_plural(self.documents, 'document')} from {self.outlets} "
                f"{_plural(self.outlets, 'outlet')})")


def _plural(n: int, word: str) -> str:
    return word if n == 1 else word + "s"


def outlets_of(doc_ids: Iterable[str], docs: Mapping[str, HasOutlet]) -> int:
    """Distinct outlets of the documents (unknown documents count as their own)."""
    return len({docs[d].outlet_key if d in docs else f"doc:{d}" for d in doc_ids})


def count_events(clusters: Iterable[Counted], docs: Mapping[str, HasOutlet] | None = None
                 ) -> Counts:
    """Events, mentions, documents and outlets of the clusters (outlets need `docs`; without
    them every document counts as its own outlet)."""
    members = list(clusters)
    doc_ids = {d for c in members for d in c.doc_ids}
    return Counts(events=len(members), mentions=sum(c.num_mentions for c in members),
                  documents=len(doc_ids), outlets=outlets_of(doc_ids, docs or {}))


__all__ = ["COUNT_VOCABULARY", "Counts", "count_events", "outlets_of"]
