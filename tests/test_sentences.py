"""The rule-based sentence splitter: lines first, abbreviations, timeline line dates."""

from __future__ import annotations

from pathlib import Path

from dyadwatch.nlp.sentences import split_sentences


def test_split_keeps_lines_apart_even_without_final_period() -> None:
    text = "March 2024: Talks opened in Hanoi\nApril 2, 2024: The two sides signed a pact."
    sentences = split_sentences(text)
    assert [s.text for s in sentences] == [
        "March 2024: Talks opened in Hanoi",
        "April 2, 2024: The two sides signed a pact.",
    ]


def test_timeline_line_date_reaches_every_sentence_of_its_line() -> None:
    text = "May 2023: Japan sent a frigate. It stayed a week.\nNo date here."
    sentences = split_sentences(text)
    assert [s.line_date for s in sentences] == ["May 2023", "May 2023", None]


def test_abbreviations_do_not_end_sentences() -> None:
    text = "Gen. Prayuth met Mr. Lee in the U.S. Embassy on Monday. The U.S. Navy left."
    assert [s.text for s in split_sentences(text)] == [
        "Gen. Prayuth met Mr. Lee in the U.S. Embassy on Monday.",
        "The U.S. Navy left.",
    ]


def test_sentence_after_us_at_end_of_sentence_is_split() -> None:
    text = "Aid came from the U.S. The money arrived in May."
    assert len(split_sentences(text)) == 2


def test_offsets_point_into_the_text() -> None:
    text = "  First one here.  Second one!\n\nThird?"
    for s in split_sentences(text):
        assert text[s.start : s.end] == s.text
    assert [s.index for s in split_sentences(text)] == [0, 1, 2]


def test_seed_timeline_lines_are_separate_sentences(seeds_dir: Path) -> None:
    text = (seeds_dir / "000_95542604e07ae48d.txt").read_text(encoding="utf-8")
    sentences = split_sentences(text)
    dated = [s for s in sentences if s.line_date]
    assert {s.line_date for s in dated} >= {"October 2025", "October 31, 2025", "February 3, 2026"}
    assert all(text[s.start : s.end] == s.text for s in sentences)
