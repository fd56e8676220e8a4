"""The watcher's settings (data/watch/watch.yaml, or a user file of the same format)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from dyadwatch.datafiles import read_data_file
from dyadwatch.errors import DictionaryError


@dataclass(frozen=True, slots=True)
class WatchConfig:
    """How the watcher polls (see the notes of data/watch/watch.yaml)."""

    timeout_s: float = 20.0
    retries: int = 3
    backoff_s: float = 2.0
    max_retry_after_s: float = 120.0
    host_interval_s: float = 2.0
    max_response_bytes: int = 20 * 1024 * 1024
    settle_s: float = 2.0
    webhook_attempts: int = 5
    user_agent: str = "dyadwatch-watch"


def _number(label: str, data: dict[str, Any], key: str, minimum: float) -> float:
    value = data.get(key)
    if not isinstance(value, int | float) or isinstance(value, bool) or value < minimum:
        raise DictionaryError(f"{label}: `{key}` must be a number >= {minimum:g}, got {value!r}")
    return float(value)


def load_watch_config(path: Path | None = None) -> WatchConfig:
    """The packaged settings, or those of `path`; a bad value raises DictionaryError naming the
    file and the key."""
    label, data = read_data_file("watch/watch.yaml", path)
    agent = data.get("user_agent")
    if not isinstance(agent, str) or not agent.strip():
        raise DictionaryError(f"{label}: `user_agent` must be a non-empty string")
    return WatchConfig(
        timeout_s=_number(label, data, "timeout_s", 0.1),
        retries=int(_number(label, data, "retries", 0)),
        backoff_s=_number(label, data, "backoff_s", 0),
        max_retry_after_s=_number(label, data, "max_retry_after_s", 0),
        host_interval_s=_number(label, data, "host_interval_s", 0),
        max_response_bytes=int(_number(label, data, "max_response_mb", 0.001) * 1024 * 1024),
        settle_s=_number(label, data, "settle_s", 0),
        webhook_attempts=int(_number(label, data, "webhook_attempts", 1)),
        user_agent=agent.strip(),
    )
