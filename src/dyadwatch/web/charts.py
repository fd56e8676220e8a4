"""The explorer's bar chart (event mentions per period) and plotly.js's styles for the CSP.

The figure specifications the brief shares with the dashboard (series, hedging) and the path
of the bundled plotly.min.js live in `dyadwatch.figures`; this module adds what only the
dashboard needs: the clickable bars of `period_bars` (the same JSON-ready dicts that
`static/explorer.js` hands to `Plotly.newPlot`) and plotly.js's style rules served as a
stylesheet, since the dashboard's Content-Security-Policy forbids the `<style>` it injects.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from dyadwatch.figures import BASE_LAYOUT, CONFIG, TIME_AXIS, plotly_js_path
from dyadwatch.records import Event
from dyadwatch.web.filters import period_of

QUAD_LABELS = {1: "verbal cooperation", 2: "material cooperation", 3: "verbal conflict",
               4: "material conflict"}
QUAD_COLOURS = {1: "#7fc99a", 2: "#2e8b57", 3: "#e8a27c", 4: "#c0392b"}


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
        **BASE_LAYOUT, "barmode": "stack", "bargap": 0.15,
        "xaxis": {**TIME_AXIS, "range": _padded_range(periods, freq)},
        "yaxis": {"title": {"text": "mentions"}, "rangemode": "tozero", "automargin": True,
                  "fixedrange": True},
    }
    return {"data": data, "layout": layout, "config": CONFIG}
