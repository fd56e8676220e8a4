"""The dashboard's map of located events: a Plotly spec drawn offline.

No tile server and no Plotly `geo` layout (whose base map plotly.js fetches as topojson from a
CDN): the country outlines that ship with the package (`analysis.places.load_outlines`) are a
filled line trace in plain lon/lat axes, the places a marker trace on top, sized by their
number of events. A marker's hover names the place, its precision and its counts; a click
lists the place's mentions under the map (`static/explorer.js`, from the spec's `lists`).
The axes keep 1 degree of latitude 1/cos(latitude) times as long as 1 degree of longitude
(an equirectangular map true to scale at the view's middle latitude).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import Any

from dyadwatch.analysis.places import (
    CountryOutline,
    PlaceCount,
    labelled,
    load_outlines,
    view_bounds,
)
from dyadwatch.records import Event

LAND = "#eef1f5"
BORDER = "#a4adb8"
POINT = "#1f5fa8"
MAX_LISTED = 100  # mentions listed per place on a click
LABELS = 8  # places named on the map itself (the ones with most events)


def marker_size(events: int) -> float:
    """Marker diameter in px: the area grows with the number of events."""
    return round(min(44.0, 8.0 + 6.0 * math.sqrt(events)), 1)


def _outline_xy(outlines: Sequence[CountryOutline], bounds: tuple[float, float, float, float]
                ) -> tuple[list[float | None], list[float | None]]:
    """Every ring of the countries that reach into (a margin around) the view, closed, with
    a gap (None) between rings."""
    west, south, east, north = bounds
    margin = max(east - west, north - south)
    xs: list[float | None] = []
    ys: list[float | None] = []
    for outline in outlines:
        w, s, e, n = outline.bounds
        if e < west - margin or w > east + margin or n < south - margin or s > north + margin:
            continue
        for ring in outline.rings:
            xs += [p[0] for p in ring] + [ring[0][0], None]
            ys += [p[1] for p in ring] + [ring[0][1], None]
    return xs, ys


def _listed(event: Event) -> dict[str, str]:
    dyad = f"{event.source.code or event.source.text} → {event.target.code or event.target.text}"
    text = f"{event.date or 'undated'} · {dyad} · CAMEO {event.cameo} · {event.doc_source}"
    return {"id": event.event_id, "text": text}


def place_map(places: Sequence[PlaceCount]) -> dict[str, Any]:
    """The map spec `{"data", "layout", "config", "lists"}` of `places`."""
    bounds = view_bounds(places)
    xs, ys = _outline_xy(load_outlines(), bounds)
    named = labelled(places, bounds, LABELS)
    data = [
        {"type": "scatter", "mode": "lines", "x": xs, "y": ys, "fill": "toself",
         "fillcolor": LAND, "line": {"color": BORDER, "width": 0.7}, "hoverinfo": "skip",
         "showlegend": False, "name": "countries"},
        {"type": "scatter", "mode": "markers+text", "name": "located events",
         "x": [p.lon for p in places], "y": [p.lat for p in places],
         "text": [p.location.name if i in named else "" for i, p in enumerate(places)],
         "textposition": "top center", "textfont": {"size": 11, "color": "#1d2330"},
         "marker": {"size": [marker_size(p.events) for p in places], "color": POINT,
                    "opacity": 0.75, "line": {"color": "#ffffff", "width": 1}},
         "customdata": [[p.hover(), i] for i, p in enumerate(places)],
         "hovertemplate": "%{customdata[0]}<br>click to list them<extra></extra>",
         "hoverlabel": {"bgcolor": "#ffffff", "bordercolor": POINT,
                        "font": {"color": "#1d2330"}},
         "showlegend": False},
    ]
    west, south, east, north = bounds
    middle = math.radians((south + north) / 2)
    hidden = {"visible": False, "showgrid": False, "zeroline": False}
    layout = {
        "autosize": True, "height": 420, "margin": {"l": 4, "r": 4, "t": 4, "b": 4},
        "paper_bgcolor": "#ffffff", "plot_bgcolor": "#dde9f3", "hovermode": "closest",
        "font": {"family": "system-ui, sans-serif", "size": 12, "color": "#1d2330"},
        "xaxis": {**hidden, "range": [west, east]},
        "yaxis": {**hidden, "range": [south, north], "scaleanchor": "x",
                  "scaleratio": round(1 / max(math.cos(middle), 0.2), 4)},
        "showlegend": False,
    }
    config = {"displaylogo": False, "responsive": True, "scrollZoom": False,
              "displayModeBar": False}
    lists = [[_listed(m) for m in p.mentions[:MAX_LISTED]] for p in places]
    return {"data": data, "layout": layout, "config": config, "lists": lists}
