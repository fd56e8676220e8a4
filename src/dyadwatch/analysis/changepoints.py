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
    recent_change: bool = False  # the series ends in a change too recent to read


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
        periods = "period" if len(obs) == 1 else "periods"
        return (f"Not enough data: {len(obs)} {periods} of {metric} (at least {MIN_PERIODS} "
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
        import ruptures as rpt  # here, not at the top: it pulls in scipy (~0.9 s per import)

        penalty = penalty_for(values)
        algo = rpt.Pelt(model="l2", min_size=1, jump=1).fit(values.reshape(-1, 1))
        bounds = list(algo.predict(pen=penalty))
    segments = _segments(obs, bounds)
    points = _change_points(obs, bounds, segments)
    sigma = noise_sigma(values)
    reading = read_changes(metric, segments, points, sigma)
    return ChangeAnalysis(metric, "ok", round(penalty, 4), tuple(segments), tuple(points),
                          reading, count_shifts(segments, sigma), is_unsettled(segments, sigma))


def count_shifts(segments: Sequence[Segment], sigma: float) -> int:
    """How many times the level moved by 2σ or more between lasting (sustained) segments."""
    sustained = [s for s in segments if s.sustained]
    return sum(1 for a, b in itertools.pairwise(sustained) if abs(b.mean - a.mean) >= 2 * sigma)


def _span(seg: Segment) -> str:
    if seg.first_period == seg.last_period:
        return seg.first_period
    return f"{seg.first_period} to {seg.last_period}"


def _support(seg: Segment) -> str:
    events = "event" if seg.events == 1 else "events"
    sources = "source" if seg.sources == 1 else "sources"
    return f"{seg.events} {events} from {seg.sources} {sources}"


MAX_LISTED_EPISODES = 3


def baseline(segments: Sequence[Segment]) -> float:
    """The median level over all periods (each segment's mean, once per period)."""
    levels = [s.mean for s in segments for _ in range(s.periods)]
    return float(np.median(levels)) if levels else 0.0


def _episodes_text(episodes: Sequence[Segment], base: float) -> str:
    """The short episodes; when there are many, those farthest from the baseline."""
    def one(seg: Segment) -> str:
        return f"{_span(seg)} (mean {seg.mean:g}, {_support(seg)})"

    if len(episodes) <= MAX_LISTED_EPISODES:
        return "Short episodes: " + "; ".join(one(s) for s in episodes) + "."
    largest = sorted(episodes, key=lambda s: (-abs(s.mean - base), -s.events, s.first_period))
    return (f"{len(episodes)} short episodes; the largest: "
            + "; ".join(one(s) for s in largest[:MAX_LISTED_EPISODES]) + ".")


def _shift_text(metric: str, a: Segment, b: Segment) -> str:
    word = "rose" if b.mean > a.mean else "fell"
    return (f"A sustained level shift: {metric} {word} from a mean of {a.mean:g} "
            f"({_span(a)}, {_support(a)}) to {b.mean:g} ({_span(b)}, {_support(b)}).")


def is_unsettled(segments: Sequence[Segment], sigma: float) -> bool:
    """Whether the series ends in a short segment off the last lasting level: a change too
    recent to tell a lasting shift from an episode."""
    if len(segments) < 2 or segments[-1].sustained:
        return False
    earlier = [s for s in segments[:-1] if s.sustained]
    reference = earlier[-1] if earlier else segments[-2]
    return abs(segments[-1].mean - reference.mean) >= 2 * sigma


def read_changes(metric: str, segments: Sequence[Segment],
                 points: Sequence[ChangePoint], sigma: float = 0.0) -> str:
    """One paragraph: no change, sustained level shifts, short episodes, a recent change.

    Two lasting levels separated only by episodes count as a shift when they differ by at
    least 2σ (the noise estimate); otherwise the series returned to its earlier level. A
    short last segment is not an episode yet: it is too recent to tell.
    """
    if not points:
        seg = segments[0]
        return (f"No change point: {metric} stayed at a mean of {seg.mean:g} per period "
                f"from {_span(seg)} ({_support(seg)}).")
    sentences = []
    unsettled = is_unsettled(segments, sigma)
    body = segments[:-1] if unsettled else segments
    base = baseline(segments)
    # a short stretch at the usual level is no episode, only a short one away from it
    episodes = [s for s in body if not s.sustained and abs(s.mean - base) >= 2 * sigma]
    if episodes:
        sentences.append(_episodes_text(episodes, base))
    sustained = [s for s in body if s.sustained]
    shifts = [(a, b) for a, b in itertools.pairwise(sustained)
              if abs(b.mean - a.mean) >= 2 * sigma]  # the same test as count_shifts
    sentences += [_shift_text(metric, a, b) for a, b in shifts]
    if not shifts and len(sustained) > 1:
        sentences.append(f"Between episodes {metric} returned to about the same level "
                         f"(means {', '.join(f'{s.mean:g}' for s in sustained)}).")
    if not shifts:
        sentences.append("No sustained level shift: no change lasts "
                         f"{SUSTAINED_PERIODS} periods on both sides.")
    if unsettled:
        last = segments[-1]
        sentences.append(
            f"The latest change ({_span(last)}: mean {last.mean:g}, {_support(last)}) is too "
            f"recent to tell a lasting shift from an episode (fewer than {SUSTAINED_PERIODS} "
            "periods so far).")
    return " ".join(sentences)
