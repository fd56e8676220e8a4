"""The dashboard pages: home, explorer, dyad, event, actor(s), document(s), search, API docs.

Each handler reads the workspace through one read-only connection and renders a Jinja2
template with autoescape on; article text reaches the templates only as plain strings, and
chart specifications only as JSON (`tojson`). The explorer's filters are query parameters
(`web.filters`), so a filtered view is a link.
"""

from __future__ import annotations

from typing import Annotated, Any

import duckdb
from fastapi import APIRouter, Depends, HTTPException, Query, Request
from fastapi.responses import FileResponse, HTMLResponse, Response

from dyadwatch import figures
from dyadwatch.analysis.counts import COUNT_VOCABULARY
from dyadwatch.analysis.queries import dyad_counts_on
from dyadwatch.records import MODALITIES
from dyadwatch.store import web as store
from dyadwatch.store.events import EventFilter
from dyadwatch.web import actors, analysis_bridge, charts
from dyadwatch.web.dependencies import connection, not_found
from dyadwatch.web.explorer import cli_command, explorer_view
from dyadwatch.web.filters import Explorer, explorer_params
from dyadwatch.web.highlight import mark_document
from dyadwatch.web.views import MAX_OFFSET, QUAD_NAMES, Paged, parse_actor_code

router = APIRouter(include_in_schema=False)
Con = Annotated[duckdb.DuckDBPyConnection, Depends(connection)]
Offset = Annotated[int, Query(ge=0, le=MAX_OFFSET)]
Filters = Annotated[Explorer, Depends(explorer_params)]
SearchText = Annotated[str, Query(max_length=200)]
PAGE_SIZE = 50


def render(request: Request, template: str, status: int = 200, **context: Any) -> HTMLResponse:
    templates = request.app.state.templates
    context.setdefault("quad_names", QUAD_NAMES)
    context.setdefault("modalities", MODALITIES)
    context.setdefault("plotly_style_ids", charts.plotly_style_ids())
    return templates.TemplateResponse(request, template, context, status_code=status)


def _entries(request: Request) -> tuple[Any, ...]:
    """The actor dictionary's entries, read on first use and kept for the server's life."""
    state = request.app.state
    if getattr(state, "actor_entries", None) is None:
        state.actor_entries = actors.load_entries()
    return state.actor_entries  # type: ignore[no-any-return]


@router.get("/assets/plotly.min.js", include_in_schema=False)
def plotly_js() -> FileResponse:
    """plotly.js from the installed `plotly` package (no CDN)."""
    return FileResponse(figures.plotly_js_path(), media_type="text/javascript",
                        headers={"Cache-Control": "public, max-age=86400"})


@router.get("/assets/plotly.css", include_in_schema=False)
def plotly_css() -> Response:
    """plotly.js's style rules as a stylesheet (the CSP keeps it from injecting them)."""
    return Response(charts.plotly_css(), media_type="text/css",
                    headers={"Cache-Control": "public, max-age=86400"})


def _code(value: str) -> str:
    try:
        return parse_actor_code(value)
    except ValueError as exc:
        raise HTTPException(status_code=400, detail=str(exc)) from exc


@router.get("/", response_class=HTMLResponse)
def home(request: Request, con: Con) -> HTMLResponse:
    return render(
        request, "home.html", counts=store.workspace_counts(con),
        dyads=store.top_dyads(con, 15), documents=store.page_documents(con, store.Page(10, 0)),
    )


@router.get("/dyad/{a}/{b}", response_class=HTMLResponse)
def dyad(request: Request, con: Con, a: str, b: str, explorer: Filters) -> HTMLResponse:
    pair = (_code(a), _code(b))
    for code in pair:
        if not actors.known_code(con, _entries(request), code):
            return _unknown_actor(request, con, code)
    view = analysis_bridge.dyad_view(con, pair, request.app.state.tables, "month",
                                     explorer.since, explorer.until)
    found = explorer_view(con, explorer, dyad=pair)
    return render(
        request, "dyad.html", pair=pair, view=view, found=found, explorer=explorer,
        counts=dyad_counts_on(con, *pair), vocabulary=COUNT_VOCABULARY,
        base_path=f"/dyad/{pair[0]}/{pair[1]}", cli=cli_command(found.listed_filter
                                                                or found.event_filter),
        series=figures.series_line(view.series, view.changes) if view.series else None,
    )


@router.get("/explore", response_class=HTMLResponse)
def explore(
    request: Request, con: Con, explorer: Filters,
    actor: Annotated[str | None, Query(max_length=40)] = None,
) -> HTMLResponse:
    """Every event (or one actor's), filtered and bucketed, bars clickable."""
    code = _code(actor) if actor else None
    found = explorer_view(con, explorer, actor=code)
    return render(
        request, "explore.html", found=found, explorer=explorer, actor=code,
        base_path="/explore", cli=cli_command(found.listed_filter or found.event_filter),
    )


@router.get("/event/{event_id}", response_class=HTMLResponse)
def event(request: Request, con: Con, event_id: str) -> HTMLResponse:
    found = store.get_event(con, event_id)
    if found is None:
        raise not_found(f"event {event_id}")
    siblings = store.cluster_events(con, found.cluster_id) if found.cluster_id else []
    return render(
        request, "event.html", event=found, document=store.get_document(con, found.doc_id),
        siblings=[e for e in siblings if e.event_id != found.event_id],
    )


@router.get("/actor/{code}", response_class=HTMLResponse)
def actor(request: Request, con: Con, code: str, offset: Offset = 0) -> HTMLResponse:
    actor_code = code.strip().upper()
    try:
        actor_code = parse_actor_code(code)
        known = actors.known_code(con, _entries(request), actor_code)
    except ValueError:
        known = False
    if not known:
        return _unknown_actor(request, con, code)
    flt = EventFilter(actor=actor_code)
    paged = Paged(store.count_mentions(con, flt), PAGE_SIZE, offset)
    dyads = store.top_dyads(con, 50, actor_code)
    return render(
        request, "actor.html", code=actor_code, dyads=dyads,
        names=store.actor_names(con, actor_code), paged=paged,
        events=store.page_events(con, flt, store.Page(PAGE_SIZE, offset)),
        hedging=_hedging(con, actor_code, dyads),
    )


def _unknown_actor(request: Request, con: duckdb.DuckDBPyConnection, value: str) -> HTMLResponse:
    """404: no event and no dictionary entry has this code; actors named or spelled like it."""
    hits = actors.suggestions(con, _entries(request), value)
    return render(request, "actor_unknown.html", status=404, value=value, hits=hits)


@router.get("/actors", response_class=HTMLResponse)
def actor_search(request: Request, con: Con, q: SearchText = "") -> HTMLResponse:
    """Actors by name or alias (case- and accent-insensitive)."""
    q = q.strip()
    hits = actors.find_actors(con, _entries(request), q) if q else []
    return render(request, "actors.html", q=q, hits=hits)


def _hedging(
    con: duckdb.DuckDBPyConnection, code: str, dyads: list[store.DyadCount]
) -> dict[str, Any] | None:
    """The hedging chart of a country between its two most frequent partners, if it has two."""
    country = code[:3]
    partners = [d.b if d.a == country else d.a for d in dyads][:2]
    if len(code) != 3 or len(partners) < 2:
        return None
    view = analysis_bridge.hedging(con, country, (partners[0], partners[1]), "quarter")
    if not view.points:
        return None
    return figures.hedging_line(view.points, view.changes, (view.a, view.b))


@router.get("/document/{doc_id}", response_class=HTMLResponse)
def document(request: Request, con: Con, doc_id: str) -> HTMLResponse:
    doc = store.get_document(con, doc_id)
    if doc is None:
        raise not_found(f"document {doc_id}")
    found = store.page_events(con, EventFilter(doc_id=doc_id), store.Page(10_000, 0))
    _, quotes = store.page_quotes(con, store.Page(10_000, 0), doc_id)
    _, figures = store.page_figures(con, store.Page(10_000, 0), doc_id)
    return render(
        request, "document.html", doc=doc, events=found, quotes=quotes, figures=figures,
        marks=mark_document(doc["text"], found, quotes, figures),
        learned=store.document_learned_actors(con, doc_id),
    )


@router.get("/documents", response_class=HTMLResponse)
def documents(request: Request, con: Con, q: SearchText = "", offset: Offset = 0) -> HTMLResponse:
    q = q.strip()
    paged = Paged(store.count_documents(con, q or None), PAGE_SIZE, offset)
    rows = store.page_documents(con, store.Page(PAGE_SIZE, offset), q or None)
    return render(request, "documents.html", documents=rows, paged=paged, q=q)


@router.get("/search", response_class=HTMLResponse)
def search(request: Request, con: Con, q: SearchText = "", offset: Offset = 0) -> HTMLResponse:
    q = q.strip()
    if not q:
        return render(request, "search.html", q="", documents=[], events=[], doc_total=0,
                      event_total=0, paged=Paged(0, PAGE_SIZE, 0), hits=[])
    page = store.Page(PAGE_SIZE, offset)
    docs = store.page_documents(con, page, q)
    for doc in docs:
        doc["snippet"] = store.snippet(con, doc["doc_id"], q)
    doc_total, event_total = store.count_documents(con, q), store.count_matching_events(con, q)
    return render(
        request, "search.html", q=q, documents=docs, events=store.search_events(con, q, page),
        doc_total=doc_total, event_total=event_total,
        paged=Paged(max(doc_total, event_total), PAGE_SIZE, offset),
        hits=actors.find_actors(con, _entries(request), q, 12) if offset == 0 else [],
    )


@router.get("/api/docs", response_class=HTMLResponse)
def api_docs(request: Request) -> HTMLResponse:
    """The OpenAPI schema rendered as a page (Swagger UI would need a CDN)."""
    schema = request.app.openapi()
    return render(request, "api_docs.html", schema=schema, paths=schema.get("paths", {}))
