"""The explorer's filters, periods and search on the small sample workspace (no browser).

The sample (test_web_api.fill_workspace) has six events of KHM with USA, CHN and THA; one
extra document written here carries an accented name for the accent-insensitive search.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from dyadwatch.store.events import EventFilter, query_events
from dyadwatch.store.workspace import Workspace
from dyadwatch.web import WebConfig, create_app
from dyadwatch.web.charts import plotly_css, plotly_style_ids
from dyadwatch.web.filters import Explorer, period_bounds, period_of
from test_web_api import LOOPBACK, Sample, fill_workspace


@pytest.fixture()
def site(workspace_dir: Path) -> tuple[TestClient, Sample, Path]:
    sample = fill_workspace(workspace_dir)
    with Workspace(workspace_dir).connect() as con:
        con.execute(
            "INSERT INTO documents (doc_id, doc_source, title, text, published_precision, "
            "inferred_precision, coded, ingested_at) VALUES ('acc', 'acc.txt', 'Ankara', "
            "'Président Erdoğan met the envoy in Ankara.', 'unknown', 'unknown', FALSE, now())"
        )
    client = TestClient(create_app(WebConfig(data_dir=workspace_dir)), base_url=LOOPBACK)
    return client, sample, workspace_dir


def _spec(page: str, chart_id: str) -> dict[str, Any]:
    found = re.search(rf'id="{chart_id}-spec">(.*?)</script>', page, re.S)
    assert found, f"no {chart_id}"
    return json.loads(found.group(1))  # type: ignore[no-any-return]


def _listed(page: str) -> list[str]:
    return re.findall(r'<tr data-event-id="([^"]+)"', page)


def test_periods_and_their_bounds() -> None:
    assert period_of("2018", "month") == "2018-01"  # a year-precision date counts in January
    assert period_of("2018-05-17", "quarter") == "2018-Q2"
    assert period_of("2018-05", "year") == "2018"
    assert period_of(None, "month") is None
    assert period_bounds("2018-Q2") == ("2018-04", "2018-06")
    assert period_bounds("2018") == ("2018-01", "2018-12")
    wide = EventFilter(dyad=("USA", "TUR"), since="2018-03-15", until="2019")
    narrowed = Explorer(period="2018-03").period_filter(wide)
    assert narrowed is not None
    assert (narrowed.since, narrowed.until, narrowed.dyad) == ("2018-03-15", "2018-03",
                                                               ("USA", "TUR"))
    assert Explorer().period_filter(wide) is None
    assert Explorer(quad_class=4, modality="occurred").query(period="2018") == (
        "?quad=4&modality=occurred&period=2018")


def test_a_clicked_period_lists_the_query_events_of_that_period(
    site: tuple[TestClient, Sample, Path],
) -> None:
    client, sample, workspace = site
    page = client.get("/dyad/KHM/USA", params={"modality": "occurred", "period": "2025-12"})
    assert page.status_code == 200
    with Workspace(workspace).connect(read_only=True) as con:
        expected = query_events(con, EventFilter(dyad=("KHM", "USA"), modality="occurred",
                                                 since="2025-12", until="2025-12"))
    assert _listed(page.text) == [e.event_id for e in expected]
    assert set(_listed(page.text)) == {sample.embargo_a, sample.embargo_b}
    assert "dyadwatch events --dyad KHM USA --since 2025-12 --until 2025-12 " \
           "--modality occurred" in page.text
    bars = _spec(page.text, "bars-chart")
    periods = {c[0] for trace in bars["data"] for c in trace["customdata"]}
    assert periods == {"2025-10", "2025-11", "2025-12"}
    outlined = {c[0] for trace in bars["data"]
                for c, width in zip(trace["customdata"], trace["marker"]["line"]["width"],
                                    strict=True) if width}
    assert outlined == {"2025-12"}  # the open period's bar stands out


def test_filters_narrow_the_chart_and_bad_ones_are_refused(
    site: tuple[TestClient, Sample, Path],
) -> None:
    client, _, _ = site
    everything = _spec(client.get("/explore").text, "bars-chart")
    assert {t["name"] for t in everything["data"]} >= {"material conflict",
                                                        "material cooperation"}
    conflict = client.get("/explore", params={"quad": 4, "freq": "quarter"}).text
    spec = _spec(conflict, "bars-chart")
    assert [t["name"] for t in spec["data"]] == ["material conflict"]
    assert spec["data"][0]["customdata"][0][0] == "2025-Q3"
    assert "No dated events" in client.get("/explore", params={"min_conf": 1.0,
                                                                "root": "19"}).text
    for bad in ({"modality": "rumoured"}, {"quad": 5}, {"since": "2018-13"},
                {"period": "2018-Q5"}, {"period": "2018-13"}, {"period": "0000"},
                {"min_conf": 2}):
        assert client.get("/explore", params=bad).status_code == 422, bad
    assert client.get("/explore", params={"actor": "KHM"}).status_code == 200
    page = client.get("/explore", params={"quad": 7})  # a page answers a page, not JSON
    assert page.status_code == 422 and "text/html" in page.headers["content-type"]
    assert "bad query parameter (quad:" in page.text
    for bad in ("nan", "inf", "x", "-0.1"):
        assert client.get("/explore", params={"min_conf": bad}).status_code == 422, bad
    # the form without JavaScript sends every field, the empty ones as "any"
    empty = {"since": "", "until": "", "quad": "", "root": "", "plover": "", "modality": "",
             "min_conf": "", "freq": "month"}
    assert _spec(client.get("/explore", params=empty).text, "bars-chart") == everything


def test_search_and_documents_ignore_accents_and_case(
    site: tuple[TestClient, Sample, Path],
) -> None:
    client, _, _ = site
    for q in ("erdogan", "ERDOĞAN", "Erdoğan", "president erdogan"):
        found = client.get("/api/search", params={"q": q}).json()
        assert found["documents"]["total"] == 1, q
    docs = client.get("/documents", params={"q": "EMBARGO"}).text
    assert "Documents containing “EMBARGO” (2)" in docs
    assert docs.count('href="/document/') == 2
    hit = client.get("/search", params={"q": "erdogan"}).text
    assert "Erdoğan" in hit  # the snippet around the folded match


def test_actor_pages_by_name_and_unknown_codes(site: tuple[TestClient, Sample, Path]) -> None:
    client, _, _ = site
    missing = client.get("/actor/XYZ")
    assert missing.status_code == 404 and "No actor XYZ" in missing.text
    close = client.get("/actor/KHMGUV")  # one letter off a code that events use
    assert close.status_code == 404 and 'href="/actor/KHMGOV"' in close.text
    by_name = client.get("/actor/Cambodia")
    assert by_name.status_code == 404 and 'href="/actor/KHM' in by_name.text
    assert client.get("/actor/KHM").status_code == 200
    dyad = client.get("/dyad/KHM/XYZ")  # a dyad with an unknown side: the same answer
    assert dyad.status_code == 404 and "No actor XYZ" in dyad.text
    assert client.get("/dyad/KHM/FJI").status_code == 200  # known, only without events
    found = client.get("/actors", params={"q": "cambodian"}).text
    assert 'href="/actor/KHMMIL"' in found


def test_plotly_is_served_from_the_package_with_its_styles(
    site: tuple[TestClient, Sample, Path],
) -> None:
    client, _, _ = site
    js = client.get("/assets/plotly.min.js")
    assert js.status_code == 200 and "javascript" in js.headers["content-type"]
    assert len(js.content) > 1_000_000 and b"plotly.js" in js.content[:200]
    css = client.get("/assets/plotly.css")
    assert css.status_code == 200 and ".js-plotly-plot .plotly" in css.text
    assert css.text == plotly_css() and css.text.count("{") > 20
    page = client.get("/dyad/KHM/USA").text
    assert 'id="plotly.js-style-global" class="no-inline-styles"' in page
    assert all(f'id="{i}"' in page for i in plotly_style_ids())
    assert not re.search(r"""<(script|link)[^>]+(src|href)=["']https?:""", page)  # no CDN


def test_the_api_takes_the_same_kind_filters(site: tuple[TestClient, Sample, Path]) -> None:
    client, _, workspace = site
    conflict = client.get("/api/events", params={"quad_class": 4}).json()
    with Workspace(workspace).connect(read_only=True) as con:
        expected = query_events(con, EventFilter(quad_class=4))
    assert [e["event_id"] for e in conflict["items"]] == [e.event_id for e in expected]
    assert 0 < conflict["total"] < client.get("/api/events").json()["total"]
    clusters = client.get("/api/clusters", params={"quad_class": 4}).json()
    assert clusters["total"] == 1 and clusters["items"][0]["quad_class"] == 4
    assert client.get("/api/events", params={"modality": "rumoured"}).status_code == 422
    assert client.get("/api/events", params={"min_confidence": 1.5}).status_code == 422


def test_the_outlet_filter_keeps_events_of_that_outlets_documents(
    site: tuple[TestClient, Sample, Path],
) -> None:
    client, sample, workspace = site
    with Workspace(workspace).connect() as con:
        con.execute("UPDATE documents SET outlet = 'Second Outlet' WHERE doc_id = ?",
                    [sample.doc_b])
    page = client.get("/dyad/KHM/USA").text
    assert '<option value="Second Outlet">' in page  # the form offers it
    one = client.get("/dyad/KHM/USA", params={"outlet": "Second Outlet", "period": "2025-12"})
    assert _listed(one.text) == [sample.embargo_b]  # only the second outlet's report
    assert "--outlet &#39;Second Outlet&#39;" in one.text  # shell-quoted, HTML-escaped
    with Workspace(workspace).connect(read_only=True) as con:
        found = query_events(con, EventFilter(outlet="Second Outlet"))
    assert {e.doc_id for e in found} == {sample.doc_b}


def _military(workspace: Path, event_id: str) -> None:
    """Give one event the PLOVER context "military" (as the contexts stage would)."""
    with Workspace(workspace).connect() as con:
        con.execute("UPDATE events SET contexts = ['military'] WHERE event_id = ?", [event_id])


def test_the_context_filter_narrows_the_view_and_goes_into_the_url(
    site: tuple[TestClient, Sample, Path],
) -> None:
    client, sample, workspace = site
    _military(workspace, sample.meeting)
    everything = client.get("/dyad/KHM/USA").text
    assert '<select name="context">' in everything
    assert '<option value="military">military</option>' in everything  # offered: it occurs
    periods = {c[0] for t in _spec(everything, "bars-chart")["data"] for c in t["customdata"]}
    assert periods == {"2025-10", "2025-11", "2025-12"}
    page = client.get("/dyad/KHM/USA", params={"context": "Military"}).text
    spec = _spec(page, "bars-chart")
    assert {c[0] for t in spec["data"] for c in t["customdata"]} == {"2025-11"}
    assert '<option value="military" selected>' in page
    opened = client.get("/dyad/KHM/USA", params={"context": "military", "period": "2025-11"})
    with Workspace(workspace).connect(read_only=True) as con:
        expected = query_events(con, EventFilter(dyad=("KHM", "USA"), context="military",
                                                 since="2025-11", until="2025-11"))
    assert _listed(opened.text) == [e.event_id for e in expected] == [sample.meeting]
    assert "--context military" in opened.text  # the same list on the command line
    assert Explorer(context="military").query(period="2025-11") == (
        "?context=military&period=2025-11")
    bad = client.get("/explore", params={"context": "sports"})
    assert bad.status_code == 422 and "unknown context" in bad.text
    assert client.get("/explore", params={"context": ""}).status_code == 200  # "any"
