"""How the verb patterns and the learned classifier make one sentence's events.

The cascade, for each parsed sentence:
1. **Patterns fire** (any event but the 010 statement fallback): their events stand, with their
   fine CAMEO codes and actors. The classifier may only veto one whose PentaClass it finds
   very unlikely (probability below `veto_below`).
2. **Patterns silent** (or only the 010 fallback): the argument finder's main proposal gives one
   event when it has a source with a code or words: its PentaClass is the classifier's, its
   CAMEO code the predicate's own pattern code when that code's class agrees (`code_for`), else
   the class's default code; it needs a class probability of at least `fill_min`.
   A 010 fallback stays when the classifier also reads a statement (or is unsure).

Confidence is one scale: the estimated probability that the event's PentaClass is right. A
model event's confidence is its class probability times `model_weight` (below 1: its actors
and code are less certain than a pattern's); pattern events keep their own values, whose
precision on the labelled real sentences is reported in docs/coding.md.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, replace
from typing import Protocol

from dyadwatch.coding.event_parts import CodedEvent
from dyadwatch.coding.labelled import penta_class
from dyadwatch.records import Actor

NO_ACTOR = Actor(code=None, country=None, role=None, text="")


@dataclass(frozen=True, slots=True)
class CombinePolicy:
    """The thresholds of the cascade (calibrated on the train part of the labelled sentences;
    see docs/coding.md for the figures behind each)."""

    veto_below: float = 0.0
    fill_min: float = 0.0
    model_weight: float = 0.8


class ClassReading(Protocol):
    """The classifier's reading of one sentence."""

    @property
    def label(self) -> str: ...

    @property
    def probability(self) -> float: ...

    @property
    def probabilities(self) -> Mapping[str, float]: ...


class SideSpan(Protocol):
    @property
    def actor(self) -> Actor: ...


class Proposed(Protocol):
    """A predicate with its sides, from the argument finder."""

    @property
    def trigger(self) -> int: ...

    @property
    def source(self) -> SideSpan | None: ...

    @property
    def target(self) -> SideSpan | None: ...


def _is_fallback(event: CodedEvent) -> bool:
    return event.pattern.startswith("statement:")


def _named(side: SideSpan | None) -> Actor | None:
    """The side's actor when it has a code or words that name an agent."""
    if side is None:
        return None
    actor = side.actor
    if actor.code == "":
        return None  # a phrase in an argument slot that names no actor
    return actor


def combine(
    rules: Sequence[CodedEvent],
    proposals: Sequence[Proposed],
    reading: ClassReading,
    code_for: Callable[[str, int], str],
    modality_of: Callable[[int], tuple[str, bool]],
    policy: CombinePolicy,
) -> list[CodedEvent]:
    """The sentence's events (see the module docstring). `code_for(class, trigger)` gives the
    CAMEO code for a PentaClass at a predicate; `modality_of(trigger)` its (modality, negated)."""
    fired = [e for e in rules if not _is_fallback(e)]
    if fired:
        return [e for e in fired
                if reading.probabilities.get(penta_class(e.code[:2]), 1.0) >= policy.veto_below]
    fallback = list(rules)
    if reading.label == "statement" and fallback:
        return fallback
    if reading.probability < policy.fill_min or not proposals:
        return fallback
    main = proposals[0]
    source = _named(main.source)
    if source is None:
        return fallback
    target = _named(main.target) or NO_ACTOR
    modality, negated = modality_of(main.trigger)
    event = CodedEvent(
        source=source, target=target, code=code_for(reading.label, main.trigger),
        modality=modality, negated=negated,
        confidence=round(reading.probability * policy.model_weight, 3),
        pattern=f"model:{reading.label}", trigger=main.trigger,
    )
    return [event]


def shifted(proposal_trigger: int, offset: int) -> int:
    """A sentence-relative token offset as an index into the sentence's Doc."""
    return proposal_trigger + offset


def with_trigger(event: CodedEvent, trigger: int) -> CodedEvent:
    return replace(event, trigger=trigger)
