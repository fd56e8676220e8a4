"""The `dyadwatch` command. Each `*_cmds` module registers its commands on the shared app."""

from __future__ import annotations

import importlib
import logging

from dyadwatch.cli.app import app, console
from dyadwatch.errors import DyadwatchError

log = logging.getLogger(__name__)

_COMMAND_MODULES = (
    "ingest_cmds",
    "coding_cmds",
    "analysis_cmds",
    "web_cmds",
    "scale_cmds",
    "watch_cmds",
)

for _name in _COMMAND_MODULES:
    importlib.import_module(f"dyadwatch.cli.{_name}")


def main() -> None:
    """Run the CLI; a DyadwatchError is a clear message and exit code 2, not a traceback."""
    try:
        app()
    except DyadwatchError as exc:
        console.print(f"error: {exc}", markup=False, highlight=False, soft_wrap=True)
        raise SystemExit(2) from None


__all__ = ["app", "main"]
