"""The gazetteer's build (issue #13: what a worker pays at start-up): lookup keys, the paused
garbage collector, the compact city rows, and a locator's gazetteer built on first use or
ahead of a forking pool (`run.code_stage.prepare_coder`), always replaceable by the caller."""

from __future__ import annotations

import gc
from pathlib import Path
from types import SimpleNamespace

import pytest

from dyadwatch.coding.gazetteer import (
    CITY_FIELDS,
    Gazetteer,
    Place,
    build_gazetteer,
    default_gazetteer,
    normalise,
)
from dyadwatch.coding.locations import Locator
from dyadwatch.errors import DictionaryError
from dyadwatch.records import Location
from dyadwatch.run.code_stage import prepare_coder


@pytest.mark.parametrize(("name", "key"), [
    ("Kuala Lumpur", "kuala lumpur"),
    ("Al-‘Ula", "ula"),  # quote dropped, hyphen a space, the article dropped
    ("St. John's", "st johns"),
    ("São  Tomé", "sao tome"),  # accents folded, two spaces one
    ("Kuala–Lumpur", "kuala lumpur"),  # an en dash
    (" -El_Paso, ", "paso"),
    ("El Al", "el al"),  # too short to lose its article
])
def test_lookup_keys(name: str, key: str) -> None:
    assert normalise(name) == key


def test_the_collector_is_paused_while_building_and_comes_back(tmp_path: Path) -> None:
    assert gc.isenabled()
    gaz = build_gazetteer()
    assert gc.isenabled()
    assert gaz.lookup("Hanoi") and gaz.lookup("Ream")
    bad = tmp_path / "places.yaml"
    bad.write_text("meta: {name: x, version: '1', source: me}\nplaces:\n  - {id: a}\n",
                   encoding="utf-8")
    with pytest.raises(DictionaryError):
        build_gazetteer(bad)
    assert gc.isenabled()  # an error does not leave it off
    gc.disable()
    try:
        build_gazetteer()
        assert not gc.isenabled()  # a caller's choice is kept
    finally:
        gc.enable()


def test_city_rows_keep_only_what_a_place_needs() -> None:
    gaz = default_gazetteer()
    assert gaz.city_rows and all(len(row) == len(CITY_FIELDS) for row in gaz.city_rows.values())
    hanoi = next(p for p in gaz.lookup("Hanoi") if p.location.precision == "city")
    assert hanoi.location.country == "VNM" and hanoi.population > 1_000_000
    assert hanoi.location.adm1 is not None and hanoi.location.adm1.startswith("VN.")
    # found by another Latin spelling: not primary
    assert any(not p.primary for p in gaz.lookup("Ha Noi"))


def _own_gazetteer() -> Gazetteer:
    place = Place(Location(name="Testville", country="XXA", adm1=None, lat=1.0, lon=2.0,
                           feature_id="test:testville", precision="city"), ours=True)
    return Gazetteer([place], {})


def test_a_callers_gazetteer_is_kept_when_prepared() -> None:
    own = _own_gazetteer()
    locator = Locator(gazetteer=own)
    prepare_coder(SimpleNamespace(locator=locator))  # type: ignore[arg-type]
    assert locator.gazetteer is own
    assert [p.location.name for p in locator.gazetteer.lookup("testville")] == ["Testville"]


def test_prepare_builds_the_gazetteer_before_the_first_event() -> None:
    locator = Locator()
    assert locator._gazetteer is None  # nothing built by construction
    prepare_coder(SimpleNamespace(locator=locator))  # type: ignore[arg-type]
    assert locator._gazetteer is default_gazetteer()
    prepare_coder(SimpleNamespace(version="x"))  # type: ignore[arg-type]  # no locator: no-op


def test_every_outlined_country_has_a_point_and_ours_win() -> None:
    """A country-level location has coordinates (for the map and GDELT's ActionGeo) wherever
    the outlines know the country; places.yaml's hand-set points take precedence."""
    from dyadwatch.coding.gazetteer import default_gazetteer
    from dyadwatch.datafiles import read_data_file

    _, outlines = read_data_file("locations/outlines.yaml")
    _, places = read_data_file("locations/places.yaml")
    gazetteer = default_gazetteer()
    for code in ("AFG", "YEM", "NOR", "CHL"):
        assert any(c["code"] == code for c in outlines["countries"])
        name = gazetteer.countries[code]
        place = next(p for p in gazetteer.lookup(name) if p.location.precision == "country")
        assert place.location.lat is not None and place.location.lon is not None
    afg = next(p for p in gazetteer.lookup("Afghanistan") if p.location.precision == "country")
    assert afg.location.lat is not None and afg.location.lon is not None
    assert 29 < afg.location.lat < 39 and 60 < afg.location.lon < 75  # inside the country
    khm = next(p for p in gazetteer.lookup("Cambodia") if p.location.precision == "country")
    assert [khm.location.lat, khm.location.lon] == places["country_points"]["KHM"]
