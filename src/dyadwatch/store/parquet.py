"""Parquet partitions of the workspace: the export DuckDB keeps, and shards Dask workers write.

Layout under the workspace's `parquet/` folder (hive style, so DuckDB, Polars, pandas and Spark
read it with `month` as a column):

    events/month=YYYY-MM/compact-<fingerprint>.parquet   export of the DuckDB events (one file
                                                         per month, rewritten when it changes)
    events/month=undated/...                             events without a date
    events/month=YYYY-MM/part-<shard>.parquet            a shard coded by a Dask worker, not yet
                                                         imported
    documents|quotes|figures|learned_actors/part-<shard>.parquet

`write_event_partitions` rewrites only the months whose content changed (a fingerprint of the
rows names the file). `write_shard` writes one coded shard atomically (temporary file, then
rename; the shard id is a content hash, so a re-run overwrites rather than duplicates).
`import_shards` loads every `part-*` file into DuckDB in one transaction and then removes them;
a crash in between only means the next import ignores rows already there.
"""

from __future__ import annotations

import logging
import os
import uuid
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

import duckdb
import pyarrow as pa
import pyarrow.parquet as pq

from dyadwatch.records import Document, Event, Extraction, stable_id
from dyadwatch.store.documents import DOCUMENT_COLUMNS
from dyadwatch.store.events import EVENT_COLUMNS, date_start, location_columns
from dyadwatch.store.workspace import Workspace

log = logging.getLogger(__name__)

UNDATED = "undated"
SHARD_PREFIX = "part-"
EXPORT_PREFIX = "compact-"
SIDE_TABLES = ("documents", "quotes", "figures", "learned_actors")

_S, _I, _F, _B = pa.string(), pa.int32(), pa.float64(), pa.bool_()
_EVENT_TYPES = {"sentence_index": _I, "date_start": pa.date32(), "quad_class": _I,
                "goldstein": _F, "negated": _B, "confidence": _F,
                "location_lat": _F, "location_lon": _F,
                "contexts": pa.list_(pa.string())}
EVENT_SCHEMA = pa.schema([(c, _EVENT_TYPES.get(c, _S)) for c in EVENT_COLUMNS])
SIDE_SCHEMAS = {
    "documents": pa.schema([(c, _S) for c in DOCUMENT_COLUMNS]),
    "quotes": pa.schema([("quote_id", _S), ("doc_id", _S), ("doc_source", _S),
                         ("sentence_index", _I), ("text", _S), ("speaker", _S),
                         ("speaker_code", _S), ("start_char", _I), ("end_char", _I)]),
    "figures": pa.schema([("figure_id", _S), ("doc_id", _S), ("doc_source", _S),
                          ("sentence_index", _I), ("value", _F), ("unit", _S), ("text", _S),
                          ("about", _S), ("sentence", _S)]),
    "learned_actors": pa.schema([("name", _S), ("code", _S), ("country", _S), ("role", _S),
                                 ("doc_id", _S), ("evidence", _S)]),
}
_KEYS = {"events": "event_id", "documents": "doc_id", "quotes": "quote_id",
         "figures": "figure_id", "learned_actors": "name, doc_id"}


@dataclass(frozen=True, slots=True)
class PartitionReport:
    """What `write_event_partitions` did: months written, left as they were, removed."""

    written: tuple[str, ...]
    unchanged: tuple[str, ...]
    removed: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class ImportReport:
    """Shard files imported by `import_shards`, and rows they held per table."""

    files: int
    rows: dict[str, int]


def month_of(event_date: str | None) -> str:
    """The partition of an event date: `YYYY-MM`, or `undated`."""
    start = date_start(event_date)
    return start[:7] if start else UNDATED


def _atomic_write(table: pa.Table, path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.{uuid.uuid4().hex[:8]}.tmp")
    pq.write_table(table, tmp, compression="zstd")
    os.replace(tmp, path)


# --- the export of DuckDB's events ------------------------------------------------------------

def _month_expr() -> str:
    return f"coalesce(strftime(date_start, '%Y-%m'), '{UNDATED}')"


def _fingerprints(con: duckdb.DuckDBPyConnection) -> dict[str, str]:
    """month -> a hash of the month's rows (order-free: xor of row hashes, plus the count)."""
    rows = con.execute(
        f"SELECT {_month_expr()} AS month, count(*), bit_xor(hash(e)) FROM events e GROUP BY month"
    ).fetchall()
    return {month: stable_id(count, xor) for month, count, xor in rows}


def _export_files(month_dir: Path) -> list[Path]:
    return sorted(month_dir.glob(f"{EXPORT_PREFIX}*.parquet")) if month_dir.is_dir() else []


def _write_month(con: duckdb.DuckDBPyConnection, month_dir: Path, month: str, name: str) -> None:
    month_dir.mkdir(parents=True, exist_ok=True)
    tmp = month_dir / f".{name}.{uuid.uuid4().hex[:8]}.tmp"
    columns = ", ".join(EVENT_COLUMNS)
    # Sorted by dyad then date: row-group statistics then let readers skip most of a file.
    con.execute(
        f"COPY (SELECT {columns} FROM events WHERE {_month_expr()} = ? "
        "ORDER BY source_code, target_code, date_start, event_id) "
        f"TO '{tmp}' (FORMAT parquet, COMPRESSION zstd)", [month],
    )
    os.replace(tmp, month_dir / name)
    for old in _export_files(month_dir):
        if old.name != name:
            old.unlink()


def write_event_partitions(con: duckdb.DuckDBPyConnection, directory: Path) -> PartitionReport:
    """Export the events table to `directory/events/month=*/compact-<fingerprint>.parquet`.

    Reads the events table; rewrites only months whose rows changed since the last export and
    removes exported months that no longer have events. Shard files (`part-*`) are left alone.
    """
    root = Path(directory) / "events"
    prints = _fingerprints(con)
    written, unchanged = [], []
    for month, fingerprint in sorted(prints.items()):
        name = f"{EXPORT_PREFIX}{fingerprint}.parquet"
        month_dir = root / f"month={month}"
        if [p.name for p in _export_files(month_dir)] == [name]:
            unchanged.append(month)
            continue
        _write_month(con, month_dir, month, name)
        written.append(month)
    removed = []
    for month_dir in sorted(root.glob("month=*")) if root.is_dir() else []:
        month = month_dir.name.split("=", 1)[1]
        if month not in prints and _export_files(month_dir):
            for old in _export_files(month_dir):
                old.unlink()
            removed.append(month)
    log.info("event partitions: %d written, %d unchanged, %d removed",
             len(written), len(unchanged), len(removed))
    return PartitionReport(tuple(written), tuple(unchanged), tuple(removed))


# --- shards written by workers ----------------------------------------------------------------

def shard_id(doc_ids: Iterable[str]) -> str:
    """A shard's name: a hash of its sorted document ids (the same shard, the same files)."""
    return stable_id(*sorted(doc_ids))


def _event_row(e: Event) -> dict[str, Any]:
    s, t = e.source, e.target
    start = date_start(e.date)
    return {
        "event_id": e.event_id, "doc_id": e.doc_id, "doc_source": e.doc_source,
        "sentence_index": e.sentence_index, "sentence": e.sentence, "date": e.date,
        "date_end": e.date_end, "date_precision": e.date_precision,
        "date_start": date.fromisoformat(start) if start else None,
        "source_code": s.code, "source_country": s.country, "source_role": s.role,
        "source_text": s.text, "source_name": s.name, "target_code": t.code,
        "target_country": t.country, "target_role": t.role, "target_text": t.text,
        "target_name": t.name, "cameo": e.cameo, "root": e.root, "quad_class": e.quad_class,
        "goldstein": e.goldstein, "plover": e.plover, "modality": e.modality,
        "negated": e.negated, "cluster_id": e.cluster_id, "confidence": e.confidence,
        "coder_version": e.coder_version, "dictionary_version": e.dictionary_version,
        "pattern": e.pattern, **location_columns(e.location), "contexts": list(e.contexts),
    }


def _side_rows(docs: Sequence[Document], extractions: Sequence[Extraction]) -> dict[str, list]:
    return {
        "documents": [{c: getattr(d, c) for c in DOCUMENT_COLUMNS} for d in docs],
        "quotes": [
            {"quote_id": q.quote_id, "doc_id": q.doc_id, "doc_source": q.doc_source,
             "sentence_index": q.sentence_index, "text": q.text, "speaker": q.speaker,
             "speaker_code": q.speaker_code, "start_char": q.start, "end_char": q.end}
            for ex in extractions for q in ex.quotes
        ],
        "figures": [
            {"figure_id": f.figure_id, "doc_id": f.doc_id, "doc_source": f.doc_source,
             "sentence_index": f.sentence_index, "value": f.value, "unit": f.unit,
             "text": f.text, "about": f.about, "sentence": f.sentence}
            for ex in extractions for f in ex.figures
        ],
        "learned_actors": [
            {"name": a.name, "code": a.code, "country": a.country, "role": a.role,
             "doc_id": a.doc_id, "evidence": a.evidence}
            for ex in extractions for a in ex.learned_actors
        ],
    }


def write_shard(
    directory: Path, pairs: Sequence[tuple[Document, Extraction]]
) -> tuple[Path, ...]:
    """Write one coded shard: events by month, plus documents, quotes, figures, learned actors.

    Reads (Document, Extraction) pairs; returns the files written. Empty tables write no file.
    """
    root = Path(directory)
    name = f"{SHARD_PREFIX}{shard_id(d.doc_id for d, _ in pairs)}.parquet"
    by_month: dict[str, list[dict[str, Any]]] = {}
    for _, ex in pairs:
        for event in ex.events:
            by_month.setdefault(month_of(event.date), []).append(_event_row(event))
    written = []
    for month, rows in sorted(by_month.items()):
        path = root / "events" / f"month={month}" / name
        _atomic_write(pa.Table.from_pylist(rows, schema=EVENT_SCHEMA), path)
        written.append(path)
    sides = _side_rows([d for d, _ in pairs], [ex for _, ex in pairs])
    for table, rows in sides.items():
        if rows:
            path = root / table / name
            _atomic_write(pa.Table.from_pylist(rows, schema=SIDE_SCHEMAS[table]), path)
            written.append(path)
    return tuple(written)


def shard_files(directory: Path) -> dict[str, list[Path]]:
    """The `part-*` shard files waiting under `directory`, per table."""
    root = Path(directory)
    found = {"events": sorted(root.glob(f"events/month=*/{SHARD_PREFIX}*.parquet"))}
    for table in SIDE_TABLES:
        found[table] = sorted(root.glob(f"{table}/{SHARD_PREFIX}*.parquet"))
    return found


def _file_list(paths: Sequence[Path]) -> str:
    return "[" + ", ".join("'" + str(p).replace("'", "''") + "'" for p in paths) + "]"


def _import_table(con: duckdb.DuckDBPyConnection, table: str, paths: Sequence[Path]) -> int:
    columns = EVENT_COLUMNS if table == "events" else tuple(SIDE_SCHEMAS[table].names)
    source = f"read_parquet({_file_list(paths)}, union_by_name = true)"
    if table == "events":  # shards written before migration 006 have no location columns
        present = {r[0] for r in con.execute(f"DESCRIBE SELECT * FROM {source}").fetchall()}
        columns = tuple(c for c in columns if c in present)
    names = ", ".join(columns)
    before = con.execute(f"SELECT count(*) FROM {table}").fetchone()[0]  # type: ignore[index]
    if table == "documents":
        con.execute(
            f"INSERT OR IGNORE INTO documents ({names}, coded, ingested_at) "
            f"SELECT DISTINCT ON (doc_id) {names}, TRUE, now()::TIMESTAMP FROM {source}"
        )
        # the coder may have refined a document's inferred date: the shard's version wins
        con.execute(
            "UPDATE documents SET coded = TRUE, inferred_date = s.inferred_date, "
            "inferred_precision = s.inferred_precision, inferred_from = s.inferred_from "
            f"FROM (SELECT DISTINCT ON (doc_id) * FROM {source}) s "
            "WHERE documents.doc_id = s.doc_id"
        )
        con.execute(
            "INSERT OR IGNORE INTO document_sources SELECT DISTINCT ON (doc_source) "
            f"doc_source, doc_id, now()::TIMESTAMP FROM {source}"
        )
    else:
        con.execute(
            f"INSERT OR IGNORE INTO {table} ({names}) "
            f"SELECT DISTINCT ON ({_KEYS[table]}) {names} FROM {source}"
        )
    after = con.execute(f"SELECT count(*) FROM {table}").fetchone()[0]  # type: ignore[index]
    return int(after - before)


def import_shards(con: duckdb.DuckDBPyConnection, directory: Path) -> ImportReport:
    """Load every shard file under `directory` into DuckDB (one transaction), then delete them.

    Rows whose ids are already stored are ignored, so importing twice adds nothing. Returns the
    files imported and the rows added per table.
    """
    files = shard_files(directory)
    rows: dict[str, int] = {}
    con.execute("BEGIN TRANSACTION")
    try:
        for table, paths in files.items():
            if paths:
                rows[table] = _import_table(con, table, paths)
        con.execute("COMMIT")
    except BaseException:
        con.execute("ROLLBACK")
        raise
    count = 0
    for paths in files.values():
        for path in paths:
            path.unlink(missing_ok=True)
            count += 1
    return ImportReport(files=count, rows=rows)


def create_parquet_view(con: duckdb.DuckDBPyConnection, directory: Path,
                        name: str = "parquet_events") -> bool:
    """A temporary view over every event Parquet file (export and waiting shards), one row
    per event id. Returns False (and creates nothing) when there are no files yet."""
    pattern = str(Path(directory) / "events" / "month=*" / "*.parquet")
    if not list(Path(directory).glob("events/month=*/*.parquet")):
        return False
    con.execute(
        f"CREATE OR REPLACE TEMP VIEW {name} AS SELECT DISTINCT ON (event_id) * FROM "
        f"read_parquet('{pattern}', hive_partitioning = true, union_by_name = true, "
        "hive_types = {'month': VARCHAR})"
    )
    return True


@dataclass(frozen=True, slots=True)
class CompactReport:
    imported: ImportReport
    partitions: PartitionReport


def compact(workspace: Workspace) -> CompactReport:
    """Load waiting shards into the workspace's DuckDB, then rewrite the changed months of the
    event export as one file each (the many small shard files become one per month)."""
    with workspace.connect() as con:
        imported = import_shards(con, workspace.parquet_dir)
        partitions = write_event_partitions(con, workspace.parquet_dir)
    return CompactReport(imported, partitions)
