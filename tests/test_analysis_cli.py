"""The analysis commands driven for real: timeline, index, report, export."""

from __future__ import annotations

import json

import pytest
from typer.testing import CliRunner

from dyadwatch.analysis import assign_clusters
from dyadwatch.cli import app
from test_analysis_support import (
    COMMENT,
    TIMELINE,
    Doc,
    build_workspace,
    event,
    seed_like_events,
)

runner = CliRunner()
CHINA = Doc("doc-china", "corpus/china.txt", published="2025-12-20")


@pytest.fixture()
def data(tmp_path):
    extra = [event(CHINA, 1, "China lent Cambodia money in December 2025.", "CHN", "KHM",
                   "071", "2025-12", "month")]
    ws = build_workspace(tmp_path / "ws", [TIMELINE, COMMENT, CHINA],
                         seed_like_events() + extra)
    with ws.connect() as con:
        assign_clusters(con)
    return str(tmp_path / "ws")


def _run(*args):
    result = runner.invoke(app, list(args))
    assert result.exit_code == 0, result.output
    return result.stdout


def test_timeline_json_in_order_with_sources(data):
    entries = json.loads(_run("timeline", "USA", "KHM", "--data", data, "--format", "json"))
    dated = [e for e in entries if e["date"] and not e["negated"]]
    assert [e["cameo"] for e in dated] == [
        "057", "0312", "085", "0312", "042", "085"]
    lifted = dated[2]
    assert lifted["num_sources"] == 2 and len(lifted["sources"]) == 2
    assert lifted["description"] == "United States eased sanctions on Cambodia"
    assert {s["doc_source"] for s in lifted["sources"]} == {"corpus/timeline.txt",
                                                           "corpus/comment.txt"}
    for key in ("date", "date_end", "cameo", "goldstein", "num_sources"):
        assert key in lifted


def test_timeline_since_until_and_markdown(data):
    text = _run("timeline", "USA", "KHM", "--data", data, "--since", "2025-12",
                "--until", "2026-01")
    assert text.count("\n- **") == 2
    assert "2026-01-24 – 2026-01-28" in text


def test_timeline_html_is_escaped_page(data):
    html = _run("timeline", "USA", "KHM", "--data", data, "--format", "html")
    assert html.startswith("<!DOCTYPE html>") and "eased sanctions on Cambodia" in html


def test_index_dyad_json_has_series_and_reading(data):
    doc = json.loads(_run("index", "USA", "KHM", "--data", data, "--freq", "quarter",
                          "--format", "json"))
    assert [p["period"] for p in doc["series"]] == ["2025Q4", "2026Q1"]
    assert doc["change_points"]["status"] == "not enough data"
    assert doc["series"][1]["events"] == 2 and doc["series"][1]["quad2"] == 1


def test_index_hedging_csv(data):
    text = _run("index", "KHM", "--between", "USA", "CHN", "--data", data, "--freq", "year",
                "--format", "csv")
    lines = text.strip().splitlines()
    header = lines[0].split(",")
    assert header[:2] == ["period", "H"]
    rows = {line.split(",")[0]: line.split(",") for line in lines[1:]}
    # 2025: USA side 8.0 + 5.2 + 7.0 + 5.2 = 25.4, CHN side 7.4 -> (25.4-7.4)/(25.4+7.4)
    assert float(rows["2025"][1]) == pytest.approx(18.0 / 32.8, abs=1e-4)
    assert float(rows["2026"][1]) == 1.0 and "all" in rows


def test_index_needs_two_actors_or_between(data):
    result = runner.invoke(app, ["index", "USA", "--data", data])
    assert result.exit_code != 0


def test_report_writes_a_file(data, tmp_path):
    out = tmp_path / "brief.html"
    _run("report", "USA", "KHM", "--data", data, "-o", str(out))
    html = out.read_text(encoding="utf-8")
    # the charts are Plotly figures drawn from the file itself (was: "<svg" in the HTML,
    # when the brief drew SVG by hand)
    assert html.count('<figure class="chart plotly"') == 2 and "Hedging of KHM" in html
    assert 'id="series-chart-spec"' in html and "plotly.js v" in html


def test_export_gdelt_command(data, tmp_path):
    out = tmp_path / "e.tsv"
    _run("export", "--format", "gdelt", "-o", str(out), "--data", data, "--dyad", "USA", "KHM",
         "--header")
    lines = out.read_text(encoding="utf-8").splitlines()
    assert len(lines[0].split("\t")) == 61 and len(lines) == 7


def test_missing_workspace_fails_cleanly(tmp_path):
    result = runner.invoke(app, ["timeline", "USA", "KHM", "--data", str(tmp_path / "no")])
    assert result.exit_code == 2 and "no workspace" in result.output
