"""Analytic prose is no event (engine.yaml `benefit_verbs`, `gain_verbs`, `benefit_nouns`,
`abstract_objects`, `economy_nouns`, `effort_verbs`; ModelGuards.asserted, guards.in_effort).
Sentences are our own, coded through the real coder. The learned model's gates are loosened for
these tests, so that what stops an event is the guard, not a threshold; each guard has a
control sentence of the same shape that still gives an event under the same gates."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import replace

import pytest

from dyadwatch.coding import guards
from dyadwatch.coding.engine_data import load_engine_settings
from dyadwatch.records import Event


@pytest.fixture()
def loose(coder, code) -> Iterator[Callable[[str], list[Event]]]:
    """conftest's `code` (one sentence of ours, coded) through the session coder with low
    model gates (restored afterwards)."""
    kept = coder.policy
    coder.policy = replace(kept, event_min=0.5, fill_min=0.3)
    try:
        yield code
    finally:
        coder.policy = kept


# --- a subject better off is not acting --------------------------------------------------------


@pytest.mark.parametrize("text", [
    "Laos has gained economic growth and political stability from its close ties with Vietnam.",
    "Myanmar has drawn considerable economic benefit from its partnership with India.",
    "The Philippines has reaped large benefits from its alliance with the United States.",
    "Thailand benefited from American military aid during the war.",
])
def test_a_benefit_drawn_from_ties_is_no_event(loose, text: str) -> None:
    assert loose(text) == []


def test_gaining_control_stays_a_seizure(loose) -> None:
    events = loose("Rebels gained control of the town from government troops.")
    assert [e.quad_class for e in events] == [4]


# --- a stance adopted: the party of a participle is not the stance's -------------------------


def test_an_approach_adopted_while_balancing_ties_is_no_event(loose) -> None:
    text = ("The Laotian government has adopted a more cautious approach, seeking to balance its"
            " ties with Beijing and Washington.")
    assert loose(text) == []


def test_a_participle_act_after_an_own_thing_stays(loose) -> None:
    """Only a stance (agents.yaml attribute_nouns) is guarded: "his vehicle" is a thing."""
    text = ("A militant detonated his explosives-laden truck near an army base in Kandahar,"
            " killing six soldiers.")
    assert any(e.quad_class == 4 for e in loose(text))


# --- parts of a policy are no party ------------------------------------------------------------


def test_introducing_elements_of_a_policy_is_no_event(loose) -> None:
    text = ("The Thai government has introduced additional elements, such as sports diplomacy,"
            " health diplomacy and climate diplomacy.")
    assert loose(text) == []


def test_introducing_sanctions_stays_an_event(loose) -> None:
    events = loose("The Thai government has introduced new sanctions against Myanmar.")
    assert [(e.source.code, e.root, e.target.code) for e in events] == [("THAGOV", "16", "MMR")]


# --- a country's own economic quantities are no party -----------------------------------------


@pytest.mark.parametrize("text", [
    "The Chilean government raised taxes on tobacco and alcohol.",
    "The Indian rupee weakened against the euro on Tuesday.",
])
def test_a_countrys_own_taxes_or_currency_are_no_event(loose, text: str) -> None:
    assert loose(text) == []


def test_tariffs_on_another_countrys_goods_stay_an_event(loose) -> None:
    events = loose("The Chilean government raised tariffs on Chinese steel.")
    assert [(e.source.code, e.target.code) for e in events] == [("CHLGOV", "CHN")]


def test_a_currency_is_the_economy_only_as_a_subject(coder) -> None:
    engine = load_engine_settings()

    def economy(text: str) -> bool:
        doc = coder.nlp(text)
        return guards.own_economy(next(t for t in doc if t.dep_ == "ROOT"), engine)

    assert economy("The Indian rupee weakened against the euro on Tuesday.")
    assert economy("Iraq pumped four million barrels of crude a day in June.")
    assert not economy("Norway spent four billion euros on helping refugees.")  # an amount
    assert not economy("Norway sent four billion euros to the refugee agency.")


# --- an ongoing effort: a course, not an act ---------------------------------------------------


def test_a_participle_of_an_ongoing_effort_is_no_event(loose) -> None:
    text = ("Nepal is working to reduce its dependence on India, seeking loans and investment from"
            " China, Japan and Qatar.")
    assert loose(text) == []


def test_seeking_loans_on_its_own_stays_an_appeal(loose) -> None:
    events = loose("Nepal sought loans and investment from China, Japan and Qatar.")
    assert {e.target.code for e in events} == {"CHN", "JPN", "QAT"}
    assert {e.root for e in events} == {"02"}


def test_an_effort_is_progressive_with_a_goal_and_no_partner(coder) -> None:
    engine = load_engine_settings()
    nlp = coder.nlp

    def effort(text: str) -> bool:
        doc = nlp(text)
        return guards.ongoing_effort(next(t for t in doc if t.lemma_ == "work"), engine)

    assert effort("Nepal is working to reduce its dependence on India.")
    assert not effort("Nepal worked to reopen the border crossing.")  # done: other rules
    assert not effort("Nepal is working with India to reopen the border crossing.")
    assert not effort("Nepal is working on a new trade law.")  # no goal clause
