"""Exports: event mentions as JSONL / CSV / Parquet; events (clusters) as GDELT 2.0-style
TSV or PLOVER JSON records.

Entry point: `export_events(workspace, fmt, path, flt) -> ExportResult`. JSONL lines are the
event records (`Event.to_record`); CSV and Parquet hold the flat columns of `dyadwatch events
-f csv` (store.analysis.EVENT_CSV_COLUMNS: actors as source_code, source_country ..., codes as text,
`date` as written with its `date_precision`).
"""

from __future__ import annotations

import csv
import json
import logging
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq

from dyadwatch.analysis.clusters import Cluster, date_end_day, load_clusters
from dyadwatch.analysis.tables import load_description_tables
from dyadwatch.export.gdelt import load_gdelt_columns, write_gdelt
from dyadwatch.export.plover import write_plover
from dyadwatch.store.analysis import event_rows, fetch_documents
from dyadwatch.store.events import EventFilter, date_start, query_events
from dyadwatch.store.workspace import Workspace

log = logging.getLogger(__name__)

__all__ = ["ExportFormat", "ExportResult", "export_events"]


class ExportFormat(StrEnum):
    jsonl = "jsonl"
    csv = "csv"
    parquet = "parquet"
    gdelt = "gdelt"
    plover = "plover"


@dataclass(frozen=True, slots=True)
class ExportResult:
    """What was written: the file, the format, rows written and rows skipped."""

    path: Path
    fmt: str
    rows: int
    skipped: int = 0


def _write_mentions(ws: Workspace, fmt: ExportFormat, path: Path, flt: EventFilter) -> int:
    with ws.connect(read_only=True) as con:
        if fmt is ExportFormat.jsonl:
            events = query_events(con, flt)
            with path.open("w", encoding="utf-8") as handle:
                for e in events:
                    handle.write(json.dumps(e.to_record(), ensure_ascii=False) + "\n")
            return len(events)
        rows = event_rows(con, flt)
    if fmt is ExportFormat.parquet:
        pq.write_table(pa.Table.from_pylist(rows), path)
        return len(rows)
    with path.open("w", encoding="utf-8", newline="") as handle:
        if rows:
            writer = csv.DictWriter(handle, fieldnames=list(rows[0]))
            writer.writeheader()
            writer.writerows(rows)  # contexts already one cell (store.analysis.event_rows)
    return len(rows)


def _keep(cluster: Cluster, flt: EventFilter) -> bool:
    start = cluster.date_start
    if (flt.since or flt.until) and start is None:
        return False
    if flt.since and start and start < (date_start(flt.since) or ""):
        return False
    if flt.until and start and start > date_end_day(flt.until):
        return False
    return not (flt.root and cluster.root != flt.root.zfill(2))


def _write_clusters(ws: Workspace, fmt: ExportFormat, path: Path,
                    flt: EventFilter, header: bool = False) -> tuple[int, int]:
    with ws.connect(read_only=True) as con:
        clusters = [c for c in load_clusters(con, dyad=flt.dyad, actor=flt.actor)
                    if _keep(c, flt)]
        if flt.context:  # a real-world event has the contexts of any of its mentions
            ids = {e.event_id for e in query_events(con, EventFilter(context=flt.context))}
            clusters = [c for c in clusters if ids.intersection(c.event_ids)]
        docs = fetch_documents(con, sorted({d for c in clusters for d in c.doc_ids}))
    tables = load_description_tables()
    if fmt is ExportFormat.gdelt:
        return write_gdelt(path, clusters, docs, tables, load_gdelt_columns(), header), 0
    return write_plover(path, clusters, docs, tables)


def export_events(ws: Workspace, fmt: ExportFormat | str, path: Path,
                  flt: EventFilter | None = None, header: bool = False) -> ExportResult:
    """Write the workspace's events (filtered) to `path` in `fmt` (`header`: a GDELT file
    with a header line, which GDELT's own files do not have)."""
    fmt = ExportFormat(fmt)
    flt = flt or EventFilter()
    path.parent.mkdir(parents=True, exist_ok=True)
    if fmt in (ExportFormat.gdelt, ExportFormat.plover):
        rows, skipped = _write_clusters(ws, fmt, path, flt, header)
    else:
        rows, skipped = _write_mentions(ws, fmt, path, flt), 0
    log.info("wrote %d %s rows to %s (%d skipped)", rows, fmt.value, path, skipped)
    return ExportResult(path, fmt.value, rows, skipped)
