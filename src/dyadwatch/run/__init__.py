"""Run: one ingest run owned in one place (`pipeline.run_ingest`), its stages composed
top-down (ingest, code, write, settle) and the per-batch coding handed to an executor
(`executors`: in this process, worker processes; `dask`: a Dask cluster).

The CLI, the upload endpoint, the demo and the benchmarks start their runs here.
"""

from dyadwatch.run.pipeline import (
    executor_for,
    ingest_on_cluster,
    ingest_paths,
    ingest_with_workers,
    run_ingest,
)

__all__ = [
    "executor_for",
    "ingest_on_cluster",
    "ingest_paths",
    "ingest_with_workers",
    "run_ingest",
]
