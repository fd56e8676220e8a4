"""Scoring the coder on labelled sentences: event-level (dev set) and quad-class (held-out).

Two formats, both YAML lists under `sentences:`:
- event sets: each sentence with `expect:` events (source, target, accept, modality, negated);
  scored as precision, recall and F1 over events;
- class sets: each sentence with one `label` among statement, verbal_coop, material_coop,
  verbal_conflict, material_conflict; the prediction is the class of the sentence's most
  confident non-negated event (none when it has no event); scored as macro-F1 over the five.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from dyadwatch.coding.labelled import PENTA_CLASSES, penta_class
from dyadwatch.records import Document, Event

CLASSES = PENTA_CLASSES


def class_of(root: str) -> str:
    """The Phoenix/ICEWS PentaClass of a CAMEO root (see `coding.labelled.penta_class`)."""
    return penta_class(root)


@dataclass(frozen=True, slots=True)
class LabelledSentence:
    sid: str
    text: str
    date: str | None
    expect: tuple[dict[str, Any], ...] = ()
    label: str | None = None

    def document(self) -> Document:
        return Document(
            doc_id=Document.id_for(self.sid + "\n" + self.text), doc_source=f"set#{self.sid}",
            text=self.text, title=None, published=self.date,
            published_precision="day" if self.date else "unknown", language="en",
        )


def load_sentences(path: Path) -> list[LabelledSentence]:
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    return [
        LabelledSentence(
            sid=str(row["id"]), text=str(row["text"]), date=row.get("date"),
            expect=tuple(row.get("expect") or ()), label=row.get("label"),
        )
        for row in data["sentences"]
    ]


def _prefixes(value: Any) -> set[str]:
    values = value if isinstance(value, list) else [value]
    return {str(v)[:3].upper() for v in values}


def event_matches(expected: dict[str, Any], event: Event) -> bool:
    if event.source.country_key not in _prefixes(expected["source"]):
        return False
    if event.target.country_key not in _prefixes(expected["target"]):
        return False
    if not any(event.cameo.startswith(str(a)) for a in expected["accept"]):
        return False
    modality = expected.get("modality", "occurred")
    return event.modality == modality and event.negated == bool(expected.get("negated", False))


@dataclass(frozen=True, slots=True)
class EventScore:
    true_pos: int
    false_pos: int
    false_neg: int
    misses: tuple[str, ...]
    extras: tuple[str, ...]

    @property
    def precision(self) -> float:
        return self.true_pos / max(self.true_pos + self.false_pos, 1)

    @property
    def recall(self) -> float:
        return self.true_pos / max(self.true_pos + self.false_neg, 1)

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0


def score_events(items: Sequence[LabelledSentence], found: Sequence[Sequence[Event]]) -> EventScore:
    tp = fp = fn = 0
    misses, extras = [], []
    for item, events in zip(items, found, strict=True):
        used: set[int] = set()
        for exp in item.expect:
            hit = next((i for i, e in enumerate(events) if i not in used
                        and event_matches(exp, e)), None)
            if hit is None:
                fn += 1
                misses.append(item.sid)
            else:
                tp += 1
                used.add(hit)
        for i, e in enumerate(events):
            if i not in used:
                fp += 1
                extras.append(f"{item.sid}: {e.source.code} {e.cameo} {e.target.code}")
    return EventScore(tp, fp, fn, tuple(misses), tuple(extras))


def predict_class(events: Sequence[Event]) -> str:
    kept = [e for e in events if not e.negated]
    if not kept:
        return "none"
    return class_of(max(kept, key=lambda e: e.confidence).root)


def macro_f1(
    gold: Sequence[str], predicted: Sequence[str], classes: Sequence[str] = CLASSES
) -> tuple[float, dict[str, float]]:
    """Macro-F1 over the classes (a 'none' prediction is wrong for every class)."""
    per_class = {}
    pairs = Counter(zip(gold, predicted, strict=True))
    for cls in classes:
        tp = pairs[(cls, cls)]
        fp = sum(n for (g, p), n in pairs.items() if p == cls and g != cls)
        fn = sum(n for (g, p), n in pairs.items() if g == cls and p != cls)
        p = tp / (tp + fp) if tp + fp else 0.0
        r = tp / (tp + fn) if tp + fn else 0.0
        per_class[cls] = 2 * p * r / (p + r) if p + r else 0.0
    return sum(per_class.values()) / len(classes), per_class
