"""`dyadwatch serve`: the web dashboard and JSON API over a workspace."""

from __future__ import annotations

from typing import Annotated

import typer

from dyadwatch.cli.app import DataOption, app, console, settings_for
from dyadwatch.store.workspace import Workspace


@app.command()
def serve(
    data: DataOption = None,
    host: Annotated[str, typer.Option(help="Address to listen on (loopback by default).")] = (
        "127.0.0.1"
    ),
    port: Annotated[int, typer.Option(help="TCP port.")] = 8000,
    upload_token: Annotated[
        str | None,
        typer.Option(
            "--upload-token", envvar="DYADWATCH_UPLOAD_TOKEN", show_envvar=True,
            help="Enable POST /api/ingest for callers sending 'Authorization: Bearer TOKEN'.",
        ),
    ] = None,
) -> None:
    """Serve the dashboard and the JSON API (docs at /api/docs, schema at /openapi.json).

    Example: dyadwatch serve --data ./dyadwatch-data --port 8000
    """
    from dyadwatch.web import WebConfig
    from dyadwatch.web import serve as run_server

    settings = settings_for(data)
    if not Workspace(settings.data_dir).exists():
        console.print(f"[yellow]no workspace at {settings.data_dir} yet: pages will say so "
                      "until `dyadwatch ingest` creates it[/yellow]")
    if host not in ("127.0.0.1", "localhost", "::1"):
        console.print(f"[yellow]listening on {host}: the dashboard has no login[/yellow]")
    config = WebConfig(data_dir=settings.data_dir, upload_token=upload_token or None)
    console.print(f"dyadwatch on http://{host}:{port}/ (workspace {settings.data_dir}"
                  f"{', uploads enabled' if config.upload_token else ''})")
    run_server(config, host=host, port=port)


__all__ = ["serve"]
