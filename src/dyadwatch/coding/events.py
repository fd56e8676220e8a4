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

from collections.abc import Callable, Iterable, Sequence
from dataclasses import replace

from spacy.tokens import Span, Token

from dyadwatch.coding import syntax
from dyadwatch.coding.engine_data import EngineSettings
from dyadwatch.coding.event_parts import (
    DIRECTED_WRAPPERS,
    FUTURE_AUX,
    CodedEvent,
    SentenceContext,
    Wrap,
    act_modality,
    actors_of,
    has_aux,
    is_negated,
    negated_above,
    pairs,
    targets_in,
    term_matches,
)
from dyadwatch.coding.guards import is_unreal
from dyadwatch.coding.nominal import code_noun
from dyadwatch.coding.patterns import PatternSet, Slot, VerbPattern
from dyadwatch.coding.reported import is_refusal, speaker_sources
from dyadwatch.coding.statements import code_statement
from dyadwatch.records import Actor

__all__ = ["CodedEvent", "SentenceContext", "code_sentence", "select_pattern"]


def code_sentence(sent: Span, ctx: SentenceContext) -> list[CodedEvent]:
    """All events in a parsed sentence, one per (source, target, root), best confidence kept."""
    found: list[CodedEvent] = []
    for token in sent:
        if token.pos_ in ("VERB", "AUX") or token.tag_.startswith("VB"):
            found.extend(_code_verb(token, ctx))
        elif token.pos_ in ("NOUN", "PROPN"):
            found.extend(code_noun(token, ctx))
    found.extend(_inherited(sent, found, ctx))
    said = [e for token in sent for e in code_statement(token, ctx)]
    if not found:
        found = said
    else:  # a demand, refusal or accusation said beside another event is one more event
        used = {e.trigger for e in found} | {e.wrapper for e in found}
        found += [e for e in said if e.code != ctx.engine.statement_code and e.trigger not in used]
    best: dict[tuple[str, str, str], CodedEvent] = {}
    for event in found:
        key = (event.source.key, event.target.key, event.code[:2])
        if key not in best or event.confidence > best[key].confidence:
            best[key] = event
    return sorted(best.values(), key=lambda e: (e.trigger, e.source.key, e.target.key))


# --- patterns ------------------------------------------------------------------------------


def _object_tokens(token: Token, engine: EngineSettings) -> list[Token]:
    """Nouns that can realise a pattern's objects: objects, prepositional objects, the passive
    subject, and the noun a participle modifies ("the embargo imposed in 2021")."""
    found = [t for _, t in syntax.object_side(token, engine)]
    subject = syntax.passive_subject(token)
    if subject is not None:
        found.append(subject)
    if token.dep_ in ("acl", "relcl") and token.head.pos_ in ("NOUN", "PROPN"):
        found.append(token.head)
    return [counted for node in found for counted in syntax.through_quantity(node, engine)]


def _via(verb: Token, nouns: Sequence[Token], preps: Sequence[str]) -> list[Token]:
    """The nouns found under one of `preps` attached to the verb itself (a gerund counts when
    it is the preposition's object, "in capacity building"; not "by arming the rebels")."""
    spans = [(c.left_edge.i, c.right_edge.i) for c in verb.children
             if c.dep_ == "prep" and c.lower_ in preps]
    return [n for n in nouns if (n.pos_ in ("NOUN", "PROPN") or n.dep_ == "pobj")
            and any(lo <= n.i <= hi for lo, hi in spans)]


def select_pattern(
    token: Token, candidates: Sequence[VerbPattern], engine: EngineSettings
) -> VerbPattern | None:
    """The most specific pattern whose object term is present, else a bare-verb pattern."""
    if not candidates:
        return None  # most verbs have no pattern: no need to look for their objects
    nouns = _object_tokens(token, engine)
    heads = {n.i: (n.lemma_.lower(), n.lower_) for n in nouns}  # a term's head must be one
    best: tuple[int, VerbPattern] | None = None
    for pattern in candidates:
        found = _via(token, nouns, pattern.object_via) if pattern.object_via else nouns
        score = max(
            (t.specificity for t in pattern.objects
             if any(t.head in heads[n.i] and term_matches(t, n) for n in found)),
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


def _wrapping(token: Token, ctx: SentenceContext) -> Wrap | None:
    """The verb wrapping this one: "agreed to <resume>", "accused X of <attacking>", or a
    speech verb over a future ("announced the US would <provide>"). A verb joined to the
    wrapped one shares its wrapper ("decided to end the policy and <withdraw>")."""
    while token.dep_ == "conj" and token.head.i != token.i and token.head.pos_ in ("VERB", "AUX"):
        token = token.head
    head = token.head
    if token.dep_ == "pcomp" and head.dep_ == "prep" and head.lower_ in ("of", "for"):
        head = head.head
    elif token.dep_ not in ("xcomp", "ccomp") or head.i == token.i:
        return None
    wrapper = ctx.patterns.wrappers_by_lemma.get(head.lemma_.lower())
    if wrapper is not None:
        return Wrap(head, wrapper.kind)
    speech = head.lemma_.lower() in ctx.engine.speech_verbs
    if speech and token.dep_ == "ccomp" and has_aux(token, FUTURE_AUX):
        return Wrap(head, "intent")
    return None


def _wraps_coded_event(token: Token, patterns: PatternSet, engine: EngineSettings) -> bool:
    if token.lemma_.lower() not in patterns.wrappers_by_lemma:
        return False
    inner = [c for c in token.children if c.dep_ in ("xcomp", "ccomp")]
    inner += [
        g for c in token.children if c.dep_ == "prep" for g in c.children if g.dep_ == "pcomp"
    ]
    return any(select_pattern(c, _verb_patterns(c, patterns), engine) for c in inner)


def _is_topic(token: Token, ctx: SentenceContext) -> bool:
    """ "discussed strengthening ties", "talked about resuming exercises": a clause under a verb
    of talks is their topic, not an event (engine.yaml topic_verbs)."""
    node = token
    while node.dep_ == "conj" and node.head.i != node.i:
        node = node.head
    head = node.head
    if node.dep_ == "pcomp" and head.dep_ == "prep" and head.lower_ in ctx.engine.topic_preps:
        head = head.head
    elif node.dep_ not in ("xcomp", "ccomp") or head.i == node.i:
        return False
    return head.lemma_.lower() in ctx.engine.topic_verbs


def _inherited(sent: Span, found: list[CodedEvent], ctx: SentenceContext) -> list[CodedEvent]:
    """ "lifted the embargo imposed in 2021": a participle naming a measure on the object of an
    event that undoes it is an event between the same two sides (engine.yaml)."""
    by_trigger = {e.trigger: e for e in found}
    inherited = []
    for token in sent:
        if token.dep_ != "acl" or token.tag_ != "VBN" or syntax.passive_agent(token):
            continue
        pattern = select_pattern(token, _verb_patterns(token, ctx.patterns), ctx.engine)
        noun = token.head
        governor = noun.head.head if noun.dep_ == "pobj" else noun.head
        main = by_trigger.get(governor.i) if noun.dep_ in ("dobj", "pobj") else None
        if pattern is None or main is None:
            continue
        main_root = main.pattern.rsplit(":", 1)[-1][:2]
        if pattern.code[:2] in ctx.engine.participle_inherits.get(main_root, frozenset()):
            inherited.append(replace(
                main, code=pattern.code, modality="occurred", negated=False,
                confidence=min(0.5, main.confidence),  # its sides are the main event's
                pattern=f"participle:{token.lemma_.lower()}:{pattern.code}", trigger=token.i,
                wrapper=None,
            ))
    return inherited


# --- verbs -------------------------------------------------------------------------------


def _code_verb(token: Token, ctx: SentenceContext) -> list[CodedEvent]:
    patterns = ctx.patterns
    if _wraps_coded_event(token, patterns, ctx.engine):
        return []
    pattern = select_pattern(token, _verb_patterns(token, patterns), ctx.engine)
    if pattern is None or syntax.in_condition(token) or _is_topic(token, ctx):
        return []
    wrap = _wrapping(token, ctx)
    code = pattern.code
    anchor = wrap.token if wrap is not None else token
    if _hypothetical(anchor, ctx) or is_unreal(token, ctx.engine):
        return []
    if wrap is not None:
        code = patterns.wrapper_codes(wrap.kind, code) or code
    sources, targets, confidence = _verb_roles(token, pattern, code, wrap, ctx)
    modality = act_modality(anchor, patterns, ctx.engine)  # "sent troops to fight X": occurred
    negated = is_negated(token, patterns) or negated_above(anchor, patterns) or (
        wrap is not None and is_negated(wrap.token, patterns))
    if _between_officials(token, sources, targets, ctx):
        code = ctx.engine.official_clash_code  # "the ambassador clashed with the president"
    if (wrap is None or wrap.kind == "intent") and is_refusal(token, pattern.code, ctx):
        code = patterns.wrapper_codes("reject", pattern.code) or code  # "will not send aid"
        modality, negated = "occurred", False
    label = f"verb:{token.lemma_.lower()}:{pattern.code}"
    return pairs(sources, targets, code, modality, negated, confidence, label, token, wrap)


def _between_officials(
    verb: Token, sources: list[Actor], targets: list[Actor], ctx: SentenceContext
) -> bool:
    """ "The UK ambassador clashed with Trump": a clash between office holders (engine.yaml
    official_clash_verbs, official_roles) is a dispute in words, not a fight."""
    actors = [*sources, *targets]
    return (verb.lemma_.lower() in ctx.engine.official_clash_verbs and bool(actors)
            and all(a.role in ctx.engine.official_roles for a in actors))


def _hypothetical(verb: Token, ctx: SentenceContext) -> bool:
    """ "X would attack Y", "X could ask Y to withdraw": a clause with a hypothetical auxiliary
    (engine.yaml) is no event, unless a speech verb reports it ("said X would attack Y": the
    wrapper of a speech verb over a future, coded as an intent)."""
    holder = verb.head if verb.dep_ == "acomp" else verb  # "must be ready to mediate"
    if not has_aux(holder, ctx.engine.hypothetical_aux):
        return False
    reported = _wrapping(verb, ctx)
    return reported is None


def _verb_roles(
    token: Token, pattern: VerbPattern, code: str, wrap: Wrap | None, ctx: SentenceContext
) -> tuple[list[Actor], list[Actor], float]:
    directed = wrap is not None and wrap.kind in DIRECTED_WRAPPERS
    if syntax.is_passive(token):
        sources = actors_of(syntax.passive_agent(token), ctx)
        subject = syntax.passive_subject(token)
        owner = _owner(subject, ctx) if not sources else None
        if owner is not None and pattern.code[:2] in ctx.engine.owner_source_roots:
            sources, targets = [owner], []  # "US military assistance was suspended"
        else:
            targets = actors_of(subject, ctx) or targets_in(token, pattern.target, ctx)
    else:
        holder = wrap.token if directed and wrap is not None else token
        sources = actors_of(syntax.subject_of(holder), ctx) or speaker_sources(holder, ctx)
        targets = targets_in(token, pattern.target, ctx)
        if directed and wrap is not None:
            slots = ctx.patterns.wrappers_by_lemma[wrap.token.lemma_.lower()].target
            targets = targets_in(wrap.token, slots, ctx) or targets
    confidence = 0.8 if pattern.objects else 0.7
    if not sources:
        return _group_subject(token, code, targets, ctx)
    if not targets:
        targets, confidence = _implicit_targets(token, pattern, code, sources, ctx)
    return sources, targets, confidence


def _owner(noun: Token | None, ctx: SentenceContext) -> Actor | None:
    """The country a noun belongs to by its modifier ("US military assistance" -> USA)."""
    if noun is None or noun.pos_ != "NOUN":
        return None
    for child in noun.lefts:
        if child.dep_ in ("compound", "amod", "nmod", "poss") and child.pos_ in ("PROPN", "ADJ"):
            actor = ctx.resolve(syntax.noun_phrase(child))
            if actor is not None and actor.country:
                return actor
    return None


def _other_side(country: str | None, ctx: SentenceContext) -> str | None:
    if ctx.dyad is None or country not in ctx.dyad or ctx.dyad[0] == ctx.dyad[1]:
        return None
    return ctx.dyad[1] if country == ctx.dyad[0] else ctx.dyad[0]


def _implicit_targets(
    token: Token, pattern: VerbPattern, code: str, sources: list[Actor], ctx: SentenceContext
) -> tuple[list[Actor], float]:
    if _unresolved_target(token, pattern, ctx.engine):
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
    named = _named_in_sentence(token, other, ctx)
    return [named or Actor(code=other, country=other, role=None, text="", name=None)], 0.4


def _named_in_sentence(token: Token, country: str, ctx: SentenceContext) -> Actor | None:
    """The sentence's own mention of the implied side's country, so that the event keeps its
    words ("sent vehicles and a team of paratroopers to X", where the parse hides X's slot):
    the country's name; else a phrase of its people or organs ("a ban imposed on Chadian
    citizens": TCDCVL), not one that a purpose clause acts on ("sent jets to fight X's
    rebels": whom the jets fight, not whom they were sent to)."""
    named = _first_named(token.sent, ("PROPN",), lambda actor: actor.code == country, ctx)
    if named is not None:
        return named
    purposes = {c.i for c in token.children if c.dep_ in ("advcl", "xcomp")}
    words = (w for w in token.sent
             if w.i not in purposes and not any(a.i in purposes for a in w.ancestors))
    return _first_named(words, ("PROPN", "NOUN"), lambda actor: actor.country == country, ctx)


def _first_named(
    words: Iterable[Token], pos: tuple[str, ...], accept: Callable[[Actor], bool],
    ctx: SentenceContext,
) -> Actor | None:
    """The first actor that the noun phrase of one of `words` (parts of speech `pos`, not a
    compound: its phrase's head is read instead) resolves to and `accept` takes."""
    for word in words:
        if word.pos_ not in pos or word.dep_ == "compound":
            continue
        actor = ctx.resolve(syntax.noun_phrase(word))
        if actor is not None and accept(actor):
            return actor
    return None


def _unresolved_target(token: Token, pattern: VerbPattern, engine: EngineSettings) -> bool:
    """Does a target slot hold a noun (other than the pattern's own object) that named no actor?
    Then the target is someone or something we cannot code, and nothing is invented."""
    wanted = {str(slot) for slot in pattern.target}
    for slot, node in syntax.target_side(token, engine):
        if slot not in wanted or node.pos_ not in ("NOUN", "PROPN", "PRON"):
            continue
        if _below_another_verb(node, token):
            continue  # an object repaired from a later verb's subject ("help both countries
            # combat scams"): the group rule, not this check, reads it
        if not any(term_matches(term, node) for term in pattern.objects):
            return True
    return False


def _below_another_verb(node: Token, verb: Token) -> bool:
    """Is a verb other than `verb` between `node` and `verb` in the tree?"""
    step = node.head
    while step.i != verb.i and step.head.i != step.i:
        if step.pos_ in ("VERB", "AUX"):
            return True
        step = step.head
    return False


def _later_actor(token: Token, source: Actor, ctx: SentenceContext) -> Actor | None:
    """The first actor of another country named after the trigger in its own clause."""
    later = (word for word in syntax.own_clause(token) if word.i > token.i)
    return _first_named(later, ("PROPN", "NOUN"),
                        lambda actor: bool(actor.country) and actor.country != source.country, ctx)


def _group_actor(phrase: str, country: str, ctx: SentenceContext) -> Actor:
    low = phrase.lower()
    if any(w in low for w in ctx.engine.group_military_words):
        role: str | None = "MIL"
    else:
        role = None if any(w in low for w in ctx.engine.group_country_words) else "GOV"
    return Actor(code=country + (role or ""), country=country, role=role, text=phrase)


def _group_target(
    token: Token, slots: Sequence[Slot], source: Actor, ctx: SentenceContext
) -> Actor | None:
    """ "... cooperation between the two countries": the other side of the nearest dyad."""
    other = _other_side(source.country, ctx)
    if other is None:
        return None
    for _, node in syntax.object_side(token, ctx.engine):
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


