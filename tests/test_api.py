"""The notebook API: DataFrames from a real workspace."""

from __future__ import annotations

import importlib.util

import pytest

from dyadwatch import api
from dyadwatch.analysis import assign_clusters
from dyadwatch.errors import WorkspaceError
from test_analysis_support import COMMENT, TIMELINE, build_workspace, seed_like_events


@pytest.fixture()
def ws_path(tmp_path):
    ws = build_workspace(tmp_path / "ws", [TIMELINE, COMMENT], seed_like_events())
    with ws.connect() as con:
        assign_clusters(con)
    return tmp_path / "ws"


def test_events_frame_has_every_mention(ws_path):
    frame = api.open_workspace(ws_path).events()
    assert len(frame) == 8
    assert {"event_id", "cameo", "goldstein", "cluster_id"} <= set(frame.columns)
    assert frame["cluster_id"].notna().all()


def test_events_filter_by_root(ws_path):
    frame = api.open_workspace(ws_path).events(root="08")
    assert set(frame["cameo"]) == {"085"} and len(frame) == 3


def test_clusters_frame_counts_sources(ws_path):
    frame = api.open_workspace(ws_path).clusters("USA", "KHM")
    assert len(frame) == 7
    lifted = frame[(frame.cameo == "085") & (frame.date == "2025-11")].iloc[0]
    assert lifted.num_sources == 2 and lifted.num_mentions == 2


def test_timeline_frame_in_date_order(ws_path):
    frame = api.open_workspace(ws_path).timeline("USA", "KHM")
    dated = frame[frame.date.notna()]
    assert list(dated.date) == sorted(dated.date)
    assert dated.iloc[0].cameo == "057"


def test_series_frame_sums_goldstein(ws_path):
    frame = api.open_workspace(ws_path).series("USA", "KHM", freq="quarter")
    assert list(frame.period) == ["2025Q4", "2026Q1"]
    q4 = frame.iloc[0]
    # 057 (8.0) + 0312 (5.2) + 085 (7.0) + 0312 (5.2); the negated 057 does not count
    assert q4.events == 4 and q4.goldstein_sum == pytest.approx(25.4)


def test_hedging_frame_has_both_sides(tmp_path):
    from test_analysis_support import Doc, event

    doc = Doc("d1", "x.txt", published="2025-06-01")
    events = [
        event(doc, 1, "Cambodia and the US held talks.", "KHM", "USA", "042", "2025-05-02"),
        event(doc, 2, "China sent aid to Cambodia.", "CHN", "KHM", "071", "2025-05-03"),
    ]
    build_workspace(tmp_path / "ws", [doc], events)
    frame = api.open_workspace(tmp_path / "ws").hedging("KHM", "USA", "CHN")
    row = frame.iloc[0]
    assert row.a_net_cooperation == pytest.approx(1.9)
    assert row.b_net_cooperation == pytest.approx(7.4)
    assert row.value == pytest.approx((1.9 - 7.4) / (1.9 + 7.4), abs=1e-4)


def test_missing_workspace_is_a_clear_error(tmp_path):
    with pytest.raises(WorkspaceError, match="no workspace"):
        api.open_workspace(tmp_path / "nothing")


def test_polars_backend_gives_polars_or_a_clear_error(ws_path):
    ws = api.open_workspace(ws_path, backend="polars")
    if importlib.util.find_spec("polars") is None:
        with pytest.raises(ImportError, match="polars"):
            ws.events()
    else:
        assert ws.events().height == 8
