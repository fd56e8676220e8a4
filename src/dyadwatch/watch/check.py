"""Checking alert rules after a poll: which rules fire, as alerts stored once by key.

- An event rule reads the events of the documents no check has read yet
  (`alert_checked_docs`) and raises one alert per rule and document with matching events
  (key `event:RULE:DOC_ID`).
- A series rule recomputes its signals from the whole workspace with the analysis functions
  (after a poll that brought new coded documents only):
  each change point of the dyad's series (`detect_change_points` over `dyad_series`), or each
  period in which the hedging index crosses the rule's value (`hedging_index`); a signal key
  not seen before is an alert. A rule's first check records the signals already there
  without alerting (they are history, not news).
- The first check of a workspace (`baseline`) marks the documents already stored as read: a
  watcher alerts on what arrives after it started, not on the archive.

Everything a check decides (alerts, their pending deliveries, documents read, signals seen) is
written in the caller's transaction, so a watcher killed midway redoes the check, whole.
"""

from __future__ import annotations

import hashlib
import itertools
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

import duckdb

from dyadwatch.analysis.changepoints import detect_change_points
from dyadwatch.analysis.clusters import Cluster, load_clusters
from dyadwatch.analysis.hedging import hedging_index
from dyadwatch.analysis.observations import series_observations
from dyadwatch.analysis.series import dyad_series
from dyadwatch.records import Event
from dyadwatch.store import watch as store
from dyadwatch.store.watch import AlertRow
from dyadwatch.watch.rules import AlertRules, ChangePointRule, EventRule, HedgingRule

MAX_EVENTS = 50  # events carried by one alert (the rest are counted)
BASELINE = "(baseline)"  # the alert_rule_state row that says the workspace was baselined


@dataclass(frozen=True, slots=True)
class Signal:
    """Something a series rule saw: its key, what it means, the events behind it."""

    key: str
    summary: str
    events: tuple[Event, ...]


def _starts(code: str | None, prefix: str) -> bool:
    return code is not None and code.startswith(prefix)


def event_matches(rule: EventRule, event: Event) -> bool:
    """Whether `event` passes every filter of `rule` (codes match by prefix, as elsewhere)."""
    src, tgt = event.source.code, event.target.code
    checks = (
        rule.actor is None or _starts(src, rule.actor) or _starts(tgt, rule.actor),
        rule.dyad is None or (_starts(src, rule.dyad[0]) and _starts(tgt, rule.dyad[1]))
        or (_starts(src, rule.dyad[1]) and _starts(tgt, rule.dyad[0])),
        not rule.roots or event.root in rule.roots,
        not rule.plover or event.plover in rule.plover,
        not rule.quad_class or event.quad_class in rule.quad_class,
        not rule.modality or event.modality in rule.modality,
        rule.min_goldstein is None or abs(event.goldstein) >= rule.min_goldstein,
        rule.include_negated or not event.negated,
    )
    return all(checks)


Links = dict[str, tuple[str | None, str | None]]  # doc_id -> (url, title)


def event_json(event: Event, links: Links) -> dict[str, Any]:
    """What an alert says about one event: who did what to whom, when, and the sentence."""
    return {
        "event_id": event.event_id, "doc_id": event.doc_id, "doc_source": event.doc_source,
        "url": links.get(event.doc_id, (None, None))[0],
        "title": links.get(event.doc_id, (None, None))[1], "date": event.date,
        "source": {"code": event.source.code, "text": event.source.text},
        "target": {"code": event.target.code, "text": event.target.text},
        "cameo": event.cameo, "root": event.root, "plover": event.plover,
        "quad_class": event.quad_class, "goldstein": event.goldstein,
        "modality": event.modality, "negated": event.negated, "sentence": event.sentence,
    }


def describe(event: Event) -> str:
    src = event.source.code or event.source.text or "?"
    tgt = event.target.code or event.target.text or "?"
    return f"{src} → {tgt} {event.plover} ({event.cameo}, Goldstein {event.goldstein:+.1f})"


def make_alert(rule: str, kind: str, key: str, summary: str, events: Sequence[Event],
               links: Links) -> AlertRow:
    alert_id = hashlib.sha256(key.encode()).hexdigest()[:16]
    payload = {
        "alert_id": alert_id, "rule": rule, "kind": kind, "summary": summary,
        "events_total": len(events),
        "events": [event_json(e, links) for e in events[:MAX_EVENTS]],
    }
    return AlertRow(alert_id, key, rule, kind, summary, payload)


def event_alerts(rule: EventRule, events: Iterable[Event], links: Links) -> list[AlertRow]:
    """One alert per document holding events that match `rule`."""
    by_doc: dict[str, list[Event]] = {}
    for event in events:
        if event_matches(rule, event):
            by_doc.setdefault(event.doc_id, []).append(event)
    alerts = []
    for doc_id, matched in by_doc.items():
        url, title = links.get(doc_id, (None, None))
        where = f"“{title}”" if title else (url or matched[0].doc_source)
        more = f" (+{len(matched) - 1} more)" if len(matched) > 1 else ""
        summary = f"{describe(matched[0])}{more} in {where}"
        alerts.append(make_alert(rule.name, rule.kind, f"event:{rule.name}:{doc_id}", summary,
                                 matched, links))
    return alerts


def _mentions(clusters: Iterable[Cluster]) -> tuple[Event, ...]:
    return tuple(e for c in clusters for e in c.mentions)


def change_point_signals(con: duckdb.DuckDBPyConnection, rule: ChangePointRule) -> list[Signal]:
    clusters = load_clusters(con, dyad=rule.dyad)
    series = dyad_series(clusters, rule.freq, False, rule.dyad)
    label = f"{rule.metric} of {rule.dyad[0]}–{rule.dyad[1]}"
    analysis = detect_change_points(series_observations(series, rule.metric), label)
    by_id = {c.cluster_id: c for c in clusters}
    points = {p.period: p for p in series}
    signals = []
    for cp in analysis.change_points:
        if rule.sustained_only and cp.kind != "sustained shift":
            continue
        period = points.get(cp.period)
        members = [by_id[i] for i in (period.cluster_ids if period else ()) if i in by_id]
        summary = (f"{label}: {cp.kind} from {cp.before:+.2f} to {cp.after:+.2f} "
                   f"starting {cp.period}")
        signals.append(Signal(f"change_point:{rule.name}:{cp.period}:{cp.kind}", summary,
                              _mentions(members)))
    return signals


def _crossing(before: float, after: float, value: float) -> str | None:
    if before < value <= after:
        return "up"
    if before > value >= after:
        return "down"
    return None


def hedging_signals(con: duckdb.DuckDBPyConnection, rule: HedgingRule) -> list[Signal]:
    clusters = load_clusters(con, actor=rule.focal)
    points = [p for p in hedging_index(clusters, rule.focal, rule.a, rule.b, rule.freq)
              if p.value is not None]
    by_event = {e.event_id: e for e in _mentions(clusters)}
    signals = []
    for before, after in itertools.pairwise(points):
        assert before.value is not None and after.value is not None
        way = _crossing(before.value, after.value, rule.crosses)
        if way is None or rule.direction not in (way, "either"):
            continue
        ids = after.side_a.event_ids + after.side_b.event_ids
        summary = (f"hedging of {rule.focal} between {rule.a} (+1) and {rule.b} (−1) went "
                   f"{way} through {rule.crosses:+.2f}: {before.value:+.2f} in {before.period}"
                   f", {after.value:+.2f} in {after.period}")
        signals.append(Signal(f"hedging:{rule.name}:{after.period}:{way}", summary,
                              tuple(by_event[i] for i in ids if i in by_event)))
    return signals


def _series_alerts(con: duckdb.DuckDBPyConnection, rule: ChangePointRule | HedgingRule,
                   new_documents: bool) -> list[AlertRow]:
    seen = store.rule_seen(con, rule.name)
    if seen is not None and not new_documents:
        return []  # nothing new to read: the series is what it was at the last check
    signals = (change_point_signals(con, rule) if isinstance(rule, ChangePointRule)
               else hedging_signals(con, rule))
    store.save_rule_seen(con, rule.name, (seen or set()) | {s.key for s in signals})
    if seen is None:  # the rule's first check: what is there already is history
        return []
    fresh = [s for s in signals if s.key not in seen]
    links = store.document_links(con, sorted({e.doc_id for s in fresh for e in s.events}))
    return [make_alert(rule.name, rule.kind, s.key, s.summary, s.events, links)
            for s in fresh]


def baseline(con: duckdb.DuckDBPyConnection) -> int:
    """On a workspace's first check, mark the documents already stored as read; the count."""
    if store.rule_seen(con, BASELINE) is not None:
        return 0
    doc_ids = store.unchecked_doc_ids(con)
    store.mark_checked(con, doc_ids)
    store.save_rule_seen(con, BASELINE, ())
    return len(doc_ids)


def check_rules(con: duckdb.DuckDBPyConnection, rules: AlertRules,
                channels: Sequence[str]) -> list[AlertRow]:
    """Check every rule; store the new alerts with a pending delivery per channel and return
    them. Run inside one transaction (see the module's docstring)."""
    doc_ids = store.unchecked_doc_ids(con)
    events = store.events_of(con, doc_ids)
    links = store.document_links(con, doc_ids)
    alerts: list[AlertRow] = []
    for rule in rules.rules:
        if isinstance(rule, EventRule):
            alerts += event_alerts(rule, events, links)
        else:
            alerts += _series_alerts(con, rule, bool(doc_ids))
    store.mark_checked(con, doc_ids)
    return [a for a in alerts if store.insert_alert(con, a, channels)]
