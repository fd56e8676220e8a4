"""Precision guards: clauses that name an act nobody performed.

A trigger is no event when a word above it in the parse makes its clause unreal (engine.yaml):
- `irrealis_heads`: imagined, feared or doubted acts ("impossible to imagine a scenario where X
  hits Y", "the prospect of a strike", "sceptical that X will attack");
- `wish_verbs`: a finite clause with its own subject under a wish ("I hope X attacks Y");
- `belief_verbs`: a future or modal clause under a belief is a forecast ("I think X will not
  attack Y"); a past one ("believes X was behind the attack") is left to the other rules;
- `opinion_sources`: a poll and its respondents ("polling shows the British public support
  strikes"): the public of a country is not its state, and an opinion is no act;
- `effort_verbs`: the goal of an ongoing effort and the participles that elaborate it ("X is
  working to diversify its ties, seeking investment from Y"): a course a state is on, not an act.
For the learned model's predicates (model_guards.ModelGuards.asserted) also: a subject better
off (`better_off`: "gained growth from its ties with Y"), a country's own economic quantities
with no other party (`own_economy`: "raised taxes on fuel") and a party found only in an
adverbial clause (`in_adverbial`).
"""

from __future__ import annotations

from collections.abc import Iterator

from spacy.tokens import Token

from dyadwatch.coding import syntax
from dyadwatch.coding.engine_data import EngineSettings

# A complement clause: what a wish, a belief or a fear is about.
_COMPLEMENT_DEPS = frozenset({"ccomp", "xcomp", "advcl", "relcl", "acl", "pcomp", "pobj", "prep",
                              "dobj", "conj", "acomp", "attr", "nsubj", "appos", "compound"})
_GOAL_DEPS = frozenset({"xcomp", "advcl"})  # "is working to diversify": the goal clause
_FORECAST_AUX = frozenset({"will", "'ll", "would", "could", "might", "may", "can", "ca", "shall"})


def _path_up(token: Token, limit: int = 12) -> Iterator[tuple[Token, Token]]:
    """(node, head) pairs from the token up towards the root of its sentence."""
    node = token
    for _ in range(limit):
        head = node.head
        if head.i == node.i or node.dep_ not in _COMPLEMENT_DEPS:
            return
        yield node, head
        node = head


def _own_subject(verb: Token) -> bool:
    return any(c.dep_ in syntax.SUBJECT_DEPS | syntax.PASSIVE_SUBJECT_DEPS for c in verb.children)


def _forecast(node: Token, stop: Token) -> bool:
    """Is a future or modal auxiliary on a verb between `node` and `stop` (both included)?"""
    step = node
    while True:
        if any(c.dep_ == "aux" and c.lower_ in _FORECAST_AUX for c in step.children):
            return True
        if step.i == stop.i or step.head.i == step.i:
            return False
        step = step.head


def is_unreal(token: Token, engine: EngineSettings) -> bool:
    """Is the trigger (or the wrapper above it) inside an imagined, wished, forecast or polled
    clause? Then it is no event."""
    if _opinion_subject(token, engine):
        return True
    for node, head in _path_up(token):
        if node.dep_ in _GOAL_DEPS and ongoing_effort(head, engine):
            return True
        lemma = head.lemma_.lower()
        if lemma in engine.irrealis_heads or lemma in engine.opinion_sources:
            return True
        if head.pos_ in ("VERB", "AUX") and _opinion_subject(head, engine):
            return True
        if node.dep_ == "ccomp" and _own_subject(node) and (
            lemma in engine.wish_verbs
            or (lemma in engine.belief_verbs and _forecast(token, node))
        ):
            return True
    return False


def _opinion_subject(verb: Token, engine: EngineSettings) -> bool:
    """ "polling shows ...", "the British public support ...": a poll or its respondents."""
    subject = syntax.subject_of(verb) if verb.pos_ in ("VERB", "AUX") else None
    if subject is None:
        return False
    words = {subject.lemma_.lower(), *(c.lemma_.lower() for c in subject.children
                                       if c.dep_ in ("compound", "amod", "prep"))}
    if subject.lower_ in ("%", "percent", "cent") or subject.like_num:
        words |= {g.lemma_.lower() for c in subject.children for g in c.children}
    return bool(words & engine.opinion_sources)


def ongoing_effort(verb: Token, engine: EngineSettings) -> bool:
    """ "X is working to diversify ...", "were striving to restore ...": a progressive of an
    effort verb with a goal clause ("to" + verb) and no partner ("is working with Y to ..." is a
    cooperation, left to the other rules)."""
    if verb.lemma_.lower() not in engine.effort_verbs or verb.tag_ != "VBG":
        return False
    if not any(c.dep_ == "aux" and c.lemma_ == "be" for c in verb.children):
        return False
    if any(c.dep_ == "prep" and c.lower_ == "with" for c in verb.children):
        return False
    return any(c.dep_ in _GOAL_DEPS and any(g.dep_ == "aux" and g.lower_ == "to"
                                            for g in c.children) for c in verb.children)


def in_effort(token: Token, engine: EngineSettings) -> bool:
    """Is the token an ongoing effort, or inside the goal clause of one?"""
    return ongoing_effort(token, engine) or any(
        node.dep_ in _GOAL_DEPS and ongoing_effort(head, engine) for node, head in _path_up(token))


def better_off(verb: Token, engine: EngineSettings) -> bool:
    """A subject that is better off, not acting: "benefited from X's aid" (`benefit_verbs`),
    "has gained growth and stability from its ties with X" (`gain_verbs` with an object among
    `benefit_nouns`; "gained control of the town" is a seizure)."""
    lemma = verb.lemma_.lower()
    if lemma in engine.benefit_verbs:
        return True
    objects = [o for c in verb.children if c.dep_ == "dobj" for o in (c, *c.conjuncts)]
    return lemma in engine.gain_verbs and any(
        o.lemma_.lower() in engine.benefit_nouns for o in objects)


def in_adverbial(word: Token, verb: Token) -> bool:
    """Is the word inside an adverbial clause below the verb ("adopted a flexible approach,
    seeking to balance its ties with X": X belongs to the participle, not to the approach)?"""
    node = word
    while node.i != verb.i and node.head.i != node.i:
        if node.dep_ == "advcl":
            return True
        node = node.head
    return False


def own_economy(verb: Token, engine: EngineSettings) -> bool:
    """Is the verb's subject or object one of a country's own economic quantities ("raised
    taxes on fuel", "produced nine million barrels": `economy_nouns`), or its subject a currency
    ("the peso strengthened": `currency_nouns`)? (The caller asks for no actor as target:
    "raised tariffs on Chinese goods" is an act.)"""
    subject = syntax.subject_of(verb)
    objects = [o for c in verb.children if c.dep_ == "dobj" for o in (c, *c.conjuncts)]
    if subject is not None and _named(subject, engine.economy_nouns | engine.currency_nouns):
        return True
    return any(_named(o, engine.economy_nouns) for o in objects)


def _named(token: Token, words: frozenset[str]) -> bool:
    return token.lemma_.lower() in words or token.lower_ in words
