"""The analysis the web shows, computed by `dyadwatch.analysis` over one request's connection.

Reads events through a read-only connection and returns the analysis package's records
(Cluster, SeriesPoint, TimelineEntry, HedgingPoint, ChangeAnalysis) or JSON-ready dicts of
them. Nothing is re-implemented here: this module only picks the events and composes calls.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Any

import duckdb

from dyadwatch.analysis import (
    ChangeAnalysis,
    Cluster,
    DescriptionTables,
    Freq,
    SeriesPoint,
    TimelineEntry,
    build_timeline,
    cluster_events,
    detect_change_points,
    dyad_series,
    load_clusters,
    series_observations,
)
from dyadwatch.analysis.clusters import clusters_from_stored
from dyadwatch.analysis.queries import HedgingIndex, hedging_from_clusters
from dyadwatch.store.analysis import document_anchors
from dyadwatch.store.events import EventFilter, date_start, query_events


@dataclass(frozen=True, slots=True)
class DyadView:
    """What the dyad page and the series endpoint show for one dyad."""

    dyad: tuple[str, str]
    freq: str
    series: tuple[SeriesPoint, ...]
    changes: ChangeAnalysis
    timeline: tuple[TimelineEntry, ...]
    sentence_of: dict[str, int]  # event_id -> sentence index, to link evidence to its place


def clusters(con: duckdb.DuckDBPyConnection, flt: EventFilter) -> list[Cluster]:
    """Clusters of the events matching `flt`, in date order (undated last).

    Stored cluster ids are used when every matching event has one; otherwise the matching
    events are clustered on the fly (as `analysis.load_clusters` does).
    """
    if flt == EventFilter(dyad=flt.dyad, actor=flt.actor):  # nothing but actors
        return load_clusters(con, dyad=flt.dyad, actor=flt.actor)
    events = query_events(con, flt)
    if events and all(e.cluster_id for e in events):
        return clusters_from_stored(events)
    return cluster_events(events, document_anchors(con))


def cluster_to_dict(cluster: Cluster) -> dict[str, Any]:
    """A cluster as JSON: its code, actors and date, and the evidence of every mention."""
    return {
        "cluster_id": cluster.cluster_id, "dyad": list(cluster.dyad), "date": cluster.date,
        "date_end": cluster.date_end, "date_precision": cluster.date_precision,
        "source": cluster.source.to_dict(), "target": cluster.target.to_dict(),
        "cameo": cluster.cameo, "root": cluster.root, "quad_class": cluster.quad_class,
        "goldstein": cluster.goldstein, "plover": cluster.plover,
        "modality": cluster.modality, "negated": cluster.negated,
        "mentions": cluster.num_mentions, "sources": cluster.num_sources,
        "doc_ids": list(cluster.doc_ids),
        "evidence": [
            {"event_id": m.event_id, "doc_id": m.doc_id, "doc_source": m.doc_source,
             "sentence_index": m.sentence_index, "sentence": m.sentence, "date": m.date}
            for m in cluster.mentions
        ],
    }


def dyad_view(
    con: duckdb.DuckDBPyConnection, dyad: tuple[str, str], tables: DescriptionTables,
    freq: str = "month", since: str | None = None, until: str | None = None,
) -> DyadView:
    """The dyad's (undirected) series per period, its change points and its timeline."""
    found = [c for c in load_clusters(con, dyad=dyad) if _within(c, since, until)]
    series = dyad_series(found, Freq(freq), False, dyad)
    metric = "goldstein_sum"
    changes = detect_change_points(
        series_observations(series, metric), f"{metric} of {dyad[0]}-{dyad[1]}"
    )
    timeline = build_timeline(found, tables, since, until)
    sentence_of = {m.event_id: m.sentence_index for c in found for m in c.mentions}
    return DyadView(dyad, Freq(freq).value, tuple(series), changes, tuple(timeline), sentence_of)


def _within(cluster: Cluster, since: str | None, until: str | None) -> bool:
    start = cluster.date_start
    if not (since or until):
        return True
    if start is None:
        return False
    low, high = date_start(since), date_start(until)
    return not ((low and start < low) or (high and start > high))


def series_to_dict(view: DyadView) -> dict[str, Any]:
    return {
        "dyad": list(view.dyad), "freq": view.freq,
        "points": [asdict(p) for p in view.series], "changes": asdict(view.changes),
    }


def hedging(
    con: duckdb.DuckDBPyConnection, focal: str, powers: tuple[str, str], freq: str
) -> HedgingIndex:
    """The hedging index of `focal` between the two powers (`analysis.queries`)."""
    a, b = powers
    return hedging_from_clusters(load_clusters(con, actor=focal), focal, a, b, freq)
