"""What the routers of the API, the pages and the upload share: the server's configuration,
the per-request read-only connection (a FastAPI dependency) and the 404 they raise.

`app.py` builds the application from the routers; the routers import from here, never from
`app.py`, so the modules import one way.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import duckdb
from fastapi import HTTPException, Request

from dyadwatch.store.workspace import Workspace


@dataclass(frozen=True, slots=True)
class WebConfig:
    """What the server needs: the workspace folder, and the upload token (None: no upload)."""

    data_dir: Path
    upload_token: str | None = None
    # Host names served besides the loopback ones (`serve` adds the address it listens on).
    allowed_hosts: tuple[str, ...] = ()
    lock_timeout_s: float = 15.0
    max_upload_bytes: int = 20 * 1024 * 1024


def connection(request: Request) -> Iterator[duckdb.DuckDBPyConnection]:
    """A FastAPI dependency: a read-only connection for the length of one request."""
    config: WebConfig = request.app.state.config
    workspace = Workspace(config.data_dir, lock_timeout_s=config.lock_timeout_s)
    with workspace.connect(read_only=True) as con:
        yield con


def not_found(what: str) -> HTTPException:
    return HTTPException(status_code=404, detail=f"no {what}")


__all__ = ["WebConfig", "connection", "not_found"]
