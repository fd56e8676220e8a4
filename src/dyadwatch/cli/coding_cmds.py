"""Commands over coded events: `events`, `quotes`, `figures`, `code`, `eval`."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Annotated, Any

import typer

from dyadwatch.cli.app import (
    DataOption,
    RowFormat,
    app,
    checked_dates,
    emit_rows,
    fail,
    out,
    plain_text,
    settings_for,
    workspace_for,
)
from dyadwatch.errors import DyadwatchError
from dyadwatch.records import Document, Event
from dyadwatch.store.events import EventFilter, fetch_dicts, location_columns, query_events

FormatOption = Annotated[RowFormat, typer.Option("--format", "-f", help="table, jsonl or csv.")]


def _event_row(event: Event) -> dict[str, Any]:
    return event.to_record()


def _csv_event_row(event: Event) -> dict[str, Any]:
    """The event record with its location as flat columns (location_name, ...)."""
    record = event.to_record()
    record.pop("location", None)
    return {**record, **location_columns(event.location)}


def _table_row(event: Event) -> dict[str, Any]:
    return {
        "date": event.date or "", "source": event.source.code, "cameo": event.cameo,
        "target": event.target.code,
        "modality": event.modality + (" (neg)" if event.negated else ""),
        "sentence": event.sentence,
    }




@app.command()
def events(
    data: DataOption = None,
    fmt: FormatOption = RowFormat.table,
    actor: Annotated[str | None, typer.Option(help="Actor code or prefix (KHM, USAGOV).")] = None,
    dyad: Annotated[tuple[str, str] | None, typer.Option(help="Two actors, any direction.")] = None,
    since: Annotated[str | None, typer.Option(help="Earliest event date (YYYY[-MM[-DD]]).")] = None,
    until: Annotated[str | None, typer.Option(help="Latest event date.")] = None,
    root: Annotated[str | None, typer.Option(help="CAMEO root, e.g. 08.")] = None,
) -> None:
    """Coded events. Example: dyadwatch events --dyad USA KHM --format jsonl"""
    checked_dates(since=since, until=until)
    flt = EventFilter(actor=actor, dyad=dyad, since=since, until=until, root=root)
    try:
        with workspace_for(data).connect(read_only=True) as con:
            found = query_events(con, flt)
    except DyadwatchError as exc:
        fail(exc)
    if fmt is RowFormat.table:
        emit_rows((_table_row(e) for e in found), fmt, ["date", "source", "cameo", "target",
                                                       "modality", "sentence"])
    else:
        row = _csv_event_row if fmt is RowFormat.csv else _event_row
        emit_rows((row(e) for e in found), fmt, [])


def _simple_table(data: Path | None, table: str, fmt: RowFormat, columns: list[str]) -> None:
    try:
        with workspace_for(data).connect(read_only=True) as con:
            rows = fetch_dicts(con, f"SELECT * FROM {table} ORDER BY doc_source, sentence_index")
    except DyadwatchError as exc:
        fail(exc)
    emit_rows(rows, fmt, columns)


@app.command()
def quotes(data: DataOption = None, fmt: FormatOption = RowFormat.table) -> None:
    """Direct quotes with their speakers. Example: dyadwatch quotes --format jsonl"""
    _simple_table(data, "quotes", fmt, ["speaker", "text", "doc_source"])


@app.command()
def figures(data: DataOption = None, fmt: FormatOption = RowFormat.table) -> None:
    """Stated figures (money, percentages, counts). Example: dyadwatch figures"""
    _simple_table(data, "figures", fmt, ["value", "unit", "about", "text", "doc_source"])


def _read_lines(path: Path) -> list[str]:
    """The lines of a UTF-8 text file; a one-line error (exit 2) naming it when unreadable."""
    try:
        return path.read_text(encoding="utf-8").splitlines()
    except UnicodeDecodeError as exc:
        fail(ValueError(f"--lines {path}: not UTF-8 text (byte {exc.start}: {exc.reason})"))
    except OSError as exc:
        fail(ValueError(f"--lines {path}: {exc.strerror or exc}"))


def _documents_from(text: str | None, lines: Path | None, date: str | None) -> list[Document]:
    if lines is not None:
        raw = _read_lines(lines)
        items = [(f"{lines}:{n}", line) for n, line in enumerate(raw, start=1) if line.strip()]
    elif text is not None:
        items = [("<text>", text)]
    else:
        raise typer.BadParameter("give TEXT or --lines FILE")
    precision = {4: "year", 7: "month", 10: "day"}.get(len(date or ""), "unknown")
    return [
        Document(
            doc_id=Document.id_for(body), doc_source=source, text=body, title=None,
            published=date, published_precision=precision, language="en",
        )
        for source, body in items
    ]


@app.command()
def code(
    text: Annotated[str | None, typer.Argument(help="Text to code.")] = None,
    lines: Annotated[Path | None, typer.Option("--lines", help="Code each line of FILE.")] = None,
    date: Annotated[str | None, typer.Option(help="Document date YYYY-MM-DD.")] = None,
    actors: Annotated[Path | None, typer.Option(help="Your actor file: adds or overrides.")] = None,
    fmt: FormatOption = RowFormat.jsonl,
) -> None:
    """Code text without a workspace. Example: dyadwatch code "Japan sent aid to Fiji." """
    from dyadwatch.coding.coder import SpacyCoder

    checked_dates(date=date)
    docs = _documents_from(text, lines, date)
    coder = SpacyCoder(settings_for(None, actors_file=actors))
    found = [e for _, ex in coder.code(docs) for e in ex.events]
    if fmt is RowFormat.table:
        emit_rows((_table_row(e) for e in found), fmt, ["date", "source", "cameo", "target",
                                                       "modality", "sentence"])
    else:
        row = _csv_event_row if fmt is RowFormat.csv else _event_row
        emit_rows((row(e) for e in found), fmt, [])


@app.command(name="eval")
def eval_gold(
    gold: Annotated[Path, typer.Argument(help="Gold YAML file (format of gold/seeds.yaml).")],
    data: DataOption = None,
    as_json: Annotated[bool, typer.Option("--json", help="Machine-readable result.")] = False,
) -> None:
    """Score the workspace's events against a gold file. Example: dyadwatch eval gold.yaml"""
    from dyadwatch.coding.evaluate import evaluate, load_gold

    try:
        gold_events = load_gold(gold)
        with workspace_for(data).connect(read_only=True) as con:
            result = evaluate(gold_events, query_events(con))
    except DyadwatchError as exc:
        fail(exc)
    if as_json:
        sys.stdout.write(json.dumps({
            "core": result.core, "extended": result.extended, "supported": result.supported,
            "system_events_in_gold_docs": result.in_gold_docs,
            "missed": [g.gold_id for g in result.missed],
            "unsupported": [e.event_id for e in result.unsupported],
        }) + "\n")
        return
    lines = [f"missed {g.gold_id} [{g.tier}] {g.doc}: {g.evidence}" for g in result.missed]
    lines += [f"unsupported {e.source.code} {e.cameo} {e.target.code} {e.date}: "
              f"{e.sentence[:100]}" for e in result.unsupported]
    for line in [*lines, result.summary()]:
        out.print(plain_text(line), markup=False, highlight=False)
