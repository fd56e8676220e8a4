"""The REST API and the dashboard pages over a real DuckDB workspace (FastAPI TestClient).

The workspace is filled with documents written here (our own sentences), events coded by hand
from those sentences and stored with `store.events.insert_extractions`, and clusters assigned
by `analysis.assign_clusters`. `fill_workspace` is reused by the server and browser tests.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from dyadwatch.analysis import assign_clusters
from dyadwatch.nlp.sentences import split_sentences
from dyadwatch.records import Actor, Event, Extraction, Figure, Quote, stable_id
from dyadwatch.store.events import insert_extractions
from dyadwatch.store.workspace import open_workspace
from dyadwatch.web import WebConfig, create_app
from dyadwatch.web.highlight import mark_document
from dyadwatch.web.views import QUAD_NAMES

DOC_A = (
    "Washington lifts arms embargo on Cambodia\n"
    "The United States lifted its arms embargo on Cambodia on December 5, 2025. "
    "American and Cambodian defence chiefs met in Kuala Lumpur in November 2025.\n"
    "\"This opens a new chapter for our two militaries,\" the US defence secretary said. "
    "Washington also promised $2 million to clear landmines."
)
DOC_B = (
    "A second outlet on the embargo\n"
    "Officials in Phnom Penh welcomed the news after the US ended the embargo on Cambodia on "
    "December 5, 2025. In July 2025 Cambodian and Thai troops traded fire along their border. "
    "China handed over a new pier at Ream to Cambodia in April 2025."
)
LOOPBACK = "http://127.0.0.1"  # the server answers only to the Host names it serves
XSS_MARKUP = "<script>alert(1)</script>"
XSS_IMG = "<img src=x onerror=alert(1)>"
DOC_XSS = (
    f"Cambodia {XSS_MARKUP} thanked the United States {XSS_IMG} for demining aid on "
    "October 2, 2025.\nNothing else happened that day."
)


@dataclass(frozen=True)
class Sample:
    """Ids of what `fill_workspace` stored."""

    doc_a: str
    doc_b: str
    doc_xss: str
    embargo_a: str
    embargo_b: str
    meeting: str
    clash: str
    pier: str
    thanks: str


def _actor(code: str, text: str, name: str | None = None) -> Actor:
    return Actor(code=code, country=code[:3], role=code[3:] or None, text=text, name=name)


def _event(doc_id: str, source_name: str, index: int, text: str, code: tuple, **kw) -> Event:
    """An event read from sentence `index` of `text`.

    `code` = (source, target, cameo, quad class, goldstein, plover)."""
    src, tgt, cameo, quad, goldstein, plover = code
    sentence = split_sentences(text)[index].text
    return Event(
        event_id=Event.id_for(doc_id, index, src.code, tgt.code, cameo), doc_id=doc_id,
        doc_source=source_name, sentence_index=index, sentence=sentence,
        date=kw.get("date"), date_end=None, date_precision=kw.get("precision", "day"),
        source=src, target=tgt, cameo=cameo, root=cameo[:2], quad_class=quad,
        goldstein=goldstein, plover=plover, modality=kw.get("modality", "occurred"),
        negated=False, confidence=0.9, coder_version="test-1", dictionary_version="test-1",
    )


def _insert_document(con, doc_id: str, source: str, text: str, published: str, **kw) -> None:
    title = text.split("\n", 1)[0]
    con.execute(
        "INSERT INTO documents (doc_id, doc_source, title, text, published, published_precision,"
        " language, url, inferred_precision, fmt, coded, ingested_at) "
        "VALUES (?, ?, ?, ?, ?, 'day', 'en', ?, 'unknown', 'txt', TRUE, now())",
        [doc_id, source, title, text, published, kw.get("url")],
    )


def _extractions(ids: dict[str, str]) -> list[Extraction]:
    usa, khm = _actor("USAGOV", "The United States"), _actor("KHMGOV", "Cambodia")
    a, b, x = ids["a"], ids["b"], ids["x"]
    embargo = ("085", 2, 7.0, "RETREAT")
    ev_a = _event(a, "a.txt", 1, DOC_A, (usa, khm, *embargo), date="2025-12-05")
    meeting = _event(a, "a.txt", 2, DOC_A, (
        _actor("USAMIL", "American"), _actor("KHMMIL", "Cambodian defence chiefs"),
        "043", 1, 2.8, "CONSULT"), date="2025-11", precision="month")
    ev_b = _event(b, "b.txt", 1, DOC_B, (_actor("USAGOV", "the US"), khm, *embargo),
                  date="2025-12-05")
    clash = _event(b, "b.txt", 2, DOC_B, (
        _actor("KHMMIL", "Cambodian"), _actor("THAMIL", "Thai troops"), "190", 4, -10.0,
        "FIGHT"), date="2025-07", precision="month")
    pier = _event(b, "b.txt", 3, DOC_B, (
        _actor("CHNGOV", "China"), _actor("KHMGOV", "Cambodia"), "070", 2, 7.0, "AID"),
        date="2025-04", precision="month")
    thanks = _event(x, "x.txt", 0, DOC_XSS, (khm, _actor("USAGOV", "the United States"),
                                             "051", 1, 3.4, "AGREE"), date="2025-10-02")
    quote_text = "This opens a new chapter for our two militaries,"
    start = DOC_A.index(quote_text)
    quote = Quote(stable_id(a, "q1"), a, "a.txt", 3, quote_text, "the US defence secretary",
                  "USAMIL", start, start + len(quote_text))
    figure = Figure(stable_id(a, "f1"), a, "a.txt", 4, 2_000_000.0, "USD", "$2 million",
                    "landmine clearance", split_sentences(DOC_A)[4].text)
    return [
        Extraction(a, events=(ev_a, meeting), quotes=(quote,), figures=(figure,)),
        Extraction(b, events=(ev_b, clash, pier)),
        Extraction(x, events=(thanks,)),
    ]


def fill_workspace(path: Path) -> Sample:
    """Create a workspace at `path` with three documents and six events; return their ids."""
    workspace = open_workspace(path)
    ids = {"a": "doc-a-" + stable_id(DOC_A), "b": "doc-b-" + stable_id(DOC_B),
           "x": "doc-x-" + stable_id(DOC_XSS)}
    extractions = _extractions(ids)
    with workspace.connect() as con:
        _insert_document(con, ids["a"], "a.txt", DOC_A, "2025-12-06")
        _insert_document(con, ids["b"], "b.txt", DOC_B, "2025-12-07",
                         url="javascript:alert(2)")
        _insert_document(con, ids["x"], "x.txt", DOC_XSS, "2025-10-03")
        insert_extractions(con, extractions)
        assign_clusters(con)
    events = [e.event_id for ex in extractions for e in ex.events]
    return Sample(ids["a"], ids["b"], ids["x"], events[0], events[2], events[1], events[3],
                  events[4], events[5])


@pytest.fixture()
def sample(workspace_dir: Path) -> Sample:
    return fill_workspace(workspace_dir)


@pytest.fixture()
def client(sample: Sample, workspace_dir: Path) -> TestClient:
    return TestClient(create_app(WebConfig(data_dir=workspace_dir)), base_url=LOOPBACK)


DESIGN_KEYS = [
    "event_id", "doc_id", "doc_source", "sentence", "date", "date_end", "date_precision",
    "source", "target", "cameo", "root", "quad_class", "goldstein", "plover", "modality",
    "negated", "cluster_id", "confidence", "location", "contexts",
]


def test_stats_count_the_workspace_and_rank_dyads(client: TestClient) -> None:
    body = client.get("/api/stats").json()
    assert body["counts"]["documents"] == 3
    # one count vocabulary (issue #14): 6 mentions of 5 events (two reports of one are clustered)
    assert (body["counts"]["events"], body["counts"]["mentions"]) == (5, 6)
    assert body["counts"]["quotes"] == 1 and body["counts"]["figures"] == 1
    top = body["top_dyads"][0]
    assert (top["a"], top["b"], top["events"], top["mentions"], top["documents"]) == (
        "KHM", "USA", 3, 4, 3)


def test_events_are_design_records_filtered_by_dyad_actor_root_and_dates(
    client: TestClient, sample: Sample
) -> None:
    body = client.get("/api/events", params={"dyad": "USA-KHM"}).json()
    assert body["total"] == 4
    assert list(body["items"][0]) == DESIGN_KEYS
    assert [e["date"] for e in body["items"]] == ["2025-10-02", "2025-11", "2025-12-05",
                                                  "2025-12-05"]
    thai = client.get("/api/events", params={"actor": "THA"}).json()
    assert [e["event_id"] for e in thai["items"]] == [sample.clash]
    aid = client.get("/api/events", params={"root": "7"}).json()
    assert [e["event_id"] for e in aid["items"]] == [sample.pier]
    window = client.get("/api/events", params={"since": "2025-10", "until": "2025-11-30"})
    assert {e["cameo"] for e in window.json()["items"]} == {"051", "043"}


def test_event_lists_paginate_with_limit_and_offset(client: TestClient) -> None:
    first = client.get("/api/events", params={"limit": 2, "offset": 0}).json()
    second = client.get("/api/events", params={"limit": 2, "offset": 2}).json()
    last = client.get("/api/events", params={"limit": 2, "offset": 4}).json()
    assert first["total"] == second["total"] == last["total"] == 6
    ids = [e["event_id"] for page in (first, second, last) for e in page["items"]]
    assert len(ids) == 6 and len(set(ids)) == 6
    assert client.get("/api/events", params={"limit": 0}).status_code == 422
    assert client.get("/api/events", params={"limit": 5000}).status_code == 422


def test_bad_parameters_and_unknown_ids_answer_with_reasons(client: TestClient) -> None:
    bad_dyad = client.get("/api/events", params={"dyad": "USA"})
    assert bad_dyad.status_code == 422 and "two actor codes" in bad_dyad.json()["detail"]
    assert client.get("/api/events", params={"since": "last week"}).status_code == 422
    impossible = client.get("/api/events", params={"until": "2025-13-40"})
    assert impossible.status_code == 422 and "not a date" in impossible.json()["detail"]
    assert client.get("/api/series", params={"dyad": "USA-KHM", "since": "2025-02-30"}
                      ).status_code == 422
    assert client.get("/api/events", params={"actor": "U$A"}).status_code == 422
    missing = client.get("/api/events/nope")
    assert missing.status_code == 404 and missing.json()["detail"] == "no event nope"
    assert client.get("/api/documents/nope").status_code == 404
    assert client.get("/dyad/USA/K%3CHM").status_code == 400


def test_one_event_and_one_document_come_with_their_evidence(
    client: TestClient, sample: Sample
) -> None:
    event = client.get(f"/api/events/{sample.meeting}").json()
    assert event["sentence"].startswith("American and Cambodian defence chiefs met")
    assert event["source"]["code"] == "USAMIL" and event["sentence_index"] == 2
    doc = client.get(f"/api/documents/{sample.doc_a}").json()
    assert doc["text"] == DOC_A and doc["events"] == 2


def test_clusters_join_two_reports_of_one_event(client: TestClient, sample: Sample) -> None:
    body = client.get("/api/clusters", params={"dyad": "KHM-USA"}).json()
    assert body["total"] == 3
    embargo = next(c for c in body["items"] if c["cameo"] == "085")
    assert embargo["mentions"] == 2 and embargo["sources"] == 2
    assert {e["event_id"] for e in embargo["evidence"]} == {sample.embargo_a, sample.embargo_b}
    since = client.get("/api/clusters", params={"dyad": "KHM-USA", "since": "2025-11"}).json()
    assert {c["cameo"] for c in since["items"]} == {"043", "085"}


def test_series_counts_cooperation_per_month(client: TestClient) -> None:
    body = client.get("/api/series", params={"dyad": "USA-KHM", "freq": "month"}).json()
    by_period = {p["period"]: p for p in body["points"]}
    assert by_period["2025-12"]["events"] == 1  # two mentions, one event
    assert by_period["2025-12"]["quad2"] == 1 and by_period["2025-11"]["quad1"] == 1
    assert by_period["2025-10"]["goldstein_sum"] == pytest.approx(3.4)
    assert "status" in body["changes"]
    quarterly = client.get("/api/series", params={"dyad": "USA-KHM", "freq": "quarter"})
    assert [p["events"] for p in quarterly.json()["points"]] == [3]
    assert client.get("/api/series", params={"dyad": "USA-KHM", "freq": "week"}).status_code == 422


def test_timeline_describes_events_in_date_order(client: TestClient, sample: Sample) -> None:
    items = client.get("/api/timeline", params={"dyad": "USA-KHM"}).json()["items"]
    assert [i["date"] for i in items] == ["2025-10-02", "2025-11", "2025-12-05"]
    assert all(i["description"] for i in items)
    assert {s["event_id"] for s in items[-1]["sources"]} == {sample.embargo_a, sample.embargo_b}


def test_hedging_index_weighs_a_country_between_two_powers(client: TestClient) -> None:
    body = client.get("/api/hedging", params={"actor": "KHM", "powers": "USA-CHN"}).json()
    assert body["focal"] == "KHM" and (body["a"], body["b"]) == ("USA", "CHN")
    assert body["overall"]["side_a"]["events"] == 3
    assert body["overall"]["side_b"]["events"] == 1
    assert body["points"][0]["period"].startswith("2025")
    assert client.get("/api/hedging", params={"actor": "KHM", "powers": "USA"}).status_code == 422


def test_quotes_and_figures_are_listed_by_document(client: TestClient, sample: Sample) -> None:
    quotes = client.get("/api/quotes", params={"doc_id": sample.doc_a}).json()
    assert quotes["total"] == 1 and quotes["items"][0]["speaker_code"] == "USAMIL"
    assert client.get("/api/quotes", params={"speaker": "CHN"}).json()["total"] == 0
    figures = client.get("/api/figures", params={"unit": "usd"}).json()
    assert figures["items"][0]["value"] == 2_000_000.0
    assert client.get("/api/figures", params={"doc_id": sample.doc_b}).json()["total"] == 0


def test_search_finds_documents_and_events_ignoring_case(
    client: TestClient, sample: Sample
) -> None:
    body = client.get("/api/search", params={"q": "EMBARGO"}).json()
    assert {d["doc_id"] for d in body["documents"]["items"]} == {sample.doc_a, sample.doc_b}
    assert "embargo" in body["documents"]["items"][0]["snippet"].lower()
    assert body["events"]["total"] == 2
    assert client.get("/api/search", params={"q": "%"}).json()["documents"]["total"] == 0
    docs = client.get("/api/documents", params={"q": "ream", "limit": 1}).json()
    assert docs["total"] == 1 and "text" not in docs["items"][0]


def test_openapi_schema_and_a_local_docs_page(client: TestClient) -> None:
    schema = client.get("/openapi.json").json()
    for path in ("/api/events", "/api/clusters", "/api/series", "/api/hedging", "/api/quotes",
                 "/api/figures", "/api/documents"):
        assert path in schema["paths"]
    assert "/api/ingest" not in schema["paths"]
    assert client.get("/docs").status_code == 404
    page = client.get("/api/docs")
    assert page.status_code == 200 and "/api/events" in page.text
    assert not re.search(r"""<(script|link)[^>]+(src|href)=["']https?:""", page.text)


def chart_spec(page: str, chart_id: str) -> dict[str, Any]:
    """The Plotly spec a page embeds for the chart `chart_id` (a JSON script element)."""
    found = re.search(rf'<script type="application/json" id="{chart_id}-spec">(.*?)</script>',
                      page, re.S)
    assert found, f"no {chart_id} on the page"
    return json.loads(found.group(1))  # type: ignore[no-any-return]


def _bar_periods(page: str, quads: tuple[int, ...]) -> int:
    """How many periods have a bar of one of these QuadClasses in the page's bar chart."""
    names = {QUAD_NAMES[q] for q in quads}
    spec = chart_spec(page, "bars-chart")
    return len({x for trace in spec["data"] if trace["name"] in names for x in trace["x"]})


def test_pages_render_dyad_event_actor_and_document(client: TestClient, sample: Sample) -> None:
    home = client.get("/")
    assert 'href="/dyad/KHM/USA"' in home.text
    assert "<b>5</b> events (<b>6</b> mentions)" in home.text
    dyad = client.get("/dyad/USA/KHM").text
    assert _bar_periods(dyad, (1, 2)) == 3  # three cooperative months
    assert _bar_periods(dyad, (3, 4)) == 0
    assert _bar_periods(client.get("/dyad/THA/KHM").text, (3, 4)) == 1
    series = chart_spec(dyad, "series-chart")
    assert series["data"][0]["x"] and len(series["data"][0]["x"]) == len(series["data"][0]["y"])
    assert f'href="/event/{sample.embargo_a}"' in dyad
    assert f'href="/document/{sample.doc_b}#s1"' in dyad  # evidence links to its sentence
    event = client.get(f"/event/{sample.embargo_a}").text
    assert f'href="/document/{sample.doc_a}#s1"' in event
    assert f'href="/event/{sample.embargo_b}"' in event  # the other report of the event
    actor = client.get("/actor/THA").text
    assert 'href="/dyad/KHM/THA"' in actor and "Thai troops" in actor
    khm = client.get("/actor/KHM").text  # partners: USA (3 events), then CHN and THA (1)
    hedging = chart_spec(khm, "hedging-chart")
    assert "all with USA" in hedging["layout"]["yaxis"]["ticktext"]
    assert [v for v in hedging["data"][0]["y"] if v is not None]
    doc = client.get(f"/document/{sample.doc_a}").text
    assert '<span class="m-event m-actor" id="s1"' in doc  # "The United States" opens s1
    assert '<span class="m-event m-actor" id="s2"' in doc
    assert '<span class="m-quote"' in doc and '<span class="m-figure"' in doc
    assert client.get("/search", params={"q": "pier"}).text.count("/document/") >= 1


def test_article_markup_is_shown_as_text_never_as_html(client: TestClient, sample: Sample) -> None:
    page = client.get(f"/document/{sample.doc_xss}").text
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert "&lt;img src=x onerror=alert(1)&gt;" in page
    assert XSS_MARKUP not in page and "<img" not in page
    for url in ("/", f"/event/{sample.thanks}", "/search?q=alert", "/actor/KHM"):
        assert XSS_MARKUP not in client.get(url).text
    record = client.get(f"/api/events/{sample.thanks}").json()
    assert XSS_MARKUP in record["sentence"]  # JSON carries the data as it is


def test_a_javascript_url_in_metadata_is_not_linked(client: TestClient, sample: Sample) -> None:
    page = client.get(f"/document/{sample.doc_b}").text
    assert "javascript:" not in page


def test_every_response_carries_the_security_headers(client: TestClient) -> None:
    for url in ("/", "/api/stats", "/static/style.css", "/nope"):
        headers = client.get(url).headers
        assert "default-src 'self'" in headers["content-security-policy"]
        assert "script-src 'self'" in headers["content-security-policy"]
        assert headers["x-content-type-options"] == "nosniff"


def test_a_missing_workspace_is_reported_not_crashed(tmp_path: Path) -> None:
    client = TestClient(create_app(WebConfig(data_dir=tmp_path / "none")), base_url=LOOPBACK)
    api = client.get("/api/events")
    assert api.status_code == 503 and "no workspace" in api.json()["detail"]
    page = client.get("/")
    assert page.status_code == 503 and "dyadwatch ingest" in page.text


def test_upload_route_is_absent_without_a_token(client: TestClient) -> None:
    response = client.post("/api/ingest", files={"file": ("n.txt", b"Some words.")})
    assert response.status_code in (404, 405)


def test_upload_needs_the_token_and_ingests_the_file(sample: Sample, workspace_dir: Path) -> None:
    client = TestClient(create_app(WebConfig(data_dir=workspace_dir, upload_token="s3cret")),
                        base_url=LOOPBACK)
    text = (b"Vietnam and Laos signed a river transport accord in Hanoi on March 3, 2025. "
            b"Both governments said the ferries would start in the summer.\n")
    upload = {"file": ("../../river accord.txt", text, "text/plain")}
    assert "/api/ingest" in client.get("/openapi.json").json()["paths"]
    assert client.post("/api/ingest", files=upload).status_code == 401
    wrong = {"Authorization": "Bearer nope"}
    assert client.post("/api/ingest", files=upload, headers=wrong).status_code == 401
    good = {"Authorization": "Bearer s3cret"}
    empty = client.post("/api/ingest", files={"file": ("e.txt", b"")}, headers=good)
    assert empty.status_code == 422 and "empty" in empty.json()["detail"]
    response = client.post("/api/ingest", files=upload, headers=good)
    assert response.status_code == 200, response.text
    assert response.json()["file"] == "river_accord.txt"
    assert response.json()["summary"]["new"] == 1
    found = client.get("/api/documents", params={"q": "river transport accord"}).json()
    assert found["total"] == 1
    again = client.post("/api/ingest", files=upload, headers=good).json()
    assert again["summary"]["new"] == 0  # idempotent: the same text adds nothing


def test_highlight_segments_rebuild_the_text_and_place_every_extraction() -> None:
    text = "Alpha met Beta in Rome.\nGamma paid 5 million dollars.\n\"We agree,\" Beta said."
    alpha, beta = _actor("AAAGOV", "Alpha"), _actor("BBBGOV", "Beta")
    event = _event("d", "d.txt", 0, text, (alpha, beta, "043", 1, 2.8, "CONSULT"))
    quote = {"text": "We agree,", "speaker": "Beta", "sentence_index": 2,
             "start_char": 0, "end_char": 3}  # wrong offsets: found in its sentence instead
    figure = {"text": "5 million dollars", "value": 5e6, "unit": "USD", "sentence_index": 1,
              "sentence": "Gamma paid 5 million dollars.", "about": "payment"}
    lost = {"text": "not in the text", "value": 1, "unit": "USD", "sentence_index": 9}
    marks = mark_document(text, [event], [quote], [figure, lost])
    assert "".join(s.text for s in marks.segments) == text
    assert (marks.located, marks.unlocated) == (3, 1)
    kinds = {s.text: s.kinds for s in marks.segments if s.kinds}
    assert kinds["Alpha"] == ("event", "actor") and kinds[" met "] == ("event",)
    assert kinds["5 million dollars"] == ("figure",) and kinds["We agree,"] == ("quote",)


def test_the_web_package_exports_what_the_cli_and_notebooks_use() -> None:
    import dyadwatch.web

    assert sorted(dyadwatch.web.__all__) == [
        "WebConfig", "background_server", "create_app", "serve",
    ]
