"""The server answers only to its own Host names, links relative to itself, and answers HEAD.

FastAPI TestClient over a real workspace; the same checks against a real server process are in
test_web_hostile.py.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from dyadwatch.web import WebConfig, create_app
from test_web_api import LOOPBACK, Sample, fill_workspace

URLS = ("/", "/api/stats", "/documents?offset=10", "/api/events?limit=1", "/openapi.json",
        "/api/docs", "/static/style.css", "/search?q=embargo")


@pytest.fixture()
def sample(workspace_dir: Path) -> Sample:
    return fill_workspace(workspace_dir)


@pytest.fixture()
def client(sample: Sample, workspace_dir: Path) -> TestClient:
    config = WebConfig(data_dir=workspace_dir, allowed_hosts=("dash.lan",))
    return TestClient(create_app(config), base_url=LOOPBACK, raise_server_exceptions=False)


@pytest.mark.parametrize("host", ["evil.example", "evil.example:8000", "127.0.0.1.evil.example",
                                  "localhost.", "localhost:http", "[::1", "", "127.0.0.2",
                                  "dash.lan.evil.example", "xn--exmple-cua.org"])
def test_a_foreign_host_header_is_refused(client: TestClient, host: str) -> None:
    for url in URLS:
        response = client.get(url, headers={"Host": host})
        assert response.status_code == 400, (url, host, response.status_code)
        assert "Host" in response.json()["detail"]
        if host:
            assert host not in response.text  # the caller's name is not echoed


@pytest.mark.parametrize("host", ["127.0.0.1", "127.0.0.1:8000", "localhost", "LOCALHOST:80",
                                  "[::1]:8000", "[::1]", "dash.lan:8000"])
def test_the_names_it_serves_are_answered(client: TestClient, host: str) -> None:
    for url in URLS:
        response = client.get(url, headers={"Host": host})
        assert response.status_code == 200, (url, host, response.status_code)


def test_pagination_links_are_relative_to_the_server(client: TestClient) -> None:
    page = client.get("/documents", params={"offset": 10}, headers={"Host": "localhost:9"})
    assert page.status_code == 200
    assert 'href="/documents?offset=0"' in page.text
    assert "http://" not in page.text.split("<nav class=\"pager\">", 1)[1].split("</nav>")[0]
    search = client.get("/search", params={"q": "embargo", "offset": 60})
    assert 'href="/search?q=embargo&amp;offset=10"' in search.text


def test_head_is_answered_wherever_get_is(client: TestClient, sample: Sample) -> None:
    for url in (*URLS, f"/document/{sample.doc_a}", f"/api/events/{sample.clash}"):
        got, head = client.get(url), client.head(url)
        assert head.status_code == got.status_code == 200, (url, head.status_code)
        assert head.content == b""
        assert head.headers["content-type"] == got.headers["content-type"]
        assert "default-src 'self'" in head.headers["content-security-policy"]
    assert client.head("/api/events/nope").status_code == 404
    assert client.head("/api/events", params={"offset": -1}).status_code == 422
