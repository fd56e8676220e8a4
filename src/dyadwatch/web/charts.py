"""Chart specifications for Plotly (plotly.js, served from the installed `plotly` package).

Each function returns a plain JSON-ready dict `{"data", "layout", "config"}` that
`static/explorer.js` hands to `Plotly.newPlot`; nothing here draws. Labels are data, never
markup: plotly.js sets them as text. The page embeds a spec with Jinja's `tojson` (which
escapes `<`, `>` and `&`), so article text could not close the script element either way.

The JavaScript itself is the `plotly.min.js` that the `plotly` wheel ships as package data:
no CDN, nothing fetched at run time (`plotly_js_path`).
"""

from __future__ import annotations

import importlib.util
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from dyadwatch.analysis import ChangeAnalysis, SeriesPoint
from dyadwatch.analysis.hedging import HedgingPoint
from dyadwatch.records import Event
from dyadwatch.web.filters import period_of

QUAD_LABELS = {1: "verbal cooperation", 2: "material cooperation", 3: "verbal conflict",
               4: "material conflict"}
QUAD_COLOURS = {1: "#7fc99a", 2: "#2e8b57", 3: "#e8a27c", 4: "#c0392b"}
ACCENT = "#1f5fa8"
# Shared look: no title inside the plot (the page has headings), legend under the plot so it
# never sits on the bars or the mode bar, margins that leave room for tick labels.
_BASE_LAYOUT: dict[str, Any] = {
    "autosize": True, "height": 320, "margin": {"l": 48, "r": 12, "t": 28, "b": 40},
    "paper_bgcolor": "#ffffff", "plot_bgcolor": "#ffffff", "hovermode": "closest",
    "font": {"family": "system-ui, sans-serif", "size": 12, "color": "#1d2330"},
    "legend": {"orientation": "h", "x": 0, "y": -0.18, "yanchor": "top"},
}
_CONFIG = {"displaylogo": False, "responsive": True, "scrollZoom": False,
           "modeBarButtonsToRemove": ["select2d", "lasso2d", "toImage"]}


@dataclass(frozen=True, slots=True)
class PeriodCount:
    """The event mentions of one period, by QuadClass, and the distinct events among them."""

    period: str
    start: str  # first day, YYYY-MM-DD: where the bar stands on the time axis
    by_quad: tuple[int, int, int, int]
    events: int  # distinct clusters (a mention without a cluster counts as its own)

    @property
    def mentions(self) -> int:
        return sum(self.by_quad)


def plotly_js_path() -> Path:
    """plotly.min.js as the installed `plotly` package ships it; a clear error when absent."""
    spec = importlib.util.find_spec("plotly")
    folders = list(spec.submodule_search_locations or []) if spec else []
    for folder in folders:
        path = Path(folder) / "package_data" / "plotly.min.js"
        if path.is_file():
            return path
    raise FileNotFoundError("plotly.min.js not found: the 'plotly' package is not installed "
                            "(pip install -r requirements/lock.txt)")


def count_periods(events: Iterable[Event], freq: str) -> tuple[list[PeriodCount], int]:
    """(periods in time order with their counts, number of undated mentions)."""
    quads: dict[str, list[int]] = {}
    clusters: dict[str, set[str]] = {}
    undated = 0
    for e in events:
        key = period_of(e.date, freq)
        if key is None:
            undated += 1
            continue
        quads.setdefault(key, [0, 0, 0, 0])[e.quad_class - 1] += 1
        clusters.setdefault(key, set()).add(e.cluster_id or e.event_id)
    found = [
        PeriodCount(key, _first_day(key), (q[0], q[1], q[2], q[3]), len(clusters[key]))
        for key, q in sorted(quads.items())
    ]
    return found, undated


def _first_day(period: str) -> str:
    if len(period) == 4:
        return f"{period}-01-01"
    if period[5] == "Q":
        return f"{period[:4]}-{(int(period[6]) - 1) * 3 + 1:02d}-01"
    return f"{period}-01"


def _bar_width_ms(freq: str) -> float:
    days = {"month": 30.4, "quarter": 91.3, "year": 365.2}[freq]
    return days * 0.8 * 86_400_000


def period_bars(periods: Sequence[PeriodCount], freq: str) -> dict[str, Any]:
    """Event mentions per period stacked by QuadClass; a bar's `customdata` is its period."""
    data = []
    for quad in (1, 2, 3, 4):
        shown = [p for p in periods if p.by_quad[quad - 1]]
        if not shown:
            continue
        data.append({
            "type": "bar", "name": QUAD_LABELS[quad], "marker": {"color": QUAD_COLOURS[quad]},
            "x": [p.start for p in shown], "y": [p.by_quad[quad - 1] for p in shown],
            "customdata": [[p.period, p.mentions, p.events] for p in shown],
            "width": [_bar_width_ms(freq)] * len(shown), "xperiodalignment": "start",
            "hovertemplate": "%{customdata[0]}: %{y} " + QUAD_LABELS[quad] + " mentions<br>"
            "%{customdata[1]} mentions of %{customdata[2]} events in all<br>"
            "click to list them<extra></extra>",
        })
    layout = {
        **_BASE_LAYOUT, "barmode": "stack", "bargap": 0.15,
        "xaxis": {"type": "date", "automargin": True, "title": {"text": ""}},
        "yaxis": {"title": {"text": "mentions"}, "rangemode": "tozero", "automargin": True,
                  "fixedrange": True},
    }
    return {"data": data, "layout": layout, "config": _CONFIG}


def _change_shapes(changes: ChangeAnalysis | None) -> list[dict[str, Any]]:
    """A dashed vertical line at each change point's date."""
    if changes is None:
        return []
    return [
        {"type": "line", "xref": "x", "yref": "paper", "x0": c.date, "x1": c.date,
         "y0": 0, "y1": 1, "line": {"dash": "dash", "color": "#555", "width": 1}}
        for c in changes.change_points if c.date
    ]


def series_line(series: Sequence[SeriesPoint], changes: ChangeAnalysis | None) -> dict[str, Any]:
    """Net cooperation (sum of Goldstein values) per period, change points dashed."""
    dates = [p.period_start for p in series]
    data = [{
        "type": "scatter", "mode": "lines+markers", "name": "net cooperation",
        "x": dates, "y": [round(p.goldstein_sum, 2) for p in series],
        "line": {"color": ACCENT}, "customdata": [[p.period, p.events] for p in series],
        "hovertemplate": "%{customdata[0]}: %{y:+.1f} over %{customdata[1]} events"
        "<extra></extra>",
    }]
    layout = {
        **_BASE_LAYOUT, "showlegend": False, "shapes": _change_shapes(changes),
        "xaxis": {"type": "date", "automargin": True},
        "yaxis": {"title": {"text": "Goldstein sum"}, "zeroline": True, "automargin": True},
    }
    return {"data": data, "layout": layout, "config": _CONFIG}


def hedging_line(points: Sequence[HedgingPoint], changes: ChangeAnalysis | None,
                 powers: tuple[str, str]) -> dict[str, Any]:
    """The hedging index per period (+1 toward the first power, −1 toward the second)."""
    shown = [p for p in points if p.value is not None and p.period_start]
    dates = [p.period_start or "" for p in shown]
    data = [{
        "type": "scatter", "mode": "lines+markers", "name": "hedging index",
        "x": dates, "y": [p.value for p in shown], "line": {"color": ACCENT},
        "customdata": [[p.period] for p in shown],
        "hovertemplate": "%{customdata[0]}: H = %{y:+.2f}<extra></extra>",
    }]
    layout = {
        **_BASE_LAYOUT, "showlegend": False, "shapes": _change_shapes(changes),
        "xaxis": {"type": "date", "automargin": True},
        "yaxis": {"title": {"text": "H"}, "range": [-1.1, 1.1], "zeroline": True,
                  "automargin": True, "tickvals": [-1, 0, 1],
                  "ticktext": [f"all with {powers[1]}", "0", f"all with {powers[0]}"]},
    }
    return {"data": data, "layout": layout, "config": _CONFIG}
