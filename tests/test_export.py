"""Exports from a real workspace: JSONL, CSV, Parquet, GDELT 2.0 TSV and PLOVER JSON."""

from __future__ import annotations

import csv
import json

import pyarrow.parquet as pq
import pytest

from dyadwatch.analysis import assign_clusters
from dyadwatch.export import export_events
from dyadwatch.export.gdelt import fraction_date, load_gdelt_columns
from dyadwatch.export.plover import PLOVER_REQUIRED
from dyadwatch.store.events import EventFilter
from test_analysis_support import COMMENT, TIMELINE, build_workspace, seed_like_events


@pytest.fixture()
def ws(tmp_path):
    ws = build_workspace(tmp_path / "ws", [TIMELINE, COMMENT], seed_like_events())
    with ws.connect() as con:
        assign_clusters(con)
    return ws


def test_gdelt_columns_match_the_reference_header(shared_dir):
    path = shared_dir / "reference" / "GDELT_2.0_Events_Column_Labels_Header_Row_Sep2016.csv"
    with path.open(encoding="utf-8", newline="") as handle:
        reference = [row[0] for row in list(csv.reader(handle))[1:] if row]
    assert list(load_gdelt_columns()) == reference


def test_gdelt_export_has_61_columns_in_order(ws, tmp_path):
    out = tmp_path / "events.tsv"
    result = export_events(ws, "gdelt", out, header=True)
    lines = out.read_text(encoding="utf-8").splitlines()
    header = lines[0].split("\t")
    assert header == list(load_gdelt_columns())
    rows = [dict(zip(header, line.split("\t"), strict=True)) for line in lines[1:]]
    assert result.rows == len(rows) == 6  # 7 clusters minus the negated one
    lifted = next(r for r in rows if r["EventCode"] == "085" and r["MonthYear"] == "202511")
    assert lifted["SQLDATE"] == "20251101" and lifted["Year"] == "2025"
    assert lifted["NumSources"] == "2" and lifted["NumMentions"] == "2"
    assert lifted["Actor1CountryCode"] == "USA" and lifted["Actor2CountryCode"] == "KHM"
    assert lifted["Actor1Name"] == "UNITED STATES"
    assert lifted["QuadClass"] == "2" and lifted["GoldsteinScale"] == "7"
    assert lifted["EventBaseCode"] == "085" and lifted["EventRootCode"] == "08"
    assert lifted["SOURCEURL"] == "https://example.org/timeline"
    assert lifted["DATEADDED"] == "20260301102030"
    assert lifted["AvgTone"] == "" and lifted["ActionGeo_Lat"] == ""


def test_fraction_date_follows_gdelt_formula():
    assert fraction_date("2025-11-01") == f"{2025 + (11 * 30 + 1) / 365:.4f}"


def test_plover_records_have_required_fields(ws, tmp_path):
    out = tmp_path / "events.plover.jsonl"
    result = export_events(ws, "plover", out, EventFilter(dyad=("USA", "KHM")))
    records = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    # the negated cluster is kept, marked with the auxiliary mode "negation"
    assert result.rows == len(records) == 7
    for record in records:
        for key in PLOVER_REQUIRED:
            assert record[key], key
        assert len(record["date"]) == 10 and record["quad_code"] in (1, 2, 3, 4)
        assert record["actor"][0]["code"] in ("USA", "KHM")
        assert record["text"]
    negated = [r for r in records if "negation" in r["mode"]]
    assert len(negated) == 1 and negated[0]["event"] == ["AGREE"]


def test_jsonl_export_is_the_event_record(ws, tmp_path):
    out = tmp_path / "events.jsonl"
    export_events(ws, "jsonl", out, EventFilter(root="08"))
    records = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    assert len(records) == 3
    assert list(records[0]) == [
        "event_id", "doc_id", "doc_source", "sentence", "date", "date_end", "date_precision",
        "source", "target", "cameo", "root", "quad_class", "goldstein", "plover", "modality",
        "negated", "cluster_id", "confidence", "location", "contexts",
    ]
    assert all(r["cluster_id"] for r in records)


def test_csv_and_parquet_hold_the_same_rows(ws, tmp_path):
    export_events(ws, "csv", tmp_path / "e.csv", EventFilter(since="2025-11"))
    export_events(ws, "parquet", tmp_path / "e.parquet", EventFilter(since="2025-11"))
    with (tmp_path / "e.csv").open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    table = pq.read_table(tmp_path / "e.parquet")
    assert len(rows) == table.num_rows == 4
    assert sorted(r["event_id"] for r in rows) == sorted(table.column("event_id").to_pylist())


def test_gdelt_since_filter_applies_to_event_dates(ws, tmp_path):
    result = export_events(ws, "gdelt", tmp_path / "late.tsv", EventFilter(since="2026-01"))
    assert result.rows == 2
