"""`dyadwatch serve` for real: a subprocess on a free loopback port, reached over HTTP.

Also checks that the server keeps answering while another process writes to the workspace
(it opens the database read-only per request) and that the upload token can come from the
environment.
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from dyadwatch.store.workspace import Workspace
from dyadwatch.web.server import free_port
from test_web_api import Sample, fill_workspace

TOKEN = "tok-" + "x" * 12


def _wait_until_up(base: str, proc: subprocess.Popen[bytes], tries: int = 100) -> None:
    for _ in range(tries):
        if proc.poll() is not None:
            pytest.fail(f"dyadwatch serve exited early: {proc.stderr.read().decode()[-2000:]}")
        try:
            if httpx.get(f"{base}/api/stats", timeout=2).status_code == 200:
                return
        except httpx.TransportError:
            pass
        time.sleep(0.2)
    pytest.fail(f"dyadwatch serve did not answer on {base} within {tries * 0.2:.0f}s")


def start_server(workspace: Path, *args: str, env: dict[str, str] | None = None,
                 ) -> tuple[subprocess.Popen[bytes], str]:
    """`dyadwatch serve` on a free loopback port in its own process, once it answers (stopped
    again when it does not come up); `env` adds to this process's environment."""
    port = free_port()
    command = [sys.executable, "-c", "from dyadwatch.cli import main; main()", "serve",
               "--data", str(workspace), "--port", str(port), *args]
    proc = subprocess.Popen(command, env={**os.environ, **(env or {})},
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    base = f"http://127.0.0.1:{port}"
    try:
        _wait_until_up(base, proc)
    except BaseException:
        stop_server(proc)
        raise
    return proc, base


def stop_server(proc: subprocess.Popen[bytes]) -> str:
    proc.terminate()
    try:
        proc.wait(timeout=10)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait(timeout=10)
    return proc.stderr.read().decode("utf-8", "replace") if proc.stderr else ""


@pytest.fixture()
def served(workspace_dir: Path) -> Iterator[tuple[str, Sample, Path]]:
    sample = fill_workspace(workspace_dir)
    proc, base = start_server(workspace_dir, env={"DYADWATCH_UPLOAD_TOKEN": TOKEN})
    try:
        yield base, sample, workspace_dir
    finally:
        stop_server(proc)


def test_serve_answers_pages_api_and_schema_on_loopback(served: tuple[str, Sample, Path]) -> None:
    base, sample, _ = served
    home = httpx.get(f"{base}/", timeout=10)
    assert home.status_code == 200 and "text/html" in home.headers["content-type"]
    assert "default-src 'self'" in home.headers["content-security-policy"]
    assert 'href="/dyad/KHM/USA"' in home.text
    events = httpx.get(f"{base}/api/events", params={"dyad": "KHM-USA"}, timeout=10).json()
    assert events["total"] == 4
    page = httpx.get(f"{base}/document/{sample.doc_xss}", timeout=10).text
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert "/api/series" in httpx.get(f"{base}/openapi.json", timeout=10).json()["paths"]
    css = httpx.get(f"{base}/static/style.css", timeout=10)
    assert css.status_code == 200 and "text/css" in css.headers["content-type"]


def test_the_upload_token_comes_from_the_environment(served: tuple[str, Sample, Path]) -> None:
    base, _, _ = served
    files = {"file": ("n.txt", b"Words about nothing in particular.")}
    refused = httpx.post(f"{base}/api/ingest", files=files, timeout=10)
    assert refused.status_code == 401  # the route exists (token set) and wants it


def test_readers_keep_working_while_another_process_writes(
    served: tuple[str, Sample, Path],
) -> None:
    base, _, workspace_dir = served
    before = httpx.get(f"{base}/api/stats", timeout=10).json()["counts"]["documents"]
    with Workspace(workspace_dir).connect() as con:  # a writer holds the file a moment
        con.execute(
            "INSERT INTO documents (doc_id, doc_source, title, text, published_precision, "
            "inferred_precision, coded, ingested_at) VALUES ('late', 'late.txt', 'Late', "
            "'A late arrival about a harbour.', 'unknown', 'unknown', FALSE, now())"
        )
    after = httpx.get(f"{base}/api/stats", timeout=30).json()["counts"]["documents"]
    assert after == before + 1
    found = httpx.get(f"{base}/api/search", params={"q": "harbour"}, timeout=10).json()
    assert found["documents"]["total"] == 1


def test_pages_keep_answering_while_an_ingest_runs(
    served: tuple[str, Sample, Path], guardian_path: Path
) -> None:
    base, _, workspace_dir = served
    command = [sys.executable, "-c", "from dyadwatch.cli import main; main()", "ingest",
               str(guardian_path), "--data", str(workspace_dir), "--no-code", "--batch-size",
               "16", "-q"]
    ingest = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    seen, during = [], 0
    try:
        deadline = time.monotonic() + 240
        while ingest.poll() is None and time.monotonic() < deadline:
            stats = httpx.get(f"{base}/api/stats", timeout=60)
            assert stats.status_code == 200, stats.text
            assert httpx.get(f"{base}/", timeout=60).status_code == 200
            seen.append(stats.json()["counts"]["documents"])
            during += ingest.poll() is None
        assert ingest.wait(timeout=60) == 0, ingest.stderr.read().decode()[-2000:]
    finally:
        if ingest.poll() is None:
            ingest.kill()
            ingest.wait(timeout=10)
    assert during >= 1, "no request was served while the ingest ran"
    assert seen == sorted(seen)  # every answer saw a committed state, never a rollback
    final = httpx.get(f"{base}/api/stats", timeout=30).json()["counts"]["documents"]
    lines = sum(1 for line in guardian_path.read_text(encoding="utf-8").splitlines() if line)
    assert final == 3 + lines
