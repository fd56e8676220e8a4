"""Precision guards of the event engine (issue #11): figures of speech, unreal clauses, polls,
negation and reported speech. Sentences are our own, coded through the real coder."""

from __future__ import annotations

from dyadwatch.coding.sentence_sets import LabelledSentence
from dyadwatch.records import Event


def code(coder, text: str, date: str = "2024-05-06") -> list[Event]:
    (_, extraction), = coder.code([LabelledSentence("t", text, date).document()])
    return list(extraction.events)


def roots(events: list[Event]) -> set[str]:
    return {e.root for e in events}


# --- figures of speech ---------------------------------------------------------------------


def test_a_stab_in_the_back_is_no_killing(coder) -> None:
    events = code(coder, "Ankara says Washington stabbed Turkey in the back by arming the militia.")
    assert not any(e.root in ("18", "19", "20") for e in events)
    assert {e.root for e in events if e.target.country == "TUR"} <= {"11", "12", "01"}


def test_attacking_a_decision_is_criticism_not_an_armed_attack(coder) -> None:
    events = code(coder, "Turkey's president attacked Washington's decision to arm the militia.")
    assert [(e.source.country, e.cameo, e.target.country) for e in events] == [
        ("TUR", "111", "USA")
    ]


def test_a_scathing_attack_is_in_words(coder) -> None:
    verbal = code(coder, "Paris launched a scathing attack on Rome over its migration policy.")
    armed = code(coder, "Turkish jets launched an attack on Kurdish fighters near the border.")
    assert roots(verbal) == {"11"}
    assert roots(armed) == {"19"}


def test_tacit_support_is_diplomatic_not_aid(coder) -> None:
    events = code(coder, "Moscow gave tacit support to Ankara's incursion into the enclave.")
    assert [e.cameo for e in events] == ["051"]
