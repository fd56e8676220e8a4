"""Cleaning: furniture removed, captions kept, Markdown stripped, titles; and properties."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from dyadwatch.errors import DictionaryError
from dyadwatch.ingest.clean import clean_text, normalise_characters
from dyadwatch.ingest.metadata import normalise_date
from dyadwatch.ingest.rules import CleaningRules, load_cleaning, load_ingest_rules

BODY = (
    "The Cambodian navy hosted a visiting American destroyer at the port for three days, "
    "and officials from both sides described the call as a sign of warmer ties. "
    "Analysts said the visit followed months of quiet talks between the two governments."
)


@pytest.fixture(scope="module")
def rules() -> CleaningRules:
    return load_ingest_rules().cleaning


def test_comment_widget_and_everything_after_it_is_removed(rules: CleaningRules) -> None:
    text = (f"{BODY}\n\nLeave a Reply\n\nYou are commenting using your Google account. "
            "Log Out / Change )\n\nConnecting to %s")
    cleaned = clean_text(text, rules)
    assert cleaned.text == BODY


def test_widget_lines_are_removed_without_a_leave_a_reply_line(rules: CleaningRules) -> None:
    text = (f"{BODY}\nYou are commenting using your Twitter account. Log Out / Change )\n"
            "Connecting to %s\nShare this article\nRead the original article in Khmer here:")
    assert clean_text(text, rules).text == BODY


def test_captions_with_a_photo_credit_stay(rules: CleaningRules) -> None:
    caption = "The defence minister greets the ship's captain at the pier last March. AFP"
    text = f"![](https://example.org/pic.jpg)\n\n{caption}\n\n{BODY}"
    cleaned = clean_text(text, rules)
    assert caption in cleaned.text.split("\n")
    assert "example.org/pic.jpg" not in cleaned.text


def test_markdown_markers_become_plain_text(rules: CleaningRules) -> None:
    text = f"## **A heading in bold**\n\n{BODY} See [the report](https://example.org/r).\n\n" \
           "_**Jane Roe is a freelance journalist based in Phnom Penh.** Views are her own._"
    cleaned = clean_text(text, rules, title="Given title")
    lines = cleaned.text.split("\n")
    assert lines[0] == "A heading in bold"
    assert "See the report." in cleaned.text and "](" not in cleaned.text
    assert lines[-1] == "Jane Roe is a freelance journalist based in Phnom Penh. Views are her own."
    assert cleaned.author == "Jane Roe"


def test_a_short_first_line_is_the_title_and_leaves_the_body(rules: CleaningRules) -> None:
    cleaned = clean_text(f"Warships and warm words\n{BODY}", rules)
    assert cleaned.title == "Warships and warm words"
    assert cleaned.text == BODY


def test_a_first_sentence_is_not_a_title(rules: CleaningRules) -> None:
    text = f"The two ministers met in Kuala Lumpur on Friday.\n{BODY}"
    assert clean_text(text, rules).title is None


def test_a_heading_repeating_the_metadata_title_is_removed(rules: CleaningRules) -> None:
    cleaned = clean_text(f"# Warships and warm words\n\n{BODY}", rules,
                         title="Warships and warm words")
    assert cleaned.title == "Warships and warm words" and cleaned.text == BODY


def test_paragraphs_and_curly_quotes_are_kept(rules: CleaningRules) -> None:
    text = "First  line\u00a0here.\r\n\r\n\r\n“Quoted,” he said.\u200b"
    assert clean_text(text, rules).text == "First line here.\n\n“Quoted,” he said."


def test_malformed_rules_file_names_the_file(tmp_path) -> None:
    bad = tmp_path / "cleaning.yaml"
    bad.write_text("meta: {name: x, version: '1'}\ndrop_line: ['([unclosed']\n"
                   "title: {max_chars: 1, max_words: 1, min_body_chars: 1, "
                   "final_punctuation: '.'}\n")
    with pytest.raises(DictionaryError, match=str(bad)):
        load_cleaning(bad)


@pytest.mark.parametrize(("value", "expected"), [
    ("2024-10-25T08:38:59.880Z", ("2024-10-25", "day")),
    ("2024-10", ("2024-10", "month")),
    ("2024", ("2024", "year")),
    ("Fri, 25 Oct 2024 08:00:00 GMT", ("2024-10-25", "day")),
    ("25 October 2024", ("2024-10-25", "day")),
    ("October 2024", ("2024-10", "month")),
])
def test_metadata_dates_are_normalised_with_precision(value: str, expected) -> None:
    found = normalise_date(value)
    assert found is not None and (found.date, found.precision) == expected


@pytest.mark.parametrize("value", ["soon", "2024-13-40", "", "yesterday"])
def test_non_dates_stay_none(value: str) -> None:
    assert normalise_date(value) is None


LINES = st.lists(
    st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=80), max_size=12
)


@settings(max_examples=150, deadline=None)
@given(LINES)
def test_cleaning_is_idempotent_and_tidy(rules: CleaningRules, lines: list[str]) -> None:
    cleaned = clean_text("\n".join(lines), rules)
    again = clean_text(cleaned.text, rules, title=cleaned.title)
    assert again.text == cleaned.text
    assert "\r" not in cleaned.text and "\n\n\n" not in cleaned.text
    assert cleaned.text == cleaned.text.strip()
    assert all(line == line.strip() for line in cleaned.text.split("\n"))


@settings(max_examples=150, deadline=None)
@given(st.text(max_size=300))
def test_character_normalisation_is_idempotent(text: str) -> None:
    once = normalise_characters(text)
    assert normalise_characters(once) == once


@settings(max_examples=100, deadline=None)
@given(st.lists(st.text(alphabet="abcdefghij KLMNOP.,", min_size=1, max_size=60),
                min_size=1, max_size=8))
def test_body_words_survive_cleaning(rules: CleaningRules, lines: list[str]) -> None:
    """Plain prose lines lose no words (only furniture and Markdown markers may go)."""
    cleaned = clean_text("\n".join(lines), rules)
    words = (cleaned.text + " " + (cleaned.title or "")).split()
    assert sorted(words) == sorted(" ".join(lines).split())


@pytest.mark.parametrize(("value", "code"), [("en", "en"), ("en-GB", "en"), ("FR", "fr"),
                                             ("German", "de"), ("Klingon", None), ("", None)])
def test_metadata_language_is_read_as_a_code(value: str, code: str | None) -> None:
    from dyadwatch.ingest.language import LanguageIdentifier

    assert LanguageIdentifier(load_ingest_rules().languages).from_metadata(value) == code


def test_khmer_is_recognised_by_its_script() -> None:
    from dyadwatch.ingest.language import LanguageIdentifier

    ident = LanguageIdentifier(load_ingest_rules().languages)
    assert ident.identify("ព័ត៌មាន​ថ្មី​ពី​ភ្នំពេញ​អំពី​ទំនាក់ទំនង​ការទូត") == "km"
    assert ident.identify("Nouvelles de Phnom Penh sur les relations diplomatiques.") == "fr"
