"""Workspace-level entry points: open the store read-only, load clusters, analyse.

These are what the CLI, the HTML brief, the notebook API and the web dashboard call; each
opens a short read-only connection, reads the clusters it needs and returns records.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from dyadwatch.analysis.changepoints import ChangeAnalysis, detect_change_points
from dyadwatch.analysis.clusters import Cluster, load_clusters
from dyadwatch.analysis.hedging import HedgingPoint, hedging_index, hedging_overall
from dyadwatch.analysis.observations import hedging_observations, series_observations
from dyadwatch.analysis.series import Freq, SeriesPoint, dyad_series
from dyadwatch.analysis.tables import DescriptionTables, load_description_tables
from dyadwatch.analysis.timeline import TimelineEntry, build_timeline
from dyadwatch.store.workspace import Workspace


@dataclass(frozen=True, slots=True)
class DyadIndex:
    """A dyad's series, with the change points of its net cooperation."""

    dyad: tuple[str, str]
    freq: str
    directed: bool
    series: tuple[SeriesPoint, ...]
    changes: ChangeAnalysis


@dataclass(frozen=True, slots=True)
class HedgingIndex:
    """The hedging index of `focal` between `a` and `b`: per period, overall, change points."""

    focal: str
    a: str
    b: str
    freq: str
    points: tuple[HedgingPoint, ...]
    overall: HedgingPoint
    changes: ChangeAnalysis


METRIC_WORDS = {
    "goldstein_sum": "net cooperation", "goldstein_mean": "mean Goldstein value",
    "events": "the number of events", "cooperation": "cooperative events",
    "conflict": "conflictual events",
}


def _codes(*codes: str) -> tuple[str, ...]:
    return tuple(c.strip().upper() for c in codes)


def dyad_clusters(ws: Workspace, a: str, b: str) -> list[Cluster]:
    """Clusters of the dyad A–B (country codes or code prefixes), in date order."""
    a, b = _codes(a, b)
    with ws.connect(read_only=True) as con:
        return load_clusters(con, dyad=(a, b))


def actor_clusters(ws: Workspace, actor: str | None = None) -> list[Cluster]:
    """Clusters involving `actor` (code prefix), or all clusters."""
    with ws.connect(read_only=True) as con:
        return load_clusters(con, actor=actor.upper() if actor else None)


def get_timeline(
    ws: Workspace, a: str, b: str, since: str | None = None, until: str | None = None,
    tables: DescriptionTables | None = None,
) -> list[TimelineEntry]:
    """The dyad's events in date order, described and sourced."""
    return build_timeline(dyad_clusters(ws, a, b), tables or load_description_tables(),
                          since, until)


def get_dyad_index(
    ws: Workspace, a: str, b: str, freq: Freq = Freq.month, directed: bool = False,
    metric: str = "goldstein_sum",
) -> DyadIndex:
    """Series of A–B (directed: A acting on B) and change points of `metric`."""
    a, b = _codes(a, b)
    series = dyad_series(dyad_clusters(ws, a, b), Freq(freq), directed, (a, b))
    label = f"{METRIC_WORDS.get(metric, metric)} of {a}–{b}"
    changes = detect_change_points(series_observations(series, metric), label)
    return DyadIndex((a, b), Freq(freq).value, directed, tuple(series), changes)


def get_hedging(
    ws: Workspace, focal: str, a: str, b: str, freq: Freq = Freq.quarter
) -> HedgingIndex:
    """Hedging of `focal` between `a` (+1) and `b` (−1), per period, with change points."""
    focal, a, b = _codes(focal, a, b)
    return hedging_from_clusters(actor_clusters(ws, focal), focal, a, b, freq)


def hedging_from_clusters(
    clusters: Sequence[Cluster], focal: str, a: str, b: str, freq: Freq | str = Freq.quarter
) -> HedgingIndex:
    """The hedging index of `focal` between `a` and `b` over the given clusters."""
    points = hedging_index(clusters, focal, a, b, Freq(freq))
    overall = hedging_overall(clusters, focal, a, b)
    changes = detect_change_points(hedging_observations(points),
                                   f"hedging of {focal} between {a} and {b}")
    return HedgingIndex(focal, a, b, Freq(freq).value, tuple(points), overall, changes)


def main_rival(ws: Workspace, focal: str, exclude: str) -> str | None:
    """The country with the most events with `focal` other than `exclude` (for hedging)."""
    focal, exclude = _codes(focal, exclude)
    tally: dict[str, int] = {}
    for cluster in actor_clusters(ws, focal):
        other = [c for c in cluster.dyad if c != focal]
        if len(other) == 1 and other[0] != exclude:
            tally[other[0]] = tally.get(other[0], 0) + 1
    if not tally:
        return None
    return max(sorted(tally), key=lambda c: tally[c])
