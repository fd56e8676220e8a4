"""Benchmark the ingest stage on guardian-sdf: documents/s and peak memory, against a baseline.

Run by hand: `.venv/bin/python bench/ingest.py [--corpus PATH] [--code] [--repeat N] [--limit N]`.
Measures, in this order and in one process:
  baseline   read the JSONL file, parse each line and SHA-256 its text (the floor: I/O + JSON);
  read+clean the readers and the cleaning cascade, no language id, no database;
  ingest     the whole stage into a fresh temporary workspace (documents only; with --code the
             default coder too, when one is installed).
Writes bench/results/ingest.json and prints a summary. Never asserts on timings.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import platform
import resource
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import psutil

from dyadwatch.coding import load_coder
from dyadwatch.ingest.clean import clean_text
from dyadwatch.ingest.readers import ReadOptions, read_inputs
from dyadwatch.ingest.rules import load_ingest_rules
from dyadwatch.records import RawDocument
from dyadwatch.run import ingest_paths
from dyadwatch.settings import Settings

REPO = Path(__file__).resolve().parent.parent
DEFAULT_CORPUS = REPO.parent / "shared" / "corpus" / "guardian-sdf" / "articles.jsonl"


def peak_rss_mb() -> float:
    """Peak resident set size of this process so far (Linux reports ru_maxrss in KiB)."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def baseline(corpus: Path) -> tuple[int, int]:
    docs = chars = 0
    with corpus.open("rb") as stream:
        for line in stream:
            text = json.loads(line)["text"]
            hashlib.sha256(text.encode("utf-8")).hexdigest()
            docs += 1
            chars += len(text)
    return docs, chars


def read_and_clean(corpus: Path) -> int:
    rules = load_ingest_rules()
    count = 0
    for raw in read_inputs([corpus], ReadOptions()):
        if isinstance(raw, RawDocument):
            clean_text(raw.text, rules.cleaning, raw.title, raw.author)
            count += 1
    return count


def timed(label: str, fn: Any, *args: Any) -> dict[str, Any]:
    started = time.perf_counter()
    result = fn(*args)
    seconds = time.perf_counter() - started
    docs = result[0] if isinstance(result, tuple) else result
    return {"stage": label, "documents": docs, "seconds": round(seconds, 3),
            "docs_per_s": round(docs / seconds, 1) if seconds else None,
            "peak_rss_mb_after": round(peak_rss_mb(), 1)}


def full_ingest(corpus: Path, code: bool) -> int:
    with tempfile.TemporaryDirectory() as tmp:
        settings = Settings(data_dir=Path(tmp) / "ws")
        coder = load_coder(settings) if code else None
        summary = ingest_paths([corpus], settings, coder)
        return summary.new


def main(argv: list[str] | None = None) -> dict[str, Any]:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS)
    parser.add_argument("--code", action="store_true", help="run the default coder too")
    parser.add_argument("--repeat", type=int, default=1, help="ingest runs (best is kept)")
    parser.add_argument("--limit", type=int, help="only the first N records of the corpus")
    parser.add_argument("--out", type=Path, default=REPO / "bench" / "results" / "ingest.json")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as tmp:
        if args.limit:
            args.corpus = first_records(args.corpus, args.limit, Path(tmp))
        return run(args)


def first_records(corpus: Path, limit: int, folder: Path) -> Path:
    """A copy of the first `limit` lines of a JSONL corpus (for the slow --code runs)."""
    subset = folder / f"first-{limit}.jsonl"
    with corpus.open("rb") as src, subset.open("wb") as dst:
        for _, line in zip(range(limit), src, strict=False):
            dst.write(line)
    return subset


def run(args: argparse.Namespace) -> dict[str, Any]:
    start_rss = peak_rss_mb()
    stages = [timed("baseline read+hash", baseline, args.corpus),
              timed("read+clean", read_and_clean, args.corpus)]
    runs = [timed("ingest" + (" +coder" if args.code else ""), full_ingest, args.corpus,
                  args.code) for _ in range(max(1, args.repeat))]
    stages.append(min(runs, key=lambda r: r["seconds"]))
    result = {
        "corpus": str(args.corpus), "corpus_bytes": args.corpus.stat().st_size,
        "python": sys.version.split()[0], "machine": platform.machine(),
        "cpus": psutil.cpu_count(), "rss_at_start_mb": round(start_rss, 1),
        "peak_rss_mb": round(peak_rss_mb(), 1), "stages": stages,
        "ingest_vs_baseline": round(stages[0]["docs_per_s"] / stages[-1]["docs_per_s"], 1),
    }
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")
    for stage in stages:
        print(f"{stage['stage']:<22} {stage['documents']:>5} docs {stage['seconds']:>8.3f} s "
              f"{stage['docs_per_s']:>9} docs/s  peak RSS {stage['peak_rss_mb_after']} MB")
    print(f"ingest is {result['ingest_vs_baseline']}x slower than the read+hash baseline; "
          f"peak RSS {result['peak_rss_mb']} MB; written to {args.out}")
    return result


if __name__ == "__main__":
    main()
