"""The hedging index of a focal state F between two powers A and B, per period.

    C_FX = sum of the Goldstein values of the F–X events of the period, both directions
    H    = (C_FA − C_FB) / (|C_FA| + |C_FB|)

H runs from −1 (F's net cooperation is all with B) to +1 (all with A); 0 is balance. H is
None when the period has no F–A and no F–B event, and 0 when it has events whose Goldstein
values sum to zero on both sides. Events are clusters (an event reported five times counts
once), counted as in `series.counts`. docs/indices.md explains the choice.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from dyadwatch.analysis.clusters import Cluster
from dyadwatch.analysis.series import Freq, counts, period_of, periods_between
from dyadwatch.errors import ParameterError


@dataclass(frozen=True, slots=True)
class HedgingSide:
    """The inputs of one side (F–A or F–B) in one period."""

    power: str
    net_cooperation: float
    events: int
    cooperative: int
    conflictual: int
    sources: int
    cluster_ids: tuple[str, ...]
    event_ids: tuple[str, ...]
    doc_ids: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class HedgingPoint:
    """H for one period (or "all"), with both sides' inputs."""

    focal: str
    period: str
    period_start: str | None
    value: float | None
    side_a: HedgingSide
    side_b: HedgingSide


def hedging_value(c_fa: float, c_fb: float, events: int) -> float | None:
    """(C_FA − C_FB) / (|C_FA| + |C_FB|); 0 for events summing to 0; None with no events."""
    if events == 0:
        return None
    denominator = abs(c_fa) + abs(c_fb)
    return 0.0 if denominator == 0 else round((c_fa - c_fb) / denominator, 4)


def _side(power: str, members: Sequence[Cluster]) -> HedgingSide:
    return HedgingSide(
        power=power, net_cooperation=round(sum(c.goldstein for c in members), 3),
        events=len(members), cooperative=sum(1 for c in members if c.quad_class in (1, 2)),
        conflictual=sum(1 for c in members if c.quad_class in (3, 4)),
        sources=len({d for c in members for d in c.doc_ids}),
        cluster_ids=tuple(c.cluster_id for c in members),
        event_ids=tuple(e for c in members for e in c.event_ids),
        doc_ids=tuple(sorted({d for c in members for d in c.doc_ids})),
    )


def _point(focal: str, period: str, start: str | None, side_a: HedgingSide,
           side_b: HedgingSide) -> HedgingPoint:
    value = hedging_value(side_a.net_cooperation, side_b.net_cooperation,
                          side_a.events + side_b.events)
    return HedgingPoint(focal, period, start, value, side_a, side_b)


def _sides(clusters: Iterable[Cluster], focal: str, a: str, b: str
           ) -> tuple[list[Cluster], list[Cluster]]:
    focal, a, b = focal.upper()[:3], a.upper()[:3], b.upper()[:3]
    if len({focal, a, b}) < 3:
        raise ParameterError(f"focal state and powers must differ: {focal}, {a}, {b}")
    key_a, key_b = tuple(sorted((focal, a))), tuple(sorted((focal, b)))
    with_a = [c for c in clusters if counts(c) and c.dyad == key_a]
    with_b = [c for c in clusters if counts(c) and c.dyad == key_b]
    return with_a, with_b


def hedging_index(
    clusters: Iterable[Cluster], focal: str, a: str, b: str, freq: Freq = Freq.quarter
) -> list[HedgingPoint]:
    """H of `focal` between `a` and `b` for every period from the first event to the last."""
    with_a, with_b = _sides(list(clusters), focal, a, b)
    starts = sorted(c.date_start or "" for c in with_a + with_b)
    if not starts:
        return []
    points = []
    for label, start in periods_between(starts[0], starts[-1], freq):
        in_a = [c for c in with_a if period_of(c.date_start or "", freq)[0] == label]
        in_b = [c for c in with_b if period_of(c.date_start or "", freq)[0] == label]
        points.append(_point(focal.upper(), label, start, _side(a.upper(), in_a),
                             _side(b.upper(), in_b)))
    return points


def hedging_overall(clusters: Iterable[Cluster], focal: str, a: str, b: str) -> HedgingPoint:
    """H over all dated events at once (period "all")."""
    with_a, with_b = _sides(list(clusters), focal, a, b)
    return _point(focal.upper(), "all", None, _side(a.upper(), with_a), _side(b.upper(), with_b))
