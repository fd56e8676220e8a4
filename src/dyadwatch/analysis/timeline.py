"""The timeline of a dyad: its clusters in date order, each in words with its sources.

Reads Cluster records and the description tables; returns TimelineEntry records (dated
entries in date order, undated ones last).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import asdict, dataclass
from typing import Any

from dyadwatch.analysis.clusters import FAR_FUTURE, Cluster, date_end_day
from dyadwatch.analysis.tables import DescriptionTables
from dyadwatch.store.events import date_start


@dataclass(frozen=True, slots=True)
class TimelineSource:
    """One mention of a timeline event: the document and the evidence sentence."""

    event_id: str
    doc_id: str
    doc_source: str
    sentence: str
    date: str | None
    date_precision: str


@dataclass(frozen=True, slots=True)
class TimelineEntry:
    """One real-world event of the dyad, described in one line, with its sources."""

    cluster_id: str
    date: str | None
    date_end: str | None
    date_precision: str
    cameo: str
    root: str
    quad_class: int
    goldstein: float
    plover: str
    modality: str
    negated: bool
    source_code: str
    target_code: str
    description: str
    num_sources: int
    num_mentions: int
    sources: tuple[TimelineSource, ...]

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


def describe(cluster: Cluster, tables: DescriptionTables) -> str:
    """One line in words: "United States eased sanctions on Cambodia" (+ modality note)."""
    text = tables.phrase_for(cluster.cameo).format(
        source=tables.actor_name(cluster.source), target=tables.actor_name(cluster.target)
    )
    text = text[:1].upper() + text[1:]
    if cluster.negated:
        text = f"{tables.negated_prefix} {text}"
    note = tables.modality_notes.get(cluster.modality)
    return f"{text} {note}" if note else text


def _source(mention: Any) -> TimelineSource:
    return TimelineSource(
        event_id=mention.event_id, doc_id=mention.doc_id, doc_source=mention.doc_source,
        sentence=mention.sentence, date=mention.date, date_precision=mention.date_precision,
    )


def _entry(cluster: Cluster, tables: DescriptionTables) -> TimelineEntry:
    sources: dict[str, TimelineSource] = {}
    for mention in cluster.mentions:  # one evidence sentence per document: its first
        sources.setdefault(mention.doc_id, _source(mention))
    return TimelineEntry(
        cluster_id=cluster.cluster_id, date=cluster.date, date_end=cluster.date_end,
        date_precision=cluster.date_precision, cameo=cluster.cameo, root=cluster.root,
        quad_class=cluster.quad_class, goldstein=cluster.goldstein, plover=cluster.plover,
        modality=cluster.modality, negated=cluster.negated, source_code=cluster.source.code or "",
        target_code=cluster.target.code or "", description=describe(cluster, tables),
        num_sources=cluster.num_sources, num_mentions=cluster.num_mentions,
        sources=tuple(sources.values()),
    )


def build_timeline(
    clusters: Iterable[Cluster], tables: DescriptionTables, since: str | None = None,
    until: str | None = None,
) -> list[TimelineEntry]:
    """Entries of the clusters in date order (undated last; left out when dates are given).

    `since`/`until` are ISO dates of any precision compared with the clusters' first day;
    `until` includes its whole period ("2026-01" keeps events up to 31 January).
    """
    low = date_start(since) if since else None
    high = date_end_day(until) if until else None
    kept = []
    for cluster in clusters:
        start = cluster.date_start
        if (low or high) and start is None:
            continue
        if (low and start and start < low) or (high and start and start > high):
            continue
        kept.append(cluster)
    kept.sort(key=lambda c: (c.date_start or FAR_FUTURE, c.cluster_id))
    return [_entry(c, tables) for c in kept]
