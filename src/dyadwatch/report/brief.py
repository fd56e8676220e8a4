"""The HTML brief of a dyad: a self-contained, sourced analyst's note.

Reads the workspace (clusters of the dyad, quotes and figures of its documents, the hedging
of B between A and a third power) and writes one HTML file: a dated timeline, interactive
Plotly charts (the dashboard's figure specifications, `dyadwatch.figures`), key quotes and
figures, a reading of shifts whose heading says what the data show, sources by outlet, title
and date linked to their URLs, method and caveats. Charts and indices cover the analysis
window (analysis.scope); older events are listed as background; a context (`--context
military`) keeps only the events of that PLOVER context, everywhere in the brief. Counts use
the one vocabulary of analysis.counts.

The brief stays one offline file: plotly.min.js (from the installed `plotly` package) and the
dashboard's `explorer.js` are inlined once, the chart specifications sit in JSON script
elements; no external script, stylesheet, font, image or frame. The only URLs are the
sources' `<a href>` links, which load nothing unless the reader follows one. All article text
is escaped by Jinja2's autoescape (and `tojson` inside the specifications).
"""

from __future__ import annotations

import functools
import logging
from collections import Counter
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from importlib.resources import files
from pathlib import Path
from typing import Any

from jinja2 import Environment, PackageLoader, select_autoescape
from markupsafe import Markup

from dyadwatch.analysis.changepoints import MIN_EVENTS, MIN_PERIODS, SUSTAINED_PERIODS
from dyadwatch.analysis.clusters import Cluster
from dyadwatch.analysis.counts import COUNT_VOCABULARY, Counts, count_events
from dyadwatch.analysis.hedging import INTERVAL_LEVEL, MIN_EVIDENCE_EVENTS
from dyadwatch.analysis.places import PlaceCount, place_counts
from dyadwatch.analysis.queries import (
    HedgingIndex,
    analysis_scope,
    checked_codes,
    dyad_clusters,
    get_dyad_index,
    get_hedging,
    main_rival,
)
from dyadwatch.analysis.scope import Scope, split_background
from dyadwatch.analysis.series import Freq
from dyadwatch.analysis.tables import DescriptionTables, load_description_tables
from dyadwatch.analysis.timeline import TimelineEntry, build_timeline
from dyadwatch.contexts import check_context
from dyadwatch.figures import hedging_line, plotly_js_path, series_line
from dyadwatch.records import Figure, Quote
from dyadwatch.report.map_svg import places_svg
from dyadwatch.report.reading import assess
from dyadwatch.report.sources import SourceLine, source_lines
from dyadwatch.store.analysis import fetch_documents, fetch_figures, fetch_quotes
from dyadwatch.store.workspace import Workspace

log = logging.getLogger(__name__)

MAX_QUOTES = 12
MAX_FIGURES = 12


@dataclass(frozen=True, slots=True)
class BriefContext:
    """Everything the brief template shows."""

    a: str
    b: str
    name_a: str
    name_b: str
    generated_at: str
    timeline: tuple[TimelineEntry, ...]
    background: tuple[TimelineEntry, ...]
    scope: Scope
    counts: Counts
    charted: Counts
    heading: str
    series_chart: dict[str, Any] | None  # a Plotly figure (None: no dated event to chart)
    series_reading: str
    hedging_chart: dict[str, Any] | None
    hedging: HedgingIndex | None
    assessment: tuple[str, ...]
    type_counts: tuple[tuple[str, int, int], ...]
    quotes: tuple[Quote, ...]
    figures: tuple[Figure, ...]
    sources: tuple[SourceLine, ...]
    stats: dict[str, Any] = field(default_factory=dict)
    places: tuple[PlaceCount, ...] = ()  # the window's located events by place (the map)
    unmapped: int = 0
    located_events: int = 0


def _type_counts(clusters: list[Cluster], a: str, scope: Scope
                 ) -> tuple[tuple[str, int, int], ...]:
    """(PLOVER type, events with A acting, events with B acting), most frequent first."""
    from_a: Counter[str] = Counter()
    from_b: Counter[str] = Counter()
    for c in clusters:
        if scope.admits(c):
            (from_a if (c.source.code or "").startswith(a) else from_b)[c.plover] += 1
    kinds = sorted(set(from_a) | set(from_b), key=lambda k: (-(from_a[k] + from_b[k]), k))
    return tuple((k, from_a[k], from_b[k]) for k in kinds)


def _key_quotes(quotes: list[Quote], a: str, b: str) -> tuple[Quote, ...]:
    """Quotes by a speaker of A or B first, then the rest, at most MAX_QUOTES."""
    ranked = sorted(quotes, key=lambda q: (not (q.speaker_code or "").startswith((a, b)),
                                           q.doc_source, q.sentence_index))
    return tuple(ranked[:MAX_QUOTES])


def _stats(clusters: list[Cluster]) -> dict[str, Any]:
    dated = sorted(c.date_start for c in clusters if c.date_start)
    return {
        "first": dated[0] if dated else None, "last": dated[-1] if dated else None,
        "undated": sum(1 for c in clusters if not c.date_start),
        "multi_source": sum(1 for c in clusters if c.num_sources > 1),
    }


def _hedging(ws: Workspace, a: str, b: str, rival: str | None, freq: Freq, scope: Scope
             ) -> tuple[HedgingIndex | None, dict[str, Any] | None]:
    rival = checked_codes(ws, rival)[0] if rival else main_rival(ws, b, a, scope)
    if not rival or rival in (a, b):
        return None, None
    index = get_hedging(ws, b, a, rival, freq, scope)
    charted = any(p.value is not None for p in index.points)
    chart = hedging_line(index.points, index.changes, (index.a, index.b)) if charted else None
    return index, chart


def build_context(ws: Workspace, a: str, b: str, freq: Freq = Freq.quarter,
                  rival: str | None = None, tables: DescriptionTables | None = None,
                  scope: Scope | None = None) -> BriefContext:
    """Read what the brief of A–B shows (B is the focal state of the hedging index), over
    the scope (default: the workspace's analysis window and filter)."""
    a, b = checked_codes(ws, a, b)
    tables = tables or load_description_tables()
    scope = scope or analysis_scope(ws)
    clusters = [c for c in dyad_clusters(ws, a, b) if scope.in_context(c)]
    inside, background = split_background(clusters, scope)
    index = get_dyad_index(ws, a, b, freq, scope=scope)
    hedging, hedging_chart = _hedging(ws, a, b, rival, freq, scope)
    doc_ids = sorted({d for c in clusters for d in c.doc_ids})
    with ws.connect(read_only=True) as con:
        docs = fetch_documents(con, doc_ids)
        quotes, figures = fetch_quotes(con, doc_ids), fetch_figures(con, doc_ids)
    def name(code: str) -> str:
        return tables.countries.get(code) or code

    heading, assessment = assess(clusters, index, hedging, name(a), name(b))
    return BriefContext(
        a=a, b=b, name_a=name(a), name_b=name(b),
        generated_at=datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC"),
        timeline=tuple(build_timeline(inside, tables)),
        background=tuple(build_timeline(background, tables)), scope=scope,
        counts=count_events(clusters, docs), charted=index.counts, heading=heading,
        series_chart=series_line(index.series, index.changes) if index.series else None,
        series_reading=f"{index.changes.reading} {index.verdict.reading}",
        hedging_chart=hedging_chart, hedging=hedging, assessment=assessment,
        type_counts=_type_counts(clusters, a, scope), quotes=_key_quotes(quotes, a, b),
        figures=tuple(figures[:MAX_FIGURES]), sources=source_lines(docs.values()),
        stats=_stats(clusters), **_places(inside, scope),
    )


def _inline_script(text: str, name: str) -> Markup:
    """JavaScript to inline in a <script> element: refused if it could end the element early."""
    lowered = text.lower()
    if "</script" in lowered or "<!--" in lowered:
        raise ValueError(f"{name} cannot be inlined: it holds '</script' or '<!--'")
    return Markup(text)


@functools.cache
def chart_scripts() -> tuple[Markup, Markup]:
    """(plotly.min.js of the installed `plotly` package, the dashboard's explorer.js that
    draws every chart specification on a page), to inline once per brief."""
    plotly = plotly_js_path().read_text(encoding="utf-8")
    draw = files("dyadwatch").joinpath("web/static/explorer.js").read_text(encoding="utf-8")
    return _inline_script(plotly, "plotly.min.js"), _inline_script(draw, "explorer.js")


def _places(clusters: list[Cluster], scope: Scope) -> dict[str, Any]:
    """The map's fields: the window's charted events that are located, by place."""
    admitted = [c for c in clusters if scope.admits(c)]
    places, unmapped = place_counts(m for c in admitted for m in c.mentions)
    located = sum(1 for c in admitted if any(m.location for m in c.mentions))
    return {"places": tuple(places), "unmapped": unmapped, "located_events": located}


def render_brief(context: BriefContext) -> str:
    """The brief as one HTML string (autoescaped; chart specifications as `tojson`)."""
    env = Environment(
        loader=PackageLoader("dyadwatch.report", "templates"),
        autoescape=select_autoescape(enabled_extensions=("html", "j2"), default=True),
        trim_blocks=True, lstrip_blocks=True,
    )
    template = env.get_template("brief.html.j2")
    plotly, draw = chart_scripts()
    return template.render(
        c=context, plotly_js=plotly, draw_js=draw,
        map_svg=Markup(places_svg(context.places, shaded=(context.a[:3], context.b[:3]),
                                  title=f"Where {context.name_a}–{context.name_b} events "
                                  "happened")),
        method={"min_periods": MIN_PERIODS, "min_events": MIN_EVENTS,
                "sustained": SUSTAINED_PERIODS, "scope": context.scope.describe(),
                "vocabulary": COUNT_VOCABULARY, "interval": f"{INTERVAL_LEVEL:.0%}",
                "min_evidence": MIN_EVIDENCE_EVENTS},
    )


def write_report(workspace: Workspace | Path | str, a: str, b: str, path: Path | str,
                 freq: Freq | str = Freq.quarter, rival: str | None = None,
                 since: str | None = None, until: str | None = None,
                 scope: Scope | None = None, context: str | None = None) -> Path:
    """Write the HTML brief of the dyad A–B to `path` and return the path.

    `workspace` is a Workspace or its folder; B is the focal state of the hedging index,
    between A and `rival` (default: B's most frequent other partner in the workspace).
    `since`/`until` replace the ends of the analysis window (or give a whole `scope`);
    `context` (a PLOVER context, e.g. "military") keeps only the events of that context.
    Unknown actor codes raise UnknownActorError, an unknown context ParameterError, before
    anything is written.
    """
    ws = workspace if isinstance(workspace, Workspace) else Workspace(workspace)
    scope = scope or analysis_scope(ws, since, until)
    if context is not None:
        scope = replace(scope, context=check_context(context))
    html = render_brief(build_context(ws, a, b, Freq(freq), rival, scope=scope))
    out = Path(path)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(html, encoding="utf-8")
    log.info("wrote the %s-%s brief to %s", a, b, out)
    return out
