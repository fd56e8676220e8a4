"""Inline SVG charts (no scripts, no external resources) for the brief and the dashboard.

Each function reads analysis records and returns an `<svg>` string: text is escaped, sizes
are in a viewBox so the chart scales and prints. Colours follow the quad classes:
cooperation green, conflict red, neutral grey.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from html import escape

from dyadwatch.analysis.changepoints import ChangeAnalysis
from dyadwatch.analysis.hedging import HedgingPoint
from dyadwatch.analysis.series import SeriesPoint

COOPERATION = "#2e7d32"
CONFLICT = "#c62828"
NEUTRAL = "#555555"
CHANGE = "#1565c0"


@dataclass(frozen=True, slots=True)
class Frame:
    """Plot geometry: the drawing area inside the margins and the value range."""

    width: int = 720
    height: int = 260
    left: int = 56
    right: int = 16
    top: int = 28
    bottom: int = 48
    low: float = -1.0
    high: float = 1.0

    def x(self, index: int, count: int) -> float:
        step = (self.width - self.left - self.right) / max(count, 1)
        return self.left + step * (index + 0.5)

    def y(self, value: float) -> float:
        span = (self.high - self.low) or 1.0
        inner = self.height - self.top - self.bottom
        return self.top + inner * (self.high - value) / span

    def bar_width(self, count: int) -> float:
        return max(2.0, (self.width - self.left - self.right) / max(count, 1) * 0.7)


def _open(frame: Frame, title: str) -> list[str]:
    return [
        f'<svg viewBox="0 0 {frame.width} {frame.height}" '
        f'role="img" class="chart" font-family="sans-serif" font-size="11">',
        f"<title>{escape(title)}</title>",
        f'<text x="{frame.left}" y="16" font-size="13" font-weight="bold">{escape(title)}</text>',
    ]


def _axes(frame: Frame, ticks: Sequence[float], labels: Sequence[str]) -> list[str]:
    parts = []
    for value in ticks:
        y = frame.y(value)
        parts.append(f'<line x1="{frame.left}" x2="{frame.width - frame.right}" y1="{y:.1f}" '
                     f'y2="{y:.1f}" stroke="#ddd"/>')
        parts.append(f'<text x="{frame.left - 6}" y="{y + 4:.1f}" text-anchor="end">'
                     f"{value:g}</text>")
    every = max(1, len(labels) // 12)
    for i, label in enumerate(labels):
        if i % every == 0:
            x = frame.x(i, len(labels))
            parts.append(f'<text x="{x:.1f}" y="{frame.height - frame.bottom + 16}" '
                         f'text-anchor="middle">{escape(label)}</text>')
    return parts


def _ticks(low: float, high: float) -> list[float]:
    return sorted({round(low, 2), 0.0, round(high, 2), round((low + high) / 2, 2)})


def _change_marks(frame: Frame, labels: Sequence[str], changes: ChangeAnalysis | None) -> list[str]:
    if not changes:
        return []
    parts = []
    for cp in changes.change_points:
        if cp.period not in labels:
            continue
        i = list(labels).index(cp.period)
        x = frame.x(i, len(labels)) - (frame.x(1, len(labels)) - frame.x(0, len(labels))) / 2
        parts.append(f'<line x1="{x:.1f}" x2="{x:.1f}" y1="{frame.top}" '
                     f'y2="{frame.height - frame.bottom}" stroke="{CHANGE}" '
                     f'stroke-dasharray="4 3"><title>{escape(cp.kind)} at {escape(cp.period)}: '
                     f"{cp.before:g} to {cp.after:g}</title></line>")
    return parts


def _empty(frame: Frame, title: str, message: str) -> str:
    parts = _open(frame, title)
    parts.append(f'<text x="{frame.width / 2}" y="{frame.height / 2}" text-anchor="middle" '
                 f'fill="{NEUTRAL}">{escape(message)}</text></svg>')
    return "\n".join(parts)


def series_chart(points: Sequence[SeriesPoint], changes: ChangeAnalysis | None = None,
                 title: str = "Net cooperation (sum of Goldstein values) per period") -> str:
    """Bars of the Goldstein sum per period (green above 0, red below), change points dashed."""
    if not points:
        return _empty(Frame(), title, "No dated events")
    values = [p.goldstein_sum for p in points]
    frame = Frame(low=min(0.0, *values), high=max(0.0, *values) or 1.0)
    labels = [p.period for p in points]
    parts = _open(frame, title) + _axes(frame, _ticks(frame.low, frame.high), labels)
    width = frame.bar_width(len(points))
    zero = frame.y(0.0)
    for i, p in enumerate(points):
        if not p.events:
            continue
        x, y = frame.x(i, len(points)) - width / 2, frame.y(p.goldstein_sum)
        colour = COOPERATION if p.goldstein_sum >= 0 else CONFLICT
        parts.append(
            f'<rect x="{x:.1f}" y="{min(y, zero):.1f}" width="{width:.1f}" '
            f'height="{abs(zero - y):.1f}" fill="{colour}"><title>{escape(p.period)}: '
            f"{p.events} events ({p.cooperation} cooperative, {p.conflict} conflictual), "
            f"sum {p.goldstein_sum:g}, {p.sources} sources</title></rect>")
    parts += _change_marks(frame, labels, changes)
    parts.append("</svg>")
    return "\n".join(parts)


def hedging_chart(points: Sequence[HedgingPoint], changes: ChangeAnalysis | None = None,
                  title: str | None = None) -> str:
    """H per period on −1…+1 (+1: all with A, −1: all with B); gaps where no events."""
    if not points:
        return _empty(Frame(), title or "Hedging index", "No dated events")
    a, b = points[0].side_a.power, points[0].side_b.power
    title = title or f"Hedging of {points[0].focal}: +1 all with {a}, -1 all with {b}"
    labels = [p.period for p in points]
    frame = Frame(low=-1.0, high=1.0)
    parts = _open(frame, title) + _axes(frame, [-1.0, -0.5, 0.0, 0.5, 1.0], labels)
    path, pen = [], "M"
    for i, p in enumerate(points):
        if p.value is None:
            pen = "M"
            continue
        x, y = frame.x(i, len(points)), frame.y(p.value)
        path.append(f"{pen}{x:.1f},{y:.1f}")
        pen = "L"
        colour = COOPERATION if p.value >= 0 else CONFLICT
        parts.append(
            f'<circle cx="{x:.1f}" cy="{y:.1f}" r="3.5" fill="{colour}"><title>'
            f"{escape(p.period)}: H={p.value:g}; with {escape(a)} {p.side_a.net_cooperation:g} "
            f"({p.side_a.events} events), with {escape(b)} {p.side_b.net_cooperation:g} "
            f"({p.side_b.events} events)</title></circle>")
    if path:
        parts.append(f'<path d="{" ".join(path)}" fill="none" stroke="{NEUTRAL}"/>')
    parts += _change_marks(frame, labels, changes)
    parts.append("</svg>")
    return "\n".join(parts)
