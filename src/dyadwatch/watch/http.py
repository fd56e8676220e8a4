"""HTTP for the watcher: conditional GET, a per-host pace, timeouts, retries with back-off.

`Fetcher.get(url, etag, last_modified)` sends If-None-Match / If-Modified-Since when it has
validators and returns a `Response` (status 304 with an empty body when nothing changed).
`Fetcher.post_json(url, payload)` is the webhook's POST. Both wait until the host's last
request is `host_interval_s` old, and retry connection failures, timeouts, 5xx and 429 with
exponential back-off (Retry-After honoured up to a cap). What still fails raises FetchError
with a one-line reason naming the URL.
"""

from __future__ import annotations

import json
import logging
import random
import time
import urllib.error
import urllib.request
from collections.abc import Callable
from dataclasses import dataclass, field
from email.message import Message
from typing import Any
from urllib.parse import urlsplit

from dyadwatch.errors import FetchError
from dyadwatch.watch.config import WatchConfig

log = logging.getLogger(__name__)

RETRY_STATUS = frozenset({429, 500, 502, 503, 504})


@dataclass(frozen=True, slots=True)
class Response:
    url: str
    status: int
    body: bytes
    etag: str | None
    last_modified: str | None
    content_type: str


def check_url(url: str) -> str:
    """`url` if it is an absolute http(s) URL with a host, else a FetchError."""
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise FetchError(f"{url}: not an http(s) URL")
    return url


def _retry_after(headers: Message | None, cap: float) -> float | None:
    value = headers.get("Retry-After") if headers is not None else None
    if value is None or not value.strip().isdigit():
        return None
    return min(float(value.strip()), cap)


@dataclass
class Fetcher:
    """One watcher's HTTP client. `sleep` and `clock` are the real ones outside tests."""

    config: WatchConfig
    sleep: Callable[[float], None] = time.sleep
    clock: Callable[[], float] = time.monotonic
    _last: dict[str, float] = field(default_factory=dict)

    def _pace(self, url: str) -> None:
        host = (urlsplit(url).hostname or "").lower()
        last = self._last.get(host)
        if last is not None:
            wait = last + self.config.host_interval_s - self.clock()
            if wait > 0:
                self.sleep(wait)
        self._last[host] = self.clock()

    def get(self, url: str, etag: str | None = None,
            last_modified: str | None = None) -> Response:
        headers = {"User-Agent": self.config.user_agent, "Accept": "*/*"}
        if etag:
            headers["If-None-Match"] = etag
        if last_modified:
            headers["If-Modified-Since"] = last_modified
        return self._send(urllib.request.Request(check_url(url), headers=headers))

    def post_json(self, url: str, payload: dict[str, Any]) -> Response:
        body = json.dumps(payload, ensure_ascii=False).encode("utf-8")
        headers = {"User-Agent": self.config.user_agent,
                   "Content-Type": "application/json; charset=utf-8"}
        return self._send(urllib.request.Request(check_url(url), data=body, headers=headers,
                                                 method="POST"))

    def _send(self, request: urllib.request.Request) -> Response:
        url = request.full_url
        delay = self.config.backoff_s
        for attempt in range(self.config.retries + 1):
            self._pace(url)
            try:
                return self._once(request)
            except urllib.error.HTTPError as exc:
                if exc.code == 304:
                    return _response(url, 304, b"", exc.headers)
                if exc.code not in RETRY_STATUS or attempt == self.config.retries:
                    raise FetchError(f"{url}: HTTP {exc.code} {exc.reason}") from exc
                wait = _retry_after(exc.headers, self.config.max_retry_after_s)
                reason = f"HTTP {exc.code}"
            except (urllib.error.URLError, TimeoutError, ConnectionError, OSError) as exc:
                why = getattr(exc, "reason", None) or exc
                if attempt == self.config.retries:
                    raise FetchError(f"{url}: {why} (after {attempt + 1} tries)") from exc
                wait, reason = None, str(why)
            pause = wait if wait is not None else delay * (1 + random.random() / 2)
            log.info("%s: %s; retry %d in %.1fs", url, reason, attempt + 1, pause)
            self.sleep(pause)
            delay *= 2
        raise FetchError(f"{url}: no attempt made")  # retries >= 0: not reached

    def _once(self, request: urllib.request.Request) -> Response:
        limit = self.config.max_response_bytes
        with urllib.request.urlopen(request, timeout=self.config.timeout_s) as reply:
            body = reply.read(limit + 1)
            if len(body) > limit:
                raise FetchError(f"{request.full_url}: response over the limit of "
                                 f"{limit / 1048576:.0f} MB")
            return _response(reply.geturl(), reply.status, body, reply.headers)


def _response(url: str, status: int, body: bytes, headers: Message | None) -> Response:
    def header(name: str) -> str | None:
        value = headers.get(name) if headers is not None else None
        return value.strip() if value else None

    return Response(url, status, body, header("ETag"), header("Last-Modified"),
                    header("Content-Type") or "")
