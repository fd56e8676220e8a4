"""Peak memory of a whole ingest (parent + worker processes) on a corpus and on 10x the corpus.

Run by hand: `.venv/bin/python bench/memory.py [--corpus PATH] [--times 10] [--workers 2]`.
The 10x corpus is the JSONL corpus repeated with small edits (every copy gets its own ids and a
changed first sentence and numbers, so no text repeats and dedup cannot skip the copies),
written to a temporary file. Memory is sampled every 0.2 s as the sum of the resident set
sizes (RSS) of this process and all its children, and as the sum of their proportional set
sizes (PSS: a page shared by n processes counts 1/n in each, so pages that forked workers share
with the parent count once); the peaks are reported with the peak of the largest single
process. Never asserts on the numbers.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
import threading
import time
from dataclasses import asdict, dataclass
from pathlib import Path

import psutil

from dyadwatch.settings import Settings

REPO = Path(__file__).resolve().parent.parent
SHARED = Path(os.environ.get("DYADWATCH_SHARED", REPO.parent / "shared"))  # as the tests read it
DEFAULT_CORPUS = SHARED / "corpus" / "guardian-sdf" / "articles.jsonl"


@dataclass(frozen=True, slots=True)
class MemoryRun:
    """One ingest: its size, time, events and peak memory (MiB)."""

    documents: int
    seconds: float
    events: int
    peak_total_mb: float
    peak_single_mb: float
    peak_pss_mb: float
    samples: int


class PeakSampler:
    """Samples the RSS of this process tree in a thread; `peak_total`/`peak_single` in MiB."""

    def __init__(self, interval: float = 0.2, pss: bool = False) -> None:
        self.interval = interval
        self.pss = pss  # also sum PSS: reads /proc/PID/smaps_rollup, dearer than RSS
        self.peak_total = 0.0
        self.peak_single = 0.0
        self.peak_pss = 0.0
        self.samples = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def _sample(self) -> None:
        me = psutil.Process()
        sizes, shares = [], []
        for proc in [me, *me.children(recursive=True)]:
            try:
                info = proc.memory_full_info() if self.pss else proc.memory_info()
            except psutil.Error:  # a worker exited between listing and reading
                continue
            sizes.append(info.rss / 2**20)
            shares.append(getattr(info, "pss", 0.0) / 2**20)  # PSS: Linux, and when asked
        self.peak_total = max(self.peak_total, sum(sizes))
        self.peak_pss = max(self.peak_pss, sum(shares))
        self.peak_single = max(self.peak_single, max(sizes, default=0.0))
        self.samples += 1

    def _run(self) -> None:
        while not self._stop.is_set():
            self._sample()
            self._stop.wait(self.interval)

    def __enter__(self) -> PeakSampler:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join()


def measure_ingest(corpus: Path, workers: int, data_dir: Path, batch_size: int = 32) -> MemoryRun:
    """Ingest `corpus` into a fresh workspace with `workers` processes, sampling memory."""
    from dyadwatch.run import ingest_with_workers  # light main module (throughput.py)

    settings = Settings(data_dir=data_dir, batch_size=batch_size)
    started = time.perf_counter()
    with PeakSampler(pss=True) as sampler:
        summary = ingest_with_workers([corpus], settings, workers)
    return MemoryRun(summary.new, round(time.perf_counter() - started, 2), summary.events,
                     round(sampler.peak_total, 1), round(sampler.peak_single, 1),
                     round(sampler.peak_pss, 1), sampler.samples)


def _edited(text: str, copy: int) -> str:
    """The text with small edits: another opening sentence and shifted digits."""
    digits = str.maketrans("0123456789", "".join(str((d + copy) % 10) for d in range(10)))
    return f"Copy {copy} of this report, filed again. " + text.translate(digits)


def repeated_corpus(corpus: Path, times: int, out: Path) -> int:
    """Write `times` edited copies of the JSONL `corpus` to `out`; returns records written."""
    count = 0
    with corpus.open(encoding="utf-8") as src, out.open("w", encoding="utf-8") as dst:
        lines = [json.loads(line) for line in src if line.strip()]
        for copy in range(times):
            for rec in lines:
                rec = dict(rec, id=f"{rec.get('id', count)}-copy{copy}")
                rec["text"] = _edited(rec["text"], copy) if copy else rec["text"]
                dst.write(json.dumps(rec, ensure_ascii=False) + "\n")
                count += 1
    return count


def run(corpus: Path, times: int, workers: int) -> dict[str, object]:
    """Peak memory at 1x and at `times`x the corpus, and their ratio."""
    with tempfile.TemporaryDirectory(prefix="dyadwatch-mem-") as tmp:
        folder = Path(tmp)
        one = measure_ingest(corpus, workers, folder / "one")
        big_corpus = folder / f"corpus-x{times}.jsonl"
        repeated_corpus(corpus, times, big_corpus)
        big = measure_ingest(big_corpus, workers, folder / "big")
    return {
        "workers": workers, "times": times, "x1": asdict(one), f"x{times}": asdict(big),
        "peak_ratio": round(big.peak_total_mb / one.peak_total_mb, 3),
        "pss_ratio": round(big.peak_pss_mb / one.peak_pss_mb, 3),
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS)
    parser.add_argument("--times", type=int, default=10)
    parser.add_argument("--workers", type=int, default=2)
    args = parser.parse_args(argv)
    sys.stdout.write(json.dumps(run(args.corpus, args.times, args.workers), indent=2) + "\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
