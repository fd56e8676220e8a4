"""Series and hedging points turned into Observations for change-point detection."""

from __future__ import annotations

from collections.abc import Sequence

from dyadwatch.analysis.changepoints import Observation
from dyadwatch.analysis.hedging import ENOUGH, HedgingPoint
from dyadwatch.analysis.series import SeriesPoint
from dyadwatch.errors import ParameterError

SERIES_METRICS = ("goldstein_sum", "goldstein_mean", "events", "cooperation", "conflict")


def series_observations(
    points: Sequence[SeriesPoint], metric: str = "goldstein_sum"
) -> list[Observation]:
    """One Observation per period of one dyad's series (empty periods count as 0)."""
    if metric not in SERIES_METRICS:
        raise ParameterError(f"unknown series metric {metric!r}; choose from {SERIES_METRICS}")
    out = []
    for p in points:
        value = getattr(p, metric)
        out.append(Observation(p.period, p.period_start, float(value or 0.0), p.events,
                               p.sources, p.doc_ids))
    return out


def hedging_observations(points: Sequence[HedgingPoint]) -> list[Observation]:
    """One Observation per period with enough evidence for H (others are skipped: periods
    without events, and those under `hedging.MIN_EVIDENCE_EVENTS` events)."""
    return [
        Observation(
            p.period, p.period_start or "", float(p.value), p.side_a.events + p.side_b.events,
            len(set(p.side_a.doc_ids) | set(p.side_b.doc_ids)),
            tuple(sorted(set(p.side_a.doc_ids) | set(p.side_b.doc_ids))),
        )
        for p in points
        if p.value is not None and p.evidence == ENOUGH
    ]
