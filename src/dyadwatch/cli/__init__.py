"""The `dyadwatch` command. Each `*_cmds` module registers its commands on the shared app."""

from __future__ import annotations

import importlib
import logging

from dyadwatch.cli.app import app

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
    """Run the CLI (errors become a one-line message and an exit code: see `cli.app`)."""
    app()


__all__ = ["app", "main"]
