"""The exception tree: every error dyadwatch raises on purpose is a DyadwatchError.

    DyadwatchError                 base of every error below (raised itself when none fits)
    ├── ParameterError             a value a person gave (option, argument, query parameter)
    │   │                          is not acceptable; also a ValueError
    │   └── UnknownActorError      an actor code neither the dictionary nor the workspace knows
    ├── InputFileError             an input could not be read as a document
    ├── DictionaryError            a dictionary, ontology or other packaged data file is malformed
    ├── ModelError                 a model file is missing or malformed
    ├── GoldFileError              a gold file for `dyadwatch eval` is malformed
    ├── RuleFileError              an alert rule file for `dyadwatch watch` is malformed
    ├── WatchSourceError           a source given to `dyadwatch watch` is no folder, URL or list
    ├── FetchError                 a URL could not be fetched (after the retries)
    ├── WorkerCrashError           a coding worker process died
    └── WorkspaceError             the workspace cannot be opened, migrated or written
        ├── WorkspaceDamagedError  the database file failed its check
        └── WorkspaceBusyError     another process held the workspace too long

Every message names the file or value and the reason, in one line. The CLI turns each class
into that line and an exit code in one place (`dyadwatch.cli.app.ReportingGroup`); a test
(tests/test_exported_members.py) keeps this drawing, the package root's exports and the
classes defined anywhere in dyadwatch in step.
"""


class DyadwatchError(Exception):
    """Base of all dyadwatch errors."""


class ParameterError(DyadwatchError, ValueError):
    """A value given by a person (a command-line option, an API argument, a query parameter)
    is not acceptable. The message names the value and the reason."""


class UnknownActorError(ParameterError):
    """An actor code a user typed is neither in the dictionary nor in the workspace (the
    message names it and suggests the code it probably means)."""


class InputFileError(DyadwatchError):
    """An input could not be read as a document. The message names the file and the reason."""

    def __init__(self, source: str, reason: str) -> None:
        super().__init__(f"{source}: {reason}")
        self.source = source
        self.reason = reason


class DictionaryError(DyadwatchError):
    """A dictionary or ontology data file is malformed (names the file and the entry)."""


class ModelError(DyadwatchError):
    """A packaged or given model file is missing or malformed (names the file and the reason)."""


class GoldFileError(DyadwatchError):
    """A gold file for `dyadwatch eval` is malformed."""


class RuleFileError(DyadwatchError):
    """An alert rule file is malformed (names the file, the rule and the field)."""


class WatchSourceError(DyadwatchError):
    """A source given to `dyadwatch watch` is not a folder, a URL or a file of URLs."""


class FetchError(DyadwatchError):
    """A URL could not be fetched (after the retries); the message names it and says why."""


class WorkerCrashError(DyadwatchError):
    """A worker process died (killed, out of memory); batches already written are kept."""


class WorkspaceError(DyadwatchError):
    """The workspace cannot be opened, migrated or written."""


class WorkspaceDamagedError(WorkspaceError):
    """The database file failed its check (truncated, bad checksums): nothing is written."""


class WorkspaceBusyError(WorkspaceError):
    """Another process held the workspace for longer than we were willing to wait."""


__all__ = [
    "DictionaryError",
    "DyadwatchError",
    "FetchError",
    "GoldFileError",
    "InputFileError",
    "ModelError",
    "ParameterError",
    "RuleFileError",
    "UnknownActorError",
    "WatchSourceError",
    "WorkerCrashError",
    "WorkspaceBusyError",
    "WorkspaceDamagedError",
    "WorkspaceError",
]
