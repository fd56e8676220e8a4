"""Hostile query values answer 4xx with a reason, never 500 (FastAPI TestClient, real DuckDB).

The same values are sent to a real server process in test_web_hostile.py; these tests pin the
answer (status and message) of each one.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from dyadwatch.web import WebConfig, create_app
from test_web_api import Sample, fill_workspace

PAGED_API = ("/api/documents", "/api/events", "/api/clusters", "/api/quotes", "/api/figures")
PAGED_PAGES = ("/documents", "/actor/KHM", "/search?q=embargo")


@pytest.fixture()
def sample(workspace_dir: Path) -> Sample:
    return fill_workspace(workspace_dir)


@pytest.fixture()
def client(sample: Sample, workspace_dir: Path) -> TestClient:
    config = WebConfig(data_dir=workspace_dir, upload_token="s3cret")
    return TestClient(create_app(config), base_url="http://127.0.0.1",
                      raise_server_exceptions=False)


@pytest.mark.parametrize("offset", [2**63, 2**63 - 1, 2**64, 2**53])
def test_an_offset_past_the_largest_is_refused_on_every_list(
    client: TestClient, offset: int
) -> None:
    for url in (*PAGED_API, "/api/search?q=embargo", *PAGED_PAGES):
        response = client.get(url, params={"offset": offset})
        assert response.status_code == 422, (url, response.status_code, response.text[:300])
        assert "less than or equal to" in response.text


def test_the_largest_offset_is_an_empty_page(client: TestClient) -> None:
    body = client.get("/api/events", params={"offset": 2**53 - 1}).json()
    assert body["total"] == 6 and body["items"] == []
    assert client.get("/documents", params={"offset": 2**53 - 1}).status_code == 200


@pytest.mark.parametrize("limit", ["-1", "0", "1001", str(2**63), "lots", "٥"])
def test_a_limit_out_of_range_is_refused(client: TestClient, limit: str) -> None:
    for url in (*PAGED_API, "/api/dyads"):
        assert client.get(url, params={"limit": limit}).status_code == 422, (url, limit)


@pytest.mark.parametrize("value", ["٢٠٢٤", "２０２４", "2024-٠١", "٢٠٢٤-٠١-٠١"])
def test_dates_in_other_scripts_digits_are_refused(client: TestClient, value: str) -> None:
    for url, extra in (("/api/events", {}), ("/api/clusters", {}),
                       ("/api/series", {"dyad": "USA-KHM"}),
                       ("/api/timeline", {"dyad": "USA-KHM"})):
        for name in ("since", "until"):
            response = client.get(url, params={**extra, name: value})
            assert response.status_code == 422, (url, name, response.text[:300])


def test_a_root_in_other_digits_is_refused(client: TestClient) -> None:
    assert client.get("/api/events", params={"root": "٠٥"}).status_code == 422
    assert client.get("/api/events", params={"root": "07"}).json()["total"] == 1


@pytest.mark.parametrize("params", [
    {"actor": "USA"},  # one of the default powers USA-CHN
    {"actor": "CHNGOV"},
    {"actor": "KHM", "powers": "USA-USA"},
    {"actor": "KHM", "powers": "USAGOV-USAMIL"},
])
def test_hedging_of_a_power_against_itself_is_a_clear_422(
    client: TestClient, params: dict[str, str]
) -> None:
    response = client.get("/api/hedging", params=params)
    assert response.status_code == 422, response.text[:300]
    assert "three different countries" in response.json()["detail"]


@pytest.mark.parametrize("token", ["tökén", "s3cret\u00a0", "\u0000", "s3cret" + "é" * 40])
def test_a_non_ascii_bearer_token_is_refused_with_401(client: TestClient, token: str) -> None:
    headers = {"Authorization": b"Bearer " + token.encode("utf-8")}
    files = {"file": ("n.txt", b"Some words about nothing.")}
    response = client.post("/api/ingest", files=files, headers=headers)  # type: ignore[arg-type]
    assert response.status_code == 401, response.text[:300]


def test_a_non_ascii_upload_token_can_be_configured_and_used(
    sample: Sample, workspace_dir: Path
) -> None:
    client = TestClient(create_app(WebConfig(data_dir=workspace_dir, upload_token="clé-ü")),
                        base_url="http://127.0.0.1", raise_server_exceptions=False)
    empty = {"file": ("e.txt", b"")}
    good = {"Authorization": "Bearer clé-ü".encode()}
    answer = client.post("/api/ingest", files=empty, headers=good)  # type: ignore[arg-type]
    assert answer.status_code == 422 and "empty" in answer.json()["detail"]  # past the token
