"""CPU of a `dyadwatch watch` poll that finds nothing new.

Run by hand: `.venv/bin/python bench/watch_poll.py [--entries 100] [--files 300] [--polls 20]`.
Serves an RSS feed of `--entries` entries on 127.0.0.1 (answering If-None-Match with 304) and
fills a folder with `--files` small text files, polls both once with a real `Watcher` (the
documents stored without coding, `ingest_items(code=False)`, so the set-up takes seconds), with
the example alert rules loaded, then times `--polls` polls that find nothing new:
`time.process_time` per poll (this process's CPU: HTTP, folder scan, DuckDB state reads and
writes, the rule check). Prints JSON; never asserts on timings.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import statistics
import sys
import tempfile
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from importlib import resources
from pathlib import Path
from typing import Any

from dyadwatch.settings import Settings
from dyadwatch.watch import WatchConfig, Watcher, ingest_items, load_rules, parse_source

WORDS = ("harbour", "ministry", "envoy", "border", "trade", "talks", "visit", "aid", "road",
         "school", "river", "port", "budget", "treaty", "summit", "exercise")


def text_of(n: int) -> str:
    """A short made-up news text, different for each n (no real article)."""
    picked = [WORDS[(n * 7 + k * 3) % len(WORDS)] for k in range(40)]
    return f"Report {n}. " + " ".join(picked) + f". The figure for item {n} was {n * 13}."


def feed_body(entries: int) -> bytes:
    items = "".join(f"<item><title>Item {n}</title><guid>item-{n}</guid>"
                    f"<description>{text_of(n)}</description></item>" for n in range(entries))
    return (f"<?xml version='1.0'?><rss version='2.0'><channel><title>bench</title>{items}"
            "</channel></rss>").encode()


def serve(body: bytes) -> tuple[ThreadingHTTPServer, str, list[int]]:
    etag = '"' + hashlib.sha256(body).hexdigest()[:16] + '"'
    statuses: list[int] = []

    class Handler(BaseHTTPRequestHandler):
        def log_message(self, *args: Any) -> None:
            pass

        def do_GET(self) -> None:
            status = 304 if self.headers.get("If-None-Match") == etag else 200
            statuses.append(status)
            self.send_response(status)
            self.send_header("ETag", etag)
            self.send_header("Content-Length", "0" if status == 304 else str(len(body)))
            self.end_headers()
            if status == 200:
                self.wfile.write(body)

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server, f"http://127.0.0.1:{server.server_address[1]}/feed.xml", statuses


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--entries", type=int, default=100)
    parser.add_argument("--files", type=int, default=300)
    parser.add_argument("--polls", type=int, default=20)
    args = parser.parse_args(argv)
    server, url, statuses = serve(feed_body(args.entries))
    rules_path = Path(str(resources.files("dyadwatch").joinpath("examples", "alert-rules.yaml")))
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp) / "inbox"
        folder.mkdir()
        old = time.time() - 60
        for n in range(args.files):
            path = folder / f"note-{n:04d}.txt"
            path.write_text(text_of(10_000 + n))
            os.utime(path, (old, old))
        watcher = Watcher(Settings(data_dir=Path(tmp) / "ws"),
                          [parse_source(url), parse_source(str(folder))],
                          WatchConfig(host_interval_s=0.0), load_rules(rules_path),
                          ingest=lambda paths, s: ingest_items(paths, s, code=False))
        started = time.perf_counter()
        first = watcher.poll()
        setup_s = time.perf_counter() - started
        cpu = [watcher.poll().cpu_s for _ in range(args.polls)]
        watcher.session.close()
    server.shutdown()
    result = {
        "entries": args.entries, "files": args.files, "first_poll_items": first.found,
        "first_poll_wall_s": round(setup_s, 2), "idle_polls": args.polls,
        "idle_poll_cpu_s": {"median": round(statistics.median(cpu), 4),
                            "max": round(max(cpu), 4), "min": round(min(cpu), 4)},
        "feed_statuses_after_first": sorted(set(statuses[1:])),
    }
    sys.stdout.write(json.dumps(result, indent=2) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
