"""`POST /api/ingest`: upload one file and ingest it (mounted only when a token is configured).

Reads a multipart upload (field `file`) from a caller holding the token
(`Authorization: Bearer TOKEN`), saves it under a temporary folder with a cleaned name and runs
`dyadwatch.ingest.pipeline.ingest_paths` on it in a child process: DuckDB refuses a writing
connection in a process that holds read-only ones, and the server keeps serving readers while
the child writes. Returns what the ingest reports, as JSON.
"""

from __future__ import annotations

import hmac
import logging
import multiprocessing
import re
import tempfile
import threading
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path
from typing import Any

from fastapi import APIRouter, HTTPException, Request
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import UploadFile

from dyadwatch.errors import DyadwatchError, WorkspaceBusyError
from dyadwatch.web.dependencies import WebConfig

log = logging.getLogger(__name__)

router = APIRouter(prefix="/api", tags=["api"])
CHUNK = 1 << 16
UPLOAD_BODY = {
    "requestBody": {
        "required": True,
        "content": {
            "multipart/form-data": {
                "schema": {
                    "type": "object",
                    "required": ["file"],
                    "properties": {"file": {"type": "string", "format": "binary"}},
                }
            }
        },
    }
}


def check_token(request: Request, expected: str) -> None:
    """401 unless the request carries `Authorization: Bearer <expected>`."""
    header = request.headers.get("authorization", "")
    scheme, _, given = header.partition(" ")
    # Headers arrive decoded as latin-1: back to their bytes, compared with the token's UTF-8
    # bytes (compare_digest refuses non-ASCII str, and a header may carry any byte).
    given_bytes = given.strip().encode("latin-1", errors="replace")
    if scheme.lower() != "bearer" or not hmac.compare_digest(
        given_bytes, expected.encode("utf-8")
    ):
        raise HTTPException(
            status_code=401, detail="a valid upload token is required",
            headers={"WWW-Authenticate": "Bearer"},
        )


def clean_name(filename: str | None) -> str:
    """A safe file name keeping the extension (which tells the reader the format)."""
    base = Path((filename or "").replace("\\", "/")).name
    base = re.sub(r"[^A-Za-z0-9._-]+", "_", base).strip("._") or "upload.txt"
    return base[:120]


async def save_upload(upload: UploadFile, folder: Path, limit: int) -> Path:
    """Write the upload into `folder`; 413 when it grows past `limit` bytes."""
    target = folder / clean_name(upload.filename)
    size = 0
    with target.open("wb") as out:
        while chunk := await upload.read(CHUNK):
            size += len(chunk)
            if size > limit:
                raise HTTPException(status_code=413, detail=f"upload larger than {limit} bytes")
            out.write(chunk)
    if size == 0:
        raise HTTPException(status_code=422, detail=f"{target.name}: the uploaded file is empty")
    return target


def run_ingest(path: str, data_dir: str) -> dict[str, Any]:
    """In the child process: ingest (and code, when a coder is installed) one file into the
    workspace, as `dyadwatch ingest` does; returns the run's counts."""
    from dyadwatch.coding import load_coder
    from dyadwatch.ingest.pipeline import ingest_paths
    from dyadwatch.settings import Settings

    settings = Settings.from_env(data_dir=Path(data_dir))
    summary = ingest_paths([Path(path)], settings, load_coder(settings))
    return summary.to_dict()


def ingest_in_child(path: Path, config: WebConfig) -> dict[str, Any]:
    """Run `run_ingest` in a fresh (spawned) process and wait for its summary."""
    context = multiprocessing.get_context("spawn")
    with ProcessPoolExecutor(max_workers=1, mp_context=context) as pool:
        return pool.submit(run_ingest, str(path), str(config.data_dir)).result()


async def _form_file(request: Request) -> UploadFile:
    form = await request.form(max_files=1, max_fields=4)
    upload = form.get("file")
    if not isinstance(upload, UploadFile):
        raise HTTPException(status_code=422, detail="send the document as multipart field 'file'")
    return upload


@router.post("/ingest", summary="Upload one file and ingest it (needs the upload token)",
             openapi_extra=UPLOAD_BODY)
async def ingest(request: Request) -> dict[str, Any]:
    config: WebConfig = request.app.state.config
    check_token(request, config.upload_token or "")
    length = request.headers.get("content-length")
    if length and length.isdigit() and int(length) > config.max_upload_bytes + 65536:
        raise HTTPException(status_code=413, detail="upload too large")
    upload = await _form_file(request)
    lock: threading.Lock = request.app.state.ingest_lock
    with tempfile.TemporaryDirectory(prefix="dyadwatch-upload-") as folder:
        path = await save_upload(upload, Path(folder), config.max_upload_bytes)
        def _run() -> dict[str, Any]:
            with lock:
                return ingest_in_child(path, config)

        log.info("ingesting upload %s", path.name)
        try:
            summary = await run_in_threadpool(_run)
        except WorkspaceBusyError as exc:
            raise HTTPException(status_code=503, detail=str(exc)) from exc
        except DyadwatchError as exc:
            raise HTTPException(status_code=422, detail=f"{path.name}: {exc}") from exc
    return {"file": path.name, "summary": summary}
