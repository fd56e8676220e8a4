"""Hostile requests against a real `dyadwatch serve` process on 127.0.0.1 (issue #12).

Every endpoint gets the out-of-range, malformed and foreign-script values of
`hostile_requests.py` (offset/limit bounds 0, -1, 2^31, 2^53, 2^63, 2^64, non-numeric,
non-ASCII digits; impossible dates; hedging a power against itself; non-ASCII Bearer tokens):
no answer may be a 500. The server must refuse foreign Host headers (also a request without
one), answer HEAD wherever it answers GET, and read its upload token from a file.
"""

from __future__ import annotations

import socket
import time
from collections import Counter
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from hostile_requests import hostile_requests
from test_web_api import Sample, fill_workspace
from test_web_server import start_server as _start
from test_web_server import stop_server as _stop

TOKEN = "file-token-" + "y" * 10
MAX_REQUESTS = 600  # the sweep's size, and so its time, is bounded
DEADLINE_S = 300.0
ANSWERS = {200, 400, 401, 404, 405, 413, 422}


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, Sample]]:
    folder = tmp_path_factory.mktemp("hostile")
    sample = fill_workspace(folder / "ws")
    token_file = folder / "token"
    token_file.write_text(TOKEN + "\n", encoding="utf-8")
    token_file.chmod(0o600)
    proc, base = _start(folder / "ws", "--upload-token-file", str(token_file))
    try:
        yield base, sample
    finally:
        _stop(proc)


def test_no_hostile_parameter_gets_a_500(server: tuple[str, Sample]) -> None:
    base, sample = server
    requests = hostile_requests(sample)
    assert 300 <= len(requests) <= MAX_REQUESTS
    statuses: Counter[int] = Counter()
    wrong: list[str] = []
    deadline = time.monotonic() + DEADLINE_S
    with httpx.Client(base_url=base, timeout=30) as client:
        for method, path, params, headers in requests:
            assert time.monotonic() < deadline, f"the sweep ran past {DEADLINE_S:.0f}s"
            response = client.request(method, path, params=params, headers=headers)
            statuses[response.status_code] += 1
            if response.status_code not in ANSWERS:
                wrong.append(f"{response.status_code} {method} {path} {params!r}: "
                             f"{response.text[:200]}")
            elif response.status_code >= 400 and not response.text.strip():
                wrong.append(f"{response.status_code} without a reason: {path} {params!r}")
    assert not wrong, "\n".join(wrong[:20])
    assert statuses[500] == 0
    assert statuses[422] >= 200 and statuses[200] >= 50  # refused and answered both seen
    assert statuses[401] == 8  # every bad token refused, none crashed the check


def test_the_offset_bounds_of_every_list(server: tuple[str, Sample]) -> None:
    base, _ = server
    for path in ("/api/documents", "/api/events", "/api/quotes", "/documents", "/actor/KHM"):
        assert httpx.get(f"{base}{path}", params={"offset": 0}).status_code == 200
        for offset in (-1, 2**63, 2**64, "x", "٢"):
            response = httpx.get(f"{base}{path}", params={"offset": offset})
            assert response.status_code == 422, (path, offset, response.text[:200])
    top = httpx.get(f"{base}/api/events", params={"offset": 2**53 - 1}).json()
    assert top["items"] == [] and top["total"] == 6


def _raw(base: str, request: bytes) -> bytes:
    host, port = base.removeprefix("http://").split(":")
    with socket.create_connection((host, int(port)), timeout=10) as sock:
        sock.sendall(request)
        chunks = []
        while chunk := sock.recv(65536):
            chunks.append(chunk)
    return b"".join(chunks)


def test_the_host_header_is_checked(server: tuple[str, Sample]) -> None:
    base, _ = server
    port = base.rsplit(":", 1)[1]
    for host in ("evil.example", f"evil.example:{port}", "127.0.0.1.nip.io", "attacker"):
        for path in ("/api/stats", "/api/events", "/", "/documents?offset=50"):
            response = httpx.get(f"{base}{path}", headers={"Host": host})
            assert response.status_code == 400, (host, path)
            assert host not in response.text
    for host in (f"127.0.0.1:{port}", f"localhost:{port}", "localhost", f"[::1]:{port}"):
        assert httpx.get(f"{base}/api/stats", headers={"Host": host}).status_code == 200
    no_host = _raw(base, b"GET /api/stats HTTP/1.0\r\n\r\n")
    assert no_host.startswith(b"HTTP/1.1 400"), no_host[:200]
    page = httpx.get(f"{base}/documents", params={"offset": 5}, headers={"Host": "localhost"})
    assert 'href="/documents?offset=0"' in page.text


def test_head_is_answered_wherever_get_is(server: tuple[str, Sample]) -> None:
    base, sample = server
    paths = ("/", "/api/stats", "/api/events", "/documents", "/openapi.json", "/api/docs",
             "/static/style.css", f"/document/{sample.doc_a}", "/dyad/USA/KHM", "/actor/KHM",
             "/api/hedging?actor=KHM")
    for path in paths:
        head = httpx.head(f"{base}{path}")
        assert head.status_code == 200, (path, head.status_code)
        assert head.content == b""
        assert head.headers["content-type"] == httpx.get(f"{base}{path}").headers["content-type"]
    assert httpx.head(f"{base}/api/events/nope").status_code == 404
    raw = _raw(base, b"HEAD /api/stats HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n")
    assert raw.startswith(b"HTTP/1.1 200") and raw.endswith(b"\r\n\r\n")  # no body sent


def test_the_upload_token_is_read_from_a_file(server: tuple[str, Sample]) -> None:
    base, _ = server
    empty = {"file": ("e.txt", b"")}
    refused = httpx.post(f"{base}/api/ingest", files=empty,
                         headers={"Authorization": "Bearer wrong"})
    assert refused.status_code == 401
    accepted = httpx.post(f"{base}/api/ingest", files=empty,
                          headers={"Authorization": f"Bearer {TOKEN}"})
    assert accepted.status_code == 422 and "empty" in accepted.json()["detail"]  # past the token


def test_a_token_on_the_command_line_works_but_warns(tmp_path: Path) -> None:
    fill_workspace(tmp_path / "ws")
    proc, base = _start(tmp_path / "ws", "--upload-token", "cmdline-token-123")
    try:
        files = {"file": ("e.txt", b"")}
        good = httpx.post(f"{base}/api/ingest", files=files,
                          headers={"Authorization": "Bearer cmdline-token-123"})
        assert good.status_code == 422  # the token was taken
    finally:
        stderr = _stop(proc)
    flat = " ".join(stderr.split())
    assert "warning: --upload-token on the command line can be read by every local user" in flat
    assert "cmdline-token-123" not in stderr


def test_a_token_from_the_environment_does_not_warn(tmp_path: Path) -> None:
    fill_workspace(tmp_path / "ws")
    proc, base = _start(tmp_path / "ws", env={"DYADWATCH_UPLOAD_TOKEN": "env-token-456"})
    try:
        good = httpx.post(f"{base}/api/ingest", files={"file": ("e.txt", b"")},
                          headers={"Authorization": "Bearer env-token-456"})
        assert good.status_code == 422
    finally:
        stderr = _stop(proc)
    assert "--upload-token on the command line" not in stderr


def test_an_unusable_token_file_is_a_one_line_error(tmp_path: Path) -> None:
    from typer.testing import CliRunner

    from dyadwatch.cli import app

    runner = CliRunner()
    empty = tmp_path / "empty-token"
    empty.write_text("\n", encoding="utf-8")
    for path, reason in ((tmp_path / "none", "No such file"), (empty, "the file is empty")):
        result = runner.invoke(app, ["serve", "--data", str(tmp_path), "--port", "9",
                                     "--upload-token-file", str(path)])
        assert result.exit_code == 2, result.output
        lines = result.stderr.strip().splitlines()
        assert len(lines) == 1 and lines[0].startswith(f"error: --upload-token-file {path}: "
                                                       f"{reason}"), lines
