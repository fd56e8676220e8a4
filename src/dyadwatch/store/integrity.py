"""Is the database file whole, and what to tell the user when storage fails.

`check_size(db_path)` and `read_everything(con, ...)` read the whole file before a run writes
into it: every column of every table, so that DuckDB reads every block (a truncated file ends
before some) and verifies each block's checksum. A damaged file raises
`WorkspaceDamagedError`, and the run writes nothing into it.

`storage_failure(db_path, exc)` turns a DuckDB error that comes from the file or the disk
(damaged blocks, a full disk, a file over the size limit) into a one-line `WorkspaceError`
naming the file and the cause; other DuckDB errors (a bug, a constraint) are left as they are.
"""

from __future__ import annotations

from pathlib import Path

import duckdb

from dyadwatch.errors import WorkspaceDamagedError, WorkspaceError

# A DuckDB file opens with a 4 KiB main header and two 4 KiB database headers. (Its header's
# block count is no size check: DuckDB trims free blocks off the end of the file without
# lowering it; a truncated file shows when its blocks are read.)
_HEADERS = 3 * 4096
_DAMAGED = ("Corrupt database file", "checksum", "Could not read enough bytes",
            "not a valid DuckDB database file", "The file is not a valid")
_DISK_FULL = ("No space left on device", "File too large", "Disk quota exceeded")
_FROM_STORAGE = (duckdb.IOException, duckdb.InternalException, duckdb.FatalException,
                 duckdb.SerializationException, duckdb.OutOfMemoryException)


def _first_line(exc: BaseException) -> str:
    text = " ".join(str(exc).split())
    return text[:400] or type(exc).__name__


def check_size(db_path: Path) -> None:
    """Refuse a file too short to hold a DuckDB database's headers (truncated)."""
    size = db_path.stat().st_size
    if size < _HEADERS:
        raise WorkspaceDamagedError(damaged(db_path, f"the file is {size:,} bytes long, too "
                                                     "short for a DuckDB database (truncated?)"))


def read_everything(con: duckdb.DuckDBPyConnection, db_path: Path, database: str) -> None:
    """Read every column of every table of `database`, which makes DuckDB verify the
    checksum of each block; a failure raises WorkspaceDamagedError."""
    try:
        tables = [row[0] for row in con.execute(
            "SELECT table_name FROM duckdb_tables() WHERE database_name = ? ORDER BY 1",
            [database]).fetchall()]
        for table in tables:
            con.execute(f'SELECT bit_xor(hash(COLUMNS(*))) FROM "{database}"."{table}"').fetchall()
    except duckdb.Error as exc:
        cause = _first_line(exc)
        if "Could not read enough bytes" in cause:
            cause = f"the file ends before its data: truncated ({cause})"
        raise WorkspaceDamagedError(damaged(db_path, cause)) from exc


def damaged(db_path: Path, cause: str) -> str:
    return (f"{db_path}: the database file is damaged ({cause}); nothing was written to it. "
            "Restore it from a backup, or move it away and ingest again")


def storage_failure(db_path: Path, exc: BaseException) -> WorkspaceError | None:
    """A one-line WorkspaceError for a DuckDB error that comes from the file or the disk, else
    None (the error is not about storage and should propagate unchanged)."""
    if not isinstance(exc, duckdb.Error):
        return None
    cause = _first_line(exc)
    if any(marker in cause for marker in _DISK_FULL):
        return WorkspaceError(f"{db_path}: cannot write, the disk is full or the file at its "
                              f"size limit ({cause}); the run stopped, the batches committed "
                              "before are kept")
    if any(marker in cause for marker in _DAMAGED):
        return WorkspaceDamagedError(damaged(db_path, cause).replace(
            "; nothing was written to it", ""))
    if isinstance(exc, _FROM_STORAGE) or type(exc) is duckdb.Error:
        return WorkspaceError(f"{db_path}: {cause}")
    return None
