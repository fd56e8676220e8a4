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

from dyadwatch.analysis.counts import COUNT_VOCABULARY
from dyadwatch.analysis.hedging import INTERVAL_LEVEL, MIN_EVIDENCE_EVENTS
from dyadwatch.analysis.queries import (
    analysis_scope,
    checked_codes,
    get_dyad_index,
    get_hedging,
    get_timeline,
)
from dyadwatch.analysis.scope import DEFAULT_MIN_CONFIDENCE, Scope
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
from dyadwatch.cli.checks import checked_filter, output_error
from dyadwatch.contexts import check_context
from dyadwatch.export import ExportFormat, export_events
from dyadwatch.report import write_report
from dyadwatch.report.timeline_html import render_timeline_html, timeline_markdown
from dyadwatch.store.events import EventFilter, query_events


class TimelineFormat(StrEnum):
    md = "md"
    json = "json"
    html = "html"


class IndexFormat(StrEnum):
    table = "table"
    json = "json"
    csv = "csv"


SinceOption = Annotated[str | None, typer.Option(
    metavar="DATE", help="Earliest event date: YYYY, YYYY-MM or YYYY-MM-DD.")]
UntilOption = Annotated[str | None, typer.Option(
    metavar="DATE", help="Latest event date (the whole month or year when shorter).")]
FreqOption = Annotated[Freq, typer.Option("--freq", help="Period: month, quarter or year.")]
ModalityOption = Annotated[list[str] | None, typer.Option(
    "--modality", metavar="MODALITY",
    help="Count events of this modality (repeat for several): occurred, reported, expected, "
         "planned, intended. Default: occurred.", show_default=False)]
ConfidenceOption = Annotated[float | None, typer.Option(
    "--min-confidence", metavar="0-1",
    help=f"Count events whose best mention has at least this confidence (default "
         f"{DEFAULT_MIN_CONFIDENCE:g}).", show_default=False)]


def scope_for(ws: Any, since: str | None, until: str | None, modality: list[str] | None,
              min_confidence: float | None) -> Scope:
    """The analysis scope from the command's options (a one-line error, exit 2, when bad)."""
    checked_dates(since=since, until=until)
    return analysis_scope(ws, since, until, modality, min_confidence)


def _notes(*lines: str) -> None:
    for line in lines:
        console.print(plain_text(line), markup=False, highlight=False)



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
    context: Annotated[str | None, typer.Option(
        help="Only events with a mention of this PLOVER context, e.g. military.")] = None,
) -> None:
    """Events of a dyad in date order, with their sources (every event, background too).

    Example: dyadwatch timeline USA KHM --since 2025 -f json
    """
    checked_dates(since=since, until=until)
    context = check_context(context)
    ws = workspace_for(data)
    a, b = checked_codes(ws, a, b)
    entries = get_timeline(ws, a, b, since, until)
    if context:
        with ws.connect(read_only=True) as con:
            keep = {e.cluster_id for e in query_events(con, EventFilter(context=context))}
        entries = [e for e in entries if e.cluster_id in keep]
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
               "scope": asdict(index.scope), "counts": index.counts.to_dict(),
               "background_events": index.background, "count_vocabulary": COUNT_VOCABULARY,
               "series": rows, "change_points": asdict(index.changes),
               "verdict": asdict(index.verdict)})
        return
    if fmt is IndexFormat.csv:
        _csv(rows)
    else:
        _table(["dyad", "period", "events", "mentions", "quad1", "quad2", "quad3", "quad4",
                "goldstein_sum", "goldstein_mean", "sources"], rows, index.changes.reading)
        out.print(plain_text(index.verdict.reading), markup=False, highlight=False)
    _notes(index.scope.describe(), f"Charted: {index.counts.phrase()}; {index.background} "
           "background events outside the window.", COUNT_VOCABULARY)


def _hedging_row(p: Any) -> dict[str, Any]:
    row: dict[str, Any] = {"period": p.period, "H": p.value, "H_low": p.low, "H_high": p.high,
                           "evidence": p.evidence}
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
               "interval": f"{INTERVAL_LEVEL:.0%} bootstrap interval over events",
               "scope": asdict(index.scope), "count_vocabulary": COUNT_VOCABULARY,
               "overall": _hedging_row(index.overall), "points": rows[:-1],
               "change_points": asdict(index.changes), "verdict": asdict(index.verdict)})
        return
    if fmt is IndexFormat.csv:
        _csv(rows)
    else:
        shown = [{**r, "H": _h_text(r), "interval": _interval_text(r)} for r in rows
                 if r["H"] is not None]
        _table(["period", "H", "interval", "a_net", "a_events", "b_net", "b_events"], shown,
               index.changes.reading)
        if len(shown) < len(rows):
            out.print(f"({len(rows) - len(shown)} periods without events not shown)")
        out.print(plain_text(index.verdict.reading), markup=False, highlight=False)
    o = index.overall
    overall = ("not enough evidence" if o.evidence != "ok" else
               f"{o.value:+.2f} ({INTERVAL_LEVEL:.0%} interval {o.low:+.2f} to {o.high:+.2f})")
    _notes(f"Overall H of {index.focal} between {index.a} (+1) and {index.b} (-1): {overall}; "
           f"{o.events} events (at least {MIN_EVIDENCE_EVENTS} needed).",
           index.scope.describe(), COUNT_VOCABULARY)


def _h_text(row: dict[str, Any]) -> str:
    if row["H"] is None:
        return ""
    return f"{row['H']:+.2f}" + ("" if row["evidence"] == "ok" else " (not enough evidence)")


def _interval_text(row: dict[str, Any]) -> str:
    if row["H_low"] is None:
        return ""
    return f"{row['H_low']:+.2f} to {row['H_high']:+.2f}"


@app.command()
def index(
    actors: Annotated[list[str], typer.Argument(help="A B for a dyad, or F with --between.")],
    data: DataOption = None,
    between: Annotated[tuple[str, str] | None, typer.Option(
        metavar="A B", help="Hedging of F between two powers A (+1) and B (-1).")] = None,
    freq: FreqOption = Freq.month,
    directed: Annotated[bool, typer.Option(help="Only A acting on B.")] = False,
    fmt: Annotated[IndexFormat, typer.Option("--format", "-f", help="table, json or csv.")]
    = IndexFormat.table,
    since: SinceOption = None,
    until: UntilOption = None,
    modality: ModalityOption = None,
    min_confidence: ConfidenceOption = None,
) -> None:
    """Cooperation and conflict of two actors per period, or how a third hedges between two
    powers (H from -1, all with the second power, to +1, all with the first, with an
    interval). The verdict on change is checked at month, quarter and year.

    Examples: dyadwatch index USA KHM --freq quarter;
    dyadwatch index KHM --between USA CHN --format json
    """
    if between and len(actors) != 1:
        raise typer.BadParameter("with --between give one focal actor: F --between A B")
    if not between and len(actors) != 2:
        raise typer.BadParameter("give two actors (index A B) or F --between A B")
    ws = workspace_for(data)
    scope = scope_for(ws, since, until, modality, min_confidence)
    if between:
        focal, a, b = checked_codes(ws, actors[0], *between)
        _emit_hedging(get_hedging(ws, focal, a, b, freq, scope), fmt)
        return
    a, b = checked_codes(ws, *actors)
    _emit_dyad(get_dyad_index(ws, a, b, freq, directed, scope=scope), fmt)


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
    since: SinceOption = None,
    until: UntilOption = None,
    modality: ModalityOption = None,
    min_confidence: ConfidenceOption = None,
    context: Annotated[str | None, typer.Option(
        metavar="NAME", help="Only events with a mention of this PLOVER context, e.g. "
                             "military (list: dyadwatch contexts).")] = None,
) -> None:
    """Write a self-contained HTML brief of two actors: timeline, charts, hedging, quotes,
    figures and sources (linked), readable offline. Charts cover the articles' publication
    dates plus a year each side unless --since/--until say otherwise.

    Example: dyadwatch report USA KHM -o brief.html --since 2025 --context military
    """
    context = check_context(context)
    ws = workspace_for(data)
    scope = scope_for(ws, since, until, modality, min_confidence)
    try:
        path = write_report(ws, a, b, output, freq, rival, scope=scope, context=context)
    except OSError as exc:
        raise output_error("--output", output, exc) from exc
    console.print(f"wrote {path}", markup=False, highlight=False)


@app.command()
def export(
    fmt: Annotated[ExportFormat, typer.Option(
        "--format", "-f", help="jsonl, csv, parquet (mentions); gdelt, plover (events).")],
    output: Annotated[Path, typer.Option("--output", "-o", help="The file to write.")],
    data: DataOption = None,
    actor: Annotated[str | None, typer.Option(help="Actor code or country prefix.")] = None,
    dyad: Annotated[tuple[str, str] | None, typer.Option(
        metavar="A B", help="Two actors, either direction.")]
    = None,
    since: SinceOption = None,
    until: UntilOption = None,
    root: Annotated[str | None, typer.Option(help="CAMEO root, e.g. 08.")] = None,
    header: Annotated[bool, typer.Option(
        "--header", help="Give a GDELT file a header line (GDELT's own files have none).")]
    = False,
    context: Annotated[str | None, typer.Option(
        help="PLOVER context, e.g. military (CSV: a `contexts` column, names joined by ;).")]
    = None,
) -> None:
    """Write events to a file: mentions as JSON lines, CSV (the columns of `events -f csv`) or
    Parquet; events (one per cluster) as GDELT 2.0 TSV or PLOVER JSON.

    Example: dyadwatch export --format gdelt -o events.tsv --dyad USA KHM
    """
    checked_dates(since=since, until=until)
    ws = workspace_for(data)
    flt = checked_filter(ws, actor=actor, dyad=dyad, since=since, until=until, root=root,
                         context=check_context(context))
    try:
        result = export_events(ws, fmt, output, flt, header)
    except OSError as exc:
        raise output_error("--output", output, exc) from exc
    skipped = f" ({result.skipped} skipped: no date)" if result.skipped else ""
    console.print(f"wrote {result.rows} {result.fmt} rows to {result.path}{skipped}",
                  markup=False, highlight=False)
