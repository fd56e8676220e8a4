"""Is the database file whole, and what to tell the user when storage fails.

`check_file(db_path, con)` reads the whole file before a run writes into it: the size its
header promises (a truncated file is shorter), then every column of every table, so that
DuckDB verifies each block's checksum. A damaged file raises `WorkspaceDamagedError` and the
run writes nothing into it.

`storage_failure(db_path, exc)` turns a DuckDB error that comes from the file or the disk
(damaged blocks, a full disk, a file over the size limit) into a one-line `WorkspaceError`
naming the file and the cause; other DuckDB errors (a bug, a constraint) are left as they are.
"""

from __future__ import annotations

import struct
from pathlib import Path

import duckdb

from dyadwatch.errors import WorkspaceDamagedError, WorkspaceError

# DuckDB's file layout (storage version 64+): a 4 KiB main header with the magic b"DUCK" at
# byte 8, then two 4 KiB database headers (the one with the higher iteration is current):
# checksum, iteration, meta block, free list, block count, block size. The blocks follow.
_HEADER = 4096
_DB_HEADER = struct.Struct("<QQqqQQ")
_DAMAGED = ("Corrupt database file", "checksum", "Could not read enough bytes",
            "not a valid DuckDB database file", "The file is not a valid")
_DISK_FULL = ("No space left on device", "File too large", "Disk quota exceeded")
_FROM_STORAGE = (duckdb.IOException, duckdb.InternalException, duckdb.FatalException,
                 duckdb.SerializationException, duckdb.OutOfMemoryException)


def _first_line(exc: BaseException) -> str:
    text = " ".join(str(exc).split())
    return text[:400] or type(exc).__name__


def promised_size(head: bytes) -> int | None:
    """The file size a DuckDB file's headers promise, or None when they are not readable
    (another layout: then only the full read of `check_file` judges the file)."""
    if len(head) < 3 * _HEADER or head[8:12] != b"DUCK":
        return None
    headers = [_DB_HEADER.unpack_from(head, offset) for offset in (_HEADER, 2 * _HEADER)]
    _, _, _, _, blocks, block_size = max(headers, key=lambda h: h[1])
    if not 4096 <= block_size <= 1 << 30 or block_size & (block_size - 1) or blocks > 1 << 40:
        return None
    return 3 * _HEADER + blocks * block_size


def check_size(db_path: Path) -> None:
    """Refuse a file shorter than its header says (truncated) or too short to be one."""
    with db_path.open("rb") as f:
        head = f.read(3 * _HEADER)
        size = f.seek(0, 2)
    if size < 3 * _HEADER:
        raise WorkspaceDamagedError(damaged(db_path, f"the file is {size:,} bytes long, too "
                                                     "short for a DuckDB database (truncated?)"))
    expected = promised_size(head)
    if expected is not None and size < expected:
        raise WorkspaceDamagedError(damaged(db_path, f"the file is {size:,} bytes long but its "
                                                     f"header promises {expected:,} (truncated)"))


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
        raise WorkspaceDamagedError(damaged(db_path, _first_line(exc))) from exc


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
