"""What the explorer shows for one filtered view: bars per period and the open period's events.

The events come from `store.events.query_events`, the query behind `dyadwatch events`, with
the EventFilter that `filters.Explorer` builds: the list under a clicked bar is the list the
CLI prints for the same options (and `--since/--until` set to the bar's period).
"""

from __future__ import annotations

import shlex
from dataclasses import dataclass
from typing import Any

import duckdb

from dyadwatch.analysis.places import PlaceCount, place_counts
from dyadwatch.records import Event
from dyadwatch.store import web as store
from dyadwatch.store.events import EventFilter, query_events
from dyadwatch.web.charts import PeriodCount, count_periods, period_bars
from dyadwatch.web.filters import Explorer
from dyadwatch.web.map_chart import place_map


@dataclass(frozen=True, slots=True)
class ExplorerView:
    """One filtered view: its periods and chart, and the events of the open period."""

    explorer: Explorer
    event_filter: EventFilter
    periods: tuple[PeriodCount, ...]
    undated: int
    mentions: int
    events: int  # distinct (clusters)
    chart: dict[str, Any] | None
    listed: tuple[Event, ...]  # the open period's events (all of them), or ()
    listed_filter: EventFilter | None
    kinds: store.EventKinds
    places: tuple[PlaceCount, ...] = ()  # the view's located mentions by place (the map)
    unmapped: int = 0  # located events the map cannot draw (no point, no outline)
    map: dict[str, Any] | None = None

    @property
    def largest(self) -> PeriodCount | None:
        return max(self.periods, key=lambda p: p.mentions, default=None)

    @property
    def listed_events(self) -> int:
        return len({e.cluster_id or e.event_id for e in self.listed})


def explorer_view(
    con: duckdb.DuckDBPyConnection, explorer: Explorer, dyad: tuple[str, str] | None = None,
    actor: str | None = None,
) -> ExplorerView:
    """Read the view's events once; bucket them; list the open period's events."""
    flt = explorer.event_filter(dyad=dyad, actor=actor)
    found = query_events(con, flt)
    periods, undated = count_periods(found, explorer.freq)
    narrowed = explorer.period_filter(flt)
    listed = query_events(con, narrowed) if narrowed else []
    places, unmapped = place_counts(found)
    return ExplorerView(
        explorer=explorer, event_filter=flt, periods=tuple(periods), undated=undated,
        mentions=len(found), events=len({e.cluster_id or e.event_id for e in found}),
        chart=period_bars(periods, explorer.freq, explorer.period) if periods else None,
        listed=tuple(listed), listed_filter=narrowed,
        kinds=store.event_kinds(con, dyad=dyad, actor=actor),
        places=tuple(places), unmapped=unmapped, map=place_map(places) if places else None,
    )


def cli_command(flt: EventFilter) -> str:
    """The `dyadwatch events` command that prints the same events as `flt` selects."""
    parts = ["dyadwatch events"]
    if flt.dyad:
        parts.append(f"--dyad {flt.dyad[0]} {flt.dyad[1]}")
    if flt.actor:
        parts.append(f"--actor {flt.actor}")
    options = (("since", flt.since), ("until", flt.until), ("root", flt.root),
               ("plover", flt.plover), ("quad-class", flt.quad_class),
               ("modality", flt.modality), ("min-confidence", flt.min_confidence))
    parts += [f"--{name} {value}" for name, value in options if value is not None]
    if flt.outlet:
        parts.append(f"--outlet {shlex.quote(flt.outlet)}")
    if flt.context:
        parts.append(f"--context {flt.context}")
    return " ".join(parts)
