"""The Typer app and what every command shares: the workspace option, output formats, and the
one place where errors become a message and an exit code.

Commands live in the `*_cmds.py` modules beside this one, each a thin layer over the library.
A command never catches a `DyadwatchError` to report it: it lets it rise, and the app's group
(`ReportingGroup`) prints `error: <message>` in one line on stderr and exits with the code
`exit_code` gives (the tree is drawn in `dyadwatch.errors`). Exit codes:

    0  done
    1  done, but some inputs gave no document (`ingest`; see `dyadwatch errors`)
    2  the command could not do what was asked (any DyadwatchError, or a bad option)
"""

from __future__ import annotations

import csv
import io
import itertools
import json
import logging
import re
import sys
from collections.abc import Iterable, Sequence
from enum import StrEnum
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.console import Console
from rich.table import Column, Table
from rich.text import Text
from typer.core import TyperGroup

from dyadwatch import __version__
from dyadwatch.errors import DyadwatchError, ParameterError
from dyadwatch.params import check_date
from dyadwatch.settings import Settings
from dyadwatch.store.workspace import Workspace

DONE = 0
INPUTS_FAILED = 1
FAILED = 2
# The exit code of each class of the tree; a class not listed takes its nearest base's code.
EXIT_CODES: dict[type[DyadwatchError], int] = {DyadwatchError: FAILED}


def exit_code(exc: DyadwatchError) -> int:
    """The exit code for `exc`: that of its class or of the nearest base in EXIT_CODES."""
    for cls in type(exc).__mro__:
        if cls in EXIT_CODES:
            return EXIT_CODES[cls]
    return FAILED


def report_error(exc: DyadwatchError) -> int:
    """Print `exc` as one terminal-safe line on stderr; the exit code it maps to."""
    console.print(f"error: {plain_text(exc)}", markup=False, highlight=False, soft_wrap=True)
    return exit_code(exc)


class ReportingGroup(TyperGroup):
    """The app's command group: a DyadwatchError raised by any command (or by the root
    callback) is reported by `report_error` and ends the program with its exit code."""

    def invoke(self, ctx: Any) -> Any:
        try:
            return super().invoke(ctx)
        except DyadwatchError as exc:
            ctx.exit(report_error(exc))


app = typer.Typer(
    cls=ReportingGroup,
    name="dyadwatch",
    help="News articles in; a sourced, coded event database and relations indices out.",
    no_args_is_help=True,
    add_completion=False,
    rich_markup_mode=None,
)
# Terminal escape sequences (CSI, OSC, other ESC pairs, 8-bit CSI) are removed whole, then any
# control character left (C0, DEL, C1) and the bidi overrides that reorder what is shown.
_ESCAPE_SEQUENCE = re.compile(
    r"\x1b\[[0-?]*[ -/]*[@-~]|\x9b[0-?]*[ -/]*[@-~]"
    r"|\x1b[\]P^_X][^\x07\x1b\x9c]*(?:\x07|\x1b\\|\x9c)?|\x1b[ -~]?"
)
_WHITESPACE_CONTROL = re.compile(r"[\t\n\r\x0b\x0c\x85\u2028\u2029]+")
_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")

_PLAIN_TYPES = {"str": "TEXT", "path": "PATH", "file": "FILE", "directory": "FOLDER",
                "int": "NUMBER", "float": "NUMBER"}


def _plain_type(param: Any, ctx: Any) -> str:
    """The value a help line asks for in plain words ("TEXT", "PATH", "month|quarter|year")
    instead of Typer's Python types ("<list[str]>"); arguments are named by their own name."""
    if isinstance(param, typer.core.TyperArgument):
        return ""
    label = _typer_display_type(param, ctx).strip("<>")
    inner = label.removeprefix("list[").removesuffix("]")
    if "|" in inner:
        return inner
    parts = [_PLAIN_TYPES.get(p, p.upper()) for p in inner.split(",")]
    return " ".join(parts)


_typer_display_type = typer.core._TyperParameter.display_type
typer.core._TyperParameter.display_type = _plain_type  # type: ignore[method-assign,assignment]

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


FormatOption = Annotated[RowFormat, typer.Option(
    "--format", "-f", help="How to print the rows: table, jsonl or csv.")]
LimitOption = Annotated[int | None, typer.Option(
    "--limit", "-n", min=1, metavar="N", help="Print at most N rows.", show_default=False)]


def settings_for(data: Path | None, **overrides: object) -> Settings:
    """Settings from defaults, environment and the command's flags."""
    return Settings.from_env(data_dir=data, **overrides)


def workspace_for(data: Path | None) -> Workspace:
    """The workspace the command reads (not created: readers open it read-only)."""
    settings = settings_for(data)
    return Workspace(settings.data_dir, settings.lock_timeout_s)


def checked_dates(**options: str | None) -> None:
    """ParameterError naming the option when a date option is not an existing YYYY, YYYY-MM
    or YYYY-MM-DD date."""
    for name, value in options.items():
        try:
            check_date(value)
        except ParameterError as exc:
            raise ParameterError(f"--{name}: {exc}") from None


def show_progress(quiet: bool) -> bool:
    """A progress bar only on a terminal, and never with --quiet."""
    return not quiet and sys.stderr.isatty()


def _flat(value: Any) -> Any:
    if isinstance(value, dict | list):
        return json.dumps(value, ensure_ascii=False)
    return value


def emit_rows(rows: Iterable[dict[str, Any]], fmt: RowFormat, columns: Sequence[str],
              limit: int | None = None) -> int:
    """Print rows (at most `limit`) as JSON lines, CSV or a table (the table shows `columns`
    only)."""
    rows = itertools.islice(rows, limit)
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
    count = print_table(columns, rows)
    return count


def plain_text(value: Any) -> str:
    """`value` as one line of terminal-safe text: escape sequences and control characters
    removed, line breaks and tabs as spaces."""
    text = "" if value is None else str(_flat(value))
    text = _ESCAPE_SEQUENCE.sub("", text)
    return _CONTROL.sub("", _WHITESPACE_CONTROL.sub(" ", text))


def terminal_text(text: str) -> str:
    """Text meant for a person at a terminal (Markdown, messages) with its lines and tabs kept
    but escape sequences and other control characters removed."""
    lines = _ESCAPE_SEQUENCE.sub("", text).split("\n")
    return "\n".join(_CONTROL.sub("", line.replace("\t", "    ")) for line in lines)


def table_cell(value: Any, width: int = 80) -> Text:
    """A table cell showing `value` literally: never read as Rich markup, never a terminal
    control, cut to `width` characters."""
    text = plain_text(value)
    return Text(text if len(text) <= width else text[: width - 1] + "…")


def print_table(columns: Sequence[str], rows: Iterable[dict[str, Any]], width: int = 80) -> int:
    """Print `rows` as a table of `columns` (every cell through `table_cell`); the row count."""
    table = Table(*(Column(header=table_cell(c)) for c in columns), show_lines=False)
    count = 0
    for row in rows:
        table.add_row(*(table_cell(row.get(c), width) for c in columns))
        count += 1
    out.print(table)
    return count


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
