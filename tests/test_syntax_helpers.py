"""The shared parse helpers the coder and the argument finder both use: a clause's own subject
(`syntax.own_subject`). Sentences are our own."""

from __future__ import annotations

import pytest
from spacy.language import Language
from spacy.tokens import Doc, Token

from dyadwatch.coding import arguments, syntax
from dyadwatch.coding.coder import SpacyCoder
from dyadwatch.nlp.model import load_nlp


@pytest.fixture(scope="module")
def nlp() -> Language:
    return load_nlp(ner=False)


def _word(doc: Doc, text: str) -> Token:
    return next(t for t in doc if t.text == text)


def test_own_subject_is_never_inherited(nlp: Language) -> None:
    doc = nlp("The rebels tried to seize the bridge.")
    seize = _word(doc, "seize")
    assert syntax.own_subject(seize) is None
    inherited = syntax.subject_of(seize)
    assert inherited is not None and inherited.text == "rebels"
    tried = syntax.own_subject(_word(doc, "tried"))
    assert tried is not None and tried.text == "rebels"
    reported = nlp("The envoy said it would withdraw the offer.")
    own = syntax.own_subject(_word(reported, "withdraw"))
    assert own is not None and own.text == "it"
    same = arguments._own_subject(_word(reported, "withdraw"))
    assert same is not None and same.i == own.i


def test_a_reported_future_needs_its_own_pronoun_subject(
    nlp: Language, coder: SpacyCoder
) -> None:
    pledged = nlp("The envoy said it would withdraw the offer.")
    assert coder._reported_future(_word(pledged, "withdraw"))
    predicted = nlp("The envoy said the talks would fail.")
    assert not coder._reported_future(_word(predicted, "fail"))
