"""Model guards: may the learned model make an event of this predicate?

The classifier reads a class for a sentence and the argument finder proposes a predicate with
its sides; these checks keep only what the text asserts (`ModelGuards.asserted`): a verb (no
heading) whose act is not hypothetical or merely expected, no state or habit, no subject that
undergoes it or is better off, no ongoing effort, no town as either party, and no act on the
subject's own stance or things with no other actor. They also give a model event's modality
under a reported future (`ModelGuards.model_modality`: "said it would release them"), drop a
model's act whose source only reports it (`ModelGuards.reporter_as_doer`), and read a state's
own forces as no other party (`without_own_forces`). The clause-level guards shared with the
patterns are in `coding.guards`.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from spacy.tokens import Span, Token

from dyadwatch.coding import guards, syntax
from dyadwatch.coding.agents import AgentLexicon
from dyadwatch.coding.argument_actors import WORD_HOWS, ActorSpan
from dyadwatch.coding.arguments import Proposal
from dyadwatch.coding.engine_data import EngineSettings
from dyadwatch.coding.event_parts import act_modality, has_aux, modality_of
from dyadwatch.coding.events import CodedEvent
from dyadwatch.coding.locations import Locator
from dyadwatch.coding.patterns import PatternSet
from dyadwatch.records import Actor

PREDICATE_POS = frozenset({"VERB", "AUX"})  # a model event needs a verb: no headings
STATE_FORCES = frozenset({"MIL", "COP", "SPY"})
OWN_PRONOUNS = frozenset({"his", "her", "its", "their", "our", "my"})
REPORTED_FUTURE = frozenset({"would", "'d"})  # "said it would": the reported "will"
VERBAL_CLASSES = frozenset({"statement", "verbal_coop", "verbal_conflict"})


@dataclass(frozen=True, slots=True)
class ModelGuards:
    """The model-side predicate checks of `coder.SpacyCoder`, built from its engine settings,
    agent lexicon, pattern set and locator (whose gazetteer tells a town from a party), and
    the combine policy's `state_tags` (kept in step by the coder's `policy` setter)."""

    engine: EngineSettings
    agents: AgentLexicon
    patterns: PatternSet
    locator: Locator
    state_tags: frozenset[str]

    def reporter_as_doer(self, span: Span, event: CodedEvent) -> bool:
        """A model's material act at an agentless passive that someone reports ("medical
        groups said clinics were bombed"): the finder could only give the speaker as its
        source, and who reports an act has not done it. (The speaker stays the source of a
        statement, a verbal class.)"""
        label = event.pattern.removeprefix("model:")
        if not event.pattern.startswith("model:") or label in VERBAL_CLASSES:
            return False
        verb = span.doc[event.trigger]
        return (syntax.is_passive(verb) and syntax.passive_agent(verb) is None
                and verb.dep_ in ("ccomp", "parataxis")
                and verb.head.lemma_.lower() in self.agents.reporting_verbs)

    def asserted(self, span: Span, proposal: Proposal) -> bool:
        """May the model make an event of this predicate? Only of a verb (no heading) whose act
        the text asserts: not hypothetical or merely expected ("may prioritise"), no state or
        habit, no subject that undergoes it ("died") or is better off ("benefited from X's
        aid"), no ongoing effort ("is working to diversify"), no town as either party, and no
        act on the subject's own stance or things with no other actor ("has adopted a pragmatic
        approach", "announced his resignation", "introduced further elements"), nor on a stance
        whose only other actor is a participle's ("adopted an approach, seeking to balance its
        ties with X")."""
        verb = span[proposal.trigger]
        lemma = verb.lemma_.lower()
        if verb.pos_ not in PREDICATE_POS or self._hypothetical(verb) or self.state(verb):
            return False
        if lemma in self.engine.patient_verbs:
            return False  # "dozens died in air strikes": the subject is no doer
        if guards.better_off(verb, self.engine) or guards.in_effort(verb, self.engine):
            return False  # "gained growth from its ties with X", "is working to diversify"
        if modality_of(verb, self.patterns) == "expected":
            return False
        if proposal.joint and not joint_act(verb, self.agents.joint_verbs):
            return False  # "X and Y have backed them": backing whom is unknown, not each other
        target = proposal.target
        if target is not None and target.actor.role == "MED" and (
                lemma in self.engine.statement_verbs):
            return False  # "spoke to reporters": speaking through the press, not with it
        if target is not None and self._no_party(span[target.start:target.end], target):
            return False  # "used gas against rebel-held Douma": no party
        source = proposal.source
        if source is not None and self._a_place(span[source.start:source.end], source):
            return False  # "the Douma attack killed dozens": where, not who
        objects = [c for c in verb.children if c.dep_ == "dobj"]
        if target is None or target.how in WORD_HOWS:
            return not (any(self._own_thing(c) for c in objects)
                        or guards.own_economy(verb, self.engine))
        return not (any(c.lemma_.lower() in self.agents.attribute_nouns for c in objects)
                    and guards.in_adverbial(span[target.start:target.end].root, verb))

    def _no_party(self, words: Span, side: ActorSpan) -> bool:
        """An uncoded "name" that names no party: no proper noun in it ("the national
        museum"), or one the gazetteer knows as a place ("rebel-held Douma")."""
        if side.actor.code or side.how not in ("name", "ner"):
            return False
        names = [t.text for t in words if t.pos_ == "PROPN"]
        return not names or bool(self.locator.gazetteer.lookup(" ".join(names)))

    def _a_place(self, words: Span, side: ActorSpan) -> bool:
        """An uncoded name that only modifies an event noun ("the Douma attack"; not
        "Pittsburgh is considering", "a St. Louis attorney") and whose proper nouns the
        gazetteer knows as a place, or begin with one (a venue in a town: "the Leeds
        Stadium attack")."""
        if side.actor.code or side.how not in ("name", "ner") or not _modifier_only(words):
            return False
        if words.root.head.lemma_.lower() not in self.patterns.nouns_by_lemma:
            return False
        names = [t.text for t in words if t.pos_ == "PROPN"]
        lookup = self.locator.gazetteer.lookup
        return bool(names) and any(lookup(" ".join(names[:size])) for size in {len(names), 1})

    def _own_thing(self, noun: Token) -> bool:
        """What the subject has or is: a stance ("a pragmatic approach": attribute_nouns) or a
        thing of its own ("announced his resignation", "kept its rates unchanged")."""
        lemma = noun.lemma_.lower()
        if lemma in self.agents.attribute_nouns or lemma in self.engine.abstract_objects:
            return True
        return any(c.dep_ == "poss" and c.lower_ in OWN_PRONOUNS for c in noun.children)

    def _hypothetical(self, token: Token) -> bool:
        """A conditional, a question or a would/could clause: no event (as in the patterns),
        unless it is a reported future ("said it would allow")."""
        if syntax.in_condition(token):
            return True
        return has_aux(token, self.engine.hypothetical_aux) and not self.reported_future(token)

    def model_modality(self, label: str, token: Token) -> str:
        """A model event's modality; under a reported future ("said it would release them")
        the saying occurred when the class is a verbal one (a promise, a threat), and the act is
        planned when it is a material one."""
        if self.reported_future(token):
            return "occurred" if label in VERBAL_CLASSES else "planned"
        return act_modality(token, self.patterns, self.engine)  # as a pattern's event

    def reported_future(self, token: Token) -> bool:
        """ "X said it would release them": "would" under a speech verb, with a subject that
        points back to the speaker, is the reported "will" of what X announced, a plan, not a
        hypothesis ("X said the talks would fail" predicts what others do)."""
        subject = syntax.own_subject(token)
        return (has_aux(token, REPORTED_FUTURE) and token.dep_ in ("ccomp", "parataxis")
                and token.head.lemma_.lower() in self.engine.speech_verbs
                and subject is not None and subject.pos_ == "PRON")

    def state(self, token: Token) -> bool:
        """A predicate that describes a state or a habit, not an act: a stative verb ("remains
        its largest partner") or a simple present ("supports training", "focuses on"). A
        stative verb in the progressive ("is considering sending aid") or in a posture of
        readiness ("remained on alert") is an act, and "be" with an adjective of outlook ("said
        it is sceptical") a comment."""
        if token.tag_ in self.state_tags or any(
                c.dep_ == "advmod" and c.lower_ in self.engine.habit_adverbs
                for c in token.children):
            return True  # "officials typically support the premier": a habit
        if token.lemma_.lower() not in self.engine.stative_verbs:
            return False
        if token.tag_ == "VBG" and any(c.dep_ == "aux" and c.lemma_ == "be"
                                       for c in token.children):
            return False
        if any(g.dep_ == "pobj" and g.lemma_.lower() in self.agents.posture_nouns
               for c in token.children if c.dep_ == "prep" for g in c.children):
            return False  # "remained on alert": armed readiness
        return not any(c.dep_ == "acomp" and c.lemma_.lower() in self.engine.comment_adjectives
                       for c in token.children)

def joint_act(verb: Token, joint_verbs: frozenset[str]) -> bool:
    """A joint verb, or a verb whose xcomp chain reaches one ("failed to reach agreement")."""
    return any(node.lemma_.lower() in joint_verbs for node in syntax.complement_chain(verb))


def without_own_forces(span: Span, proposal: Proposal) -> Proposal:
    """ "Nepal mobilised the army": a state's own forces are no other party; the act stands
    with no target. A place or thing of the country is not its state ("Syrian towns
    surrendered to the Syrian army": the country only modifies the subject, and the army
    stays the target)."""
    source, target = proposal.source, proposal.target
    if source is None or target is None or not own_forces(source.actor, target.actor):
        return proposal
    if source.how in ("owned", "place") or _modifier_only(span[source.start:source.end]):
        return proposal
    return replace(proposal, target=None, joint=False)


def _modifier_only(words: Span) -> bool:
    """Words that only modify a noun outside them ("Syrian" in "Syrian towns")."""
    root = words.root
    return root.dep_ in ("amod", "compound", "nmod", "poss") and not (
        words.start <= root.head.i < words.end)


def own_forces(source: Actor, target: Actor) -> bool:
    """A state (or its government) and its own armed forces or police: one side, not two."""
    return bool(source.country) and source.country == target.country and (
        source.role in (None, "GOV") and target.role in STATE_FORCES)
