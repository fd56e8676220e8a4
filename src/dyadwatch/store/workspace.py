"""The workspace folder: an embedded DuckDB database with numbered migrations.

DuckDB lets one process write or many processes read a database file, never both at once. So
dyadwatch holds the file only for short moments: a writer does its NLP outside the database and
opens it for one transaction per batch (through a `Session`); readers (CLI queries, the web
server) open it read-only per request. Either side waits, with back-off, while the other holds
it (`lock_timeout_s`).
"""

from __future__ import annotations

import fcntl
import logging
import os
import random
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager, suppress
from importlib import resources
from pathlib import Path
from typing import TypeVar

import duckdb

from dyadwatch.errors import WorkspaceBusyError, WorkspaceError
from dyadwatch.store.integrity import check_size, read_everything, storage_failure

log = logging.getLogger(__name__)

DB_NAME = "dyadwatch.duckdb"
LOCK_NAME = "ingest.lock"  # held by the one run writing (see `Workspace.writer_lock`)
T = TypeVar("T")
# another process holds the file; or, "Unique file handle conflict", this process does
_LOCK_MARKERS = ("Could not set lock", "Conflicting lock", "database is locked",
                 "Unique file handle conflict")


def _migrations() -> list[tuple[int, str, str]]:
    """(number, name, sql) of every packaged migration, in order."""
    found = []
    for entry in resources.files("dyadwatch.store").joinpath("migrations").iterdir():
        if entry.name.endswith(".sql"):
            number = int(entry.name.split("_", 1)[0])
            found.append((number, entry.name, entry.read_text(encoding="utf-8")))
    return sorted(found)


class Workspace:
    """A workspace folder. Open connections with `connect()`; they are short-lived."""

    def __init__(self, path: Path | str, lock_timeout_s: float = 120.0) -> None:
        self.path = Path(path)
        self.db_path = self.path / DB_NAME
        self.lock_timeout_s = lock_timeout_s

    @property
    def parquet_dir(self) -> Path:
        return self.path / "parquet"

    def exists(self) -> bool:
        return self.db_path.exists()

    @contextmanager
    def connect(self, read_only: bool = False) -> Iterator[duckdb.DuckDBPyConnection]:
        """A connection, waiting while another process holds the file. A failure of the file
        or the disk (see `integrity.storage_failure`) is raised as a one-line WorkspaceError."""
        self.check_openable(read_only)
        con = self._open(read_only)
        try:
            yield con
        except duckdb.Error as exc:
            raise self.failure(exc) from exc
        finally:
            try:
                con.close()  # a checkpoint: it writes
            except duckdb.Error as exc:
                raise self.failure(exc) from exc

    def failure(self, exc: duckdb.Error) -> Exception:
        """What to raise for `exc`: a storage failure as a WorkspaceError, else `exc`."""
        return storage_failure(self.db_path, exc) or exc

    @contextmanager
    def writer_lock(self) -> Iterator[None]:
        """Hold WORKSPACE/ingest.lock (an exclusive `flock`) while one run writes: a second
        ingest into the same workspace fails at once with WorkspaceBusyError. The lock goes
        with the process, so a killed run leaves none behind."""
        self.path.mkdir(parents=True, exist_ok=True)
        fd = os.open(self.path / LOCK_NAME, os.O_RDWR | os.O_CREAT | os.O_CLOEXEC, 0o644)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            holder = os.read(fd, 32).decode("ascii", "replace").strip() or "?"
            os.close(fd)
            raise WorkspaceBusyError(
                f"another ingest is running into {self.path} (process {holder}); wait for it "
                "to end, or ingest into another --data folder") from None
        try:
            os.ftruncate(fd, 0)
            os.write(fd, f"{os.getpid()}\n".encode("ascii"))
            yield
        finally:
            os.close(fd)

    def check(self) -> None:
        """Read the whole database file (when there is one) before writing into it: a
        truncated or damaged file raises WorkspaceDamagedError (see `integrity`)."""
        if not self.exists():
            return
        check_size(self.db_path)
        with self.connect(read_only=True) as con:
            row = con.execute("SELECT current_database()").fetchone()
            read_everything(con, self.db_path, str(row[0]) if row else self.db_path.stem)

    def check_openable(self, read_only: bool) -> None:
        """A reader needs the database file; a writer gets the folder it will create it in."""
        if read_only and not self.exists():
            raise WorkspaceError(f"no workspace at {self.path} (run `dyadwatch ingest` first)")
        if not read_only:
            self.path.mkdir(parents=True, exist_ok=True)

    def session(self) -> Session:
        """Connections for one thread's run of many short transactions (see `Session`)."""
        return Session(self)

    def _open(self, read_only: bool) -> duckdb.DuckDBPyConnection:
        return self.waiting(lambda: duckdb.connect(str(self.db_path), read_only=read_only))

    def waiting(self, open_file: Callable[[], T]) -> T:
        """`open_file()`, retried with back-off while another holder has the file."""
        deadline = time.monotonic() + self.lock_timeout_s
        delay = 0.01
        while True:
            try:
                return open_file()
            except duckdb.Error as exc:
                if not any(m in str(exc) for m in _LOCK_MARKERS):
                    raise WorkspaceError(f"cannot open {self.db_path}: "
                                         f"{' '.join(str(exc).split())}") from exc
                if time.monotonic() > deadline:
                    raise WorkspaceBusyError(
                        f"{self.db_path} stayed locked by another process for "
                        f"{self.lock_timeout_s:.0f}s"
                    ) from exc
                time.sleep(delay * (1 + random.random()))
                delay = min(delay * 2, 0.5)

    def migrate(self) -> list[str]:
        """Apply the migrations not yet recorded in the database; return their names."""
        applied: list[str] = []
        with self.connect() as con:
            con.execute(
                "CREATE TABLE IF NOT EXISTS schema_migrations ("
                "version INTEGER PRIMARY KEY, name VARCHAR NOT NULL, applied_at TIMESTAMP NOT NULL)"
            )
            rows = con.execute("SELECT version FROM schema_migrations").fetchall()
            done = {row[0] for row in rows}
            for number, name, sql in _migrations():
                if number in done:
                    continue
                con.execute("BEGIN TRANSACTION")
                try:
                    con.execute(sql)
                    con.execute(
                        "INSERT INTO schema_migrations VALUES (?, ?, now())", [number, name]
                    )
                    con.execute("COMMIT")
                except duckdb.Error:
                    with suppress(duckdb.Error):  # the failed COMMIT may have ended it
                        con.execute("ROLLBACK")
                    raise
                log.info("applied migration %s", name)
                applied.append(name)
        return applied

    def schema_version(self) -> int:
        with self.connect(read_only=True) as con:
            row = con.execute("SELECT max(version) FROM schema_migrations").fetchone()
        return int(row[0]) if row and row[0] is not None else 0


class Session:
    """Connections to a workspace for one thread that opens it many times in a row (an ingest
    run: a lookup and a write per batch). One in-memory DuckDB ATTACHes the file for each
    `connect` and DETACHes it after (which checkpoints, as closing does), so the file is held
    just as briefly as with `Workspace.connect`, without the ~15 ms of CPU that DuckDB spends
    starting and stopping a database for every connection. Not for several threads at once."""

    ALIAS = "workspace"

    def __init__(self, workspace: Workspace) -> None:
        self.workspace = workspace
        self._host: duckdb.DuckDBPyConnection | None = None

    @contextmanager
    def connect(self, read_only: bool = False) -> Iterator[duckdb.DuckDBPyConnection]:
        """The host connection with the workspace attached (read-only if asked) and in use."""
        workspace = self.workspace
        workspace.check_openable(read_only)
        host = self._host if self._host is not None else duckdb.connect(":memory:")
        self._host = host
        mode = " (READ_ONLY)" if read_only else ""
        path = str(workspace.db_path).replace("'", "''")
        workspace.waiting(lambda: host.execute(f"ATTACH '{path}' AS {self.ALIAS}{mode}"))
        try:
            host.execute(f"USE {self.ALIAS}")
            yield host
        except duckdb.Error as exc:
            raise workspace.failure(exc) from exc
        finally:
            self._detach(host)

    def _detach(self, host: duckdb.DuckDBPyConnection) -> None:
        try:
            # work left uncommitted by an interrupted statement is dropped, as on close
            with suppress(duckdb.Error):  # raised when none was open, or it already failed
                host.execute("ROLLBACK")
            host.execute("USE memory")
            host.execute(f"DETACH {self.ALIAS}")  # a checkpoint: it writes
        except BaseException as exc:
            self.close()  # closing the host lets go of the file in any case
            if isinstance(exc, duckdb.Error):
                raise self.workspace.failure(exc) from exc
            raise

    def close(self) -> None:
        """Close the host database (the file is not held between connections anyway)."""
        if self._host is not None:
            self._host.close()
            self._host = None


Connector = Workspace | Session  # what the ingest steps open connections through


def open_workspace(path: Path | str, lock_timeout_s: float = 120.0) -> Workspace:
    """A workspace at `path`, created and migrated to the current schema when needed."""
    workspace = Workspace(path, lock_timeout_s)
    workspace.migrate()
    return workspace
