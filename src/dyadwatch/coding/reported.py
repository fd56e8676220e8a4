"""Reported speech: who speaks in a reported clause, and what a reported refusal is.

- "The EU said it will not provide aid": a pronoun subject of a clause under a speech verb
  (engine.yaml `speaker_pronouns`, `speech_verbs`) that names no actor is the speaker; not
  under an imperative ("but note they have ..."), which has no speaker in the text;
- "X will not provide aid to Y", "X said it would not send troops": a negated future of a
  cooperative act (engine.yaml `refusal_roots`) is a refusal (CAMEO 12x, verbs.yaml
  `wrapper_codes.reject`) that occurred, not a negated plan; so is a model event's negated
  future that the classifier reads as cooperation or as conflict in words ("X will not end
  the strike": `refusal_code`).
"""

from __future__ import annotations

from spacy.tokens import Token

from dyadwatch.coding import syntax
from dyadwatch.coding.event_parts import FUTURE_AUX, SentenceContext, actors_of, has_aux, is_negated
from dyadwatch.coding.patterns import PatternSet
from dyadwatch.records import Actor

REFUSING_CLASSES = frozenset({"verbal_coop", "material_coop", "verbal_conflict"})


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
    return code[:2] in ctx.engine.refusal_roots and _negated_future(verb, ctx.patterns)


def _negated_future(verb: Token, patterns: PatternSet) -> bool:
    """ "will not send", "would not lift": a negated verb under a future auxiliary."""
    return is_negated(verb, patterns) and has_aux(verb, FUTURE_AUX)


def refusal_code(
    verb: Token, label: str, code: str, patterns: PatternSet, refusal_roots: frozenset[str]
) -> str | None:
    """The rejection (12x) a model event of class `label` and `code` at `verb` is, when the verb
    is a negated future ("will not lift the ban", "will not release the hostages", "will not
    end the strike"): its cooperative code, else the verb's own cooperative pattern, mapped by
    verbs.yaml `wrapper_codes.reject` (120 unless that gives a 12x code). None when it is no
    refusal: no negated future, a statement or a material conflict, or no cooperation refused
    ("will not attack")."""
    if label not in REFUSING_CLASSES or not _negated_future(verb, patterns):
        return None
    cooperative = code if code[:2] in refusal_roots else next(
        (p.code for p in patterns.verbs_by_lemma.get(verb.lemma_.lower(), ())
         if p.code[:2] in refusal_roots), None)  # the verb's own cooperative pattern
    if cooperative is None:
        return None  # "will not attack": no cooperation refused
    rejection = patterns.wrapper_codes("reject", cooperative)
    return rejection if rejection is not None and rejection[:2] == "12" else "120"
