"""A real HTTP server on 127.0.0.1 for the watch tests: an RSS feed that the test changes
between polls, article pages, and a webhook receiver. It answers conditional GETs (ETag,
Last-Modified -> 304) and records every request's path and validators."""

from __future__ import annotations

import hashlib
import json
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from email.utils import formatdate
from html import escape
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any


@dataclass
class Entry:
    slug: str
    title: str
    text: str | None  # None: the entry has only a link to its article page
    published: str = "Mon, 02 Mar 2026 09:00:00 GMT"


@dataclass
class Seen:
    path: str
    method: str
    if_none_match: str | None
    if_modified_since: str | None
    status: int


@dataclass
class FeedSite:
    """What the server serves; change `entries` (under `lock`) between polls."""

    entries: list[Entry] = field(default_factory=list)
    pages: dict[str, str] = field(default_factory=dict)  # slug -> article text
    requests: list[Seen] = field(default_factory=list)
    hooks: list[dict[str, Any]] = field(default_factory=list)
    fail_next: list[int] = field(default_factory=list)  # statuses to answer before the feed
    hook_fail: list[int] = field(default_factory=list)  # statuses to answer before the hook
    version: int = 0
    lock: threading.Lock = field(default_factory=threading.Lock)
    base: str = ""

    def publish(self, *entries: Entry) -> None:
        with self.lock:
            self.entries.extend(entries)
            self.version += 1

    def feed_xml(self) -> bytes:
        items = []
        for e in self.entries:
            body = f"<description>{escape(e.text)}</description>" if e.text else ""
            items.append(
                f"<item><title>{escape(e.title)}</title>"
                f"<link>{self.base}/articles/{e.slug}.html</link>"
                f"<guid isPermaLink=\"false\">{e.slug}</guid>"
                f"<pubDate>{e.published}</pubDate>{body}</item>")
        return ("<?xml version=\"1.0\" encoding=\"utf-8\"?><rss version=\"2.0\"><channel>"
                f"<title>Test wire</title><link>{self.base}/</link>"
                f"<description>written for the tests</description>{''.join(items)}"
                "</channel></rss>").encode()

    def page_html(self, slug: str) -> bytes | None:
        text = self.pages.get(slug)
        if text is None:
            return None
        paragraphs = "".join(f"<p>{escape(p)}</p>" for p in text.split("\n") if p.strip())
        return (f"<!doctype html><html><head><title>{escape(slug)}</title></head><body>"
                f"<article><h1>{escape(slug)}</h1>{paragraphs}</article></body></html>"
                ).encode()

    def feed_requests(self) -> list[Seen]:
        with self.lock:
            return [r for r in self.requests if r.path == "/feed.xml"]


def _handler(site: FeedSite) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def log_message(self, *args: Any) -> None:  # quiet
            pass

        def _send(self, status: int, body: bytes = b"", headers: dict[str, str] | None = None,
                  ) -> None:
            with site.lock:
                site.requests.append(Seen(self.path, self.command,
                                          self.headers.get("If-None-Match"),
                                          self.headers.get("If-Modified-Since"), status))
            self.send_response(status)
            for name, value in (headers or {}).items():
                self.send_header(name, value)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def do_GET(self) -> None:
            if self.path == "/feed.xml":
                self._feed()
                return
            slug = self.path.removeprefix("/articles/").removesuffix(".html")
            html = site.page_html(slug) if self.path == f"/articles/{slug}.html" else None
            if html is None:
                self._send(404)
            else:
                self._send(200, html, {"Content-Type": "text/html; charset=utf-8"})

        def _feed(self) -> None:
            with site.lock:
                failing = site.fail_next.pop(0) if site.fail_next else None
                body, version = site.feed_xml(), site.version
            if failing is not None:
                self._send(failing, b"try later", {"Retry-After": "0"})
                return
            etag = '"' + hashlib.sha256(body).hexdigest()[:16] + '"'
            modified = formatdate(1_700_000_000 + version * 3600, usegmt=True)
            if self.headers.get("If-None-Match") == etag:
                self._send(304, b"", {"ETag": etag})
                return
            self._send(200, body, {"Content-Type": "application/rss+xml", "ETag": etag,
                                   "Last-Modified": modified})

        def do_POST(self) -> None:
            length = int(self.headers.get("Content-Length") or 0)
            payload = json.loads(self.rfile.read(length))
            with site.lock:
                failing = site.hook_fail.pop(0) if site.hook_fail else None
                if failing is None:
                    site.hooks.append(payload)
            self._send(failing or 204)

    return Handler


@contextmanager
def serve(site: FeedSite) -> Iterator[FeedSite]:
    """Serve `site` on a free port of 127.0.0.1 in a thread, for the `with` block."""
    server = ThreadingHTTPServer(("127.0.0.1", 0), _handler(site))
    site.base = f"http://127.0.0.1:{server.server_address[1]}"
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield site
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)
