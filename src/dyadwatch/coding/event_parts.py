"""Shared parts of the event engine: records, context, actor slots, modality, negation.

`events.py` runs the cascade and codes verbs; `nominal.py` codes nouns and statements; both
build on these.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from itertools import pairwise

from spacy.tokens import Span, Token

from dyadwatch.coding import syntax
from dyadwatch.coding.engine_data import EngineSettings
from dyadwatch.coding.gazetteer import country_name
from dyadwatch.coding.locations import Locator
from dyadwatch.coding.patterns import PatternSet, Slot, Term
from dyadwatch.records import Actor

FUTURE_AUX = frozenset({"will", "'ll", "shall", "would"})
# Wrapper kinds whose own object is the target ("urged X to ...", "accused X of ...").
DIRECTED_WRAPPERS = frozenset({"appeal", "demand", "accuse"})

Resolve = Callable[[Span], Actor | None]


@dataclass(frozen=True, slots=True)
class CodedEvent:
    """An event read from one sentence, before dating and storing."""

    source: Actor
    target: Actor
    code: str
    modality: str
    negated: bool
    confidence: float
    pattern: str
    trigger: int
    wrapper: int | None = None


@dataclass(frozen=True, slots=True)
class SentenceContext:
    """What the engine needs besides the parse: patterns, settings, actor resolution, the
    coder's Locator (whose gazetteer tells a site's country), and the nearest dyad (the last
    two countries named together, else the document's main pair)."""

    patterns: PatternSet
    engine: EngineSettings
    resolve: Resolve
    locator: Locator
    dyad: tuple[str, str] | None = None


@dataclass(frozen=True, slots=True)
class Wrap:
    token: Token
    kind: str


def term_matches(term: Term, token: Token) -> bool:
    """Does a noun token realise the term ("arm embargo": embargo with an "arms" modifier)?"""
    if token.lemma_.lower() != term.head and token.lower_ != term.head:
        return False
    modifiers = {
        c.lemma_.lower() for c in token.children if c.dep_ in ("compound", "amod", "nmod")
    }
    if not set(term.modifiers) <= modifiers:
        return False
    if term.prep is None:
        return True
    return any(
        c.dep_ == "prep" and c.lower_ == term.prep
        and any(g.lemma_.lower() == term.pobj for g in c.children)
        for c in token.children
    )


def has_aux(token: Token, words: frozenset[str]) -> bool:
    return any(c.dep_ in ("aux", "auxpass") and c.lower_ in words for c in token.children)


def actors_of(head: Token | None, ctx: SentenceContext) -> list[Actor]:
    """The actors a noun-phrase head denotes, one per conjunct; joined country modifiers
    ("US and Cambodian forces") give one actor each, with the head's role."""
    if head is None:
        return []
    actors = []
    for conjunct in syntax.conjuncts(head):
        actor = ctx.resolve(syntax.noun_phrase(conjunct))
        if actor is not None:
            actors.extend(_split_modifiers(conjunct, actor, ctx))
    return actors


def _split_modifiers(head: Token, actor: Actor, ctx: SentenceContext) -> list[Actor]:
    for child in head.lefts:
        if child.dep_ not in ("nmod", "amod", "compound") or not child.conjuncts:
            continue
        owners = [ctx.resolve(head.doc[m.i : m.i + 1]) for m in (child, *child.conjuncts)]
        countries = [o.country for o in owners if o is not None and o.country]
        if len(countries) >= 2:
            role = actor.role or ""
            return [Actor(code=c + role, country=c, role=actor.role, text=actor.text,
                          name=None) for c in dict.fromkeys(countries)]
    return [actor]


def targets_in(token: Token, slots: Sequence[Slot], ctx: SentenceContext) -> list[Actor]:
    """Actors in the first of the pattern's slots that holds any."""
    by_slot: dict[str, list[Token]] = {}
    for name, node in syntax.target_side(token, ctx.engine):
        by_slot.setdefault(name, []).append(node)
    for slot in slots:
        actors = [a for node in by_slot.get(str(slot), ()) for a in actors_of(node, ctx)]
        if actors:
            return actors
    return next((found for slot in slots if slot.kind == "prep"
                 if (found := site_countries(by_slot.get(str(slot), ()), ctx.locator))), [])


def site_countries(heads: Sequence[Token], locator: Locator) -> list[Actor]:
    """ "docked at Ream Naval Base": a base, port or camp (a site of the locator's gazetteer,
    by default data/locations/places.yaml) is a place, never an actor; in a pattern's place
    slot it stands for the country it lies in (code = the country, no role), as a capital
    stands for its state. For slots that named no actor; the event's location stays the
    site. `locator` is the coder's, so that a site's country and the event's place agree."""
    actors = []
    for head in heads:
        phrase = syntax.noun_phrase(head)
        country = locator.site_country(phrase)
        if country is not None:
            actors.append(Actor(code=country, country=country, role=None, text=phrase.text,
                                name=country_name(country) or None))
    return actors


def modality_of(token: Token, patterns: PatternSet) -> str:
    """occurred / planned / expected / intended / reported, from the verb and those above it."""
    for node in syntax.governing_chain(token):
        aux = {c.lower_ for c in node.children if c.dep_ in ("aux", "auxpass")}
        if aux & {"will", "'ll", "shall"}:
            return "planned"
        for modality, cues in patterns.modality_cues.items():
            if node.i != token.i and node.lemma_.lower() in cues:
                return modality
            if any(c.lower_ in cues for c in node.children if c.dep_ == "advmod"):
                return modality
            if modality == "expected" and aux & set(cues):
                return modality  # "may resume patrols", "could lead to a deal"
    if token.dep_ == "advcl" and any(c.dep_ == "aux" and c.lower_ == "to" for c in token.children):
        return "intended"
    if "according to" in token.sent.text.lower():
        return "reported"
    return "occurred"


def act_modality(token: Token, patterns: PatternSet, engine: EngineSettings) -> str:
    """The modality of the act a verb names, for a pattern's event and a model's alike:
    `modality_of`, except that the purpose of a sending of forces that took place occurred
    ("sent troops to fight X": the fight took place; `dispatched_purpose`)."""
    modality = modality_of(token, patterns)
    if modality == "intended" and dispatched_purpose(token, engine):
        return "occurred"
    return modality


def dispatched_purpose(token: Token, engine: EngineSettings) -> bool:
    """ "sent troops into Afrin to fight the militias": a purpose clause of a sending of forces
    that took place (engine.yaml `dispatch_verbs`, in the past: "sent", "has deployed") tells
    what the forces did. For a trigger `modality_of` read as intended (`act_modality`)."""
    head = token.head
    return (
        token.dep_ == "advcl" and head.lemma_.lower() in engine.dispatch_verbs
        and head.tag_ in ("VBD", "VBN") and not any(c.dep_ == "neg" for c in head.children)
    )


def noun_modality(noun: Token, patterns: PatternSet) -> str:
    """The modality a nominal trigger's own modifier gives ("the planned visit", "a possible
    withdrawal", "the proposed sanctions"), else occurred."""
    words = {c.lemma_.lower() for c in noun.children if c.dep_ in ("amod", "compound", "advmod")}
    words |= {c.lower_ for c in noun.children if c.dep_ in ("amod", "compound", "advmod")}
    for modality, cues in patterns.modality_cues.items():
        if modality != "reported" and words & set(cues):
            return modality
    return "occurred"


def is_negated(token: Token, patterns: PatternSet) -> bool:
    return any(
        c.dep_ == "neg" or (c.dep_ == "advmod" and c.lower_ in patterns.negation_cues)
        for c in token.children
    )


def negated_above(token: Token, patterns: PatternSet) -> bool:
    """A negated verb or adjective of modality above the trigger negates it: "X is not likely
    to attack", "X is hardly expected to sign", "X does not plan to send troops"."""
    cues = {cue for words in patterns.modality_cues.values() for cue in words}
    chain = syntax.governing_chain(token)
    for below, node in pairwise(chain):
        if below.dep_ not in ("xcomp", "ccomp", "acomp"):
            break  # "do not consider X a threat, and have supported X": a conjunct stands alone
        if node.lemma_.lower() not in cues:
            continue
        if is_negated(node, patterns) or (node.dep_ == "acomp" and is_negated(node.head, patterns)):
            return True  # "is not likely to": the negation hangs on the copula
    return False


def same_side(source: Actor, target: Actor) -> bool:
    """One actor on both sides, or a country acting on itself with no role to tell them apart
    (a court and a head of state of one country are two sides; "Egypt" and "Egypt" are not)."""
    return source.key == target.key or (
        source.country is not None and source.country == target.country and not target.role
    )


def pairs(
    sources: list[Actor], targets: list[Actor], code: str, modality: str, negated: bool,
    confidence: float, label: str, trigger: Token, wrap: Wrap | None,
) -> list[CodedEvent]:
    events = []
    for source in sources:
        for target in targets:
            if same_side(source, target):
                continue
            events.append(
                CodedEvent(
                    source=source, target=target, code=code, modality=modality, negated=negated,
                    confidence=confidence, pattern=label, trigger=trigger.i,
                    wrapper=wrap.token.i if wrap is not None else None,
                )
            )
    return events
