"""Metadata values to the record's form: publication dates to ISO with their precision.

`normalise_date(value)` reads what a reader found (ISO strings, datetimes, RFC 2822 dates,
"25 October 2024", "October 2024", "2024") and returns a `PublishedDate`, or None when the value
is not a date (month names: data/nlp/dates.yaml). It never invents a part the value does not
give: "October 2024" is month precision, not the first or current day of October.
"""

from __future__ import annotations

import email.utils
import re
from dataclasses import dataclass
from datetime import date, datetime

from dyadwatch.nlp.date_lexicon import load_date_lexicon

_ISO = re.compile(r"^\s*(\d{4})(?:-(\d{1,2})(?:-(\d{1,2}))?)?(?:[T ][\d:.]+(?:Z|[+-][\d:]+)?)?\s*$")
_WEEKDAY = r"^(?:[A-Za-z]+,?\s+)?"
_DAY_MONTH_YEAR = re.compile(_WEEKDAY + r"(\d{1,2})(?:st|nd|rd|th)?\s+([A-Za-z]+)\.?,?\s+(\d{4})")
_MONTH_DAY_YEAR = re.compile(_WEEKDAY + r"([A-Za-z]+)\.?\s+(\d{1,2})(?:st|nd|rd|th)?,?\s+(\d{4})")
_MONTH_YEAR = re.compile(r"^([A-Za-z]+)\.?,?\s+(\d{4})$")


@dataclass(frozen=True, slots=True)
class PublishedDate:
    date: str
    precision: str  # day | month | year


def _valid(year: int, month: int | None = None, day: int | None = None) -> PublishedDate | None:
    try:
        if day is not None and month is not None:
            return PublishedDate(date(year, month, day).isoformat(), "day")
        if month is not None:
            date(year, month, 1)
            return PublishedDate(f"{year:04d}-{month:02d}", "month")
    except ValueError:
        return None
    return PublishedDate(f"{year:04d}", "year") if 1000 <= year <= 2999 else None


def _from_words(text: str) -> PublishedDate | None:
    months = load_date_lexicon().months  # month names and abbreviations, lower-cased
    for pattern, order in ((_DAY_MONTH_YEAR, "dmy"), (_MONTH_DAY_YEAR, "mdy")):
        match = pattern.match(text)
        if match:
            a, b, year = match.groups()
            day, month_name = (a, b) if order == "dmy" else (b, a)
            month = months.get(month_name.lower())
            if month:
                return _valid(int(year), month, int(day))
    match = _MONTH_YEAR.match(text)
    if match and match.group(1).lower() in months:
        return _valid(int(match.group(2)), months[match.group(1).lower()])
    return None


def normalise_date(value: object) -> PublishedDate | None:
    """An ISO date with its precision, from a metadata value; None when it is not a date."""
    if value is None:
        return None
    if isinstance(value, datetime | date):
        return PublishedDate(value.strftime("%Y-%m-%d"), "day")
    text = str(value).strip()
    if not text:
        return None
    match = _ISO.match(text)
    if match:
        year, month, day = (int(g) if g else None for g in match.groups())
        return _valid(year or 0, month, day)
    try:
        parsed = email.utils.parsedate_to_datetime(text)
    except (TypeError, ValueError, IndexError):
        parsed = None
    if parsed is not None:
        return PublishedDate(parsed.strftime("%Y-%m-%d"), "day")
    return _from_words(text)
