"""The Typer app and what every command shares: the workspace option and output formats.

Commands live in the `*_cmds.py` modules beside this one, each a thin layer over the library.
"""

from __future__ import annotations

import csv
import io
import json
import logging
import sys
from collections.abc import Iterable, Sequence
from enum import StrEnum
from pathlib import Path
from typing import Annotated, Any, NoReturn

import typer
from rich.console import Console
from rich.table import Table

from dyadwatch import __version__
from dyadwatch.settings import Settings
from dyadwatch.store.workspace import Workspace

app = typer.Typer(
    name="dyadwatch",
    help="News articles in; a sourced, coded event database and relations indices out.",
    no_args_is_help=True,
    add_completion=False,
    rich_markup_mode=None,
)
console = Console(stderr=True)
out = Console(soft_wrap=True)

DataOption = Annotated[
    Path | None,
    typer.Option(
        "--data",
        help="Workspace folder (default ./dyadwatch-data, or $DYADWATCH_DATA).",
        show_default=False,
    ),
]
QuietOption = Annotated[bool, typer.Option("--quiet", "-q", help="No progress bar, less output.")]


class RowFormat(StrEnum):
    table = "table"
    jsonl = "jsonl"
    csv = "csv"


def settings_for(data: Path | None, **overrides: object) -> Settings:
    """Settings from defaults, environment and the command's flags."""
    return Settings.from_env(data_dir=data, **overrides)


def workspace_for(data: Path | None) -> Workspace:
    """The workspace the command reads (not created: readers open it read-only)."""
    settings = settings_for(data)
    return Workspace(settings.data_dir, settings.lock_timeout_s)


def fail(exc: Exception) -> NoReturn:
    """Report an error in one line and exit with code 2."""
    console.print(f"error: {exc}", markup=False, highlight=False, soft_wrap=True)
    raise typer.Exit(code=2)


def show_progress(quiet: bool) -> bool:
    """A progress bar only on a terminal, and never with --quiet."""
    return not quiet and sys.stderr.isatty()


def _flat(value: Any) -> Any:
    if isinstance(value, dict | list):
        return json.dumps(value, ensure_ascii=False)
    return value


def emit_rows(rows: Iterable[dict[str, Any]], fmt: RowFormat, columns: Sequence[str]) -> int:
    """Print rows as JSON lines, CSV or a table (the table shows `columns` only)."""
    count = 0
    if fmt is RowFormat.jsonl:
        for row in rows:
            sys.stdout.write(json.dumps(row, ensure_ascii=False, default=str) + "\n")
            count += 1
        return count
    if fmt is RowFormat.csv:
        buffer = io.StringIO()
        writer: csv.DictWriter[str] | None = None
        for row in rows:
            if writer is None:
                writer = csv.DictWriter(buffer, fieldnames=list(row), extrasaction="ignore")
                writer.writeheader()
            writer.writerow({k: _flat(v) for k, v in row.items()})
            count += 1
        sys.stdout.write(buffer.getvalue())
        return count
    table = Table(*columns, show_lines=False)
    for row in rows:
        table.add_row(*(_cell(row.get(c)) for c in columns))
        count += 1
    out.print(table)
    return count


def _cell(value: Any, width: int = 80) -> str:
    text = "" if value is None else str(_flat(value))
    return text if len(text) <= width else text[: width - 1] + "…"


def version_callback(value: bool) -> None:
    if value:
        typer.echo(f"dyadwatch {__version__}")
        raise typer.Exit()


@app.callback()
def root(
    version: Annotated[
        bool,
        typer.Option(
            "--version", callback=version_callback, is_eager=True, help="Print the version."
        ),
    ] = False,
    verbose: Annotated[bool, typer.Option("--verbose", "-v", help="Log what happens.")] = False,
) -> None:
    """dyadwatch: who did what to whom, when, and who said so."""
    logging.basicConfig(
        level=logging.INFO if verbose else logging.WARNING,
        format="%(levelname)s %(name)s: %(message)s",
        stream=sys.stderr,
    )
