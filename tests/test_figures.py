"""Money, percentages and counts with what they measure. Example sentences are written for
these tests; the seed and Guardian articles are read at run time."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
import yaml

from dyadwatch.errors import DictionaryError
from dyadwatch.nlp.figures import FigureFound, extract_figures, load_figure_lexicon
from dyadwatch.nlp.sentences import split_sentences

YEAR = re.compile(r"(?<![\d,.$£€])(?:18|19|20)\d\d(?![\d,.%]|\s*(?:bn|m|million|billion))")


def _figures(text: str) -> list[FigureFound]:
    return extract_figures(split_sentences(text))


def _value_units(text: str) -> list[tuple[float, str]]:
    return [(f.value, f.unit) for f in _figures(text)]


def test_percent_with_the_thing_it_measures() -> None:
    found = _figures("The plan set a punishing 32 percent duty on imported steel, later cut.")
    assert [(f.value, f.unit, f.about) for f in found] == [
        (32.0, "percent", "duty on imported steel")]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Police froze US$2.5 billion in stolen funds.", [(2_500_000_000.0, "USD")]),
        ("The agency pledged 12 million US$ for clinics.", [(12_000_000.0, "USD")]),
        ("The deal is worth $13 billion over ten years.", [(13_000_000_000.0, "USD")]),
        ("London offered £3.2bn to the fund.", [(3_200_000_000.0, "GBP")]),
        ("Brussels gave €40m in aid.", [(40_000_000.0, "EUR")]),
        ("Growth slowed to 4.5% last year.", [(4.5, "percent")]),
        ("Rates rose by two percentage points.", [(2.0, "percentage points")]),
        ("About 250,000 people fled the city.", [(250_000.0, "people")]),
        ("The navy sent 1,200 sailors and four ships.", [(1200.0, "sailors"), (4.0, "ships")]),
        ("Almost a million migrant workers went home.", [(1_000_000.0, "workers")]),
        ("Tens of thousands of protesters marched.", [(10_000.0, "protesters")]),
        ("A few dozen guards stayed behind.", [(36.0, "guards")]),
    ],
)
def test_figures_have_value_and_unit(text: str, expected: list[tuple[float, str]]) -> None:
    assert _value_units(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "The pact was signed in 2017 and renewed in 2021.",
        "The summit opened on October 31, 2025 and closed on 2 November.",
        "The 48-year-old minister spoke first.",
        "It was the 31st meeting of the 3rd committee.",
        "COVID-19 delayed the F-16 order.",
        "The talks have lasted nearly eight years.",
        "One of the delegates left.",
        "They walked 30 miles to the border.",
    ],
)
def test_years_dates_ages_ordinals_and_durations_are_not_figures(text: str) -> None:
    assert _figures(text) == []


def test_currency_conversion_in_brackets_shares_the_about() -> None:
    found = _figures("Rome requested a $10bn (£7.6bn) payment for the port.")
    assert [(f.value, f.unit) for f in found] == [(1e10, "USD"), (7.6e9, "GBP")]
    assert found[0].about == found[1].about == "payment for the port"


def test_measured_thing_before_the_figure() -> None:
    found = _figures("Exports to Japan reached $4 billion, and total aid stood at around $900m.")
    assert [f.about for f in found] == ["Exports to Japan", "total aid"]


def test_counted_phrase_stops_before_the_verb() -> None:
    found = _figures("Three senior envoys arrived on Monday.")
    assert [(f.value, f.unit, f.text) for f in found] == [(3.0, "envoys", "Three senior envoys")]


def test_sentence_index_is_kept() -> None:
    found = _figures("No numbers here. Then 600 troops landed.")
    assert [f.sentence_index for f in found] == [1]


def test_gold_quantities_of_the_seeds(seeds_dir: Path, gold_path: Path) -> None:
    gold = yaml.safe_load(gold_path.read_text(encoding="utf-8"))["quantities"]
    for item in gold:
        text = (seeds_dir / item["doc"]).read_text(encoding="utf-8")
        pairs = _value_units(text)
        assert (float(item["value"]), item["unit"]) in pairs, (item, pairs)
    assert len(gold) == 9


def test_guardian_articles_give_sound_figures(guardian_path: Path) -> None:
    lex = load_figure_lexicon()
    total = 0
    with guardian_path.open(encoding="utf-8") as handle:
        for line in list(handle)[:80]:
            text = json.loads(line)["text"]
            for figure in extract_figures(split_sentences(text), lex):
                total += 1
                assert figure.value > 0 and figure.unit and figure.about, figure
                # a bare year ("in 2019 troops ...") is never read as a count
                assert not YEAR.search(figure.text), figure
                assert figure.unit.lower() not in lex.duration_units, figure
                if "£7.6bn" in figure.text:
                    assert (figure.value, figure.unit) == (7.6e9, "GBP")
    assert total > 200


def test_malformed_figure_data_names_the_file(tmp_path: Path) -> None:
    bad = tmp_path / "figures.yaml"
    bad.write_text("currency_symbols: {}\n", encoding="utf-8")
    with pytest.raises(DictionaryError, match=r"figures\.yaml"):
        load_figure_lexicon(bad)


def test_percent_of_a_group_and_ranges() -> None:
    share = _figures("This held for 92% of the 13,700 children who reached the coast.")
    assert [(f.value, f.unit, f.about) for f in share] == [
        (92.0, "percent", "the 13,700 children who reached the coast"),
        (13700.0, "children", "children who reached the coast"),
    ]
    band = _figures("The bank moved its rate to a band of 2.25% to 2.5%.")
    assert [f.value for f in band] == [2.25, 2.5]
    assert band[0].about == band[1].about != ""


def test_a_figure_that_refers_back_shares_the_thing_measured() -> None:
    found = _figures("The first plan set a 40 percent levy on rice before cutting it to 15 "
                     "percent.")
    assert [(f.value, f.about) for f in found] == [(40.0, "levy on rice"), (15.0, "levy on rice")]


def test_measured_phrase_stops_before_an_infinitive_of_purpose() -> None:
    found = _figures("Washington will give US$30 million in aid to Laos and Vietnam to fight "
                     "trafficking.")
    assert [(f.value, f.unit, f.about) for f in found] == [
        (30_000_000.0, "USD", "aid to Laos and Vietnam")]
    purpose = _figures("The fund gave $9m to rebuild schools.")
    assert purpose[0].about == "to rebuild schools"
