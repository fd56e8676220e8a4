"""The explorer's filters: query parameters <-> `store.events.EventFilter`, and periods.

A filtered view is a link: every filter is a query parameter (`since`, `until`, `root`,
`plover`, `quad`, `modality`, `min_conf`, `outlet`, `context`, `freq`, `period`), read here
into one frozen `Explorer` whose `event_filter()` is the same EventFilter the CLI's
`dyadwatch events` builds from the same options, so the events listed for a view are the
events the CLI prints.
"""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass, replace
from typing import Annotated
from urllib.parse import urlencode

from fastapi import HTTPException, Query

from dyadwatch.contexts import check_context
from dyadwatch.errors import ParameterError
from dyadwatch.params import ISO_DATE_PATTERN, check_date
from dyadwatch.records import MODALITIES
from dyadwatch.store.events import EventFilter, date_start

FREQS = ("month", "quarter", "year")
# A period key as the chart names it: 2018, 2018-Q2 or 2018-03.
PERIOD_PATTERN = r"^[0-9]{4}(-Q[1-4]|-[0-9]{2})?$"
_PERIOD = re.compile(PERIOD_PATTERN, re.ASCII)

# A date, or nothing (a form's empty field).
DateParam = Annotated[str | None, Query(pattern=f"^({ISO_DATE_PATTERN[1:-1]})?$")]


@dataclass(frozen=True, slots=True)
class Explorer:
    """One filtered view: which events, how they are bucketed, which bucket is open."""

    since: str | None = None
    until: str | None = None
    root: str | None = None
    plover: str | None = None
    quad_class: int | None = None
    modality: str | None = None
    min_confidence: float | None = None
    outlet: str | None = None
    context: str | None = None  # a PLOVER context: events with a mention of it
    freq: str = "month"
    period: str | None = None

    def event_filter(self, dyad: tuple[str, str] | None = None,
                     actor: str | None = None) -> EventFilter:
        """The events of the whole view (every period)."""
        return EventFilter(
            actor=actor, dyad=dyad, since=self.since, until=self.until, root=self.root,
            plover=self.plover, quad_class=self.quad_class, modality=self.modality,
            min_confidence=self.min_confidence, outlet=self.outlet, context=self.context,
        )

    def period_filter(self, flt: EventFilter) -> EventFilter | None:
        """`flt` narrowed to the open period (None when no period is open)."""
        if not self.period:
            return None
        first, last = period_bounds(self.period)
        since = max(first, flt.since or first, key=lambda d: date_start(d) or "")
        until = min(last, flt.until or last, key=_end_key)
        return replace(flt, since=since, until=until)

    def params(self, **change: object) -> dict[str, str]:
        """The view as query parameters (empty ones left out), with `change` applied."""
        values: dict[str, object] = {
            "since": self.since, "until": self.until, "root": self.root, "plover": self.plover,
            "quad": self.quad_class, "modality": self.modality, "min_conf": self.min_confidence,
            "outlet": self.outlet, "context": self.context,
            "freq": None if self.freq == "month" else self.freq, "period": self.period,
        }
        values.update(change)
        return {k: str(v) for k, v in values.items() if v not in (None, "")}

    def query(self, **change: object) -> str:
        """The view as a query string ("" when nothing is set), with `change` applied."""
        params = self.params(**change)
        return "?" + urlencode(params) if params else ""

    @property
    def narrowed(self) -> bool:
        """Whether any filter beyond the dates is set (then counts are of a subset)."""
        return any(v is not None for v in (self.root, self.plover, self.quad_class,
                                           self.modality, self.min_confidence, self.outlet,
                                           self.context))


def _end_key(date: str) -> str:
    """The last day of an ISO date of any precision, for comparing ends."""
    parts = date.split("-")
    if len(parts) == 3:
        return date
    year = int(parts[0])
    month = int(parts[1]) if len(parts) == 2 else 12
    return f"{year:04d}-{month:02d}-{calendar.monthrange(year, month)[1]:02d}"


def period_of(date: str | None, freq: str) -> str | None:
    """The period key of an event date (by its first day): 2018, 2018-Q2 or 2018-03."""
    start = date_start(date)
    if not start:
        return None
    year, month = start[:4], int(start[5:7])
    if freq == "year":
        return year
    if freq == "quarter":
        return f"{year}-Q{(month - 1) // 3 + 1}"
    return f"{year}-{month:02d}"


def period_bounds(period: str) -> tuple[str, str]:
    """(first, last) month of a period key as YYYY-MM: 2018-Q2 -> (2018-04, 2018-06)."""
    year = period[:4]
    if len(period) == 4:
        return f"{year}-01", f"{year}-12"
    if period[5] == "Q":
        first = (int(period[6]) - 1) * 3 + 1
        return f"{year}-{first:02d}", f"{year}-{first + 2:02d}"
    return period, period


def _bad(message: str) -> HTTPException:
    return HTTPException(status_code=422, detail=message)


def _checked(value: str | None, name: str) -> str | None:
    try:
        return check_date(value or None)
    except ValueError as exc:
        raise _bad(f"{name}: {exc}") from exc


def _confidence(value: str | None) -> float | None:
    """A confidence between 0 and 1 (None when empty); 422 otherwise."""
    if not value:
        return None
    try:
        number = float(value)
    except ValueError:
        number = -1.0
    if not 0.0 <= number <= 1.0:  # also refuses nan
        raise _bad(f"min_conf: {value!r} is no number from 0 to 1")
    return number


def _context(value: str | None) -> str | None:
    """A PLOVER context of the packaged lexicon, in lower case (None when empty); 422 else."""
    try:
        return check_context(value or None)
    except ParameterError as exc:
        raise _bad(f"context: {exc}") from exc


def _real_period(period: str) -> bool:
    try:
        return all(check_date(month) for month in period_bounds(period))
    except ValueError:
        return False


def explorer_params(
    since: DateParam = None, until: DateParam = None,
    root: Annotated[str | None, Query(pattern=r"^([0-9]{1,2})?$")] = None,
    plover: Annotated[str | None, Query(pattern=r"^[A-Za-z_]{0,30}$")] = None,
    quad: Annotated[str | None, Query(pattern=r"^[1-4]?$")] = None,
    modality: Annotated[str | None, Query(max_length=20)] = None,
    min_conf: Annotated[str | None, Query(max_length=20)] = None,
    outlet: Annotated[str | None, Query(max_length=200)] = None,
    context: Annotated[str | None, Query(max_length=40)] = None,
    freq: Annotated[str, Query(pattern="^(month|quarter|year)$")] = "month",
    period: Annotated[str | None, Query(pattern=r"^([0-9]{4}(-Q[1-4]|-[0-9]{2})?)?$")] = None,
) -> Explorer:
    """The explorer's filters from query parameters (a FastAPI dependency); 422 when bad.
    An empty parameter (a form's "any") is no filter."""
    if modality and modality.lower() not in MODALITIES:
        raise _bad(f"modality: {modality!r} is none of {', '.join(MODALITIES)}")
    if period and not (_PERIOD.fullmatch(period) and _real_period(period)):
        raise _bad(f"period: {period!r} is no period (2018, 2018-Q2 or 2018-03)")
    return Explorer(
        since=_checked(since, "since"), until=_checked(until, "until"),
        root=root.zfill(2) if root else None, plover=plover.upper() if plover else None,
        quad_class=int(quad) if quad else None, modality=modality.lower() if modality else None,
        min_confidence=_confidence(min_conf), outlet=outlet or None, context=_context(context),
        freq=freq,
        period=period or None,
    )
