"""Analysis: event clusters, dyad series, the hedging index, change points, timelines.

Entry points (each reads records and returns records; `store.analysis` does the SQL):
- `assign_clusters(con) -> int` and `load_clusters(con, dyad=None, actor=None)`;
- `dyad_series(clusters, freq, directed, dyad)` -> SeriesPoint per dyad and period;
- `hedging_index(clusters, focal, a, b, freq)` -> HedgingPoint per period;
- `detect_change_points(observations, metric)` -> ChangeAnalysis with a reading;
- `build_timeline(clusters, tables, since, until)` -> TimelineEntry per event.
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
from dyadwatch.analysis.hedging import HedgingPoint, HedgingSide, hedging_index, hedging_overall
from dyadwatch.analysis.observations import hedging_observations, series_observations
from dyadwatch.analysis.series import Freq, SeriesPoint, dyad_series
from dyadwatch.analysis.tables import DescriptionTables, load_description_tables
from dyadwatch.analysis.timeline import TimelineEntry, TimelineSource, build_timeline, describe

__all__ = [
    "ChangeAnalysis",
    "ChangePoint",
    "Cluster",
    "DescriptionTables",
    "Freq",
    "HedgingPoint",
    "HedgingSide",
    "Observation",
    "Segment",
    "SeriesPoint",
    "TimelineEntry",
    "TimelineSource",
    "assign_clusters",
    "build_timeline",
    "cluster_events",
    "country_of",
    "describe",
    "detect_change_points",
    "dyad_series",
    "hedging_index",
    "hedging_observations",
    "hedging_overall",
    "load_clusters",
    "load_description_tables",
    "series_observations",
]
