"""Date vocabulary (data/nlp/dates.yaml) and the regular expressions built from it.

Read once with `load_date_lexicon()` and pass the result to the functions of
`dyadwatch.nlp.dates`. Each pattern in `DateLexicon.patterns` has a kind that says how
`dates.py` resolves it; the list is ordered only for readability: overlapping matches are
settled by position and length (earliest, then longest wins).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

from dyadwatch.errors import DictionaryError
from dyadwatch.nlp.phrase_data import read_nlp_data, word_numbers

_REQUIRED: dict[str, type] = {
    "months": dict, "weekdays": dict, "seasons": dict, "relative_days": dict,
    "relative_words": dict, "month_qualifiers": list, "current_month_cues": list,
    "self_dating_cues": list, "future_markers": list, "anchor_prepositions": list,
    "state_prepositions": list, "deadline_prepositions": list, "relative_pronouns": list,
    "auxiliaries": list, "pronouns": list, "irregular_participles": list,
    "participle_prepositions": list,
}


@dataclass(frozen=True, slots=True)
class DatePattern:
    """One compiled date pattern and the kind of date it finds ("full_md", "rel_unit", ...)."""

    kind: str
    regex: re.Pattern[str]


@dataclass(frozen=True, slots=True)
class DateLexicon:
    """The date vocabulary and the patterns built from it (see data/nlp/dates.yaml)."""

    months: dict[str, int]
    weekdays: dict[str, int]
    seasons: dict[str, tuple[int, int]]
    relative_days: dict[str, int]
    relative_words: dict[str, int]
    number_words: dict[str, int]
    state_prepositions: frozenset[str]
    relative_pronouns: frozenset[str]
    auxiliaries: frozenset[str]
    pronouns: frozenset[str]
    participles: frozenset[str]
    participle_prepositions: frozenset[str]
    patterns: tuple[DatePattern, ...]
    future: re.Pattern[str]
    self_dating: re.Pattern[str]
    current_month: re.Pattern[str]
    deadline: re.Pattern[str]


def _alt(words: list[str] | Any) -> str:
    """A regex alternation of `words`, longest first, spaces matching any white space."""
    ordered = sorted({str(w) for w in words}, key=len, reverse=True)
    return "|".join(re.escape(w).replace(r"\ ", r"\s+") for w in ordered)


def _month(lex: dict[str, Any], name: str) -> str:
    return rf"\b(?P<{name}>(?-i:{_alt(lex['months'])}))\b\.?"


def _build_patterns(d: dict[str, Any], numbers: dict[str, int]) -> tuple[DatePattern, ...]:
    M, M2 = _month(d, "m"), _month(d, "m2")
    Y = r"\b(?P<y>(?:1[6-9]|20)\d\d)\b(?!\s*%|\s*per\s*cent)"
    Y2 = r"\b(?P<y2>(?:1[6-9]|20)\d\d|\d\d)\b"
    D, D2 = r"\b(?P<d>[0-3]?\d)(?:st|nd|rd|th)?\b", r"\b(?P<d2>[0-3]?\d)(?:st|nd|rd|th)?\b"
    W = rf"\b(?P<w>(?-i:{_alt(d['weekdays'])}))\b"
    Q = rf"(?P<q>{_alt(d['month_qualifiers'])})"
    REL = rf"(?P<rel>{_alt(d['relative_words'])})"
    S = rf"(?P<s>{_alt(d['seasons'])})"
    dash = r"\s*(?:[–—-]|to|until|through)\s*"
    specs = [
        ("iso", r"\b(?P<y>\d{4})-(?P<mn>\d\d)-(?P<d>\d\d)\b"),
        ("day_range", rf"{M}\s+{D}{dash}(?:{M2}\s+)?{D2}(?:\s*,?\s+{Y})?"),
        ("day_range", rf"{D}{dash}{D2}\s+(?:of\s+)?{M}(?:\s*,?\s+{Y})?"),
        ("month_range", rf"\b(?:from|between)\s+{M}\s+(?:to|until|till|through|and)\s+{M2}"
                        rf"(?:\s*,?\s+{Y})?"),
        ("month_range", rf"{M}\s*[–—-]\s*{M2}\s*,?\s+{Y}"),
        ("year_range", rf"\b(?:from|between)\s+{Y}\s+(?:to|until|till|through|and)\s+{Y2}"),
        ("year_range", rf"{Y}\s*[–—]\s*{Y2}"),
        ("full", rf"(?:{W}\s*,?\s+)?{M}\s+{D}\s*,?\s+{Y}"),
        ("full", rf"(?:{W}\s*,?\s+)?(?:the\s+)?{D}\s+(?:of\s+)?{M}\s*,?\s+{Y}"),
        ("month_year", rf"(?:{Q}[\s-]+)?{M}\s*,?\s+(?:of\s+)?{Y}"),
        ("month_relyear", rf"{M}\s+(?:of\s+)?{REL}\s+year\b"),
        ("partial_day", rf"(?:{W}\s*,?\s+)?{M}\s+{D}"),
        ("partial_day", rf"(?:the\s+)?{D}\s+(?:of\s+)?{M}"),
        ("rel_month", rf"\b{REL}\s+{M}"),
        ("bare_month", rf"\b(?P<pre>(?:(?:earlier|later|so\s+far|already)\s+in|{Q}|in|during"
                       rf"|since|until|till|by|from|through|of))\s+{M}"),
        ("season_rel", rf"\b{REL}\s+{S}\b"),
        ("season_year", rf"\b{S}\s+(?:of\s+)?{Y}"),
        ("year", rf"\b(?P<pre>{_alt(d['anchor_prepositions'])})\s+(?:the\s+)?(?:year\s+)?{Y}"
                 r"(?!\s*[–—-]\s*\d)"),
        ("rel_unit", rf"\b(?:(?:earlier|later)\s+)?{REL}\s+(?P<unit>week|weekend|month|year)\b"),
        ("rel_day", rf"\b(?P<word>{_alt(d['relative_days'])})\b"),
        ("ago", rf"\b(?P<n>\d+|{_alt(numbers)})\s+(?P<unit>day|week|month|year|decade)s?\s+"
                r"(?P<dir>ago|from\s+now)\b"),
        ("weekday", rf"(?:\b(?P<rel>last|this|next|on)\s+)?{W}"),
        ("numeric", r"\b\d{1,2}/\d{1,2}/(?:\d{4}|\d\d)\b"),
    ]
    return tuple(DatePattern(kind, re.compile(rx, re.IGNORECASE)) for kind, rx in specs)


def _seasons(source: Path, raw: dict[str, Any]) -> dict[str, tuple[int, int]]:
    out = {}
    for name, span in raw.items():
        if not (isinstance(span, list) and len(span) == 2 and all(1 <= int(m) <= 12 for m in span)):
            raise DictionaryError(f"{source}: season {name!r} needs [first month, last month]")
        out[str(name)] = (int(span[0]), int(span[1]))
    return out


def _lower_set(raw: list[Any]) -> frozenset[str]:
    return frozenset(str(w).lower() for w in raw)


@cache
def load_date_lexicon(path: Path | None = None, numbers_path: Path | None = None) -> DateLexicon:
    """Read data/nlp/dates.yaml and numbers.yaml (or the given files); validate; compile."""
    d = read_nlp_data("dates", _REQUIRED, path)
    num = read_nlp_data("numbers", {"units": dict}, numbers_path)
    source = path or Path("data/nlp/dates.yaml")
    months = word_numbers(source, d["months"], "months")
    if sorted(set(months.values())) != list(range(1, 13)):
        raise DictionaryError(f"{source}: `months` must name all twelve months")
    units = word_numbers(numbers_path or Path("data/nlp/numbers.yaml"), num["units"], "units")
    numbers = {k: v for k, v in units.items() if v < 100}
    flags = re.IGNORECASE
    return DateLexicon(
        months=months,
        weekdays=word_numbers(source, d["weekdays"], "weekdays"),
        seasons=_seasons(source, d["seasons"]),
        relative_days=word_numbers(source, d["relative_days"], "relative_days"),
        relative_words=word_numbers(source, d["relative_words"], "relative_words"),
        number_words=numbers,
        state_prepositions=_lower_set(d["state_prepositions"]),
        relative_pronouns=_lower_set(d["relative_pronouns"]),
        auxiliaries=_lower_set(d["auxiliaries"]),
        pronouns=_lower_set(d["pronouns"]),
        participles=_lower_set(d["irregular_participles"]),
        participle_prepositions=_lower_set(d["participle_prepositions"]),
        patterns=_build_patterns(d, numbers),
        future=re.compile(rf"(?<![\w'])(?:{_alt(d['future_markers'])})\b", flags),
        self_dating=re.compile(
            rf"\b(?:{_alt(d['self_dating_cues'])})\s*[,(–—-]?\s*(?:in\s+)?"
            r"(?P<y>(?:1[6-9]|20)\d\d)\b", flags),
        deadline=re.compile(rf"\b(?:{_alt(d['deadline_prepositions'])})\s+(?:the\s+)?$", flags),
        current_month=re.compile(
            rf"\b(?:{_alt(d['current_month_cues'])})\s+{_month(d, 'm')}(?!\s*,?\s*\d)", flags),
    )
