"""The spaCy pipeline component codes events inside a user's own pipeline."""

from __future__ import annotations

import spacy

import dyadwatch.coding.component  # noqa: F401  (registers the factory)
from dyadwatch.settings import DEFAULT_SPACY_MODEL


def test_component_adds_events_to_a_users_pipeline() -> None:
    nlp = spacy.load(DEFAULT_SPACY_MODEL)
    nlp.add_pipe("dyadwatch_events", config={"date": "2024-05-06"})
    doc = nlp("The weather was mild. Japan sent food aid to Tonga on Monday.")
    events = doc._.dyadwatch_events
    assert [(e.source.country, e.code[:2], e.target.country) for e in events] == [
        ("JPN", "07", "TON")
    ]
    assert doc[events[0].trigger].lemma_ == "send"


def test_component_gives_the_pipelines_events_for_the_same_sentences(coder) -> None:
    """One coder behind both: a common noun with a demonym stands for its country in both."""
    from dyadwatch.coding.labelled_score import code_texts

    text = "Ukrainian pilots bombed Russian positions near the river on Tuesday."
    nlp = spacy.load(DEFAULT_SPACY_MODEL)
    nlp.add_pipe("dyadwatch_events")
    from_component = [
        (e.source.code, e.code, e.target.code) for e in nlp(text)._.dyadwatch_events
    ]
    from_pipeline = [(e.source.code, e.cameo, e.target.code) for e in code_texts(coder, [text])[0]]
    assert from_component == from_pipeline
    assert from_pipeline and from_pipeline[0][0] == "UKR"
