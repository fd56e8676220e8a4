"""The JSON REST API under /api: documents, events, clusters, series, hedging, quotes, figures.

Every list is paginated (`limit`, `offset`) and answers `{"total", "limit", "offset", "items"}`.
Events are event records (`Event.to_record`). Bad parameters answer 422 with the reason.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Annotated, Any

import duckdb
from fastapi import APIRouter, Depends, HTTPException, Query, Request

from dyadwatch.contexts import check_context
from dyadwatch.contexts.stage import packaged_lexicon
from dyadwatch.params import ISO_DATE_PATTERN, check_date
from dyadwatch.records import MODALITIES
from dyadwatch.store import web as store
from dyadwatch.store.events import EventFilter, context_counts, document_contexts
from dyadwatch.web import analysis_bridge
from dyadwatch.web.dependencies import connection, not_found
from dyadwatch.web.views import MAX_OFFSET, check_hedging_countries, parse_actor_code, parse_dyad

router = APIRouter(prefix="/api", tags=["api"])
Con = Annotated[duckdb.DuckDBPyConnection, Depends(connection)]
Limit = Annotated[int, Query(ge=1, le=1000, description="Rows per page.")]
Offset = Annotated[int, Query(ge=0, le=MAX_OFFSET, description="Rows to skip.")]
Freq = Annotated[str, Query(pattern="^(month|quarter|year)$", description="Period length")]
DateParam = Annotated[
    str | None, Query(pattern=ISO_DATE_PATTERN, description="YYYY, YYYY-MM or YYYY-MM-DD")
]


def _page(total: int, limit: int, offset: int, items: list[Any]) -> dict[str, Any]:
    return {"total": total, "limit": limit, "offset": offset, "items": items}


def _bad(exc: ValueError) -> HTTPException:
    return HTTPException(status_code=422, detail=str(exc))


@dataclass(frozen=True, slots=True)
class EventKind:
    """Which kind of event: the filters `dyadwatch events` has beside actors and dates."""

    plover: str | None = None
    quad_class: int | None = None
    modality: str | None = None
    min_confidence: float | None = None


NO_KIND = EventKind()


def event_kind(
    plover: Annotated[str | None, Query(pattern=r"^[A-Za-z_]{1,30}$",
                                        description="PLOVER type: ASSAULT")] = None,
    quad_class: Annotated[int | None, Query(ge=1, le=4, description="QuadClass 1-4")] = None,
    modality: Annotated[str | None, Query(pattern=f"^({'|'.join(MODALITIES)})$",
                                          description="occurred, intended, ...")] = None,
    min_confidence: Annotated[float | None, Query(ge=0.0, le=1.0,
                                                  description="Lowest confidence")] = None,
) -> EventKind:
    return EventKind(plover, quad_class, modality, min_confidence)


def event_filter(
    actor: Annotated[str | None, Query(description="Actor code or prefix: USA, KHMGOV")] = None,
    dyad: Annotated[str | None, Query(description="Two actor codes: USA-KHM")] = None,
    since: DateParam = None,
    until: DateParam = None,
    root: Annotated[
        str | None, Query(pattern=r"^[0-9]{1,2}$", description="CAMEO root: 05")
    ] = None,
    doc_id: Annotated[str | None, Query(description="Only events of this document")] = None,
    context: Annotated[str | None, Query(
        max_length=40, description="PLOVER context: military, economic, ...")] = None,
    kind: Annotated[EventKind, Depends(event_kind)] = NO_KIND,
) -> EventFilter:
    """The event filter from query parameters (a FastAPI dependency)."""
    try:
        return EventFilter(
            actor=parse_actor_code(actor) if actor else None,
            dyad=parse_dyad(dyad) if dyad else None,
            since=check_date(since), until=check_date(until), root=root, doc_id=doc_id,
            context=check_context(context),
            plover=kind.plover, quad_class=kind.quad_class, modality=kind.modality,
            min_confidence=kind.min_confidence,
        )
    except ValueError as exc:
        raise _bad(exc) from exc


Filter = Annotated[EventFilter, Depends(event_filter)]


@router.get("/stats", summary="How much the workspace holds, and its top dyads")
def stats(con: Con) -> dict[str, Any]:
    counts = store.workspace_counts(con)
    dyads = [asdict(d) for d in store.top_dyads(con, 10)]
    return {"counts": asdict(counts), "top_dyads": dyads}


@router.get("/dyads", summary="Country pairs by number of events")
def dyads(
    con: Con, limit: Limit = 50,
    actor: Annotated[str | None, Query(description="Only dyads of this country")] = None,
) -> dict[str, Any]:
    try:
        code = parse_actor_code(actor) if actor else None
    except ValueError as exc:
        raise _bad(exc) from exc
    items = [asdict(d) for d in store.top_dyads(con, limit, code)]
    return _page(len(items), limit, 0, items)


@router.get("/documents", summary="Documents (without text), newest first")
def documents(
    con: Con, limit: Limit = 50, offset: Offset = 0,
    q: Annotated[str | None, Query(max_length=200, description="Text to search for")] = None,
) -> dict[str, Any]:
    rows = store.page_documents(con, store.Page(limit, offset), q)
    return _page(store.count_documents(con, q), limit, offset, rows)


@router.get("/documents/{doc_id}", summary="One document with its text and extraction counts")
def document(con: Con, doc_id: str) -> dict[str, Any]:
    doc = store.get_document(con, doc_id)
    if doc is None:
        raise not_found(f"document {doc_id}")
    doc["events"] = store.count_distinct_events(con, EventFilter(doc_id=doc_id))
    doc["mentions"] = store.count_mentions(con, EventFilter(doc_id=doc_id))
    doc["learned_actors"] = store.document_learned_actors(con, doc_id)
    doc["contexts"] = document_contexts(con, doc_id)
    return doc


@router.get("/contexts", summary="The PLOVER contexts events can have (for ?context=), with "
            "their definitions and how many events have each")
def contexts(con: Con) -> dict[str, Any]:
    counts = context_counts(con)
    items = [{"name": r.name, "definition": r.definition, "events": counts.get(r.name, 0)}
             for r in packaged_lexicon().contexts]
    return _page(len(items), len(items), 0, items)


@router.get("/events", summary="Event records, filtered, in date order")
def events(con: Con, flt: Filter, limit: Limit = 50, offset: Offset = 0) -> dict[str, Any]:
    found = store.page_events(con, flt, store.Page(limit, offset))
    items = [e.to_record() for e in found]
    return _page(store.count_mentions(con, flt), limit, offset, items)


@router.get("/events/{event_id}", summary="One event record")
def event(con: Con, event_id: str) -> dict[str, Any]:
    found = store.get_event(con, event_id)
    if found is None:
        raise not_found(f"event {event_id}")
    return {**found.to_record(), "sentence_index": found.sentence_index,
            "coder_version": found.coder_version, "pattern": found.pattern}


@router.get("/clusters", summary="Real-world events: mentions grouped by cluster")
def clusters(con: Con, flt: Filter, limit: Limit = 50, offset: Offset = 0) -> dict[str, Any]:
    found = analysis_bridge.clusters(con, flt)
    items = [analysis_bridge.cluster_to_dict(c) for c in found[offset : offset + limit]]
    return _page(len(found), limit, offset, items)


def _dyad_view(
    request: Request, con: duckdb.DuckDBPyConnection, dyad: str, freq: str,
    since: str | None, until: str | None,
) -> analysis_bridge.DyadView:
    try:
        pair = parse_dyad(dyad)
        check_date(since)
        check_date(until)
    except ValueError as exc:
        raise _bad(exc) from exc
    tables = request.app.state.tables
    return analysis_bridge.dyad_view(con, pair, tables, freq, since, until)


@router.get("/series", summary="A dyad's events per period (QuadClass counts, Goldstein) "
            "and the change points of its Goldstein sum")
def series(
    request: Request, con: Con,
    dyad: Annotated[str, Query(description="Two actor codes: USA-KHM")],
    freq: Freq = "month", since: DateParam = None, until: DateParam = None,
) -> dict[str, Any]:
    view = _dyad_view(request, con, dyad, freq, since, until)
    return analysis_bridge.series_to_dict(view)


@router.get("/timeline", summary="A dyad's events in date order, described, with sources")
def timeline(
    request: Request, con: Con,
    dyad: Annotated[str, Query(description="Two actor codes: USA-KHM")],
    since: DateParam = None, until: DateParam = None,
) -> dict[str, Any]:
    view = _dyad_view(request, con, dyad, "month", since, until)
    items = [entry.to_dict() for entry in view.timeline]
    return {"dyad": list(view.dyad), "items": items}


@router.get("/hedging", summary="Hedging index of a country between two powers (+1 leans "
            "to the first, −1 to the second), per period and overall")
def hedging(
    con: Con, actor: Annotated[str, Query(description="The hedging country: KHM")],
    powers: Annotated[str, Query(description="The two powers: USA-CHN")] = "USA-CHN",
    freq: Freq = "quarter",
) -> dict[str, Any]:
    try:
        code, pair = parse_actor_code(actor), parse_dyad(powers)
        check_hedging_countries(code, pair)
    except ValueError as exc:
        raise _bad(exc) from exc
    return asdict(analysis_bridge.hedging(con, code, pair, freq))


@router.get("/quotes", summary="Direct quotes and their speakers")
def quotes(
    con: Con, limit: Limit = 50, offset: Offset = 0, doc_id: str | None = None,
    speaker: Annotated[str | None, Query(description="Speaker code or prefix")] = None,
) -> dict[str, Any]:
    total, rows = store.page_quotes(con, store.Page(limit, offset), doc_id, speaker)
    return _page(total, limit, offset, rows)


@router.get("/figures", summary="Stated quantities and what they measure")
def figures(
    con: Con, limit: Limit = 50, offset: Offset = 0, doc_id: str | None = None,
    unit: str | None = None,
) -> dict[str, Any]:
    total, rows = store.page_figures(con, store.Page(limit, offset), doc_id, unit)
    return _page(total, limit, offset, rows)


@router.get("/search", summary="Documents and events containing a text")
def search(
    con: Con, q: Annotated[str, Query(min_length=1, max_length=200)],
    limit: Limit = 20, offset: Offset = 0,
) -> dict[str, Any]:
    page = store.Page(limit, offset)
    docs = store.page_documents(con, page, q)
    for doc in docs:
        doc["snippet"] = store.snippet(con, doc["doc_id"], q)
    found = [e.to_record() for e in store.search_events(con, q, page)]
    return {
        "q": q,
        "documents": _page(store.count_documents(con, q), limit, offset, docs),
        "events": _page(store.count_matching_events(con, q), limit, offset, found),
    }
