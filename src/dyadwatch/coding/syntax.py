"""Dependency-parse helpers for the event engine: subjects, objects, noun phrases, clauses.

Pure functions over spaCy tokens; no dictionary, no pattern knowledge. The two word lists
they need (quantity heads, verbs of owning) are in data/coding/engine.yaml.
"""

from __future__ import annotations

from collections.abc import Iterator

from spacy.tokens import Span, Token

from dyadwatch.coding.engine_data import EngineSettings

SUBJECT_DEPS = frozenset({"nsubj", "csubj"})
PASSIVE_SUBJECT_DEPS = frozenset({"nsubjpass", "csubjpass"})
# Children that open another clause: their actors belong to that clause, not to this verb.
# prepositions whose gerund shares the subject of the verb they modify ("by threatening X",
# "after meeting Y"); "of"/"for"/"against" are left to the wrappers ("accused X of attacking")
ADVERBIAL_PREPS = frozenset({"by", "after", "before", "while", "through", "without", "upon",
                             "since"})
OBJECT_CONTROL_PREPS = frozenset({"in", "on"})
CLAUSE_DEPS = frozenset({"ccomp", "xcomp", "advcl", "conj", "relcl", "parataxis", "csubj", "acl"})
# Right-hand children that stay inside a noun phrase when it is handed to the actor resolver.
NP_RIGHT_DEPS = frozenset({"compound", "flat", "nmod", "case", "nummod", "amod", "poss"})
NP_RIGHT_PREPS = frozenset({"of", "for"})
XCOMP_DEPS = frozenset({"xcomp"})  # complement_chain's default: "agreed to lift"


def is_passive(verb: Token) -> bool:
    return any(c.dep_ in PASSIVE_SUBJECT_DEPS or c.dep_ == "auxpass" for c in verb.children)


def conjuncts(head: Token) -> list[Token]:
    """The head and the tokens conjoined with it ("Cambodia and Thailand")."""
    return [head, *(t for t in head.conjuncts if t.i > head.i)]


def noun_phrase(head: Token) -> Span:
    """The noun phrase headed by `head`, without conjuncts, clauses and appositions."""
    doc = head.doc
    start = head.left_edge.i
    for child in head.lefts:
        clause_like = child.dep_ in ("cc", "conj", "punct", "appos", "relcl", "acl", "prep")
        if clause_like and child.i < head.i:
            start = max(start, child.right_edge.i + 1)
    end = head.i + 1
    for child in head.rights:
        keep = child.dep_ in NP_RIGHT_DEPS or (
            child.dep_ == "prep" and child.lower_ in NP_RIGHT_PREPS
        )
        if not keep:
            break
        end = child.right_edge.i + 1
    return doc[min(start, head.i) : end]


def own_subject(verb: Token) -> Token | None:
    """The verb's own active subject (nsubj/csubj), none inherited from another verb."""
    return next((c for c in verb.children if c.dep_ in SUBJECT_DEPS), None)


def _acronym_subject(verb: Token) -> Token | None:
    """ "USAID provided tents": a capitalised acronym opening the clause, which the small model
    may tag as an adverb of a verb left with no subject, is that verb's subject."""
    first = next(iter(verb.lefts), None)
    if first is None or first.dep_ not in ("advmod", "npadvmod", "dep", "nmod"):
        return None
    text = first.text.replace(".", "")
    if len(text) < 2 or not text.isalpha() or not text.isupper() or first.i != first.sent.start:
        return None
    return first


def subject_of(verb: Token) -> Token | None:
    """The active subject of a verb, inherited through xcomp/conj/advcl chains when missing.

    Climbing from an xcomp into a passive or adjectival raising verb ("X is expected to visit",
    "X is likely to attack") takes that verb's passive subject as the subject.
    """
    node: Token = verb
    raised = False
    for _ in range(5):
        deps = SUBJECT_DEPS | PASSIVE_SUBJECT_DEPS if raised else SUBJECT_DEPS
        subjects = [c for c in node.children if c.dep_ in deps]
        if subjects:  # the one nearest the verb: "Summit (X): The ministers agreed"
            here = node.i
            return min(subjects, key=lambda c: abs(c.i - here))
        if node.dep_ == "pcomp" and _shares_subject(node):
            node = node.head.head  # "X challenged the US by threatening Israel": X threatens
            continue
        if node.dep_ not in ("xcomp", "conj", "advcl", "acomp") or node.head.i == node.i:
            return _acronym_subject(node)
        if node.dep_ == "conj" and not _coordinated(node):
            return _stranded_subject(node)  # a mis-parsed clause keeps its own subject
        if node.dep_ == "conj" and is_passive(node.head):
            return None
        if node.dep_ == "advcl" and any(c.dep_ == "mark" for c in node.children):
            return None  # "as Cambodia aligned ...": a full clause keeps its own subject
        raised = node.dep_ in ("xcomp", "acomp")
        node = node.head
    return None


def _shares_subject(gerund: Token) -> bool:
    """Does a gerund under a preposition share the subject of the verb above it? Always after
    "by", "after", "before"...; after "in"/"on" only when that verb has no object ("succeeded
    in persuading Y"), since "emboldened Turkey in attacking Y" makes the object the agent."""
    prep, verb = gerund.head, gerund.head.head
    if prep.lower_ in OBJECT_CONTROL_PREPS:
        return not any(c.dep_ in ("dobj", "dative") for c in verb.children)
    return prep.lower_ in ADVERBIAL_PREPS


def _coordinated(conj: Token) -> bool:
    """Is a conjunct really coordinated: "and"/"but" or punctuation between it and its head,
    attached to either, or just before the conjunct's own words ("aims: defeating Isis and
    deterring ...")? Verbs are never joined by juxtaposition alone ("restarted exercises ... as
    Cambodia aligned with Beijing", where the parser made "aligned" a conjunct of
    "restarted")."""
    first, last = sorted((conj.head.i, conj.i))
    markers = (*conj.head.children, *conj.children)
    if any(c.dep_ in ("cc", "punct") and first < c.i < last for c in markers):
        return True
    start = conj.left_edge.i
    before = conj.doc[start - 1] if start > first + 1 else None
    return before is not None and (before.dep_ == "cc" or before.is_punct)


def _stranded_subject(verb: Token) -> Token | None:
    """The noun just before a falsely conjoined verb, which the parser made the object of a
    preposition ("as Cambodia aligned": "as" read as a preposition): the verb's own subject."""
    start = verb.left_edge.i
    before = verb.doc[start - 1] if start > 0 else None
    if before is not None and before.dep_ == "pobj" and before.pos_ in ("NOUN", "PROPN", "PRON"):
        return before
    return None


def passive_subject(verb: Token) -> Token | None:
    return next((c for c in verb.children if c.dep_ in PASSIVE_SUBJECT_DEPS), None)


def passive_agent(verb: Token) -> Token | None:
    """The `by` phrase of a passive verb ("was seized by the navy")."""
    for child in verb.children:
        if child.dep_ == "agent":
            return next((g for g in child.children if g.dep_ == "pobj"), None)
    return None


def through_quantity(node: Token, engine: EngineSettings) -> list[Token]:
    """The node and what a quantity head counts ("thousands of troops", "35 million US$");
    the heads are the engine's `quantity_heads`."""
    found = [node]
    heads = engine.quantity_heads
    for child in node.children:
        if child.dep_ in ("nummod", "quantmod") and child.like_num is False:
            found.append(child)
        if child.dep_ == "nummod" and child.lemma_.lower() in heads:
            found.append(child)
        if node.lemma_.lower() in heads and child.dep_ == "prep" and child.lower_ == "of":
            found.extend(g for g in child.children if g.dep_ == "pobj")
    return found


def _misattached_object(verb: Token) -> Token | None:
    """A transitive verb with no object, followed at once by a noun the parser made the subject
    of a later verb ("seized assets ... called the largest action"): that noun is its object."""
    if any(c.dep_ in ("dobj", "nsubjpass", "auxpass") for c in verb.children):
        return None
    nxt = verb.doc[verb.i + 1] if verb.i + 1 < len(verb.doc) else None
    if nxt is not None and nxt.pos_ == "DET" and nxt.i + 1 < len(verb.doc):
        nxt = verb.doc[nxt.i + 1]
    if nxt is not None and nxt.pos_ == "NOUN" and nxt.dep_ == "nsubj" and nxt.head.i > nxt.i:
        return nxt
    return None


def _owners(acl: Token) -> Iterator[tuple[str, Token]]:
    """ "assets belonging to X", "a tanker owned by X": X is the owner ("poss" slot)."""
    for prep in acl.children:
        if prep.dep_ in ("prep", "agent"):
            yield from (("poss", g) for g in prep.children if g.dep_ == "pobj")


_NOT_OBJECT_DEPS = CLAUSE_DEPS | SUBJECT_DEPS | {"punct"}  # children object_side skips
_LEAF = "leaf"  # a modifier: yielded, not descended into


def _step(child: Token, via_obj: str | None) -> Iterator[tuple[str, Token, str | None]]:
    """(slot, token, what to descend with: "obj", the inherited mark, or _LEAF) for one child."""
    # "sent condolences to X": a prepositional dative is a preposition
    dep = "prep" if child.dep_ == "dative" and child.pos_ == "ADP" else child.dep_
    if dep in ("dobj", "iobj", "attr", "dative", "oprd"):
        yield {"dobj": "dobj", "oprd": "dobj", "dative": "iobj"}.get(dep, dep), child, "obj"
    elif dep == "prep":
        for pobj in child.children:
            if pobj.dep_ in ("pobj", "pcomp"):
                # "by threatening Israel": a gerund clause has its own objects
                below = _LEAF if pobj.pos_ in ("VERB", "AUX") else via_obj
                yield (f"obj:{child.lower_}" if via_obj else child.lower_), pobj, below
    elif dep in ("compound", "amod", "poss", "nmod", "npadvmod") and via_obj:
        yield ("poss" if dep == "poss" else "mod"), child, _LEAF


def object_side(verb: Token, engine: EngineSettings) -> Iterator[tuple[str, Token]]:
    """(slot, token) pairs below a verb, breadth first, without entering other clauses.

    Slots: "dobj", "iobj", "attr", a preposition ("with", "to"...), "obj:<prep>" for a
    preposition attached to the direct object, "poss" for an object's owner ("Iran's tanker",
    "assets belonging to X", with the engine's `owner_verbs`).
    """
    owner_verbs = engine.owner_verbs
    queue: list[tuple[Token, str | None]] = [(verb, None)]
    repaired = _misattached_object(verb)
    if repaired is not None:
        yield "dobj", repaired
        queue.append((repaired, "obj"))
    while queue:
        node, via_obj = queue.pop(0)
        for child in node.children:
            if via_obj is None and child.dep_ == "prep" and child.i < verb.i:
                continue  # a fronted adverbial ("For the summit, X supports ...") is no slot
            if via_obj and child.dep_ == "acl" and child.lemma_.lower() in owner_verbs:
                yield from _owners(child)
            elif child.dep_ == "pcomp" and child.pos_ in ("VERB", "AUX"):
                continue  # "by threatening Israel": a gerund clause has its own objects
            elif child.dep_ not in _NOT_OBJECT_DEPS:
                for slot, token, below in _step(child, via_obj):
                    yield slot, token
                    if below != _LEAF:
                        queue.append((token, below))


def purpose_objects(verb: Token, engine: EngineSettings) -> Iterator[tuple[str, Token]]:
    """("purpose", object) for the direct objects of an infinitival purpose clause on the verb
    whose verb serves someone (engine.yaml `beneficiary_verbs`): "sent advisers to support
    Assad" gives Assad, whom the sending is for; "sent jets to fight Isis" gives nothing."""
    serving = engine.beneficiary_verbs
    for clause in verb.children:
        if clause.dep_ in ("advcl", "xcomp") and clause.lemma_.lower() in serving and any(
            c.dep_ == "aux" and c.lower_ == "to" for c in clause.children
        ):
            yield from (("purpose", c) for c in clause.children if c.dep_ == "dobj")


def target_side(verb: Token, engine: EngineSettings) -> Iterator[tuple[str, Token]]:
    """Every (slot, token) a verb pattern's target may come from: `object_side`, then
    `purpose_objects`."""
    yield from object_side(verb, engine)
    yield from purpose_objects(verb, engine)


def own_clause(node: Token) -> list[Token]:
    """The node's subtree without the clauses, appositions and punctuation nested in it."""
    words, stack = [], [node]
    while stack:
        token = stack.pop()
        words.append(token)
        stack.extend(
            c for c in token.children
            if c.dep_ not in CLAUSE_DEPS and c.dep_ not in ("appos", "punct")
        )
    return sorted(words, key=lambda t: t.i)


def governing_chain(verb: Token, limit: int = 4) -> list[Token]:
    """The verb and the verbs above it through xcomp/ccomp/conj links (nearest first)."""
    chain = [verb]
    node = verb
    for _ in range(limit):
        if node.dep_ not in ("xcomp", "ccomp", "conj", "advcl", "acomp") or node.head.i == node.i:
            break
        node = node.head
        chain.append(node)
    return chain


def complement_chain(
    verb: Token, deps: frozenset[str] = XCOMP_DEPS, limit: int = 4
) -> list[Token]:
    """The verb and the verbs below it, each the first child of the one before through one of
    `deps` ("failed to reach", "is willing to send"), at most `limit` long (nearest first)."""
    chain: list[Token] = []
    node: Token | None = verb
    while node is not None and len(chain) < limit:
        chain.append(node)
        node = next((c for c in node.children if c.dep_ in deps), None)
    return chain


def in_condition(verb: Token) -> bool:
    """True inside an "if"/"unless" clause or a question: a hypothetical, not an event."""
    for node in governing_chain(verb):
        if any(c.dep_ == "mark" and c.lower_ in ("if", "unless", "whether") for c in node.children):
            return True
        if node.pos_ == "ADJ" and any(c.lower_ == "too" for c in node.children):
            return True  # "too weak to defeat Isis"
    return verb.sent.text.rstrip().endswith("?")
