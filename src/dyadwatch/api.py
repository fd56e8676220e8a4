"""The Python API for notebooks: a workspace's events, clusters, series and indices as
DataFrames (pandas by default, polars when installed and asked for).

    >>> from dyadwatch import api
    >>> ws = api.open_workspace("dyadwatch-data")
    >>> ws.timeline("USA", "KHM")           # one row per real-world event, in date order
    >>> ws.series("USA", "KHM", freq="quarter")
    >>> ws.hedging("KHM", "USA", "CHN")     # +1 all with USA, -1 all with CHN
    >>> ws.events(dyad=("USA", "KHM"))      # the columns of `dyadwatch events -f csv`
    >>> ws.documents(), ws.quotes(), ws.figures()

`events()` has the columns of `dyadwatch events -f csv` and `dyadwatch export -f csv`, with
`date` and `date_end` as timestamps (the first and the last day of the event's period) beside
`date_precision` (day, month, year, range, document, unknown); codes stay strings. Series and
indices cover the analysis window (analysis.scope: the publication span ± a margin, or
`since`/`until`) and count occurred events above the default confidence unless asked.

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
    analysis_scope,
    dyad_clusters,
    get_dyad_index,
    get_hedging,
    get_timeline,
)
from dyadwatch.analysis.scope import Scope
from dyadwatch.analysis.series import Freq
from dyadwatch.contexts import check_context
from dyadwatch.errors import ParameterError, WorkspaceError
from dyadwatch.store import documents as document_store
from dyadwatch.store.analysis import EVENT_CSV_COLUMNS, event_rows
from dyadwatch.store.events import (
    EventFilter,
    date_end_of,
    date_start,
    document_contexts,
    fetch_dicts,
)
from dyadwatch.store.workspace import Workspace

Backend = Literal["pandas", "polars"]

__all__ = ["AnalysisWorkspace", "cluster_rows", "open_workspace"]


def _frame(rows: list[dict[str, Any]], backend: Backend) -> Any:
    return _frame_of(pd.DataFrame(rows), backend)


def _frame_of(frame: pd.DataFrame, backend: Backend) -> Any:
    if backend == "pandas":
        return frame
    if backend == "polars":
        try:
            polars = importlib.import_module("polars")
        except ModuleNotFoundError as exc:
            raise ImportError("backend='polars' needs the polars package installed") from exc
        return polars.from_pandas(frame)
    raise ParameterError(f"unknown backend {backend!r} (pandas or polars)")


def dated(frame: pd.DataFrame) -> pd.DataFrame:
    """`date` / `date_end` (ISO text of any precision) as timestamps: the first day of
    `date`'s period and the last day of `date_end`'s; `date_precision` says which were
    coarser than a day."""
    if "date" in frame:
        frame["date"] = pd.to_datetime(frame["date"].map(date_start, na_action="ignore"))
    if "date_end" in frame:
        frame["date_end"] = pd.to_datetime(frame["date_end"].map(date_end_of,
                                                                 na_action="ignore"))
    return frame


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

    def scope(self, since: str | None = None, until: str | None = None,
              modalities: tuple[str, ...] | None = None,
              min_confidence: float | None = None) -> Scope:
        """The analysis window and evidence filter (defaults: analysis.scope)."""
        return analysis_scope(self.workspace, since, until, modalities, min_confidence)

    def events(self, actor: str | None = None, dyad: tuple[str, str] | None = None,
               since: str | None = None, until: str | None = None,
               root: str | None = None, context: str | None = None) -> Any:
        """Event mentions with the columns of `dyadwatch events -f csv`, in date order;
        `date` and `date_end` are timestamps (see the module docstring); `context` keeps those
        with that PLOVER context (military, economic, ...; ParameterError if unknown)."""
        flt = EventFilter(actor=actor, dyad=dyad, since=since, until=until, root=root,
                          context=check_context(context))
        with self.workspace.connect(read_only=True) as con:
            rows = event_rows(con, flt)
        frame = dated(pd.DataFrame(rows, columns=EVENT_CSV_COLUMNS))
        return _frame_of(frame, self.backend)

    def documents(self, language: str | None = None) -> Any:
        """Documents with their metadata, outlet and every source they were read from."""
        with self.workspace.connect(read_only=True) as con:
            rows = document_store.query_documents(con, language=language)
        return _frame(rows, self.backend)

    def quotes(self) -> Any:
        """Direct quotes with their speakers, documents and sentences."""
        return self._table("quotes")

    def figures(self) -> Any:
        """Stated figures (value, unit, what about) with their documents and sentences."""
        return self._table("figures")

    def _table(self, table: str) -> Any:
        with self.workspace.connect(read_only=True) as con:
            rows = fetch_dicts(con, f"SELECT * FROM {table} ORDER BY doc_source, "
                                    "sentence_index")
        return _frame(rows, self.backend)

    def document_contexts(self, doc_id: str) -> list[str]:
        """A document's PLOVER contexts: the union of its events' contexts."""
        with self.workspace.connect(read_only=True) as con:
            return document_contexts(con, doc_id)

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

    def series(self, a: str, b: str, freq: str = "month", directed: bool = False,
               since: str | None = None, until: str | None = None) -> Any:
        """Counts per QuadClass, Goldstein sum and mean, sources, per period of the window."""
        index = get_dyad_index(self.workspace, a, b, Freq(freq), directed,
                               scope=self.scope(since, until))
        return _frame([asdict(p) for p in index.series], self.backend)

    def hedging(self, focal: str, a: str, b: str, freq: str = "quarter",
                since: str | None = None, until: str | None = None) -> Any:
        """H per period with its interval, evidence and both sides' inputs."""
        index = get_hedging(self.workspace, focal, a, b, Freq(freq),
                            self.scope(since, until))
        return _frame([_hedging_row(p) for p in index.points], self.backend)

    def change_points(self, a: str, b: str, freq: str = "month",
                      metric: str = "goldstein_sum", since: str | None = None,
                      until: str | None = None) -> Any:
        """Change points of a dyad series (one row each); `.attrs` in pandas holds the
        status, the reading and the verdict across month, quarter and year."""
        index = get_dyad_index(self.workspace, a, b, Freq(freq), False, metric,
                               self.scope(since, until))
        changes = index.changes
        frame = _frame([asdict(c) for c in changes.change_points], self.backend)
        if isinstance(frame, pd.DataFrame):
            frame.attrs.update(status=changes.status, reading=changes.reading,
                               verdict=index.verdict.verdict,
                               verdict_reading=index.verdict.reading)
        return frame


def _hedging_row(point: Any) -> dict[str, Any]:
    row: dict[str, Any] = {"focal": point.focal, "period": point.period,
                           "period_start": point.period_start, "value": point.value,
                           "low": point.low, "high": point.high, "evidence": point.evidence}
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
