"""One run, one straight line (issue #13): every batch enters ingest, code and write once, in
that order; settle comes once, after the last write; the executor is the one Settings name."""

from __future__ import annotations

import logging
import re
from collections import defaultdict
from pathlib import Path

import pytest

from dyadwatch.run import executor_for, run_ingest
from dyadwatch.run.executors import InProcess, WorkerProcesses
from dyadwatch.settings import Settings
from test_scale_support import NAME_CODER, NameCoder

STAGE = re.compile(r"^(?:batch (\d+): (ingest|code|write)|run: (settle))$")


def stages_of(records: list[logging.LogRecord]) -> list[tuple[int | None, str]]:
    seen: list[tuple[int | None, str]] = []
    for record in records:
        if record.name != "dyadwatch.run.pipeline":
            continue
        match = STAGE.match(record.getMessage())
        if match:
            index, stage, settle = match.groups()
            seen.append((int(index), stage) if index is not None else (None, settle))
    return seen


def check_line(seen: list[tuple[int | None, str]], batches: int) -> None:
    per_batch: dict[int | None, list[str]] = defaultdict(list)
    for index, stage in seen:
        per_batch[index].append(stage)
    assert per_batch.pop(None) == ["settle"]
    assert per_batch == {i: ["ingest", "code", "write"] for i in range(batches)}
    assert seen[-1] == (None, "settle")  # after every write
    writes = [index for index, stage in seen if stage == "write"]
    assert writes == sorted(writes)  # in input order


@pytest.mark.parametrize("workers", [0, 2])
def test_each_batch_enters_each_stage_once_in_order(
    seeds_dir: Path, guardian_path: Path, tmp_path: Path, workers: int,
    caplog: pytest.LogCaptureFixture,
) -> None:
    sample = tmp_path / "sample.jsonl"
    sample.write_text("\n".join(guardian_path.read_text(encoding="utf-8").splitlines()[:9])
                      + "\n", encoding="utf-8")
    settings = Settings(data_dir=tmp_path / "ws", batch_size=4, workers=workers)
    caplog.set_level(logging.DEBUG, logger="dyadwatch.run.pipeline")
    coder = NameCoder(settings) if workers == 0 else None
    summary = run_ingest([seeds_dir, sample], settings, coder=coder, coder_path=NAME_CODER)
    assert summary.new == 13 and summary.coded == 13 and summary.batches == 4
    check_line(stages_of(caplog.records), summary.batches)
    assert list((tmp_path / "ws" / "parquet" / "events").glob("month=*/*.parquet"))  # settled


def test_a_run_without_coding_skips_only_the_code_stage(
    seeds_dir: Path, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG, logger="dyadwatch.run.pipeline")
    summary = run_ingest([seeds_dir], Settings(data_dir=tmp_path / "ws", batch_size=3),
                         code=False)
    assert summary.new == 4 and summary.coded == 0
    assert stages_of(caplog.records) == [(0, "ingest"), (0, "write"), (1, "ingest"),
                                         (1, "write"), (None, "settle")]


def test_settings_choose_the_executor() -> None:
    assert isinstance(executor_for(Settings(workers=0)), InProcess)
    processes = executor_for(Settings(workers=3, worker_start="spawn"))
    assert processes == WorkerProcesses(3, "spawn")
    assert executor_for(Settings()) == WorkerProcesses(None, Settings().worker_start)
    from dyadwatch.run.dask import DaskCluster

    assert executor_for(Settings(workers=0, scheduler="tcp://127.0.0.1:1")) == DaskCluster(
        "tcp://127.0.0.1:1")
