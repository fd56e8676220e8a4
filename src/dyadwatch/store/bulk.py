"""Bulk inserts through Arrow: DuckDB's `executemany` inserts row by row, ~100x slower."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import duckdb
import pyarrow as pa


def bulk_insert(
    con: duckdb.DuckDBPyConnection, verb: str, table: str, columns: Sequence[str],
    rows: Sequence[tuple[Any, ...]],
) -> None:
    """`verb` ("INSERT", "INSERT OR IGNORE", ...) many rows into `table` via one Arrow table."""
    if not rows:
        return
    arrow = pa.table({c: [r[i] for r in rows] for i, c in enumerate(columns)})
    names = ", ".join(columns)
    con.register("_bulk_rows", arrow)
    try:
        con.execute(f"{verb} INTO {table} ({names}) SELECT {names} FROM _bulk_rows")
    finally:
        con.unregister("_bulk_rows")
