"""Ingest a corpus with the `dyadwatch` command, dump what the run stored, compare dumps.

Used to show that a change keeps a run's output byte for byte (issue #13), and by
tests/test_run_executors.py to compare the executors.

    .venv/bin/python scripts/compare_runs.py dump CORPUS OUT [--workers N]
    .venv/bin/python scripts/compare_runs.py diff DUMP_A DUMP_B
    .venv/bin/python scripts/compare_runs.py all OUT   # seeds + guardian-sdf, 0 and 2 workers

A dump is a folder with one file per table (one JSON line per row, keys sorted, rows sorted)
and `parquet.jsonl`: the rows of every Parquet file under the workspace's parquet/ folder,
by path relative to it, plus `parquet-files.txt`: each file's path and SHA-256.
Left out, because they are the run's clock or identity and differ between any two runs:
`documents.ingested_at`, `document_sources.ingested_at`, `errors.time`, and the whole
`ingest_runs` table (run id, start and end times, seconds).
"""

from __future__ import annotations

import argparse
import base64
import hashlib
import json
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

import duckdb
import pyarrow.parquet as pq

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared"
CORPORA = {"seeds": SHARED / "corpus" / "seeds", "guardian-sdf": SHARED / "corpus" / "guardian-sdf"}
TABLES = ("documents", "document_sources", "doc_minhash", "doc_bands", "near_duplicates",
          "errors", "events", "quotes", "figures", "learned_actors")
RUN_TIME = {"documents": ("ingested_at",), "document_sources": ("ingested_at",),
            "errors": ("time",)}


def _plain(value: Any) -> Any:
    if isinstance(value, bytes | bytearray):
        return base64.b64encode(bytes(value)).decode("ascii")
    if isinstance(value, str | int | float | bool) or value is None:
        return value
    if isinstance(value, list | tuple):
        return [_plain(v) for v in value]
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    return str(value)


def _lines(columns: list[str], rows: list[tuple[Any, ...]], drop: tuple[str, ...] = ()) -> str:
    out = sorted(json.dumps({c: _plain(v) for c, v in zip(columns, row, strict=True)
                             if c not in drop}, sort_keys=True, ensure_ascii=False)
                 for row in rows)
    return "".join(line + "\n" for line in out)


def dump_workspace(data_dir: Path) -> dict[str, str]:
    """{file name: text} of what a workspace holds, without the run-time fields."""
    files: dict[str, str] = {}
    con = duckdb.connect(str(data_dir / "dyadwatch.duckdb"), read_only=True)
    try:
        for table in TABLES:
            cursor = con.execute(f"SELECT * FROM {table}")
            columns = [d[0] for d in cursor.description]
            files[f"{table}.jsonl"] = _lines(columns, cursor.fetchall(), RUN_TIME.get(table, ()))
    finally:
        con.close()
    parquet_rows: list[str] = []
    hashes: list[str] = []
    base = data_dir / "parquet"
    for path in sorted(base.rglob("*.parquet")):
        name = path.relative_to(base).as_posix()
        hashes.append(f"{name} {hashlib.sha256(path.read_bytes()).hexdigest()}\n")
        table = pq.read_table(path)
        rows = [tuple(r.values()) for r in table.to_pylist()]
        parquet_rows.append(_lines(["file", *table.column_names],
                                   [(name, *row) for row in rows]))
    files["parquet.jsonl"] = "".join(parquet_rows)
    files["parquet-files.txt"] = "".join(hashes)
    return files


def ingest(corpus: Path, data_dir: Path, workers: int) -> dict[str, Any]:
    """`dyadwatch ingest CORPUS --data DATA --workers N --format json`, its summary."""
    command = [str(Path(sys.executable).parent / "dyadwatch"), "ingest", str(corpus),
               "--data", str(data_dir), "--workers", str(workers), "--format", "json",
               "--quiet"]
    done = subprocess.run(command, capture_output=True, text=True, check=False)
    if done.returncode not in (0, 1):  # 1: some inputs failed, the rest were stored
        raise RuntimeError(f"{' '.join(command)} exited {done.returncode}: {done.stderr[-2000:]}")
    return json.loads(done.stdout.strip().splitlines()[-1])  # type: ignore[no-any-return]


def write_dump(files: dict[str, str], out: Path) -> None:
    out.mkdir(parents=True, exist_ok=True)
    for name, text in files.items():
        (out / name).write_text(text, encoding="utf-8")


def read_dump(folder: Path) -> dict[str, str]:
    return {p.name: p.read_text(encoding="utf-8") for p in sorted(folder.iterdir())
            if p.suffix in (".jsonl", ".txt")}


def differences(a: dict[str, str], b: dict[str, str]) -> list[str]:
    """One line per file that differs (with its first differing line), empty when equal."""
    diffs: list[str] = []
    for name in sorted(set(a) | set(b)):
        left, right = a.get(name), b.get(name)
        if left == right:
            continue
        if left is None or right is None:
            diffs.append(f"{name}: only in {'second' if left is None else 'first'}")
            continue
        la, lb = left.splitlines(), right.splitlines()
        first = next((i for i, (x, y) in enumerate(zip(la, lb, strict=False)) if x != y),
                     min(len(la), len(lb)))
        diffs.append(f"{name}: {len(la)} vs {len(lb)} lines, first difference at line "
                     f"{first + 1}")
    return diffs


def run_and_dump(corpus: Path, workers: int, out: Path | None = None) -> dict[str, str]:
    with tempfile.TemporaryDirectory(prefix="dyadwatch-compare-") as tmp:
        summary = ingest(corpus, Path(tmp) / "ws", workers)
        files = dump_workspace(Path(tmp) / "ws")
    counts = {k: summary[k] for k in ("new", "failed", "coded", "events")}
    files["summary.txt"] = json.dumps(counts, sort_keys=True) + "\n"
    if out is not None:
        write_dump(files, out)
    return files


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    sub = parser.add_subparsers(dest="command", required=True)
    dump = sub.add_parser("dump")
    dump.add_argument("corpus", type=Path)
    dump.add_argument("out", type=Path)
    dump.add_argument("--workers", type=int, default=0)
    diff = sub.add_parser("diff")
    diff.add_argument("a", type=Path)
    diff.add_argument("b", type=Path)
    every = sub.add_parser("all")
    every.add_argument("out", type=Path)
    args = parser.parse_args(argv)
    if args.command == "dump":
        run_and_dump(args.corpus, args.workers, args.out)
        return 0
    if args.command == "diff":
        diffs = differences(read_dump(args.a), read_dump(args.b))
        sys.stdout.write("".join(d + "\n" for d in diffs) or "identical\n")
        return 1 if diffs else 0
    for name, corpus in CORPORA.items():
        for workers in (0, 2):
            run_and_dump(corpus, workers, args.out / f"{name}-w{workers}")
            sys.stdout.write(f"{name} workers={workers}: dumped\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
