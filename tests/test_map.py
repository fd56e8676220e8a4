"""The map of located events, offline: the packaged country outlines, places counted, the
brief's SVG map and the dashboard's Plotly map in Debian's chromium with every request that
leaves the test server refused."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from dyadwatch.analysis.places import (
    OUTLINES_FILE,
    country_centres,
    labelled,
    load_outlines,
    place_counts,
)
from dyadwatch.coding.gazetteer import default_gazetteer
from dyadwatch.datafiles import packaged_path
from dyadwatch.records import Actor, Event, Location


def _inside(point: tuple[float, float], ring: tuple[tuple[float, float], ...]) -> bool:
    """Ray casting: whether (lon, lat) is inside the ring."""
    x, y = point
    inside = False
    for (x0, y0), (x1, y1) in zip(ring, ring[1:] + ring[:1], strict=True):
        if (y0 > y) != (y1 > y) and x < x0 + (y - y0) * (x1 - x0) / (y1 - y0):
            inside = not inside
    return inside


def test_the_outlines_ship_small_and_hold_the_places_of_the_gazetteer() -> None:
    path = packaged_path(OUTLINES_FILE)
    assert path.stat().st_size < 300_000
    assert "Natural Earth" in path.read_text(encoding="utf-8")[:2000]
    outlines = {o.code: o for o in load_outlines() if o.code}
    assert len(outlines) >= 170 and {"KHM", "MYS", "USA", "SYR", "TUR", "CHN"} <= set(outlines)
    for place, code in (("Kuala Lumpur", "MYS"), ("Phnom Penh", "KHM"), ("Damascus", "SYR"),
                        ("Ankara", "TUR")):
        loc = next(p.location for p in default_gazetteer().lookup(place)
                   if p.location.country == code)
        assert loc.lon is not None and loc.lat is not None
        assert any(_inside((loc.lon, loc.lat), r) for r in outlines[code].rings), place
        assert not any(_inside((loc.lon, loc.lat), r) for r in outlines["USA"].rings)
    west, south, east, north = outlines["KHM"].bounds
    lon, lat = country_centres()["KHM"]
    assert west < lon < east and south < lat < north


def _mention(event_id: str, cluster: str | None, location: Location | None) -> Event:
    nobody = Actor(code=None, country=None, role=None, text="someone")
    return Event(
        event_id=event_id, doc_id="d", doc_source="s", sentence_index=0, sentence="x",
        date="2025-10", date_end=None, date_precision="month", source=nobody, target=nobody,
        cameo="040", root="04", quad_class=1, goldstein=1.0, plover="CONSULT",
        modality="occurred", negated=False, confidence=1.0, coder_version="t",
        dictionary_version="t", cluster_id=cluster, location=location,
    )


def test_an_event_is_drawn_once_at_its_most_precise_place() -> None:
    kl = Location("Kuala Lumpur", "MYS", "MY.14", 3.14, 101.69, "geonames:1735161", "city")
    malaysia = Location("Malaysia", "MYS", None, 4.0, 102.0, "geonames:1733045", "country")
    peru = Location("Peru", "PER", None, None, None, "geonames:3932488", "country")
    sea = Location("Some Sea", None, None, None, None, "dyadwatch:some-sea", "region")
    places, unmapped = place_counts([
        # one event told three times: the country, the city, and not where
        _mention("a", "c1", malaysia), _mention("b", "c1", kl), _mention("c", "c1", None),
        _mention("d", "c2", kl), _mention("e", None, malaysia),
        _mention("f", None, peru), _mention("g", None, None), _mention("h", None, sea),
    ])
    assert unmapped == 1
    assert [(p.location.name, p.events, len(p.mentions)) for p in places] == [
        ("Kuala Lumpur", 2, 4), ("Malaysia", 1, 1), ("Peru", 1, 1)]
    assert not places[0].approximate and places[2].approximate
    assert (places[0].lon, places[0].lat) == (101.69, 3.14)
    assert places[0].hover() == "Kuala Lumpur (MYS), city: 2 events, 4 mentions"
    assert "country's centre" in places[2].hover()
    assert places[0].mentions[0].location == malaysia  # the mention's own record is kept


def test_names_that_would_overlap_are_left_off_the_map() -> None:
    def at(name: str, lon: float, lat: float, n: int) -> list[Event]:
        where = Location(name, "SYR", None, lat, lon, f"dyadwatch:{name}", "city")
        return [_mention(f"{name}{i}", f"{name}{i}", where) for i in range(n)]

    places, _ = place_counts(at("Afrin", 36.87, 36.51, 3) + at("Azaz", 37.05, 36.59, 2)
                             + at("Riyadh", 46.72, 24.69, 1))
    world = (-180.0, -60.0, 180.0, 85.0)
    assert {places[i].location.name for i in labelled(places, world)} == {"Afrin", "Riyadh"}
    close = (36.0, 35.5, 38.0, 37.5)  # zoomed in, both names fit
    assert len(labelled(places, close)) == 3
    assert len(labelled(places, world, most=1)) == 1


# --- the seeds, ingested for real ------------------------------------------------------------

@pytest.fixture(scope="module")
def seeds_ws(tmp_path_factory, seeds_dir: Path, coder) -> Path:
    from dyadwatch.run import ingest_paths
    from dyadwatch.settings import Settings

    data = tmp_path_factory.mktemp("seeds-map") / "ws"
    ingest_paths([seeds_dir], Settings(data_dir=data), coder)
    return data


def test_the_brief_draws_its_located_events_as_inline_svg(seeds_ws: Path, tmp_path: Path) -> None:
    from dyadwatch.analysis.queries import analysis_scope, dyad_clusters
    from dyadwatch.report import write_report
    from dyadwatch.store.workspace import Workspace

    out = write_report(seeds_ws, "USA", "KHM", tmp_path / "brief.html")
    html = out.read_text(encoding="utf-8")
    ws = Workspace(seeds_ws)
    scope = analysis_scope(ws)
    admitted = [c for c in dyad_clusters(ws, "USA", "KHM") if scope.admits(c)]
    places, _ = place_counts(m for c in admitted for m in c.mentions)
    assert {p.location.name for p in places} >= {"Kuala Lumpur", "Ream Naval Base"}
    section = html[html.index('<section id="map">'):]
    section = section[:section.index("</section>")]
    svg = section[section.index("<svg"):section.index("</svg>")]
    assert svg.count("<circle") == len(places)
    assert section.count("<tr><td>") == len(places)
    assert "<title>Kuala Lumpur (MYS), city: 1 event, 1 mention</title>" in svg
    assert sum(p.events for p in places) == sum(
        1 for c in admitted if any(m.location for m in c.mentions))
    assert svg.count("<path") >= 5  # Cambodia, Malaysia, Thailand, Vietnam, Laos …
    # the map itself runs no script and loads nothing (the whole brief: test_report's offline
    # check, which allows only the inlined plotly.min.js and explorer.js and source links)
    assert "<script" not in section and not re.search(r"(src|href)=", section)


@pytest.fixture()
def browser_page(browser: Any) -> Iterator[Any]:
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    page.set_default_timeout(20_000)
    try:
        yield page
    finally:
        page.close()


@pytest.mark.browser
def test_the_dashboard_map_draws_offline_and_lists_a_place(seeds_ws: Path, browser_page,
                                                           tmp_path: Path) -> None:
    from dyadwatch.store.events import query_events
    from dyadwatch.store.workspace import Workspace
    from dyadwatch.web import WebConfig, background_server

    with Workspace(seeds_ws).connect(read_only=True) as con:
        places, _ = place_counts(query_events(con))
    page = browser_page
    refused: list[str] = []
    with background_server(WebConfig(data_dir=seeds_ws)) as base:
        def only_ours(route) -> None:  # type: ignore[no-untyped-def]
            if route.request.url.startswith(base):
                route.continue_()
            else:
                refused.append(route.request.url)
                route.abort()

        page.route("**/*", only_ours)
        page.goto(f"{base}/explore")
        page.wait_for_function("document.querySelector('#map-chart .plot[data-drawn]')")
        markers = page.locator("#map-chart .scatterlayer .trace").nth(1).locator("path.point")
        assert markers.count() == len(places) >= 4
        land = page.locator("#map-chart .scatterlayer .trace").first.locator("path.js-fill")
        box = land.first.bounding_box()
        assert box is not None and box["width"] > 300  # the outlines are drawn, filled
        biggest = 0  # places come most events first, in the order Plotly draws them
        markers.nth(biggest).click(force=True)
        page.wait_for_selector("#map-list:not([hidden])")
        links = page.locator("#map-list ul a")
        assert links.count() == len(places[biggest].mentions)
        assert page.locator("#map-list .map-list-title").inner_text() == places[biggest].hover()
        page.locator("#map").screenshot(path=str(tmp_path / "map.png"))
    assert refused == []
