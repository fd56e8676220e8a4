"""A long fuzz run (issue 12): tests/test_fuzz.py with many examples, then its figures.

    .venv/bin/python bench/fuzz.py                  # 400 examples per test (~6-10 min)
    .venv/bin/python bench/fuzz.py --examples 2000

Runs `pytest -m fuzz tests/test_fuzz.py` with DYADWATCH_FUZZ_EXAMPLES raised and
DYADWATCH_FUZZ_REPORT pointing at a temporary file (one line per input tried), and prints JSON:
inputs tried per kind (the six readers, whole ingests, `code` calls), the slowest input's
seconds per kind, the run's wall time, and pytest's verdict (a crash or an input over the
30 s deadline fails the test, so `failed_tests` counts the kinds that crashed or hung).
"""

from __future__ import annotations

import argparse
import json
import os
import re
import subprocess
import sys
import tempfile
import time
from collections import defaultdict
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--examples", type=int, default=400, help="examples per fuzz test")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        report = Path(tmp) / "inputs.jsonl"
        env = dict(os.environ, DYADWATCH_FUZZ_EXAMPLES=str(args.examples),
                   DYADWATCH_FUZZ_REPORT=str(report))
        started = time.monotonic()
        done = subprocess.run(
            [sys.executable, "-m", "pytest", "-m", "fuzz", "tests/test_fuzz.py", "-q",
             "-p", "no:cacheprovider", "-o", "timeout=7200"],
            cwd=REPO, env=env, capture_output=True, text=True)
        wall = time.monotonic() - started
        lines = report.read_text(encoding="utf-8").splitlines() if report.exists() else []
    tried: dict[str, int] = defaultdict(int)
    slowest: dict[str, float] = defaultdict(float)
    for line in lines:
        entry = json.loads(line)
        tried[entry["kind"]] += 1
        slowest[entry["kind"]] = max(slowest[entry["kind"]], entry["seconds"])
    tail = done.stdout.strip().splitlines()[-1] if done.stdout.strip() else ""
    failed = re.search(r"(\d+) failed", tail)
    print(json.dumps({
        "examples_per_test": args.examples,
        "inputs_tried": sum(tried.values()),
        "tried": dict(sorted(tried.items())),
        "max_seconds_per_input": {k: round(v, 3) for k, v in sorted(slowest.items())},
        "max_seconds_any_input": round(max(slowest.values(), default=0.0), 3),
        "failed_tests": int(failed.group(1)) if failed else 0,
        "pytest_exit_code": done.returncode,
        "pytest_summary": tail,
        "wall_seconds": round(wall, 1),
    }, indent=2))
    if done.returncode:
        sys.stderr.write(done.stdout[-5000:])
    sys.exit(done.returncode)


if __name__ == "__main__":
    main()
