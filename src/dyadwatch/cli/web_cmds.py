"""`dyadwatch serve`: the web dashboard and JSON API over a workspace."""

from __future__ import annotations

import stat
from pathlib import Path
from typing import Annotated

import typer
from rich.markup import escape

from dyadwatch.cli.app import DataOption, app, console, plain_text, settings_for
from dyadwatch.errors import ParameterError
from dyadwatch.store.workspace import Workspace

TOKEN_ENV = "DYADWATCH_UPLOAD_TOKEN"


def _warn(message: str) -> None:
    console.print(f"[yellow]warning:[/yellow] {escape(plain_text(message))}", soft_wrap=True)


def read_token_file(path: Path) -> str:
    """The upload token in `path` (its first line); ParameterError naming the file when
    unusable."""
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError) as exc:
        reason = getattr(exc, "strerror", None) or exc
        raise ParameterError(f"--upload-token-file {path}: {reason}") from None
    token = lines[0].strip() if lines else ""
    if not token:
        raise ParameterError(f"--upload-token-file {path}: the file is empty")
    if path.stat().st_mode & (stat.S_IRWXG | stat.S_IRWXO):
        _warn(f"{path} is readable by other users; `chmod 600 {path}` keeps the token yours")
    return token


def upload_token_from(ctx: typer.Context, given: str | None, token_file: Path | None) -> str | None:
    """The upload token from --upload-token-file, $DYADWATCH_UPLOAD_TOKEN or --upload-token
    (warned about: other local users can read a process's command line)."""
    if token_file is not None:
        if given:
            raise ParameterError(f"give the upload token once: --upload-token-file or "
                                 f"{TOKEN_ENV}/--upload-token, not both")
        return read_token_file(token_file)
    source = ctx.get_parameter_source("upload_token")  # typer's own (vendored) click enum
    if given and getattr(source, "name", None) == "COMMANDLINE":
        _warn(f"--upload-token on the command line can be read by every local user (ps, "
              f"/proc/PID/cmdline); set {TOKEN_ENV} or use --upload-token-file instead")
    return given or None


@app.command()
def serve(
    ctx: typer.Context,
    data: DataOption = None,
    host: Annotated[str, typer.Option(help="Address to listen on (loopback by default).")] = (
        "127.0.0.1"
    ),
    port: Annotated[int, typer.Option(help="TCP port.")] = 8000,
    upload_token: Annotated[
        str | None,
        typer.Option(
            "--upload-token", envvar=TOKEN_ENV, show_envvar=True,
            help="Enable POST /api/ingest for callers sending 'Authorization: Bearer TOKEN'. "
            "Prefer the environment variable or --upload-token-file: a command line is "
            "visible to other local users.",
        ),
    ] = None,
    upload_token_file: Annotated[
        Path | None,
        typer.Option("--upload-token-file", help="Read the upload token from this file."),
    ] = None,
    allow_host: Annotated[
        list[str] | None,
        typer.Option("--allow-host", help="Another Host name clients use to reach the server "
                     "(besides 127.0.0.1, localhost, [::1] and --host). Repeatable."),
    ] = None,
) -> None:
    """Serve the dashboard and the JSON API (docs at /api/docs, schema at /openapi.json).

    Example: DYADWATCH_UPLOAD_TOKEN=... dyadwatch serve --data ./dyadwatch-data --port 8000
    """
    from dyadwatch.web import WebConfig
    from dyadwatch.web import serve as run_server

    settings = settings_for(data)
    token = upload_token_from(ctx, upload_token, upload_token_file)
    if not Workspace(settings.data_dir).exists():
        _warn(f"no workspace at {settings.data_dir} yet: pages will say so until "
              "`dyadwatch ingest` creates it")
    if host not in ("127.0.0.1", "localhost", "::1"):
        _warn(f"listening on {host}: the dashboard has no login; it answers only to the Host "
              "names 127.0.0.1, localhost, [::1], the --host address and --allow-host names")
    config = WebConfig(data_dir=settings.data_dir, upload_token=token,
                       allowed_hosts=tuple(allow_host or ()))
    console.print(f"dyadwatch on http://{host}:{port}/ (workspace {settings.data_dir}"
                  f"{', uploads enabled' if config.upload_token else ''})", markup=False,
                  highlight=False, soft_wrap=True)
    run_server(config, host=host, port=port)


__all__ = ["serve"]
