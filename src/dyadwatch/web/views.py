"""Small helpers the pages and the API share: parsing actor codes and dyads, paging."""

from __future__ import annotations

import re
from dataclasses import dataclass

ACTOR_CODE = re.compile(r"[A-Z0-9]{2,15}", re.ASCII)
# The largest offset a list accepts: the largest integer a JSON client (JavaScript) reads
# exactly; far beyond any workspace, and far below DuckDB's BIGINT limit of 2^63 - 1.
MAX_OFFSET = 2**53 - 1
QUAD_NAMES = {
    1: "verbal cooperation",
    2: "material cooperation",
    3: "verbal conflict",
    4: "material conflict",
}


def parse_actor_code(value: str) -> str:
    """An actor or country code, upper-cased; ValueError when it is not one."""
    code = value.strip().upper()
    if not ACTOR_CODE.fullmatch(code):
        raise ValueError(f"not an actor code: {value!r} (expected letters/digits like USA, KHMGOV)")
    return code


def parse_dyad(value: str) -> tuple[str, str]:
    """"USA-KHM", "USA,KHM" or "USA/KHM" as a pair of codes; ValueError otherwise."""
    parts = [p for p in re.split(r"[-,/ ]+", value.strip()) if p]
    if len(parts) != 2:
        raise ValueError(f"a dyad is two actor codes like USA-KHM, not {value!r}")
    a, b = parse_actor_code(parts[0]), parse_actor_code(parts[1])
    return a, b


def check_hedging_countries(focal: str, powers: tuple[str, str]) -> None:
    """ValueError unless the hedging country and the two powers are three countries."""
    countries = (focal[:3], powers[0][:3], powers[1][:3])
    if len(set(countries)) < 3:
        raise ValueError(f"the hedging country and the two powers must be three different "
                         f"countries, not {'/'.join(countries)} (try powers=USA-CHN with "
                         "another actor)")


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
