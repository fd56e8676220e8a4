"""The Python API for notebooks: a workspace's events, clusters, series and indices as
DataFrames (pandas by default, polars when installed and asked for).

    >>> from dyadwatch import api
    >>> ws = api.open_workspace("dyadwatch-data")
    >>> ws.timeline("USA", "KHM")           # one row per real-world event, in date order
    >>> ws.series("USA", "KHM", freq="quarter")
    >>> ws.hedging("KHM", "USA", "CHN")     # +1 all with USA, -1 all with CHN

Every method opens a short read-only connection, so a notebook can stay open while an
ingest writes to the same workspace.
"""

from __future__ import annotations

import importlib
from dataclasses import asdict
from pathlib import Path
from typing import Any, Literal

import pandas as pd

from dyadwatch.analysis.clusters import Cluster
from dyadwatch.analysis.queries import (
    actor_clusters,
    dyad_clusters,
    get_dyad_index,
    get_hedging,
    get_timeline,
)
from dyadwatch.analysis.series import Freq
from dyadwatch.errors import ParameterError, WorkspaceError
from dyadwatch.store.analysis import event_rows
from dyadwatch.store.events import EventFilter
from dyadwatch.store.workspace import Workspace

Backend = Literal["pandas", "polars"]

__all__ = ["AnalysisWorkspace", "cluster_rows", "open_workspace"]


def _frame(rows: list[dict[str, Any]], backend: Backend) -> Any:
    frame = pd.DataFrame(rows)
    if backend == "pandas":
        return frame
    if backend == "polars":
        try:
            polars = importlib.import_module("polars")
        except ModuleNotFoundError as exc:
            raise ImportError("backend='polars' needs the polars package installed") from exc
        return polars.from_pandas(frame)
    raise ParameterError(f"unknown backend {backend!r} (pandas or polars)")


def cluster_rows(clusters: list[Cluster]) -> list[dict[str, Any]]:
    """One flat dict per cluster (ids of its mentions and documents as lists)."""
    return [
        {
            "cluster_id": c.cluster_id, "date": c.date, "date_end": c.date_end,
            "date_precision": c.date_precision, "dyad": "-".join(c.dyad),
            "source_code": c.source.code, "target_code": c.target.code, "cameo": c.cameo,
            "root": c.root, "quad_class": c.quad_class, "goldstein": c.goldstein,
            "plover": c.plover, "modality": c.modality, "negated": c.negated,
            "num_mentions": c.num_mentions, "num_sources": c.num_sources,
            "event_ids": list(c.event_ids), "doc_ids": list(c.doc_ids),
        }
        for c in clusters
    ]


class AnalysisWorkspace:
    """A workspace seen from a notebook. Methods return DataFrames."""

    def __init__(self, workspace: Workspace, backend: Backend = "pandas") -> None:
        self.workspace = workspace
        self.backend = backend

    def events(self, actor: str | None = None, dyad: tuple[str, str] | None = None,
               since: str | None = None, until: str | None = None,
               root: str | None = None) -> Any:
        """Event mentions (every column of the events table), in date order."""
        flt = EventFilter(actor=actor, dyad=dyad, since=since, until=until, root=root)
        with self.workspace.connect(read_only=True) as con:
            return _frame(event_rows(con, flt), self.backend)

    def clusters(self, a: str | None = None, b: str | None = None) -> Any:
        """Clusters (real-world events): all, of actor `a`, or of the dyad a–b."""
        if a and b:
            found = dyad_clusters(self.workspace, a, b)
        else:
            found = actor_clusters(self.workspace, a)
        return _frame(cluster_rows(found), self.backend)

    def timeline(self, a: str, b: str, since: str | None = None,
                 until: str | None = None) -> Any:
        """The dyad's timeline; `sources` holds each mention's document and sentence."""
        entries = get_timeline(self.workspace, a, b, since, until)
        return _frame([e.to_dict() for e in entries], self.backend)

    def series(self, a: str, b: str, freq: str = "month", directed: bool = False) -> Any:
        """Counts per QuadClass, Goldstein sum and mean, sources, per period."""
        index = get_dyad_index(self.workspace, a, b, Freq(freq), directed)
        return _frame([asdict(p) for p in index.series], self.backend)

    def hedging(self, focal: str, a: str, b: str, freq: str = "quarter") -> Any:
        """H per period with both sides' inputs (net cooperation, counts, ids)."""
        index = get_hedging(self.workspace, focal, a, b, Freq(freq))
        return _frame([_hedging_row(p) for p in index.points], self.backend)

    def change_points(self, a: str, b: str, freq: str = "month",
                      metric: str = "goldstein_sum") -> Any:
        """Change points of a dyad series (one row each); `.attrs['reading']` in pandas."""
        changes = get_dyad_index(self.workspace, a, b, Freq(freq), False, metric).changes
        frame = _frame([asdict(c) for c in changes.change_points], self.backend)
        if isinstance(frame, pd.DataFrame):
            frame.attrs.update(status=changes.status, reading=changes.reading)
        return frame


def _hedging_row(point: Any) -> dict[str, Any]:
    row: dict[str, Any] = {"focal": point.focal, "period": point.period,
                           "period_start": point.period_start, "value": point.value}
    for key, side in (("a", point.side_a), ("b", point.side_b)):
        for name, value in asdict(side).items():
            row[f"{key}_{name}"] = list(value) if isinstance(value, tuple) else value
    return row


def open_workspace(path: Path | str, backend: Backend = "pandas") -> AnalysisWorkspace:
    """The workspace at `path` for reading; WorkspaceError when there is none."""
    workspace = Workspace(path)
    if not workspace.exists():
        raise WorkspaceError(f"no workspace at {path} (run `dyadwatch ingest` first)")
    return AnalysisWorkspace(workspace, backend)
