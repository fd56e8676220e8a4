"""Dyad series, the hedging index and change points, checked against hand computations."""

from __future__ import annotations

import pytest

from dyadwatch.analysis import (
    Freq,
    Observation,
    cluster_events,
    detect_change_points,
    dyad_series,
    hedging_index,
    hedging_overall,
    series_observations,
)
from dyadwatch.analysis.hedging import hedging_value
from dyadwatch.analysis.series import period_of, periods_between
from test_analysis_support import Doc, event, seed_like_events

D1 = Doc("d1", "a.txt", published="2025-12-31")
D2 = Doc("d2", "b.txt", published="2025-12-31")


def test_periods_and_gaps():
    assert period_of("2025-11-05", Freq.quarter) == ("2025Q4", "2025-10-01")
    assert period_of("2025-11", Freq.year) == ("2025", "2025-01-01")
    months = periods_between("2025-11-05", "2026-02-01", Freq.month)
    assert [p for p, _ in months] == ["2025-11", "2025-12", "2026-01", "2026-02"]


def test_series_counts_events_not_mentions_and_fills_gaps():
    clusters = cluster_events(seed_like_events(), {"doc-comment": "2026-01"})
    points = dyad_series(clusters, Freq.month, dyad=("KHM", "USA"))
    by = {p.period: p for p in points}
    assert list(by) == ["2025-10", "2025-11", "2025-12", "2026-01", "2026-02"]
    nov = by["2025-11"]  # the lifted embargo: 1 event, 2 mentions, 2 sources
    assert (nov.events, nov.mentions, nov.sources, nov.quad2) == (1, 2, 2, 1)
    oct_ = by["2025-10"]  # negated 057 left out
    assert oct_.events == 2 and oct_.goldstein_sum == pytest.approx(13.2)
    assert oct_.goldstein_mean == pytest.approx(6.6)


def test_directed_series_keeps_one_direction():
    clusters = cluster_events(seed_like_events())
    usa_to_khm = dyad_series(clusters, Freq.year, directed=True, dyad=("USA", "KHM"))
    khm_to_usa = dyad_series(clusters, Freq.year, directed=True, dyad=("KHM", "USA"))
    assert sum(p.events for p in khm_to_usa) == 1
    assert sum(p.events for p in usa_to_khm) == 5


def test_planned_events_do_not_count():
    planned = event(D1, 1, "The US plans to send aid to Cambodia.", "USA", "KHM", "071",
                    "2025-06", "month", modality="planned")
    assert dyad_series(cluster_events([planned]), Freq.month) == []


def _hedging_events():
    return [
        # KHM-USA: 042 (1.9) in Q1, 112 (-2.0) in Q2, both directions
        event(D1, 1, "Cambodia's leader visited Washington in February 2025.", "KHMGOV",
              "USA", "042", "2025-02", "month"),
        event(D1, 2, "The US accused Cambodia of hosting a base in May 2025.", "USAGOV",
              "KHM", "112", "2025-05-10"),
        # KHM-CHN: 071 (7.4) in Q1, 061 (6.4) in Q2
        event(D2, 1, "China sent aid to Cambodia in March 2025.", "CHN", "KHM", "071",
              "2025-03", "month"),
        event(D2, 2, "Cambodia and China expanded trade in June 2025.", "KHM", "CHN", "061",
              "2025-06-02"),
    ]


def test_hedging_by_hand():
    clusters = cluster_events(_hedging_events())
    points = hedging_index(clusters, "KHM", "USA", "CHN", Freq.quarter)
    q1, q2 = points
    assert q1.value == pytest.approx((1.9 - 7.4) / (1.9 + 7.4), abs=1e-4)
    assert q2.value == pytest.approx((-2.0 - 6.4) / (2.0 + 6.4), abs=1e-4)
    assert q2.side_a.conflictual == 1 and q2.side_b.cooperative == 1
    assert len(q1.side_a.event_ids) == 1 and q1.side_b.power == "CHN"
    overall = hedging_overall(clusters, "KHM", "USA", "CHN")
    assert overall.side_a.net_cooperation == pytest.approx(-0.1)
    assert overall.side_b.net_cooperation == pytest.approx(13.8)
    assert overall.value == pytest.approx((-0.1 - 13.8) / 13.9, abs=1e-4)


def test_hedging_edge_cases():
    assert hedging_value(0.0, 0.0, 0) is None
    assert hedging_value(0.0, 0.0, 3) == 0.0
    assert hedging_value(5.0, 0.0, 1) == 1.0
    with pytest.raises(ValueError):
        hedging_index([], "KHM", "KHM", "CHN")


def _obs(values, events=3):
    return [Observation(f"P{i:02d}", f"2020-{i + 1:02d}-01", v, events, 1, (f"doc{i}",))
            for i, v in enumerate(values)]


def test_change_point_finds_a_sustained_shift():
    values = [0.5, -0.3, 0.2, 0.0, -0.4, 0.1, 9.8, 10.3, 9.6, 10.1, 10.4, 9.9]
    result = detect_change_points(_obs(values), "net cooperation")
    assert result.status == "ok"
    assert [cp.period for cp in result.change_points] == ["P06"]
    cp = result.change_points[0]
    assert cp.kind == "sustained shift" and cp.shift == pytest.approx(10.0, abs=0.3)
    assert "sustained level shift" in result.reading and "rose" in result.reading
    assert result.sustained_shifts == 1


def test_change_point_reads_a_short_episode():
    values = [1.0, 1.2, 0.8, 1.1, 0.9, -9.0, -8.5, 1.0, 1.1, 0.9, 1.2, 1.0]
    result = detect_change_points(_obs(values), "net cooperation")
    kinds = [cp.kind for cp in result.change_points]
    assert kinds == ["episode", "episode"]
    assert "Short episodes: P05 to P06 (mean -8.75, 6 events from 2 sources)" in result.reading
    assert "No sustained level shift" in result.reading
    assert "returned to about the same level" in result.reading
    assert result.sustained_shifts == 0 and not result.recent_change


def test_change_at_the_end_is_too_recent_to_read():
    values = [1.0, 1.2, 0.8, 1.1, 0.9, 1.0, 1.1, 0.9, 1.0, 1.2, 9.0, 9.5]
    result = detect_change_points(_obs(values), "net cooperation")
    assert result.recent_change and result.sustained_shifts == 0
    assert "too recent to tell" in result.reading and "P10 to P11" in result.reading


def test_many_episodes_are_summarised():
    values = [0.0] * 24
    for i, v in ((2, 8.0), (7, 6.0), (12, 9.0), (17, 7.0), (21, 5.0)):
        values[i] = v
    result = detect_change_points(_obs(values), "x")
    assert result.reading.startswith("5 short episodes; the largest:")
    assert result.reading.count("(mean ") == 3
    assert "P12 (mean 9, 3 events from 1 source)" in result.reading


def test_flat_series_has_no_change_point():
    result = detect_change_points(_obs([2.0] * 8), "x")
    assert result.change_points == () and result.reading.startswith("No change point")


def test_not_enough_data_is_said_honestly():
    few_periods = detect_change_points(_obs([0, 5, 0, 5]), "x")
    assert few_periods.status == "not enough data" and "4 periods" in few_periods.reading
    few_events = detect_change_points(_obs([0, 0, 0, 9, 9, 9], events=1), "x")
    assert few_events.status == "not enough data" and "6 events" in few_events.reading


def test_series_observations_use_the_metric():
    clusters = cluster_events(seed_like_events())
    points = dyad_series(clusters, Freq.month, dyad=("USA", "KHM"))
    obs = series_observations(points, "events")
    assert [o.value for o in obs] == [float(p.events) for p in points]
    with pytest.raises(ValueError, match="unknown series metric"):
        series_observations(points, "nonsense")


def test_docs_state_the_thresholds_the_code_uses():
    from pathlib import Path

    from dyadwatch.analysis.changepoints import MIN_EVENTS, MIN_PERIODS, SUSTAINED_PERIODS

    text = (Path(__file__).parent.parent / "docs" / "indices.md").read_text(encoding="utf-8")
    assert f"Fewer than {MIN_PERIODS} periods, or fewer than {MIN_EVENTS} events" in text
    assert f"at least {SUSTAINED_PERIODS} periods is a *lasting level*" in text
    assert "H    = (C_FA − C_FB) / (|C_FA| + |C_FB|)" in text
