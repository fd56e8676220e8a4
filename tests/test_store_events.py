"""Event filters over a real DuckDB workspace."""

from __future__ import annotations

from pathlib import Path

from dyadwatch.records import Actor, Event, Extraction
from dyadwatch.store import open_workspace
from dyadwatch.store.events import EventFilter, date_end_of, insert_extractions, query_events


def _event(n: int, date: str, src: str = "USA", tgt: str = "KHM", cameo: str = "057") -> Event:
    return Event(
        event_id=f"e{n}", doc_id="d1", doc_source="/x/a.txt", sentence_index=n,
        sentence=f"sentence {n}", date=date, date_end=None, date_precision="day",
        source=Actor(src, src, None, src), target=Actor(tgt, tgt, None, tgt), cameo=cameo,
        root=cameo[:2], quad_class=1, goldstein=3.5, plover="AGREE", modality="occurred",
        negated=False, confidence=0.8, coder_version="t", dictionary_version="t",
    )


def test_until_keeps_the_whole_period_and_since_starts_at_its_first_day(tmp_path: Path) -> None:
    ws = open_workspace(tmp_path / "ws")
    events = [_event(1, "2025-12-31"), _event(2, "2026-01-15"), _event(3, "2026-01"),
              _event(4, "2026-02-01"), _event(5, "2026", cameo="163")]
    with ws.connect() as con:
        insert_extractions(con, [Extraction(doc_id="d1", events=tuple(events))])
        kept = query_events(con, EventFilter(since="2026-01", until="2026-01"))
        by_root = query_events(con, EventFilter(root="16", dyad=("KHM", "USA")))
    # a year-precision date starts on 1 January, so "2026" overlaps January 2026
    assert {e.event_id for e in kept} == {"e2", "e3", "e5"}
    assert [e.event_id for e in by_root] == ["e5"]


def test_date_end_of_each_precision() -> None:
    assert date_end_of("2024") == "2024-12-31"
    assert date_end_of("2024-02") == "2024-02-29"
    assert date_end_of("2024-02-10") == "2024-02-10"
