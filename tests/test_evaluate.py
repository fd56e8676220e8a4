"""Gold scoring rules (the same as shared/bin/score-gold), on hand-built events."""

from __future__ import annotations

from pathlib import Path

import pytest

from dyadwatch.coding.evaluate import evaluate, load_gold, matches
from dyadwatch.errors import GoldFileError
from dyadwatch.records import Actor, Event

GOLD = """
events:
  - {id: a, doc: one.txt, tier: core, date: "2025-10", source: USAGOV, target: KHM,
     symmetric: true, accept: ["05", "06"], modality: occurred}
  - {id: b, doc: one.txt, tier: extended, date: null, source: USAMIL, target: KHM,
     accept: ["04"], modality: expected}
  - {id: c, doc: two.txt, tier: core, date: "2026-01-24", date_end: "2026-01-28",
     source: USAMIL, target: KHM, accept: ["042"], modality: occurred}
"""


def _event(doc: str, src: str, tgt: str, cameo: str, date: str | None,
           modality: str = "occurred", negated: bool = False) -> Event:
    return Event(
        event_id=f"{doc}{src}{tgt}{cameo}{date}", doc_id="d", doc_source=f"/x/{doc}",
        sentence_index=0, sentence="s", date=date, date_end=None, date_precision="day",
        source=Actor(src, src[:3], src[3:] or None, src), target=Actor(tgt, tgt[:3], None, tgt),
        cameo=cameo, root=cameo[:2], quad_class=1, goldstein=1.0, plover="AGREE",
        modality=modality, negated=negated, confidence=0.8, coder_version="t",
        dictionary_version="t",
    )


@pytest.fixture()
def gold(tmp_path: Path):
    path = tmp_path / "gold.yaml"
    path.write_text(GOLD, encoding="utf-8")
    return load_gold(path)


def test_symmetric_gold_matches_either_direction(gold) -> None:
    assert matches(gold[0], _event("one.txt", "KHMGOV", "USA", "057", "2025-10-14"))
    assert not matches(gold[0], _event("one.txt", "KHMGOV", "USA", "057", "2025-11-01"))


def test_code_prefix_date_precision_and_negation(gold) -> None:
    assert not matches(gold[0], _event("one.txt", "USA", "KHM", "042", "2025-10"))
    assert not matches(gold[0], _event("one.txt", "USA", "KHM", "057", "2025-10", negated=True))
    assert matches(gold[2], _event("two.txt", "USAMIL", "KHM", "042", "2026-01-26"))
    assert not matches(gold[2], _event("two.txt", "USAMIL", "KHM", "042", "2026-02-02"))


def test_non_occurred_gold_needs_non_occurred_modality(gold) -> None:
    assert not matches(gold[1], _event("one.txt", "USAMIL", "KHM", "042", None))
    assert matches(gold[1], _event("one.txt", "USAMIL", "KHM", "042", None, "expected"))


def test_evaluate_counts_recall_and_support(gold) -> None:
    events = [
        _event("one.txt", "USA", "KHM", "057", "2025-10-02"),
        _event("one.txt", "CHN", "KHM", "070", "2025-10-02"),
        _event("three.txt", "CHN", "KHM", "070", "2025-10-02"),
    ]
    result = evaluate(gold, events)
    assert result.core == (1, 2) and result.extended == (0, 1)
    assert (result.supported, result.in_gold_docs) == (1, 2)
    assert [g.gold_id for g in result.missed] == ["b", "c"]


def test_malformed_gold_names_the_file_and_event(tmp_path: Path) -> None:
    path = tmp_path / "bad.yaml"
    path.write_text("events:\n  - {id: x, doc: a.txt}\n", encoding="utf-8")
    with pytest.raises(GoldFileError, match=r"bad\.yaml.*#1.*tier"):
        load_gold(path)
