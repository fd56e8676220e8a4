"""The FastAPI application: dashboard pages, the JSON API, static files and security headers.

`create_app(config)` reads nothing but `config`; every request opens the workspace read-only
for its own short moment (an ingest may be writing between requests) and closes it.
"""

from __future__ import annotations

import logging
import re
import threading
from pathlib import Path
from urllib.parse import urlsplit

import duckdb
import jinja2
from fastapi import FastAPI, Request
from fastapi.encoders import jsonable_encoder
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, Response
from fastapi.staticfiles import StaticFiles
from fastapi.templating import Jinja2Templates
from starlette.exceptions import HTTPException as StarletteHTTPException

from dyadwatch import __version__
from dyadwatch.analysis import load_description_tables
from dyadwatch.errors import WorkspaceError
from dyadwatch.web import api, pages, upload
from dyadwatch.web.dependencies import WebConfig
from dyadwatch.web.guards import HeadAsGet, HostGuard, served_names

log = logging.getLogger(__name__)

HERE = Path(__file__).resolve().parent
# Scripts and styles only from this server; no frames, plugins or foreign form targets.
CONTENT_SECURITY_POLICY = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "object-src 'none'; base-uri 'none'; frame-ancestors 'none'; form-action 'self'"
)
SECURITY_HEADERS = {
    "Content-Security-Policy": CONTENT_SECURITY_POLICY,
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
    "X-Frame-Options": "DENY",
}


# An absolute POSIX path of two parts or more; group 1 is its last part.
_ABSOLUTE_PATH = re.compile(r"(?<![\w.~])/(?:[^\s\"'/]+/)+([^\s\"'/]+)")
# How DuckDB words a damaged file (its IOException covers a truncated one).
_DAMAGE_MARKERS = ("Corrupt database file", "checksum", "not a valid DuckDB database")


def safe_url(value: object) -> str:
    """An http(s) URL as given, anything else (javascript:, data:) as an empty string."""
    text = str(value or "").strip()
    return text if urlsplit(text).scheme.lower() in ("http", "https") else ""


def page_href(request: Request, offset: int) -> str:
    """A link to this page at another offset, relative to the server: never built from the
    request's Host header."""
    url = request.url.include_query_params(offset=offset)
    return f"{url.path}?{url.query}"


def make_templates() -> Jinja2Templates:
    """Templates with autoescape on for every file: article text is untrusted."""
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(HERE / "templates"),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters["safe_url"] = safe_url
    env.globals["page_href"] = page_href
    return Jinja2Templates(env=env)


def _wants_json(request: Request) -> bool:
    return request.url.path.startswith("/api/") or request.url.path == "/openapi.json"


def _error(request: Request, status: int, message: str) -> Response:
    if _wants_json(request):
        return JSONResponse({"detail": message}, status_code=status)
    templates: Jinja2Templates = request.app.state.templates
    return templates.TemplateResponse(
        request, "error.html", {"status": status, "message": message}, status_code=status
    )


def public_message(message: str, data_dir: Path) -> str:
    """`message` without the server's file system layout: the workspace folder by its name,
    any other absolute path by its last part."""
    for folder in {str(data_dir.resolve()), str(data_dir.absolute()), str(data_dir)}:
        message = message.replace(folder, data_dir.name or "workspace")
    return _ABSOLUTE_PATH.sub(lambda m: m.group(1), message)


def _unreadable_database(exc: duckdb.Error) -> bool:
    """A query failed because the database file is damaged, not because of the query."""
    text = str(exc)
    return isinstance(exc, duckdb.IOException | duckdb.InternalException) or any(
        marker in text for marker in _DAMAGE_MARKERS
    )


def _install_handlers(app: FastAPI) -> None:
    @app.exception_handler(WorkspaceError)
    async def workspace_error(request: Request, exc: WorkspaceError) -> Response:
        log.warning("workspace unavailable for %s: %s", request.url.path, exc)
        config: WebConfig = request.app.state.config
        return _error(request, 503, public_message(str(exc), config.data_dir))

    @app.exception_handler(duckdb.Error)
    async def database_error(request: Request, exc: duckdb.Error) -> Response:
        if not _unreadable_database(exc):
            return await unexpected(request, exc)
        log.error("workspace database unreadable on %s: %s", request.url.path, exc)
        config: WebConfig = request.app.state.config
        reason = public_message(str(exc).splitlines()[0], config.data_dir)
        return _error(request, 503, f"the workspace {config.data_dir.name!r} has a damaged or "
                      f"unreadable database ({reason}); restore it or ingest again")

    @app.exception_handler(RequestValidationError)
    async def bad_parameters(request: Request, exc: RequestValidationError) -> Response:
        if _wants_json(request):  # the API keeps FastAPI's detail list
            return JSONResponse({"detail": jsonable_encoder(exc.errors())}, status_code=422)
        reasons = "; ".join(f"{'.'.join(str(p) for p in e['loc'][1:])}: {e['msg']}"
                            for e in exc.errors())
        return _error(request, 422, f"bad query parameter ({reasons})")

    @app.exception_handler(StarletteHTTPException)
    async def http_error(request: Request, exc: StarletteHTTPException) -> Response:
        if exc.status_code == 405 and not _wants_json(request):
            return _error(request, 405, "method not allowed")
        if _wants_json(request):
            return JSONResponse(
                {"detail": exc.detail}, status_code=exc.status_code, headers=exc.headers
            )
        return _error(request, exc.status_code, str(exc.detail))

    @app.exception_handler(Exception)
    async def unexpected(request: Request, exc: Exception) -> Response:
        log.exception("unexpected error on %s", request.url.path)
        return _error(request, 500, f"internal error ({type(exc).__name__}); see the server log")

    @app.middleware("http")
    async def security_headers(request: Request, call_next):  # type: ignore[no-untyped-def]
        response = await call_next(request)
        for name, value in SECURITY_HEADERS.items():
            response.headers.setdefault(name, value)
        return response


def create_app(config: WebConfig) -> FastAPI:
    """The dashboard and REST API over the workspace in `config.data_dir`.

    Requests whose Host is not a loopback name or one of `config.allowed_hosts` get 400 (no
    DNS rebinding); HEAD is answered wherever GET is. `/docs` (Swagger UI from a CDN) is off;
    `/api/docs` renders the OpenAPI schema locally and `/openapi.json` serves it.
    `POST /api/ingest` exists only when `config.upload_token` is set.
    """
    app = FastAPI(
        title="dyadwatch",
        version=__version__,
        description="Sourced, coded event data (CAMEO, Goldstein, QuadClass, PLOVER) read "
        "from news articles. Every event links to its sentence and document.",
        docs_url=None,
        redoc_url=None,
    )
    app.state.config = config
    app.state.templates = make_templates()
    app.state.ingest_lock = threading.Lock()
    app.state.tables = load_description_tables()
    app.mount("/static", StaticFiles(directory=HERE / "static"), name="static")
    app.include_router(api.router)
    if config.upload_token:
        app.include_router(upload.router)
    app.include_router(pages.router)
    _install_handlers(app)
    app.add_middleware(HeadAsGet)
    app.add_middleware(HostGuard, allowed=served_names(config.allowed_hosts))
    return app


__all__ = ["WebConfig", "create_app"]
