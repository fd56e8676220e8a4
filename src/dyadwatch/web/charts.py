"""The cooperation–conflict chart of the dyad page (drawn by the `chart` macro, _macros.html).

The Goldstein series and hedging charts come ready-made from `report.charts`; this one, which
that module does not draw, shows cooperative events up and conflictual events down per
period. Reads a dyad's SeriesPoints (from `analysis.dyad_series`) and returns frozen shapes in
pixel coordinates; the template only places them, so every label stays escaped.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from dyadwatch.analysis import SeriesPoint

WIDTH, HEIGHT = 720, 220
MARGIN_LEFT, MARGIN_RIGHT, MARGIN_TOP, MARGIN_BOTTOM = 44, 12, 14, 34
MAX_BAR_WIDTH = 40.0  # a few periods should not turn into slabs


@dataclass(frozen=True, slots=True)
class Bar:
    x: float
    y: float
    width: float
    height: float
    kind: str  # css class: coop / conflict
    label: str


@dataclass(frozen=True, slots=True)
class Tick:
    x: float
    y: float
    label: str


@dataclass(frozen=True, slots=True)
class Chart:
    """One SVG bar chart: bars, axis ticks and a zero line."""

    title: str
    width: int
    height: int
    bars: tuple[Bar, ...]
    x_ticks: tuple[Tick, ...]
    y_ticks: tuple[Tick, ...]
    zero_y: float


def _x_layout(count: int) -> tuple[float, float]:
    """(left edge of the first slot, slot width) for `count` periods."""
    inner = WIDTH - MARGIN_LEFT - MARGIN_RIGHT
    return MARGIN_LEFT, inner / max(count, 1)


def _y_scale(low: float, high: float):  # type: ignore[no-untyped-def]
    low, high = min(low, 0.0), max(high, 0.0)
    span = (high - low) or 1.0
    inner = HEIGHT - MARGIN_TOP - MARGIN_BOTTOM
    return lambda v: MARGIN_TOP + (high - v) / span * inner


def _x_ticks(points: Sequence[SeriesPoint], left: float, slot: float) -> tuple[Tick, ...]:
    every = max(1, len(points) // 8)
    return tuple(
        Tick(left + slot * (i + 0.5), HEIGHT - MARGIN_BOTTOM + 16, p.period)
        for i, p in enumerate(points) if i % every == 0
    )


def _y_ticks(low: float, high: float, scale, digits: int) -> tuple[Tick, ...]:  # type: ignore[no-untyped-def]
    values = sorted({min(low, 0.0), 0.0, max(high, 0.0)})
    # + 0.0 turns -0.0 into 0.0, so the zero tick never reads "-0"
    return tuple(Tick(MARGIN_LEFT - 6, scale(v) + 4, f"{v + 0.0:.{digits}f}") for v in values)


def cooperation_conflict_chart(points: Sequence[SeriesPoint]) -> Chart:
    """Per period, cooperative events as bars up and conflictual events as bars down."""
    coop = [p.cooperation for p in points]
    conflict = [p.conflict for p in points]
    high, low = float(max(coop, default=0)), -float(max(conflict, default=0))
    scale = _y_scale(low, high)
    left, slot = _x_layout(len(points))
    width = min(max(slot * 0.7, 1.0), MAX_BAR_WIDTH)
    bars: list[Bar] = []
    for i, p in enumerate(points):
        x = left + slot * i + (slot - width) / 2
        if coop[i]:
            bars.append(Bar(x, scale(coop[i]), width, scale(0) - scale(coop[i]), "coop",
                            f"{p.period}: {coop[i]} cooperative"))
        if conflict[i]:
            bars.append(Bar(x, scale(0), width, scale(-conflict[i]) - scale(0), "conflict",
                            f"{p.period}: {conflict[i]} conflictual"))
    return Chart(
        "Cooperation (up) and conflict (down): events per period", WIDTH, HEIGHT, tuple(bars),
        _x_ticks(points, left, slot), _y_ticks(low, high, scale, 0), scale(0),
    )

