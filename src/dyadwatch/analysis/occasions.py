"""Where an event happened when its own sentence names only the country: its occasion's place.

Two states' agents acting together in a third country were there for one occasion (a summit, a
visit, a conference). When one text says only the country ("ASEAN Security Summit (Malaysia):
the two defence ministers agreed ...") and another tells a meeting of the same pair at the same
time in a city or site of that country ("met ... in Kuala Lumpur" last October), the agreement
was reached there: the coarse mention takes the meeting's place, and the place records which
mention named it.

A mention is refined when all of these hold (the words are data: `occasion_roots` and
`occasion_precisions` in data/locations/rules.yaml):
- its location is at country precision, and that country is neither actor's: at home an actor
  does many things in many places; abroad, the pair met at one occasion;
- another mention of the same dyad (by country, either direction), of a meeting root
  (`occasion_roots`: CAMEO 04, consult), is located at a finer precision in that country;
- both are dated, their date intervals overlap (a month holds its days), neither is negated;
- those meetings name one place only (two cities of the country: which one? no refinement).

The mention's own location (what its sentence says) is kept in `occasion_places` (migration
008), so each run starts again from the sentences: `refine_occasion_places` restores, then
refines, inside the caller's transaction (after clustering, in `run.stages.settle`).
"""

from __future__ import annotations

import json
import logging
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

import duckdb

from dyadwatch.coding.locations import default_rules
from dyadwatch.records import Event, Location
from dyadwatch.store.events import (
    date_end_of,
    date_start,
    fetch_dicts,
    location_columns,
    row_to_event,
)

log = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class Refinement:
    """A coarse mention's finer place, and the mention whose sentence names it."""

    event_id: str
    own: Location
    place: Location
    via_event_id: str


def _dyad(event: Event) -> tuple[str, str] | None:
    one, other = event.source.country, event.target.country
    if not one or not other or one == other:
        return None
    return (one, other) if one < other else (other, one)


def _span(event: Event) -> tuple[str, str] | None:
    """The event's dated interval (first day, last day), None when undated."""
    if not event.date or event.date_precision in ("document", "unknown"):
        return None
    start = date_start(event.date)
    end = date_end_of(event.date_end or event.date)
    return (start, end) if start else None


def _overlap(one: tuple[str, str], other: tuple[str, str]) -> bool:
    return one[0] <= other[1] and other[0] <= one[1]


def occasion_refinements(events: Iterable[Event]) -> list[Refinement]:
    """The mentions whose country-level location their occasion's place refines (rules in
    the module docstring), in event id order."""
    rules = default_rules()
    meetings: dict[tuple[str, str], list[Event]] = defaultdict(list)
    coarse: list[Event] = []
    for event in events:
        loc, dyad = event.location, _dyad(event)
        if loc is None or dyad is None or event.negated or _span(event) is None:
            continue
        if loc.precision == "country" and loc.country not in dyad:
            coarse.append(event)
        elif event.root in rules.occasion_roots and loc.precision in rules.occasion_precisions:
            meetings[dyad].append(event)
    found = []
    for event in sorted(coarse, key=lambda e: e.event_id):
        span, own = _span(event), event.location
        assert span is not None and own is not None
        partners = [m for m in meetings[_dyad(event) or ("", "")]
                    if m.location is not None and m.location.country == own.country
                    and _overlap(span, _span(m) or ("", ""))]
        places = {m.location.feature_id for m in partners if m.location is not None}
        if len(places) == 1:
            via = min(partners, key=lambda m: m.event_id)
            assert via.location is not None
            found.append(Refinement(event.event_id, own, via.location, via.event_id))
    return found


_TABLE = "occasion_places"
_SET = ", ".join(f"location_{f} = ?" for f in ("name", "country", "adm1", "lat", "lon",
                                                 "feature_id", "precision"))


def _set_location(con: duckdb.DuckDBPyConnection, event_id: str, loc: Location) -> None:
    values = list(location_columns(loc).values())
    con.execute(f"UPDATE events SET {_SET} WHERE event_id = ?", [*values, event_id])


def refine_occasion_places(con: duckdb.DuckDBPyConnection) -> int:
    """Restore every mention's own location, then write its occasion's place where the rules
    find one (recording the own location and the mention that named the place); returns how
    many mentions were refined. Call on a writable connection, after clustering."""
    for event_id, own in con.execute(f"SELECT event_id, own_location FROM {_TABLE}").fetchall():
        _set_location(con, event_id, Location(**json.loads(own)))
    con.execute(f"DELETE FROM {_TABLE}")
    located = fetch_dicts(con, "SELECT * FROM events WHERE location_name IS NOT NULL", [])
    refinements = occasion_refinements(row_to_event(row) for row in located)
    for ref in refinements:
        _set_location(con, ref.event_id, ref.place)
        con.execute(f"INSERT INTO {_TABLE} VALUES (?, ?, ?)",
                    [ref.event_id, ref.via_event_id, json.dumps(ref.own.to_dict())])
    log.info("%d mentions located at their occasion's place", len(refinements))
    return len(refinements)


def occasion_sources(con: duckdb.DuckDBPyConnection) -> dict[str, tuple[str, Location]]:
    """event_id -> (the mention that named its place, its own sentence's location), for the
    mentions `refine_occasion_places` refined."""
    rows = con.execute(f"SELECT event_id, via_event_id, own_location FROM {_TABLE}").fetchall()
    return {r[0]: (r[1], Location(**json.loads(r[2]))) for r in rows}


__all__ = ["Refinement", "occasion_refinements", "occasion_sources", "refine_occasion_places"]
