"""Data out, one schema: the same flat CSV from `events` and `export`, real dates and every
record kind in the Python API, the outlet of each document, and GDELT rows the GDELT way."""

from __future__ import annotations

import json
import subprocess
import sys
from dataclasses import replace
from pathlib import Path

import pandas as pd
import pytest

from dyadwatch import api
from dyadwatch.analysis import assign_clusters
from dyadwatch.records import Extraction, Figure, Location, Quote
from dyadwatch.store.analysis import EVENT_CSV_COLUMNS, event_csv_row, event_rows
from dyadwatch.store.events import insert_extractions
from dyadwatch.store.workspace import Workspace
from test_analysis_support import COMMENT, TIMELINE, build_workspace, event, seed_like_events


def dyadwatch(*args: str) -> subprocess.CompletedProcess[str]:
    result = subprocess.run([sys.executable, "-m", "dyadwatch", *args], capture_output=True,
                            text=True, timeout=600, check=False)
    assert result.returncode == 0, result.stderr
    return result


@pytest.fixture(scope="module")
def data(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("data-out") / "ws"
    ws = build_workspace(folder, [TIMELINE, COMMENT], seed_like_events())
    quote = Quote("q1", TIMELINE.doc_id, TIMELINE.doc_source, 3, "We will keep talking.",
                  "A minister", "KHMGOV")
    figure = Figure("f1", TIMELINE.doc_id, TIMELINE.doc_source, 4, 3.0, "USD_million",
                    "$3 million", "demining", "The US gave $3 million for demining.")
    with ws.connect() as con:
        insert_extractions(con, [Extraction(TIMELINE.doc_id, quotes=(quote,),
                                            figures=(figure,))])
        assign_clusters(con)
    return folder


def test_events_csv_and_export_csv_have_the_same_columns(data: Path, tmp_path: Path) -> None:
    listed = tmp_path / "events.csv"
    listed.write_text(dyadwatch("events", "--data", str(data), "-f", "csv").stdout,
                      encoding="utf-8")
    exported = tmp_path / "export.csv"
    dyadwatch("export", "--format", "csv", "-o", str(exported), "--data", str(data))
    a, b = pd.read_csv(listed, dtype=str), pd.read_csv(exported, dtype=str)
    assert list(a.columns) == list(b.columns) and len(a) == len(b) == 8
    assert {"source_code", "target_code", "cameo", "date_precision"} <= set(a.columns)
    assert not a["source_code"].str.startswith("{").any()  # flat, no JSON objects
    assert set(a["cameo"]) >= {"057", "0312"}  # codes are text with their leading zeros
    assert a.fillna("").equals(b.fillna(""))  # the same rows, cell for cell


def test_an_event_flattens_the_same_stored_or_not(tmp_path: Path) -> None:
    """`code -f csv` (an event not stored) and `events -f csv` (stored) share one flattening:
    same columns, same cells, location and contexts included."""
    placed = replace(seed_like_events()[0], contexts=("economic", "diplomatic"),
                     location=Location("Phnom Penh", "KHM", "KH.22", 11.56, 104.92,
                                       "geonames:1821306", "city"))
    made = [placed, *seed_like_events()[1:3]]
    ws = build_workspace(tmp_path / "ws", [TIMELINE], made)
    with ws.connect(read_only=True) as con:
        stored = {row["event_id"]: row for row in event_rows(con)}
    assert set(stored) == {e.event_id for e in made}
    for e in made:
        assert event_csv_row(e) == stored[e.event_id]
    assert stored[placed.event_id]["contexts"] == "economic;diplomatic"
    assert stored[placed.event_id]["location_name"] == "Phnom Penh"
    assert list(event_csv_row(placed)) == list(EVENT_CSV_COLUMNS)


def test_code_csv_has_the_stored_columns() -> None:
    result = dyadwatch("code", "The Japanese government sent emergency aid to Fiji on Monday.",
                       "-f", "csv", "--date", "2025-05-05")
    header = result.stdout.splitlines()[0].split(",")
    assert header == list(EVENT_CSV_COLUMNS)


def test_api_events_have_cli_columns_and_real_dates(data: Path, tmp_path: Path) -> None:
    frame = api.open_workspace(data).events()
    out = tmp_path / "export.csv"
    dyadwatch("export", "--format", "csv", "-o", str(out), "--data", str(data))
    assert list(frame.columns) == list(pd.read_csv(out, nrows=0).columns)
    assert pd.api.types.is_datetime64_any_dtype(frame["date"])
    dated = frame[frame["date_precision"] != "unknown"]
    assert dated["date"].notna().all()
    month = frame[frame["date_precision"] == "month"].iloc[0]
    assert month["date"].day == 1
    assert frame["cameo"].map(type).eq(str).all()


def test_api_has_documents_quotes_figures_clusters(data: Path) -> None:
    ws = api.open_workspace(data)
    documents = ws.documents()
    assert len(documents) == 2 and "outlet" in documents.columns
    assert ws.quotes().iloc[0]["speaker_code"] == "KHMGOV"
    assert ws.figures().iloc[0]["value"] == pytest.approx(3.0)
    assert len(ws.clusters("USA", "KHM")) == 7


def test_gdelt_has_no_header_unless_asked_and_shows_precision(data: Path,
                                                              tmp_path: Path) -> None:
    plain, headed = tmp_path / "plain.tsv", tmp_path / "headed.tsv"
    dyadwatch("export", "-f", "gdelt", "-o", str(plain), "--data", str(data))
    dyadwatch("export", "-f", "gdelt", "-o", str(headed), "--data", str(data), "--header")
    rows = plain.read_text(encoding="utf-8").splitlines()
    assert not rows[0].startswith("GLOBALEVENTID") and len(rows) == 6
    assert headed.read_text(encoding="utf-8").splitlines()[1:] == rows
    cells = [r.split("\t") for r in rows]
    month = next(c for c in cells if c[26] == "057")  # signed in October 2025 (month)
    assert month[1] == "20251001" and month[4] == f"{2025 + 10 * 30 / 365:.4f}"
    assert all(len(c) == 61 for c in cells)


@pytest.fixture(scope="module")
def outlets_ws(tmp_path_factory: pytest.TempPathFactory, seeds_dir: Path,
               guardian_path: Path) -> Path:
    """guardian-sdf and the seeds ingested for real (documents only), plus one event that
    three Guardian articles and two seeds report (our own sentences)."""
    folder = tmp_path_factory.mktemp("outlets") / "ws"
    dyadwatch("ingest", str(guardian_path), str(seeds_dir), "--no-code", "--data",
              str(folder), "--quiet")
    ws = Workspace(folder)
    with ws.connect() as con:
        docs = con.execute("SELECT doc_id, doc_source, outlet FROM documents "
                           "ORDER BY doc_source").fetchall()
    guardian = [d for d in docs if d[2] == "Guardian"][:3]
    seeds = [d for d in docs if d[2] is None][:2]
    events = []
    for n, (doc_id, source, _) in enumerate(guardian + seeds):
        doc = type("D", (), {"doc_id": doc_id, "doc_source": source})
        events.append(event(doc, n, "The two ministers met in Ankara in March 2018.",
                            "USAGOV", "TURGOV", "036", "2018-03", "month"))
    with ws.connect() as con:
        insert_extractions(con, [Extraction(e.doc_id, (e,)) for e in events])
        assign_clusters(con)
    return folder


def test_outlets_are_kept_from_the_dump(outlets_ws: Path) -> None:
    result = dyadwatch("documents", "--data", str(outlets_ws), "-f", "jsonl")
    outlets = [json.loads(line)["outlet"] for line in result.stdout.splitlines()]
    assert outlets.count("Guardian") == 249 and outlets.count(None) == 4


def test_num_sources_counts_distinct_outlets(outlets_ws: Path, tmp_path: Path) -> None:
    out = tmp_path / "e.tsv"
    dyadwatch("export", "-f", "gdelt", "-o", str(out), "--data", str(outlets_ws), "--header")
    frame = pd.read_csv(out, sep="\t", dtype=str)
    row = frame[frame["EventCode"] == "036"].iloc[0]
    # 3 Guardian articles + 2 seeds of unknown outlet: 5 articles from 3 outlets
    assert row["NumArticles"] == "5" and row["NumSources"] == "3"
    assert row["NumMentions"] == "5" and row["FractionDate"] == f"{2018 + 90 / 365:.4f}"


def test_outlet_of_a_feed_a_page_and_front_matter() -> None:
    from dyadwatch.ingest.formats import html_document
    from dyadwatch.ingest.readers import read_feed, read_markdown

    feed = (b'<?xml version="1.0"?><rss version="2.0"><channel><title>Mekong Wire</title>'
            b"<item><title>Talks</title><link>https://example.org/a</link><description>"
            b"The two ministers held talks on trade in the capital on Monday.</description>"
            b"</item></channel></rss>")
    entry = next(iter(read_feed("feed.xml", feed)))
    assert getattr(entry, "outlet", None) == "Mekong Wire"
    page = ("<html><head><title>Talks</title><meta property='og:site_name' "
            "content='River Post'></head><body><article><p>" + "The two ministers held "
            "talks on trade in the capital on Monday, officials said. " * 5
            + "</p></article></body></html>")
    assert html_document("page.html", page).outlet == "River Post"
    note = read_markdown("n.md", "---\ntitle: Talks\nsource: Delta Daily\n---\nThey met.\n")
    assert note.outlet == "Delta Daily"
