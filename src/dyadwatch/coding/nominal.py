"""Nominal events ("the visit of X to Y", "X's donation to Y"); statements are in
`statements.py`."""

from __future__ import annotations

from collections.abc import Sequence

from spacy.tokens import Token

from dyadwatch.coding import syntax
from dyadwatch.coding.engine_data import EngineSettings
from dyadwatch.coding.event_parts import (
    CodedEvent,
    SentenceContext,
    actors_of,
    has_aux,
    is_negated,
    modality_of,
    noun_modality,
    pairs,
    site_countries,
    term_matches,
)
from dyadwatch.coding.guards import is_unreal
from dyadwatch.coding.patterns import NounPattern, Slot
from dyadwatch.records import Actor


def _noun_pattern(token: Token, ctx: SentenceContext) -> NounPattern | None:
    best: tuple[int, NounPattern] | None = None
    for pattern in ctx.patterns.nouns_by_lemma.get(token.lemma_.lower(), ()):
        score = max((t.specificity for t in pattern.terms if term_matches(t, token)), default=0)
        if score and (best is None or score > best[0]):
            best = (score, pattern)
    return best[1] if best else None


def governor_of(token: Token) -> Token:
    """The verb a nominal trigger depends on ("join a visit", "in the meeting with"), else
    the noun itself. (Tokens are compared by index: spaCy makes a new Token on each access.)"""
    object_like = token.dep_ in ("dobj", "pobj", "nsubj", "nsubjpass", "attr")
    governor = token.head if object_like else token
    for _ in range(4):
        if governor.pos_ != "ADP" or governor.head.i == governor.i:
            break
        governor = governor.head
    return governor


def takes_part(noun: Token, verb: Token, engine: EngineSettings) -> bool:
    """Does the verb's subject take part in the noun's event ("held talks with X", "flew to
    Y for a summit with Z")? engine.yaml participation_verbs and participation_preps."""
    if verb.i == noun.i or verb.lemma_.lower() not in engine.participation_verbs:
        return False
    if syntax.is_passive(verb):
        return False
    if noun.dep_ == "dobj":
        return noun.head.i == verb.i
    prep = noun.head
    return (noun.dep_ == "pobj" and prep.lower_ in engine.participation_preps
            and prep.head.i == verb.i)


def code_noun(token: Token, ctx: SentenceContext) -> list[CodedEvent]:
    if token.dep_ in ("compound", "amod"):
        return []
    pattern = _noun_pattern(token, ctx)
    if pattern is None or is_unreal(token, ctx.engine):
        return []
    sources, targets = _noun_roles(token, pattern, ctx)
    governor = governor_of(token)
    if not sources and targets and takes_part(token, governor, ctx.engine):
        sources = [a for a in actors_of(syntax.subject_of(governor), ctx) if a not in targets]
    if governor.i != token.i and governor.pos_ in ("VERB", "AUX") and _unreal_clause(
            governor, ctx):
        return []
    modality = modality_of(governor, ctx.patterns) if governor.i != token.i else "occurred"
    if modality == "occurred":
        modality = noun_modality(token, ctx.patterns)
    if modality == "occurred" and _announced(token, pattern.code, ctx.engine):
        modality = "planned"  # "the withdrawal, announced by X": still to come
    negated = governor.i != token.i and is_negated(governor, ctx.patterns)
    label = f"noun:{token.lemma_.lower()}:{pattern.code}"
    return pairs(sources, targets, pattern.code, modality, negated, 0.6, label, token, None)


def _announced(noun: Token, code: str, engine: EngineSettings) -> bool:
    """ "the withdrawal from Syria, announced by the president": an act of one of
    engine.yaml `announced_future_roots` named with a participle of `announcing_verbs`."""
    return code[:2] in engine.announced_future_roots and any(
        c.dep_ == "acl" and c.tag_ == "VBN" and c.lemma_.lower() in engine.announcing_verbs
        for c in noun.children)


def _unreal_clause(governor: Token, ctx: SentenceContext) -> bool:
    """The noun's verb is hypothetical ("would/could …", "if …"); a clause that is the subject
    of another verb ("implementing the withdrawal should be discussed") is read with that
    verb too, which may also make it the topic of talks."""
    holders = [governor]
    if governor.dep_ in ("csubj", "csubjpass") and governor.head.i != governor.i:
        holders.append(governor.head)
        if governor.head.lemma_.lower() in ctx.engine.topic_verbs:
            return True
    return any(syntax.in_condition(h) or has_aux(h, ctx.engine.hypothetical_aux)
               for h in holders)


def _noun_roles(
    token: Token, pattern: NounPattern, ctx: SentenceContext
) -> tuple[list[Actor], list[Actor]]:
    """Source and target of a nominal event; "talks between X and Y" gives both at once."""
    sources = _noun_slots(token, pattern.source, ctx)
    targets = [t for t in _noun_slots(token, pattern.target, ctx) if t not in sources]
    between = any(slot.prep == "between" for slot in pattern.source)
    if len(sources) >= 2 and not targets and (
        between or pattern.code[:2] in ctx.engine.reciprocal_roots
    ):
        return sources[:1], sources[1:2]  # "talks between X and Y", "Russian-Turkish talks"
    return sources, targets


def _noun_slots(token: Token, slots: Sequence[Slot], ctx: SentenceContext) -> list[Actor]:
    for slot in slots:
        heads: list[Token] = []
        for child in token.children:
            dep = "compound" if child.dep_ == "nmod" else child.dep_  # "US naval ship visit"
            if slot.kind == dep and slot.kind in ("poss", "compound", "amod"):
                heads.append(child)
            elif slot.kind == "prep" and child.dep_ in ("prep", "agent") \
                    and child.lower_ == slot.prep:
                heads.extend(g for g in child.children if g.dep_ == "pobj")
        actors = [a for h in heads for a in actors_of(h, ctx)]
        if actors:
            return actors
        if slot.kind == "prep" and (found := site_countries(heads, ctx.locator)):
            return found  # "a ship visit to Ream Naval Base": the site's country
    return []


