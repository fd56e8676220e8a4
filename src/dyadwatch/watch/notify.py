"""Sending stored alerts: to the terminal, a JSONL file and a webhook (POST JSON).

Each alert has a delivery row per channel, written with the alert; `deliver` sends those not
yet delivered and records each attempt right after it. An alert therefore goes out once per
channel, across restarts; only a watcher killed between a send and its record (a few
milliseconds) sends it again on restart, with the same `alert_id`, by which a receiver can
drop the repeat. A webhook that fails is tried again next poll, `webhook_attempts` times.
"""

from __future__ import annotations

import json
import logging
import os
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from dyadwatch.store import watch as store
from dyadwatch.store.workspace import Connector
from dyadwatch.watch.http import Fetcher, FetchError

log = logging.getLogger(__name__)

TERMINAL = "terminal"
Show = Callable[[dict[str, Any]], None]


@dataclass(frozen=True, slots=True)
class Notifier:
    """The channels alerts go to: `show` (the CLI's terminal output), a JSONL file, a URL."""

    show: Show | None = None
    jsonl: Path | None = None
    webhook: str | None = None

    @property
    def channels(self) -> tuple[str, ...]:
        found = [TERMINAL] if self.show is not None else []
        if self.jsonl is not None:
            found.append(f"jsonl:{self.jsonl}")
        if self.webhook is not None:
            found.append(f"webhook:{self.webhook}")
        return tuple(found)

    def send(self, channel: str, payload: dict[str, Any], fetcher: Fetcher) -> None:
        """One delivery; raises OSError or FetchError when it failed."""
        if channel == TERMINAL and self.show is not None:
            self.show(payload)
        elif channel.startswith("jsonl:") and self.jsonl is not None:
            append_jsonl(self.jsonl, payload)
        elif channel.startswith("webhook:") and self.webhook is not None:
            fetcher.post_json(self.webhook, payload)


def append_jsonl(path: Path, payload: dict[str, Any]) -> None:
    """One line appended and synced (a crash never leaves half a line behind a whole one)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    line = json.dumps(payload, ensure_ascii=False) + "\n"
    with open(path, "a", encoding="utf-8") as handle:
        handle.write(line)
        handle.flush()
        os.fsync(handle.fileno())


def deliver(workspace: Connector, notifier: Notifier, fetcher: Fetcher,
            max_attempts: int) -> int:
    """Send every pending delivery of the notifier's channels; the number delivered."""
    with workspace.connect(read_only=True) as con:
        pending = store.pending_deliveries(con, max_attempts)
    wanted = set(notifier.channels)
    sent = 0
    for item in pending:
        if item.channel not in wanted:
            continue  # a channel of an earlier run that this one does not have
        error = None
        try:
            notifier.send(item.channel, item.payload, fetcher)
        except (OSError, FetchError) as exc:
            error = str(exc)
            log.warning("alert %s to %s: %s (attempt %d of %d)", item.alert_id, item.channel,
                        error, item.attempts + 1, max_attempts)
        with workspace.connect() as con:
            store.record_delivery(con, item.alert_id, item.channel, error)
        sent += error is None
    return sent
