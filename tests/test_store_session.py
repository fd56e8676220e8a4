"""store.workspace.Session: one in-memory DuckDB attaching a real workspace file per use."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import duckdb
import pytest

from dyadwatch.errors import WorkspaceBusyError, WorkspaceError
from dyadwatch.records import InputError
from dyadwatch.store import documents as store
from dyadwatch.store.workspace import Workspace, open_workspace

ERROR = InputError("/x/a.txt", "/x/a.txt: empty file", "2026-01-01T00:00:00+00:00")


def _count_in_other_process(db_path: Path) -> int:
    """Open the file read-write from another process, as a second ingest would."""
    code = ("import duckdb, sys; con = duckdb.connect(sys.argv[1]); "
            "print(con.execute('SELECT count(*) FROM errors').fetchone()[0])")
    done = subprocess.run([sys.executable, "-c", code, str(db_path)], capture_output=True,
                          text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    return int(done.stdout)


def test_a_session_writes_what_connections_read_and_lets_go_between_uses(
    workspace_dir: Path,
) -> None:
    ws = open_workspace(workspace_dir)
    session = ws.session()
    with session.connect() as con:
        store.write_batch(con, store.DocumentBatch(documents=(), sources=(), errors=(ERROR,)))
    assert _count_in_other_process(ws.db_path) == 1  # the file is free between uses
    with session.connect(read_only=True) as con:
        assert [e["reason"] for e in store.query_errors(con)] == [ERROR.reason]
    with ws.connect(read_only=True) as con:  # a plain connection in this process, too
        assert store.count_rows(con, "errors") == 1
    session.close()


def test_while_a_session_holds_the_file_others_wait(workspace_dir: Path) -> None:
    ws = open_workspace(workspace_dir)
    impatient = Workspace(workspace_dir, lock_timeout_s=0.2)
    with ws.session().connect():
        with pytest.raises(WorkspaceBusyError, match="stayed locked"), impatient.connect(
                read_only=True):
            pass  # pragma: no cover - never reached
        with pytest.raises(WorkspaceBusyError), impatient.session().connect():
            pass  # pragma: no cover - never reached


def test_an_interrupted_transaction_is_rolled_back_and_the_file_released(
    workspace_dir: Path,
) -> None:
    ws = open_workspace(workspace_dir)
    session = ws.session()
    with pytest.raises(KeyboardInterrupt), session.connect() as con:
        con.execute("BEGIN TRANSACTION")
        con.execute("INSERT INTO errors VALUES ('/x/a.txt', 'r', now())")
        raise KeyboardInterrupt
    assert _count_in_other_process(ws.db_path) == 0
    with session.connect() as con:  # the session is usable again
        assert store.count_rows(con, "errors") == 0


def test_a_session_reads_nothing_from_a_missing_workspace(tmp_path: Path) -> None:
    missing = Workspace(tmp_path / "none").session()
    with pytest.raises(WorkspaceError, match="no workspace"), missing.connect(read_only=True):
        pass  # pragma: no cover - never reached


def test_a_session_reports_a_file_that_is_not_a_database(tmp_path: Path) -> None:
    ws = Workspace(tmp_path)
    ws.db_path.write_text("not a database", encoding="utf-8")
    with pytest.raises(WorkspaceError, match=str(ws.db_path)), ws.session().connect():
        pass  # pragma: no cover - never reached
    with duckdb.connect(":memory:") as con:  # nothing else broken in this process
        assert con.execute("SELECT 1").fetchone() == (1,)
