"""Watching sources and alerting: `dyadwatch watch` and `dyadwatch alerts` (docs/watch.md).

- `parse_source(text)` -> WatchSource (a folder, a URL, a file of URLs);
- `Watcher(settings, sources, config, rules, notifier).run(every_s)` polls, ingests what is
  new through `IngestItems` (the ingest run of `dyadwatch ingest`, with one coder kept
  for the whole watch), checks the rules, notifies;
- `load_rules(path)` -> AlertRules; `load_watch_config(path)` -> WatchConfig.

State lives in the workspace (tables of store/watch.py, spool files under WORKSPACE/watch/).
"""

from dyadwatch.watch.config import WatchConfig, load_watch_config
from dyadwatch.watch.http import Fetcher, FetchError
from dyadwatch.watch.notify import Notifier
from dyadwatch.watch.poll import IngestItems, PollReport, Watcher, ingest_items
from dyadwatch.watch.rules import AlertRules, RuleFileError, load_rules
from dyadwatch.watch.sources import WatchSource, WatchSourceError, parse_source

__all__ = [
    "AlertRules",
    "FetchError",
    "Fetcher",
    "IngestItems",
    "Notifier",
    "PollReport",
    "RuleFileError",
    "WatchConfig",
    "WatchSource",
    "WatchSourceError",
    "Watcher",
    "ingest_items",
    "load_rules",
    "load_watch_config",
    "parse_source",
]
