"""Commands `ingest`, `documents`, `errors` and `demo`: thin layers over dyadwatch.ingest."""

from __future__ import annotations

import json
import sys
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer
from rich.console import Console
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    ProgressColumn,
    Task,
    TaskID,
    TextColumn,
    TimeElapsedColumn,
    TimeRemainingColumn,
)
from rich.text import Text

from dyadwatch.cli.app import (
    INPUTS_FAILED,
    DataOption,
    FormatOption,
    LimitOption,
    QuietOption,
    RowFormat,
    app,
    console,
    emit_rows,
    plain_text,
    settings_for,
    show_progress,
)
from dyadwatch.cli.checks import checked_input_file
from dyadwatch.store import documents as store
from dyadwatch.store.workspace import Workspace

if TYPE_CHECKING:
    from dyadwatch.ingest.pipeline import IngestSummary

# The pipeline, the coder and the demo are imported by the commands that run them: worker
# processes re-import the `dyadwatch` script, and every command starts faster without them.

PROGRESS_AFTER_S = 2.0  # runs shorter than this show no bar


class SummaryFormat(StrEnum):
    text = "text"
    json = "json"


def parse_fields(pairs: list[str] | None) -> dict[str, str]:
    """`--field text=body` pairs as {our name: input name}."""
    fields: dict[str, str] = {}
    for pair in pairs or []:
        ours, sep, theirs = pair.partition("=")
        if not sep or not ours.strip() or not theirs.strip():
            raise typer.BadParameter(f"--field {pair!r}: expected OURS=THEIRS, e.g. text=body")
        fields[ours.strip()] = theirs.strip()
    return fields


RECORD_SUFFIXES = (".jsonl", ".ndjson", ".csv")  # one document per line (about, for CSV)


def count_inputs(paths: list[str]) -> int | None:
    """About how many documents the paths hold: one per file, one per non-empty line of a
    JSONL or CSV dump (minus a CSV's header); None with stdin (unknown ahead)."""
    from dyadwatch.ingest.walk import expand

    total = 0
    for given in paths:
        if given == "-":
            return None
        for found in expand(given):
            if not isinstance(found, Path) or found.suffix.lower() not in RECORD_SUFFIXES:
                total += 1
                continue
            try:
                with found.open("rb") as handle:
                    lines = sum(1 for line in handle if line.strip())
            except OSError:
                lines = 1
            total += max(1, lines - (found.suffix.lower() == ".csv"))
    return total


class RateColumn(ProgressColumn):
    """Documents per second."""

    def render(self, task: Task) -> Text:
        speed = task.finished_speed or task.speed
        return Text("" if speed is None else f"{speed:.1f} docs/s")


def missing_inputs(paths: list[str]) -> list[str]:
    """The paths given that do not exist (stdin, "-", always exists)."""
    return [p for p in paths if p != "-" and not Path(p).expanduser().exists()]


def ingest_bar(total: int | None, out: Console) -> tuple[Progress, TaskID]:
    """The ingest bar (inputs done of `total`, documents per second, elapsed, time left)."""
    bar = Progress(TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(),
                   RateColumn(), TimeElapsedColumn(), TextColumn("left"),
                   TimeRemainingColumn(), console=out, transient=True)
    return bar, bar.add_task("ingesting", total=total)


@contextmanager
def progress_bar(enabled: bool, total: int | None = None, out: Console | None = None
                 ) -> Iterator[Callable[[IngestSummary], None]]:
    """A callback for ingest progress: inputs done of `total`, rate and time left; the Rich
    bar appears once a run passes a few seconds (a timer starts it, so a slow first batch
    shows it too)."""
    bar, task = ingest_bar(total, out or console)
    timer = threading.Timer(PROGRESS_AFTER_S, bar.start) if enabled else None
    if timer is not None:
        timer.daemon = True
        timer.start()

    def update(summary: IngestSummary) -> None:
        done = summary.inputs
        if total is not None and done > total:  # a CSV record over several lines
            bar.update(task, total=done)
        bar.update(task, completed=done, description=f"ingesting ({summary.new} new, "
                                                     f"{summary.failed} failed)")

    try:
        yield update
    finally:
        if timer is not None:
            timer.cancel()
            timer.join()
            bar.stop()


def summary_lines(summary: IngestSummary) -> list[str]:
    lines = [
        f"new documents:    {summary.new}",
        f"duplicates:       {summary.duplicates}",
        f"near-duplicates:  {summary.near_duplicates}",
        f"unchanged:        {summary.unchanged}",
        f"failed:           {summary.failed}" + ("  (see `dyadwatch errors`)" if summary.failed
                                                 else ""),
        f"not English:      {summary.non_english}" + (
            "  (stored, not coded: only English text is coded; see `dyadwatch documents "
            "--language`)" if summary.non_english else ""),
    ]
    if summary.coded:
        lines += [f"coded documents:  {summary.coded}", f"events:           {summary.events}",
                  f"quotes:           {summary.quotes}", f"figures:          {summary.figures}"]
    return lines


@app.command()
def ingest(
    paths: Annotated[list[str], typer.Argument(help="Files, folders, or - for stdin.")],
    data: DataOption = None,
    fmt: Annotated[SummaryFormat, typer.Option("--format", help="Summary as text or JSON.")]
    = SummaryFormat.text,
    quiet: QuietOption = False,
    field: Annotated[list[str] | None, typer.Option(
        "--field", help="Rename a dump field: OURS=THEIRS, e.g. --field text=body.")] = None,
    batch_size: Annotated[int | None, typer.Option(help="Inputs per transaction.")] = None,
    max_mb: Annotated[float | None, typer.Option(
        help="Refuse single-document files larger than this (default 20 MB).")] = None,
    no_code: Annotated[bool, typer.Option("--no-code", help="Store documents only.")] = False,
    workers: Annotated[int | None, typer.Option(
        help="Coding processes (default: all cores; 0 codes in this process).")] = None,
    scheduler: Annotated[str | None, typer.Option(
        help="Code on the Dask cluster at tcp://HOST:PORT (its workers write Parquet).")]
    = None,
    actors: Annotated[Path | None, typer.Option(
        help="Your actor file (format: data/actors/README.md): adds or overrides entries.")]
    = None,
) -> None:
    """Read articles into the workspace (and code them when a coder is installed).

    Exit code: 0 when every input became a document, 1 when some inputs failed (the rest
    were stored; see `dyadwatch errors`), 2 when the run could not proceed (workspace
    damaged, disk full, another ingest running).

    Example: dyadwatch ingest articles/ feed.xml dump.jsonl --field text=body
    """
    missing = missing_inputs(paths)
    if missing and len(missing) == len(paths):
        for path in missing:
            console.print(f"error: {plain_text(path)}: no such file or folder (check the "
                          "path; nothing was ingested and no workspace was created)",
                          markup=False, highlight=False, soft_wrap=True)
        raise typer.Exit(2)
    from dyadwatch.ingest.pipeline import IngestOptions
    from dyadwatch.ingest.rules import load_ingest_rules
    from dyadwatch.scale.ingest import run_ingest

    checked_input_file("--actors", actors)
    settings = settings_for(data, batch_size=batch_size, actors_file=actors)
    options = IngestOptions(rules=load_ingest_rules(max_mb), fields=parse_fields(field))
    enabled = show_progress(quiet)
    with progress_bar(enabled, count_inputs(paths) if enabled else None) as progress:
        summary = run_ingest(paths, settings, options, progress, code=not no_code,
                             workers=workers, scheduler=scheduler)
    if fmt is SummaryFormat.json:
        sys.stdout.write(json.dumps(summary.to_dict()) + "\n")
    elif quiet:
        sys.stdout.write(" ".join(f"{k}={v}" for k, v in summary.to_dict().items()
                                  if k in ("new", "duplicates", "near_duplicates", "failed"))
                         + "\n")
    else:
        sys.stdout.write("\n".join(summary_lines(summary)) + "\n")
    if summary.failed:
        raise typer.Exit(INPUTS_FAILED)


DOCUMENT_KEYS = (
    "doc_id", "doc_source", "title", "published", "published_precision", "language", "author",
    "url", "category", "inferred_date", "inferred_precision", "inferred_from", "fmt", "outlet",
    "coded", "sources", "text",
)


@app.command()
def documents(
    data: DataOption = None,
    fmt: FormatOption = RowFormat.table,
    language: Annotated[str | None, typer.Option(
        metavar="CODE", help="Only documents in this language (two letters: en, fr, km).")]
    = None,
    limit: LimitOption = None,
) -> None:
    """List the stored documents with their outlet, title and date.

    Example: dyadwatch documents --language fr -f csv --limit 10
    """
    settings = settings_for(data)
    with Workspace(settings.data_dir, settings.lock_timeout_s).connect(read_only=True) as con:
        rows = store.query_documents(con, language=language)
    emit_rows(({k: r[k] for k in DOCUMENT_KEYS} for r in rows), fmt,
              ("doc_id", "outlet", "title", "published", "language", "doc_source"), limit)


@app.command()
def errors(
    data: DataOption = None,
    fmt: FormatOption = RowFormat.table,
    limit: LimitOption = None,
) -> None:
    """List the inputs that gave no document, and why.

    Example: dyadwatch errors --limit 20
    """
    settings = settings_for(data)
    with Workspace(settings.data_dir, settings.lock_timeout_s).connect(read_only=True) as con:
        rows = store.query_errors(con)
    emit_rows(rows, fmt, ("source", "reason", "time"), limit)


@app.command()
def demo(
    data: Annotated[Path | None, typer.Option(
        "--data", help="Demo workspace (default ./dyadwatch-demo). A previous demo workspace "
                       "there is replaced; any other folder that is not empty is refused.")]
    = None,
    quiet: QuietOption = False,
) -> None:
    """Ingest the bundled demo corpus into a fresh workspace and say what was found.

    Example: dyadwatch demo && dyadwatch documents --data dyadwatch-demo
    """
    from dyadwatch.coding import load_coder
    from dyadwatch.examples.demo import DEFAULT_DEMO_DIR, run_demo

    settings = settings_for(data or DEFAULT_DEMO_DIR)
    with progress_bar(show_progress(quiet)) as progress:
        result = run_demo(settings, load_coder(settings), progress)
    sys.stdout.write(
        f"demo workspace: {result.data_dir}\n"
        f"documents: {result.documents}  events: {result.events}  quotes: {result.quotes}  "
        f"figures: {result.figures}  errors: {result.errors}\n"
    )
    if result.timeline:
        sys.stdout.write("\nUnited States – Cambodia, as the articles tell it:\n")
        for entry in result.timeline:
            when = entry.date or "undated"
            sys.stdout.write(f"  {when:<11} {entry.description}  "
                             f"[{entry.cameo}, {entry.num_sources} source(s)]\n")
    if result.brief is not None:
        sys.stdout.write(f"\nbrief: {result.brief}\n")
