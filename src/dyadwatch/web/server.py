"""Running the web app: in the foreground (`dyadwatch serve`) or in a background thread.

`serve` blocks until the process is stopped; `background_server` starts uvicorn in a thread on
a loopback port and yields the base URL (for notebooks and tests), stopping it on exit.
"""

from __future__ import annotations

import logging
import socket
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import replace

import uvicorn

from dyadwatch.errors import DyadwatchError
from dyadwatch.web.app import WebConfig, create_app

log = logging.getLogger(__name__)


def serving(config: WebConfig, host: str) -> WebConfig:
    """`config` with the address it is served on among the Host names it answers to."""
    return replace(config, allowed_hosts=(*config.allowed_hosts, host))


def serve(config: WebConfig, host: str = "127.0.0.1", port: int = 8000) -> None:
    """Serve the dashboard and API until interrupted."""
    uvicorn.run(create_app(serving(config, host)), host=host, port=port, log_level="warning",
                access_log=False)


def free_port(host: str = "127.0.0.1") -> int:
    """A TCP port nobody listens on right now."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind((host, 0))
        return int(sock.getsockname()[1])


@contextmanager
def background_server(
    config: WebConfig, host: str = "127.0.0.1", port: int | None = None,
    start_timeout_s: float = 20.0,
) -> Iterator[str]:
    """Serve in a daemon thread; yields "http://host:port" once it accepts connections."""
    port = port or free_port(host)
    server = uvicorn.Server(
        uvicorn.Config(create_app(serving(config, host)), host=host, port=port, log_level="warning",
                       access_log=False)
    )
    thread = threading.Thread(target=server.run, name="dyadwatch-web", daemon=True)
    thread.start()
    deadline = time.monotonic() + start_timeout_s
    while not server.started:
        if not thread.is_alive() or time.monotonic() > deadline:
            server.should_exit = True
            raise DyadwatchError(f"the web server did not start on {host}:{port}")
        time.sleep(0.05)
    try:
        yield f"http://{host}:{port}"
    finally:
        server.should_exit = True
        thread.join(timeout=10)
