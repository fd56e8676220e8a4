"""`run_demo(settings)`: ingest the bundled corpus into a fresh workspace, count the results,
group mentions into events, and write the United States–Cambodia timeline and brief.
"""

from __future__ import annotations

import shutil
from collections.abc import Callable
from dataclasses import dataclass, replace
from importlib import resources
from pathlib import Path

from dyadwatch.analysis.queries import get_timeline
from dyadwatch.analysis.timeline import TimelineEntry
from dyadwatch.coding.api import DocumentCoder
from dyadwatch.errors import WorkspaceError
from dyadwatch.ingest.prepare import IngestSummary
from dyadwatch.report import write_report
from dyadwatch.run import ingest_paths
from dyadwatch.settings import Settings
from dyadwatch.store import documents as store
from dyadwatch.store.workspace import DB_NAME, LOCK_NAME, Workspace

DEFAULT_DEMO_DIR = Path("dyadwatch-demo")
DEMO_DYAD = ("USA", "KHM")
DEMO_MARKER = "dyadwatch-demo.txt"
BRIEF_NAME = "brief-USA-KHM.html"
# everything a demo run writes into its folder: the next run may remove these, nothing else
DEMO_ENTRIES = frozenset((DEMO_MARKER, DB_NAME, f"{DB_NAME}.wal", LOCK_NAME, "parquet",
                          BRIEF_NAME))


@dataclass(frozen=True, slots=True)
class DemoResult:
    """What the demo found: the ingest counts and what the workspace holds afterwards."""

    data_dir: Path
    summary: IngestSummary
    documents: int
    events: int
    quotes: int
    figures: int
    errors: int
    timeline: tuple[TimelineEntry, ...] = ()
    brief: Path | None = None


def demo_corpus() -> Path:
    """The folder of the bundled demo articles (inside the installed package)."""
    return Path(str(resources.files("dyadwatch") / "examples" / "corpus"))


def wipe_workspace(path: Path) -> None:
    """Remove a previous demo workspace made by `run_demo` (it holds the `DEMO_MARKER` file
    and nothing but what the demo writes). Anything else, a user's workspace included, is
    refused with a WorkspaceError and left untouched."""
    if not path.exists():
        return
    if not path.is_dir():
        raise WorkspaceError(f"{path} exists and is not a folder; not using it for the demo")
    entries = sorted(entry.name for entry in path.iterdir())
    if not entries:
        return
    foreign = [name for name in entries if name not in DEMO_ENTRIES]
    if foreign or DEMO_MARKER not in entries:
        shown = ", ".join(foreign[:3]) + (", ..." if len(foreign) > 3 else "")
        what = (f"holds files the demo did not write ({shown})" if foreign
                else "is a workspace the demo did not make")
        raise WorkspaceError(f"{path} {what}; not wiping it (choose a new folder with --data)")
    for name in entries:
        target = path / name
        if target.is_dir() and not target.is_symlink():
            shutil.rmtree(target)
        else:
            target.unlink()


def _mark_as_demo(path: Path) -> None:
    path.mkdir(parents=True, exist_ok=True)
    (path / DEMO_MARKER).write_text(
        "This folder is a workspace made by `dyadwatch demo`; the next demo run replaces it.\n",
        encoding="utf-8")


def run_demo(
    settings: Settings,
    coder: DocumentCoder | None = None,
    progress: Callable[[IngestSummary], None] | None = None,
) -> DemoResult:
    """Wipe `settings.data_dir`, ingest the demo corpus into it, count what was stored; with a
    coder, also cluster the events and write the USA–KHM timeline and brief."""
    wipe_workspace(settings.data_dir)
    _mark_as_demo(settings.data_dir)
    summary = ingest_paths([demo_corpus()], settings, coder, progress, settle=True)
    workspace = Workspace(settings.data_dir, settings.lock_timeout_s)
    with workspace.connect(read_only=True) as con:
        documents, events, quotes, figures, errors = (
            store.count_rows(con, t)
            for t in ("documents", "events", "quotes", "figures", "errors")
        )
    result = DemoResult(settings.data_dir, summary, documents, events, quotes, figures, errors)
    if coder is None:
        return result
    timeline = tuple(get_timeline(workspace, *DEMO_DYAD))
    brief = write_report(workspace, *DEMO_DYAD, settings.data_dir / BRIEF_NAME)
    return replace(result, timeline=timeline, brief=brief.resolve())
