"""The exception tree: every error dyadwatch raises on purpose is a DyadwatchError."""

from __future__ import annotations


class DyadwatchError(Exception):
    """Base of all dyadwatch errors."""


class InputFileError(DyadwatchError):
    """An input could not be read as a document. The message names the file and the reason."""

    def __init__(self, source: str, reason: str) -> None:
        super().__init__(f"{source}: {reason}")
        self.source = source
        self.reason = reason


class DictionaryError(DyadwatchError):
    """A dictionary or ontology data file is malformed (names the file and the entry)."""


class WorkspaceError(DyadwatchError):
    """The workspace cannot be opened, migrated or written."""


class WorkspaceDamagedError(WorkspaceError):
    """The database file failed its check (truncated, bad checksums): nothing is written."""


class WorkspaceBusyError(WorkspaceError):
    """Another process held the workspace for longer than we were willing to wait."""


class GoldFileError(DyadwatchError):
    """A gold file for `dyadwatch eval` is malformed."""


class ModelError(DyadwatchError):
    """A packaged or given model file is missing or malformed (names the file and the reason)."""


class UnknownActorError(DyadwatchError):
    """An actor code a user typed is neither in the dictionary nor in the workspace (the
    message names it and suggests the code it probably means)."""
