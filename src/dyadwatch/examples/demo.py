"""`run_demo(settings)`: ingest the bundled corpus into a fresh workspace, count the results,
group mentions into events, and write the United States–Cambodia timeline and brief.
"""

from __future__ import annotations

import shutil
from collections.abc import Callable
from dataclasses import dataclass, replace
from importlib import resources
from pathlib import Path

from dyadwatch.analysis import assign_clusters
from dyadwatch.analysis.queries import get_timeline
from dyadwatch.analysis.timeline import TimelineEntry
from dyadwatch.coding.api import DocumentCoder
from dyadwatch.errors import WorkspaceError
from dyadwatch.ingest.pipeline import IngestSummary, ingest_paths
from dyadwatch.report import write_report
from dyadwatch.settings import Settings
from dyadwatch.store import documents as store
from dyadwatch.store.workspace import DB_NAME, Workspace

DEFAULT_DEMO_DIR = Path("dyadwatch-demo")
DEMO_DYAD = ("USA", "KHM")


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
    """Remove a previous demo workspace; refuse a folder that is not an empty one or a workspace."""
    if not path.exists():
        return
    if not path.is_dir() or (any(path.iterdir()) and not (path / DB_NAME).exists()):
        raise WorkspaceError(f"{path} exists and is not a dyadwatch workspace; not wiping it")
    shutil.rmtree(path)


def run_demo(
    settings: Settings,
    coder: DocumentCoder | None = None,
    progress: Callable[[IngestSummary], None] | None = None,
) -> DemoResult:
    """Wipe `settings.data_dir`, ingest the demo corpus into it, count what was stored; with a
    coder, also cluster the events and write the USA–KHM timeline and brief."""
    wipe_workspace(settings.data_dir)
    summary = ingest_paths([demo_corpus()], settings, coder, progress)
    workspace = Workspace(settings.data_dir, settings.lock_timeout_s)
    with workspace.connect() as con:
        assign_clusters(con)
        documents, events, quotes, figures, errors = (
            store.count_rows(con, t)
            for t in ("documents", "events", "quotes", "figures", "errors")
        )
    result = DemoResult(settings.data_dir, summary, documents, events, quotes, figures, errors)
    if coder is None:
        return result
    timeline = tuple(get_timeline(workspace, *DEMO_DYAD))
    brief = write_report(workspace, *DEMO_DYAD, settings.data_dir / "brief-USA-KHM.html")
    return replace(result, timeline=timeline, brief=brief.resolve())
