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

import logging
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

import duckdb

from dyadwatch.coding.locations import default_rules
from dyadwatch.records import Event, Location
from dyadwatch.store.events import date_end_of, date_start
from dyadwatch.store.occasions import (
    located_events,
    occasion_sources,
    restore_own_locations,
    write_occasion_places,
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


def refine_occasion_places(con: duckdb.DuckDBPyConnection) -> int:
    """Restore every mention's own location, then write its occasion's place where the rules
    find one (recording the own location and the mention that named the place); returns how
    many mentions were refined. Call on a writable connection, after clustering."""
    restore_own_locations(con)
    refinements = occasion_refinements(located_events(con))
    write_occasion_places(con, ((r.event_id, r.own, r.place, r.via_event_id)
                                for r in refinements))
    log.info("%d mentions located at their occasion's place", len(refinements))
    return len(refinements)


__all__ = ["Refinement", "occasion_refinements", "occasion_sources", "refine_occasion_places"]
