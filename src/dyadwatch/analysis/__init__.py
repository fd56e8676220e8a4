"""Analysis: event clusters, dyad series, the hedging index, change points, timelines.

Entry points (each reads records and returns records; `store.analysis` does the SQL):
- `assign_clusters(con) -> int` and `load_clusters(con, dyad=None, actor=None)`;
- `dyad_series(clusters, freq, directed, dyad)` -> SeriesPoint per dyad and period;
- `hedging_index(clusters, focal, a, b, freq)` -> HedgingPoint per period;
- `detect_change_points(observations, metric)` -> ChangeAnalysis with a reading;
- `build_timeline(clusters, tables, since, until)` -> TimelineEntry per event;
- `make_scope(span, since, until, modalities, min_confidence)` -> Scope: the analysis window
  and evidence filter (`Scope.admits(cluster)`, `split_background`);
- `change_verdict(observations_at, metric)` -> ChangeVerdict across month, quarter, year;
- `count_events(clusters, docs)` -> Counts (events, mentions, documents, outlets);
- `check_actor(value, known)` -> a checked actor code, or UnknownActorError with a suggestion.
Workspace-level entry points (open the store, then call these) are in `analysis.queries`.
"""

from dyadwatch.analysis.changepoints import (
    ChangeAnalysis,
    ChangePoint,
    Observation,
    Segment,
    detect_change_points,
)
from dyadwatch.analysis.clusters import (
    Cluster,
    assign_clusters,
    cluster_events,
    country_of,
    load_clusters,
)
from dyadwatch.analysis.codes import check_actor, suggest
from dyadwatch.analysis.counts import COUNT_VOCABULARY, Counts, count_events
from dyadwatch.analysis.hedging import HedgingPoint, HedgingSide, hedging_index, hedging_overall
from dyadwatch.analysis.observations import hedging_observations, series_observations
from dyadwatch.analysis.scope import Scope, make_scope, split_background
from dyadwatch.analysis.series import Freq, SeriesPoint, dyad_series
from dyadwatch.analysis.tables import DescriptionTables, load_description_tables
from dyadwatch.analysis.timeline import TimelineEntry, TimelineSource, build_timeline, describe
from dyadwatch.analysis.verdict import ChangeVerdict, change_verdict

__all__ = [
    "COUNT_VOCABULARY",
    "ChangeAnalysis",
    "ChangePoint",
    "ChangeVerdict",
    "Cluster",
    "Counts",
    "DescriptionTables",
    "Freq",
    "HedgingPoint",
    "HedgingSide",
    "Observation",
    "Scope",
    "Segment",
    "SeriesPoint",
    "TimelineEntry",
    "TimelineSource",
    "assign_clusters",
    "build_timeline",
    "change_verdict",
    "check_actor",
    "cluster_events",
    "count_events",
    "country_of",
    "describe",
    "detect_change_points",
    "dyad_series",
    "hedging_index",
    "hedging_observations",
    "hedging_overall",
    "load_clusters",
    "load_description_tables",
    "make_scope",
    "series_observations",
    "split_background",
    "suggest",
]
