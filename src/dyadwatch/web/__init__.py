"""The web dashboard and JSON REST API (FastAPI), served by `dyadwatch serve`."""

from dyadwatch.web.app import WebConfig, create_app
from dyadwatch.web.server import background_server, serve

__all__ = ["WebConfig", "background_server", "create_app", "serve"]
