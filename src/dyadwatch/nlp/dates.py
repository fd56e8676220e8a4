"""Dates: a document's own date when metadata has none; the date of the event a sentence reports.

Reads plain sentence text (no parse needed) and an anchor date (publication or inferred date,
ISO `YYYY`, `YYYY-MM` or `YYYY-MM-DD`). Phrases are found by the patterns of
`date_lexicon.py` (built from data/nlp/dates.yaml) and resolved here; dateparser is called
only for numeric leftovers ("5/12/2025"), and precision is always decided here.

Choice among several dates in one sentence (kept simple on purpose). Each date has a role:
`side` when it sits in a parenthesis, a relative clause ("which ...", "that were ... in
2017") or a participle phrase ("the embargo imposed in 2021", ", suspended since 2017");
`state` when it opens a state ("has done so since 1954"); else `main`. The event's date is
the first `main` date, then the timeline line's date, then the first `state` date, then the
anchor (precision `document`), then a `side` date. A first date that merely contains the
line date ("in 2026" on a "January 24-28, 2026:" line) yields to the more precise line date.
"""

from __future__ import annotations

import calendar
import datetime as dt
import logging
import re
from dataclasses import dataclass

from dyadwatch.nlp.date_lexicon import DateLexicon, load_date_lexicon
from dyadwatch.nlp.date_roles import date_role
from dyadwatch.nlp.sentences import split_sentences

log = logging.getLogger(__name__)

__all__ = [
    "DateMention", "EventDate", "InferredDate", "find_date_mentions", "infer_document_date",
    "resolve_event_date",
]


@dataclass(frozen=True, slots=True)
class InferredDate:
    """A document date read from its text: ISO date, precision (day/month/year), the cue."""

    date: str
    precision: str
    evidence: str


@dataclass(frozen=True, slots=True)
class EventDate:
    """An event's date: ISO start, ISO end for ranges, and its precision (one of
    `records.DATE_PRECISIONS`)."""

    date: str | None
    date_end: str | None
    precision: str


@dataclass(frozen=True, slots=True)
class DateMention:
    """A date phrase in a sentence (character offsets into it) and what it resolves to."""

    start: int
    end: int
    text: str
    kind: str
    role: str
    date: str
    date_end: str | None
    precision: str


@dataclass(frozen=True, slots=True)
class _Anchor:
    year: int
    month: int | None = None
    day: int | None = None

    def as_date(self) -> dt.date:
        return dt.date(self.year, self.month or 12, self.day or 28)


def _parse_iso(value: str | None) -> _Anchor | None:
    """`YYYY`, `YYYY-MM` or `YYYY-MM-DD[T...]` as an anchor; None when absent or malformed."""
    if not value:
        return None
    match = re.match(r"(\d{4})(?:-(\d\d)(?:-(\d\d))?)?", value.strip())
    if not match:
        log.warning("ignoring anchor date %r: not ISO", value)
        return None
    year, month, day = (int(g) if g else None for g in match.groups())
    return _Anchor(year or 0, month, day)


def _iso(year: int, month: int | None = None, day: int | None = None) -> str:
    if month is None:
        return f"{year:04d}"
    return f"{year:04d}-{month:02d}" if day is None else f"{year:04d}-{month:02d}-{day:02d}"


def _valid_day(year: int, month: int, day: int) -> bool:
    return 1 <= month <= 12 and 1 <= day <= calendar.monthrange(year, month)[1]


_Resolved = tuple[str, str | None, str]  # date, date_end, precision


def _near_year(month: int, day: int | None, anchor: _Anchor, future: bool, strict: bool) -> int:
    """The year that puts (month, day) closest before (or after, if `future`) the anchor."""
    if anchor.month is None:
        return anchor.year
    here = (month, day or 0) if anchor.day is not None and day else (month, 0)
    now = (anchor.month, anchor.day or 0) if anchor.day is not None and day else (anchor.month, 0)
    if future:
        return anchor.year if here > now or (here == now and not strict) else anchor.year + 1
    return anchor.year if here < now or (here == now and not strict) else anchor.year - 1


def _coarse(anchor: _Anchor) -> _Resolved:
    """The anchor at month (or year) precision: the honest answer when finer units are asked."""
    if anchor.month is None:
        return _iso(anchor.year), None, "year"
    return _iso(anchor.year, anchor.month), None, "month"


def _shift_month(year: int, month: int, delta: int) -> tuple[int, int]:
    index = year * 12 + (month - 1) + delta
    return index // 12, index % 12 + 1


def _month_of(lex: DateLexicon, word: str | None) -> int:
    return lex.months[(word or "").lower().rstrip(".")]


def _year2(first: int, text: str) -> int:
    """The end year of "2019-21" or "2019-2021"."""
    return int(text) if len(text) == 4 else first // 100 * 100 + int(text)


def _day_range(g: dict[str, str | None], lex: DateLexicon, anchor: _Anchor | None,
               future: bool) -> _Resolved | None:
    m1 = _month_of(lex, g["m"])
    m2 = _month_of(lex, g["m2"]) if g.get("m2") else m1
    d1, d2 = int(g["d"] or 0), int(g["d2"] or 0)
    if g.get("y"):
        y2 = int(g["y"] or 0)
    elif anchor:
        y2 = _near_year(m2, d2, anchor, future, strict=False)
    else:
        return None
    y1 = y2 - 1 if m1 > m2 else y2
    if not (_valid_day(y1, m1, d1) and _valid_day(y2, m2, d2)) or (y1, m1, d1) > (y2, m2, d2):
        return None
    return _iso(y1, m1, d1), _iso(y2, m2, d2), "range"


def _month_range(g: dict[str, str | None], lex: DateLexicon, anchor: _Anchor | None,
                 future: bool) -> _Resolved | None:
    m1, m2 = _month_of(lex, g["m"]), _month_of(lex, g["m2"])
    if g.get("y"):
        y2 = int(g["y"] or 0)
    elif anchor:
        y2 = anchor.year  # "From November to December": within the anchor year
    else:
        return None
    y1 = y2 - 1 if m1 > m2 else y2
    return _iso(y1, m1), _iso(y2, m2), "range"


def _absolute(kind: str, g: dict[str, str | None], lex: DateLexicon) -> _Resolved | None:
    """Dates that need no anchor: ISO, full dates, month-year, year, year range."""
    if kind == "year":
        return _iso(int(g["y"] or 0)), None, "year"
    if kind == "year_range":
        y1 = int(g["y"] or 0)
        y2 = _year2(y1, g["y2"] or "")
        return (_iso(y1), _iso(y2), "range") if y1 < y2 else None
    year = int(g["y"] or 0)
    month = int(g["mn"] or 0) if kind == "iso" else _month_of(lex, g["m"])
    if kind == "month_year":
        return _iso(year, month), None, "month"
    day = int(g["d"] or 0)
    return (_iso(year, month, day), None, "day") if _valid_day(year, month, day) else None


def _month_anchored(kind: str, g: dict[str, str | None], lex: DateLexicon, anchor: _Anchor,
                    future: bool) -> _Resolved | None:
    """Month names without a year: "On December 5", "last October", "in September last year"."""
    month = _month_of(lex, g["m"])
    if kind == "month_relyear":
        rel = lex.relative_words[(g["rel"] or "").lower()]
        return _iso(anchor.year + rel, month), None, "month"
    if kind == "rel_month":
        rel = lex.relative_words[(g["rel"] or "").lower()]
        if rel == 0:
            return _iso(anchor.year, month), None, "month"
        return _iso(_near_year(month, None, anchor, rel > 0, strict=True), month), None, "month"
    if kind == "bare_month":
        return _iso(_near_year(month, None, anchor, future, strict=False), month), None, "month"
    day = int(g["d"] or 0)
    year = _near_year(month, day, anchor, future, strict=False)
    return (_iso(year, month, day), None, "day") if _valid_day(year, month, day) else None


def _season(kind: str, g: dict[str, str | None], lex: DateLexicon,
            anchor: _Anchor | None) -> _Resolved | None:
    first, last = lex.seasons[(g["s"] or "").lower()]
    if kind == "season_year":
        year = int(g["y"] or 0)
    elif anchor is None:
        return None
    else:
        rel = lex.relative_words[(g["rel"] or "").lower()]
        current = anchor.year if anchor.month is None or anchor.month > last else anchor.year - 1
        year = current + 1 + rel if rel != 0 else anchor.year
    end_year = year + 1 if last < first else year
    return _iso(year, first), _iso(end_year, last), "range"


def _week(anchor: _Anchor, weeks: int, weekend: bool) -> _Resolved:
    base = dt.date(anchor.year, anchor.month or 1, anchor.day or 1)
    monday = base - dt.timedelta(days=base.weekday()) + dt.timedelta(weeks=weeks)
    start = monday + dt.timedelta(days=5 if weekend else 0)
    return start.isoformat(), (monday + dt.timedelta(days=6)).isoformat(), "range"


def _relative_unit(unit: str, offset: int, anchor: _Anchor) -> _Resolved:
    """An offset in whole units from the anchor, never finer than the anchor allows."""
    if unit in ("year", "decade"):
        return _iso(anchor.year + offset * (10 if unit == "decade" else 1)), None, "year"
    if anchor.month is None:
        return _coarse(anchor)
    if unit == "month":
        year, month = _shift_month(anchor.year, anchor.month, offset)
        return _iso(year, month), None, "month"
    if anchor.day is None:
        return _coarse(anchor)
    if unit in ("week", "weekend"):
        return _week(anchor, offset, unit == "weekend")
    day = dt.date(anchor.year, anchor.month, anchor.day) + dt.timedelta(days=offset)
    return day.isoformat(), None, "day"


def _weekday(g: dict[str, str | None], lex: DateLexicon, anchor: _Anchor,
             future: bool) -> _Resolved:
    if anchor.day is None or anchor.month is None:
        return _coarse(anchor)
    base = dt.date(anchor.year, anchor.month, anchor.day)
    target = lex.weekdays[(g["w"] or "").lower()]
    rel = (g.get("rel") or "").lower()
    ahead = (target - base.weekday()) % 7
    if rel == "next" or (future and rel != "last"):
        day = base + dt.timedelta(days=ahead or (7 if rel == "next" else 0))
    else:
        back = (base.weekday() - target) % 7
        day = base - dt.timedelta(days=back or (7 if rel == "last" else 0))
    return day.isoformat(), None, "day"


def _numeric(text: str, anchor: _Anchor | None) -> _Resolved | None:
    """A numeric date ("5/12/2025") through dateparser, the only leftover it is asked about."""
    import dateparser  # slow to import; only numeric dates need it

    settings: dict[str, object] = {"PREFER_DATES_FROM": "past"}
    if anchor:
        settings["RELATIVE_BASE"] = dt.datetime.combine(anchor.as_date(), dt.time())
    parsed = dateparser.parse(text, languages=["en"], settings=settings)  # type: ignore[arg-type]
    return (parsed.date().isoformat(), None, "day") if parsed else None


def _resolve(kind: str, match: re.Match[str], lex: DateLexicon, anchor: _Anchor | None,
             future: bool) -> _Resolved | None:
    """What one matched phrase means, or None when it cannot be resolved without an anchor."""
    g = match.groupdict()
    if kind in ("iso", "full", "month_year", "year", "year_range"):
        return _absolute(kind, g, lex)
    if kind == "day_range":
        return _day_range(g, lex, anchor, future)
    if kind == "month_range":
        return _month_range(g, lex, anchor, future)
    if kind in ("season_rel", "season_year"):
        return _season(kind, g, lex, anchor)
    if kind == "numeric":
        return _numeric(match.group(0), anchor)
    if anchor is None:
        return None
    if kind in ("partial_day", "rel_month", "bare_month", "month_relyear"):
        return _month_anchored(kind, g, lex, anchor, future)
    if kind == "weekday":
        return _weekday(g, lex, anchor, future)
    if kind == "rel_unit":
        return _relative_unit((g["unit"] or "").lower(),
                              lex.relative_words[(g["rel"] or "").lower()], anchor)
    if kind == "rel_day":
        return _relative_unit("day", lex.relative_days[(g["word"] or "").lower()], anchor)
    count = lex.number_words.get((g["n"] or "").lower()) or int(g["n"] or 0)
    sign = 1 if (g["dir"] or "").lower().startswith("from") else -1
    return _relative_unit((g["unit"] or "").lower(), sign * count, anchor)


def _non_overlapping(found: list[tuple[int, int, str, re.Match[str]]]) -> list[
        tuple[int, int, str, re.Match[str]]]:
    """Of each run of overlapping matches, the longest (the earliest on a tie)."""
    kept: list[tuple[int, int, str, re.Match[str]]] = []
    cluster_end = -1
    for item in sorted(found, key=lambda t: (t[0], -t[1])):
        start, end = item[0], item[1]
        if kept and start < cluster_end:
            if end - start > kept[-1][1] - kept[-1][0]:
                kept[-1] = item
            cluster_end = max(cluster_end, end)
            continue
        kept.append(item)
        cluster_end = end
    return kept


def find_date_mentions(sentence: str, anchor: str | None = None,
                       lexicon: DateLexicon | None = None) -> list[DateMention]:
    """Every resolvable date phrase of `sentence`, in order, resolved against `anchor`.

    Of overlapping matches the longest wins. Phrases that need an anchor ("last October")
    are left out when `anchor` is None; so are phrases that do not resolve (a 31 February).
    """
    lex = lexicon or load_date_lexicon()
    base = _parse_iso(anchor)
    future = bool(lex.future.search(sentence))
    candidates = []
    for pattern in lex.patterns:
        for match in pattern.regex.finditer(sentence):
            if _resolve(pattern.kind, match, lex, base, future) is not None:
                candidates.append((match.start(), match.end(), pattern.kind, match))
    mentions = []
    for start, end, kind, match in _non_overlapping(candidates):
        resolved = _resolve(kind, match, lex, base, future)
        if resolved is not None:
            text = match.group(0)
            mentions.append(DateMention(start, end, text, kind,
                                        date_role(sentence, start, text, lex), *resolved))
    return mentions


def _padded(value: str, high: bool) -> tuple[int, int, int]:
    """An ISO date of any precision as (year, month, day), at its first or last day."""
    bits = [int(b) for b in value.split("-")]
    fill = [12, 31] if high else [1, 1]
    bits += fill[len(bits) - 1 :]
    return bits[0], bits[1], bits[2]


def _contains(outer: DateMention, inner: EventDate) -> bool:
    if inner.date is None or outer.precision == inner.precision:
        return False
    lo, hi = _padded(outer.date, False), _padded(outer.date_end or outer.date, True)
    ilo, ihi = _padded(inner.date, False), _padded(inner.date_end or inner.date, True)
    return lo <= ilo and ihi <= hi and (lo, hi) != (ilo, ihi)


def _as_event_date(mention: DateMention) -> EventDate:
    return EventDate(mention.date, mention.date_end, mention.precision)


def resolve_event_date(sentence: str, anchor: str | None, line_date: str | None = None,
                       lexicon: DateLexicon | None = None) -> EventDate:
    """The date of the event `sentence` reports, resolved against `anchor` (any precision).

    Order of choice: the first `main` date of the sentence (yielding to `line_date` when
    that is a more precise date inside it); `line_date` (a timeline line's leading date);
    the first `state` date ("since 1954"); the anchor with precision `document`; the first
    `side` date ("the embargo imposed in 2021"); else `EventDate(None, None, "unknown")`.
    """
    lex = lexicon or load_date_lexicon()
    mentions = find_date_mentions(sentence, anchor, lex)
    line_mentions = find_date_mentions(line_date, anchor, lex) if line_date else []
    line = _as_event_date(line_mentions[0]) if line_mentions else None
    by_role = {role: [m for m in mentions if m.role == role] for role in ("main", "state", "side")}
    if by_role["main"]:
        first = by_role["main"][0]
        return line if line and _contains(first, line) else _as_event_date(first)
    if line:
        return line
    if by_role["state"]:
        return _as_event_date(by_role["state"][0])
    base = _parse_iso(anchor)
    if base is not None:
        return EventDate(_iso(base.year, base.month, base.day), None, "document")
    if by_role["side"]:
        return _as_event_date(by_role["side"][0])
    return EventDate(None, None, "unknown")


# ---- the document's own date -----------------------------------------------------------

_ABSOLUTE_KINDS = frozenset({"iso", "full", "month_year", "day_range", "month_range"})


def _sort_key(value: str) -> tuple[int, int, int]:
    bits = [int(b) for b in value.split("-")] + [0, 0]
    return bits[0], bits[1], bits[2]


def _latest_dated_event(text: str, lex: DateLexicon) -> DateMention | None:
    """The latest complete date (day or month, with its year) of a non-future sentence that
    is not a deadline ("until March 2020")."""
    latest: DateMention | None = None
    for sentence in split_sentences(text):
        if lex.future.search(sentence.text):
            continue
        for mention in find_date_mentions(sentence.text, None, lex):
            if mention.kind not in _ABSOLUTE_KINDS or lex.deadline.search(
                    sentence.text[max(0, mention.start - 20) : mention.start]):
                continue
            end = mention.date_end or mention.date
            if latest is None or _sort_key(end) > _sort_key(latest.date_end or latest.date):
                latest = mention
    return latest


def _current_month(text: str, floor: _Anchor, lex: DateLexicon) -> InferredDate | None:
    """"Earlier in January" after a floor of 2025-09: the first January not before it."""
    best: tuple[int, int, str] | None = None
    for match in lex.current_month.finditer(text):
        month = _month_of(lex, match.group("m"))
        year = floor.year if month >= (floor.month or 1) else floor.year + 1
        if best is None or (year, month) > best[:2]:
            best = (year, month, match.group(0))
    if best is None:
        return None
    floor_text = _iso(floor.year, floor.month, floor.day)
    return InferredDate(_iso(best[0], best[1]), "month", f"{best[2]} (not before {floor_text})")


def _precision_of(value: str) -> str:
    return {1: "year", 2: "month", 3: "day"}[len(value.split("-"))]


def infer_document_date(text: str, lower_bound: str | None = None,
                        lexicon: DateLexicon | None = None) -> InferredDate | None:
    """A publication date read from `text` when metadata has none; None if nothing supports one.

    In order: a self-dating cue ("This year, 2011" -> 2011, year); a current-month cue
    ("Earlier in January") placed at the first such month not before the floor (the later of
    `lower_bound` and the latest dated event); the latest explicit complete date of a
    non-future sentence ("latest dated event", at that date's precision, meaning "not
    before"); `lower_bound` itself. Never invents a date.
    """
    lex = lexicon or load_date_lexicon()
    cue = lex.self_dating.search(text)
    if cue:
        return InferredDate(cue.group("y"), "year", cue.group(0))
    latest = _latest_dated_event(text, lex)
    latest_end = (latest.date_end or latest.date) if latest else None
    bound = _parse_iso(lower_bound)
    bound_text = _iso(bound.year, bound.month, bound.day) if bound else None
    candidates = [v for v in (latest_end, bound_text) if v]
    if not candidates:
        return None
    floor_text = max(candidates, key=_sort_key)
    current = _current_month(text, _parse_iso(floor_text) or _Anchor(0), lex)
    if current and _sort_key(current.date) >= _sort_key(floor_text[:7]):
        return current
    if latest and latest_end == floor_text:
        return InferredDate(floor_text, _precision_of(floor_text),
                            f"latest dated event: {latest.text}")
    return InferredDate(floor_text, _precision_of(floor_text), "lower bound given")
