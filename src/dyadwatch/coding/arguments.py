"""The argument finder: a parsed sentence -> its main predicate(s), each with source and target.

`propose(sentence, resolve, context_country, agents)` reads one parsed sentence and returns
Proposals, the main predicate first, then the verbs joined to it that have their own subject:
1. the predicate: the sentence's root verb (a stance verb, "continued to shell", or "be" with
   an adjective of intent, "is willing to send", hands over to the last verb of its xcomp
   chain) (a noun root with a finite participle after it,
   "A report called for ...", hands over to the participle; a headline's event noun stays);
   a reporting verb ("said", "claimed", data/actors/agents.yaml `reporting_verbs`) hands over
   to the clause it reports, so in "X said Y attacked Z" the event is Y -> Z; when the
   reported clause's subject points back ("he", "his country") the speaker is its source, and
   when it says what Y must or should do, the speaker makes a demand of Y (source X, target
   Y); an agentless passive hands over to an adverbial clause that names a doer ("ten were
   killed as forces shelled X");
2. the source: the subject (through xcomp/conj chains: syntax.subject_of), never the party
   a subject's act is aimed at ("airstrikes on X killed dozens": agents.yaml `aimed_preps`);
   in a passive the `by` agent; an agentless passive done in a country ("was arrested in X")
   takes that country (how == "place");
3. the target: the passive subject, else the best-ranked object of the verb and its xcomp /
   acomp / ccomp chain (dative, direct object, prepositional objects; places, times and
   "including/during/after ..." phrases excepted), each searched inside for an actor
   (argument_actors.find_actor: "an assault on X", "sanctions imposed on X"); a named actor
   ranks above a bare agent noun ("withdrew peacekeepers from X"), which ranks above a thing
   of a country or a pronoun; when none names an actor: the objects of subjectless adverbial
   clauses ("..., killing X"), then any proper name below the objects outside subordinate
   clauses, then a place the event happens in (how == "place"), then words that name no
   actor: first those that say whom the act is on ("launched attacks on X", "aid to X":
   agents.yaml `object_preps`; or an unknown proper name; how == "whom"), else the first
   object's (how == "noun"), never an amount or a time; code "" for both; a verb with no
   object and no place takes the target of the next verb joined to it with the same
   subject ("shot and wounded X");
4. joint acts: "X and Y signed" (joined subjects with a verb of `joint_verbs` or with no
   actor as object), "the Indian and Chinese armies held talks" (joined country modifiers,
   likewise), "X met/held talks with Y": source and target are the two sides, `joint` is True.
Each side is an ActorSpan (argument_actors.py: offsets, Actor, `how`) or None; callers that
want actors only skip `how` "noun" and "whom", and may treat "place" and "pronoun" as weak.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from spacy.tokens import Span, Token

from dyadwatch.coding import syntax
from dyadwatch.coding.agents import AgentLexicon
from dyadwatch.coding.argument_actors import (
    WEAK_HOWS,
    ActorFinder,
    ActorSpan,
    Resolve,
    find_actor,
    is_amount,
    is_news,
    is_place,
    is_time,
    noun_span,
    place_actor,
)
from dyadwatch.records import Actor

__all__ = ["ActorSpan", "Proposal", "propose"]

_OBJECT_DEPS = ("dative", "dobj", "attr", "oprd")
_VERB_POS = frozenset({"VERB", "AUX"})
_REPORTED_DEPS = frozenset({"ccomp", "parataxis"})
_CHAIN_DEPS = frozenset({"xcomp", "acomp", "ccomp"})


@dataclass(frozen=True, slots=True)
class Proposal:
    """One predicate with its two sides: token offsets relative to the sentence span."""

    trigger: int
    source: ActorSpan | None
    target: ActorSpan | None
    joint: bool


def propose(
    sentence: Span, resolve: Resolve, context_country: str | None, agents: AgentLexicon
) -> list[Proposal]:
    """The sentence's main predicate with its source and target, then the predicates joined to
    it that have a subject of their own (see the module docstring for the rules)."""
    if len(sentence) == 0:
        return []
    finder = ActorFinder(resolve, context_country, agents)
    main, speaker = main_predicate(sentence, agents)
    out = [_proposal(sentence, main, speaker, finder)]
    for verb in main.conjuncts:
        if verb.i > main.i and verb.pos_ in _VERB_POS and _own_subject(verb) is not None:
            out.append(_proposal(sentence, verb, None, finder))
    return out


def main_predicate(sentence: Span, agents: AgentLexicon) -> tuple[Token, Token | None]:
    """(the predicate, the speaker's head when the predicate is a reported clause)."""
    roots = [t for t in sentence if t.dep_ == "ROOT"]  # a stray "Sen ." is a root too
    root = next((t for t in roots if t.pos_ in _VERB_POS), sentence.root)
    if root.pos_ in ("NOUN", "PROPN") and _own_subject(root) is None:
        # "The Iraqi air force carried out ...": a subject the parser made the root
        acl = next((c for c in root.rights if c.dep_ == "acl" and _finite_acl(c)), None)
        return (acl if acl is not None else root), None
    speaker = None
    if root.lemma_.lower() in agents.reporting_verbs:
        reported = [c for c in root.children if c.dep_ in _REPORTED_DEPS and (
            c.pos_ in _VERB_POS or _own_subject(c) is not None)]  # "X rejects ...": a verb
        if reported:
            speaker, root = _own_subject(root), reported[0]
    return _explained_passive(_carried(root, agents)), speaker


def _carried(verb: Token, agents: AgentLexicon) -> Token:
    """ "X continued to shell", "X is willing to send": a stance verb (agents.yaml
    `stance_verbs`), or "be" with an adjective of intent, hands over to the last verb of its
    xcomp chain; other verbs stay."""
    lemma = verb.lemma_.lower()
    intent = lemma == "be" and any(
        c.dep_ == "acomp" and c.lemma_.lower() in agents.intent_adjectives for c in verb.children)
    if lemma not in agents.stance_verbs and not intent:
        return verb
    acts = [t for t in _chain(verb)[1:] if t.pos_ == "VERB"]
    return acts[-1] if acts else verb


def _finite_acl(acl: Token) -> bool:
    """A participle right after its noun that reads as the sentence's verb ("A report called
    for ..."): past tense, or a past participle with nothing between it and the noun."""
    return acl.tag_ == "VBD" or (acl.tag_ == "VBN" and acl.i == acl.head.i + 1)


def _explained_passive(verb: Token) -> Token:
    """ "Ten people were killed as forces shelled X": an agentless passive hands over to the
    clause beside it that names a doer."""
    if not syntax.is_passive(verb) or syntax.passive_agent(verb) is not None:
        return verb
    for child in verb.children:
        if child.dep_ == "advcl" and _own_subject(child) is not None:
            return child
    return verb


_own_subject = syntax.own_subject  # the verb's own subject, none inherited


def _refers_back(subject: Token) -> bool:
    """A reported clause's subject that points back to the speaker ("he", "his country")."""
    if subject.pos_ == "PRON":
        return True
    return any(c.dep_ == "poss" and c.pos_ == "PRON" for c in subject.lefts)


def _proposal(sent: Span, verb: Token, speaker: Token | None, finder: ActorFinder) -> Proposal:
    trigger = verb.i - sent.start
    if verb.pos_ in ("NOUN", "PROPN") and _own_subject(verb) is None:
        return _noun_proposal(sent, verb, finder)
    passive = syntax.is_passive(verb)
    subject = syntax.passive_agent(verb) if passive else _subject(verb)
    source = _side(sent, subject, finder, doer=True)
    if source is not None and subject is not None and _owner_of_a_thing(sent, subject, source,
                                                                         finder):
        source = noun_span(sent, subject)  # "X's position raises questions": not X's act
    if passive and subject is None:
        source = _implied_agent(sent, verb, finder)
    said = _speaker(sent, speaker, finder)
    if said is not None and source is not None and _obliged(verb, finder.agents):
        speech = speaker.head.i - sent.start if speaker is not None else trigger
        return Proposal(speech, said, source, False)
    if said is not None and (source is None or (subject is not None and _refers_back(subject))):
        source = said
    target = _target(sent, verb, passive, finder)
    # "X and Y agreed a deal" is joint; "X and Y agreed to lift a ban on Z" acts on Z
    joint_verb = verb.lemma_.lower() in finder.agents.joint_verbs and not any(
        c.dep_ == "xcomp" for c in verb.children)
    # "X and Y struck rebel positions": a thing's owner is a party apart from them
    weak = target is None or (target.how in WEAK_HOWS and target.how != "owned")
    pair = _joined_modifiers(sent, subject, source, finder) if subject is not None else None
    if pair is not None and (joint_verb or weak):  # "Russian and Syrian jets struck X": on X
        return Proposal(trigger, pair[0], pair[1], True)
    joint_with = _joined_subject(sent, subject, finder) if subject is not None else None
    if joint_with is not None and (joint_verb or weak):
        return Proposal(trigger, source, joint_with, True)
    if target is not None and source is not None and _overlap(source, target):
        target = None  # one phrase is not both sides
    joint = target is not None and target.how not in WEAK_HOWS and joint_verb
    return Proposal(trigger, source, target, joint)


def _owner_of_a_thing(sent: Span, head: Token, found: ActorSpan, finder: ActorFinder) -> bool:
    """An actor found inside a subject whose head names what the actor has, not who acts
    ("X's position raises questions", "the policy of X": agents.yaml `attribute_nouns`)."""
    if found.start <= head.i - sent.start < found.end:
        return False
    return head.lemma_.lower() in finder.agents.attribute_nouns


def _overlap(one: ActorSpan, other: ActorSpan) -> bool:
    return one.start < other.end and other.start < one.end


def _implied_agent(sent: Span, verb: Token, finder: ActorFinder) -> ActorSpan | None:
    """An agentless passive done in or expelled from a country ("was arrested in X", "were
    expelled from X"): that country's state, read from the place (how == "place")."""
    for child in verb.children:
        if child.dep_ == "prep" and child.lower_ in ("in", "from"):
            for place in (g for g in child.children if g.dep_ == "pobj"):
                found = place_actor(sent, place, finder)
                if found is not None:
                    return found
    return None


def _subject(verb: Token) -> Token | None:
    if verb.dep_ == "acl" and verb.head.dep_ == "ROOT":
        return verb.head  # the mis-parsed subject of main_predicate
    return syntax.subject_of(verb)


def _speaker(sent: Span, speaker: Token | None, finder: ActorFinder) -> ActorSpan | None:
    """The speaker of a reported clause as an actor (news sources are none)."""
    if speaker is None:
        return None
    found = find_actor(sent, speaker, finder)
    return found if found is not None and found.how not in WEAK_HOWS else None


def _side(
    sent: Span, head: Token | None, finder: ActorFinder, doer: bool = False
) -> ActorSpan | None:
    """The actor of one argument, or the argument's words with no code when it names none;
    for the `doer` (the subject) not the party an act is aimed at ("airstrikes on X killed
    dozens": X is struck, not striking)."""
    if head is None:
        return None
    found = find_actor(sent, head, finder, aimed=not doer)
    if found is not None:
        return found
    blocked = is_place(head, finder.agents) or is_news(head, finder.agents)
    blocked = blocked or is_time(head, finder.agents)
    if head.pos_ in ("NOUN", "PROPN", "PRON", "NUM") and not blocked:
        return noun_span(sent, head)
    return None


def _obliged(verb: Token, agents: AgentLexicon) -> bool:
    return any(c.dep_ == "aux" and c.lower_ in agents.obligation for c in verb.children)


def _joined_modifiers(
    sent: Span, subject: Token, source: ActorSpan | None, finder: ActorFinder
) -> tuple[ActorSpan, ActorSpan] | None:
    """ "The Indian and Chinese armies": each joined country modifier with the head's role."""
    role = source.actor.role if source is not None else None
    for modifier in subject.lefts:
        if modifier.dep_ not in ("amod", "compound", "nmod") or not modifier.conjuncts:
            continue
        other = max(modifier.conjuncts, key=lambda t: t.i)
        sides = []
        for token in (modifier, other):
            actor = finder.resolve(sent.doc[token.i : token.i + 1])
            if actor is None or not actor.country or other.i < modifier.i:
                break
            code = actor.country + (role or "")
            sides.append(ActorSpan(token.i - sent.start, token.i + 1 - sent.start,
                                   Actor(code, actor.country, role, actor.text, actor.name),
                                   "modified"))
        if len(sides) == 2:
            return sides[0], sides[1]
    return None


def _joined_subject(sent: Span, subject: Token, finder: ActorFinder) -> ActorSpan | None:
    """The second of two joined subjects ("X and Y signed"), when it is an actor."""
    for other in subject.conjuncts:
        if other.i > subject.i:
            found = find_actor(sent, other, finder)
            if found is not None:
                return found
    return None


def _target(sent: Span, verb: Token, passive: bool, finder: ActorFinder) -> ActorSpan | None:
    """The best-ranked argument below the verb and its xcomp chain (`_rank`: a named actor
    first, a bare agent noun next, then a thing of a country or a pronoun); else the same in
    its subjectless adverbial clauses ("..., killing X") when the chain names no actor; a
    place the event happens in before the subject's own ("strengthened its forces in X");
    else a place; else the first argument's words (how == "noun");
    else the target of the next joined verb (`_shared_object`)."""
    places: list[Token] = []
    chain = _chain(verb)
    best, words = _best(sent, _object_heads(verb, passive, chain, finder.agents, places), finder)
    if best is None:
        # "..., aiming to drive X out": the clause and its own xcomp chain
        clauses = [v for node in chain for c in node.children if _adverbial(c)
                   for v in _chain(c)]
        best, more = _best(
            sent, _object_heads(verb, False, clauses, finder.agents, places), finder)
        words = words or more
    if best is None:
        best = _deep_actor(sent, chain, finder)
    place = next((p for p in (place_actor(sent, h, finder) for h in places) if p), None)
    if best is not None:
        return place if place is not None and _own(sent, best) else best
    if place is None and words is None:
        return _shared_object(sent, verb, finder)
    return place or words


def _own(sent: Span, found: ActorSpan) -> bool:
    """The subject's own people or things ("its forces", "their troops"): the means of an act
    done in a place ("strengthened its forces in X": X), not whom it is done to."""
    return _pronoun_owned(sent[found.start:found.end].root)


def _pronoun_owned(head: Token) -> bool:
    """Does a possessive pronoun own the head ("its troops")?"""
    return any(c.dep_ == "poss" and c.pos_ == "PRON" for c in head.lefts)


def _shared_object(sent: Span, verb: Token, finder: ActorFinder) -> ActorSpan | None:
    """ "X shot and wounded Y": a verb with no object of its own shares that of the next verb
    joined to it with the same subject."""
    for other in verb.conjuncts:
        if other.i > verb.i and other.pos_ == "VERB" and _own_subject(other) is None:
            found = _target(sent, other, syntax.is_passive(other), finder)
            return found if found is not None and found.how != "place" else None
    return None


def _deep_actor(sent: Span, chain: list[Token], finder: ActorFinder) -> ActorSpan | None:
    """The first named actor anywhere below the verb's objects, outside subordinate clauses
    ("sent supplies and personnel such as doctors to X"), when the slots name none."""
    for node in chain:
        for child in node.children:
            if child.dep_ not in (*_OBJECT_DEPS, "prep", "dative"):
                continue
            if child.lower_ in finder.agents.not_target_preps:
                continue
            for token in child.subtree:
                if not _deep_candidate(token, child, finder.agents):
                    continue
                found = find_actor(sent, token, finder)
                if found is not None and found.how not in WEAK_HOWS:
                    return found
    return None


def _deep_candidate(token: Token, top: Token, agents: AgentLexicon) -> bool:
    """A proper name heading its own phrase, below `top` but not inside a clause or a phrase
    of time or manner ("after the ousting of X", "Easter bombings")."""
    if token.pos_ != "PROPN" or token.dep_ in ("compound", "amod", "nmod"):
        return False
    if is_amount(token):
        return False
    if _in_clause(token, top):
        return False
    node = token
    while node.i != top.i and node.head.i != node.i:
        blocking = agents.not_target_preps - agents.example_preps
        if node.dep_ == "pobj" and node.head.lower_ in blocking:
            return False
        node = node.head
    return True


def _in_clause(token: Token, top: Token) -> bool:
    node = token
    while node.i != top.i and node.head.i != node.i:
        if node.dep_ in ("relcl", "advcl", "ccomp", "acl"):
            return True
        node = node.head
    return False


def _best(
    sent: Span, heads: Iterator[Token], finder: ActorFinder
) -> tuple[ActorSpan | None, ActorSpan | None]:
    """(the best-ranked actor among the heads, else the words of the first head that says whom
    the act is on (`_whom`, how == "whom"), else of the first head (how == "noun"))."""
    best: tuple[int, ActorSpan] | None = None
    whom: list[Token] = []
    plain: list[Token] = []
    for head in heads:
        found = find_actor(sent, head, finder)
        if found is None:
            named = _whom(head, finder.agents)
            directed = named is not head or _directed(head, finder.agents)
            if directed or head.pos_ == "PROPN":
                whom.append(named)
            elif head.pos_ != "PRON" and not _means(head, finder.agents):
                plain.append(named)  # not "will do whatever it can", "used chemical weapons"
            continue
        rank = _rank(head, found, _within(sent, head, found, finder.agents))
        if rank == 0:
            return found, None
        if best is None or rank < best[0]:
            best = (rank, found)
    if best is not None:
        return best[1], None
    return None, _words(sent, whom, "whom", finder) or _words(sent, plain, "noun", finder)


def _words(sent: Span, heads: list[Token], how: str, finder: ActorFinder) -> ActorSpan | None:
    """The first head's words that name no amount or time ("$1.2 billion", "three months")."""
    for head in heads:
        if _never_party(head, finder.agents):
            continue
        words = _side(sent, head, finder)
        if words is not None:
            return noun_span(sent, head, how) if words.how == "noun" else words
    return None


def _directed(head: Token, agents: AgentLexicon) -> bool:
    """The object of a preposition that says whom ("launched attacks on X": X), or what an
    attitude is about (`_topics`: "skeptical of X", "hoped that X would")."""
    if head.dep_ == "pobj" and head.head.lower_ in agents.object_preps:
        return True
    # a topic hangs on the attitude word through its preposition or its clause
    return any(t.i == head.i for t in _topics(head.head.head, agents))


def _topics(word: Token, agents: AgentLexicon) -> Iterator[Token]:
    """What an attitude word (agents.yaml `attitude_words`) is about: the objects of its
    prepositions ("skeptical of X") and the subjects of its clauses ("pessimism that X will",
    "hoped that X would")."""
    if word.lemma_.lower() not in agents.attitude_words and (
            word.lower_ not in agents.attitude_words):
        return  # the word as written too: the parser's lemma of "hoped" is "hop"
    for child in word.children:
        if child.dep_ == "prep" and child.lower_ not in agents.not_target_preps:
            yield from (g for g in child.children if g.dep_ == "pobj")
        elif child.dep_ in ("ccomp", "acl"):
            yield from (g for g in child.children
                        if g.dep_ in syntax.SUBJECT_DEPS | syntax.PASSIVE_SUBJECT_DEPS)


def _means(head: Token, agents: AgentLexicon) -> bool:
    """The object of a verb of means ("used chemical weapons", "launched an offensive")."""
    return head.dep_ == "dobj" and head.head.lemma_.lower() in agents.means_verbs


def _never_party(head: Token, agents: AgentLexicon) -> bool:
    """An amount, a time or a posture ("on alert"), never a party."""
    lemma = head.lemma_.lower()
    return (head.ent_type_ in _MEASURES or head.pos_ in ("NUM", "SYM")
            or lemma in agents.time_words or lemma in agents.posture_nouns)


def _whom(head: Token, agents: AgentLexicon) -> Token:
    """The words that say whom an object is for or against when it names no actor: "launched
    attacks on X", "suspended a shipment of aid to X" give X (agents.yaml `object_preps`, through
    at most one "of"); otherwise the object itself ("rejected the offer")."""
    topic = next(_topics(head, agents), None)
    if topic is not None and topic.pos_ in ("NOUN", "PROPN"):
        return topic  # "expressed surprise that X published": X
    node = head
    for _ in range(2):
        if node.pos_ != "NOUN":
            break
        preps = [c for c in node.children if c.dep_ == "prep"]
        for prep in (p for p in preps if p.lower_ in agents.object_preps):
            whom = next((g for g in prep.children if g.dep_ == "pobj"), None)
            if whom is not None and whom.pos_ in ("NOUN", "PROPN", "PRON"):
                return whom
        of = next((p for p in preps if p.lower_ == "of"), None)
        inner = next((g for g in of.children if g.dep_ == "pobj"), None) if of else None
        if inner is None:
            break
        node = inner
    return head


def _rank(head: Token, found: ActorSpan, within: bool) -> int:
    """0 a named actor; 1 a bare agent noun ("police"), which may be the subject's own means
    ("withdrew peacekeepers from X"), or an actor named `within` a thing's phrase ("returned
    a pendant with the image of X to Y": Y first); 2 the subject's own ("its troops") or a
    thing of a country; 3 a pronoun."""
    if found.how == "pronoun" or head.pos_ == "PRON":
        return 3  # "accusing him of": the actor named elsewhere in the sentence
    if found.how in WEAK_HOWS or _pronoun_owned(head):
        return 2
    return 1 if found.how == "agent" or within else 0


def _within(sent: Span, head: Token, found: ActorSpan, agents: AgentLexicon) -> bool:
    """Is the actor named after a thing's head behind a preposition that does not say whom
    or whose ("a gift from X", "engraved with the image of X") or in a relative clause, rather
    than behind "of" or one that does ("condolences to X", "a statement calling on X")?"""
    node = sent[found.start:found.end].root
    if node.i <= head.i:
        return False  # the owner: "X's forces"
    while node.i != head.i and node.head.i != node.i:
        if node.dep_ == "relcl" or (
                node.dep_ == "prep" and node.lower_ not in agents.object_preps):
            return True
        node = node.head
    return False


def _object_heads(
    verb: Token, passive: bool, nodes: list[Token], agents: AgentLexicon, places: list[Token]
) -> Iterator[Token]:
    """Heads of the object slots of the nodes, in order (a passive verb's subject first);
    places met on the way are added to `places`."""
    if passive:
        subject = syntax.passive_subject(verb)
        if subject is not None:
            yield subject
    for node in nodes:
        yield from (t for t in _topics(node, agents) if t.dep_ != "pobj")
        objects = [c for c in node.children if c.dep_ in _OBJECT_DEPS]
        yield from objects
        for child in node.children:
            if child.dep_ not in ("prep", "dative") or child.lower_ in agents.not_target_preps:
                continue
            if _fronted(child, node):
                continue  # "For X's chairmanship, Y supports ...": a frame, not a target
            heads = [g for g in child.children if g.dep_ in ("pobj", "pcomp")]
            if child.lower_ in agents.place_preps:
                places.extend(heads)
            else:
                objects.extend(heads)
                yield from heads
        places.extend(  # "declared a state of siege in X", "contribute to peace in X"
            t for obj in objects for t in obj.subtree
            if t.dep_ == "pobj" and t.head.lower_ in agents.place_preps and t not in places)


def _fronted(prep: Token, verb: Token) -> bool:
    """A prepositional phrase placed before the verb's subject (a fronted adverbial)."""
    return any(c.dep_ in syntax.SUBJECT_DEPS and prep.i < c.i for c in verb.children)


_MEASURES = frozenset({"MONEY", "PERCENT", "QUANTITY", "CARDINAL", "DATE", "TIME", "ORDINAL"})


def _chain(verb: Token) -> list[Token]:
    """The verb and the verbs of its xcomp chain ("agreed to lift", "is willing to send");
    through acomp and ccomp too ("is willing to withdraw", "was responsible for": the
    adjective, then its xcomp)."""
    return syntax.complement_chain(verb, _CHAIN_DEPS)


def _adverbial(child: Token) -> bool:
    """A subjectless adverbial clause after the subject ("..., killing five", "to help X"); one
    placed before it tells the circumstances ("Ignoring X's warnings, Y struck ...")."""
    return (child.dep_ == "advcl" and child.pos_ in _VERB_POS and _own_subject(child) is None
            and not _fronted(child, child.head))


def _noun_proposal(sent: Span, noun: Token, finder: ActorFinder) -> Proposal:
    """A headline or noun root: "Talks between X and Y", "X's attack on Y"."""
    found = [f for f in (find_actor(sent, h, finder) for h in _noun_sides(noun)) if f is not None]
    trigger = noun.i - sent.start
    if not found:
        return Proposal(trigger, None, None, False)
    source = found[0]
    target = found[1] if len(found) > 1 else None
    joint = any(c.lower_ == "between" for c in noun.children)
    return Proposal(trigger, source, target, joint and target is not None)


def _noun_sides(noun: Token) -> Iterator[Token]:
    for child in noun.lefts:
        if child.dep_ in ("poss", "compound", "amod"):
            yield child
    for child in noun.rights:
        if child.dep_ == "prep":
            for pobj in (g for g in child.children if g.dep_ == "pobj"):
                yield from syntax.conjuncts(pobj)
