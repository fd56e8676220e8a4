"""Who leads, who ruled, and whose forces were sent (issue #11, the most extreme events): a
hyphened leader names a coalition ("a Saudi-led coalition"), the coalition against Isis is
known by name, a ruler of the past codes as his country outside his years in office, a
person's militia is not the focus country's army, the purpose of a completed dispatch of
forces took place while forces needed for a purpose have not yet acted, an announced
withdrawal is still to come, and a venue in a town is where an attack was, not who did it.
Sentences are our own, parsed by the real spaCy model."""

from __future__ import annotations

import pytest
from spacy.language import Language

from dyadwatch.coding.actor_resolver import ActorResolver
from dyadwatch.coding.actors import ActorDictionary


@pytest.fixture(scope="module")
def nlp() -> Language:
    from dyadwatch.nlp.model import load_nlp

    return load_nlp(ner=False)


@pytest.fixture(scope="module")
def code_date() -> str:
    """This module codes its sentences as documents of 6 May 2018 (`code`)."""
    return "2018-05-06"


def resolved(nlp: Language, dictionary: ActorDictionary, text: str, phrase: str,
             date: str) -> str | None:
    """What `phrase` resolves to in `text` (one document; the focus country is its own)."""
    doc = nlp(text)
    at = text.index(phrase)
    span = doc.char_span(at, at + len(phrase), alignment_mode="expand")
    assert span is not None
    actor = ActorResolver(dictionary, text, date, doc_id="t").resolve(span)
    return None if actor is None else actor.code


def test_a_hyphened_leader_names_the_coalition(code):
    saudi = code("A Saudi-led coalition bombed rebel positions near the port on Sunday.")
    assert any(e.source.country == "SAU" for e in saudi)
    led = code("A US-led force attacked the militants near the town.")
    assert any(e.source.code == "USAMIL" for e in led)


def test_the_agent_of_led_by_names_the_coalition(code):
    """ "a coalition of Gulf states led by Kuwait": the leader after "led by" is whose it is,
    as the name before "-led" is; a force merely "backed by" one is not (see below)."""
    events = code("A coalition of Gulf states led by Kuwait bombed rebel positions near "
                  "the port on Sunday.")
    assert any(e.source.country == "KWT" for e in events)
    backed = code("Rebels backed by Kuwait attacked the militants near the town.")
    assert backed and not any(e.source.country == "KWT" for e in backed)


def test_a_backer_is_still_not_the_backed(code):
    events = code("Turkish-backed rebels attacked the militants near the town.")
    assert events and not any(e.source.country == "TUR" for e in events)


def test_the_coalition_against_isis_is_known_by_name(code):
    events = code("The international coalition against Isis killed dozens of "
                  "militants in airstrikes last month.")
    assert any(e.source.code == "USAMIL" for e in events)


def test_a_past_ruler_and_a_former_rebel_party(nlp, dictionary):
    text = "Saddam ordered the attack on the PUK."
    assert resolved(nlp, dictionary, text, "Saddam", "1988-03-16") == "IRQGOV"
    assert resolved(nlp, dictionary, text, "Saddam", "2018-03-16") == "IRQ"
    assert resolved(nlp, dictionary, text, "the PUK", "1988-03-16") == "IRQREB"
    assert resolved(nlp, dictionary, text, "the PUK", "2018-03-16") == "IRQGOV"


def test_the_purpose_of_a_dispatch_that_took_place_occurred(code):
    sent = code("Last week Ankara sent soldiers and allied fighters into the border "
                "town to fight Kurdish militias.")
    fights = [e for e in sent if e.root == "19"]
    assert fights and all(e.modality == "occurred" for e in fights)
    allowed = code("The deal would allow Ankara to send its troops to combat the Kurds.")
    combats = [e for e in allowed if e.root == "19"]
    assert combats and all(e.modality != "occurred" for e in combats)
    purpose = code("The US is in Syria to defeat Isis.")
    assert purpose and all(e.modality == "intended" for e in purpose)


def test_the_model_reads_the_purpose_of_a_dispatch_as_the_patterns_do(coder):
    """One modality for a pattern's event and a model's (`event_parts.act_modality`): the
    purpose of police sent in the past took place whoever codes it; a dispatch still to come
    leaves it planned, a journey that is no dispatch leaves it intended."""
    from dyadwatch.coding.event_parts import act_modality

    def purpose(text: str) -> tuple[str, str]:
        verb = next(t for t in coder.nlp(text) if t.dep_ == "advcl")
        return (coder.guards.model_modality("material_conflict", verb),
                act_modality(verb, coder.patterns, coder.engine))

    done = "Kenya deployed police officers to Haiti last year to fight the armed gangs."
    assert purpose(done) == ("occurred", "occurred")
    to_come = "Kenya will deploy police officers to Haiti to fight the armed gangs."
    assert purpose(to_come) == ("planned", "planned")
    journey = "Kenyan police officers came to Haiti last year to fight the armed gangs."
    assert purpose(journey) == ("intended", "intended")


def test_whose_militia_is_not_the_focus_countrys(nlp, dictionary):
    text = ("Britain and the British public were told about it in London. Britain said so. "
            "Karim, whose militia has fought the jihadists, said British officials knew.")
    assert resolved(nlp, dictionary, text, "whose militia", "2018-02-11") is None
    owned = "Britain and the British public were told in London. Britain said its army left."
    assert resolved(nlp, dictionary, owned, "its army", "2018-02-11") == "GBRMIL"


def test_a_militia_is_no_state_force(code):
    events = code("A pro-government militia attacked the village near the border.")
    assert any(e.source.code == "UAF" for e in events)


def test_forces_needed_for_a_purpose_did_not_yet_act(code):
    events = code("The Kurdish militias were needed to defeat Isis in the north.")
    fights = [e for e in events if e.root == "19"]
    assert fights and all(e.modality == "intended" for e in fights)


def test_a_venue_in_a_town_named_before_an_attack_is_not_its_doer(code):
    events = code("The Leeds Stadium attack in May killed ten people after a bomber "
                  "detonated a device.")
    assert not any("Leeds" in (e.source.text or "") for e in events)


def test_an_announced_withdrawal_is_planned(code):
    text = ("But the British withdrawal from Iraq, announced by the prime minister against the "
            "wishes of his generals, ends the mission.")
    announced = [e for e in code(text) if e.cameo == "0874"]
    assert announced and all(e.modality == "planned" for e in announced)
    done = [e for e in code("The British withdrawal from Iraq ended the mission.")
            if e.cameo == "0874"]
    assert done and all(e.modality == "occurred" for e in done)
