"""`dyadwatch compact` driven for real: shards in, events in the database, one file per month."""

from __future__ import annotations

import json
from pathlib import Path

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
