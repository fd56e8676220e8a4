"""What the watcher polls, and how each kind of source yields its new items.

A source is a folder (its files, new or changed since the last poll), an http(s) URL (an
RSS/Atom feed, whose new entries are items, or an article page, an item itself) or a local
file of URLs (one a line, `#` for comments; re-read every poll, each URL polled as above).

Feed entries and pages are spooled, one JSONL record per item, to WORKSPACE/watch/items/
(the ingest reads them from there: their `doc_source` is `SPOOL#KEY` and their `url` the
link); a folder's files are ingested where they are. An entry that has no text but a link
is fetched as a page. A feed's validators (ETag, Last-Modified) are kept only when every new
entry was spooled: a page that failed leaves the feed to be read again in full next poll.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from enum import StrEnum
from pathlib import Path

from dyadwatch.errors import InputFileError, WatchSourceError
from dyadwatch.ingest.formats import FEED_MARKERS, FeedEntry, html_document, parse_feed
from dyadwatch.ingest.text import decode_bytes
from dyadwatch.ingest.walk import expand
from dyadwatch.records import InputError
from dyadwatch.store.watch import SourceState, WatchItem
from dyadwatch.watch.http import Fetcher, FetchError, Response

log = logging.getLogger(__name__)

SPOOL_DIR = Path("watch") / "items"


class SourceKind(StrEnum):
    folder = "folder"
    url = "url"
    url_file = "url-file"


@dataclass(frozen=True, slots=True)
class WatchSource:
    kind: SourceKind
    value: str  # a folder's or URL file's absolute path, or the URL


@dataclass(frozen=True, slots=True)
class Found:
    """What one poll of one URL or folder found: its new state and its new items."""

    state: SourceState
    items: tuple[WatchItem, ...] = ()
    note: str = ""


KnownKeys = Callable[[Sequence[str]], set[str]]


def parse_source(given: str) -> WatchSource:
    """The source named on the command line; a one-line WatchSourceError otherwise."""
    if given.startswith(("http://", "https://")):
        return WatchSource(SourceKind.url, given)
    path = Path(given).expanduser()
    if path.is_dir():
        return WatchSource(SourceKind.folder, str(path.resolve()))
    if path.is_file():
        return WatchSource(SourceKind.url_file, str(path.resolve()))
    raise WatchSourceError(f"{given}: not a folder, an http(s) URL or a file of URLs")


def read_url_file(path: str) -> list[str]:
    """The URLs of a file of URLs (blank lines and `#` comments skipped; others warned)."""
    try:
        lines = Path(path).read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError) as exc:
        log.warning("%s: cannot read the file of URLs (%s)", path, exc)
        return []
    urls = []
    for number, line in enumerate(lines, 1):
        text = line.strip()
        if not text or text.startswith("#"):
            continue
        if not text.startswith(("http://", "https://")):
            log.warning("%s:%d: not an http(s) URL, skipped: %.80s", path, number, text)
            continue
        urls.append(text)
    return urls


def spool_path(workspace_dir: Path, key: str) -> Path:
    return workspace_dir / SPOOL_DIR / f"{hashlib.sha256(key.encode()).hexdigest()[:24]}.jsonl"


def spool(workspace_dir: Path, key: str, source: str, record: dict[str, str | None]) -> WatchItem:
    """Write one item's record to its spool file (atomically, synced) and return the item."""
    path = spool_path(workspace_dir, key)
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(".tmp")
    with open(tmp, "w", encoding="utf-8") as handle:
        handle.write(json.dumps({"id": key, **record}, ensure_ascii=False) + "\n")
        handle.flush()
        os.fsync(handle.fileno())
    os.replace(tmp, path)
    return WatchItem(item_key=key, source=source, path=str(path))


def _entry_key(feed_url: str, entry: FeedEntry, number: int) -> str:
    ident = entry.entry_id or entry.url
    if not ident:
        digest = hashlib.sha256(f"{entry.title}\n{entry.text}".encode()).hexdigest()[:16]
        ident = f"text-{digest}" if entry.text.strip() else f"entry-{number}"
    return f"{feed_url}#{ident}"


def _is_feed(response: Response) -> bool:
    kind = response.content_type.lower()
    if any(word in kind for word in ("rss", "atom", "xml")):
        return True
    return any(marker in response.body[:2048].lower() for marker in FEED_MARKERS)


def _page_record(url: str, body: bytes) -> dict[str, str | None]:
    """The main text and metadata of an HTML page (raises InputFileError)."""
    raw = html_document(url, decode_bytes(body, url))
    return {"text": raw.text, "title": raw.title, "published": raw.published,
            "url": raw.url or url, "author": raw.author, "category": raw.category}


@dataclass(frozen=True, slots=True)
class UrlPoller:
    """Polls URLs through one Fetcher, spooling new items under `workspace_dir`."""

    fetcher: Fetcher
    workspace_dir: Path

    def poll(self, url: str, state: SourceState | None, known: KnownKeys) -> Found:
        state = state or SourceState(url)
        if state.kind == "page" and known([url]):
            return Found(state, note="page already ingested")
        try:
            response = self.fetcher.get(url, state.etag, state.last_modified)
        except FetchError as exc:
            log.warning("%s", exc)
            return Found(replace(state, status=f"error: {exc}"), note=str(exc))
        if response.status == 304:
            return Found(replace(state, status="304"), note="not modified")
        fresh = replace(state, etag=response.etag, last_modified=response.last_modified,
                        status=str(response.status))
        if _is_feed(response):
            return self._feed(url, response, replace(fresh, kind="feed"), state, known)
        return self._page(url, response, replace(fresh, kind="page"), known)

    def _page(self, url: str, response: Response, state: SourceState,
              known: KnownKeys) -> Found:
        if known([url]):
            return Found(state, note="page already ingested")
        try:
            item = spool(self.workspace_dir, url, url, _page_record(url, response.body))
        except InputFileError as exc:
            log.warning("%s", exc)
            return Found(replace(state, status=f"error: {exc.reason}"), note=exc.reason)
        return Found(state, (item,), note="new page")

    def _feed(self, url: str, response: Response, fresh: SourceState, old: SourceState,
              known: KnownKeys) -> Found:
        try:
            entries = parse_feed(response.body, url)
        except InputFileError as exc:
            log.warning("%s", exc)
            return Found(replace(old, status=f"error: {exc.reason}"), note=exc.reason)
        keyed = {_entry_key(url, e, n): e for n, e in enumerate(entries, 1)}
        seen = known(list(keyed))
        items, failed = [], 0
        for key, entry in keyed.items():
            if key in seen:
                continue
            item = self._entry(url, key, entry)
            if item is None:
                failed += 1
            else:
                items.append(item)
        # a failed entry keeps the old validators, so the next poll reads the feed again
        state = fresh if not failed else replace(old, kind="feed", status=fresh.status)
        note = f"{len(entries)} entries, {len(items)} new" + (f", {failed} failed"
                                                               if failed else "")
        return Found(state, tuple(items), note)

    def _entry(self, feed_url: str, key: str, entry: FeedEntry) -> WatchItem | None:
        if entry.text.strip():
            record = {"text": entry.text, "title": entry.title, "published": entry.published,
                      "url": entry.url, "author": entry.author}
            return spool(self.workspace_dir, key, feed_url, record)
        if not entry.url:
            log.warning("%s: entry with neither text nor link (kept as an error row)", key)
            return spool(self.workspace_dir, key, feed_url, {"text": "", "url": None})
        try:
            page = self.fetcher.get(entry.url)
            record = _page_record(entry.url, page.body)
        except (FetchError, InputFileError) as exc:
            log.warning("%s: %s", key, exc)
            return None
        record = {**record, "title": entry.title or record["title"],
                  "published": entry.published or record["published"]}
        return spool(self.workspace_dir, key, feed_url, record)


def folder_items(folder: str, recorded: dict[str, str | None], settle_s: float,
                 now: float | None = None) -> list[WatchItem]:
    """The files of `folder` that are new or changed (size or modification time) since they
    were recorded, and have not been modified in the last `settle_s` seconds."""
    now = time.time() if now is None else now
    items = []
    for path in expand(folder):
        if isinstance(path, InputError):
            continue  # the ingest of the folder itself records these; a watch skips them
        try:
            info = path.stat()
        except OSError:
            continue
        if info.st_mtime > now - settle_s:
            continue
        fingerprint = f"{info.st_size}:{info.st_mtime_ns}"
        key = str(path)
        if recorded.get(key) != fingerprint:
            items.append(WatchItem(item_key=key, source=folder, path=key,
                                   fingerprint=fingerprint))
    return items
