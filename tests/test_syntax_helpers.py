"""The shared parse helpers the coder and the argument finder both use: a clause's own subject
(`syntax.own_subject`) and the chain of complements below a verb (`syntax.complement_chain`),
through xcomp only or through the relations a caller chooses. Sentences are our own."""

from __future__ import annotations

import pytest
from spacy.language import Language
from spacy.tokens import Doc, Token

from dyadwatch.coding import arguments, syntax
from dyadwatch.coding.coder import SpacyCoder
from dyadwatch.coding.model_guards import joint_act
from dyadwatch.nlp.model import load_nlp

WIDE = frozenset({"xcomp", "acomp", "ccomp"})


@pytest.fixture(scope="module")
def nlp() -> Language:
    return load_nlp(ner=False)


def _word(doc: Doc, text: str) -> Token:
    return next(t for t in doc if t.text == text)


def _texts(tokens: list[Token]) -> list[str]:
    return [t.text for t in tokens]


def test_the_chain_follows_xcomp_by_default(nlp: Language) -> None:
    doc = nlp("The two ministers failed to reach an agreement on fishing rights.")
    assert _texts(syntax.complement_chain(_word(doc, "failed"))) == ["failed", "reach"]
    # the last verb of the chain has no complement: the chain is that verb alone
    assert _texts(syntax.complement_chain(_word(doc, "reach"))) == ["reach"]


def test_the_chain_takes_the_relations_it_is_given(nlp: Language) -> None:
    doc = nlp("The council is willing to send observers to the border.")
    verb = _word(doc, "is")
    assert _texts(syntax.complement_chain(verb)) == ["is"]  # "willing" is an acomp
    assert _texts(syntax.complement_chain(verb, WIDE)) == ["is", "willing", "send"]
    said = nlp("The navy said the convoy was ready to sail.")
    assert _texts(syntax.complement_chain(_word(said, "said"))) == ["said"]
    assert _texts(syntax.complement_chain(_word(said, "said"), WIDE)) == [
        "said", "was", "ready", "sail"]


def test_the_chain_stops_at_its_limit(nlp: Language) -> None:
    doc = nlp("Officials hope to start to plan to begin to draft a treaty.")
    hope = _word(doc, "hope")
    assert _texts(syntax.complement_chain(hope)) == ["hope", "start", "plan", "begin"]
    assert _texts(syntax.complement_chain(hope, limit=5))[-1] == "draft"
    assert _texts(syntax.complement_chain(hope, limit=1)) == ["hope"]


def test_both_callers_walk_the_shared_chain(nlp: Language) -> None:
    doc = nlp("The two ministers failed to reach an agreement on fishing rights.")
    failed = _word(doc, "failed")
    assert joint_act(failed, frozenset({"reach"}))  # through the xcomp
    assert not joint_act(failed, frozenset({"agree"}))
    willing = nlp("The council is willing to send observers to the border.")
    assert _texts(arguments._chain(_word(willing, "is"))) == ["is", "willing", "send"]
    # joint_act follows xcomp only: the acomp "willing" ends its chain
    assert not joint_act(_word(willing, "is"), frozenset({"send"}))


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
    assert coder.guards.reported_future(_word(pledged, "withdraw"))
    predicted = nlp("The envoy said the talks would fail.")
    assert not coder.guards.reported_future(_word(predicted, "fail"))
