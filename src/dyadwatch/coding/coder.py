"""The default coder: cheap pre-filter, spaCy on candidate sentences, actors, events, dates.

Reads cleaned English Documents; returns each with its Extraction (events, quotes, figures,
people learned from context). Only sentences that can hold an event reach spaCy: those naming a
dictionary actor or a person learned earlier, or holding a role word with a pronoun. Quotes and
figures are read from all sentences with rules (no parse needed).
"""

from __future__ import annotations

import calendar
import logging
import re
from collections import Counter
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import replace

from spacy.language import Language
from spacy.tokens import Doc, Span, Token

from dyadwatch import CODER_VERSION
from dyadwatch.coding import syntax
from dyadwatch.coding.actor_resolver import ActorResolver
from dyadwatch.coding.actors import ActorDictionary, TextMention, load_actor_dictionary
from dyadwatch.coding.agents import AgentLexicon, load_agent_lexicon
from dyadwatch.coding.arguments import propose
from dyadwatch.coding.classifier import ClassScores, EventClassifier, predicate_lemma
from dyadwatch.coding.combine import CombinePolicy, Evidence, combine, load_combine_policy
from dyadwatch.coding.doc_dates import title_floor
from dyadwatch.coding.engine_data import EngineSettings, load_engine_settings
from dyadwatch.coding.event_parts import is_negated
from dyadwatch.coding.events import CodedEvent, SentenceContext, code_sentence, select_pattern
from dyadwatch.coding.labelled import penta_class
from dyadwatch.coding.locations import Locator
from dyadwatch.coding.model_guards import ModelGuards, without_own_forces
from dyadwatch.coding.nominal import governor_of, takes_part
from dyadwatch.coding.ontology import Ontology, load_ontology
from dyadwatch.coding.patterns import PatternSet, load_patterns
from dyadwatch.coding.prefilter import TriggerFilter, trigger_words
from dyadwatch.coding.reported import refusal_code
from dyadwatch.nlp.dates import EventDate, infer_document_date, resolve_event_date
from dyadwatch.nlp.figures import extract_figures
from dyadwatch.nlp.model import load_nlp
from dyadwatch.nlp.quotes import extract_quotes
from dyadwatch.nlp.sentences import Sentence, split_sentences
from dyadwatch.records import (
    Actor,
    Document,
    Event,
    Extraction,
    Figure,
    LearnedActor,
    Quote,
    stable_id,
)
from dyadwatch.settings import Settings

log = logging.getLogger(__name__)

_CALENDAR_WORDS = frozenset(
    w.lower() for w in (*calendar.month_name[1:], *calendar.day_name) if w
)
_WORD = re.compile(r"\w+")
DETECTOR = "event_detect"  # the packaged event/none model (scripts/train_event_detector.py)
MIN_WORDS = 4  # shorter "sentences" are headings, datelines and bylines
DATE_DEPS = frozenset({"prep", "npadvmod", "advmod", "tmod", "obl", "nmod"})
_PERSON_CUE = re.compile(
    r"\b(?:he|she|they|his|her|their|the (?:secretary|minister|president|premier|prime minister|"
    r"envoy|ambassador|general|official|spokesman|spokeswoman|government|ministry|army|navy))\b",
    re.IGNORECASE,
)


class SpacyCoder:
    """Codes documents with spaCy, the actor dictionary and the verb patterns."""

    version = CODER_VERSION

    def __init__(self, settings: Settings, nlp: Language | None = None) -> None:
        self.dictionary: ActorDictionary = load_actor_dictionary(settings.actors_file)
        self.ontology: Ontology = load_ontology()
        self.patterns: PatternSet = load_patterns(self.ontology)
        self.engine: EngineSettings = load_engine_settings(settings.engine_file)
        self.has_trigger = TriggerFilter(trigger_words(self.patterns, self.engine))
        self.agents: AgentLexicon = load_agent_lexicon()
        self.classifier: EventClassifier | None = None
        self.detector: EventClassifier | None = None
        if settings.model_events:
            self.classifier = EventClassifier.load(settings.event_model)
            self.detector = EventClassifier.load(settings.detector_model, name=DETECTOR)
        self._policy: CombinePolicy = load_combine_policy()
        self.locator = Locator()  # where each event happened (coding.locations)
        self.guards = ModelGuards(  # may the model make an event of a predicate
            self.engine, self.agents, self.patterns, self.locator, self._policy.state_tags)
        ruler = self.dictionary.ruler_patterns() if settings.entity_ruler else ()
        self.nlp = nlp or load_nlp(ruler, ner=settings.ner, model=settings.spacy_model)
        self.dictionary_version = "+".join((
            self.dictionary.version,
            f"{self.patterns.name}-{self.patterns.version}",
            f"{self.ontology.name}-{self.ontology.version}",
            f"engine-{self.engine.version}",
            f"agents-{self.agents.version}",
            *(f"{m.name}-{m.version}" for m in (self.classifier, self.detector) if m),
        ))
        self.learned: dict[str, LearnedActor] = {}
        self.max_sentences = settings.max_sentences
        self.sentences_seen = 0
        self.sentences_parsed = 0

    @property
    def policy(self) -> CombinePolicy:
        """The combine policy (data/coding/combine.yaml); setting it also sets the guards'
        `state_tags`, so a swapped policy reaches every check."""
        return self._policy

    @policy.setter
    def policy(self, policy: CombinePolicy) -> None:
        self._policy = policy
        self.guards = replace(self.guards, state_tags=policy.state_tags)

    def reset(self) -> None:
        """Forget the people learned from earlier documents (parallel runners call this per
        batch, so that a result does not depend on how the corpus was split)."""
        self.learned.clear()

    def code(self, docs: Sequence[Document]) -> list[tuple[Document, Extraction]]:
        """Each document (with a refined inferred date) and what was extracted from it."""
        plans = [self._plan(doc) for doc in docs]
        texts = [s.text for _, sentences, picked in plans for s in sentences if s.index in picked]
        parsed = iter(self.nlp.pipe(texts, batch_size=64))
        results = []
        for doc, sentences, picked in plans:
            spans = [(s, next(parsed)) for s in sentences if s.index in picked]
            extraction = self._extract(doc, sentences, spans)
            if len(sentences) == self.max_sentences and (rest := self._left_out(doc)):
                extraction = replace(extraction, notes=(rest,))
            results.append((doc, extraction))
        return results

    def _left_out(self, doc: Document) -> str | None:
        total = len(split_sentences(doc.text))
        if total <= self.max_sentences:
            return None
        return (f"coded the first {self.max_sentences:,} of {total:,} sentences (the limit "
                "max_sentences); the rest is stored but not coded")

    def _plan(self, doc: Document) -> tuple[Document, list[Sentence], set[int]]:
        if doc.published is None:  # refine: titles give a floor ingest did not know
            inferred = infer_document_date(doc.text, title_floor(doc.text, self.dictionary))
            if inferred is not None:
                doc = replace(
                    doc, inferred_date=inferred.date, inferred_precision=inferred.precision,
                    inferred_from=inferred.evidence,
                )
        sentences = split_sentences(doc.text)[: self.max_sentences]
        picked = {s.index for s in sentences if self._candidate(s.text)}
        self.sentences_seen += len(sentences)
        self.sentences_parsed += len(picked)
        return doc, sentences, picked

    def _candidate(self, text: str) -> bool:
        """Worth parsing: a trigger word and something that may be an actor (a name, a person
        or role that coreference may resolve, or a group such as "the two sides")."""
        if self.classifier is not None:  # open world: any actor, any predicate
            return len(_WORD.findall(text, 0, 200)) >= MIN_WORDS
        if not self.has_trigger(text):
            return False
        if self.dictionary.find_in_text(text):
            return True
        if any(name in text for name in self.learned) or _PERSON_CUE.search(text):
            return True
        return bool(self.engine.group_phrase.search(text))  # "the two sides" of the sentence before

    def _extract(
        self, doc: Document, sentences: list[Sentence], spans: list[tuple[Sentence, Doc]]
    ) -> Extraction:
        events: list[Event] = []
        learned: list[LearnedActor] = []
        previous: list[Event] = []  # the events of the sentence just before
        for sentence, parsed, coded in self.code_parsed(doc, sentences, spans, learned):
            if parsed is None:
                previous = []
                continue
            previous = [self._event(doc, sentence, parsed, c, previous) for c in coded]
            events.extend(previous)
        return Extraction(
            doc_id=doc.doc_id,
            events=tuple(events),
            quotes=tuple(self._quotes(doc, sentences)),
            figures=tuple(self._figures(doc, sentences)),
            learned_actors=tuple(learned),
        )

    def code_parsed(
        self, doc: Document, sentences: Sequence[Sentence],
        spans: Sequence[tuple[Sentence, Doc | Span]], learned: list[LearnedActor] | None = None,
    ) -> Iterator[tuple[Sentence, Doc | Span | None, list[CodedEvent]]]:
        """Each sentence of `doc` in order, with its parse (None when not parsed) and its coded
        events. `sentences` are all the
        document's sentences (unparsed ones still move the nearest dyad on); `spans` pairs the
        parsed ones with their parse (a Doc of its own, or a sentence Span of a larger Doc, as
        in the spaCy component). People learned from titles are appended to `learned`."""
        resolver = ActorResolver(
            self.dictionary, doc.text, doc.anchor_date, self.learned, doc_id=doc.doc_id
        )
        ctx = SentenceContext(
            patterns=self.patterns,
            engine=self.engine,
            resolve=lambda span: resolve_phrase(resolver, span, doc.anchor_date),
            locator=self.locator,
        )
        main_pair = self._pair(self.dictionary.find_in_text(doc.text), most_common=True)
        context = self._main_country(doc.text)
        parsed_by_index = {sentence.index: parsed for sentence, parsed in spans}
        readings = self._readings([_whole(parsed) for parsed in parsed_by_index.values()])
        reading_of = dict(zip(parsed_by_index, readings, strict=False))  # {} with no models
        nearest = main_pair
        for sentence in sentences:
            mentions = self.dictionary.find_in_text(sentence.text)
            parsed = parsed_by_index.get(sentence.index)
            if parsed is not None:
                span = _whole(parsed)
                for person in resolver.observe(span):
                    if learned is not None:
                        learned.append(person)
                    self.learned.setdefault(person.name, person)
                local = replace(ctx, dyad=nearest or main_pair)
                coded = code_sentence(span, local)
                if sentence.index in reading_of:
                    coded = self._with_model(
                        span, coded, local, context, reading_of[sentence.index])
                yield sentence, parsed, coded
            else:
                yield sentence, None, []
            nearest = self._pair(mentions) or nearest

    def _readings(self, spans: Sequence[Span]) -> list[tuple[ClassScores, float]]:
        """The classifier's reading and the detector's event probability of each parsed
        sentence (none without the models), each model run once over the whole batch: every
        row is computed on its own, so the numbers are those of one sentence at a time."""
        classifier, detector = self.classifier, self.detector
        if classifier is None or detector is None or not spans:
            return []
        texts = [span.text for span in spans]
        classes = classifier.scores(texts, [predicate_lemma(span) for span in spans])
        events = [s.probabilities["event"] for s in detector.scores(texts)]
        return list(zip(classes, events, strict=True))

    def _with_model(
        self, span: Span, rules: list[CodedEvent], ctx: SentenceContext, context: str | None,
        reading: tuple[ClassScores, float],
    ) -> list[CodedEvent]:
        """The patterns' events, vetoed or filled in by the classifier (`coding.combine`),
        less a model's act whose source only reports it (`ModelGuards.reporter_as_doer`);
        `reading`: the sentence's class reading and event probability (`_readings`)."""

        # the finder runs on every sentence even when its proposals go unused: resolving its
        # phrases feeds the resolver's memory of who was last named, which later pronouns use
        proposals = [
            replace(p, trigger=span.start + p.trigger)
            for p in (without_own_forces(span, p)
                      for p in propose(span, ctx.resolve, context, self.agents))
            if self.guards.asserted(span, p)
        ]
        evidence = Evidence(
            reading=lambda: reading[0], event_probability=lambda: reading[1],
            proposals=lambda: proposals,
        )
        doc = span.doc
        coded = combine(
            rules, evidence,
            code_for=lambda label, i: self._code_for(label, doc[i]),
            modality_of=lambda label, i: (
                self.guards.model_modality(label, doc[i]), is_negated(doc[i], self.patterns)),
            policy=self.policy,
        )
        return [self._refused(e, doc) for e in coded if not self.guards.reporter_as_doer(span, e)]

    def _refused(self, event: CodedEvent, doc: Doc) -> CodedEvent:
        """A model event that is a refusal (`reported.refusal_code`) occurred, not negated."""
        if not event.pattern.startswith("model:"):
            return event
        code = refusal_code(doc[event.trigger], event.pattern.removeprefix("model:"), event.code,
                            self.patterns, self.engine.refusal_roots)
        if code is None:
            return event
        return replace(event, code=code, modality="occurred", negated=False)

    def _code_for(self, label: str, token: Token) -> str:
        """The CAMEO code of a PentaClass at a predicate: the code of the predicate's pattern
        whose object terms are present, of any class ("deployed troops" 154: the patterns'
        detail over the model's class); else its bare pattern of that class; else its noun
        pattern of that class; else the class's default ("withdrew from X" is no "withdrew
        from mediation")."""
        lemma = token.lemma_.lower()
        verbs = self.patterns.verbs_by_lemma.get(lemma, ())
        chosen = select_pattern(token, [p for p in verbs if p.objects], self.engine) or next(
            (p for p in verbs if not p.objects and penta_class(p.code[:2]) == label), None)
        if chosen is not None:
            return chosen.code
        nouns = self.patterns.nouns_by_lemma.get(lemma, ())
        return next((p.code for p in nouns if penta_class(p.code[:2]) == label),
                    self.policy.class_codes[label])

    def _main_country(self, text: str) -> str | None:
        """The country a document names most: "government forces" with no country are its."""
        counts = Counter(m.country for m in self.dictionary.find_in_text(text) if m.country)
        return counts.most_common(1)[0][0] if counts else None

    def _pair(
        self, mentions: Sequence[TextMention], most_common: bool = False
    ) -> tuple[str, str] | None:
        """Two countries named in the mentions: the first two in order, or the two most named."""
        entries = self.dictionary.entries
        countries = [m.country for m in mentions if m.country and f"country:{m.country}" in entries]
        if most_common:
            countries = [c for c, _ in Counter(countries).most_common()]
        distinct = list(dict.fromkeys(countries))
        return (distinct[0], distinct[1]) if len(distinct) >= 2 else None

    def _event(
        self, doc: Document, sentence: Sentence, parsed: Doc | Span, coded: CodedEvent,
        previous: Sequence[Event] = (),
    ) -> Event:
        info = self.ontology.get(coded.code)
        when = event_date(parsed, coded, sentence, doc.anchor_date, self.engine)
        if when.precision == "document" and self._continues(coded):
            when = continued_date(when, coded, sentence, doc.anchor_date, previous)
        event_id = Event.id_for(
            doc.doc_id, sentence.index, coded.source.key, coded.target.key, coded.code
        )
        return Event(
            event_id=event_id, doc_id=doc.doc_id, doc_source=doc.doc_source,
            sentence_index=sentence.index, sentence=sentence.text, date=when.date,
            date_end=when.date_end, date_precision=when.precision, source=coded.source,
            target=coded.target, cameo=info.code, root=info.root, quad_class=info.quad_class,
            goldstein=info.goldstein, plover=info.plover, modality=coded.modality,
            negated=coded.negated, confidence=coded.confidence, coder_version=self.version,
            dictionary_version=self.dictionary_version, pattern=coded.pattern,
            location=self.locator.locate(parsed, coded.trigger, coded.source, coded.target,
                                         material=info.quad_class in (2, 4)),
        )

    def _continues(self, coded: CodedEvent) -> bool:
        """Do the event's actors come from a group phrase ("the two sides", "both ministers")?"""
        group = self.engine.group_phrase
        return any(group.search(actor.text or "") for actor in (coded.source, coded.target))

    def _quotes(self, doc: Document, sentences: list[Sentence]) -> Iterable[Quote]:
        for q in extract_quotes(doc.text, sentences):
            yield Quote(
                quote_id=stable_id(doc.doc_id, q.start, q.end), doc_id=doc.doc_id,
                doc_source=doc.doc_source, sentence_index=q.sentence_index, text=q.text,
                speaker=q.speaker, start=q.start, end=q.end,
            )

    def _figures(self, doc: Document, sentences: list[Sentence]) -> Iterable[Figure]:
        by_index = {s.index: s.text for s in sentences}
        for f in extract_figures(sentences):
            yield Figure(
                figure_id=stable_id(doc.doc_id, f.sentence_index, f.text, f.value),
                doc_id=doc.doc_id, doc_source=doc.doc_source, sentence_index=f.sentence_index,
                value=f.value, unit=f.unit, text=f.text, about=f.about,
                sentence=by_index.get(f.sentence_index, ""),
            )


def _date_text(node: Token) -> str:
    """The words of a verb's or noun's own time modifiers (not those of nested clauses); a
    "when" clause hanging off a date ("since 1954, when China supported ...") takes that date."""
    parts = [
        " ".join(t.text for t in syntax.own_clause(child))
        for child in node.children
        if child.dep_ in DATE_DEPS
    ]
    # "announced a tariff on X goods last April": the parser hangs a trailing time noun on the
    # verb's object; a noun's `npadvmod` there is the verb's time (prepositions stay the noun's)
    parts += [
        " ".join(t.text for t in syntax.own_clause(grand))
        for child in node.children if child.dep_ == "dobj" and node.pos_ in ("VERB", "AUX")
        for grand in child.children if grand.dep_ == "npadvmod" and grand.i > child.i
    ]
    head = node.head
    when = any(c.dep_ == "advmod" and c.lower_ == "when" for c in node.children)
    if node.dep_ == "relcl" and when and (head.like_num or head.lower_ in _CALENDAR_WORDS):
        prep = head.head.text if head.dep_ == "pobj" else "in"
        parts.append(f"{prep} {head.text}")
    return " ".join(parts)


def resolve_phrase(resolver: ActorResolver, span: Span, date: str | None) -> Actor | None:
    """The dictionary's reading of a noun phrase; failing that, a common noun modified by a
    country ("Ukrainian pilots", "the Iranian missile launch") stands for that country."""
    actor = resolver.resolve(span, date)
    if actor is not None or span.root.pos_ != "NOUN":
        return actor
    for child in span.root.lefts:
        if child.dep_ in ("amod", "compound", "nmod", "poss") and child.pos_ in ("ADJ", "PROPN"):
            owner = resolver.resolve(span.doc[child.left_edge.i : child.i + 1], date)
            if owner is not None and owner.country:
                return Actor(code=owner.country, country=owner.country, role=None,
                             text=span.text, name=owner.name)
    return None


def _finer(found: EventDate, line: EventDate) -> EventDate:
    """The timeline line's date when it says the same thing more precisely."""
    if line.date and found.date and line.date.startswith(found.date) and len(line.date) > len(
        found.date
    ):
        return line
    return found


def event_date(
    parsed: Doc | Span, coded: CodedEvent, sentence: Sentence, anchor: str | None,
    engine: EngineSettings | None = None,
) -> EventDate:
    """The event's date: its own clause, then the clauses governing it (for a noun, also those
    of a verb whose subject takes part in it: "flew to Hanoi for talks on Monday"), then the
    timeline line's date, then the document's date."""
    trigger = parsed[coded.trigger] if isinstance(parsed, Doc) else parsed.doc[coded.trigger]
    fallback = resolve_event_date("", anchor, sentence.line_date)
    chain = syntax.governing_chain(trigger, limit=5)
    governor = governor_of(trigger)
    if engine is not None and takes_part(trigger, governor, engine):
        chain += syntax.governing_chain(governor, limit=5)  # "held talks with X on Monday"
    for node in chain:
        text = _date_text(node)
        if text:
            found = resolve_event_date(text, anchor, None)
            if found.precision not in ("document", "unknown"):
                return _finer(found, fallback)
    return fallback


def continued_date(
    when: EventDate, coded: CodedEvent, sentence: Sentence, anchor: str | None,
    previous: Sequence[Event],
) -> EventDate:
    """ "... the visit of X to Y in June 2024. The two sides discussed ...": a sentence whose
    actors are the group just named continues the event before it, and when it gives no date of
    its own it takes that event's date (and precision). Only an event of the same two countries
    in the sentence just before counts; otherwise `when` (the document's date) stays."""
    if resolve_event_date(sentence.text, anchor, sentence.line_date).precision != "document":
        return when  # the sentence is dated somewhere: leave it to event_date
    pair = {coded.source.country, coded.target.country}
    for event in previous:
        dated = event.date_precision not in ("document", "unknown")
        if dated and {event.source.country, event.target.country} == pair:
            return EventDate(event.date, event.date_end, event.date_precision)
    return when


def _whole(parsed: Doc | Span) -> Span:
    """A parsed sentence as a Span (a Doc of its own as `doc[:]`)."""
    return parsed[:] if isinstance(parsed, Doc) else parsed


def load_default_coder(settings: Settings) -> SpacyCoder:
    return SpacyCoder(settings)
