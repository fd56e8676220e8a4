"""`dyadwatch compact` driven for real: shards in, events in the database, one file per month."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from dyadwatch.cli import app
from dyadwatch.store.parquet import write_shard
from dyadwatch.store.workspace import Workspace, open_workspace
from test_parquet import make_doc, make_extraction


def test_compact_command_imports_shards_and_reports(workspace_dir: Path) -> None:
    ws = open_workspace(workspace_dir)
    for n in range(3):
        doc = make_doc(n)
        write_shard(ws.parquet_dir, [(doc, make_extraction(doc, ["2025-03-05", "2024-11-02"]))])
    runner = CliRunner()
    result = runner.invoke(app, ["compact", "--data", str(workspace_dir), "--json"])
    assert result.exit_code == 0, result.output
    report = json.loads(result.stdout)
    assert report["shard_files"] == 3 * 6 and report["rows"]["events"] == 6
    assert report["months_written"] == ["2024-11", "2025-03"]
    with Workspace(workspace_dir).connect(read_only=True) as con:
        assert con.execute("SELECT count(*) FROM events").fetchone() == (6,)
    again = runner.invoke(app, ["compact", "--data", str(workspace_dir)])
    assert again.exit_code == 0 and "imported 0 shard files" in again.stdout
    assert "months rewritten: none" in again.stdout
    ordered = runner.invoke(app, ["compact", "--data", str(workspace_dir), "--sort", "--json"])
    assert ordered.exit_code == 0 and json.loads(ordered.stdout)["sorted_events"] == 6


def test_ingest_with_workers_and_in_process_store_the_same_events(
    seeds_dir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The real coder through the real command: `--workers 2` (forked, then spawned workers)
    and `--workers 0` (in this process) store the same events for the seeds, and all export
    them to Parquet."""
    runner = CliRunner()
    results = {}
    for workers, start in (("2", "fork"), ("2", "spawn"), ("0", "")):
        monkeypatch.setenv("DYADWATCH_WORKER_START", start)
        data = tmp_path / f"w{workers}{start}"
        done = runner.invoke(app, ["ingest", str(seeds_dir), "--data", str(data), "--workers",
                                   workers, "--batch-size", "1", "--format", "json"])
        assert done.exit_code == 0, done.output
        assert json.loads(done.stdout.strip().splitlines()[-1])["coded"] == 4
        with Workspace(data).connect(read_only=True) as con:
            results[workers + start] = con.execute(
                "SELECT event_id FROM events ORDER BY 1").fetchall()
        assert list((data / "parquet" / "events").glob("month=*/compact-*.parquet"))
    assert results["2fork"] == results["2spawn"] == results["0"] and len(results["0"]) > 10


def test_ingest_with_an_unreachable_scheduler_fails_clearly(
    seeds_dir: Path, tmp_path: Path
) -> None:
    done = CliRunner().invoke(app, ["ingest", str(seeds_dir), "--data", str(tmp_path / "ws"),
                                    "--scheduler", "tcp://127.0.0.1:9"])
    assert done.exit_code == 2
    assert "cannot reach the Dask scheduler at tcp://127.0.0.1:9" in done.output
