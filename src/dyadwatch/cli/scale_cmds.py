"""`dyadwatch compact`: load Parquet shards written by cluster workers, rewrite the month export."""

from __future__ import annotations

import json
import sys
from typing import Annotated

import typer

from dyadwatch.cli.app import DataOption, app, settings_for
from dyadwatch.store.workspace import open_workspace


@app.command("compact")
def compact_command(
    data: DataOption = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print the report as JSON.")] = False,
    sort: Annotated[bool, typer.Option(
        "--sort", help="Also rewrite the events table sorted by dyad and date (fast dyad "
        "queries on large workspaces; takes minutes on millions of events).")] = False,
) -> None:
    """Import the Parquet shards under the workspace's parquet/ folder (written by
    `ingest --scheduler` workers) into its database, then rewrite each changed month of
    parquet/events/month=YYYY-MM/ as one file. Safe to run again: nothing is imported twice.

    Example: dyadwatch compact --data ./dyadwatch-data --sort
    """
    settings = settings_for(data)
    sorted_rows: int | None = None
    from dyadwatch.scale.ingest import settle  # the pipeline: imported when it runs
    from dyadwatch.scale.layout import sort_events
    from dyadwatch.store.parquet import compact

    workspace = open_workspace(settings.data_dir, settings.lock_timeout_s)
    report = compact(workspace)
    with workspace.connect() as con:
        settle(con, workspace.parquet_dir)  # imported events join the corpus's clusters
    if sort:
        with workspace.connect() as con:
            sorted_rows = sort_events(con)
    summary = {
        "shard_files": report.imported.files,
        "rows": report.imported.rows,
        "months_written": list(report.partitions.written),
        "months_unchanged": len(report.partitions.unchanged),
        "months_removed": list(report.partitions.removed),
        "sorted_events": sorted_rows,
    }
    if as_json:
        sys.stdout.write(json.dumps(summary) + "\n")
        return
    rows = ", ".join(f"{k} {v}" for k, v in report.imported.rows.items()) or "nothing"
    sys.stdout.write(
        f"imported {report.imported.files} shard files ({rows})\n"
        f"months rewritten: {', '.join(report.partitions.written) or 'none'}; "
        f"unchanged: {len(report.partitions.unchanged)}; "
        f"removed: {', '.join(report.partitions.removed) or 'none'}\n"
        + (f"events sorted by dyad and date: {sorted_rows}\n" if sorted_rows is not None else "")
    )
