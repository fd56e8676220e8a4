"""Event locations: the place of the action read from real spaCy parses of sentences written
for these tests, the offline gazetteer, and the GDELT ActionGeo columns."""

from __future__ import annotations

from pathlib import Path

import pytest

from dyadwatch.coding.gazetteer import build_gazetteer, default_gazetteer
from dyadwatch.coding.locations import Locator
from dyadwatch.errors import DictionaryError
from dyadwatch.export.geo import action_geo_fields
from dyadwatch.records import Actor, Event, Location

NOBODY = Actor(code=None, country=None, role=None, text="")


def actor(code: str, text: str) -> Actor:
    return Actor(code=code, country=code[:3], role=code[3:] or None, text=text)


@pytest.fixture(scope="module")
def locator() -> Locator:
    return Locator()


def locate(nlp, locator: Locator, text: str, trigger: str, source: Actor = NOBODY,
           target: Actor = NOBODY) -> Location | None:
    doc = nlp(text)
    token = next(t for t in doc if t.text == trigger)
    return locator.locate(doc, token.i, source, target)


def test_the_place_of_the_action_not_the_other_places(nlp, locator) -> None:
    text = ("Officials in Bangkok said the two navy chiefs met in Hanoi on Friday after "
            "flying in from Manila.")
    found = locate(nlp, locator, text, "met")
    assert found is not None and found.name == "Hanoi"
    assert (found.country, found.precision) == ("VNM", "city")
    assert found.feature_id.startswith("geonames:") and found.lat and found.lon


def test_a_base_is_a_site_with_its_province(nlp, locator) -> None:
    found = locate(nlp, locator, "A British frigate docked at Ream Naval Base for three days.",
                   "docked", actor("GBRMIL", "A British frigate"))
    assert found is not None and found.name == "Ream Naval Base"
    assert (found.country, found.precision, found.adm1) == ("KHM", "site", "KH.28")


def test_the_border_of_the_two_actors(nlp, locator) -> None:
    text = "Thai soldiers and Cambodian troops exchanged fire near the border overnight."
    found = locate(nlp, locator, text, "exchanged", actor("THAMIL", "Thai soldiers"),
                   actor("KHMMIL", "Cambodian troops"))
    assert found is not None and found.feature_id == "dyadwatch:thai-cambodian-border"
    assert found.precision == "region"


def test_a_nominal_event_takes_the_place_of_its_verb(nlp, locator) -> None:
    found = locate(nlp, locator, "The envoys held talks in Kuala Lumpur with the mediators.",
                   "talks")
    assert found is not None and (found.name, found.country) == ("Kuala Lumpur", "MYS")


def test_the_place_hung_on_the_partner(nlp, locator) -> None:
    found = locate(nlp, locator, "The foreign minister met with her counterpart in Hanoi.",
                   "met")
    assert found is not None and found.name == "Hanoi"


def test_a_venue_placed_by_its_own_phrase(nlp, locator) -> None:
    text = "The prime minister spoke at a policy institute in Geneva on Monday."
    found = locate(nlp, locator, text, "spoke")
    assert found is not None and found.name == "Geneva"


def test_an_occasion_an_agent_and_a_summit_held_somewhere(nlp, locator) -> None:
    found = locate(nlp, locator, "The general spoke to reporters during a trip to Athens.",
                   "spoke")
    assert found is not None and found.name == "Athens"
    found = locate(nlp, locator, "Two smugglers were arrested by border guards in Mosul.",
                   "arrested")
    assert found is not None and found.name == "Mosul"
    text = "A summit of the three leaders to be held in Ankara was put off."
    found = locate(nlp, locator, text, "summit")
    assert found is not None and found.name == "Ankara"


def test_a_town_named_by_of(nlp, locator) -> None:
    text = "The militia shelled army posts in the Syrian town of Kobani at dawn."
    found = locate(nlp, locator, text, "shelled")
    assert found is not None and found.country == "SYR" and found.name == "Kobani"


def test_a_capital_is_its_name_or_else_its_country(nlp, locator) -> None:
    """ "the country's capital, X" is X; a capital with no name is placed at its country,
    never a city named after the country at the country's point."""
    named = locate(nlp, locator, "Russian engineers built bunkers in Syria's capital, Damascus, "
                                 "last week.", "built")
    assert named is not None and (named.name, named.precision) == ("Damascus", "city")
    bare = locate(nlp, locator, "Russian engineers built bunkers in Syria's capital last week.",
                  "built")
    assert bare is None or (bare.name, bare.precision) == ("Syria", "country")


def test_a_verbal_act_is_not_where_its_object_is(nlp, locator) -> None:
    text = "The president ordered the troops in Syria to come home."
    assert locate(nlp, locator, text, "ordered") is not None  # as if it were material
    doc = nlp(text)
    ordered = next(t for t in doc if t.text == "ordered")
    assert locator.locate(doc, ordered.i, NOBODY, NOBODY, material=False) is None


def test_a_foreign_country_of_a_verbal_act_is_its_matter(nlp, locator) -> None:
    text = "In Yemen, Egypt has backed the Saudi plan for a ceasefire."
    doc = nlp(text)
    backed = next(t for t in doc if t.text == "backed")
    egypt, saudi = actor("EGY", "Egypt"), actor("SAU", "the Saudi plan")
    assert locator.locate(doc, backed.i, egypt, saudi, material=False) is None
    found = locator.locate(doc, backed.i, egypt, saudi, material=True)
    assert found is not None and found.country == "YEM"


def test_a_list_of_places_gives_no_single_location(nlp, locator) -> None:
    text = "The envoy travelled to Jordan, Iraq and Lebanon last spring."
    assert locate(nlp, locator, text, "travelled") is None


def test_capitals_named_as_actors_stay_actors(nlp, locator) -> None:
    text = "Phnom Penh rejected the claims that Washington had made."
    found = locate(nlp, locator, text, "rejected", actor("KHM", "Phnom Penh"),
                   actor("USA", "Washington"))
    assert found is None
    found = locate(nlp, locator, "Moscow sent a formal request to the UK.", "sent",
                   actor("RUS", "Moscow"), actor("GBR", "the UK"))
    assert found is None
    text = "Washington sent two envoys to the talks in Geneva."
    found = locate(nlp, locator, text, "talks", actor("USA", "Washington"))
    assert found is not None and found.name == "Geneva"


def test_unknown_places_dates_and_topics_give_no_location(nlp, locator) -> None:
    assert locate(nlp, locator, "The delegates met in Vorblastan to discuss fishing.",
                  "met") is None
    assert locate(nlp, locator, "The minister condemned the raid in March.",
                  "condemned") is None
    assert locate(nlp, locator, "The two sides held talks on Syria.", "talks") is None


def test_namesakes_follow_the_actors_countries_unless_much_smaller(nlp, locator) -> None:
    text = "The two ministers met in Valencia on Sunday."
    spain = locate(nlp, locator, text, "met", actor("ESPGOV", "The two ministers"))
    venezuela = locate(nlp, locator, text, "met", actor("VENGOV", "The two ministers"))
    assert spain is not None and spain.country == "ESP"
    assert venezuela is not None and venezuela.country == "VEN"
    # the American Athens is a fifth of the Greek one: a US general's trip is to Greece
    found = locate(nlp, locator, "The general spoke to reporters during a trip to Athens.",
                   "spoke", actor("USAMIL", "The general"))
    assert found is not None and found.country == "GRC"


def test_a_timeline_heading_places_its_main_event_only(nlp, locator) -> None:
    text = ("May 3, 2024: Regional Forum (Singapore): The two navies agreed to hold drills, "
            "halted since 2019.")
    found = locate(nlp, locator, text, "agreed")
    assert found is not None and found.country == "SGP"
    assert locate(nlp, locator, text, "halted") is None


def test_a_bad_places_file_is_named(tmp_path: Path) -> None:
    bad = tmp_path / "places.yaml"
    bad.write_text("meta: {name: x, version: '1', source: me}\nplaces:\n  - {id: a}\n",
                   encoding="utf-8")
    with pytest.raises(DictionaryError, match=r"places\.yaml"):
        build_gazetteer(bad)


def _event(location: Location | None) -> Event:
    return Event(
        event_id="e", doc_id="d", doc_source="s", sentence_index=0, sentence="x", date=None,
        date_end=None, date_precision="unknown", source=NOBODY, target=NOBODY, cameo="040",
        root="04", quad_class=1, goldstein=1.0, plover="CONSULT", modality="occurred",
        negated=False, confidence=1.0, coder_version="t", dictionary_version="t",
        location=location,
    )


def test_action_geo_uses_gdelt_codes() -> None:
    gaz = default_gazetteer()
    kl = next(p.location for p in gaz.lookup("Kuala Lumpur") if p.location.country == "MYS")
    fields = action_geo_fields([_event(None), _event(kl)])
    assert fields["ActionGeo_Type"] == "4" and fields["ActionGeo_CountryCode"] == "MY"
    assert fields["ActionGeo_ADM1Code"] == "MY14"
    assert fields["ActionGeo_FullName"] == "Kuala Lumpur, Malaysia"
    assert float(fields["ActionGeo_Lat"]) == pytest.approx(kl.lat, abs=1e-4)
    country = gaz.lookup("Cambodia")[0].location
    fields = action_geo_fields([_event(country)])
    assert fields["ActionGeo_Type"] == "1" and fields["ActionGeo_FeatureID"] == "CB"
    assert action_geo_fields([_event(None)]) == {}


# --- the seeds, ingested for real ------------------------------------------------------------

@pytest.fixture(scope="module")
def seed_events(tmp_path_factory, seeds_dir: Path, coder) -> tuple[Path, list[Event]]:
    from dyadwatch.run import ingest_paths
    from dyadwatch.settings import Settings
    from dyadwatch.store.events import query_events
    from dyadwatch.store.workspace import Workspace

    data = tmp_path_factory.mktemp("seeds-where") / "ws"
    ingest_paths([seeds_dir], Settings(data_dir=data), coder, settle=True)  # as the CLI does
    with Workspace(data).connect(read_only=True) as con:
        return data, query_events(con)


def _one(events: list[Event], seed: str, cameo: str, words: str) -> Event:
    found = [e for e in events if Path(e.doc_source).name.startswith(seed)
             and e.cameo == cameo and words in e.sentence]
    assert len(found) == 1, [(e.cameo, e.sentence[:60]) for e in events if words in e.sentence]
    return found[0]


def test_seed_meeting_in_kuala_lumpur(seed_events) -> None:
    _, events = seed_events
    met = _one(events, "001", "040", "in Kuala Lumpur to revive")
    assert met.location is not None and met.location.name == "Kuala Lumpur"
    assert (met.location.country, met.location.precision) == ("MYS", "city")


def test_seed_angkor_sentinel_agreement_is_in_malaysia(seed_events) -> None:
    # the line says only "(Malaysia)": the country, not a city the text does not name
    _, events = seed_events
    agreed = _one(events, "000", "0312", "resume the Angkor Sentinel")
    assert agreed.location is not None and agreed.location.country == "MYS"
    suspended = _one(events, "000", "160", "resume the Angkor Sentinel")
    assert suspended.location is None  # "suspended since 2017" did not happen at the summit


def test_seed_angkor_sentinel_agreement_is_at_its_occasion_in_kuala_lumpur(seed_events) -> None:
    # seed 000 names the summit's country only; seed 001 tells the pair's meeting there that
    # month in Kuala Lumpur: the agreement takes the meeting's place (analysis.occasions)
    from dyadwatch.analysis.occasions import occasion_sources
    from dyadwatch.store.workspace import Workspace

    data, events = seed_events
    agreed = _one(events, "000", "0312", "resume the Angkor Sentinel")
    assert agreed.location is not None
    assert (agreed.location.name, agreed.location.country, agreed.location.precision) == (
        "Kuala Lumpur", "MYS", "city")
    met = _one(events, "001", "040", "in Kuala Lumpur to revive")
    with Workspace(data).connect(read_only=True) as con:
        sources = occasion_sources(con)
    assert set(sources) == {agreed.event_id}  # the one seed mention its occasion places
    via, own = sources[agreed.event_id]
    assert via == met.event_id and (own.name, own.precision) == ("Malaysia", "country")


def test_seed_ship_visit_at_ream(seed_events) -> None:
    _, events = seed_events
    docked = _one(events, "000", "042", "Cincinnati docked")
    assert docked.location is not None and docked.location.name == "Ream Naval Base"
    assert (docked.location.country, docked.location.precision) == ("KHM", "site")


def test_seed_ream_naval_base_is_where_visits_happen_not_who_is_visited(seed_events) -> None:
    # the base is a place: the visit's other party is the country it lies in
    _, events = seed_events
    for seed, words in (("000", "Cincinnati docked"), ("001", "ship visit to the Ream")):
        visit = _one(events, seed, "042", words)
        assert (visit.target.code, visit.target.country, visit.target.role) == (
            "KHM", "KHM", None)
        assert visit.location is not None and visit.location.name == "Ream Naval Base"
    assert not any(e.source.code == "KHMMIL" and "Ream" in e.source.text for e in events)


def test_no_site_of_the_gazetteer_is_an_actor(dictionary) -> None:
    from dyadwatch.datafiles import read_data_file

    _, data = read_data_file("locations/places.yaml", None, ("name", "version", "source"))
    sites = [p for p in data["places"] if p.get("precision") == "site"]
    names = [n for p in sites for n in (p["name"], *p.get("aliases", ()))]
    assert "Ream" in names and len(sites) >= 5
    assert [n for n in names if dictionary.lookup(n) is not None] == []


def _place_metonym(text: str) -> bool:
    """An actor named by a city or a country ("Washington", "Phnom Penh", "Cambodia")."""
    return any(p.location.precision in ("city", "country")
               for p in default_gazetteer().lookup(text)) if text else False


def test_no_seed_event_is_located_at_its_metonym_actor(seed_events) -> None:
    _, events = seed_events
    located = [e for e in events if e.location is not None]
    assert len(located) >= 4
    for event in located:
        for side in (event.source, event.target):
            if _place_metonym(side.text):
                assert event.location.name.lower() != side.text.lower(), event.sentence


def test_seed_exports_carry_the_location(seed_events, tmp_path: Path) -> None:
    import csv

    from dyadwatch.export import export_events
    from dyadwatch.store.workspace import Workspace

    data, events = seed_events
    ws = Workspace(data)
    export_events(ws, "gdelt", tmp_path / "g.tsv", header=True)  # GDELT files have none
    with (tmp_path / "g.tsv").open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle, delimiter="\t"))
    ream = [r for r in rows if r["ActionGeo_FeatureID"] == "dyadwatch:ream-naval-base"]
    assert ream and all(r["ActionGeo_CountryCode"] == "CB" and r["ActionGeo_Type"] == "4"
                        for r in ream)
    export_events(ws, "parquet", tmp_path / "e.parquet")
    import pyarrow.parquet as pq

    table = pq.read_table(tmp_path / "e.parquet").to_pylist()
    names = {r["location_name"] for r in table if r["location_name"]}
    assert {"Kuala Lumpur", "Ream Naval Base"} <= names
    assert sum(1 for r in table if r["location_name"]) == sum(1 for e in events if e.location)
    import json

    export_events(ws, "plover", tmp_path / "p.jsonl")
    records = [json.loads(x) for x in (tmp_path / "p.jsonl").read_text("utf-8").splitlines()]
    assert any((r["location"] or {}).get("feature_id") == "geonames:1735161" for r in records)


def test_events_csv_has_flat_location_columns(seed_events) -> None:
    import csv
    import io

    from typer.testing import CliRunner

    from dyadwatch.cli import app

    data, _ = seed_events
    result = CliRunner().invoke(app, ["events", "--data", str(data), "-f", "csv"])
    assert result.exit_code == 0, result.output
    rows = list(csv.DictReader(io.StringIO(result.stdout)))
    assert "location" not in rows[0]
    ream = [r for r in rows if r["location_name"] == "Ream Naval Base"]
    assert ream and all(r["location_country"] == "KHM" and r["location_precision"] == "site"
                        and float(r["location_lat"]) == pytest.approx(10.51) for r in ream)


def test_a_trigger_outside_the_parse_gives_none_not_an_error(nlp, locator, caplog) -> None:
    doc = nlp("The talks ended.")
    assert locator.locate(doc, 40, NOBODY, NOBODY) is None
    assert "no location for token 40" in caplog.text
