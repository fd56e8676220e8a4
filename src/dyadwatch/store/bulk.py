"""Bulk inserts as one statement: each column goes in as one list parameter, `unnest`ed.

DuckDB's `executemany` inserts row by row (~100x slower). Registering an Arrow table is as
fast per row, but DuckDB then imports pandas (0.6 s of CPU) in the writing process, which
in a parallel ingest is the parent that every worker waits for.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import duckdb


def unnested(columns: Sequence[str]) -> str:
    """A subquery with one row per element of the list parameters $1, $2, ... (one list per
    column, read side by side): "(SELECT unnest($1) AS a, unnest($2) AS b)"."""
    return "(SELECT " + ", ".join(f"unnest(${i + 1}) AS {c}" for i, c in enumerate(columns)) + ")"


def bulk_insert(
    con: duckdb.DuckDBPyConnection, verb: str, table: str, columns: Sequence[str],
    rows: Sequence[tuple[Any, ...]],
) -> None:
    """`verb` ("INSERT", "INSERT OR IGNORE", ...) many rows into `table` in one statement."""
    if not rows:
        return
    names = ", ".join(columns)
    values = [[row[i] for row in rows] for i in range(len(columns))]
    con.execute(f"{verb} INTO {table} ({names}) SELECT {names} FROM {unnested(columns)}", values)
