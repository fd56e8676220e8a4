"""Run every scale benchmark, write bench/results/scale.json and the summary in bench/README.md.

Run by hand: `.venv/bin/python bench/run_all.py [--events 10000000] [--quick]`.
Each benchmark runs in its own process (so one's memory cannot inflate another's peak):
throughput.py (bare spaCy, pipeline 1 and 2 workers, Dask 1 and 2 workers), memory.py (1x and
10x the corpus) and query_latency.py (10M synthetic events). `--quick` uses a 12-article slice,
3x for memory and 300k events, to check that the scripts work; its figures mean nothing.
The summary compares each figure with its target; nothing here asserts.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
RESULTS = HERE / "results"
README = HERE / "README.md"
START, END = "<!-- scale-results:start -->", "<!-- scale-results:end -->"


def _run(script: str, *args: str) -> dict[str, Any]:
    """Run one benchmark script with this interpreter; its stdout is one JSON document."""
    started = time.perf_counter()
    done = subprocess.run([sys.executable, str(HERE / script), *args], capture_output=True,
                          text=True, check=False, cwd=HERE.parent)
    if done.returncode != 0:
        return {"error": done.stderr[-2000:], "seconds": round(time.perf_counter() - started)}
    return json.loads(done.stdout)


def _check(value: float | None, target: str, ok: bool | None) -> str:
    shown = "n/a" if value is None else f"{value:g}"
    verdict = "–" if ok is None else ("met" if ok else "NOT met")
    return f"| {shown} | {target} | {verdict} |"


def _get(data: dict[str, Any], *path: str) -> Any:
    for key in path:
        if not isinstance(data, dict) or key not in data:
            return None
        data = data[key]
    return data


def summary(result: dict[str, Any]) -> str:
    """A Markdown table of the measured figures against their targets."""
    tp, mem, lat = result["throughput"], result["memory"], result["latency"]
    two = _get(tp, "ratios", "pipeline_2_over_1")
    bare = _get(tp, "ratios", "pipeline_2_over_bare_spacy")
    dask = _get(tp, "ratios", "dask_2_over_1")
    steady = _get(tp, "ratios", "pipeline_2_over_1_steady")
    larger = _get(tp, "larger", "pipeline_2_over_1")
    copies = _get(tp, "larger", "copies")
    one_bare = _get(tp, "ratios", "pipeline_1_steady_over_bare_spacy")
    pairs = len(_get(tp, "pairs") or [])
    spread = "–".join(f"{r:g}" for r in _get(tp, "ratios", "pipeline_2_over_1_range") or [])
    alone = _get(tp, "ratios", "pipeline_2_over_in_process")
    ratio = _get(mem, "peak_ratio")
    pss = _get(mem, "pss_ratio")
    page = _get(lat, "sorted", "USA-KHM", "timeline_page_plus_monthly_index_ms")
    big = _get(lat, "sorted", "USA-CHN", "timeline_page_plus_monthly_index_ms")
    rows = [
        "| measure | value | target | |", "|---|---|---|---|",
        f"| pipeline, 2 workers / 1 worker (median of {pairs} pairs: {spread}) " + _check(
            two, "≥ 1.8", None if two is None else two >= 1.8),
        f"| same, on {copies}x the corpus (edited copies) " + _check(
            larger, "(≥ 1.8)", None if larger is None else larger >= 1.8),
        "| same, steady state (worker start-up excluded) " + _check(
            steady, "≥ 1.8", None if steady is None else steady >= 1.8),
        "| pipeline, 2 workers / in one process (`--workers 0`, one core) " + _check(
            alone, "–", None),
        "| pipeline (2 workers) / bare spaCy full pass " + _check(bare, "≥ 1.5", None
                                                                  if bare is None
                                                                  else bare >= 1.5),
        "| pipeline (1 worker, steady state) / bare spaCy, one core each " + _check(
            one_bare, "≥ 1.5", None if one_bare is None else one_bare >= 1.5),
        "| Dask, 2 workers / 1 worker " + _check(dask, "(≈ 2)", None),
        f"| peak memory, {mem.get('times', 10)}x corpus / 1x " + _check(
            ratio, "< 1.2", None if ratio is None else ratio < 1.2),
        "| same, in PSS (pages shared by the forked workers counted once) " + _check(
            pss, "< 1.2", None if pss is None else pss < 1.2),
        "| USA–KHM timeline page + monthly index, ms (sorted) " + _check(
            page, "< 300", None if page is None else page < 300),
        "| USA–CHN timeline page + monthly index, ms (sorted) " + _check(
            big, "< 300", None if big is None else big < 300),
    ]
    when = result["finished"]
    load = f"{result['load_before']} → {result['load_after']}"
    return "\n".join([f"Run {when} on {result['machine']}; load average {load}.", "", *rows])


def update_readme(text: str) -> None:
    """Replace the summary between the markers in bench/README.md."""
    readme = README.read_text(encoding="utf-8") if README.exists() else ""
    if START in readme and END in readme:
        head, rest = readme.split(START, 1)
        tail = rest.split(END, 1)[1]
        README.write_text(f"{head}{START}\n{text}\n{END}{tail}", encoding="utf-8")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--events", type=int, default=10_000_000)
    parser.add_argument("--quick", action="store_true")
    parser.add_argument("--only", default="throughput,memory,latency",
                        help="Benchmarks to run; the others are kept from results/scale.json.")
    args = parser.parse_args(argv)
    only = set(args.only.split(","))
    kept = json.loads((RESULTS / "scale.json").read_text(encoding="utf-8")) if (
        only != {"throughput", "memory", "latency"} and (RESULTS / "scale.json").exists()) else {}
    result: dict[str, Any] = {"machine": f"{platform.node()} ({os.cpu_count()} cores)",
                              "load_before": [round(x, 2) for x in os.getloadavg()]}
    with tempfile.TemporaryDirectory(prefix="dyadwatch-bench-") as tmp:
        corpus_args: list[str] = []
        if args.quick:
            from throughput import DEFAULT_CORPUS

            small = Path(tmp) / "slice.jsonl"
            lines = DEFAULT_CORPUS.read_text(encoding="utf-8").splitlines()[:12]
            small.write_text("\n".join(lines) + "\n", encoding="utf-8")
            corpus_args = ["--corpus", str(small)]
        runs = {
            "throughput": lambda: _run("throughput.py", *corpus_args, "--copies",
                                       "2" if args.quick else "4", "--repeat",
                                       "1" if args.quick else "3"),
            "memory": lambda: _run("memory.py", *corpus_args, "--times",
                                   "3" if args.quick else "10"),
            "latency": lambda: _run("query_latency.py", "--events",
                                    "300000" if args.quick else str(args.events)),
        }
        for name, bench in runs.items():
            result[name] = bench() if name in only else kept.get(name, {})
    result["load_after"] = [round(x, 2) for x in os.getloadavg()]
    result["finished"] = datetime.now(UTC).isoformat(timespec="seconds")
    RESULTS.mkdir(exist_ok=True)
    name = "scale-quick.json" if args.quick else "scale.json"
    (RESULTS / name).write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")
    text = summary(result)
    if not args.quick:
        update_readme(text)
    sys.stdout.write(text + "\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
