"""Public statements: the fallback of a sentence with no other event (CAMEO 010, low confidence).

An actor says something about another actor ("Ecuador's president remarked that Peru remained a
reliable neighbour"). What the statement is about decides its target and its code:
- a reported clause of action whose subject is an actor ("Russia rejected five names, the UN
  said") tells of that actor's event, of which the speaker is not one: it gives no target; a
  clause that describes or characterises (engine.yaml `stative_verbs`: "Y is a terrorist
  group", "Y remained a reliable neighbour") does;
- "X said Y had made a serious mistake": a reported clause about another actor holding one of
  engine.yaml `accusation_cues` is an accusation (`statement_accusation_code`, 112);
- "X insisted that Y return the cargo": a demand or appeal verb (verbs.yaml wrappers) over a
  clause with another actor as subject is that demand or appeal;
- a reported clause whose modal makes it a demand or an appeal ("X says Y must withdraw",
  "... Y should talk") is that (engine.yaml `statement_modal_codes`: 10, 02), with Y as target;
- "X says it will not accept Y's refugees": a negated future of the speaker is a refusal
  (engine.yaml `statement_refusal_code`, 12);
- the addressee ("told Putin ...") and what the statement is about ("spoke about Y") remain
  targets of a plain 010; a country named only as a place ("troops in Syria") does not.
"""

from __future__ import annotations

from spacy.tokens import Token

from dyadwatch.coding import syntax
from dyadwatch.coding.event_parts import (
    FUTURE_AUX,
    CodedEvent,
    SentenceContext,
    actors_of,
    has_aux,
    is_negated,
    modality_of,
    pairs,
)
from dyadwatch.records import Actor

_CONTENT_DEPS = frozenset({"ccomp", "parataxis"})
_TOPIC_PREPS = frozenset({"about", "of", "on", "to", "with"})


def code_statement(token: Token, ctx: SentenceContext) -> list[CodedEvent]:
    """A statement by an actor about another actor, when nothing else in the sentence was coded."""
    if token.pos_ != "VERB" or token.lemma_.lower() not in ctx.engine.statement_verbs:
        return []
    if syntax.in_condition(token) or has_aux(token, ctx.engine.hypothetical_aux):
        return []
    sources = actors_of(syntax.subject_of(token), ctx)
    if not sources:
        return []
    label = f"statement:{token.lemma_.lower()}"
    modality, negated = modality_of(token, ctx.patterns), is_negated(token, ctx.patterns)
    for clause in (c for c in token.children if c.dep_ in _CONTENT_DEPS):
        found = _content_code(clause, token, sources[0], ctx)
        if found is not None:
            code, target = found
            return pairs(sources[:1], [target], code, modality, negated, 0.4, label, token, None)
    for word in _said(token, ctx):
        if word.pos_ not in ("PROPN", "NOUN") or word.dep_ == "compound" or _a_place(word, ctx):
            continue
        actor = ctx.resolve(syntax.noun_phrase(word))
        if actor is not None and actor.country and actor.country != sources[0].country:
            code = ctx.engine.statement_code
            return pairs(sources[:1], [actor], code, modality, negated, 0.3, label, token, None)
    return []


def _content_code(
    clause: Token, verb: Token, speaker: Actor, ctx: SentenceContext
) -> tuple[str, Actor] | None:
    """(code, target) when a reported clause is a demand, an appeal or a refusal."""
    subject = next((c for c in clause.children  # "Y is linked to the PKK": passive too
                    if c.dep_ in syntax.SUBJECT_DEPS | syntax.PASSIVE_SUBJECT_DEPS), None)
    auxes = {c.lower_ for c in clause.children if c.dep_ == "aux"}
    if subject is None:
        return None
    told = [a for a in actors_of(subject, ctx) if a.country and a.country != speaker.country]
    wrapper = ctx.patterns.wrappers_by_lemma.get(verb.lemma_.lower())
    if told and wrapper is not None and wrapper.kind in ("demand", "appeal"):
        code = ctx.patterns.wrapper_codes(wrapper.kind, None)
        if code is not None:
            return code, told[0]  # "X insisted that Y return the cargo"
    for aux, code in ctx.engine.statement_modal_codes.items():
        if aux in auxes and told:
            return code, told[0]  # "X says Y must end its attacks"
    own_words = syntax.own_clause(clause)  # not a relative clause on an object
    if told and any(w.lemma_.lower() in ctx.engine.accusation_cues for w in own_words):
        return ctx.engine.statement_accusation_code, told[0]  # "said Y had made a mistake"
    own = subject.lower_ in ctx.engine.speaker_pronouns or (
        not told and bool(actors_of(subject, ctx)))
    if own and auxes & FUTURE_AUX and is_negated(clause, ctx.patterns):
        target = _other_actor(clause, speaker, ctx)  # "X says it will not accept Y's refugees"
        if target is not None:
            return ctx.engine.statement_refusal_code, target
    return None


def _a_place(word: Token, ctx: SentenceContext) -> bool:
    """ "troops in Syria", "a camp near the Iraqi border": a country named as the place of
    something said is not what the statement is about (engine.yaml place_preps)."""
    return word.dep_ == "pobj" and word.head.lower_ in ctx.engine.place_preps


def _other_actor(clause: Token, speaker: Actor, ctx: SentenceContext) -> Actor | None:
    for word in clause.subtree:
        if word.pos_ in ("PROPN", "NOUN", "ADJ") and word.dep_ != "compound":
            actor = ctx.resolve(syntax.noun_phrase(word))
            if actor is not None and actor.country and actor.country != speaker.country:
                return actor
    return None


def _said(token: Token, ctx: SentenceContext) -> list[Token]:
    """What a speech verb says or is about: the addressee, "about/of/on" phrases, and a reported
    clause that describes rather than reports an action (not the venue or time: "during a visit
    to Jerusalem, X said ...")."""
    words: list[Token] = []
    for child in token.children:
        content = child.dep_ in ("dobj", "xcomp", "dative", "iobj", *_CONTENT_DEPS)
        topic = child.dep_ == "prep" and child.lower_ in _TOPIC_PREPS
        reported_act = child.dep_ in _CONTENT_DEPS and _reports_an_act(child, ctx)
        if (content or topic) and not reported_act:
            words.extend(child.subtree)
    return words


def _reports_an_act(clause: Token, ctx: SentenceContext) -> bool:
    """Does a reported clause tell of an act of its own actors ("Russia rejected five names,
    the UN said")? The speaker is not an actor of that event: the clause gives the statement
    no target. A clause that describes or characterises ("Y is a threat", engine.yaml
    stative_verbs) or whose subject names no actor ("relations with Y had sunk") does."""
    if clause.lemma_.lower() in ctx.engine.stative_verbs or clause.pos_ not in ("VERB", "AUX"):
        return False
    subjects = [c for c in clause.children
                if c.dep_ in syntax.SUBJECT_DEPS | syntax.PASSIVE_SUBJECT_DEPS]
    return any(actors_of(s, ctx) for s in subjects)
