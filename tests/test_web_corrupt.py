"""A damaged workspace database: every page and endpoint answers 503 with a reason, never 500,
and no answer shows the server's absolute paths (the workspace is named by its folder).

The database is a real workspace file (`fill_workspace`) damaged the ways a crash, a full disk
or a bad copy leave it: cut short, blocks overwritten, replaced by garbage.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from dyadwatch.store.workspace import DB_NAME
from dyadwatch.web import WebConfig, create_app
from test_web_api import fill_workspace

URLS = ("/api/stats", "/api/events", "/api/documents?q=embargo", "/api/clusters",
        "/api/hedging?actor=KHM", "/", "/documents", "/actor/KHM", "/search?q=embargo")


def _cut_to_a_third(db: Path) -> None:
    data = db.read_bytes()
    db.write_bytes(data[: len(data) // 3])


def _cut_to_one_block(db: Path) -> None:
    db.write_bytes(db.read_bytes()[:4096])


def _overwrite_blocks(db: Path) -> None:
    data = bytearray(db.read_bytes())
    for offset in range(3 * 4096 + 100, len(data), 4 * 4096):
        data[offset : offset + 64] = bytes(range(64))
    db.write_bytes(bytes(data))


def _garbage(db: Path) -> None:
    db.write_bytes(b"not a database at all\n" * 500)


@pytest.mark.parametrize("damage", [_cut_to_a_third, _cut_to_one_block, _overwrite_blocks,
                                    _garbage])
def test_a_damaged_database_answers_503_without_the_absolute_path(
    tmp_path: Path, damage: Callable[[Path], None]
) -> None:
    folder = tmp_path / "secret-parent" / "ws"
    fill_workspace(folder)
    damage(folder / DB_NAME)
    client = TestClient(create_app(WebConfig(data_dir=folder)), base_url="http://127.0.0.1",
                        raise_server_exceptions=False)
    for url in URLS:
        response = client.get(url)
        assert response.status_code == 503, (url, response.status_code, response.text[:400])
        assert str(tmp_path) not in response.text and "secret-parent" not in response.text
        if url.startswith("/api/"):
            assert "ws" in response.json()["detail"], response.text[:400]


def test_a_missing_workspace_is_named_by_its_folder_only(tmp_path: Path) -> None:
    client = TestClient(create_app(WebConfig(data_dir=tmp_path / "hidden" / "gone")),
                        base_url="http://127.0.0.1")
    response = client.get("/api/events")
    assert response.status_code == 503
    assert response.json()["detail"].startswith("no workspace at gone ")
    assert "hidden" not in client.get("/").text


def test_public_messages_keep_the_reason_and_drop_the_layout(tmp_path: Path) -> None:
    from dyadwatch.web.app import public_message

    data_dir = tmp_path / "ws"
    message = (f'cannot open {data_dir}/dyadwatch.duckdb: IO Error: Could not read "{data_dir}'
               '/dyadwatch.duckdb.wal" near /var/lib/other/file.db')
    public = public_message(message, data_dir)
    assert public == ('cannot open ws/dyadwatch.duckdb: IO Error: Could not read '
                      '"ws/dyadwatch.duckdb.wal" near file.db')
