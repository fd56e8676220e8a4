"""Change points in a series (net cooperation, hedging) with ruptures, read in plain words.

Reads Observation records (one value per period, with the events and sources behind it);
returns a ChangeAnalysis: the segments of constant level, the change points between them
with their dates and shift sizes, and a reading: a sustained level shift, short episodes,
no change, or "not enough data".

Method (docs/indices.md): Pelt with the least-squares cost ("l2", a change in mean),
minimum segment 1 period, penalty = 2·σ²·ln(n) (BIC for a Gaussian mean shift), σ estimated
robustly from the period-to-period differences (MAD), floored at 10% of the series' standard
deviation so a series with long flat stretches does not get a zero penalty.
"""

from __future__ import annotations

import itertools
import logging
import math
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import ruptures as rpt

log = logging.getLogger(__name__)

MIN_PERIODS = 6
MIN_EVENTS = 8
SUSTAINED_PERIODS = 3


@dataclass(frozen=True, slots=True)
class Observation:
    """One period's value and what supports it."""

    period: str
    period_start: str
    value: float
    events: int
    sources: int
    doc_ids: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class Segment:
    """Periods of one level. `sustained` when it lasts `SUSTAINED_PERIODS` or more."""

    first_period: str
    last_period: str
    periods: int
    mean: float
    events: int
    sources: int
    sustained: bool


@dataclass(frozen=True, slots=True)
class ChangePoint:
    """The start of a new level: its period and date, the mean before and after."""

    period: str
    date: str
    before: float
    after: float
    shift: float
    kind: str  # "sustained shift" or "episode"


@dataclass(frozen=True, slots=True)
class ChangeAnalysis:
    """Change points of one series and their reading."""

    metric: str
    status: str  # "ok" or "not enough data"
    penalty: float | None
    segments: tuple[Segment, ...]
    change_points: tuple[ChangePoint, ...]
    reading: str
    sustained_shifts: int = 0  # pairs of lasting levels that differ by 2σ or more


def noise_sigma(values: np.ndarray) -> float:
    """σ of the noise: the MAD of first differences (robust to level shifts), floored."""
    diffs = np.diff(values)
    mad = float(np.median(np.abs(diffs - np.median(diffs)))) if len(diffs) else 0.0
    return max(1.4826 * mad / math.sqrt(2), 0.1 * float(np.std(values)), 1e-9)


def penalty_for(values: np.ndarray) -> float:
    """2·σ²·ln(n) (BIC for a change in mean of Gaussian noise)."""
    return 2 * noise_sigma(values) ** 2 * math.log(len(values))


def _distinct_sources(part: Sequence[Observation]) -> int:
    docs = {d for o in part for d in o.doc_ids}
    return len(docs) if docs else sum(o.sources for o in part)


def _segments(obs: Sequence[Observation], bounds: Sequence[int]) -> list[Segment]:
    segments, start = [], 0
    for end in bounds:
        part = obs[start:end]
        segments.append(Segment(
            first_period=part[0].period, last_period=part[-1].period, periods=len(part),
            mean=round(sum(o.value for o in part) / len(part), 3),
            events=sum(o.events for o in part), sources=_distinct_sources(part),
            sustained=len(part) >= SUSTAINED_PERIODS,
        ))
        start = end
    return segments


def _change_points(obs: Sequence[Observation], bounds: Sequence[int],
                   segments: Sequence[Segment]) -> list[ChangePoint]:
    out = []
    for i, index in enumerate(bounds[:-1]):
        before, after = segments[i], segments[i + 1]
        kind = "sustained shift" if before.sustained and after.sustained else "episode"
        out.append(ChangePoint(
            period=obs[index].period, date=obs[index].period_start, before=before.mean,
            after=after.mean, shift=round(after.mean - before.mean, 3), kind=kind,
        ))
    return out


def not_enough(metric: str, obs: Sequence[Observation]) -> str | None:
    """Why the series cannot support a change-point reading, or None when it can."""
    events = sum(o.events for o in obs)
    if len(obs) < MIN_PERIODS:
        return (f"Not enough data: {len(obs)} periods of {metric} (at least {MIN_PERIODS} "
                "are needed to tell a shift from noise).")
    if events < MIN_EVENTS:
        return (f"Not enough data: {events} events in {len(obs)} periods (at least "
                f"{MIN_EVENTS} are needed).")
    return None


def detect_change_points(obs: Sequence[Observation], metric: str = "value") -> ChangeAnalysis:
    """Pelt change points of the observations' values, with a plain-language reading."""
    reason = not_enough(metric, obs)
    if reason:
        return ChangeAnalysis(metric, "not enough data", None, (), (), reason)
    values = np.array([o.value for o in obs], dtype=float)
    if float(np.std(values)) == 0.0:
        bounds = [len(obs)]
        penalty = 0.0
    else:
        penalty = penalty_for(values)
        algo = rpt.Pelt(model="l2", min_size=1, jump=1).fit(values.reshape(-1, 1))
        bounds = list(algo.predict(pen=penalty))
    segments = _segments(obs, bounds)
    points = _change_points(obs, bounds, segments)
    sigma = noise_sigma(values)
    reading = read_changes(metric, segments, points, sigma)
    return ChangeAnalysis(metric, "ok", round(penalty, 4), tuple(segments), tuple(points),
                          reading, count_shifts(segments, sigma))


def count_shifts(segments: Sequence[Segment], sigma: float) -> int:
    """How many times the level moved by 2σ or more between lasting (sustained) segments."""
    sustained = [s for s in segments if s.sustained]
    return sum(1 for a, b in itertools.pairwise(sustained) if abs(b.mean - a.mean) >= 2 * sigma)


def _span(seg: Segment) -> str:
    if seg.first_period == seg.last_period:
        return seg.first_period
    return f"{seg.first_period} to {seg.last_period}"


def _support(seg: Segment) -> str:
    return f"{seg.events} events from {seg.sources} sources"


def _level_change(metric: str, a: Segment, b: Segment, sigma: float) -> str:
    if abs(b.mean - a.mean) < 2 * sigma:  # the same test as count_shifts
        return (f"After it, {metric} returned to about its earlier level ({a.mean:g} in "
                f"{_span(a)}, {b.mean:g} in {_span(b)}).")
    word = "rose" if b.mean > a.mean else "fell"
    return (f"A sustained level shift: {metric} {word} from a mean of {a.mean:g} "
            f"({_span(a)}, {_support(a)}) to {b.mean:g} ({_span(b)}, {_support(b)}).")


def read_changes(metric: str, segments: Sequence[Segment],
                 points: Sequence[ChangePoint], sigma: float = 0.0) -> str:
    """One paragraph: no change, sustained level shifts, or short episodes.

    Two sustained levels separated only by episodes count as a shift when they differ by
    at least 2σ (the noise estimate); otherwise the series returned to its earlier level.
    """
    if not points:
        seg = segments[0]
        return (f"No change point: {metric} stayed at a mean of {seg.mean:g} per period "
                f"from {_span(seg)} ({_support(seg)}).")
    sentences = []
    sustained = [s for s in segments if s.sustained]
    for seg in segments:
        if not seg.sustained and len(segments) > 1:
            sentences.append(f"A short episode in {_span(seg)}: mean {seg.mean:g} "
                             f"({_support(seg)}).")
    shifts = 0
    for a, b in itertools.pairwise(sustained):
        sentences.append(_level_change(metric, a, b, sigma))
        shifts += sentences[-1].startswith("A sustained")
    if not shifts:
        sentences.append("No sustained level shift: the changes do not last "
                         f"{SUSTAINED_PERIODS} periods on both sides.")
    return " ".join(sentences)
