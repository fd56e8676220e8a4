"""What the server checks before any route runs: the Host header, and HEAD as GET.

`HostGuard` answers 400 unless the request's Host names this server (a loopback name or the
address it was started on): a page on another site that rebinds its DNS name to 127.0.0.1
sends its own name as Host and is refused, so it cannot read the API. `HeadAsGet` answers a
HEAD request as the GET of the same URL without the body, wherever GET is answered.
"""

from __future__ import annotations

import json
from collections.abc import Iterable

from starlette.types import ASGIApp, Message, Receive, Scope, Send

# The loopback names every server answers to (IPv6 as written inside a URL's brackets).
LOOPBACK_HOSTS = ("127.0.0.1", "localhost", "::1")
# Addresses that mean "every interface": no client sends them as a Host.
WILDCARD_HOSTS = ("0.0.0.0", "::", "")


def host_name(header: str) -> str | None:
    """The name part of a Host header ("[::1]:8000" -> "::1"), lower-case; None if malformed."""
    value = header.strip().lower()
    if value.startswith("["):
        name, bracket, rest = value[1:].partition("]")
        if not bracket or (rest and not rest.startswith(":")):
            return None
        port = rest[1:]
    else:
        name, _, port = value.partition(":") if value.count(":") == 1 else (value, "", "")
    if not name or (port and not (port.isascii() and port.isdigit())):
        return None
    return name


def served_names(extra: Iterable[str]) -> frozenset[str]:
    """The loopback names and `extra` (a `--host` address, allowed names), normalised."""
    names = {h.strip().lower().strip("[]") for h in (*LOOPBACK_HOSTS, *extra)}
    return frozenset(names - set(WILDCARD_HOSTS))


class HostGuard:
    """400 for a request whose Host header is missing or names another server."""

    def __init__(self, app: ASGIApp, allowed: frozenset[str]) -> None:
        self.app = app
        self.allowed = allowed

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        raw = dict(scope["headers"]).get(b"host")
        name = host_name(raw.decode("latin-1")) if raw is not None else None
        if name in self.allowed:
            await self.app(scope, receive, send)
            return
        what = "a Host header is required" if raw is None else (
            "this server does not answer to that Host name")  # not echoed: it is the caller's
        await _plain_400(send, f"{what}; use http://127.0.0.1:PORT/ or another name it serves "
                         "(dyadwatch serve --allow-host NAME)")


async def _plain_400(send: Send, message: str) -> None:
    body = json.dumps({"detail": message}).encode("utf-8")
    await send({"type": "http.response.start", "status": 400, "headers": [
        (b"content-type", b"application/json"), (b"content-length", str(len(body)).encode()),
        (b"x-content-type-options", b"nosniff"), (b"cache-control", b"no-store"),
    ]})
    await send({"type": "http.response.body", "body": body})


class HeadAsGet:
    """Run a HEAD request as a GET and send its status and headers without the body."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["method"] != "HEAD":
            await self.app(scope, receive, send)
            return

        async def headers_only(message: Message) -> None:
            if message["type"] == "http.response.body":
                if message.get("more_body", False):
                    return
                message = {"type": "http.response.body", "body": b"", "more_body": False}
            await send(message)

        await self.app({**scope, "method": "GET"}, receive, headers_only)


__all__ = ["LOOPBACK_HOSTS", "HeadAsGet", "HostGuard", "host_name", "served_names"]
