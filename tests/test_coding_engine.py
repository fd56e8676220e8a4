"""The event engine on hand-made sentences (our own words), through the real coder."""

from __future__ import annotations

from pathlib import Path

import pytest

from dyadwatch.coding.sentence_sets import load_sentences, score_events
from dyadwatch.records import Event

DEV_SET = Path(__file__).parent / "data" / "coding_sentences.yaml"
# Pinned floors: the development set measured 0.98 precision and 0.85 recall when pinned.
PRECISION_FLOOR = 0.95
RECALL_FLOOR = 0.82


def triples(events: list[Event]) -> set[tuple[str, str, str]]:
    return {(e.source.country or "", e.cameo, e.target.country or "") for e in events}


def test_development_set_precision_and_recall_stay_above_their_floors(code) -> None:
    items = load_sentences(DEV_SET)
    found = [code(it.text, it.date or "2024-05-06") for it in items]
    score = score_events(items, found)
    assert score.precision >= PRECISION_FLOOR, score.extras
    assert score.recall >= RECALL_FLOOR, score.misses


def test_passive_agent_is_the_source(code) -> None:
    events = code("Two Vietnamese fishing boats were seized by the Chinese coast guard.")
    assert {(e.source.country, e.target.country) for e in events} == {("CHN", "VNM")}
    assert all(e.root == "17" for e in events)


def test_agreeing_to_act_is_an_intent_that_occurred(code) -> None:
    events = code("Japan agreed to hold joint naval drills with the Philippines next year.")
    assert [(e.cameo[:3], e.modality) for e in events] == [("031", "occurred")]


def test_announcing_a_future_act_is_an_intent(code) -> None:
    events = code("Seoul announced that South Korea would send food aid to Myanmar.")
    assert {e.cameo[:2] for e in events} == {"03"}
    assert {e.target.country for e in events} == {"MMR"}


def test_negation_and_future_modality(code) -> None:
    negated = code("India did not send troops to the Maldives.")
    planned = code("India will send troops to the Maldives next month.")
    assert [e.negated for e in negated] == [True]
    assert [e.modality for e in planned] == ["planned"]


def test_compound_target_gives_one_event_per_actor(code) -> None:
    events = code("Australia provided emergency aid to Tonga and Fiji after the cyclone.")
    assert {e.target.country for e in events} == {"TON", "FJI"}


@pytest.mark.parametrize(
    "text",
    [
        "If Russia attacked Estonia, NATO would respond.",
        "Would China ever invade Taiwan?",
        "The weather in Hanoi was hot for most of the week.",
        "Germany's economy grew by two percent last year.",
        "Analysts in Tokyo debated the merits of the new budget.",
    ],
)
def test_sentences_without_an_event_give_nothing(code, text: str) -> None:
    assert code(text) == []


def test_the_two_sides_are_the_dyad_named_just_before(code) -> None:
    text = (
        "The Chinese premier flew to Laos on Monday.\n"
        "The two sides signed a railway agreement in Vientiane."
    )
    assert ("CHN", "057", "LAO") in triples(code(text)) or (
        "LAO", "057", "CHN") in triples(code(text))


def _agreement_date(events: list[Event]) -> tuple[str | None, str]:
    return next((e.date, e.date_precision) for e in events if e.root == "05")


def test_the_two_sides_continue_the_dated_event_just_before(code) -> None:
    visit = "The Chinese premier visited Laos in May 2023.\n"
    signed = "The two sides signed a railway agreement in Vientiane"
    assert _agreement_date(code(visit + signed + ".")) == ("2023-05", "month")
    # near misses: a date of its own wins; named actors, an undated visit or a sentence between
    # them leave the document's date
    assert _agreement_date(code(visit + signed + " on June 2.")) == ("2023-06-02", "day")
    named = "Beijing later signed a railway agreement with Vientiane."
    assert _agreement_date(code(visit + named))[1] == "document"
    undated = "The Chinese premier visited Laos.\n" + signed + "."
    assert _agreement_date(code(undated))[1] == "document"
    gap = visit + "The weather was hot.\n" + signed + "."
    assert _agreement_date(code(gap))[1] == "document"


def test_event_date_comes_from_its_own_clause_not_a_nested_one(code) -> None:
    text = "In March 2023 Canada lifted the sanctions imposed on Iran in 2019."
    events = code(text, "2023-06-01")
    # the lifting is dated by its own clause; the imposition (a participle) by its own "in 2019"
    assert [(e.cameo[:2], e.date) for e in events] == [("08", "2023-03"), ("16", "2019")]


@pytest.mark.parametrize(
    "text",
    [
        "The US and Japan have backed them since 2020.",
        "Dozens of people died in Syrian and Russian air strikes last week.",
        "Washington had judged the Iraqi army too weak to defeat Isis.",
        "During a visit to Paris, the Indian foreign minister said the talks had stalled.",
    ],
)
def test_no_event_is_invented_between_bystanders(code, text: str) -> None:
    assert code(text) == []


def test_a_statement_about_another_actor_is_coded_when_nothing_else_is(code) -> None:
    events = code("Ecuador's president remarked that Peru remained a reliable neighbour.")
    assert [(e.source.country, e.root, e.target.country) for e in events] == [
        ("ECU", "01", "PER")]
    assert events[0].confidence < 0.5


def test_a_time_noun_hung_on_the_object_dates_the_verb(code) -> None:
    text = "Canada announced a 20 percent tariff on Brazilian steel last April."
    assert [(e.cameo, e.date, e.date_precision) for e in code(text, "2024-06-01")] == [
        ("163", "2024-04", "month")]
    # a time inside the object's own clause stays with that clause
    events = code("Canada lifted the tariffs imposed on Brazil in 2019.", "2024-06-01")
    assert [(e.cameo[:2], e.date) for e in events if e.cameo.startswith("08")] == [
        ("08", "2024-06-01")]


def test_a_when_clause_takes_the_date_it_hangs_from(code) -> None:
    text = "Peru has backed Bolivia's claims since 1962, when Peru recognised Bolivia's borders."
    events = code(text)
    assert [(e.cameo[:2], e.date) for e in events if e.cameo.startswith("05")] == [("05", "1962")]


def test_a_noun_trigger_under_a_root_preposition_ends(code) -> None:
    # A parse whose root is a preposition made the governor search loop forever once
    # (token identity instead of token index). It must end, with or without an event.
    text = "In the visit of the Thai premier to Laos, and in talks with Vietnam."
    assert isinstance(code(text), list)


def test_a_fronted_adverbial_is_not_a_target(code) -> None:
    text = "For the ASEAN chairmanship of Laos next year, Japan supports training police."
    assert [e for e in code(text) if e.target.code == "ASN"] == []


def test_agentless_passive_of_ones_own_measure_has_its_owner_as_source(code) -> None:
    text = ("Japan's trade with Iran had grown for years.\n"
            "In March 2019, Japanese development aid was suspended.")
    events = [e for e in code(text, "2019-06-01") if e.root == "16"]
    assert [(e.source.country, e.target.country, e.date) for e in events] == [
        ("JPN", "IRN", "2019-03")]


def test_a_participle_measure_undone_by_the_main_event_shares_its_two_sides(code) -> None:
    text = "In May 2024 Canada lifted the travel ban imposed on Peru in 2020."
    events = {e.root: e for e in code(text, "2024-06-01")}
    assert events["08"].date == "2024-05" and events["17"].date == "2020"
    assert (events["17"].source.country, events["17"].target.country) == ("CAN", "PER")


def test_a_purpose_clause_names_whom_a_sending_is_for_not_whom_it_fights(code) -> None:
    helped = code("Egypt sent military advisers to support the Libyan army in 2019.")
    assert ("EGY", "072", "LBY") in triples(helped)
    fought = code("Egypt sent fighter jets to fight the Libyan rebels in 2019.")
    assert not [e for e in fought if e.root == "07" and e.target.code.startswith("LBYREB")]


def test_a_modal_auxiliary_makes_an_event_expected_or_hypothetical(code) -> None:
    [may] = code("Peru may close its border with Bolivia next week.")
    assert (may.cameo[:2], may.modality) == ("19", "expected")
    assert code("Under that plan, Peru would ask Bolivia to withdraw its troops.") == []
    said = code("Officials said Peru would ask Bolivia to release the detained crew.")
    assert [e.root for e in said] == ["02"]


def test_the_trigger_filter_matches_whole_words_only() -> None:
    from dyadwatch.coding.prefilter import TriggerFilter, inflections

    has = TriggerFilter(inflections("sign") | {"co-operate"})
    assert has("Vietnam SIGNED a deal.") and has("They will co-operate on trade.")
    assert not has("Designed in Hanoi, the resigning envoy left.")  # parts of words
    assert not has("a co-operated-style plan") and not has("signs-of-life")
    with pytest.raises(ValueError, match="single words"):
        TriggerFilter({"sign up"})


def test_a_verb_joined_to_a_wrapped_one_shares_its_wrapper(code) -> None:
    """ "decided to drop X and withdraw": the withdrawal was decided, not done (an intent)."""
    events = code("The Dutch government decided to drop its plan and withdraw troops "
                  "from Mali.")
    assert [(e.cameo, e.target.country) for e in events] == [("0356", "MLI")]


def test_leaving_an_organisation_reduces_relations_rather_than_retreating(code) -> None:
    [left] = code("Hungary withdrew from the European Union in the story's last chapter.")
    assert (left.source.country, left.cameo[:2], left.target.code) == ("HUN", "16", "EEC")
    [retreat] = code("Syrian troops withdrew from Lebanon in April 2005.")
    assert (retreat.cameo, retreat.target.country) == ("0874", "LBN")


def test_a_noun_event_inside_a_clause_that_should_be_debated_is_no_event(code) -> None:
    events = code("The Belgian envoy suggested that completing the withdrawal of Dutch "
                  "troops from Mali should be debated by the alliance.")
    assert all(e.root != "08" for e in events)
    [done] = code("Completing the withdrawal of Dutch troops from Mali took two years.")
    assert done.cameo == "0874"


def test_a_heading_without_a_verb_gives_no_model_event(coder, code) -> None:
    """The model may make an event of a verb only: a heading's noun root is no predicate."""
    from dyadwatch.coding.argument_eval import proposal_for

    def asserted(text: str) -> bool:
        span = coder.nlp(text)[:]
        [main, *_] = proposal_for(span.doc, coder.dictionary, coder.agents)
        return coder.guards.asserted(span, main)

    assert not asserted("Peru's growing partnership with Bolivia and Chile")
    assert asserted("Peru signed a trade pact with Bolivia on Monday.")
    assert code("Peru's growing partnership with Bolivia and Chile") == []


def test_a_measure_named_by_a_participle_is_no_surer_than_its_undoing(code) -> None:
    """ "lifted a travel ban imposed on X": the imposing inherits the lifting's sides, so it is
    no more certain than the lifting, which stays the sentence's main event; the implied
    target keeps the sentence's words for X's people ("Chadian citizens"), not an empty one."""
    events = code("The US president on Tuesday lifted a travel ban imposed on Chadian citizens.")
    main = max(events, key=lambda e: e.confidence)
    assert main.root == "08"
    assert (main.target.country, main.target.text) == ("TCD", "Chadian citizens")
    imposed = [e for e in events if e.pattern.startswith("participle:")]
    assert imposed and all(e.confidence <= main.confidence for e in imposed)
