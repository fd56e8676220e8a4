"""Open-world actor resolution for the argument finder: a noun-phrase head -> an ActorSpan.

The cascade, for the head of a subject or object phrase (the first step that answers wins):
1. news sources and places are no actors: a news agency or a reporting word ("Reuters", "an AFP
   correspondent", "a monitor"), the object of a place preposition ("in Kiev", "at Ream Naval
   Base") unless it is an agent noun ("in a court"), a name headed by a kind of place ("the
   Engels Air Base": agents.yaml `place_heads`; not "an Afghan army base"); nothing is
   looked for inside them;
2. the dictionary resolver passed in (`resolve`): countries, capitals, organisations, known
   and learned people, role words owned by a country ("Chinese forces");
3. an agent noun of data/actors/agents.yaml: with a country, demonym, capital or listed city
   modifying it, country + role ("Egyptian demonstrators" -> EGYOPP, "an Istanbul court" ->
   TURJUD); when the caller gives a context country, a state organ ("government forces",
   "police", "the court": STATE_ROLES or a state modifier) is that country's ("government
   forces" -> SYRMIL in a Syria story), but not a machine of war ("a drone": agents.yaml
   `machines`); otherwise the role alone ("police" -> COP, "a drone" -> MIL);
4. an unknown proper name (or an NER entity, when the parse has NER): the words, code "";
5. a personal pronoun: the words, code "" (the caller's coreference may resolve it);
6. "those who tried to flee": people told only by their flight are civilians (CVL).
When the head is none of these (a "statement", an "assault"), `find_actor` looks inside the
phrase: possessors and name compounds ("the US administration's decision"), then the objects
of "by/of/from/on/against/to/with/for/between" ("an assault on the rebels").

Codes: a role with no country is coded as the bare role ("COP"); no code at all is "" with
`country=None`, and the words kept in `text` and `name`.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass

from spacy.tokens import Span, Token

from dyadwatch.coding import syntax
from dyadwatch.coding.agents import AgentLexicon
from dyadwatch.records import Actor

Resolve = Callable[[Span], "Actor | None"]

# how an ActorSpan was found, best first (the `how` field)
ACTOR_HOWS = ("dictionary", "modified", "context", "agent", "name", "ner", "owned", "pronoun",
              "place")
# weaker readings: a target slot takes them only when no stronger actor is there
WEAK_HOWS = frozenset({"owned", "pronoun", "place", "noun", "whom"})
WORD_HOWS = frozenset({"noun", "whom"})  # words that name no actor
# roles that a country's state holds: a bare "police" or "court" is the context country's
STATE_ROLES = frozenset({"GOV", "MIL", "COP", "JUD", "LEG", "SPY"})
NAME_ENTS = frozenset({"PERSON", "ORG", "NORP", "GPE"})
_MODIFIER_DEPS = frozenset({"amod", "compound", "nmod", "poss"})
_INNER_PREPS = ("by", "of", "from", "on", "against", "to", "with", "for", "between", "over",
                "into", "towards", "toward", "upon")
_PERSONAL = frozenset({"he", "she", "they", "we", "it", "i", "him", "her", "them", "us"})
_RELATIVE = frozenset({"who", "which", "that", "whom"})
_INNER_DEPTH = 3


@dataclass(frozen=True, slots=True)
class ActorSpan:
    """An actor's words in a sentence: token offsets [start, end) relative to the sentence
    span, the actor, and which step of the cascade found it (one of ACTOR_HOWS, or "noun" for
    a phrase in an argument slot that names no actor, "whom" for one that names no actor but
    says whom the act is on: "attacks on X", a proper name)."""

    start: int
    end: int
    actor: Actor
    how: str


@dataclass(frozen=True, slots=True)
class ActorFinder:
    """What resolution needs besides the parse."""

    resolve: Resolve
    context_country: str | None
    agents: AgentLexicon


def argument_span(head: Token) -> Span:
    """The words of an argument headed by `head`: its subtree without conjuncts (and what
    joins them) and without edge punctuation."""
    doc = head.doc
    start, end = head.left_edge.i, head.right_edge.i + 1
    for child in head.rights:
        if child.dep_ in ("cc", "conj") or (child.dep_ == "punct" and _before_conj(child)):
            end = min(end, child.i)
        if head.dep_ == "ROOT" and child.dep_ in syntax.CLAUSE_DEPS | {"punct", "prep"}:
            end = min(end, child.i)  # a subject the parser made the root: not its predicate
    while end - 1 > head.i and doc[end - 1].is_punct and doc[end - 1].text not in (")", "'"):
        end -= 1
    while start < head.i and doc[start].is_punct:
        start += 1
    return doc[start:end]


def _before_conj(punct: Token) -> bool:
    return any(s.dep_ in ("conj", "cc") and s.i > punct.i for s in punct.head.rights)


def _span(sent: Span, words: Span, actor: Actor, how: str) -> ActorSpan:
    return ActorSpan(words.start - sent.start, words.end - sent.start, actor, how)


def is_news(head: Token, agents: AgentLexicon) -> bool:
    """A news agency, a reporter of the news ("Reuters", "an AFP correspondent") or a
    commentator ("Tom Lee, a lecturer at ...")."""
    if head.lemma_.lower() in agents.news_words or head.lower_ in agents.news_words:
        return True
    roles = [head, *(c for c in head.children if c.dep_ == "appos")]
    if any(t.lemma_.lower() in agents.commentators for t in roles):
        return True
    phrase = syntax.noun_phrase(head)
    names = " ".join(t.text for t in phrase if t.pos_ == "PROPN" or t.i == head.i).lower()
    words = [t.lower_ for t in phrase]
    return names in agents.news_agencies or (
        len(words) >= 2 and " ".join(words[-2:]) in agents.news_words
    )


def is_place(head: Token, agents: AgentLexicon) -> bool:
    """The object of a place preposition that is no agent ("in Kiev", not "in a court")."""
    if head.dep_ != "pobj" or head.head.lower_ not in agents.place_preps:
        return False
    return _role(head, agents) is None


def is_time(head: Token, agents: AgentLexicon) -> bool:
    """A word of time ("on Monday", "last week"), not the "May" of "Theresa May"."""
    if head.lower_ not in agents.time_words and head.ent_type_ not in ("DATE", "TIME"):
        return False
    return not any(c.dep_ == "compound" and c.pos_ == "PROPN" for c in head.lefts)


def place_actor(sent: Span, head: Token, finder: ActorFinder) -> ActorSpan | None:
    """A place read as the country it lies in ("in West Africa", "in South Sudan", "in Bosnian
    Serb territory": agents.yaml `place_nouns`): the dictionary's country with no role, or an
    unknown name with no code; how == "place". A last resort for an event that names no other
    target."""
    if is_time(head, finder.agents) or head.pos_ not in ("PROPN", "NOUN"):
        return None
    if head.pos_ == "NOUN" and _role(head, finder.agents) is None:
        own = (_country_place(sent, head, finder)
               if head.lemma_.lower() in finder.agents.place_nouns else None)
        # "peacekeeping operations in Afghanistan": the place inside the phrase
        preps = finder.agents.place_preps | {"of"}  # "the province of X"
        inner = (g for c in head.rights if c.dep_ == "prep" and c.lower_ in preps
                 for g in c.children if g.dep_ == "pobj")
        return own or next((p for p in (place_actor(sent, g, finder) for g in inner) if p), None)
    if head.pos_ == "PROPN":
        phrase = syntax.noun_phrase(head)
        return _country_place(sent, head, finder) or _span(
            sent, argument_span(head), Actor("", None, None, phrase.text, phrase.text), "place")
    return _country_place(sent, head, finder)


def _country_place(sent: Span, head: Token, finder: ActorFinder) -> ActorSpan | None:
    """The place's phrase as the country it names or lies in, if the dictionary knows it."""
    phrase = syntax.noun_phrase(head)
    actor = finder.resolve(phrase) or city_country(phrase, finder.agents)
    if actor is None or not actor.country:
        return None
    return _span(sent, argument_span(head),
                 Actor(actor.country, actor.country, None, phrase.text, actor.name), "place")


def _role(head: Token, agents: AgentLexicon) -> str | None:
    """The role of the agent phrase headed by `head`; a modifier that is an agent of one of
    `marking_roles` names the kind of agent ("rebel commander" REB, "opposition politicians"
    OPP, not MIL and GOV)."""
    words = [t.lower_ for t in head.lefts if t.dep_ in ("compound", "amod")]
    role = agents.role_of([*words, head.lemma_.lower()]) or agents.role_of(
        [*words, head.lower_])
    if not role:
        return role
    marked = (agents.role_of([t.lemma_.lower()]) for t in head.lefts
              if t.dep_ in ("compound", "amod"))
    return next((m for m in marked if m in agents.marking_roles), role)


def _owner(head: Token, finder: ActorFinder) -> Actor | None:
    """A country (or organisation) named by a modifier of the head ("Syrian", "Istanbul"),
    or leading it ("a Saudi-led coalition": agents.yaml `leader_words`)."""
    leader = _leader(head, finder)
    if leader is not None:
        return leader
    for child in head.lefts:
        if child.dep_ in _MODIFIER_DEPS and child.pos_ in ("ADJ", "PROPN", "NOUN"):
            words = head.doc[child.left_edge.i : child.i + 1]
            owner = finder.resolve(words) or city_country(words, finder.agents)
            if owner is not None and owner.code:
                return owner
    return None


def _leader(head: Token, finder: ActorFinder) -> Actor | None:
    """ "a Saudi-led coalition", "US-led forces": the name before "-led" (a modifier, which
    the dictionary alone leaves out) is whose the agent is; so is the agent of "a coalition
    (of Gulf states) led by Saudi Arabia", wherever the parser hangs "led"."""
    members = [g for c in head.rights if c.dep_ == "prep" and c.lower_ == "of"
               for g in c.children if g.dep_ == "pobj"]
    for word in (w for node in (head, *members) for w in node.rights):
        if word.dep_ != "acl" or word.lower_ not in finder.agents.leader_words:
            continue
        for name in (g for c in word.children if c.dep_ == "agent" for g in c.children
                     if g.dep_ == "pobj"):
            owner = finder.resolve(syntax.noun_phrase(name))
            if owner is not None and owner.country:
                return owner
    for word in head.lefts:
        if word.dep_ != "amod" or word.lower_ not in finder.agents.leader_words:
            continue
        hyphen = word.doc[word.i - 1] if word.i > 0 else None
        for name in word.lefts:
            if hyphen is not None and hyphen.text == "-" and name.i == hyphen.i - 1:
                owner = finder.resolve(word.doc[name.left_edge.i : name.i + 1])
                if owner is not None and owner.country:
                    return owner
    return None


def city_country(words: Span, agents: AgentLexicon) -> Actor | None:
    """The country of a city in the lexicon ("Istanbul" -> TUR), articles left out."""
    names = [t for t in words if t.pos_ != "DET"]
    text = words.doc[names[0].i : names[-1].i + 1].text if names else ""
    iso = agents.cities.get(text)
    return None if iso is None else Actor(iso, iso, None, words.text, text)


def _agent_actor(head: Token, phrase: Span, finder: ActorFinder) -> tuple[Actor, str] | None:
    role = _role(head, finder.agents)
    if role is None:
        return None
    owner = _owner(head, finder)
    if owner is not None:
        country = owner.country
        code = country + role if country else owner.code
        return Actor(code, country, (role or None) if country else owner.role, phrase.text,
                     owner.name), "modified"
    modifiers = {t.lower_ for t in head.lefts if t.dep_ in _MODIFIER_DEPS}
    context = finder.context_country
    state = modifiers & finder.agents.state_modifiers or role in STATE_ROLES
    machine = head.lemma_.lower() in finder.agents.machines  # "a drone": whose, unsaid
    if context and state and not machine:  # "government forces", "police" in a one-country story
        return Actor(context + role, context, role or None, phrase.text, None), "context"
    return Actor(role, None, role or None, phrase.text, None), "agent"


def actor_at(sent: Span, head: Token, finder: ActorFinder) -> ActorSpan | None:
    """The actor the phrase headed by `head` denotes (steps 2-5 of the module docstring)."""
    phrase = syntax.noun_phrase(head)
    words = argument_span(head)
    if is_time(head, finder.agents):
        return None
    actor = finder.resolve(phrase)
    role = _role(head, finder.agents) if head.pos_ == "NOUN" else None
    if actor is None and role == "":
        # "the coalition against Isis": a generic agent named with its prepositional phrase
        actor = finder.resolve(head.doc[head.left_edge.i : head.right_edge.i + 1])
    agentive = head.pos_ != "NOUN" or role is not None
    if actor is not None and actor.role is None and actor.country and role:
        # "Armenian demonstrators": the dictionary gives the country, the lexicon the role
        actor = Actor(actor.country + role, actor.country, role, actor.text, actor.name)
        return _span(sent, words, actor, "modified")
    if actor is not None:
        # "Iraqi artifacts": a thing of a country, weaker than a real actor
        return _span(sent, words, actor, "dictionary" if agentive else "owned")
    if head.pos_ in ("NOUN", "PROPN"):
        agent = _agent_actor(head, phrase, finder)
        if agent is not None:
            return _span(sent, words, agent[0], agent[1])
    if (head.pos_ == "PROPN" or head.ent_type_ in NAME_ENTS or _acronym(head)) and (
            not is_amount(head)):
        how = "ner" if head.ent_type_ in NAME_ENTS else "name"
        return _span(sent, words, Actor("", None, None, phrase.text, phrase.text), how)
    if head.lower_ in _PERSONAL:
        return _span(sent, words, Actor("", None, None, head.text, None), "pronoun")
    if _fleeing(head, finder.agents):
        return _span(sent, words, Actor("CVL", None, "CVL", words.text, None), "agent")
    return None


def _fleeing(head: Token, agents: AgentLexicon) -> bool:
    """ "those who tried to flee", "anyone escaping": people told by their flight (agents.yaml
    `people_pronouns`, `flight_verbs`) are civilians."""
    if head.lower_ not in agents.people_pronouns:
        return False
    clauses = [c for c in head.children if c.dep_ in ("relcl", "acl")]
    return any(node.lemma_.lower() in agents.flight_verbs
               for clause in clauses for node in syntax.complement_chain(clause))


def is_amount(token: Token) -> bool:
    """ "USD 88,550,000", "JOD43.7 million": a word with digits or a number on it is money or
    a count, not a name."""
    return any(ch.isdigit() for ch in token.text) or any(
        c.dep_ in ("nummod", "quantmod") for c in token.children)


def _acronym(token: Token) -> bool:
    """ "FARC", "ELN": a capitalised abbreviation the tagger read as a common noun."""
    return len(token.text) > 1 and token.text.isupper() and token.text.isalpha()


def _inner_heads(head: Token, agents: AgentLexicon, aimed: bool = True) -> Iterator[Token]:
    """Where an actor may sit inside a phrase that names none: possessors, name compounds and
    armed agents as modifiers ("rebel positions": agents.yaml `owner_roles`), then the
    objects of the prepositions in _INNER_PREPS, then appositions (not one beyond the verb
    the head is the subject of: a mis-parse). With `aimed` False (a
    doer is looked for) not the objects of the prepositions that say whom an act is aimed at
    (agents.yaml `aimed_preps`: "strikes on X", "the attack against X")."""
    for child in head.lefts:
        if (child.dep_ == "poss" and child.pos_ != "PRON") or (
                child.dep_ in ("compound", "amod", "nmod") and child.pos_ in ("PROPN", "ADJ")):
            yield child  # not "his" in "pledged his country's support": the subject's own
        elif child.dep_ == "compound" and agents.role_of(
                [child.lemma_.lower()]) in agents.owner_roles:
            yield child  # "rebel positions"; not "a prisoner exchange", "a troop withdrawal"
    for prep in _INNER_PREPS:
        if not aimed and prep in agents.aimed_preps:
            continue
        for child in head.rights:
            if child.dep_ in ("prep", "agent") and child.lower_ == prep:
                yield from (g for g in child.children if g.dep_ == "pobj")
    for child in head.rights:
        if child.dep_ == "appos" and head.i < head.head.i < child.i:
            continue  # "the clashes have killed dozens - many of them civilians": mis-parsed
        if child.dep_ in ("appos", "acl"):
            yield from ([child] if child.dep_ == "appos" else _acl_objects(child))


def _acl_objects(acl: Token) -> Iterator[Token]:
    """ "sanctions imposed on Eritrea": the objects of a participle's prepositions."""
    for child in acl.children:
        if child.dep_ in ("prep", "agent"):
            yield from (g for g in child.children if g.dep_ == "pobj")


def find_actor(
    sent: Span, head: Token, finder: ActorFinder, depth: int = 0, aimed: bool = True
) -> ActorSpan | None:
    """The actor of an argument headed by `head`: the head's own, else one inside the phrase
    (breadth first, at most _INNER_DEPTH levels; with `aimed` False, for a doer, not behind
    a preposition that says whom an act is aimed at); None for places, news sources and
    phrases with no actor."""
    if head.lower_ in _RELATIVE and head.dep_.startswith("nsubj"):
        head = _relative_antecedent(head) or head
    if is_news(head, finder.agents) or is_place(head, finder.agents):
        return None
    if head.pos_ == "PROPN" and head.lemma_.lower() in finder.agents.place_heads:
        return None  # "the Engels Air Base": a named place, no party, nor is "Engels"
    found = actor_at(sent, head, finder)
    if _settled(found) or depth >= _INNER_DEPTH:
        return found
    for inner in _inner_heads(head, finder.agents, aimed):
        deeper = find_actor(sent, inner, finder, depth + 1, aimed)
        if deeper is not None and deeper.how not in WEAK_HOWS:
            return deeper
        if deeper is not None and deeper.actor.code and not (found and found.actor.code):
            found = deeper  # "attacks on Iranian websites": a thing of Iran beats no code
    return found


def _settled(found: ActorSpan | None) -> bool:
    """An actor that needs no look inside its phrase: a strong one, unless it is an agent of
    no code ("a group of Saudi hackers": whose group the phrase may say)."""
    return found is not None and found.how not in WEAK_HOWS and (
        bool(found.actor.code) or found.how != "agent")


def _relative_antecedent(pronoun: Token) -> Token | None:
    """ "the rebels who attacked": the noun a relative clause hangs on."""
    verb = pronoun.head
    return verb.head if verb.dep_ == "relcl" else None


def noun_span(sent: Span, head: Token, how: str = "noun") -> ActorSpan:
    """A phrase in an argument slot that names no actor, kept with an empty code."""
    words = argument_span(head)
    return _span(sent, words, Actor("", None, None, words.text, None), how)
