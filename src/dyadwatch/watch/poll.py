"""The watcher: poll the sources, ingest what is new, check the alert rules, notify.

One poll (`Watcher.poll`):

1. each source is asked for its new items (sources.py): a folder's new or changed files, a
   feed's new entries, a page not yet seen; URLs through conditional GET. Per source, the new
   items (spooled to files first) and the source's validators are recorded in one
   transaction, as `pending`;
2. every pending item (this poll's, and any a killed watcher left) is ingested by
   `IngestItems`, one ingest run (with the coder it loaded on its first run, kept for the
   next); then marked `ingested`. A run killed before the mark is redone next time, and the
   ingest, idempotent, finds the documents stored (unchanged);
3. the alert rules are checked (check.py) and the new alerts stored, in one transaction;
4. pending deliveries are sent (notify.py).

The workspace is opened only for these short moments, so readers (the dashboard) and other
commands go on while a watcher sleeps. What each poll did is logged at INFO.
"""

from __future__ import annotations

import fcntl
import logging
import os
import threading
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING

import duckdb

from dyadwatch.errors import DyadwatchError, WorkspaceBusyError
from dyadwatch.settings import Settings
from dyadwatch.store import watch as store
from dyadwatch.store.workspace import Session, Workspace
from dyadwatch.watch.check import baseline, check_rules
from dyadwatch.watch.config import WatchConfig
from dyadwatch.watch.http import Fetcher
from dyadwatch.watch.notify import Notifier, deliver
from dyadwatch.watch.rules import AlertRules
from dyadwatch.watch.sources import (
    Found,
    SourceKind,
    UrlPoller,
    WatchSource,
    folder_items,
    read_url_file,
)

if TYPE_CHECKING:
    from dyadwatch.coding.api import DocumentCoder

log = logging.getLogger(__name__)

Ingest = Callable[[Sequence[str], Settings], int]  # paths, settings -> new documents
LoadCoder = Callable[[Settings], "DocumentCoder"]


def ingest_items(paths: Sequence[str], settings: Settings, workers: int = 0,
                 code: bool = True, coder: DocumentCoder | None = None) -> int:
    """Ingest `paths` the way `dyadwatch ingest` does (its entry point; coding in this process
    by default: a poll brings a few documents, with `coder` when given, else one built for
    this run); the number of new documents."""
    from dyadwatch.ingest.prepare import IngestOptions
    from dyadwatch.ingest.rules import load_ingest_rules
    from dyadwatch.run import run_ingest

    options = IngestOptions(rules=load_ingest_rules())
    summary = run_ingest(paths, replace(settings, workers=workers), options, None, code=code,
                         coder=coder)
    log.info("ingested %d input(s): %d new, %d unchanged, %d duplicate, %d failed, %d events",
             summary.inputs, summary.new, summary.unchanged, summary.duplicates,
             summary.failed, summary.events)
    return summary.new


def _build_coder(settings: Settings) -> DocumentCoder:
    from dyadwatch.run.code_stage import build_coder  # heavy: the coder's modules

    return build_coder(settings)


@dataclass
class IngestItems:
    """The watcher's ingest (`ingest_items`) with one coder for the whole watch: built by
    `load` on the first poll that has something to ingest, then passed to every run (a coder
    takes seconds to load; an idle poll loads nothing). It forgets what it learned before
    each run (`coding.api.reset_coder`), so a poll codes its items as a coder of its own
    would. With `workers`, each run's processes load their own coder, as `dyadwatch ingest`
    does, and this one is never built."""

    workers: int = 0
    code: bool = True
    load: LoadCoder = _build_coder
    coder: DocumentCoder | None = None

    def __call__(self, paths: Sequence[str], settings: Settings) -> int:
        return ingest_items(paths, settings, self.workers, self.code, self._coder(settings))

    def _coder(self, settings: Settings) -> DocumentCoder | None:
        if not self.code or self.workers:
            return None
        from dyadwatch.coding.api import reset_coder

        if self.coder is None:
            self.coder = self.load(settings)
            log.info("coder loaded (%s), kept for the next polls", self.coder.version)
        else:
            reset_coder(self.coder)
        return self.coder


@dataclass(frozen=True, slots=True)
class PollReport:
    """What one poll did."""

    number: int
    notes: tuple[str, ...]
    found: int
    ingested: int
    new_documents: int
    alerts: int
    delivered: int
    cpu_s: float


@dataclass
class Watcher:
    """Polls `sources` into the workspace of `settings`; see the module's docstring."""

    settings: Settings
    sources: Sequence[WatchSource]
    config: WatchConfig
    rules: AlertRules | None = None
    notifier: Notifier = field(default_factory=Notifier)
    ingest: Ingest = field(default_factory=IngestItems)
    polls: int = 0

    def __post_init__(self) -> None:
        self.workspace = Workspace(self.settings.data_dir, self.settings.lock_timeout_s)
        self.workspace.migrate()
        self.fetcher = Fetcher(self.config)
        self.urls = UrlPoller(self.fetcher, self.workspace.path.resolve())
        self.session: Session = self.workspace.session()
        if self.rules is not None:
            with self.session.connect() as con:
                marked = store.in_transaction(con, baseline)
            if marked:
                log.info("alerts: %d document(s) already stored are not alerted on", marked)

    def poll(self) -> PollReport:
        started = time.process_time()
        self.polls += 1
        notes: list[str] = []
        found = 0
        for source in self.sources:
            for name, result in self._poll_source(source):
                found += self._record(result)
                notes.append(f"{name}: {result.note}")
        ingested, new_docs = self._ingest_pending()
        alerts = delivered = 0
        if self.rules is not None:
            rules, channels = self.rules, self.notifier.channels
            with self.session.connect() as con:
                alerts = len(store.in_transaction(con, lambda c: check_rules(c, rules, channels)))
            delivered = deliver(self.session, self.notifier, self.fetcher,
                                self.config.webhook_attempts)
        self.session.close()
        report = PollReport(self.polls, tuple(notes), found, ingested, new_docs, alerts,
                            delivered, round(time.process_time() - started, 3))
        log.info("poll %d: %d new item(s), %d ingested (%d new document(s)), %d alert(s), "
                 "%d delivered, %.2fs CPU", report.number, found, ingested, new_docs, alerts,
                 delivered, report.cpu_s)
        for note in notes:
            log.info("  %s", note)
        return report

    def _poll_source(self, source: WatchSource) -> list[tuple[str, Found]]:
        if source.kind is SourceKind.folder:
            return [(source.value, self._poll_folder(source.value))]
        urls = [source.value] if source.kind is SourceKind.url else read_url_file(source.value)
        return [(url, self._poll_url(url)) for url in urls]

    def _poll_folder(self, folder: str) -> Found:
        with self.session.connect(read_only=True) as con:
            recorded = store.fingerprints(con, folder)
        items = folder_items(folder, recorded, self.config.settle_s)
        state = store.SourceState(folder, kind="folder", status="ok")
        return Found(state, tuple(items), f"{len(items)} new or changed file(s)")

    def _poll_url(self, url: str) -> Found:
        with self.session.connect(read_only=True) as con:
            state = store.source_state(con, url)
        self.session.close()  # not held while the network is slow

        def known(keys: Sequence[str]) -> set[str]:
            with self.session.connect(read_only=True) as con:
                return store.known_keys(con, keys)

        return self.urls.poll(url, state, known)

    def _record(self, result: Found) -> int:
        def write(con: duckdb.DuckDBPyConnection) -> None:
            store.add_items(con, result.items)
            store.save_source(con, result.state)

        with self.session.connect() as con:
            store.in_transaction(con, write)
        return len(result.items)

    def _ingest_pending(self) -> tuple[int, int]:
        with self.session.connect(read_only=True) as con:
            pending = store.pending_items(con)
        if not pending:
            return 0, 0
        self.session.close()  # the ingest run opens the workspace itself
        paths = list(dict.fromkeys(item.path for item in pending))
        new_docs = self.ingest(paths, self.settings)
        with self.session.connect() as con:
            store.mark_ingested(con, [item.item_key for item in pending])
        return len(pending), new_docs

    def run(self, every_s: float, once: bool = False,
            stop: threading.Event | None = None) -> None:
        """Poll now, then every `every_s` seconds (from the start of one poll to the next)
        until `stop` is set; a single poll with `once` (whose failure is raised). Only one
        watcher runs on a workspace at a time (WORKSPACE/watch/watch.lock)."""
        stop = stop or threading.Event()
        with watcher_lock(self.workspace.path):
            while True:
                began = time.monotonic()
                try:
                    self.poll()
                except DyadwatchError as exc:  # the workspace busy, a disk full: next time
                    if once:
                        raise
                    log.error("poll %d failed: %s", self.polls, exc)
                finally:
                    self.session.close()
                if once or stop.wait(max(0.0, every_s - (time.monotonic() - began))):
                    break


@contextmanager
def watcher_lock(workspace_dir: Path) -> Iterator[None]:
    """Hold WORKSPACE/watch/watch.lock (an exclusive `flock`, gone with the process): a second
    watcher on the same workspace stops at once with WorkspaceBusyError."""
    folder = workspace_dir / "watch"
    folder.mkdir(parents=True, exist_ok=True)
    fd = os.open(folder / "watch.lock", os.O_RDWR | os.O_CREAT | os.O_CLOEXEC, 0o644)
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            holder = os.read(fd, 32).decode("ascii", "replace").strip() or "?"
            raise WorkspaceBusyError(f"another watcher is running on {workspace_dir} (process "
                                     f"{holder}); stop it first") from None
        os.ftruncate(fd, 0)
        os.write(fd, f"{os.getpid()}\n".encode("ascii"))
        yield
    finally:
        os.close(fd)
