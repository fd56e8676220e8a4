"""The brief's and the dashboard's Plotly figures (`dyadwatch.figures`): marks follow the data,
every fact the brief's former SVG charts showed is in the figure, and labels stay data.

Before the brief used Plotly these tests read the inline SVG of `report/charts.py` (bars by
sign, circles per period with a value, dashed change lines, escaped titles); the same facts
are checked here on the figure specifications that replaced it.
"""

from __future__ import annotations

import json

from jinja2 import Environment

from dyadwatch.analysis import Freq, cluster_events, dyad_series, hedging_index
from dyadwatch.analysis.changepoints import ChangeAnalysis, ChangePoint
from dyadwatch.figures import CONFLICT, COOPERATION, NEUTRAL, hedging_line, series_line
from test_analysis_support import Doc, event

DOC = Doc("d1", "a.txt", published="2025-12-31")
EPISODE = ChangeAnalysis("h", "ok", 1.0, (), (ChangePoint(
    "2025-04", "2025-04-01", 1.0, -1.0, -2.0, "episode"),), "reading")


def _clusters():
    return cluster_events([
        event(DOC, 1, "The US sent aid to Cambodia in January 2025.", "USA", "KHM", "071",
              "2025-01", "month"),
        event(DOC, 2, "The US sanctioned Cambodian firms in April 2025.", "USA", "KHM", "163",
              "2025-04-03"),
        event(DOC, 3, "China sent aid to Cambodia in April 2025.", "CHN", "KHM", "071",
              "2025-04-20"),
    ])


def test_series_markers_follow_the_sign_and_carry_the_counts():
    points = dyad_series(_clusters(), Freq.month, dyad=("USA", "KHM"))
    spec = series_line(points, EPISODE)
    line = spec["data"][0]
    assert len(points) == 4 and line["x"] == [p.period_start for p in points]
    # empty February and March: grey (no events), not a colour of cooperation or conflict
    assert line["marker"]["color"] == [COOPERATION, NEUTRAL, NEUTRAL, CONFLICT]
    assert line["y"] == [7.4, 0.0, 0.0, -8.0]
    # period, events, cooperative, conflictual, sources: what the SVG bar's tooltip said
    assert line["customdata"][0] == ["2025-01", 1, 1, 0, 1]
    assert line["customdata"][3] == ["2025-04", 1, 0, 1, 1]
    assert "cooperative" in line["hovertemplate"] and "sources" in line["hovertemplate"]
    assert [s["x0"] for s in spec["layout"]["shapes"]] == ["2025-04-01"]
    assert spec["layout"]["shapes"][0]["line"]["dash"] == "dash"
    assert spec["data"][1]["text"] == ["episode at 2025-04: level +1.0 to -1.0"]


def test_hedging_leaves_gaps_for_empty_periods_and_marks_changes():
    points = hedging_index(_clusters(), "KHM", "USA", "CHN", Freq.month)
    spec = hedging_line(points, EPISODE, ("USA", "CHN"))
    line = spec["data"][0]
    values = [v for v in line["y"] if v is not None]
    assert len(values) == 2 and line["y"][1:3] == [None, None]  # 2025-02 and -03: no events
    assert line["connectgaps"] is False
    assert line["marker"]["color"][0] == COOPERATION
    assert "with USA" in line["hovertemplate"] and "with CHN" in line["hovertemplate"]
    assert line["customdata"][0][0] == "2025-01" and line["customdata"][0][2] == 1
    assert spec["layout"]["yaxis"]["ticktext"] == ["all with CHN", "0", "all with USA"]
    assert len(spec["layout"]["shapes"]) == 1 and "episode" in spec["data"][1]["text"][0]


def test_chart_text_cannot_close_the_script_element():
    hostile = ChangeAnalysis("h", "ok", 1.0, (), (ChangePoint(
        "2025-04", "2025-04-01", 1.0, -1.0, -2.0, '</script><b onload="x">&'),), "r")
    spec = series_line(dyad_series(_clusters(), Freq.month, dyad=("USA", "KHM")), hostile)
    page = Environment(autoescape=True).from_string("{{ spec|tojson }}").render(spec=spec)
    assert "</script" not in page and "<b onload" not in page
    assert json.loads(page)["data"][1]["text"][0].startswith('</script><b onload="x">&')
