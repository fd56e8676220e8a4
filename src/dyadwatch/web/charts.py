"""Chart specifications for Plotly (plotly.js, served from the installed `plotly` package).

Each function returns a plain JSON-ready dict `{"data", "layout", "config"}` that
`static/explorer.js` hands to `Plotly.newPlot`; nothing here draws. Labels are data, never
markup: plotly.js sets them as text. The page embeds a spec with Jinja's `tojson` (which
escapes `<`, `>` and `&`), so article text could not close the script element either way.

The JavaScript itself is the `plotly.min.js` that the `plotly` wheel ships as package data:
no CDN, nothing fetched at run time (`plotly_js_path`).
"""

from __future__ import annotations

import functools
import importlib.util
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
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
# Dates label the period they start (between ticks); a label that would stick out of the
# plot area beside the other axis's labels is hidden rather than drawn over them.
_TIME_AXIS = {"type": "date", "automargin": True, "ticklabelmode": "period",
              "ticklabeloverflow": "hide past domain"}
# No mode bar: its icons are sized by inline styles the CSP refuses. Drag zooms, a double
# click resets.
_CONFIG = {"displaylogo": False, "responsive": True, "scrollZoom": False,
           "displayModeBar": False}


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


# plotly.js's own style rules: a JS object literal of "selector": "declarations" that it
# inserts into a <style> element, which the dashboard's Content-Security-Policy (style-src
# 'self') forbids. The rules are read out of the installed bundle and served as a stylesheet
# instead (`plotly_css`); the page links it with the id and class plotly.js looks for
# ("plotly.js-style-global", "no-inline-styles") so that it does not try to inject them.
_JS_STRING = r"""(?:"(?:[^"\\]|\\.)*"|'(?:[^'\\]|\\.)*')"""
_RULE = re.compile(rf"({_JS_STRING})\s*:\s*({_JS_STRING})")
_RULES_START = '"X,X div":'


def _js_text(literal: str) -> str:
    return literal[1:-1].replace("\\'", "'").replace('\\"', '"')


@functools.cache
def plotly_css() -> str:
    """plotly.js's style rules as CSS, read from the installed bundle ("" if not found)."""
    js = plotly_js_path().read_text(encoding="utf-8")
    start = js.find(_RULES_START)
    end = js.find("}", js.find('"Y .notifier-close:hover"', start))
    if start < 0 or end < 0:
        return ""
    rules = []
    for key, value in _RULE.findall(js[start:end]):
        selector = _js_text(key)
        selector = (" ," + selector[1:] if selector.startswith(",") else selector)
        selector = selector.replace("X", ".js-plotly-plot .plotly").replace("Y", ".plotly-notifier")
        rules.append(f"{selector}{{{_js_text(value)}}}")
    return "\n".join(rules) + "\n"


# Bundled stylesheets (maplibre's) that plotly.js injects at load unless an element with
# their id is already on the page: the page holds an empty placeholder with that id.
_INJECTED_STYLE = re.compile(
    r'getElementById\("([0-9a-f]{16,128})"\)\)\{var \w+=document\.createElement\("style"\)'
)


@functools.cache
def plotly_style_ids() -> tuple[str, ...]:
    """The ids of the stylesheets plotly.js would inject on load (we need none of them)."""
    return tuple(_INJECTED_STYLE.findall(plotly_js_path().read_text(encoding="utf-8")))


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


def _padded_range(periods: Sequence[PeriodCount], freq: str) -> list[str]:
    """The time axis from a period before the first bar to a period after the last (a lone
    bar would otherwise fill the whole width)."""
    step = {"month": 31, "quarter": 92, "year": 366}[freq]
    first = date.fromisoformat(periods[0].start) - timedelta(days=step)
    last = date.fromisoformat(periods[-1].start) + timedelta(days=2 * step)
    return [first.isoformat(), last.isoformat()]


def period_bars(
    periods: Sequence[PeriodCount], freq: str, open_period: str | None = None
) -> dict[str, Any]:
    """Event mentions per period stacked by QuadClass; a bar's `customdata` is its period.
    The open period's bar is outlined."""
    data = []
    for quad in (1, 2, 3, 4):
        shown = [p for p in periods if p.by_quad[quad - 1]]
        if not shown:
            continue
        outline = [2 if p.period == open_period else 0 for p in shown]
        data.append({
            "type": "bar", "name": QUAD_LABELS[quad],
            "marker": {"color": QUAD_COLOURS[quad],
                       "line": {"width": outline, "color": "#15233b"}},
            "x": [p.start for p in shown], "y": [p.by_quad[quad - 1] for p in shown],
            "customdata": [[p.period, p.mentions, p.events] for p in shown],
            "width": [_bar_width_ms(freq)] * len(shown), "xperiodalignment": "start",
            "hovertemplate": "%{customdata[0]}: %{y} " + QUAD_LABELS[quad] + " mentions<br>"
            "%{customdata[1]} mentions of %{customdata[2]} events in all<br>"
            "click to list them<extra></extra>",
        })
    layout = {
        **_BASE_LAYOUT, "barmode": "stack", "bargap": 0.15,
        "xaxis": {**_TIME_AXIS, "range": _padded_range(periods, freq)},
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
        "xaxis": _TIME_AXIS,
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
        "xaxis": _TIME_AXIS,
        "yaxis": {"title": {"text": "H"}, "range": [-1.1, 1.1], "zeroline": True,
                  "automargin": True, "tickvals": [-1, 0, 1],
                  "ticktext": [f"all with {powers[1]}", "0", f"all with {powers[0]}"]},
    }
    return {"data": data, "layout": layout, "config": _CONFIG}
