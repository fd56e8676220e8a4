"""Indices an analyst can defend: the analysis window, the evidence filter, the hedging
interval, one change verdict across periods, and one count vocabulary.

Synthetic events (our own sentences) in a real DuckDB workspace, and the four seeds ingested
for real through the CLI.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from dyadwatch.analysis import assign_clusters
from dyadwatch.analysis.changepoints import ChangeAnalysis
from dyadwatch.analysis.counts import count_events
from dyadwatch.analysis.hedging import MIN_EVIDENCE_EVENTS, bootstrap_interval
from dyadwatch.analysis.queries import (
    analysis_scope,
    dyad_clusters,
    get_dyad_index,
    get_hedging,
    main_rival,
)
from dyadwatch.analysis.scope import corpus_window, make_scope
from dyadwatch.analysis.series import Freq
from dyadwatch.analysis.verdict import DISAGREE, NO_DATA, SHIFT, classify, combine
from dyadwatch.cli import app
from test_analysis_support import COMMENT, TIMELINE, Doc, build_workspace, event, seed_like_events

runner = CliRunner()
OLD = Doc("doc-history", "corpus/history.txt", published="2026-01-15")


@pytest.fixture()
def ws(tmp_path):
    history = [event(OLD, 1, "In 1954 the two states opened relations, a historian wrote.",
                     "USA", "KHM", "057", "1954", "year")]
    low = event(OLD, 2, "Officials may have met in late 2025, one report hinted.", "USA",
                "KHM", "042", "2025-12-03")
    ws = build_workspace(tmp_path / "ws", [TIMELINE, COMMENT, OLD],
                         seed_like_events() + history + [_with_confidence(low, 0.3)])
    with ws.connect() as con:
        assign_clusters(con)
    return ws


def _with_confidence(e, value):
    from dataclasses import replace

    return replace(e, confidence=value)


def test_window_is_publication_span_with_margin(ws):
    scope = analysis_scope(ws)
    # documents: 2026-01 (inferred, month), 2026-01-15 and 2026-02-10 (published)
    assert (scope.since, scope.until) == ("2025-01-01", "2027-02-10")
    assert scope.origin == "corpus" and "± 365 days" in scope.describe()


def test_old_event_is_background_not_a_period(ws):
    index = get_dyad_index(ws, "USA", "KHM", Freq.month)
    assert index.series[0].period == "2025-10" and index.background == 1
    assert all(not p.period.startswith("1954") for p in index.series)
    asked = get_dyad_index(ws, "USA", "KHM", Freq.year, scope=analysis_scope(ws, "1950"))
    assert asked.series[0].period == "1954" and asked.background == 0


def test_low_confidence_events_need_a_switch(ws):
    default = get_dyad_index(ws, "USA", "KHM", Freq.month)
    loose = get_dyad_index(ws, "USA", "KHM", Freq.month,
                           scope=analysis_scope(ws, min_confidence=0.2))
    assert loose.counts.events == default.counts.events + 1


def test_make_scope_refuses_bad_filter():
    with pytest.raises(ValueError, match="unknown modality 'rumoured'"):
        make_scope((None, None), modalities=["rumoured"])
    with pytest.raises(ValueError, match="not between 0 and 1"):
        make_scope((None, None), min_confidence=1.5)
    assert corpus_window(None, None) == (None, None)


def test_bootstrap_interval_is_seeded_and_wide_on_few_events():
    two = bootstrap_interval([7.0], [5.0])
    assert two == bootstrap_interval([7.0], [5.0])
    assert two is not None and two[0] <= -0.9 and two[1] >= 0.9
    many = bootstrap_interval([7.0, 6.0, 5.2, 4.0, 7.0, 3.0], [1.0, 1.9])
    assert many is not None and many[0] > 0 and many[1] <= 1.0


def test_hedging_says_not_enough_evidence_under_the_minimum(ws):
    index = get_hedging(ws, "KHM", "USA", "CHN", Freq.month)
    sparse = [p for p in index.points if p.value is not None]
    assert sparse and all(p.events < MIN_EVIDENCE_EVENTS for p in sparse)
    assert all(p.evidence == "not enough evidence" for p in sparse)
    assert index.changes.status == "not enough data"  # no period is read
    overall = index.overall
    assert overall.events == MIN_EVIDENCE_EVENTS and overall.evidence == "ok"
    assert overall.low is not None and overall.low <= overall.value <= overall.high


def test_verdict_is_the_same_at_every_frequency(ws):
    verdicts = {get_dyad_index(ws, "USA", "KHM", f).verdict for f in Freq}
    assert len(verdicts) == 1


def test_disagreement_is_stated():
    verdict = combine({"month": SHIFT, "quarter": "no sustained shift", "year": NO_DATA},
                      "net cooperation")
    assert verdict.verdict == DISAGREE and "month: sustained shift" in verdict.reading
    agreed = combine({"month": SHIFT, "year": NO_DATA}, "x")
    assert agreed.verdict == SHIFT
    assert classify(ChangeAnalysis("x", "not enough data", None, (), (), "")) == NO_DATA


def test_counts_are_clusters_and_sentences(ws):
    clusters = dyad_clusters(ws, "USA", "KHM")
    counts = count_events(clusters)
    assert counts.events == len(clusters)
    assert counts.mentions == sum(len(c.mentions) for c in clusters) > counts.events
    assert "events (" in counts.phrase() and "mentions in" in counts.phrase()


@pytest.fixture(scope="module")
def seeds_ws(tmp_path_factory, seeds_dir: Path) -> str:
    data = str(tmp_path_factory.mktemp("seeds") / "ws")
    result = runner.invoke(app, ["ingest", str(seeds_dir), "--data", data, "--workers", "0",
                                 "--quiet"])
    assert result.exit_code == 0, result.output
    return data


def test_seeds_hedging_has_no_1954_row_and_an_interval(seeds_ws):
    result = runner.invoke(app, ["index", "KHM", "--between", "USA", "CHN", "--data",
                                 seeds_ws, "--format", "json"])
    assert result.exit_code == 0, result.output
    doc = json.loads(result.stdout)
    start = doc["scope"]["since"]
    assert start > "2020" and all(p["period"] >= start[:7] for p in doc["points"])
    overall = doc["overall"]
    assert overall["H_low"] <= overall["H"] <= overall["H_high"]
    assert doc["verdict"]["verdict"]


def test_seeds_verdict_does_not_flip_with_the_period(seeds_ws):
    verdicts = set()
    for freq in ("month", "quarter", "year"):
        result = runner.invoke(app, ["index", "USA", "KHM", "--data", seeds_ws, "--freq",
                                     freq, "--format", "json"])
        assert result.exit_code == 0, result.output
        verdicts.add(json.dumps(json.loads(result.stdout)["verdict"]))
    assert len(verdicts) == 1


def test_brief_states_the_same_counts_as_the_count_function(ws, tmp_path):
    from dyadwatch.analysis.queries import get_dyad_counts
    from dyadwatch.report import write_report

    html = write_report(ws, "USA", "KHM", tmp_path / "b.html").read_text(encoding="utf-8")
    counts = get_dyad_counts(ws, "USA", "KHM")
    assert counts.phrase() in " ".join(html.split())
    assert "Background: 1 events outside the window" in html
    assert "Assessment: strategic shift or just pragmatism?" not in html


def test_dashboard_dyad_page_and_overview_count_as_the_brief(seeds_ws: str, tmp_path) -> None:
    """The seeds ingested for real: the dyad page states the brief's first-line counts, and
    the overview's dyad table counts the same distinct events (clusters), not mentions."""
    import re

    from fastapi.testclient import TestClient

    from dyadwatch.analysis.queries import get_dyad_counts
    from dyadwatch.report import write_report
    from dyadwatch.store import Workspace
    from dyadwatch.web.app import create_app
    from dyadwatch.web.dependencies import WebConfig

    ws = Workspace(Path(seeds_ws))
    counts = get_dyad_counts(ws, "USA", "KHM")
    assert counts.events < counts.mentions  # the seeds report some events twice
    brief = write_report(ws, "USA", "KHM", tmp_path / "b.html").read_text(encoding="utf-8")
    client = TestClient(create_app(WebConfig(data_dir=Path(seeds_ws))),
                        base_url="http://127.0.0.1")
    page = client.get("/dyad/USA/KHM").text
    assert counts.phrase() in " ".join(brief.split())
    assert counts.phrase() in " ".join(page.split())
    home = " ".join(client.get("/").text.split())
    row = re.search(r'href="/dyad/KHM/USA">[^<]*</a></td> <td class="num">(\d+)</td>', home)
    assert row is not None and int(row.group(1)) == counts.events


def test_the_hedging_rival_is_chosen_within_the_context(seeds_ws):
    """The brief's hedging index picks its rival among the events of `--context` only."""
    from dyadwatch.store import Workspace

    ws = Workspace(Path(seeds_ws))
    assert main_rival(ws, "KHM", "USA") == "CHN"
    assert main_rival(ws, "KHM", "USA", analysis_scope(ws)) == "CHN"  # no context: all
    assert main_rival(ws, "KHM", "USA", analysis_scope(ws, context="cbrn")) is None
