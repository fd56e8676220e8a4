"""Commands over coded events: `events`, `quotes`, `figures`, `code`, `eval`."""

from __future__ import annotations

import json
import sys
from dataclasses import replace
from pathlib import Path
from typing import Annotated, Any

import typer

from dyadwatch.analysis.counts import COUNT_VOCABULARY
from dyadwatch.cli.app import (
    DataOption,
    FormatOption,
    LimitOption,
    RowFormat,
    app,
    checked_dates,
    console,
    emit_rows,
    out,
    plain_text,
    settings_for,
    workspace_for,
)
from dyadwatch.cli.checks import checked_filter, checked_input_file, event_label
from dyadwatch.contexts import check_context
from dyadwatch.contexts.stage import packaged_lexicon
from dyadwatch.errors import ParameterError
from dyadwatch.records import MODALITIES, Document, Event
from dyadwatch.store.analysis import event_csv_row, event_rows
from dyadwatch.store.events import fetch_dicts, query_events

TABLE_COLUMNS = ["date", "source", "event", "target", "modality", "sentence"]


def _event_row(event: Event) -> dict[str, Any]:
    return event.to_record()


def _table_row(event: Event) -> dict[str, Any]:
    return {
        "date": event.date or "", "source": event.source.code or event.source.text,
        "event": event_label(event.cameo),
        "target": event.target.code or event.target.text,
        "modality": event.modality + (" (neg)" if event.negated else ""),
        "sentence": event.sentence,
    }




@app.command()
def events(
    data: DataOption = None,
    fmt: FormatOption = RowFormat.table,
    actor: Annotated[str | None, typer.Option(
        metavar="CODE", help="Only events of this actor (code or prefix: KHM, USAGOV).")] = None,
    dyad: Annotated[tuple[str, str] | None, typer.Option(
        metavar="A B", help="Only events between two actors, either direction.")] = None,
    since: Annotated[str | None, typer.Option(
        metavar="DATE", help="Earliest event date: YYYY, YYYY-MM or YYYY-MM-DD.")] = None,
    until: Annotated[str | None, typer.Option(
        metavar="DATE", help="Latest event date (the whole month or year when shorter).")]
    = None,
    root: Annotated[str | None, typer.Option(
        metavar="NN", help="Only this CAMEO root, 01 to 20 (08 = yield, 19 = fight).")] = None,
    context: Annotated[str | None, typer.Option(
        metavar="NAME", help="Only events of this PLOVER context, e.g. military, economic "
                             "(list: dyadwatch contexts).")] = None,
    plover: Annotated[str | None, typer.Option(
        metavar="TYPE", help="Only this PLOVER type, e.g. ASSAULT.")] = None,
    quad_class: Annotated[int | None, typer.Option(
        metavar="1-4", help="Only this QuadClass: 1 verbal cooperation, 2 material cooperation, "
        "3 verbal conflict, 4 material conflict.")] = None,
    modality: Annotated[str | None, typer.Option(
        metavar="WORD", help=f"Only this modality: {', '.join(MODALITIES)}.")] = None,
    min_confidence: Annotated[float | None, typer.Option(
        metavar="0-1", help="Only events the coder is at least this sure of (0 to 1).")]
    = None,
    outlet: Annotated[str | None, typer.Option(
        metavar="NAME", help="Only events from documents of this outlet (publisher).")] = None,
    limit: LimitOption = None,
) -> None:
    """List coded events: one row per sentence that reports one (a mention).

    CSV has one flat column per field, the same as `dyadwatch export -f csv`; JSON lines
    are the event records of the design (actors as objects).

    Example: dyadwatch events --dyad USA KHM --since 2025 --context military -f csv
    """
    checked_dates(since=since, until=until)
    ws = workspace_for(data)
    if modality is not None and modality.lower() not in MODALITIES:
        raise ParameterError(f"--modality: {modality!r} is none of {', '.join(MODALITIES)}")
    if quad_class is not None and not 1 <= quad_class <= 4:
        raise ParameterError(f"--quad-class {quad_class}: give 1, 2, 3 or 4")
    if min_confidence is not None and not 0.0 <= min_confidence <= 1.0:
        raise ParameterError(f"--min-confidence {min_confidence:g}: give a number from 0 to 1")
    flt = replace(
        checked_filter(ws, actor=actor, dyad=dyad, since=since, until=until, root=root,
                       context=check_context(context)),
        plover=plover, quad_class=quad_class, modality=modality, min_confidence=min_confidence,
        outlet=outlet,
    )
    with ws.connect(read_only=True) as con:
        if fmt is RowFormat.csv:
            emit_rows(event_rows(con, flt), fmt, [], limit)
            return
        found = query_events(con, flt)
    if fmt is RowFormat.table:
        shown = emit_rows((_table_row(e) for e in found), fmt, TABLE_COLUMNS, limit)
        events = len({e.cluster_id or e.event_id for e in found})
        console.print(f"{shown} of {len(found)} mentions, of {events} events. "
                      f"{COUNT_VOCABULARY}", markup=False, highlight=False)
    else:
        emit_rows((_event_row(e) for e in found), fmt, [], limit)


@app.command(name="contexts")
def list_contexts(fmt: FormatOption = RowFormat.table) -> None:
    """The PLOVER contexts events can get, with their definitions. Example: dyadwatch contexts"""
    lexicon = packaged_lexicon()
    rows = ({"context": r.name, "definition": r.definition} for r in lexicon.contexts)
    emit_rows(rows, fmt, ["context", "definition"])


def _simple_table(data: Path | None, table: str, fmt: RowFormat, columns: list[str],
                  limit: int | None) -> None:
    with workspace_for(data).connect(read_only=True) as con:
        rows = fetch_dicts(con, f"SELECT * FROM {table} ORDER BY doc_source, sentence_index")
    emit_rows(rows, fmt, columns, limit)


@app.command()
def quotes(data: DataOption = None, fmt: FormatOption = RowFormat.table,
           limit: LimitOption = None) -> None:
    """List direct quotes with their speakers and documents.

    Example: dyadwatch quotes --limit 20 -f jsonl
    """
    _simple_table(data, "quotes", fmt, ["speaker", "text", "doc_source"], limit)


@app.command()
def figures(data: DataOption = None, fmt: FormatOption = RowFormat.table,
            limit: LimitOption = None) -> None:
    """List stated figures (money, percentages, counts) with what they are about.

    Example: dyadwatch figures -f csv > figures.csv
    """
    _simple_table(data, "figures", fmt, ["value", "unit", "about", "text", "doc_source"], limit)


def _read_lines(path: Path) -> list[str]:
    """The lines of a UTF-8 text file; ParameterError naming it when unreadable."""
    try:
        return path.read_text(encoding="utf-8").splitlines()
    except UnicodeDecodeError as exc:
        raise ParameterError(
            f"--lines {path}: not UTF-8 text (byte {exc.start}: {exc.reason})") from None
    except OSError as exc:
        raise ParameterError(f"--lines {path}: {exc.strerror or exc}") from None


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


def _english_only(docs: list[Document]) -> list[Document]:
    """The documents identified as English (or too short to tell); a line on stderr for each
    one skipped, naming it, the language found and why."""
    from dyadwatch.ingest.language import LanguageIdentifier
    from dyadwatch.ingest.rules import load_languages

    identifier = LanguageIdentifier(load_languages())
    kept = []
    for doc in docs:
        language = identifier.identify(doc.text)
        if language in (None, "en"):
            kept.append(doc)
            continue
        console.print(f"skipped {plain_text(doc.doc_source)}: the text is in language "
                      f"'{language}', and only English text is coded", markup=False,
                      highlight=False)
    return kept


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
    from dyadwatch.contexts import with_contexts

    checked_dates(date=date)
    checked_input_file("--actors", actors)
    docs = _english_only(_documents_from(text, lines, date))
    if not docs:
        raise typer.Exit(1)
    coder = SpacyCoder(settings_for(None, actors_file=actors))
    found = [e for _, ex in with_contexts(coder.code(docs)) for e in ex.events]
    if fmt is RowFormat.table:
        emit_rows((_table_row(e) for e in found), fmt, TABLE_COLUMNS)
    else:
        row = event_csv_row if fmt is RowFormat.csv else _event_row
        emit_rows((row(e) for e in found), fmt, [])


@app.command(name="eval")
def eval_gold(
    gold: Annotated[Path, typer.Argument(help="Gold YAML file (format of gold/seeds.yaml).")],
    data: DataOption = None,
    as_json: Annotated[bool, typer.Option("--json", help="Machine-readable result.")] = False,
) -> None:
    """Score the workspace's events against a gold file. Example: dyadwatch eval gold.yaml"""
    from dyadwatch.coding.evaluate import evaluate, load_gold

    gold_events = load_gold(gold)
    with workspace_for(data).connect(read_only=True) as con:
        result = evaluate(gold_events, query_events(con))
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
