"""The event engine: who did what to whom in one parsed sentence, by verb and noun patterns.

The cascade, for each trigger (a verb or noun whose lemma has patterns):
1. pick the most specific pattern (one whose object term is present beats a bare verb);
2. skip hypotheticals ("if ...", questions, "would/could/might" outside a speech verb);
3. a wrapper above it transforms the code: "agreed to" (intent), "threatened to", "urged X
   to", "refused to", "accused X of"; a speech verb with "will/would" below it ("announced the
   US would provide aid") is an expressed intent too;
4. source = the subject (passive: the `by` agent); target = the first actor in the pattern's
   slots; conjunctions give one event per actor;
5. no target found: two conjoined subjects act on each other ("X and Y signed a pact"); "the
   two sides" is the nearest dyad; for roots whose object implies a recipient ("lifted the
   embargo") the first actor of another country later in the sentence, then the other side of
   the nearest dyad, with low confidence;
6. modality and negation from the verb and the verbs governing it.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

from spacy.tokens import Span, Token

from dyadwatch.coding import syntax
from dyadwatch.coding.engine_data import EngineSettings
from dyadwatch.coding.patterns import NounPattern, PatternSet, Slot, Term, VerbPattern
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
    """What the engine needs besides the parse: patterns, settings, actor resolution, and the
    nearest dyad (the last two countries named together, else the document's main pair)."""

    patterns: PatternSet
    engine: EngineSettings
    resolve: Resolve
    dyad: tuple[str, str] | None = None


@dataclass(frozen=True, slots=True)
class _Wrap:
    token: Token
    kind: str


def code_sentence(sent: Span, ctx: SentenceContext) -> list[CodedEvent]:
    """All events in a parsed sentence, one per (source, target, root), best confidence kept."""
    found: list[CodedEvent] = []
    for token in sent:
        if token.pos_ in ("VERB", "AUX") or token.tag_.startswith("VB"):
            found.extend(_code_verb(token, ctx))
        elif token.pos_ in ("NOUN", "PROPN"):
            found.extend(_code_noun(token, ctx))
    if not found:
        found = [e for token in sent for e in _statement(token, ctx)]
    best: dict[tuple[str, str, str], CodedEvent] = {}
    for event in found:
        key = (event.source.code, event.target.code, event.code[:2])
        if key not in best or event.confidence > best[key].confidence:
            best[key] = event
    return sorted(best.values(), key=lambda e: (e.trigger, e.source.code, e.target.code))


# --- patterns ------------------------------------------------------------------------------


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


def _object_tokens(token: Token) -> list[Token]:
    """Nouns that can realise a pattern's objects: objects, prepositional objects, the passive
    subject, and the noun a participle modifies ("the embargo imposed in 2021")."""
    found = [t for _, t in syntax.object_side(token)]
    subject = syntax.passive_subject(token)
    if subject is not None:
        found.append(subject)
    if token.dep_ in ("acl", "relcl") and token.head.pos_ in ("NOUN", "PROPN"):
        found.append(token.head)
    return [counted for node in found for counted in syntax.through_quantity(node)]


def select_pattern(token: Token, candidates: Sequence[VerbPattern]) -> VerbPattern | None:
    """The most specific pattern whose object term is present, else a bare-verb pattern."""
    nouns = _object_tokens(token)
    best: tuple[int, VerbPattern] | None = None
    for pattern in candidates:
        score = max(
            (t.specificity for t in pattern.objects if any(term_matches(t, n) for n in nouns)),
            default=0,
        )
        if score and (best is None or score > best[0]):
            best = (score, pattern)
    if best is not None:
        return best[1]
    return next((p for p in candidates if not p.objects), None)


def _verb_patterns(token: Token, patterns: PatternSet) -> Sequence[VerbPattern]:
    lemma = token.lemma_.lower()
    particle = next((c.lower_ for c in token.children if c.dep_ == "prt"), None)
    if particle and f"{lemma} {particle}" in patterns.verbs_by_lemma:
        return patterns.verbs_by_lemma[f"{lemma} {particle}"]
    return patterns.verbs_by_lemma.get(lemma, ())


def _has_aux(token: Token, words: frozenset[str]) -> bool:
    return any(c.dep_ in ("aux", "auxpass") and c.lower_ in words for c in token.children)


def _wrapping(token: Token, ctx: SentenceContext) -> _Wrap | None:
    """The verb wrapping this one: "agreed to <resume>", "accused X of <attacking>", or a
    speech verb over a future ("announced the US would <provide>")."""
    head = token.head
    if token.dep_ == "pcomp" and head.dep_ == "prep" and head.lower_ in ("of", "for"):
        head = head.head
    elif token.dep_ not in ("xcomp", "ccomp") or head is token:
        return None
    wrapper = ctx.patterns.wrappers_by_lemma.get(head.lemma_.lower())
    if wrapper is not None:
        return _Wrap(head, wrapper.kind)
    speech = head.lemma_.lower() in ctx.engine.speech_verbs
    if speech and token.dep_ == "ccomp" and _has_aux(token, FUTURE_AUX):
        return _Wrap(head, "intent")
    return None


def _wraps_coded_event(token: Token, patterns: PatternSet) -> bool:
    if token.lemma_.lower() not in patterns.wrappers_by_lemma:
        return False
    inner = [c for c in token.children if c.dep_ in ("xcomp", "ccomp")]
    inner += [
        g for c in token.children if c.dep_ == "prep" for g in c.children if g.dep_ == "pcomp"
    ]
    return any(select_pattern(c, _verb_patterns(c, patterns)) for c in inner)


# --- verbs -------------------------------------------------------------------------------


def _code_verb(token: Token, ctx: SentenceContext) -> list[CodedEvent]:
    patterns = ctx.patterns
    if _wraps_coded_event(token, patterns):
        return []
    pattern = select_pattern(token, _verb_patterns(token, patterns))
    if pattern is None or syntax.in_condition(token):
        return []
    wrap = _wrapping(token, ctx)
    code = pattern.code
    if wrap is not None:
        code = patterns.wrapper_codes(wrap.kind, code) or code
    elif _has_aux(token, ctx.engine.hypothetical_aux):
        return []
    sources, targets, confidence = _verb_roles(token, pattern, code, wrap, ctx)
    anchor = wrap.token if wrap is not None else token
    modality = _modality(anchor, patterns)
    negated = _negated(token, patterns) or (wrap is not None and _negated(wrap.token, patterns))
    label = f"verb:{token.lemma_.lower()}:{pattern.code}"
    return _pairs(sources, targets, code, modality, negated, confidence, label, token, wrap)


def _verb_roles(
    token: Token, pattern: VerbPattern, code: str, wrap: _Wrap | None, ctx: SentenceContext
) -> tuple[list[Actor], list[Actor], float]:
    directed = wrap is not None and wrap.kind in DIRECTED_WRAPPERS
    if syntax.is_passive(token):
        sources = _actors(syntax.passive_agent(token), ctx)
        subject = syntax.passive_subject(token)
        targets = _actors(subject, ctx) or _targets(token, pattern.target, ctx)
    else:
        holder = wrap.token if directed and wrap is not None else token
        sources = _actors(syntax.subject_of(holder), ctx)
        targets = _targets(token, pattern.target, ctx)
        if directed and wrap is not None:
            slots = ctx.patterns.wrappers_by_lemma[wrap.token.lemma_.lower()].target
            targets = _targets(wrap.token, slots, ctx) or targets
    confidence = 0.8 if pattern.objects else 0.7
    if not sources:
        return _group_subject(token, code, targets, ctx)
    if not targets:
        targets, confidence = _implicit_targets(token, pattern, code, sources, ctx)
    return sources, targets, confidence


def _other_side(country: str | None, ctx: SentenceContext) -> str | None:
    if ctx.dyad is None or country not in ctx.dyad or ctx.dyad[0] == ctx.dyad[1]:
        return None
    return ctx.dyad[1] if country == ctx.dyad[0] else ctx.dyad[0]


def _implicit_targets(
    token: Token, pattern: VerbPattern, code: str, sources: list[Actor], ctx: SentenceContext
) -> tuple[list[Actor], float]:
    if _unresolved_target(token, pattern):
        return [], 0.0  # the target slot names something that is not an actor
    if len(sources) >= 2:  # "X and Y signed an agreement": they act on each other
        joint = code[:2] in ctx.engine.reciprocal_roots
        return ([sources[1]], 0.6) if joint else ([], 0.0)
    group = _group_target(token, pattern.target, sources[0], ctx)
    if group is not None:
        return [group], 0.6
    if not pattern.objects or code[:2] not in ctx.engine.implicit_target_roots:
        return [], 0.0
    later = _later_actor(token, sources[0], ctx)
    if later is not None:
        return [later], 0.5
    other = _other_side(sources[0].country, ctx)
    if other is None:
        return [], 0.0
    return [Actor(code=other, country=other, role=None, text="", name=None)], 0.4


def _unresolved_target(token: Token, pattern: VerbPattern) -> bool:
    """Does a target slot hold a noun (other than the pattern's own object) that named no actor?
    Then the target is someone or something we cannot code, and nothing is invented."""
    wanted = {str(slot) for slot in pattern.target}
    for slot, node in syntax.object_side(token):
        if slot not in wanted or node.pos_ not in ("NOUN", "PROPN", "PRON"):
            continue
        if not any(term_matches(term, node) for term in pattern.objects):
            return True
    return False


def _later_actor(token: Token, source: Actor, ctx: SentenceContext) -> Actor | None:
    """The first actor of another country named after the trigger in its own clause."""
    for later in syntax.own_clause(token):
        if later.i <= token.i or later.pos_ not in ("PROPN", "NOUN") or later.dep_ == "compound":
            continue
        actor = ctx.resolve(syntax.noun_phrase(later))
        if actor is not None and actor.country and actor.country != source.country:
            return actor
    return None


def _group_actor(phrase: str, country: str, ctx: SentenceContext) -> Actor:
    military = any(w in phrase.lower() for w in ("defence", "defense", "military", "armies",
                                                   "navies"))
    role = "MIL" if military else ("GOV" if "countries" not in phrase.lower() else None)
    return Actor(code=country + (role or ""), country=country, role=role, text=phrase)


def _group_target(
    token: Token, slots: Sequence[Slot], source: Actor, ctx: SentenceContext
) -> Actor | None:
    """ "... cooperation between the two countries": the other side of the nearest dyad."""
    other = _other_side(source.country, ctx)
    if other is None:
        return None
    for _, node in syntax.object_side(token):
        phrase = syntax.noun_phrase(node).text
        if ctx.engine.group_phrase.search(phrase):
            return _group_actor(phrase, other, ctx)
    return None


def _group_subject(
    token: Token, code: str, targets: list[Actor], ctx: SentenceContext
) -> tuple[list[Actor], list[Actor], float]:
    """ "The two defence ministers agreed ...": the nearest dyad, acting together."""
    subject = syntax.subject_of(token)
    if subject is None or ctx.dyad is None or targets or code[:2] > ctx.engine.group_max_root:
        return [], [], 0.0
    phrase = syntax.noun_phrase(subject).text
    if not ctx.engine.group_phrase.search(phrase):
        return [], [], 0.0
    a, b = (_group_actor(phrase, c, ctx) for c in ctx.dyad)
    return [a], [b], 0.6


def _statement(token: Token, ctx: SentenceContext) -> list[CodedEvent]:
    """ "Ecuador's president remarked that Peru remained a reliable neighbour": a statement by
    an actor about another actor, when nothing else in the sentence was coded."""
    if token.pos_ != "VERB" or token.lemma_.lower() not in ctx.engine.statement_verbs:
        return []
    if syntax.in_condition(token) or _has_aux(token, ctx.engine.hypothetical_aux):
        return []
    subject = syntax.subject_of(token)
    sources = _actors(subject, ctx)
    if not sources:
        return []
    for word in _said(token):
        if word.pos_ not in ("PROPN", "NOUN") or word.dep_ == "compound":
            continue
        actor = ctx.resolve(syntax.noun_phrase(word))
        if actor is not None and actor.country and actor.country != sources[0].country:
            modality, negated = _modality(token, ctx.patterns), _negated(token, ctx.patterns)
            label = f"statement:{token.lemma_.lower()}"
            code = ctx.engine.statement_code
            return _pairs(sources[:1], [actor], code, modality, negated, 0.3, label, token, None)
    return []


def _said(token: Token) -> list[Token]:
    """What a speech verb says or is about: its complement, object, and "about/of/on" phrases
    (not the venue or time: "during a visit to Jerusalem, X said ...")."""
    words: list[Token] = []
    for child in token.children:
        content = child.dep_ in ("ccomp", "dobj", "xcomp", "dative", "iobj", "parataxis")
        topic = child.dep_ == "prep" and child.lower_ in ("about", "of", "on", "to", "with")
        if content or topic:
            words.extend(child.subtree)
    return words


# --- nouns -------------------------------------------------------------------------------


def _noun_pattern(token: Token, ctx: SentenceContext) -> NounPattern | None:
    best: tuple[int, NounPattern] | None = None
    for pattern in ctx.patterns.nouns_by_lemma.get(token.lemma_.lower(), ()):
        score = max((t.specificity for t in pattern.terms if term_matches(t, token)), default=0)
        if score and (best is None or score > best[0]):
            best = (score, pattern)
    return best[1] if best else None


def _governor(token: Token) -> Token:
    object_like = token.dep_ in ("dobj", "pobj", "nsubj", "nsubjpass", "attr")
    governor = token.head if object_like else token
    while governor.pos_ == "ADP" and governor.head is not governor:
        governor = governor.head
    return governor


def _code_noun(token: Token, ctx: SentenceContext) -> list[CodedEvent]:
    if token.dep_ in ("compound", "amod"):
        return []
    pattern = _noun_pattern(token, ctx)
    if pattern is None:
        return []
    sources, targets = _noun_roles(token, pattern, ctx)
    governor = _governor(token)
    if governor is not token and governor.pos_ in ("VERB", "AUX") and (
        syntax.in_condition(governor) or _has_aux(governor, ctx.engine.hypothetical_aux)
    ):
        return []
    modality = _modality(governor, ctx.patterns) if governor is not token else "occurred"
    negated = governor is not token and _negated(governor, ctx.patterns)
    label = f"noun:{token.lemma_.lower()}:{pattern.code}"
    return _pairs(sources, targets, pattern.code, modality, negated, 0.6, label, token, None)


def _noun_roles(
    token: Token, pattern: NounPattern, ctx: SentenceContext
) -> tuple[list[Actor], list[Actor]]:
    """Source and target of a nominal event; "talks between X and Y" gives both at once."""
    sources = _noun_slots(token, pattern.source, ctx)
    targets = _noun_slots(token, pattern.target, ctx)
    between = any(slot.prep == "between" for slot in pattern.source)
    if len(sources) >= 2 and not targets and (
        between or pattern.code[:2] in ctx.engine.reciprocal_roots
    ):
        return sources[:1], sources[1:2]  # "talks between X and Y", "Russian-Turkish talks"
    return sources, [t for t in targets if t not in sources]


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
        actors = [a for h in heads for a in _actors(h, ctx)]
        if actors:
            return actors
    return []


# --- shared ------------------------------------------------------------------------------


def _actors(head: Token | None, ctx: SentenceContext) -> list[Actor]:
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


def _targets(token: Token, slots: Sequence[Slot], ctx: SentenceContext) -> list[Actor]:
    """Actors in the first of the pattern's slots that holds any."""
    by_slot: dict[str, list[Token]] = {}
    for slot, node in syntax.object_side(token):
        by_slot.setdefault(slot, []).append(node)
    for slot in slots:
        actors = [a for node in by_slot.get(str(slot), ()) for a in _actors(node, ctx)]
        if actors:
            return actors
    return []


def _modality(token: Token, patterns: PatternSet) -> str:
    """occurred / planned / expected / intended / reported, from the verb and those above it."""
    for node in syntax.governing_chain(token):
        aux = {c.lower_ for c in node.children if c.dep_ in ("aux", "auxpass")}
        if aux & {"will", "'ll", "shall"}:
            return "planned"
        for modality, cues in patterns.modality_cues.items():
            if node is not token and node.lemma_.lower() in cues:
                return modality
            if any(c.lower_ in cues for c in node.children if c.dep_ == "advmod"):
                return modality
    if token.dep_ == "advcl" and any(c.dep_ == "aux" and c.lower_ == "to" for c in token.children):
        return "intended"
    if "according to" in token.sent.text.lower():
        return "reported"
    return "occurred"


def _negated(token: Token, patterns: PatternSet) -> bool:
    return any(
        c.dep_ == "neg" or (c.dep_ == "advmod" and c.lower_ in patterns.negation_cues)
        for c in token.children
    )


def _pairs(
    sources: list[Actor], targets: list[Actor], code: str, modality: str, negated: bool,
    confidence: float, label: str, trigger: Token, wrap: _Wrap | None,
) -> list[CodedEvent]:
    events = []
    for source in sources:
        for target in targets:
            if source.code == target.code or (
                source.country and source.country == target.country and not target.role
            ):
                continue
            events.append(
                CodedEvent(
                    source=source, target=target, code=code, modality=modality, negated=negated,
                    confidence=confidence, pattern=label, trigger=trigger.i,
                    wrapper=wrap.token.i if wrap is not None else None,
                )
            )
    return events
