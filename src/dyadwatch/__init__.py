"""dyadwatch: news articles in, a sourced and coded event database and relations indices out."""

from dyadwatch.errors import (
    DictionaryError,
    DyadwatchError,
    FetchError,
    GoldFileError,
    InputFileError,
    ModelError,
    ParameterError,
    RuleFileError,
    UnknownActorError,
    WatchSourceError,
    WorkerCrashError,
    WorkspaceBusyError,
    WorkspaceDamagedError,
    WorkspaceError,
)
from dyadwatch.records import Actor, Document, Event, Figure, Quote

__version__ = "0.1.0"
CODER_VERSION = "dyadwatch-coder/0.7.0"

__all__ = [
    "CODER_VERSION",
    "Actor",
    "DictionaryError",
    "Document",
    "DyadwatchError",
    "Event",
    "FetchError",
    "Figure",
    "GoldFileError",
    "InputFileError",
    "ModelError",
    "ParameterError",
    "Quote",
    "RuleFileError",
    "UnknownActorError",
    "WatchSourceError",
    "WorkerCrashError",
    "WorkspaceBusyError",
    "WorkspaceDamagedError",
    "WorkspaceError",
    "__version__",
]
