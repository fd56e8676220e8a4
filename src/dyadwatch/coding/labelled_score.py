"""The coder scored on real labelled sentences (see `coding.labelled`): PentaClass and actor spans.

Each sentence is coded as a document of its own. Its *main event* is its most confident
non-negated event (as in `sentence_sets.predict_class`); a sentence without one predicts "none",
which is wrong for every class.
- PentaClass: macro-F1 over the five classes of the main event's root against the label.
- Span hits: the main event's source (target) is a hit when its words, found in the sentence,
  overlap the gold source (target) span; gold R spans (both sides of a joint act) count for either
  side, and for a joint event (source and target from one R span) either side may match. A
  sentence whose gold has no span of a side is not counted for that side; no event is a miss.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from dyadwatch.coding.api import DocumentCoder, reset_coder
from dyadwatch.coding.labelled import PENTA_CLASSES, ClassSentence, SpanSentence, penta_class
from dyadwatch.coding.sentence_sets import macro_f1
from dyadwatch.records import Actor, Document, Event


@dataclass(frozen=True, slots=True)
class ClassScore:
    macro_f1: float
    per_class: dict[str, float]
    with_event: int
    sentences: int


@dataclass(frozen=True, slots=True)
class SpanScore:
    source_hit: float
    target_hit: float
    sources: int
    targets: int


def _document(n: int, text: str) -> Document:
    return Document(
        doc_id=Document.id_for(f"labelled#{n}\n{text}"), doc_source=f"labelled#{n}", text=text,
        title=None, published=None, published_precision="unknown", language="en",
    )


def code_texts(coder: DocumentCoder, texts: Sequence[str]) -> list[list[Event]]:
    """The events of each text, each coded as its own document (nothing learned carries over)."""
    found = []
    for n, text in enumerate(texts):
        reset_coder(coder)
        [(_, extraction)] = coder.code([_document(n, text)])
        found.append(list(extraction.events))
    reset_coder(coder)
    return found


def main_event(events: Sequence[Event]) -> Event | None:
    kept = [e for e in events if not e.negated]
    return max(kept, key=lambda e: e.confidence) if kept else None


def score_classes(sentences: Sequence[ClassSentence], found: Sequence[list[Event]]) -> ClassScore:
    predicted = []
    for events in found:
        event = main_event(events)
        predicted.append(penta_class(event.root) if event else "none")
    f1, per_class = macro_f1([s.label for s in sentences], predicted, PENTA_CLASSES)
    with_event = sum(p != "none" for p in predicted)
    return ClassScore(f1, per_class, with_event, len(sentences))


def _token_chars(tokens: Sequence[str]) -> list[tuple[int, int]]:
    spans, at = [], 0
    for token in tokens:
        spans.append((at, at + len(token)))
        at += len(token) + 1
    return spans


def _actor_hits(
    actor: Actor, text: str, chars: list[tuple[int, int]], gold: frozenset[int]
) -> bool:
    words = actor.text.strip()
    start = text.find(words) if words else -1
    if start < 0:
        start = text.lower().find(words.lower()) if words else -1
    if start < 0:
        return False
    end = start + len(words)
    return any(chars[i][0] < end and start < chars[i][1] for i in gold)


def score_spans(sentences: Sequence[SpanSentence], found: Sequence[list[Event]]) -> SpanScore:
    hits = {"S": 0, "T": 0}
    counted = {"S": 0, "T": 0}
    for sentence, events in zip(sentences, found, strict=True):
        event = main_event(events)
        text, chars = sentence.text, _token_chars(sentence.tokens)
        for side in ("S", "T"):
            gold = sentence.indices(side)
            if not gold:
                continue
            counted[side] += 1
            if event is None:
                continue
            actors = [event.source if side == "S" else event.target]
            if all(sentence.tags[i][2:] == "R" for i in gold):
                actors = [event.source, event.target]
            hits[side] += any(_actor_hits(a, text, chars, gold) for a in actors)
    return SpanScore(
        hits["S"] / max(counted["S"], 1), hits["T"] / max(counted["T"], 1),
        counted["S"], counted["T"],
    )


@dataclass(frozen=True, slots=True)
class DetectionScore:
    """Sentence-level event detection on hand-labelled article sentences (gold `none` or a
    class): precision/recall of "has an event", and the class agreement where both have one."""

    precision: float
    recall: float
    f1: float
    class_agreement: float
    sentences: int


def score_detection(labels: Sequence[str], found: Sequence[list[Event]]) -> DetectionScore:
    tp = fp = fn = agree = 0
    for label, events in zip(labels, found, strict=True):
        event = main_event(events)
        if event is not None and label != "none":
            tp += 1
            agree += penta_class(event.root) == label
        elif event is not None:
            fp += 1
        elif label != "none":
            fn += 1
    p, r = tp / max(tp + fp, 1), tp / max(tp + fn, 1)
    f1 = 2 * p * r / (p + r) if p + r else 0.0
    return DetectionScore(p, r, f1, agree / max(tp, 1), len(labels))
