"""Where a worker ingest spends its time: each worker's tasks (wall start and end, CPU) and the
parent's CPU, for one run of `run.ingest_with_workers` on a corpus.

Run by hand: `.venv/bin/python bench/worker_timeline.py [--corpus PATH] [--workers 2]`.
Prints JSON: seconds before the first task starts (run start, coder, fork, first batch read),
after the last task ends (last write, settle), each worker's busy seconds, CPU and idle
seconds between its first and last task, how far apart the workers finished (the tail), the
sum of task CPU (compare 1 and 2 workers: what two processes side by side cost), and the
parent's CPU during the run. Tasks are timed by wrapping `code_stage.finish_and_code`
before the workers are forked (so it needs the fork start method). Never asserts on timings;
note the load average it prints: the machine is shared.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from dyadwatch.settings import Settings
from memory import DEFAULT_CORPUS


def timed_tasks(log: Path) -> None:
    """Wrap the coding of a task so every worker appends one JSON line per task to `log`."""
    from dyadwatch.run import code_stage

    original = code_stage.finish_and_code

    def finish_and_code(coder: Any, docs: Sequence[Any], index: int, finish: Any,
                        chunk: int | None = None) -> Any:
        wall, cpu = time.time(), time.process_time()
        result = original(coder, docs, index, finish, chunk)
        line = {"pid": os.getpid(), "batch": index, "start": wall, "end": time.time(),
                "cpu": time.process_time() - cpu, "docs": len(docs),
                "chars": sum(len(doc.text) for doc in docs)}
        with log.open("a", encoding="utf-8") as stream:
            stream.write(json.dumps(line) + "\n")
        return result

    code_stage.finish_and_code = finish_and_code


def summary(tasks: list[dict[str, Any]], started: float, ended: float) -> dict[str, Any]:
    first = min(t["start"] for t in tasks)
    last = max(t["end"] for t in tasks)
    workers: dict[int, dict[str, float]] = {}
    for t in tasks:
        w = workers.setdefault(t["pid"], {"tasks": 0, "busy": 0.0, "cpu": 0.0,
                                          "first": t["start"], "last": t["end"]})
        w["tasks"] += 1
        w["busy"] += t["end"] - t["start"]
        w["cpu"] += t["cpu"]
        w["first"], w["last"] = min(w["first"], t["start"]), max(w["last"], t["end"])
    ends = sorted(w["last"] for w in workers.values())
    return {
        "before_first_task_s": round(first - started, 2),
        "after_last_task_s": round(ended - last, 2),
        "tail_s": round(ends[-1] - ends[0], 2),
        "task_cpu_sum_s": round(sum(t["cpu"] for t in tasks), 2),
        "per_worker": [{"tasks": w["tasks"], "busy_s": round(w["busy"], 2),
                     "cpu_s": round(w["cpu"], 2),
                     "idle_between_tasks_s": round(w["last"] - w["first"] - w["busy"], 2)}
                    for w in workers.values()],
    }


def run(corpus: Path, workers: int) -> dict[str, Any]:
    from dyadwatch.run import ingest_with_workers

    load_before = [round(x, 2) for x in os.getloadavg()]
    with tempfile.TemporaryDirectory(prefix="dyadwatch-timeline-") as tmp:
        log = Path(tmp) / "tasks.jsonl"
        timed_tasks(log)
        settings = Settings(data_dir=Path(tmp) / "ws", workers=workers, worker_start="fork")
        started, cpu = time.time(), time.process_time()
        result = ingest_with_workers([corpus], settings, workers)
        ended = time.time()
        tasks = [json.loads(line) for line in log.read_text(encoding="utf-8").splitlines()]
    return {"corpus": str(corpus), "workers": workers, "documents": result.new,
            "events": result.events, "seconds": round(ended - started, 2),
            "parent_cpu_s": round(time.process_time() - cpu, 2), **summary(tasks, started, ended),
            "load_before": load_before, "load_after": [round(x, 2) for x in os.getloadavg()]}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS)
    parser.add_argument("--workers", type=int, default=2)
    args = parser.parse_args(argv)
    sys.stdout.write(json.dumps(run(args.corpus, max(1, args.workers)), indent=2) + "\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
