"""Series per dyad and period: event counts per QuadClass, Goldstein sums and means, sources.

Reads Cluster records (one real-world event each, so an event reported by five articles
counts once and has five sources); returns SeriesPoint records, one per dyad and period,
with empty periods between the first and the last filled with zeros.

Only clusters that count as having happened enter a series: not negated, and with a modality
in `COUNTED_MODALITIES` (occurred, or reported by a source). Undated clusters cannot be
placed in a period and are left out (`undated_count` says how many).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from enum import StrEnum

from dyadwatch.analysis.clusters import Cluster, country_of

COUNTED_MODALITIES = ("occurred", "reported")


class Freq(StrEnum):
    month = "month"
    quarter = "quarter"
    year = "year"


@dataclass(frozen=True, slots=True)
class SeriesPoint:
    """One dyad in one period. `dyad` is "A-B" (directed: A acts on B; undirected: sorted)."""

    dyad: str
    period: str
    period_start: str
    events: int
    quad1: int
    quad2: int
    quad3: int
    quad4: int
    goldstein_sum: float
    goldstein_mean: float | None
    mentions: int
    sources: int
    cluster_ids: tuple[str, ...]
    doc_ids: tuple[str, ...] = ()

    @property
    def cooperation(self) -> int:
        return self.quad1 + self.quad2

    @property
    def conflict(self) -> int:
        return self.quad3 + self.quad4


def period_of(date: str, freq: Freq) -> tuple[str, str]:
    """(label, first day) of the period holding an ISO date: 2025-11, 2025Q4 or 2025."""
    year, month = int(date[:4]), int(date[5:7]) if len(date) >= 7 else 1
    if freq is Freq.month:
        return f"{year:04d}-{month:02d}", f"{year:04d}-{month:02d}-01"
    if freq is Freq.quarter:
        q = (month - 1) // 3 + 1
        return f"{year:04d}Q{q}", f"{year:04d}-{3 * (q - 1) + 1:02d}-01"
    return f"{year:04d}", f"{year:04d}-01-01"


def periods_between(first: str, last: str, freq: Freq) -> list[tuple[str, str]]:
    """Every period from the one holding `first` to the one holding `last` (ISO days)."""
    step = {Freq.month: 1, Freq.quarter: 3, Freq.year: 12}[freq]
    label, start = period_of(first, freq)
    end_label = period_of(last, freq)[0]
    out = [(label, start)]
    year, month = int(start[:4]), int(start[5:7])
    while label != end_label:
        month += step
        year, month = year + (month - 1) // 12, (month - 1) % 12 + 1
        label, start = period_of(f"{year:04d}-{month:02d}-01", freq)
        out.append((label, start))
    return out


def counts(cluster: Cluster) -> bool:
    """Whether a cluster enters series and indices (happened, and placed in time)."""
    return (not cluster.negated and cluster.modality in COUNTED_MODALITIES
            and cluster.date_start is not None)


def undated_count(clusters: Iterable[Cluster]) -> int:
    return sum(1 for c in clusters if c.date_start is None)


def dyad_label(cluster: Cluster, directed: bool) -> str:
    if directed:
        return f"{country_of(cluster.source)}-{country_of(cluster.target)}"
    return "-".join(cluster.dyad)


def _point(dyad: str, period: tuple[str, str], members: Sequence[Cluster]) -> SeriesPoint:
    quads = [sum(1 for c in members if c.quad_class == q) for q in (1, 2, 3, 4)]
    total = sum(c.goldstein for c in members)
    return SeriesPoint(
        dyad=dyad, period=period[0], period_start=period[1], events=len(members),
        quad1=quads[0], quad2=quads[1], quad3=quads[2], quad4=quads[3],
        goldstein_sum=round(total, 3),
        goldstein_mean=round(total / len(members), 3) if members else None,
        mentions=sum(c.num_mentions for c in members),
        sources=len({d for c in members for d in c.doc_ids}),
        cluster_ids=tuple(c.cluster_id for c in members),
        doc_ids=tuple(sorted({d for c in members for d in c.doc_ids})),
    )


def dyad_series(
    clusters: Iterable[Cluster], freq: Freq = Freq.month, directed: bool = False,
    dyad: tuple[str, str] | None = None, admit: Callable[[Cluster], bool] | None = None,
) -> list[SeriesPoint]:
    """Series of every dyad (or only `dyad`, by country code), period by period, of the
    clusters `admit` keeps (default: those that `counts`; undated ones never enter).

    For a directed series `dyad=(A, B)` keeps A->B only; undirected keeps both directions.
    """
    wanted: set[str] | None = None
    if dyad:
        a, b = (x.upper()[:3] for x in dyad)
        wanted = {f"{a}-{b}"} if directed else {"-".join(sorted((a, b)))}
    by_dyad: dict[str, list[Cluster]] = defaultdict(list)
    for cluster in clusters:
        label = dyad_label(cluster, directed)
        kept = (admit or counts)(cluster) and cluster.date_start is not None
        if kept and (wanted is None or label in wanted):
            by_dyad[label].append(cluster)
    points: list[SeriesPoint] = []
    for label in sorted(by_dyad):
        members = by_dyad[label]
        starts = sorted(c.date_start or "" for c in members)
        by_period: dict[str, list[Cluster]] = defaultdict(list)
        for c in members:
            by_period[period_of(c.date_start or "", freq)[0]].append(c)
        for period in periods_between(starts[0], starts[-1], freq):
            points.append(_point(label, period, by_period.get(period[0], [])))
    return points
