"""Inline SVG charts: shapes follow the data, text is escaped, nothing is loaded."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET

from dyadwatch.analysis import Freq, cluster_events, dyad_series, hedging_index
from dyadwatch.analysis.changepoints import ChangeAnalysis, ChangePoint
from dyadwatch.report.charts import CONFLICT, COOPERATION, hedging_chart, series_chart
from test_analysis_support import Doc, event

DOC = Doc("d1", "a.txt", published="2025-12-31")


def _clusters():
    return cluster_events([
        event(DOC, 1, "The US sent aid to Cambodia in January 2025.", "USA", "KHM", "071",
              "2025-01", "month"),
        event(DOC, 2, "The US sanctioned Cambodian firms in April 2025.", "USA", "KHM", "163",
              "2025-04-03"),
        event(DOC, 3, "China sent aid to Cambodia in April 2025.", "CHN", "KHM", "071",
              "2025-04-20"),
    ])


def test_series_chart_bars_follow_the_sign():
    points = dyad_series(_clusters(), Freq.month, dyad=("USA", "KHM"))
    svg = series_chart(points)
    root = ET.fromstring(svg)
    fills = [r.get("fill") for r in root.iter("rect")]
    assert fills.count(COOPERATION) == 1 and fills.count(CONFLICT) == 1
    assert len(points) == 4 and len(fills) == 2  # empty February and March: no bar
    assert "url(" not in svg and "href" not in svg


def test_hedging_chart_skips_empty_periods_and_marks_changes():
    points = hedging_index(_clusters(), "KHM", "USA", "CHN", Freq.month)
    change = ChangeAnalysis("h", "ok", 1.0, (), (ChangePoint(
        "2025-04", "2025-04-01", 1.0, -1.0, -2.0, "episode"),), "reading")
    svg = hedging_chart(points, change)
    root = ET.fromstring(svg)
    assert len(list(root.iter("circle"))) == 2  # 2025-02 and 2025-03 have no events
    assert len([line for line in root.iter("line") if line.get("stroke-dasharray")]) == 1
    assert "KHM" in svg and "+1 all with USA" in svg


def test_chart_titles_are_escaped():
    svg = series_chart([], title='<b onload="x">&')
    assert "<b onload" not in svg and "&lt;b onload" in svg
    assert re.search(r"No dated events", svg)
