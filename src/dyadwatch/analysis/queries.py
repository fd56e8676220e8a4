"""Workspace-level entry points: open the store read-only, load clusters, analyse.

These are what the CLI, the HTML brief, the notebook API and the web dashboard call; each
opens a short read-only connection, reads the clusters it needs and returns records.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import duckdb

from dyadwatch.analysis.changepoints import ChangeAnalysis, detect_change_points
from dyadwatch.analysis.clusters import Cluster, load_clusters
from dyadwatch.analysis.codes import check_actor
from dyadwatch.analysis.counts import Counts, count_events
from dyadwatch.analysis.hedging import HedgingPoint, hedging_index, hedging_overall
from dyadwatch.analysis.observations import hedging_observations, series_observations
from dyadwatch.analysis.scope import Scope, make_scope
from dyadwatch.analysis.series import Freq, SeriesPoint, dyad_series
from dyadwatch.analysis.tables import DescriptionTables, load_description_tables
from dyadwatch.analysis.timeline import TimelineEntry, build_timeline
from dyadwatch.analysis.verdict import ChangeVerdict, change_verdict
from dyadwatch.store.analysis import fetch_documents, known_actor_codes, publication_span
from dyadwatch.store.workspace import Workspace


@dataclass(frozen=True, slots=True)
class DyadIndex:
    """A dyad's series (events in the scope), the change points of its net cooperation at
    `freq`, the verdict across frequencies, and the counts charted and left as background."""

    dyad: tuple[str, str]
    freq: str
    directed: bool
    series: tuple[SeriesPoint, ...]
    changes: ChangeAnalysis
    scope: Scope
    verdict: ChangeVerdict
    counts: Counts
    background: int  # dated events of the dyad outside the window


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
    scope: Scope
    verdict: ChangeVerdict


METRIC_WORDS = {
    "goldstein_sum": "net cooperation", "goldstein_mean": "mean Goldstein value",
    "events": "the number of events", "cooperation": "cooperative events",
    "conflict": "conflictual events",
}


def _codes(*codes: str) -> tuple[str, ...]:
    return tuple(c.strip().upper() for c in codes)


def checked_codes(ws: Workspace, *codes: str) -> tuple[str, ...]:
    """The codes upper-cased, each checked against the dictionary and the workspace
    (UnknownActorError naming the first unknown one and the code it probably means)."""
    with ws.connect(read_only=True) as con:
        known = known_actor_codes(con)
    return tuple(check_actor(c, known) for c in codes)


def analysis_scope(
    ws: Workspace, since: str | None = None, until: str | None = None,
    modalities: Sequence[str] | None = None, min_confidence: float | None = None,
    context: str | None = None,
) -> Scope:
    """The scope of the workspace's indices: the publication span ± margin (or since/until),
    the evidence filter (analysis.scope states the defaults) and a context, if given."""
    with ws.connect(read_only=True) as con:
        span = publication_span(con)
    return make_scope(span, since, until, modalities, min_confidence, context)


def get_dyad_counts(ws: Workspace, a: str, b: str) -> Counts:
    """The headline counts of a dyad (every event of it, window or not): what the brief's
    first line and the dashboard's dyad page both show."""
    with ws.connect(read_only=True) as con:
        return dyad_counts_on(con, a, b)


def dyad_counts_on(con: duckdb.DuckDBPyConnection, a: str, b: str) -> Counts:
    """`get_dyad_counts` on an open connection (the dashboard's)."""
    a, b = _codes(a, b)
    return _clusters_counts(con, load_clusters(con, dyad=(a, b)))


def dyad_counts(ws: Workspace, clusters: Sequence[Cluster]) -> Counts:
    """Events, mentions, documents and outlets of the clusters (the one count vocabulary)."""
    with ws.connect(read_only=True) as con:
        return _clusters_counts(con, clusters)


def _clusters_counts(con: duckdb.DuckDBPyConnection, clusters: Sequence[Cluster]) -> Counts:
    docs = fetch_documents(con, sorted({d for c in clusters for d in c.doc_ids}))
    return count_events(clusters, docs)


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
    metric: str = "goldstein_sum", scope: Scope | None = None,
) -> DyadIndex:
    """Series of A–B (directed: A acting on B) over the events the scope admits (default:
    `analysis_scope(ws)`), change points of `metric`, and the verdict across frequencies."""
    a, b = _codes(a, b)
    scope = scope or analysis_scope(ws)
    clusters = dyad_clusters(ws, a, b)
    admitted = [c for c in clusters if scope.admits(c)]

    def at(f: Freq) -> list[SeriesPoint]:
        return dyad_series(admitted, f, directed, (a, b), admit=scope.admits)

    series = at(Freq(freq))
    label = f"{METRIC_WORDS.get(metric, metric)} of {a}–{b}"
    changes = detect_change_points(series_observations(series, metric), label)
    verdict = change_verdict(lambda f: series_observations(at(f), metric), label)
    background = sum(1 for c in clusters if c.date_start and not scope.in_window(c))
    return DyadIndex((a, b), Freq(freq).value, directed, tuple(series), changes, scope,
                     verdict, dyad_counts(ws, admitted), background)


def get_hedging(
    ws: Workspace, focal: str, a: str, b: str, freq: Freq = Freq.quarter,
    scope: Scope | None = None,
) -> HedgingIndex:
    """Hedging of `focal` between `a` (+1) and `b` (−1), per period, with change points, over
    the events the scope admits (default: `analysis_scope(ws)`)."""
    focal, a, b = _codes(focal, a, b)
    return hedging_from_clusters(actor_clusters(ws, focal), focal, a, b, freq,
                                 scope or analysis_scope(ws))


def hedging_from_clusters(
    clusters: Sequence[Cluster], focal: str, a: str, b: str, freq: Freq | str = Freq.quarter,
    scope: Scope | None = None,
) -> HedgingIndex:
    """The hedging index of `focal` between `a` and `b` over the given clusters (those the
    scope admits; without a scope, those that `series.counts`)."""
    admit = scope.admits if scope else None
    kept = [c for c in clusters if admit is None or admit(c)]
    label = f"hedging of {focal} between {a} and {b}"

    def at(f: Freq) -> list[HedgingPoint]:
        return hedging_index(kept, focal, a, b, f, admit)

    points = at(Freq(freq))
    overall = hedging_overall(kept, focal, a, b, admit)
    changes = detect_change_points(hedging_observations(points), label)
    verdict = change_verdict(lambda f: hedging_observations(at(f)), label)
    return HedgingIndex(focal, a, b, Freq(freq).value, tuple(points), overall, changes,
                        scope or Scope(), verdict)


def main_rival(ws: Workspace, focal: str, exclude: str, scope: Scope | None = None
               ) -> str | None:
    """The country with the most events with `focal` other than `exclude` (for hedging), among
    the events of the scope's context when it has one."""
    focal, exclude = _codes(focal, exclude)
    tally: dict[str, int] = {}
    for cluster in actor_clusters(ws, focal):
        if scope is not None and not scope.in_context(cluster):
            continue
        other = [c for c in cluster.dyad if c != focal]
        if len(other) == 1 and other[0] != exclude:
            tally[other[0]] = tally.get(other[0], 0) + 1
    if not tally:
        return None
    return max(sorted(tally), key=lambda c: tally[c])
