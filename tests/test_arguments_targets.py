"""The argument finder's targets (coding/arguments.py, coder 0.7): what an attitude is about,
actors named deep inside a thing, amounts, places named by a common noun, the subject's own
forces. Sentences are our own, parsed by the real spaCy model."""

from __future__ import annotations


def _words(doc, side) -> str:
    return doc[side.start : side.end].text


def test_what_an_attitude_is_about_is_the_target(main):
    """ "doubtful of X", "hoped that X would": X, by its words (agents.yaml `attitude_words`);
    the same sentence with a verb of saying alone keeps no topic."""
    doubt, doc = main("The ministry said it was doubtful of the new tariff plan.")
    assert doubt.target is not None and _words(doc, doubt.target) == "the new tariff plan"
    assert doubt.target.how == "whom"
    hope, doc = main("The union said it hoped that the employers would reopen the talks soon.")
    assert hope.target is not None and _words(doc, hope.target) == "the employers"
    surprise, doc = main("The senator expressed surprise that the regulator approved the merger.")
    assert surprise.target is not None and _words(doc, surprise.target) == "the regulator"


def test_an_actor_inside_a_thing_ranks_below_the_recipient(main):
    """ "handed a painting bearing the portrait of X to Y": Y, whom it was handed to; an actor
    behind a preposition that says whom ("condolences to X") still ranks first."""
    handed, _ = main("Customs officers handed a painting with a portrait of Napoleon to "
                     "Italian authorities on Monday.")
    assert handed.target is not None and handed.target.actor.code == "ITAGOV"
    sent, _ = main("The prime minister sent condolences to the Kenyan president over the crash.")
    assert sent.target is not None and sent.target.actor.code == "KENGOV"


def test_an_amount_is_no_name(main):
    """ "donated USD5 million to X": the tagger's proper noun with digits is money."""
    found, doc = main("Norway donated USD5 million to an Afghan relief fund on Friday.")
    assert found.target is None or "USD5" not in _words(doc, found.target)


def test_a_common_noun_of_place_names_its_country(main):
    """ "remained on alert in Cambodian territory": the place, as the country it lies in."""
    found, _ = main("Thai troops remained on alert on Sunday in Cambodian territory.")
    assert found.target is not None and found.target.how == "place"
    assert found.target.actor.code == "KHM"
    unknown, _ = main("Thai troops remained on alert on Sunday in the disputed territory.")
    assert unknown.target is None  # no name on the noun: nowhere the dictionary knows


def test_the_subjects_own_forces_yield_to_the_place(main):
    """ "strengthened its forces in X": X; the forces are the means."""
    found, _ = main("Germany strengthened its forces in Lithuania last month.")
    assert found.target is not None and found.target.actor.code == "LTU"
    without, doc = main("Germany strengthened its forces last month.")
    assert without.target is not None and "forces" in _words(doc, without.target)
