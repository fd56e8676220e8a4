"""dyadwatch: news articles in, a sourced and coded event database and relations indices out."""

from dyadwatch.errors import (
    DictionaryError,
    DyadwatchError,
    GoldFileError,
    InputFileError,
    ModelError,
    ParameterError,
    WorkerCrashError,
    WorkspaceBusyError,
    WorkspaceDamagedError,
    WorkspaceError,
)
from dyadwatch.records import Actor, Document, Event, Figure, Quote

__version__ = "0.1.0"
CODER_VERSION = "dyadwatch-coder/0.2.0"

__all__ = [
    "CODER_VERSION",
    "Actor",
    "DictionaryError",
    "Document",
    "DyadwatchError",
    "Event",
    "Figure",
    "GoldFileError",
    "InputFileError",
    "ModelError",
    "ParameterError",
    "Quote",
    "WorkerCrashError",
    "WorkspaceBusyError",
    "WorkspaceDamagedError",
    "WorkspaceError",
    "__version__",
]
