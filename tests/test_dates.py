"""Document dates inferred from text, and event dates resolved from sentences.

Example sentences are written for these tests; the seed articles are read at run time.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml

from dyadwatch.errors import DictionaryError
from dyadwatch.nlp.date_lexicon import load_date_lexicon
from dyadwatch.nlp.dates import (
    EventDate,
    InferredDate,
    find_date_mentions,
    infer_document_date,
    resolve_event_date,
)
from dyadwatch.nlp.sentences import Sentence, split_sentences

# ---- infer_document_date --------------------------------------------------------------


def test_self_dating_cue_gives_the_year() -> None:
    text = "Aid grew again. This year, 2011, the agency pledged more money for clinics."
    assert infer_document_date(text) == InferredDate("2011", "year", "This year, 2011")


def test_latest_dated_event_of_a_timeline_is_the_floor() -> None:
    text = ("March 2024: The ministers met in Hanoi.\n"
            "June 9, 2025: The two navies held a drill.\n"
            "May 2, 2025: A trade deal was signed.\n")
    found = infer_document_date(text)
    assert found is not None
    assert (found.date, found.precision) == ("2025-06-09", "day")
    assert "latest dated event" in found.evidence


def test_future_dates_do_not_date_the_document() -> None:
    text = "The port opened on 4 March 2019. A second pier will open in June 2030."
    found = infer_document_date(text)
    assert found is not None and found.date == "2019-03-04"


def test_current_month_cue_lands_on_first_such_month_after_the_floor() -> None:
    text = "Earlier in January, the envoy pledged money. Last week a suspect was extradited."
    found = infer_document_date(text, lower_bound="2025-09")
    assert found is not None
    assert (found.date, found.precision) == ("2026-01", "month")
    assert "Earlier in January" in found.evidence


def test_lower_bound_beats_older_dates() -> None:
    text = "The nomination has been stalled since June 2022."
    found = infer_document_date(text, lower_bound="2025-09")
    assert found is not None and (found.date, found.precision) == ("2025-09", "month")


def test_nothing_dated_gives_none() -> None:
    assert infer_document_date("Relations improved after years of tension.") is None
    # a bare month name alone cannot be placed without a year
    assert infer_document_date("Earlier in January, the envoy pledged money.") is None


def _seed(seeds_dir: Path, prefix: str) -> str:
    return next(seeds_dir.glob(f"{prefix}_*.txt")).read_text(encoding="utf-8")


def test_seed_documents_without_metadata_are_dated(seeds_dir: Path) -> None:
    timeline = infer_document_date(_seed(seeds_dir, "000"))
    assert timeline is not None and (timeline.date, timeline.precision) == ("2026-02-03", "day")
    analysis = infer_document_date(_seed(seeds_dir, "001"), lower_bound="2025-09")
    assert analysis is not None and (analysis.date, analysis.precision) == ("2026-01", "month")
    commentary = infer_document_date(_seed(seeds_dir, "003"))
    assert commentary is not None and (commentary.date, commentary.precision) == ("2011", "year")


def test_seed_document_with_metadata_is_not_needed_but_not_wrong(seeds_dir: Path) -> None:
    # 002 has front matter (2024-10-25); the text alone gives only a floor, never a later date
    found = infer_document_date(_seed(seeds_dir, "002"))
    assert found is not None and found.date <= "2024-10-25"


# ---- resolve_event_date ------------------------------------------------------------------

MONTH_ANCHOR = "2026-01"
DAY_ANCHOR = "2026-01-21"  # a Wednesday


@pytest.mark.parametrize(
    ("sentence", "anchor", "expected"),
    [
        ("The ministers met on October 31, 2025 in Hanoi.", MONTH_ANCHOR,
         ("2025-10-31", None, "day")),
        ("Talks were held on 31 October 2025.", MONTH_ANCHOR, ("2025-10-31", None, "day")),
        ("The memo is dated 2025-10-31.", MONTH_ANCHOR, ("2025-10-31", None, "day")),
        ("The general visited Phnom Penh in June 2024.", MONTH_ANCHOR, ("2024-06", None, "month")),
        ("In 2017, the drills were called off.", MONTH_ANCHOR, ("2017", None, "year")),
        ("On December 5, the mission confirmed the plan.", MONTH_ANCHOR,
         ("2025-12-05", None, "day")),
        ("A frigate called at the port January 24–28, 2026.", MONTH_ANCHOR,
         ("2026-01-24", "2026-01-28", "range")),
        ("From November to December, troops will train together.", "2011",
         ("2011-11", "2011-12", "range")),
        ("Last October, the minister met his counterpart.", MONTH_ANCHOR,
         ("2025-10", None, "month")),
        ("A tariff plan last April hit exporters.", MONTH_ANCHOR, ("2025-04", None, "month")),
        ("They shook hands in September last year.", "2024-10-25", ("2023-09", None, "month")),
        ("Earlier in January, the envoy announced aid.", MONTH_ANCHOR, ("2026-01", None, "month")),
        ("The visit took place in late October 2011.", "2011", ("2011-10", None, "month")),
        ("Last week, the banker was extradited.", MONTH_ANCHOR, ("2026-01", None, "month")),
        ("Last week, the banker was extradited.", DAY_ANCHOR,
         ("2026-01-12", "2026-01-18", "range")),
        ("Yesterday the talks collapsed.", DAY_ANCHOR, ("2026-01-20", None, "day")),
        ("On Tuesday the talks collapsed.", DAY_ANCHOR, ("2026-01-20", None, "day")),
        ("Last month the talks collapsed.", DAY_ANCHOR, ("2025-12", None, "month")),
        ("Elections are due next year.", DAY_ANCHOR, ("2027", None, "year")),
        ("The treaty was signed two years ago.", DAY_ANCHOR, ("2024", None, "year")),
        ("This year the economy grew.", "2011", ("2011", None, "year")),
        ("The fleet will visit on December 5.", DAY_ANCHOR, ("2026-12-05", None, "day")),
        ("The summit series ran from 2019 to 2021.", "2026", ("2019", "2021", "range")),
        ("The two sides have cooperated since 1954.", MONTH_ANCHOR, ("1954", None, "year")),
        ("Nothing in this sentence is dated.", MONTH_ANCHOR, ("2026-01", None, "document")),
        ("Nothing in this sentence is dated.", None, (None, None, "unknown")),
    ],
)
def test_event_date_is_resolved(sentence: str, anchor: str | None,
                                expected: tuple[str | None, str | None, str]) -> None:
    assert resolve_event_date(sentence, anchor) == EventDate(*expected)


def test_absolute_dates_need_no_anchor_relative_ones_do() -> None:
    assert resolve_event_date("The pact was signed in March 2019.", None).date == "2019-03"
    assert resolve_event_date("The pact was signed last March.", None).precision == "unknown"


def test_date_in_a_side_clause_yields_to_the_line_date() -> None:
    sentence = "The navy lifted a ban imposed in 2021, citing better ties."
    found = resolve_event_date(sentence, "2026-02", line_date="November 2025")
    assert found == EventDate("2025-11", None, "month")
    # without a line date the side clause's year is not taken for the main event
    assert resolve_event_date(sentence, "2026-02").precision == "document"


def test_participle_and_parenthesis_dates_are_side_roles() -> None:
    mentions = find_date_mentions(
        "The drills resumed, suspended since 2017, and a ship docked (as two did in April 2025).",
        "2026-01")
    assert [(m.date, m.role) for m in mentions] == [("2017", "side"), ("2025-04", "side")]


def test_precise_line_date_beats_a_year_that_contains_it() -> None:
    sentence = "The cruiser was the first foreign ship to visit in 2026."
    found = resolve_event_date(sentence, "2026-02", line_date="January 24–28, 2026")
    assert found == EventDate("2026-01-24", "2026-01-28", "range")


def test_numbers_that_are_not_dates_are_ignored() -> None:
    assert find_date_mentions("Some 2025 troops and 49 percent of 1,500 ships.", "2026") == []
    assert find_date_mentions("He may visit in the spring.", "2026") == []


def test_bad_anchor_is_ignored_not_fatal() -> None:
    assert resolve_event_date("It happened last October.", "not a date").precision == "unknown"


def _plain(text: str) -> str:
    return text.translate(str.maketrans("’‘“”", "''\"\"")).replace('"', "")


def _evidence_sentence(sentences: list[Sentence], evidence: str) -> Sentence:
    """The sentence holding most of the (possibly abridged) gold evidence's words."""
    words = set(re.findall(r"\w+", _plain(evidence).lower()))
    def shared(sentence: Sentence) -> int:
        return len(words & set(re.findall(r"\w+", _plain(sentence.text).lower())))

    return max(sentences, key=shared)


def test_core_gold_event_dates_of_the_seeds(seeds_dir: Path, gold_path: Path) -> None:
    gold = yaml.safe_load(gold_path.read_text(encoding="utf-8"))
    # anchors: metadata when present, else what infer_document_date says (001 with the floor
    # the lead derives from the title "Secretary of War")
    anchors = {}
    for name, doc in gold["documents"].items():
        text = (seeds_dir / name).read_text(encoding="utf-8")
        inferred = infer_document_date(text, "2025-09" if name.startswith("001") else None)
        anchors[name] = str(doc["published"]) if doc["published"] else inferred.date
    checked = 0
    for event in gold["events"]:
        if event["tier"] != "core" or event["date"] is None:
            continue
        sentences = split_sentences((seeds_dir / event["doc"]).read_text(encoding="utf-8"))
        sentence = _evidence_sentence(sentences, event["evidence"])
        found = resolve_event_date(sentence.text, anchors[event["doc"]], sentence.line_date)
        assert (found.date or "").startswith(str(event["date"])), (event["id"], found)
        if event.get("date_end"):
            assert found.date_end == event["date_end"]
        checked += 1
    assert checked == 16  # every dated core event of the gold file


def test_malformed_phrase_file_names_the_file(tmp_path: Path) -> None:
    bad = tmp_path / "dates.yaml"
    bad.write_text("meta: {name: x, version: '1'}\nmonths: [January]\n", encoding="utf-8")
    with pytest.raises(DictionaryError, match=r"dates\.yaml"):
        load_date_lexicon(bad)


def test_a_bad_number_list_is_reported_under_its_own_file(tmp_path: Path) -> None:
    from dyadwatch.nlp.figures import load_figure_lexicon

    numbers = tmp_path / "my-numbers.yaml"
    numbers.write_text("meta: {name: n, version: '1'}\nunits: {one: 1, two: zwei}\n"
                       "scales: {}\nvague: {}\n", encoding="utf-8")
    for load in (load_date_lexicon, load_figure_lexicon):
        with pytest.raises(DictionaryError, match=r"my-numbers\.yaml: `units` must map words"):
            load(None, numbers)
    with pytest.raises(DictionaryError, match=r"absent\.yaml: cannot read"):
        load_date_lexicon(tmp_path / "absent.yaml")


def test_deadlines_do_not_date_the_document() -> None:
    text = "The permit, granted on 3 May 2017, lets her stay until March 2020."
    found = infer_document_date(text)
    assert found is not None and found.date == "2017-05-03"


@pytest.mark.parametrize(
    ("sentence", "anchor", "expected"),
    [
        ("The envoys met on 2/14/2019 in Geneva.", "2019-03", ("2019-02-14", None, "day")),
        # an impossible day keeps only what is sound: the month
        ("Nothing happened on 31 February 2019.", "2019-03", ("2019-02", None, "month")),
        ("The offensive ran through the winter of 2017.", "2019",
         ("2017-12", "2018-02", "range")),
        ("The drills are held 3–5 June each year.", "2019-07-01",
         ("2019-06-03", "2019-06-05", "range")),
        ("The ministers spoke on Friday, 12 April 2019.", "2019-04",
         ("2019-04-12", None, "day")),
        ("Talks resume in the coming week.", "2019-02-10", ("2019-02-11", "2019-02-17", "range")),
        ("Sanctions were imposed three months ago.", "2019-02-10", ("2018-11", None, "month")),
    ],
)
def test_more_date_forms(sentence: str, anchor: str,
                         expected: tuple[str | None, str | None, str]) -> None:
    assert resolve_event_date(sentence, anchor) == EventDate(*expected)


def test_coarse_anchor_never_yields_a_finer_invented_date() -> None:
    # "yesterday" against a month-precision anchor can only say the month
    assert resolve_event_date("Yesterday the envoy left.", "2019-03") == EventDate(
        "2019-03", None, "month")
    assert resolve_event_date("Last week the envoy left.", "2019") == EventDate(
        "2019", None, "year")


@pytest.mark.parametrize(
    ("phrase", "expected"),
    [
        ("January 24 – 28 , 2026", ("2026-01-24", "2026-01-28", "range")),
        ("on October 31 , 2025", ("2025-10-31", None, "day")),
        ("Jan. 5 , 2026", ("2026-01-05", None, "day")),
        ("in mid - October 2011", ("2011-10", None, "month")),
    ],
)
def test_token_joined_phrases_from_a_parse(phrase: str,
                                           expected: tuple[str | None, str | None, str]) -> None:
    # the coder passes a verb's time modifiers as spaCy tokens joined by spaces
    assert resolve_event_date(phrase, "2026-02-03") == EventDate(*expected)
