"""The hedging index of a focal state F between two powers A and B, per period.

    C_FX = sum of the Goldstein values of the F–X events of the period, both directions
    H    = (C_FA − C_FB) / (|C_FA| + |C_FB|)

H runs from −1 (F's net cooperation is all with B) to +1 (all with A); 0 is balance. H is
None when the period has no F–A and no F–B event, and 0 when it has events whose Goldstein
values sum to zero on both sides. Events are clusters (an event reported five times counts
once), counted as in `series.counts`. docs/indices.md explains the choice.

Uncertainty: every H comes with a bootstrap interval over events (`BOOTSTRAP_SAMPLES`
resamples of the period's events with replacement, a fixed seed so the same data give the
same interval; the central `INTERVAL_LEVEL` share of the resampled H). With fewer than
`MIN_EVIDENCE_EVENTS` events in all, `evidence` is "not enough evidence": H is still
computed, but no reading or change point rests on it.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, replace

import numpy as np

from dyadwatch.analysis.clusters import Cluster
from dyadwatch.analysis.series import Freq, counts, period_of, periods_between
from dyadwatch.errors import ParameterError

MIN_EVIDENCE_EVENTS = 6
BOOTSTRAP_SAMPLES = 1000
BOOTSTRAP_SEED = 14
INTERVAL_LEVEL = 0.9
ENOUGH = "ok"
NOT_ENOUGH = "not enough evidence"


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
    low: float | None = None  # the bootstrap interval of H (INTERVAL_LEVEL)
    high: float | None = None
    evidence: str = NOT_ENOUGH  # ENOUGH, or NOT_ENOUGH below MIN_EVIDENCE_EVENTS events

    @property
    def events(self) -> int:
        return self.side_a.events + self.side_b.events


def hedging_value(c_fa: float, c_fb: float, events: int) -> float | None:
    """(C_FA − C_FB) / (|C_FA| + |C_FB|); 0 for events summing to 0; None with no events."""
    if events == 0:
        return None
    denominator = abs(c_fa) + abs(c_fb)
    return 0.0 if denominator == 0 else round((c_fa - c_fb) / denominator, 4)


def bootstrap_interval(values_a: Sequence[float], values_b: Sequence[float],
                       samples: int = BOOTSTRAP_SAMPLES, seed: int = BOOTSTRAP_SEED,
                       level: float = INTERVAL_LEVEL) -> tuple[float, float] | None:
    """The central `level` interval of H over resamples of the events (Goldstein values of
    the F–A and F–B events), seeded; None with no events."""
    values = np.array([*values_a, *values_b], dtype=float)
    if not len(values):
        return None
    is_a = np.array([True] * len(values_a) + [False] * len(values_b))
    picks = np.random.default_rng(seed).integers(0, len(values), size=(samples, len(values)))
    drawn, side = values[picks], is_a[picks]
    c_fa, c_fb = (drawn * side).sum(axis=1), (drawn * ~side).sum(axis=1)
    denominator = np.abs(c_fa) + np.abs(c_fb)
    h = np.divide(c_fa - c_fb, denominator, out=np.zeros(samples), where=denominator > 0)
    tail = (1 - level) / 2 * 100
    low, high = np.percentile(h, [tail, 100 - tail])
    return round(float(low), 3), round(float(high), 3)


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


def _point(focal: str, period: str, start: str | None, in_a: Sequence[Cluster],
           in_b: Sequence[Cluster], powers: tuple[str, str]) -> HedgingPoint:
    side_a, side_b = _side(powers[0], in_a), _side(powers[1], in_b)
    value = hedging_value(side_a.net_cooperation, side_b.net_cooperation,
                          side_a.events + side_b.events)
    point = HedgingPoint(focal, period, start, value, side_a, side_b)
    interval = bootstrap_interval([c.goldstein for c in in_a], [c.goldstein for c in in_b])
    if interval is None:
        return point
    evidence = ENOUGH if point.events >= MIN_EVIDENCE_EVENTS else NOT_ENOUGH
    return replace(point, low=interval[0], high=interval[1], evidence=evidence)


Admit = Callable[[Cluster], bool]


def _sides(clusters: Iterable[Cluster], focal: str, a: str, b: str, admit: Admit | None = None
           ) -> tuple[list[Cluster], list[Cluster]]:
    focal, a, b = focal.upper()[:3], a.upper()[:3], b.upper()[:3]
    if len({focal, a, b}) < 3:
        raise ParameterError(f"focal state and powers must differ: {focal}, {a}, {b}")
    key_a, key_b = tuple(sorted((focal, a))), tuple(sorted((focal, b)))
    admit = admit or counts
    with_a = [c for c in clusters if admit(c) and c.date_start and c.dyad == key_a]
    with_b = [c for c in clusters if admit(c) and c.date_start and c.dyad == key_b]
    return with_a, with_b


def hedging_index(
    clusters: Iterable[Cluster], focal: str, a: str, b: str, freq: Freq = Freq.quarter,
    admit: Admit | None = None,
) -> list[HedgingPoint]:
    """H of `focal` between `a` and `b` for every period from the first event to the last
    (events that `admit` keeps: by default those that `series.counts`)."""
    with_a, with_b = _sides(list(clusters), focal, a, b, admit)
    starts = sorted(c.date_start or "" for c in with_a + with_b)
    if not starts:
        return []
    points = []
    for label, start in periods_between(starts[0], starts[-1], freq):
        in_a = [c for c in with_a if period_of(c.date_start or "", freq)[0] == label]
        in_b = [c for c in with_b if period_of(c.date_start or "", freq)[0] == label]
        points.append(_point(focal.upper(), label, start, in_a, in_b, (a.upper(), b.upper())))
    return points


def hedging_overall(clusters: Iterable[Cluster], focal: str, a: str, b: str,
                    admit: Admit | None = None) -> HedgingPoint:
    """H over all dated events at once (period "all")."""
    with_a, with_b = _sides(list(clusters), focal, a, b, admit)
    return _point(focal.upper(), "all", None, with_a, with_b, (a.upper(), b.upper()))
