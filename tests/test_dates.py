"""Document dates inferred from text, and event dates resolved from sentences.

Example sentences are written for these tests; the seed articles are read at run time.
"""

from __future__ import annotations

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
from dyadwatch.nlp.sentences import split_sentences

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
