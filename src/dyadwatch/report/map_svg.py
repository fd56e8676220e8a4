"""The brief's map of located events: one inline SVG, no script, nothing fetched.

The brief is one HTML file that makes no request and runs no script when opened, so its map
is drawn here as SVG from the same packaged outlines as the dashboard's Plotly map
(`analysis.places.load_outlines`, Natural Earth 1:110m): an equirectangular view around the
places (true to scale at its middle latitude), the dyad's two countries shaded, each place a
circle whose area grows with its number of events and whose `<title>` (the hover text, also
read by screen readers) names the place, its precision and its counts. It prints as drawn.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from html import escape

from dyadwatch.analysis.places import (
    CountryOutline,
    PlaceCount,
    labelled,
    load_outlines,
    view_bounds,
)

WIDTH = 720
MIN_HEIGHT, MAX_HEIGHT = 260, 460
SEA, LAND, SHADED, BORDER, POINT = "#e3edf5", "#f4f5f7", "#dde3ec", "#9aa3ad", "#1f5fa8"
LABELS = 8


@dataclass(frozen=True, slots=True)
class View:
    """The map's lon/lat window and its scale (px per degree of longitude)."""

    west: float
    north: float
    scale: float
    stretch: float  # 1/cos(middle latitude): px per degree of latitude over px per longitude
    height: int

    def xy(self, lon: float, lat: float) -> tuple[float, float]:
        return (lon - self.west) * self.scale, (self.north - lat) * self.scale * self.stretch


def fit_view(places: Sequence[PlaceCount]) -> View:
    """The window around the places, widened to fill WIDTH and a height within the limits."""
    west, south, east, north = view_bounds(places)
    stretch = 1 / max(math.cos(math.radians((south + north) / 2)), 0.2)
    scale = min(WIDTH / (east - west), MAX_HEIGHT / ((north - south) * stretch))
    height = max(MIN_HEIGHT, round((north - south) * scale * stretch))
    mid_lon, mid_lat = (west + east) / 2, (south + north) / 2
    half_lat = height / (scale * stretch) / 2
    return View(west=mid_lon - WIDTH / scale / 2, north=mid_lat + half_lat, scale=scale,
                stretch=stretch, height=height)


def _ring_path(view: View, ring: Sequence[tuple[float, float]]) -> str:
    points = [view.xy(lon, lat) for lon, lat in ring]
    return "M" + "L".join(f"{x:.1f},{y:.1f}" for x, y in points) + "Z"


def _visible(view: View, outline: CountryOutline) -> bool:
    west, south, east, north = outline.bounds
    x0, y0 = view.xy(west, north)
    x1, y1 = view.xy(east, south)
    return x1 >= 0 and x0 <= WIDTH and y1 >= 0 and y0 <= view.height


def _countries(view: View, shaded: set[str]) -> list[str]:
    parts = []
    for outline in load_outlines():
        if not _visible(view, outline):
            continue
        fill = SHADED if outline.code in shaded else LAND
        d = "".join(_ring_path(view, ring) for ring in outline.rings)
        parts.append(f'<path d="{d}" fill="{fill}" stroke="{BORDER}" stroke-width="0.6" '
                     f'fill-rule="evenodd"><title>{escape(outline.name)}</title></path>')
    return parts


def radius(events: int) -> float:
    """Circle radius in px: the area grows with the number of events."""
    return min(22.0, 4.0 + 3.0 * math.sqrt(events))


def _places(view: View, places: Sequence[PlaceCount]) -> list[str]:
    parts, labels = [], []
    bounds = (view.west, view.north - view.height / (view.scale * view.stretch),
              view.west + WIDTH / view.scale, view.north)
    named = {id(places[i]) for i in labelled(places, bounds, LABELS)}
    for place in sorted(places, key=lambda p: -p.events):  # small circles drawn on top
        x, y = view.xy(place.lon, place.lat)
        r = radius(place.events)
        parts.append(f'<circle cx="{x:.1f}" cy="{y:.1f}" r="{r:.1f}" fill="{POINT}" '
                     f'fill-opacity="0.7" stroke="#fff" stroke-width="1">'
                     f"<title>{escape(place.hover())}</title></circle>")
        if id(place) in named:
            labels.append(f'<text x="{x:.1f}" y="{y - r - 3:.1f}" text-anchor="middle" '
                          f'paint-order="stroke" stroke="#fff" stroke-width="3">'
                          f"{escape(place.location.name)}</text>")
    return parts + labels


def places_svg(places: Sequence[PlaceCount], shaded: Iterable[str] = (),
               title: str = "Where the events happened") -> str:
    """The map as an `<svg>` string (text escaped); `shaded`: country codes to shade."""
    view = fit_view(places)
    parts = [
        f'<svg viewBox="0 0 {WIDTH} {view.height}" role="img" class="chart map" '
        f'font-family="sans-serif" font-size="11">', f"<title>{escape(title)}</title>",
        f'<rect width="{WIDTH}" height="{view.height}" fill="{SEA}"/>',
        *_countries(view, set(shaded)), *_places(view, places), "</svg>",
    ]
    return "\n".join(parts)
