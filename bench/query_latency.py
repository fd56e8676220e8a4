"""Latency of a dyad timeline plus its monthly index over millions of synthetic events.

Run by hand: `.venv/bin/python bench/query_latency.py [--events 10000000] [--data DIR]`.
Generates the events with bench/synth_events.py (unless --data holds them already), then
measures, median of 5, each on a fresh read-only connection as the web server opens one:
- database path: the timeline's first page (`store.web.page_events`, 100 events in date
  order) plus the monthly index (one SQL aggregate: events per QuadClass and Goldstein sum per
  month, negated events left out, as `analysis.series` defines them);
- the analysis path the dashboard uses (`web.analysis_bridge.dyad_view`: clusters, monthly
  series, change points and the described timeline, computed in Python over every event of
  the dyad), for the smaller dyad only (it grows with the dyad's size, not the table's);
before and after the sorted layout (`store.layout.sort_events`, i.e. `dyadwatch compact
--sort`). Never asserts on timings.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import duckdb

from dyadwatch.analysis.tables import load_description_tables
from dyadwatch.store.events import EventFilter
from dyadwatch.store.layout import sort_events
from dyadwatch.store.web import Page, page_events
from dyadwatch.store.workspace import Workspace
from dyadwatch.web.analysis_bridge import dyad_view
from synth_events import generate

DYADS = (("USA", "KHM"), ("USA", "CHN"))
REPEATS = 5


def monthly_index(con: duckdb.DuckDBPyConnection, flt: EventFilter) -> list[tuple]:
    where, params = flt.where()
    where += " AND date_start IS NOT NULL AND NOT negated"
    return con.execute(
        "SELECT strftime(date_trunc('month', date_start), '%Y-%m') AS period, count(*), "
        "count(*) FILTER (WHERE quad_class = 1), count(*) FILTER (WHERE quad_class = 2), "
        "count(*) FILTER (WHERE quad_class = 3), count(*) FILTER (WHERE quad_class = 4), "
        f"sum(goldstein) FROM events{where} GROUP BY period ORDER BY period", params
    ).fetchall()


def median_ms(workspace: Workspace, work: Callable[[duckdb.DuckDBPyConnection], Any]
              ) -> tuple[float, list[float]]:
    times = []
    for _ in range(REPEATS):
        started = time.perf_counter()
        with workspace.connect(read_only=True) as con:
            work(con)
        times.append((time.perf_counter() - started) * 1000)
    return round(statistics.median(times), 1), [round(t, 1) for t in times]


def measure(workspace: Workspace, analysis: bool) -> dict[str, Any]:
    """Timings for every dyad in DYADS (and the analysis path for the first one)."""
    out: dict[str, Any] = {}
    tables = load_description_tables()
    for a, b in DYADS:
        flt = EventFilter(dyad=(a, b))
        with workspace.connect(read_only=True) as con:
            size = con.execute(f"SELECT count(*) FROM events{flt.where()[0]}",
                               flt.where()[1]).fetchone()
        db_ms, db_all = median_ms(workspace, lambda con, f=flt: (
            page_events(con, f, Page(limit=100)), monthly_index(con, f)))
        entry: dict[str, Any] = {"events": size[0] if size else 0,
                                 "timeline_page_plus_monthly_index_ms": db_ms, "runs": db_all}
        if analysis and (a, b) == DYADS[0]:
            entry["analysis_dyad_view_ms"], entry["analysis_runs"] = median_ms(
                workspace, lambda con, p=(a, b): dyad_view(con, p, tables))
        out[f"{a}-{b}"] = entry
    return out


def run(events: int, data_dir: Path | None = None) -> dict[str, Any]:
    """Generate (when needed), measure unsorted, sort, measure again."""
    with tempfile.TemporaryDirectory(prefix="dyadwatch-lat-") as tmp:
        folder = data_dir or Path(tmp) / "synthetic"
        workspace = Workspace(folder)
        result: dict[str, Any] = {"events": events}
        if not workspace.exists():
            result["generate_seconds"] = round(generate(folder, events), 1)
        result["unsorted"] = measure(workspace, analysis=True)
        started = time.perf_counter()
        with workspace.connect() as con:
            sort_events(con)
            con.execute("CHECKPOINT")
        result["sort_seconds"] = round(time.perf_counter() - started, 1)
        result["sorted"] = measure(workspace, analysis=True)
    return result


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--events", type=int, default=10_000_000)
    parser.add_argument("--data", type=Path, default=None,
                        help="A workspace of synthetic events to reuse (it gets sorted).")
    args = parser.parse_args(argv)
    sys.stdout.write(json.dumps(run(args.events, args.data), indent=2) + "\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
