"""Event clusters: the same real-world event reported in several mentions and documents.

Reads event mentions (Event records); returns Cluster records and writes `events.cluster_id`.

Two mentions are one event when they have
- the same dyad, undirected, by country code ("USA"/"KHM" whichever side acts);
- the same CAMEO root (not just the same quad class: "signed a trade agreement" (057) and
  "agreed to resume exercises" (0312) in the same month are distinct events);
- the same polarity (a negated mention never joins an affirmed one);
- compatible dates: the date intervals overlap (a month holds all its days, a year all its
  months, a range all its days). A mention with no date, or only the publication date
  (`document` precision), may refer to a dated event of its key within a window before its
  document's date (after it, for expected/planned/intended mentions): a year for material
  events (quad classes 2 and 4), a week and the same CAMEO code for verbal ones, which recur
  daily (`ReferenceWindow`). Among those it joins the most alike (same code, same base code,
  same direction), then the closest in time; failing those, an undated cluster written
  within a month (material) or two days (verbal).

To stop a coarse date from chaining distinct events together, mentions are placed from the
most precise to the least (day, range, month, year, document, none) and each cluster keeps
the interval of its first, most precise mention; a coarser mention joins at most one cluster.
The cluster id is the event id of the cluster's earliest mention, so the same events always
give the same ids.
"""

from __future__ import annotations

import calendar
import logging
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta

import duckdb

from dyadwatch.records import Actor, Event
from dyadwatch.store.analysis import document_anchors, write_cluster_ids
from dyadwatch.store.events import EventFilter, date_start, query_events

log = logging.getLogger(__name__)



@dataclass(frozen=True, slots=True)
class ReferenceWindow:
    """How far an undated (or publication-dated) mention may refer.

    `back_days`: to a dated event up to this many days before its document (after it, for
    expected/planned/intended mentions); `undated_days`: to another undated mention whose
    document is this close; `same_code`: only to an event of the very same CAMEO code.
    Calibrated on the seeds and the Guardian sample: with one year for every event, 19
    undated "statement" mentions from 15 articles became one event; verbal events recur
    daily, while a lifted embargo is still referred to months later.
    """

    back_days: int
    undated_days: int
    same_code: bool


VERBAL_WINDOW = ReferenceWindow(back_days=7, undated_days=2, same_code=True)
MATERIAL_WINDOW = ReferenceWindow(back_days=366, undated_days=31, same_code=False)
FUTURE_MODALITIES = ("expected", "planned", "intended")
PRECISION_RANK = {"day": 0, "range": 1, "month": 2, "year": 3, "document": 4, "unknown": 5}
MODALITY_RANK = {"occurred": 0, "reported": 1, "expected": 2, "planned": 3, "intended": 4}
FAR_FUTURE = "9999-12-31"


@dataclass(frozen=True, slots=True)
class Cluster:
    """One real-world event and its mentions (the most precisely dated mention first).

    Code, actors and date are those of the first mention; `modality` is the strongest any
    mention gives (occurred > reported > expected > planned > intended).
    """

    cluster_id: str
    dyad: tuple[str, str]
    date: str | None
    date_end: str | None
    date_precision: str
    source: Actor
    target: Actor
    cameo: str
    root: str
    quad_class: int
    goldstein: float
    plover: str
    modality: str
    negated: bool
    mentions: tuple[Event, ...] = field(default=())

    @property
    def date_start(self) -> str | None:
        return date_start(self.date)

    @property
    def event_ids(self) -> tuple[str, ...]:
        return tuple(m.event_id for m in self.mentions)

    @property
    def doc_ids(self) -> tuple[str, ...]:
        """Distinct documents, in mention order."""
        return tuple(dict.fromkeys(m.doc_id for m in self.mentions))

    @property
    def num_mentions(self) -> int:
        return len(self.mentions)

    @property
    def num_sources(self) -> int:
        return len(self.doc_ids)

    @property
    def confidence(self) -> float:
        """The highest confidence of its mentions (one clear report is enough)."""
        return max((m.confidence for m in self.mentions), default=0.0)


def country_of(actor: Actor) -> str:
    """The actor's country (or IGO) code: `country`, else the first three letters of `code`."""
    return actor.country_key


def dyad_of(event: Event) -> tuple[str, str]:
    """The undirected dyad of a mention: its two country codes, sorted."""
    a, b = country_of(event.source), country_of(event.target)
    return (a, b) if a <= b else (b, a)


def date_end_day(date: str) -> str:
    """The last day of an ISO date of any precision ("2025-02" -> "2025-02-28")."""
    parts = date.split("-")
    year = int(parts[0])
    if len(parts) == 1:
        return f"{year:04d}-12-31"
    month = int(parts[1])
    if len(parts) == 2:
        return f"{year:04d}-{month:02d}-{calendar.monthrange(year, month)[1]:02d}"
    return date


def interval_of(event: Event) -> tuple[str, str] | None:
    """First and last day the mention's date allows; None when undated or document-dated."""
    if not event.date or event.date_precision in ("document", "unknown"):
        return None
    start = date_start(event.date) or FAR_FUTURE
    end = date_end_day(event.date_end or event.date)
    return start, max(start, end)


def placement_key(event: Event) -> tuple[int, str, str, int, str]:
    """Most precise first, then by date, then document order: the order mentions are placed."""
    rank = PRECISION_RANK.get(event.date_precision, 5) if event.date else 5
    return (rank, date_start(event.date) or FAR_FUTURE, event.doc_source,
            event.sentence_index, event.event_id)


def earliest_key(event: Event) -> tuple[str, str, int, str]:
    return (date_start(event.date) or FAR_FUTURE, event.doc_source, event.sentence_index,
            event.event_id)


@dataclass(slots=True)
class _Draft:
    interval: tuple[str, str] | None
    members: list[Event]
    order: int  # creation order, for deterministic tie-breaks
    hint: str | None = None  # an undated cluster's document date (of its first mention)


def _width(interval: tuple[str, str]) -> str:
    # ISO strings compare as dates; a narrower interval has a later start for the same end.
    return interval[1] + interval[0]


def _best_dated(drafts: Sequence[_Draft], interval: tuple[str, str]) -> _Draft | None:
    fits = [d for d in drafts if d.interval and d.interval[0] <= interval[1]
            and interval[0] <= d.interval[1]]
    if not fits:
        return None
    # the candidate with the most mentions, then the earliest placed (deterministic)
    return max(fits, key=lambda d: (len(d.members), -d.order))


def _likeness(draft: _Draft, event: Event) -> tuple[bool, bool, bool]:
    """How closely a cluster's first mention matches: same code, same base code, same
    direction (by country)."""
    seed = draft.members[0]
    same_direction = (country_of(seed.source), country_of(seed.target)) == (
        country_of(event.source), country_of(event.target))
    return seed.cameo == event.cameo, seed.cameo[:3] == event.cameo[:3], same_direction


def _shift_days(day: str, days: int) -> str:
    return (date.fromisoformat(day) + timedelta(days=days)).isoformat()


def window_for(event: Event) -> ReferenceWindow:
    """Verbal events (quad classes 1 and 3) recur daily; material ones are rarer and are
    referred to for longer."""
    return VERBAL_WINDOW if event.quad_class in (1, 3) else MATERIAL_WINDOW


def _candidates(dated: Sequence[_Draft], event: Event, hint: str) -> list[_Draft]:
    """Dated clusters an undated mention written at `hint` can refer to: for a past event,
    those starting within the window before the document; for an expected, planned or
    intended one, those starting after the document's period, within as many days."""
    window = window_for(event)
    first = date_start(hint) or hint
    last = date_end_day(hint)
    found = [d for d in dated if not window.same_code or d.members[0].cameo == event.cameo]
    if event.modality in FUTURE_MODALITIES:
        horizon = _shift_days(last, window.back_days)
        return [d for d in found if d.interval and last < d.interval[0] <= horizon]
    floor = _shift_days(first, -window.back_days)
    # the event must start inside the window: a year-long "in 2018" is no target for a
    # statement reported in December
    return [d for d in found if d.interval and floor <= d.interval[0] <= last]


def _days_apart(a: str, b: str) -> int:
    first = date.fromisoformat(date_start(a) or a)
    second = date.fromisoformat(date_start(b) or b)
    return abs(first.toordinal() - second.toordinal())


def _near_undated(drafts: Sequence[_Draft], event: Event, hint: str) -> list[_Draft]:
    """Undated clusters whose document date is within the window's `undated_days`."""
    window = window_for(event)
    return [d for d in drafts if d.interval is None and d.hint
            and _days_apart(d.hint, hint) <= window.undated_days
            and (not window.same_code or d.members[0].cameo == event.cameo)]


def _best_undated(drafts: Sequence[_Draft], event: Event, hint: str | None) -> _Draft | None:
    """Among the clusters the mention can refer to: the most alike, then the closest in time
    to the document (the latest earlier one, or the first later one for future events).
    Failing those, the nearest undated cluster written within a few days."""
    if not drafts:
        return None
    if not hint:
        same = [d for d in drafts
                if not window_for(event).same_code or d.members[0].cameo == event.cameo]
        return max(same, key=lambda d: (_likeness(d, event), len(d.members), -d.order),
                   default=None)
    found = _candidates([d for d in drafts if d.interval], event, hint)
    if found:
        future = event.modality in FUTURE_MODALITIES
        return max(found, key=lambda d: (_likeness(d, event), _closeness(d, future), -d.order))
    near = _near_undated(drafts, event, hint)
    return max(near, key=lambda d: (_likeness(d, event), -_days_apart(d.hint or hint, hint),
                                    -d.order), default=None)


def _closeness(draft: _Draft, future: bool) -> int:
    """Larger is closer: the latest start for past events, the earliest for future ones."""
    start = date.fromisoformat(draft.interval[0] if draft.interval else "9999-12-31")
    return -start.toordinal() if future else start.toordinal()


def _is_iso(value: str | None) -> bool:
    """Whether `value` is a usable ISO date of any precision (bad anchors are ignored)."""
    if not value:
        return False
    try:
        date.fromisoformat(date_start(value) or "")
        date.fromisoformat(date_end_day(value))
    except ValueError:
        return False
    return True


def _place(drafts: list[_Draft], event: Event, anchors: Mapping[str, str]) -> None:
    interval = interval_of(event)
    hint: str | None = None
    if interval:
        target = _best_dated(drafts, interval)
    else:
        hint = event.date if event.date else anchors.get(event.doc_id)
        hint = hint if _is_iso(hint) else None
        target = _best_undated(drafts, event, hint)
    if target is None:
        drafts.append(_Draft(interval, [event], len(drafts), hint))
    else:
        target.members.append(event)


def build_cluster(cluster_id: str, members: Sequence[Event]) -> Cluster:
    """A Cluster from its mentions; the first mention gives code, actors and date."""
    seed = members[0]
    modality = min((m.modality for m in members), key=lambda m: MODALITY_RANK.get(m, 9))
    precision = seed.date_precision if seed.date else "unknown"
    return Cluster(
        cluster_id=cluster_id, dyad=dyad_of(seed), date=seed.date, date_end=seed.date_end,
        date_precision=precision, source=seed.source, target=seed.target, cameo=seed.cameo,
        root=seed.root, quad_class=seed.quad_class, goldstein=seed.goldstein,
        plover=seed.plover, modality=modality, negated=seed.negated, mentions=tuple(members),
    )


def cluster_events(
    events: Iterable[Event], anchors: Mapping[str, str] | None = None
) -> list[Cluster]:
    """Group mentions into clusters (rules in the module docstring), in date order.

    `anchors` maps doc_id to the document's date (published, else inferred): it tells an
    undated mention which earlier event of its family it can refer to.
    """
    groups: dict[tuple[tuple[str, str], str, bool], list[Event]] = defaultdict(list)
    for event in events:
        groups[(dyad_of(event), event.root, bool(event.negated))].append(event)
    clusters: list[Cluster] = []
    for key in sorted(groups):
        drafts: list[_Draft] = []
        for event in sorted(groups[key], key=placement_key):
            _place(drafts, event, anchors or {})
        for draft in drafts:
            cluster_id = min(draft.members, key=earliest_key).event_id
            clusters.append(build_cluster(cluster_id, draft.members))
    return sort_clusters(clusters)


def sort_clusters(clusters: Iterable[Cluster]) -> list[Cluster]:
    """Date order, undated last; ties by cluster id."""
    return sorted(clusters, key=lambda c: (c.date_start or FAR_FUTURE, c.cluster_id))


def assign_clusters(con: duckdb.DuckDBPyConnection) -> int:
    """Cluster every event in the workspace and write `events.cluster_id`; returns #clusters.

    Call it after each ingest run, inside or outside a transaction on a writable connection.
    """
    events = query_events(con)
    clusters = cluster_events(events, document_anchors(con))
    write_cluster_ids(con, {m.event_id: c.cluster_id for c in clusters for m in c.mentions})
    log.info("%d events in %d clusters", len(events), len(clusters))
    return len(clusters)


def clusters_from_stored(events: Iterable[Event]) -> list[Cluster]:
    """Clusters as stored in `events.cluster_id` (mentions without one form their own)."""
    groups: dict[str, list[Event]] = defaultdict(list)
    for event in events:
        groups[event.cluster_id or event.event_id].append(event)
    return sort_clusters(
        build_cluster(cid, sorted(members, key=placement_key)) for cid, members in groups.items()
    )


def load_clusters(
    con: duckdb.DuckDBPyConnection, dyad: tuple[str, str] | None = None,
    actor: str | None = None,
) -> list[Cluster]:
    """Clusters of the workspace, optionally of one dyad or actor (by code prefix).

    Uses the stored cluster ids when every event has one, else clusters on the fly (all
    mentions of a dyad and root are read together, so a dyad filter keeps clusters whole).
    """
    events = query_events(con, EventFilter(actor=actor, dyad=dyad))
    if events and all(e.cluster_id for e in events):
        return clusters_from_stored(events)
    return cluster_events(events, document_anchors(con))
