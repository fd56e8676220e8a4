"""An event told only in a third country takes the place of its occasion: the rules on event
records, then a real ingest of two texts we wrote, into a real DuckDB workspace."""

from __future__ import annotations

from pathlib import Path

from dyadwatch.analysis.occasions import (
    occasion_refinements,
    occasion_sources,
    refine_occasion_places,
)
from dyadwatch.records import Actor, Event, Location

MALAYSIA = Location("Malaysia", "MYS", None, 4.0, 102.0, "geonames:1733045", "country")
KL = Location("Kuala Lumpur", "MYS", "MY.14", 3.14, 101.69, "geonames:1735161", "city")
PENANG = Location("George Town", "MYS", "MY.09", 5.41, 100.33, "geonames:1735106", "city")
CAMBODIA = Location("Cambodia", "KHM", None, 12.5, 105.0, "geonames:1831722", "country")
PHNOM_PENH = Location("Phnom Penh", "KHM", "KH.22", 11.56, 104.92, "geonames:1821306", "city")


def side(code: str) -> Actor:
    return Actor(code=code, country=code[:3], role=code[3:] or None, text=code)


def mention(event_id: str, cameo: str, where: Location | None, date: str | None = "2025-10",
            source: str = "USAMIL", target: str = "KHMGOV", negated: bool = False) -> Event:
    precision = "unknown" if date is None else ("day" if date.count("-") == 2 else "month")
    return Event(
        event_id=event_id, doc_id="d" + event_id, doc_source="s", sentence_index=0,
        sentence="words of our own", date=date, date_end=None, date_precision=precision,
        source=side(source), target=side(target), cameo=cameo, root=cameo[:2], quad_class=1,
        goldstein=1.0, plover="AGREE", modality="occurred", negated=negated, confidence=1.0,
        coder_version="t", dictionary_version="t", location=where,
    )


def refined(*events: Event) -> dict[str, tuple[str, str]]:
    return {r.event_id: (r.place.name, r.via_event_id) for r in occasion_refinements(events)}


def test_a_country_abroad_takes_the_meeting_place_of_the_same_pair() -> None:
    agreed = mention("a", "0312", MALAYSIA, "2025-10-31", "USAMIL", "KHMMIL")
    met = mention("m", "040", KL, "2025-10", "KHMGOV", "USAMIL")  # either direction
    assert refined(agreed, met) == {"a": ("Kuala Lumpur", "m")}
    (only,) = occasion_refinements([agreed, met])
    assert only.own == MALAYSIA and only.place == KL


def test_what_does_not_place_an_occasion() -> None:
    agreed = mention("a", "0312", MALAYSIA, "2025-10-31")
    # the country is one of the actors': at home an actor acts in many places
    assert refined(mention("h", "057", CAMBODIA), mention("p", "040", PHNOM_PENH)) == {}
    # two cities of the country met in: which one?
    assert refined(agreed, mention("m", "040", KL), mention("n", "040", PENANG)) == {}
    # another month, undated, another pair, a denied meeting, not a meeting
    assert refined(agreed, mention("m", "040", KL, "2025-12")) == {}
    assert refined(agreed, mention("m", "040", KL, None)) == {}
    assert refined(mention("a", "0312", MALAYSIA, None), mention("m", "040", KL)) == {}
    assert refined(agreed, mention("m", "040", KL, target="THAGOV")) == {}
    assert refined(agreed, mention("m", "040", KL, negated=True)) == {}
    assert refined(agreed, mention("m", "057", KL)) == {}
    # two meetings at the one place name it once
    assert refined(agreed, mention("m", "040", KL), mention("n", "043", KL)) == {
        "a": ("Kuala Lumpur", "m")}


TIMELINE = ("November 3, 2025: Regional Security Forum (Indonesia): The American and "
            "Vietnamese defence ministers agreed to hold joint naval drills.\n")
REPORT = ("Early in November 2025, the US defence secretary met Vietnam's defence minister in "
          "Jakarta to discuss maritime security.\n")


def test_an_ingest_places_the_agreement_and_a_rerun_starts_from_the_sentences(
        tmp_path: Path, coder) -> None:
    from dyadwatch.run import ingest_paths
    from dyadwatch.settings import Settings
    from dyadwatch.store.events import query_events
    from dyadwatch.store.workspace import Workspace

    folder = tmp_path / "texts"
    folder.mkdir()
    (folder / "timeline.txt").write_text(TIMELINE, encoding="utf-8")
    (folder / "report.txt").write_text(REPORT, encoding="utf-8")
    data = tmp_path / "ws"
    ingest_paths([folder], Settings(data_dir=data), coder, settle=True)
    with Workspace(data).connect() as con:
        events = {e.cameo[:2]: e for e in query_events(con)}
        agreed, met = events["03"], events["04"]
        assert agreed.location is not None and met.location is not None
        assert (agreed.location.name, agreed.location.precision) == ("Jakarta", "city")
        assert occasion_sources(con)[agreed.event_id][0] == met.event_id
        assert occasion_sources(con)[agreed.event_id][1].name == "Indonesia"
        assert refine_occasion_places(con) == 1  # a rerun finds the same, once
        con.execute("DELETE FROM events WHERE event_id = ?", [met.event_id])
        assert refine_occasion_places(con) == 0  # the meeting is gone: its sentence again
        again = {e.event_id: e for e in query_events(con)}[agreed.event_id]
        assert again.location is not None
        assert (again.location.name, again.location.precision) == ("Indonesia", "country")
        assert occasion_sources(con) == {}
