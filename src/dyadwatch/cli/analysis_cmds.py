"""Analysis commands: `timeline`, `index`, `report`, `export` (thin layers over the library)."""

from __future__ import annotations

import csv
import io
import json
import sys
from dataclasses import asdict
from enum import StrEnum
from pathlib import Path
from typing import Annotated, Any

import typer

from dyadwatch.analysis.queries import get_dyad_index, get_hedging, get_timeline
from dyadwatch.analysis.series import Freq
from dyadwatch.cli.app import (
    DataOption,
    app,
    checked_dates,
    console,
    out,
    plain_text,
    print_table,
    terminal_text,
    workspace_for,
)
from dyadwatch.export import ExportFormat, export_events
from dyadwatch.report import write_report
from dyadwatch.report.timeline_html import render_timeline_html, timeline_markdown
from dyadwatch.store.events import EventFilter


class TimelineFormat(StrEnum):
    md = "md"
    json = "json"
    html = "html"


class IndexFormat(StrEnum):
    table = "table"
    json = "json"
    csv = "csv"


SinceOption = Annotated[str | None, typer.Option(help="Earliest event date (YYYY[-MM[-DD]]).")]
UntilOption = Annotated[str | None, typer.Option(help="Latest event date (YYYY[-MM[-DD]]).")]
FreqOption = Annotated[Freq, typer.Option("--freq", help="Period: month, quarter or year.")]




def _json(value: Any) -> None:
    sys.stdout.write(json.dumps(value, ensure_ascii=False, indent=2, default=str) + "\n")


@app.command()
def timeline(
    a: Annotated[str, typer.Argument(help="First actor (country code, e.g. USA).")],
    b: Annotated[str, typer.Argument(help="Second actor (e.g. KHM).")],
    data: DataOption = None,
    since: SinceOption = None,
    until: UntilOption = None,
    fmt: Annotated[TimelineFormat, typer.Option("--format", "-f", help="md, json or html.")]
    = TimelineFormat.md,
) -> None:
    """Events of a dyad in date order, with sources. Example: dyadwatch timeline USA KHM -f json"""
    checked_dates(since=since, until=until)
    entries = get_timeline(workspace_for(data), a, b, since, until)
    if fmt is TimelineFormat.json:
        _json([e.to_dict() for e in entries])
    elif fmt is TimelineFormat.html:
        sys.stdout.write(render_timeline_html(entries, a.upper(), b.upper()))
    else:
        sys.stdout.write(terminal_text(timeline_markdown(entries, a.upper(), b.upper())))


def _csv(rows: list[dict[str, Any]]) -> None:
    if not rows:
        return
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=list(rows[0]))
    writer.writeheader()
    for row in rows:
        writer.writerow({k: ";".join(v) if isinstance(v, list | tuple) else v
                         for k, v in row.items()})
    sys.stdout.write(buffer.getvalue())


def _table(columns: list[str], rows: list[dict[str, Any]], reading: str) -> None:
    print_table(columns, rows)
    out.print(plain_text(reading), markup=False, highlight=False)


def _series_rows(index: Any) -> list[dict[str, Any]]:
    rows = []
    for p in index.series:
        row = asdict(p)
        row.pop("doc_ids")
        rows.append(row)
    return rows


def _emit_dyad(index: Any, fmt: IndexFormat) -> None:
    rows = _series_rows(index)
    if fmt is IndexFormat.json:
        _json({"dyad": list(index.dyad), "freq": index.freq, "directed": index.directed,
               "series": rows, "change_points": asdict(index.changes)})
    elif fmt is IndexFormat.csv:
        _csv(rows)
    else:
        _table(["dyad", "period", "events", "quad1", "quad2", "quad3", "quad4",
                "goldstein_sum", "goldstein_mean", "sources"], rows, index.changes.reading)


def _hedging_row(p: Any) -> dict[str, Any]:
    row: dict[str, Any] = {"period": p.period, "H": p.value}
    for key, side in (("a", p.side_a), ("b", p.side_b)):
        row.update({f"{key}_power": side.power, f"{key}_net": side.net_cooperation,
                    f"{key}_events": side.events, f"{key}_coop": side.cooperative,
                    f"{key}_conflict": side.conflictual, f"{key}_sources": side.sources,
                    f"{key}_event_ids": list(side.event_ids)})
    return row


def _emit_hedging(index: Any, fmt: IndexFormat) -> None:
    rows = [_hedging_row(p) for p in (*index.points, index.overall)]
    if fmt is IndexFormat.json:
        _json({"focal": index.focal, "a": index.a, "b": index.b, "freq": index.freq,
               "formula": "H = (C_FA - C_FB) / (|C_FA| + |C_FB|), C = sum of Goldstein",
               "overall": _hedging_row(index.overall), "points": rows[:-1],
               "change_points": asdict(index.changes)})
    elif fmt is IndexFormat.csv:
        _csv(rows)
    else:
        _table(["period", "H", "a_net", "a_events", "b_net", "b_events"], rows,
               index.changes.reading)


@app.command()
def index(
    actors: Annotated[list[str], typer.Argument(help="A B for a dyad, or F with --between.")],
    data: DataOption = None,
    between: Annotated[tuple[str, str] | None, typer.Option(
        help="Hedging of F between two powers A (+1) and B (-1).")] = None,
    freq: FreqOption = Freq.month,
    directed: Annotated[bool, typer.Option(help="Only A acting on B.")] = False,
    fmt: Annotated[IndexFormat, typer.Option("--format", "-f", help="table, json or csv.")]
    = IndexFormat.table,
) -> None:
    """Dyad series or hedging index. Examples: dyadwatch index USA KHM --freq quarter;
    dyadwatch index KHM --between USA CHN --format json"""
    ws = workspace_for(data)
    if between:
        if len(actors) != 1:
            raise typer.BadParameter("with --between give one focal actor: F --between A B")
        _emit_hedging(get_hedging(ws, actors[0], between[0], between[1], freq), fmt)
        return
    if len(actors) != 2:
        raise typer.BadParameter("give two actors (index A B) or F --between A B")
    _emit_dyad(get_dyad_index(ws, actors[0], actors[1], freq, directed), fmt)


@app.command()
def report(
    a: Annotated[str, typer.Argument(help="First actor (e.g. USA).")],
    b: Annotated[str, typer.Argument(help="Second actor, the focal state of hedging (e.g. KHM).")],
    output: Annotated[Path, typer.Option("--output", "-o", help="The HTML file to write.")]
    = Path("brief.html"),
    data: DataOption = None,
    freq: FreqOption = Freq.quarter,
    rival: Annotated[str | None, typer.Option(
        help="Third power for B's hedging (default: B's most frequent other partner).")] = None,
) -> None:
    """A self-contained HTML brief of a dyad. Example: dyadwatch report USA KHM -o brief.html"""
    path = write_report(workspace_for(data), a, b, output, freq, rival)
    console.print(f"wrote {path}", markup=False, highlight=False)


@app.command()
def export(
    fmt: Annotated[ExportFormat, typer.Option(
        "--format", "-f", help="jsonl, csv, parquet (mentions); gdelt, plover (events).")],
    output: Annotated[Path, typer.Option("--output", "-o", help="The file to write.")],
    data: DataOption = None,
    actor: Annotated[str | None, typer.Option(help="Actor code or country prefix.")] = None,
    dyad: Annotated[tuple[str, str] | None, typer.Option(help="Two actors, either direction.")]
    = None,
    since: SinceOption = None,
    until: UntilOption = None,
    root: Annotated[str | None, typer.Option(help="CAMEO root, e.g. 08.")] = None,
) -> None:
    """Export events. Example: dyadwatch export --format gdelt -o events.tsv --dyad USA KHM"""
    checked_dates(since=since, until=until)
    flt = EventFilter(actor=actor, dyad=dyad, since=since, until=until, root=root)
    result = export_events(workspace_for(data), fmt, output, flt)
    skipped = f" ({result.skipped} skipped: no date)" if result.skipped else ""
    console.print(f"wrote {result.rows} {result.fmt} rows to {result.path}{skipped}",
                  markup=False, highlight=False)
