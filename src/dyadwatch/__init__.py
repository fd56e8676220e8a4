"""dyadwatch: news articles in, a sourced and coded event database and relations indices out."""

from __future__ import annotations

from dyadwatch.errors import DyadwatchError, InputFileError, WorkspaceError
from dyadwatch.records import Actor, Document, Event, Figure, Quote

__version__ = "0.1.0"
CODER_VERSION = "dyadwatch-coder/0.2.0"

__all__ = [
    "CODER_VERSION",
    "Actor",
    "Document",
    "DyadwatchError",
    "Event",
    "Figure",
    "InputFileError",
    "Quote",
    "WorkspaceError",
    "__version__",
]
