"""Plotly figure specifications shared by the dashboard and the HTML brief.

Each function returns a plain JSON-ready dict `{"data", "layout", "config"}` that
`web/static/explorer.js` hands to `Plotly.newPlot` (the dashboard serves that script, the brief
inlines it); nothing here draws. Labels are data, never markup: plotly.js sets them as text,
and pages embed a spec with Jinja's `tojson` (which escapes `<`, `>` and `&`), so article text
could not close the script element either way.

The JavaScript itself is the `plotly.min.js` that the `plotly` wheel ships as package data
(`plotly_js_path`): no CDN, nothing fetched at run time.
"""

from __future__ import annotations

import importlib.util
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from dyadwatch.analysis.changepoints import ChangeAnalysis
from dyadwatch.analysis.hedging import HedgingPoint
from dyadwatch.analysis.series import SeriesPoint

COOPERATION = "#2e7d32"
CONFLICT = "#c62828"
NEUTRAL = "#8a8f98"
ACCENT = "#1f5fa8"
CHANGE = "#555555"
# Shared look: no title inside the plot (the page has headings), legend under the plot so it
# never sits on the bars or the mode bar, margins that leave room for tick labels.
BASE_LAYOUT: dict[str, Any] = {
    "autosize": True, "height": 320, "margin": {"l": 48, "r": 12, "t": 28, "b": 40},
    "paper_bgcolor": "#ffffff", "plot_bgcolor": "#ffffff", "hovermode": "closest",
    "font": {"family": "system-ui, sans-serif", "size": 12, "color": "#1d2330"},
    "legend": {"orientation": "h", "x": 0, "y": -0.18, "yanchor": "top"},
}
# Dates label the period they start (between ticks); a label that would stick out of the
# plot area beside the other axis's labels is hidden rather than drawn over them.
TIME_AXIS: dict[str, Any] = {"type": "date", "automargin": True, "ticklabelmode": "period",
                             "ticklabeloverflow": "hide past domain"}
# No mode bar: its icons are sized by inline styles the dashboard's CSP refuses. Drag zooms,
# a double click resets.
CONFIG: dict[str, Any] = {"displaylogo": False, "responsive": True, "scrollZoom": False,
                          "displayModeBar": False}


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


def _change_shapes(changes: ChangeAnalysis | None) -> list[dict[str, Any]]:
    """A dashed vertical line at each change point's date."""
    if changes is None:
        return []
    return [
        {"type": "line", "xref": "x", "yref": "paper", "x0": c.date, "x1": c.date,
         "y0": 0, "y1": 1, "line": {"dash": "dash", "color": CHANGE, "width": 1}}
        for c in changes.change_points if c.date
    ]


def _change_marks(changes: ChangeAnalysis | None, digits: int) -> list[dict[str, Any]]:
    """A hoverable mark at each change point, at the new level: what changed, from and to."""
    found = [c for c in (changes.change_points if changes else ()) if c.date]
    if not found:
        return []
    return [{
        "type": "scatter", "mode": "markers", "name": "change points", "showlegend": False,
        "x": [c.date for c in found], "y": [round(c.after, digits) for c in found],
        "marker": {"symbol": "diamond-open", "size": 11, "color": CHANGE,
                   "line": {"width": 2}},
        "text": [f"{c.kind} at {c.period}: level {c.before:+.{digits}f} to {c.after:+.{digits}f}"
                 for c in found],
        "hovertemplate": "%{text}<extra></extra>",
    }]


def _sign_colour(value: float | None, events: int) -> str:
    if value is None or not events:
        return NEUTRAL
    return COOPERATION if value >= 0 else CONFLICT


def series_line(series: Sequence[SeriesPoint], changes: ChangeAnalysis | None) -> dict[str, Any]:
    """Net cooperation (sum of Goldstein values) per period: markers green at or above 0, red
    below, grey for a period without events; change points dashed, their levels on hover."""
    data = [{
        "type": "scatter", "mode": "lines+markers", "name": "net cooperation",
        "x": [p.period_start for p in series], "y": [round(p.goldstein_sum, 2) for p in series],
        "line": {"color": ACCENT},
        "marker": {"size": 7, "color": [_sign_colour(p.goldstein_sum, p.events)
                                        for p in series]},
        "customdata": [[p.period, p.events, p.cooperation, p.conflict, p.sources]
                       for p in series],
        "hovertemplate": "%{customdata[0]}: %{y:+.1f} over %{customdata[1]} events "
        "(%{customdata[2]} cooperative, %{customdata[3]} conflictual), "
        "%{customdata[4]} sources<extra></extra>",
    }, *_change_marks(changes, 1)]
    layout = {
        **BASE_LAYOUT, "showlegend": False, "shapes": _change_shapes(changes),
        "xaxis": TIME_AXIS,
        "yaxis": {"title": {"text": "Goldstein sum"}, "zeroline": True, "automargin": True},
    }
    return {"data": data, "layout": layout, "config": CONFIG}


def hedging_line(points: Sequence[HedgingPoint], changes: ChangeAnalysis | None,
                 powers: tuple[str, str]) -> dict[str, Any]:
    """The hedging index per period (+1 toward the first power, −1 toward the second), a gap
    for a period without events; both sides' inputs on hover."""
    shown = [p for p in points if p.period_start]
    data = [{
        "type": "scatter", "mode": "lines+markers", "name": "hedging index",
        "x": [p.period_start for p in shown], "y": [p.value for p in shown],
        "line": {"color": ACCENT}, "connectgaps": False,
        "marker": {"size": 7, "color": [_sign_colour(p.value, p.events) for p in shown]},
        "customdata": [[p.period, p.side_a.net_cooperation, p.side_a.events,
                        p.side_b.net_cooperation, p.side_b.events] for p in shown],
        "hovertemplate": "%{customdata[0]}: H = %{y:+.2f}; with " + powers[0]
        + " %{customdata[1]:+g} (%{customdata[2]} events), with " + powers[1]
        + " %{customdata[3]:+g} (%{customdata[4]} events)<extra></extra>",
    }, *_change_marks(changes, 2)]
    layout = {
        **BASE_LAYOUT, "showlegend": False, "shapes": _change_shapes(changes),
        "xaxis": TIME_AXIS,
        "yaxis": {"title": {"text": "H"}, "range": [-1.1, 1.1], "zeroline": True,
                  "automargin": True, "tickvals": [-1, 0, 1],
                  "ticktext": [f"all with {powers[1]}", "0", f"all with {powers[0]}"]},
    }
    return {"data": data, "layout": layout, "config": CONFIG}
