"""Checks of what a user types on the command line that need the workspace or the tables:
actor codes (with the code probably meant), CAMEO roots, and CAMEO labels for tables.

Every failure is a ParameterError (a DyadwatchError) whose message names the value and the fix;
the commands turn it into one line and exit code 2.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from dyadwatch.analysis.queries import checked_codes
from dyadwatch.errors import ParameterError
from dyadwatch.store.events import EventFilter
from dyadwatch.store.workspace import Workspace

CAMEO_ROOTS = tuple(f"{n:02d}" for n in range(1, 21))


def checked_root(root: str | None) -> str | None:
    """A CAMEO root as two digits ("8" -> "08"); ParameterError naming it when not 01-20."""
    if root is None:
        return None
    value = root.strip().zfill(2)
    if value not in CAMEO_ROOTS:
        raise ParameterError(f"--root {root!r}: not a CAMEO root (use two digits from 01 to 20, "
                         "e.g. --root 08)")
    return value


def checked_filter(ws: Workspace, actor: str | None = None,
                   dyad: tuple[str, str] | None = None, since: str | None = None,
                   until: str | None = None, root: str | None = None,
                   context: str | None = None) -> EventFilter:
    """An EventFilter whose actor codes and root were checked (dates are checked by
    `checked_dates` before, the context by `contexts.check_context`)."""
    if actor:
        actor = checked_codes(ws, actor)[0]
    if dyad:
        first, second = checked_codes(ws, *dyad)
        dyad = (first, second)
    return EventFilter(actor=actor, dyad=dyad, since=since, until=until,
                       root=checked_root(root), context=context)


@lru_cache(maxsize=1)
def _cameo_names() -> dict[str, str]:
    from dyadwatch.coding.ontology import load_ontology

    return {c.code: c.name for c in load_ontology()}


def event_label(cameo: str | None) -> str:
    """A CAMEO code with its name beside it: "057 sign formal agreement"."""
    if not cameo:
        return ""
    name = _cameo_names().get(cameo)
    return f"{cameo} {name}" if name else cameo


def checked_input_file(option: str, path: Path | None) -> Path | None:
    """`path` when it is a readable file; ParameterError naming the option, the path and the fix."""
    if path is None:
        return None
    if not path.is_file():
        why = "is a folder" if path.is_dir() else "no such file"
        raise ParameterError(f"{option} {path}: {why} (give the path of an existing file)")
    return path


def output_error(option: str, path: Path, exc: OSError) -> ParameterError:
    """A one-line error for an output file that cannot be written."""
    return ParameterError(f"{option} {path}: cannot write ({exc.strerror or exc}); choose a "
                          "writable folder")


__all__ = ["CAMEO_ROOTS", "checked_filter", "checked_input_file", "checked_root",
           "event_label", "output_error"]
