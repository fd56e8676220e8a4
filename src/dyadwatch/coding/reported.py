"""Reported speech: who speaks in a reported clause, and what a reported refusal is.

- "The EU said it will not provide aid": a pronoun subject of a clause under a speech verb
  (engine.yaml `speaker_pronouns`, `speech_verbs`) that names no actor is the speaker; not
  under an imperative ("but note they have ..."), which has no speaker in the text;
- "X will not provide aid to Y", "X said it would not send troops": a negated future of a
  cooperative act (engine.yaml `refusal_roots`) is a refusal (CAMEO 12x, verbs.yaml
  `wrapper_codes.reject`) that occurred, not a negated plan.
"""

from __future__ import annotations

from spacy.tokens import Token

from dyadwatch.coding import syntax
from dyadwatch.coding.event_parts import FUTURE_AUX, SentenceContext, actors_of, has_aux, is_negated
from dyadwatch.records import Actor


def speech_head(verb: Token, ctx: SentenceContext) -> Token | None:
    """The speech verb whose reported clause holds `verb` ("said it would <send>"), if any."""
    for node in syntax.governing_chain(verb):
        if node.dep_ in ("ccomp", "parataxis") and node.head.i != node.i:
            head = node.head
            return head if head.lemma_.lower() in ctx.engine.speech_verbs else None
        if node.dep_ not in ("xcomp", "conj"):
            return None
    return None


def speaker_sources(verb: Token, ctx: SentenceContext) -> list[Actor]:
    """The speaker's actors when the verb's subject is a pronoun that named nobody and the verb
    is reported by a speech verb ("Turkey says it will send troops")."""
    subject = syntax.subject_of(verb)
    if subject is None or subject.lower_ not in ctx.engine.speaker_pronouns:
        return []
    speech = speech_head(verb, ctx)
    if speech is None or _imperative(speech):
        return []
    return actors_of(syntax.subject_of(speech), ctx)


def _imperative(verb: Token) -> bool:
    """ "..., but note they have targeted X": a bare verb with no subject and no auxiliary
    bids the reader; its "they" are not the actor of the clause before."""
    return verb.tag_ == "VB" and syntax.own_subject(verb) is None and not any(
        c.dep_ in ("aux", "auxpass") for c in verb.children) and verb.dep_ != "xcomp"


def is_refusal(verb: Token, code: str, ctx: SentenceContext) -> bool:
    """ "X will not send aid", "X said it would not lift the ban": a negated future of a
    cooperative act."""
    return (code[:2] in ctx.engine.refusal_roots and is_negated(verb, ctx.patterns)
            and has_aux(verb, FUTURE_AUX))
