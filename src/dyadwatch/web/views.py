"""Small helpers the pages and the API share: parsing actor codes and dyads, paging."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

ACTOR_CODE = re.compile(r"^[A-Z0-9]{2,15}$")
QUAD_NAMES = {
    1: "verbal cooperation",
    2: "material cooperation",
    3: "verbal conflict",
    4: "material conflict",
}


def parse_actor_code(value: str) -> str:
    """An actor or country code, upper-cased; ValueError when it is not one."""
    code = value.strip().upper()
    if not ACTOR_CODE.match(code):
        raise ValueError(f"not an actor code: {value!r} (expected letters/digits like USA, KHMGOV)")
    return code


def parse_dyad(value: str) -> tuple[str, str]:
    """"USA-KHM", "USA,KHM" or "USA/KHM" as a pair of codes; ValueError otherwise."""
    parts = [p for p in re.split(r"[-,/ ]+", value.strip()) if p]
    if len(parts) != 2:
        raise ValueError(f"a dyad is two actor codes like USA-KHM, not {value!r}")
    a, b = parse_actor_code(parts[0]), parse_actor_code(parts[1])
    return a, b


def check_date(value: str | None) -> str | None:
    """An ISO date of any precision (YYYY, YYYY-MM, YYYY-MM-DD) as given; ValueError if not."""
    if value is None:
        return None
    parts = value.split("-")
    try:
        if not 1 <= len(parts) <= 3 or len(parts[0]) != 4:
            raise ValueError
        date(int(parts[0]), int(parts[1]) if len(parts) > 1 else 1,
             int(parts[2]) if len(parts) > 2 else 1)
    except ValueError:
        raise ValueError(f"not a date: {value!r} (expected YYYY, YYYY-MM or YYYY-MM-DD)") from None
    return value


@dataclass(frozen=True, slots=True)
class Paged:
    """One page of a longer list, with what is needed to link to the neighbours."""

    total: int
    limit: int
    offset: int

    @property
    def previous_offset(self) -> int | None:
        return max(0, self.offset - self.limit) if self.offset > 0 else None

    @property
    def next_offset(self) -> int | None:
        return self.offset + self.limit if self.offset + self.limit < self.total else None
