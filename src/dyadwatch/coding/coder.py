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
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace

from spacy.language import Language
from spacy.tokens import Doc, Span, Token

from dyadwatch import CODER_VERSION
from dyadwatch.coding import syntax
from dyadwatch.coding.actor_resolver import ActorResolver
from dyadwatch.coding.actors import ActorDictionary, TextMention, load_actor_dictionary
from dyadwatch.coding.doc_dates import title_floor
from dyadwatch.coding.engine_data import EngineSettings, load_engine_settings
from dyadwatch.coding.events import CodedEvent, SentenceContext, code_sentence
from dyadwatch.coding.nominal import governor_of, takes_part
from dyadwatch.coding.ontology import Ontology, load_ontology
from dyadwatch.coding.patterns import PatternSet, load_patterns
from dyadwatch.coding.prefilter import TriggerFilter, trigger_words
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
DATE_DEPS = frozenset({"prep", "npadvmod", "advmod", "tmod", "obl", "nmod"})
_PERSON_CUE = re.compile(
    r"\b(?:he|she|they|his|her|their|the (?:secretary|minister|president|premier|prime minister|"
    r"envoy|ambassador|general|official|spokesman|spokeswoman|government|ministry|army|navy))\b",
    re.IGNORECASE,
)


@dataclass(frozen=True, slots=True)
class CoderStats:
    sentences: int
    parsed: int


class SpacyCoder:
    """Codes documents with spaCy, the actor dictionary and the verb patterns."""

    version = CODER_VERSION

    def __init__(self, settings: Settings, nlp: Language | None = None) -> None:
        self.dictionary: ActorDictionary = load_actor_dictionary(settings.actors_file)
        self.ontology: Ontology = load_ontology()
        self.patterns: PatternSet = load_patterns(self.ontology)
        self.engine: EngineSettings = load_engine_settings()
        self.has_trigger = TriggerFilter(trigger_words(self.patterns, self.engine))
        ruler = self.dictionary.ruler_patterns() if settings.entity_ruler else ()
        self.nlp = nlp or load_nlp(ruler, ner=settings.ner)
        self.dictionary_version = "+".join((
            self.dictionary.version,
            f"{self.patterns.name}-{self.patterns.version}",
            f"{self.ontology.name}-{self.ontology.version}",
            f"engine-{self.engine.version}",
        ))
        self.learned: dict[str, LearnedActor] = {}
        self.max_sentences = settings.max_sentences
        self.sentences_seen = 0
        self.sentences_parsed = 0

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
        resolver = ActorResolver(
            self.dictionary, doc.text, doc.anchor_date, self.learned, doc_id=doc.doc_id
        )
        ctx = SentenceContext(
            patterns=self.patterns,
            engine=self.engine,
            resolve=lambda span: resolve_phrase(resolver, span, doc.anchor_date),
        )
        main_pair = self._pair(self.dictionary.find_in_text(doc.text), most_common=True)
        parsed_by_index = {sentence.index: parsed for sentence, parsed in spans}
        events: list[Event] = []
        learned: list[LearnedActor] = []
        nearest = main_pair
        previous: list[Event] = []  # the events of the sentence just before
        for sentence in sentences:
            mentions = self.dictionary.find_in_text(sentence.text)
            parsed = parsed_by_index.get(sentence.index)
            if parsed is None:
                nearest = self._pair(mentions) or nearest
                previous = []
                continue
            span = parsed[:]
            for person in resolver.observe(span):
                learned.append(person)
                self.learned.setdefault(person.name, person)
            local = replace(ctx, dyad=nearest or main_pair)
            previous = [self._event(doc, sentence, parsed, coded, previous)
                        for coded in code_sentence(span, local)]
            events.extend(previous)
            nearest = self._pair(mentions) or nearest
        return Extraction(
            doc_id=doc.doc_id,
            events=tuple(events),
            quotes=tuple(self._quotes(doc, sentences)),
            figures=tuple(self._figures(doc, sentences)),
            learned_actors=tuple(learned),
        )

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
        self, doc: Document, sentence: Sentence, parsed: Doc, coded: CodedEvent,
        previous: Sequence[Event] = (),
    ) -> Event:
        info = self.ontology.get(coded.code)
        when = event_date(parsed, coded, sentence, doc.anchor_date, self.engine)
        if when.precision == "document" and self._continues(coded):
            when = continued_date(when, coded, sentence, doc.anchor_date, previous)
        event_id = Event.id_for(
            doc.doc_id, sentence.index, coded.source.code, coded.target.code, coded.code
        )
        return Event(
            event_id=event_id, doc_id=doc.doc_id, doc_source=doc.doc_source,
            sentence_index=sentence.index, sentence=sentence.text, date=when.date,
            date_end=when.date_end, date_precision=when.precision, source=coded.source,
            target=coded.target, cameo=info.code, root=info.root, quad_class=info.quad_class,
            goldstein=info.goldstein, plover=info.plover, modality=coded.modality,
            negated=coded.negated, confidence=coded.confidence, coder_version=self.version,
            dictionary_version=self.dictionary_version, pattern=coded.pattern,
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


def load_default_coder(settings: Settings) -> SpacyCoder:
    return SpacyCoder(settings)
