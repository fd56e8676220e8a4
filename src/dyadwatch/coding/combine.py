"""How the verb patterns and the learned classifier make one sentence's events.

The cascade, for each parsed sentence:
1. **Patterns fire** (any event but the 010 statement fallback): their events stand, with their
   fine CAMEO codes and actors. The classifier may only veto one whose PentaClass it finds
   very unlikely (probability below `veto_below`); when it vetoes them all, step 2 follows.
0. **No event at all**: when the event detector (a second small model: event or none) gives the
   sentence an event probability below `rules_event_min`, nothing is coded; below `event_min`
   the classifier does not fill in (step 2), the patterns still may.
2. **Patterns silent** (or only the 010 fallback): the argument finder's main proposal gives one
   event when it has a source with a code or words: its PentaClass is the classifier's, its
   CAMEO code the predicate's own pattern code when that code's class agrees (`code_for`), else
   the class's default code; it needs a class probability of at least `fill_min` with an
   event probability of at least `event_min`, or a class probability of at least
   `sure_fill_min` with an event probability of at least `sure_event_min` (a classifier sure
   of the class speaks for an event the detector doubts; with `sure_need_target`, only when
   the proposal has a target actor), or a class probability of at least `agree_fill_min` that
   the predicate's own verb pattern of that class confirms, with an event probability of at
   least `event_min`.
   A 010 fallback stays when the classifier also reads a statement (or is unsure).
   A target of the source's own code leaves the act with the target's words and no code (no
   dyad of one actor with itself), except a material conflict, which then reports victims
   ("US Central Command confirmed two US soldiers were killed") and gives no event.

Confidence is one scale: the estimated probability that the event's PentaClass is right. A
model event's confidence is its class probability times `model_weight` (below 1: its actors
and code are less certain than a pattern's); pattern events keep their own values, whose
precision on the labelled real sentences is reported in docs/coding.md.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Protocol

from dyadwatch.coding.classifier import load_class_roots
from dyadwatch.coding.event_parts import CodedEvent
from dyadwatch.coding.labelled import penta_class
from dyadwatch.datafiles import read_data_file
from dyadwatch.errors import DictionaryError
from dyadwatch.records import Actor

NO_ACTOR = Actor(code=None, country=None, role=None, text="")


@dataclass(frozen=True, slots=True)
class CombinePolicy:
    """The thresholds of the cascade (data/coding/combine.yaml: calibrated on the train parts
    of the labelled sentences by bench/combine_policy.py) and each class's default code
    (data/models/class_roots.yaml)."""

    veto_below: float
    fill_min: float
    event_min: float
    sure_fill_min: float
    sure_event_min: float
    agree_fill_min: float
    agree_event_min: float
    rules_event_min: float
    model_weight: float
    noun_sources: bool
    noun_targets: bool
    whom_targets: bool
    no_noun_target_classes: frozenset[str]
    keep_wrapped: bool
    need_target: bool
    sure_need_target: bool
    state_tags: frozenset[str]
    class_codes: Mapping[str, str]
    version: str


def load_combine_policy(path: Path | None = None) -> CombinePolicy:
    """The packaged policy (or the file at `path`); a bad value raises DictionaryError."""
    where, data = read_data_file("coding/combine.yaml", path)
    try:
        numbers = [float(data[k]) for k in
                   ("veto_below", "fill_min", "model_weight", "event_min", "rules_event_min")]
    except (KeyError, TypeError, ValueError, AttributeError) as exc:
        raise DictionaryError(f"{where}: bad or missing value ({exc})") from exc
    try:  # the second gate: absent, it is the first one
        sure = [float(data.get(k, numbers[i])) for k, i in
                (("sure_fill_min", 1), ("sure_event_min", 3))]
    except (TypeError, ValueError) as exc:
        raise DictionaryError(f"{where}: bad sure_fill_min or sure_event_min ({exc})") from exc
    return CombinePolicy(
        veto_below=numbers[0], fill_min=numbers[1], model_weight=numbers[2],
        event_min=numbers[3], rules_event_min=numbers[4],
        sure_fill_min=sure[0], sure_event_min=sure[1],
        agree_fill_min=float(data.get("agree_fill_min", 0.0)),
        agree_event_min=float(data.get("agree_event_min", numbers[3])),
        noun_sources=bool(data.get("noun_sources", False)),
        noun_targets=bool(data.get("noun_targets", False)),
        whom_targets=bool(data.get("whom_targets", False)),
        no_noun_target_classes=frozenset(
            str(c) for c in data.get("no_noun_target_classes") or ()),
        keep_wrapped=bool(data.get("keep_wrapped", True)),
        need_target=bool(data.get("need_target", False)),
        sure_need_target=bool(data.get("sure_need_target", False)),
        state_tags=frozenset(str(t) for t in data.get("state_tags") or ()),
        class_codes=load_class_roots(), version=str(data["meta"]["version"]),
    )


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

    @property
    def how(self) -> str: ...


class Proposed(Protocol):
    """A predicate with its sides, from the argument finder."""

    @property
    def trigger(self) -> int: ...

    @property
    def source(self) -> SideSpan | None: ...

    @property
    def target(self) -> SideSpan | None: ...


def _is_fallback(event: CodedEvent) -> bool:
    """The plain 010 statement the patterns give when nothing else fired (a statement whose
    content they read as a demand, refusal or accusation is no fallback)."""
    return event.pattern.startswith("statement:") and event.code[:2] == "01"


def _vetoed(event: CodedEvent, reading: ClassReading, policy: CombinePolicy) -> bool:
    """A plain pattern event whose class the classifier finds very unlikely. An event read
    through a wrapper verb ("announced it would send", "accused X of") is never vetoed: its
    class comes from the wrapper, which a sentence classifier does not see."""
    if event.wrapper is not None and policy.keep_wrapped:
        return False
    return reading.probabilities.get(penta_class(event.code[:2]), 1.0) < policy.veto_below


def _named(side: SideSpan | None, nouns: bool, whom: bool = False) -> Actor | None:
    """The side's actor (code None when it has only words); a phrase that names no agent
    ("a car bomb") counts only with `nouns`, one that says whom an act is on ("attacks on the
    town's hospitals", an unknown proper name: how == "whom") with `whom` or `nouns`."""
    if side is None or (side.how == "noun" and not nouns):
        return None
    if side.how == "whom" and not (whom or nouns):
        return None
    if side.how == "pronoun" and not side.actor.code:
        return None  # "he" that nothing resolved
    if side.how == "place" and not side.actor.code and not nouns:
        return None  # a place that names no actor's country, where no words may stand
    actor = side.actor
    return replace(actor, code=None) if actor.code == "" else actor


def _gate(
    event_probability: float, reading: ClassReading, code: str, policy: CombinePolicy
) -> str:
    """Which gate lets the classifier fill in with `code` (`code_for` at the main predicate):
    "usual" (a likely event with a likely class), "sure" (a doubted event whose class the
    classifier is sure of), "agree" (an event at least `agree_event_min` likely whose class the
    classifier is unsure of, at least `agree_fill_min`, but which the predicate's own verb
    pattern of that class confirms: `code` is of the class and no default) or "" (none)."""
    likely = event_probability >= policy.event_min
    if likely and reading.probability >= policy.fill_min:
        return "usual"
    if event_probability >= policy.sure_event_min and reading.probability >= policy.sure_fill_min:
        return "sure"
    if (policy.agree_fill_min > 0 and event_probability >= policy.agree_event_min
            and reading.probability >= policy.agree_fill_min
            and penta_class(code[:2]) == reading.label
            and code != policy.class_codes.get(reading.label)):
        return "agree"
    return ""


@dataclass(frozen=True, slots=True)
class Evidence:
    """What the models and the argument finder say of a sentence, each asked for only when the
    cascade needs it. The coder computes the models' readings for a whole document in one batch
    (cheaper than one call per sentence that needs them) and hands them in here."""

    reading: Callable[[], ClassReading]  # the classifier's class
    event_probability: Callable[[], float]  # the detector's: does it report an event at all
    proposals: Callable[[], Sequence[Proposed]]  # the argument finder's, main one first


def combine(
    rules: Sequence[CodedEvent],
    evidence: Evidence,
    code_for: Callable[[str, int], str],
    modality_of: Callable[[str, int], tuple[str, bool]],
    policy: CombinePolicy,
) -> list[CodedEvent]:
    """The sentence's events (see the module docstring). `code_for(class, trigger)` gives the
    CAMEO code for a PentaClass at a predicate; `modality_of(class, trigger)` its (modality,
    negated).
    A threshold at 0 never asks for its evidence (no probability is below 0)."""
    if policy.rules_event_min > 0 and evidence.event_probability() < policy.rules_event_min:
        return []
    kept = [e for e in rules if not _is_fallback(e)
            and not (policy.veto_below > 0 and _vetoed(e, evidence.reading(), policy))]
    if kept:
        return kept
    fallback = [e for e in rules if _is_fallback(e)]
    reading = evidence.reading()
    if reading.label == "statement" and fallback:
        return fallback
    proposals = evidence.proposals()
    if not proposals:
        return fallback
    main = proposals[0]
    code = code_for(reading.label, main.trigger)
    gate = _gate(evidence.event_probability(), reading, code, policy)
    if not gate:
        return fallback
    source = _named(main.source, policy.noun_sources)
    if source is None or main.source is None or main.source.how == "place":
        return fallback  # "ten were killed in X": where it happened is not who did it
    nouns = policy.noun_targets and reading.label not in policy.no_noun_target_classes
    target = _named(main.target, nouns, policy.whom_targets)
    if target is None and (policy.need_target or (gate == "sure" and policy.sure_need_target)):
        return fallback
    target = target or NO_ACTOR
    if target is not NO_ACTOR and source.key == target.key:
        if source.code is None or reading.label == "material_conflict":
            return fallback  # the same words; a force "attacking" its own side reports victims
        # one code on both sides ("Israel's president" and "an ex-premier"): the act, no dyad
        target = replace(target, code=None, country=None, role=None)
    modality, negated = modality_of(reading.label, main.trigger)
    event = CodedEvent(
        source=source, target=target, code=code,
        modality=modality, negated=negated,
        confidence=round(reading.probability * policy.model_weight, 3),
        pattern=f"model:{reading.label}", trigger=main.trigger,
    )
    return [event]
