"""The executors store the same thing: `dyadwatch ingest` of the seeds in this process
(`--workers 0`) and in 2 worker processes give byte-identical tables and Parquet (dumped by
scripts/compare_runs.py, without the run's clock and id)."""

from __future__ import annotations

import importlib.util
from pathlib import Path
from types import ModuleType

import pytest

SCRIPT = Path(__file__).resolve().parent.parent / "scripts" / "compare_runs.py"


def compare_runs() -> ModuleType:
    spec = importlib.util.spec_from_file_location("compare_runs", SCRIPT)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.mark.slow
def test_in_process_and_worker_processes_store_the_same_bytes(seeds_dir: Path) -> None:
    script = compare_runs()
    here = script.run_and_dump(seeds_dir, 0)
    workers = script.run_and_dump(seeds_dir, 2)
    assert script.differences(here, workers) == []
    assert here["summary.txt"] == workers["summary.txt"]
    assert here["events.jsonl"].count("\n") > 10  # the seeds gave events
    assert here["parquet-files.txt"] and here["parquet.jsonl"]


def test_a_difference_is_found_and_named() -> None:
    script = compare_runs()
    a = {"events.jsonl": "1\n2\n", "documents.jsonl": "x\n"}
    b = {"events.jsonl": "1\n3\n", "documents.jsonl": "x\n"}
    assert script.differences(a, b) == [
        "events.jsonl: 2 vs 2 lines, first difference at line 2"]
    assert script.differences(a, a) == []
