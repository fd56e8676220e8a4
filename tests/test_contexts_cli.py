"""Filtering by PLOVER context on a real ingest of the seeds: the CLI (`events --context`,
`export --context`), the Python API and the REST API answer the same events."""

from __future__ import annotations

import csv
import io
import json
import shutil
from pathlib import Path

import duckdb
import pytest
from fastapi.testclient import TestClient
from typer.testing import CliRunner

from dyadwatch import api
from dyadwatch.cli import app
from dyadwatch.web import WebConfig, create_app

runner = CliRunner()
LOOPBACK = "http://127.0.0.1"


@pytest.fixture(scope="module")
def data(tmp_path_factory, seeds_dir: Path) -> str:
    folder = str(tmp_path_factory.mktemp("ctx") / "ws")
    result = runner.invoke(app, ["ingest", str(seeds_dir), "--data", folder, "--workers", "0",
                                 "--quiet"])
    assert result.exit_code == 0, result.output
    return folder


def _events(data: str, *options: str) -> list[dict]:
    result = runner.invoke(app, ["events", "--data", data, "--format", "jsonl", *options])
    assert result.exit_code == 0, result.output
    return [json.loads(line) for line in result.stdout.splitlines()]


def test_events_carry_contexts_and_the_filter_keeps_only_that_context(data: str) -> None:
    every = _events(data)
    assert every and all(isinstance(e["contexts"], list) for e in every)
    military = _events(data, "--context", "military")
    assert 0 < len(military) < len(every)
    assert all("military" in e["contexts"] for e in military)
    assert {e["event_id"] for e in military} == {
        e["event_id"] for e in every if "military" in e["contexts"]}
    exercises = [e for e in every if "Angkor Sentinel" in e["sentence"]]
    assert exercises and all("military" in e["contexts"] for e in exercises)


def test_an_unknown_context_is_a_one_line_error(data: str) -> None:
    result = runner.invoke(app, ["events", "--data", data, "--context", "sports"])
    assert result.exit_code == 2
    assert "unknown context 'sports'" in result.output and "military" in result.output


def test_csv_export_joins_contexts_with_semicolons(data: str, tmp_path: Path) -> None:
    out = tmp_path / "mil.csv"
    result = runner.invoke(app, ["export", "--data", data, "-f", "csv", "-o", str(out),
                                 "--context", "diplomatic"])
    assert result.exit_code == 0, result.output
    rows = list(csv.DictReader(io.StringIO(out.read_text(encoding="utf-8"))))
    assert rows and all("diplomatic" in r["contexts"].split(";") for r in rows)
    assert not any("[" in r["contexts"] or '"' in r["contexts"] for r in rows)
    assert len(rows) == len(_events(data, "--context", "diplomatic"))


def test_python_and_rest_api_filter_like_the_cli(data: str) -> None:
    expected = {e["event_id"] for e in _events(data, "--context", "military")}
    frame = api.open_workspace(data).events(context="military")
    assert set(frame["event_id"]) == expected
    client = TestClient(create_app(WebConfig(data_dir=Path(data))), base_url=LOOPBACK)
    body = client.get("/api/events", params={"context": "military", "limit": 1000}).json()
    assert body["total"] == len(expected)
    assert {e["event_id"] for e in body["items"]} == expected
    assert client.get("/api/events", params={"context": "sports"}).status_code == 422
    doc_id = body["items"][0]["doc_id"]
    doc = client.get(f"/api/documents/{doc_id}").json()
    assert "military" in doc["contexts"]
    assert api.open_workspace(data).document_contexts(doc_id) == doc["contexts"]


def test_timeline_keeps_the_events_with_a_mention_of_the_context(data: str) -> None:
    def entries(*options: str) -> list[dict]:
        result = runner.invoke(app, ["timeline", "USA", "KHM", "--data", data, "-f", "json",
                                     *options])
        assert result.exit_code == 0, result.output
        return json.loads(result.stdout)

    every = entries()
    military = entries("--context", "military")
    clusters = {e["cluster_id"] for e in _events(data, "--context", "military")}
    assert 0 < len(military) < len(every)
    assert {e["cluster_id"] for e in military} == {
        e["cluster_id"] for e in every if e["cluster_id"] in clusters}


def test_rest_clusters_keep_only_mentions_of_the_context(data: str) -> None:
    client = TestClient(create_app(WebConfig(data_dir=Path(data))), base_url=LOOPBACK)
    every = client.get("/api/clusters", params={"limit": 1000}).json()
    military = client.get("/api/clusters", params={"context": "military", "limit": 1000}).json()
    assert 0 < military["total"] < every["total"]
    ids = {e["event_id"] for e in _events(data, "--context", "military")}
    for cluster in military["items"]:
        assert {m["event_id"] for m in cluster["evidence"]} <= ids


def test_plover_export_fills_context_from_the_mentions(data: str, tmp_path: Path) -> None:
    out = tmp_path / "mil.jsonl"
    result = runner.invoke(app, ["export", "--data", data, "-f", "plover", "-o", str(out),
                                 "--context", "military"])
    assert result.exit_code == 0, result.output
    records = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    assert records and all("military" in r["context"] for r in records)


def test_contexts_command_lists_the_names_the_filter_accepts() -> None:
    result = runner.invoke(app, ["contexts", "--format", "jsonl"])
    assert result.exit_code == 0, result.output
    rows = [json.loads(line) for line in result.stdout.splitlines()]
    assert {"military", "economic", "election"} <= {r["context"] for r in rows}
    assert all(r["definition"] for r in rows)


def test_rest_lists_contexts_with_their_event_counts(data: str) -> None:
    client = TestClient(create_app(WebConfig(data_dir=Path(data))), base_url=LOOPBACK)
    items = {i["name"]: i for i in client.get("/api/contexts").json()["items"]}
    assert {"military", "diplomatic", "election"} <= set(items)
    assert items["military"]["events"] == len(_events(data, "--context", "military"))
    assert all(i["definition"] for i in items.values())


def test_events_stored_before_contexts_read_as_none(data: str, tmp_path: Path) -> None:
    old = tmp_path / "old"
    shutil.copytree(data, old)
    con = duckdb.connect(str(next(old.glob("*.duckdb"))))
    con.execute("UPDATE events SET contexts = NULL")  # as migration 007 leaves older rows
    con.close()
    every = _events(str(old))
    assert every and all(e["contexts"] == [] for e in every)
    assert _events(str(old), "--context", "military") == []
    result = runner.invoke(app, ["export", "--data", str(old), "-f", "csv", "-o",
                                 str(tmp_path / "old.csv")])
    assert result.exit_code == 0, result.output
    rows = list(csv.DictReader(io.StringIO((tmp_path / "old.csv").read_text(encoding="utf-8"))))
    assert rows and all(r["contexts"] == "" for r in rows)
