"""The 249 Guardian articles: dates kept, a killed ingest resumes, readers work during a run."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from dyadwatch.errors import WorkspaceError
from dyadwatch.run import ingest_paths
from dyadwatch.settings import Settings
from dyadwatch.store import documents as store
from dyadwatch.store.workspace import Workspace

pytestmark = pytest.mark.slow
DYADWATCH = [str(Path(sys.executable).with_name("dyadwatch"))]
KEYS = ("doc_id", "doc_source", "title", "published", "published_precision", "language", "text")


def _snapshot(data: Path) -> list[tuple]:
    with Workspace(data).connect(read_only=True) as con:
        rows = store.query_documents(con)
        sources = store.count_rows(con, "document_sources")
    assert sources == len(rows)
    return sorted(tuple(r[k] for k in KEYS) for r in rows)


@pytest.fixture(scope="module")
def reference(tmp_path_factory, guardian_path: Path) -> tuple[Path, list[tuple]]:
    data = tmp_path_factory.mktemp("guardian") / "ws"
    summary = ingest_paths([guardian_path], Settings(data_dir=data, batch_size=32))
    assert summary.new == 249 and summary.failed == 0
    return data, _snapshot(data)


def test_all_articles_with_their_published_dates(reference, guardian_path: Path) -> None:
    _, docs = reference
    given = {}
    for line in guardian_path.read_text(encoding="utf-8").splitlines():
        rec = json.loads(line)
        given[f"{guardian_path.resolve()}#{rec['id']}"] = rec["published"]
    assert len(docs) == 249
    assert {d[1]: d[3] for d in docs} == given
    assert all(d[4] == "day" and d[5] == "en" for d in docs)


def _count(data: Path) -> int:
    try:
        with Workspace(data, lock_timeout_s=5).connect(read_only=True) as con:
            return store.count_rows(con, "documents")
    except WorkspaceError:
        return 0


def _start(data: Path, guardian_path: Path, batch: int) -> subprocess.Popen:
    return subprocess.Popen(
        [*DYADWATCH, "ingest", str(guardian_path), "--data", str(data), "--batch-size",
         str(batch), "--no-code", "--quiet"],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE,
    )


def test_killed_ingest_resumes_to_the_same_documents(reference, tmp_path: Path,
                                                     guardian_path: Path) -> None:
    _, expected = reference
    data = tmp_path / "ws"
    proc = _start(data, guardian_path, batch=5)
    deadline = time.monotonic() + 120
    while _count(data) < 40 and proc.poll() is None and time.monotonic() < deadline:
        time.sleep(0.05)
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    assert proc.returncode == -signal.SIGKILL, "the ingest finished before it could be killed"
    at_kill = _count(data)
    assert 0 < at_kill < 249
    again = subprocess.run(
        [*DYADWATCH, "ingest", str(guardian_path), "--data", str(data), "--batch-size", "5",
         "--no-code", "--format", "json"], capture_output=True, text=True, check=True,
    )
    summary = json.loads(again.stdout)
    assert summary["unchanged"] >= at_kill and summary["new"] == 249 - summary["unchanged"]
    assert _snapshot(data) == expected


def test_documents_can_be_read_while_an_ingest_runs(tmp_path: Path, guardian_path: Path) -> None:
    data = tmp_path / "ws"
    proc = _start(data, guardian_path, batch=5)
    try:
        while _count(data) < 10 and proc.poll() is None:
            time.sleep(0.05)
        assert proc.poll() is None, "the ingest finished before the reader started"
        env = dict(os.environ, COLUMNS="200")
        reader = subprocess.run([*DYADWATCH, "documents", "--data", str(data),
                                 "--format", "jsonl"], capture_output=True, text=True,
                                env=env, timeout=120)
        assert reader.returncode == 0, reader.stderr
        rows = [json.loads(line) for line in reader.stdout.splitlines()]
        assert 10 <= len(rows) <= 249
        assert proc.poll() is None or _count(data) == 249
    finally:
        proc.wait(timeout=300)
    assert proc.returncode == 0, proc.stderr.read() if proc.stderr else ""
    assert _count(data) == 249
