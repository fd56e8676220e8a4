"""Checks of parameters a user types (CLI options, query strings) shared by the CLI and the web.

Patterns here accept ASCII digits only: Python's `\\d` and `int()` also take other scripts'
digits ("٢٠٢٤"), which then reach DuckDB as text it cannot cast.
"""

from __future__ import annotations

import re
from datetime import date

from dyadwatch.errors import ParameterError

# YYYY, YYYY-MM or YYYY-MM-DD in ASCII digits (a query-string pattern and a Python regex).
ISO_DATE_PATTERN = r"^[0-9]{4}(-[0-9]{2}(-[0-9]{2})?)?$"
_ISO_DATE = re.compile(ISO_DATE_PATTERN, re.ASCII)


def check_date(value: str | None) -> str | None:
    """An ISO date of any precision (YYYY, YYYY-MM, YYYY-MM-DD) that exists, as given;
    ParameterError (a ValueError) naming the value and the reason otherwise. None stays None."""
    if value is None:
        return None
    if not _ISO_DATE.fullmatch(value):
        raise ParameterError(f"not a date: {value!r} (expected YYYY, YYYY-MM or YYYY-MM-DD)")
    year, month, day = (int(p) for p in [*value.split("-"), "1", "1"][:3])
    try:
        date(year, month, day)
    except ValueError as exc:
        raise ParameterError(f"not a date: {value!r} ({exc})") from None
    return value


__all__ = ["ISO_DATE_PATTERN", "check_date"]
