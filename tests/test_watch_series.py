"""Change-point and hedging rules on a real workspace: a rule's first check records what is
there, a new signal is one alert, and checking again raises nothing twice."""

from __future__ import annotations

from pathlib import Path

from dyadwatch.records import Actor, Document, Event, Extraction
from dyadwatch.store.documents import DocumentBatch, write_batch
from dyadwatch.store.workspace import open_workspace
from dyadwatch.watch.check import check_rules
from dyadwatch.watch.rules import load_rules

RULES = """rules:
  - name: khm-usa-shift
    kind: change_point
    dyad: [USA, KHM]
  - name: khm-leans-to-china
    kind: hedging
    focal: KHM
    a: USA
    b: CHN
    freq: month
    crosses: -0.5
    direction: down
"""


def _event(n: int, other: str, date: str, goldstein: float, quad: int) -> Event:
    return Event(
        event_id=f"e{other}{n}", doc_id=f"d{other}{n}", doc_source=f"doc-{other}-{n}",
        sentence_index=0, sentence=f"Sentence {n} about Cambodia and {other}.", date=date,
        date_end=None, date_precision="day",
        source=Actor(code="KHMGOV", country="KHM", role="GOV", text="Cambodia"),
        target=Actor(code=f"{other}GOV", country=other, role="GOV", text=other),
        cameo="057" if goldstein > 0 else "163", root="05" if goldstein > 0 else "16",
        quad_class=quad, goldstein=goldstein, plover="AGREE" if goldstein > 0 else "SANCTION",
        modality="occurred", negated=False, confidence=1.0, coder_version="t",
        dictionary_version="t")


def _add(ws_dir: Path, events: list[Event]) -> None:
    """Each event in a coded document of its own, written as an ingest batch writes them."""
    docs = tuple(Document(doc_id=e.doc_id, doc_source=e.doc_source, text=e.sentence,
                          title=None, published=e.date, published_precision="day",
                          language="en") for e in events)
    with open_workspace(ws_dir).connect() as con:
        write_batch(con, DocumentBatch(
            documents=docs, sources=tuple((d.doc_source, d.doc_id) for d in docs),
            extractions=tuple(Extraction(e.doc_id, (e,)) for e in events)))


def _check(ws_dir: Path, rules_path: Path) -> list[str]:
    with open_workspace(ws_dir).connect() as con:
        return [a.dedup_key for a in check_rules(con, load_rules(rules_path), ("terminal",))]


def test_series_rules_alert_once_on_new_signals(tmp_path: Path) -> None:
    rules = tmp_path / "rules.yaml"
    rules.write_text(RULES)
    ws = tmp_path / "ws"
    # eight months of warm US-Cambodia relations, Cambodia's cooperation all with the US
    warm = [_event(m * 10 + k, "USA", f"2025-{m:02d}-1{k}", 6.0, 2)
            for m in range(1, 9) for k in range(2)]
    _add(ws, warm)
    assert _check(ws, rules) == []  # first check: history, not news
    # then five cold months with the US and warm ones with China
    cold = [_event(m * 10 + k, "USA", f"2025-{m:02d}-1{k}", -8.0, 4)
            for m in range(9, 14) if m <= 12 for k in range(2)]
    cold += [_event(100 + k, "USA", f"2026-01-1{k}", -8.0, 4) for k in range(2)]
    china = [_event(m * 10 + k, "CHN", f"2025-{m:02d}-2{k}", 7.0, 2)
             for m in range(9, 13) for k in range(2)]
    _add(ws, cold + china)
    keys = _check(ws, rules)
    assert any(k.startswith("change_point:khm-usa-shift:2025-09") for k in keys), keys
    assert "hedging:khm-leans-to-china:2025-09:down" in keys
    assert _check(ws, rules) == []  # the same signals: no second alert


def test_a_series_rule_does_not_alert_on_signals_already_there(tmp_path: Path) -> None:
    from dyadwatch.watch.check import hedging_signals
    from dyadwatch.watch.rules import HedgingRule

    rules = tmp_path / "rules.yaml"
    rules.write_text(RULES)
    ws = tmp_path / "ws"
    _add(ws, [_event(1, "USA", "2025-01-10", 6.0, 2), _event(2, "CHN", "2025-02-10", 6.0, 2)])
    with open_workspace(ws).connect(read_only=True) as con:
        rule = next(r for r in load_rules(rules).rules if isinstance(r, HedgingRule))
        signals = hedging_signals(con, rule)
    assert [s.key for s in signals] == ["hedging:khm-leans-to-china:2025-02:down"]
    assert [e.event_id for e in signals[0].events] == ["eCHN2"]
    assert _check(ws, rules) == []
    _add(ws, [_event(3, "USA", "2025-03-10", 6.0, 2), _event(4, "CHN", "2025-04-10", 6.0, 2)])
    assert _check(ws, rules) == ["hedging:khm-leans-to-china:2025-04:down"]
