"""Commands `watch` and `alerts`: thin layers over dyadwatch.watch."""

from __future__ import annotations

import logging
import re
import signal
import sys
import threading
from datetime import datetime
from pathlib import Path
from typing import Annotated, Any

import duckdb
import typer

from dyadwatch.cli.app import (
    DataOption,
    QuietOption,
    RowFormat,
    app,
    emit_rows,
    plain_text,
    settings_for,
    workspace_for,
)
from dyadwatch.errors import ParameterError
from dyadwatch.store import watch as store

_EVERY = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*([smhd]?)\s*$")
_UNIT_S = {"": 1, "s": 1, "m": 60, "h": 3600, "d": 86400}
MIN_EVERY_S = 1.0


def parse_every(text: str) -> float:
    """`15m`, `30s`, `1h`, `1d` or plain seconds, as seconds (at least one)."""
    match = _EVERY.match(text)
    if match is None or float(match.group(1)) * _UNIT_S[match.group(2)] < MIN_EVERY_S:
        raise typer.BadParameter(f"--every {text!r}: expected a duration of at least 1s, "
                                 "e.g. 30s, 15m, 1h")
    return float(match.group(1)) * _UNIT_S[match.group(2)]


def show_alert(payload: dict[str, Any]) -> None:
    """An alert at the terminal: its summary, then each event's date and sentence."""
    lines = [f"ALERT [{plain_text(payload.get('rule'))}] {plain_text(payload.get('summary'))}"]
    for event in payload.get("events", []):
        where = event.get("url") or event.get("doc_source")
        lines.append(f"  {plain_text(event.get('date') or 'undated'):<10}  "
                     f"{plain_text(event.get('sentence'))}  <{plain_text(where)}>")
    sys.stdout.write("\n".join(lines) + "\n")
    sys.stdout.flush()


@app.command()
def watch(
    sources: Annotated[list[str], typer.Argument(
        help="Folders, feed or page URLs (http/https), or files with one URL a line.")],
    data: DataOption = None,
    every: Annotated[str, typer.Option(help="Time between polls: 30s, 15m, 1h.")] = "15m",
    once: Annotated[bool, typer.Option("--once", help="Poll once and exit (cron, tests).")]
    = False,
    rules: Annotated[Path | None, typer.Option(
        help="Alert rules (YAML; see docs/watch.md), checked after each poll.")] = None,
    jsonl: Annotated[Path | None, typer.Option(
        help="Append alerts to this JSONL file (default WORKSPACE/watch/alerts.jsonl).")]
    = None,
    webhook: Annotated[str | None, typer.Option(help="POST each alert as JSON to this URL.")]
    = None,
    config: Annotated[Path | None, typer.Option(
        help="Watch settings (timeouts, retries, per-host pace): a file like "
             "data/watch/watch.yaml.")] = None,
    workers: Annotated[int, typer.Option(help="Coding processes (0: in this process).")] = 0,
    no_code: Annotated[bool, typer.Option("--no-code", help="Store documents only.")] = False,
    quiet: QuietOption = False,
) -> None:
    """Poll folders and feeds, ingest what is new, and raise alerts by rule.

    Each poll ingests only new items (feed entries, pages, new or changed files); a killed
    watcher restarts where it stopped. Conditional GET (ETag, Last-Modified), a pace per host,
    timeouts and retries with back-off. Stop with Ctrl-C.

    Example: dyadwatch watch https://example.org/feed.xml articles/ --every 15m --rules alerts.yaml
    """
    from dyadwatch.watch import (
        IngestItems,
        Notifier,
        Watcher,
        load_rules,
        load_watch_config,
        parse_source,
    )
    from dyadwatch.watch.http import check_url

    every_s = parse_every(every)
    if rules is None and (webhook or jsonl):
        raise ParameterError("--webhook and --jsonl send alerts: give the rules with --rules FILE")
    if not quiet:
        logging.getLogger("dyadwatch.watch").setLevel(logging.INFO)
    settings = settings_for(data)
    try:
        parsed = [parse_source(s) for s in sources]
        if webhook is not None:
            check_url(webhook)
        alert_rules = load_rules(rules) if rules is not None else None
        notifier = Notifier()
        if alert_rules is not None:
            default_jsonl = Path(settings.data_dir) / "watch" / "alerts.jsonl"
            notifier = Notifier(show_alert, (jsonl or default_jsonl).resolve(), webhook)
        watcher = Watcher(settings, parsed, load_watch_config(config), alert_rules,
                          notifier, IngestItems(workers, not no_code))
        stop = threading.Event()
        signal.signal(signal.SIGTERM, lambda *_: stop.set())
        watcher.run(every_s, once=once, stop=stop)
    except KeyboardInterrupt:
        return


@app.command()
def alerts(
    data: DataOption = None,
    fmt: Annotated[RowFormat, typer.Option("--format", help="table, jsonl or csv.")]
    = RowFormat.table,
    rule: Annotated[str | None, typer.Option(help="Only this rule's alerts.")] = None,
    since: Annotated[str | None, typer.Option(
        help="Only alerts raised since this time (ISO, e.g. 2026-12-07 or 2026-12-07T09:00).")]
    = None,
) -> None:
    """List the alerts raised by `dyadwatch watch`, oldest first, with where each went.

    Example: dyadwatch alerts --format jsonl
    """
    if since is not None:
        try:
            datetime.fromisoformat(since)
        except ValueError:
            raise ParameterError(
                f"--since {since!r}: not an ISO date or time, e.g. 2026-12-07") from None
    try:
        with workspace_for(data).connect(read_only=True) as con:
            rows = store.query_alerts(con, rule=rule, since=since)
    except duckdb.CatalogException:  # a workspace of a version before watching
        rows = []
    for row in rows:
        row["events"] = len(row["payload"].get("events", []))
        if fmt is not RowFormat.jsonl:
            row.pop("payload")
    emit_rows(rows, fmt, ("created_at", "rule", "kind", "events", "summary", "delivered"))
