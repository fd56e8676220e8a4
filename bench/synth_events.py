"""Synthetic events, GDELT-like in shape, written straight into a workspace's events table.

Run by hand: `.venv/bin/python bench/synth_events.py DIR --events 10000000`.

Shape (so queries meet realistic selectivity): 80 countries with Zipf-like weights (a few
countries in most events, as in GDELT), 8 roles, CAMEO codes drawn from the packaged ontology
(root, QuadClass, Goldstein and PLOVER consistent with the code), dates uniform over 2015-2025
at day precision (5% undated), 1-3 mentions per cluster, 8 events per document. Columns are
built with numpy and pyarrow and inserted one Arrow chunk at a time (no Python row loop).
"""

from __future__ import annotations

import argparse
import logging
import sys
import time
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from dyadwatch.coding.ontology import load_ontology
from dyadwatch.store.parquet import EVENT_SCHEMA
from dyadwatch.store.workspace import open_workspace

log = logging.getLogger(__name__)

_COUNTRY_CODES = (
    "USA CHN RUS GBR FRA DEU IND JPN ISR IRN UKR PAK TUR SAU KOR PRK AUS CAN BRA MEX EGY SYR "
    "IRQ AFG NGA ZAF IDN PHL VNM THA KHM MYS SGP MMR BGD LKA NPL ITA ESP POL NLD BEL SWE NOR "
    "FIN DNK GRC HUN CZE AUT CHE PRT IRL ARG CHL COL VEN PER CUB KEN ETH SDN SOM LBY TUN DZA "
    "MAR QAT ARE KWT JOR LBN YEM OMN NZL TWN MNG KAZ UZB GEO"
)
COUNTRIES = tuple(_COUNTRY_CODES.split())
ROLES = ("GOV", "MIL", "BUS", "JUD", "NGO", "MED", "OPP", "")
START = np.datetime64("2015-01-01")
DAYS = int((np.datetime64("2026-01-01") - START).astype(int))
CHUNK = 1_000_000


def _weights(n: int) -> np.ndarray:
    w = 1.0 / np.arange(1, n + 1) ** 1.1
    return w / w.sum()


def _strings(prefix: str, numbers: np.ndarray) -> pa.Array:
    return pc.binary_join_element_wise(prefix, pc.cast(pa.array(numbers), pa.string()), "")


def _take(values: list[str] | tuple[str, ...], index: np.ndarray) -> pa.Array:
    return pc.take(pa.array(values, pa.string()), pa.array(index))


def _const(value: str, n: int) -> pa.Array:
    return pa.repeat(pa.scalar(value, pa.string()), n)


def _actors(rng: np.random.Generator, n: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    p = _weights(len(COUNTRIES))
    source = rng.choice(len(COUNTRIES), n, p=p)
    target = rng.choice(len(COUNTRIES), n, p=p)
    clash = source == target
    target[clash] = (target[clash] + 1 + rng.integers(0, len(COUNTRIES) - 1, clash.sum())) % len(
        COUNTRIES)
    return source, target, rng.integers(0, len(ROLES), (2, n))


def _dates(rng: np.random.Generator, n: int) -> tuple[pa.Array, pa.Array]:
    days = START + rng.integers(0, DAYS, n).astype("timedelta64[D]")
    undated = rng.random(n) < 0.05
    starts = pa.array(days, pa.date32(), mask=undated)
    return pc.cast(starts, pa.string()), starts


def chunk_table(first: int, n: int, seed: int, codes: list) -> pa.Table:
    """Events `first` .. `first + n - 1` as an Arrow table with the events table's columns."""
    rng = np.random.default_rng(seed + first)
    ids = np.arange(first, first + n)
    src, tgt, roles = _actors(rng, n)
    src_role, tgt_role = _take(ROLES, roles[0]), _take(ROLES, roles[1])
    src_code = pc.binary_join_element_wise(_take(COUNTRIES, src), src_role, "")
    tgt_code = pc.binary_join_element_wise(_take(COUNTRIES, tgt), tgt_role, "")
    code = rng.integers(0, len(codes), n)
    dates, starts = _dates(rng, n)
    clusters = ids // rng.integers(1, 4, n)
    cols = {
        "event_id": _strings("syn", ids), "doc_id": _strings("doc", ids // 8),
        "doc_source": _strings("synthetic.jsonl#", ids // 8),
        "sentence_index": pa.array(ids % 8, pa.int32()),
        "sentence": _const("A synthetic sentence.", n),
        "date": dates, "date_end": pa.nulls(n, pa.string()),
        "date_precision": pc.if_else(pc.is_null(starts), "unknown", "day"),
        "date_start": starts, "source_code": src_code, "source_country": _take(COUNTRIES, src),
        "source_role": src_role,
        "source_text": _take(COUNTRIES, src), "source_name": pa.nulls(n, pa.string()),
        "target_code": tgt_code, "target_country": _take(COUNTRIES, tgt),
        "target_role": tgt_role,
        "target_text": _take(COUNTRIES, tgt), "target_name": pa.nulls(n, pa.string()),
        "cameo": _take([c.code for c in codes], code), "root": _take([c.root for c in codes], code),
        "quad_class": pa.array(np.asarray([c.quad_class for c in codes], np.int32)[code]),
        "goldstein": pa.array(np.asarray([c.goldstein for c in codes])[code]),
        "plover": _take([c.plover for c in codes], code),
        "modality": _const("occurred", n),
        "negated": pa.array(rng.random(n) < 0.03),
        "cluster_id": _strings("clu", clusters), "confidence": pa.array(rng.random(n)),
        "coder_version": _const("synthetic/1", n),
        "dictionary_version": _const("synthetic/1", n),
        "pattern": pa.nulls(n, pa.string()),
    }
    return pa.table(cols).cast(EVENT_SCHEMA)


def generate(data_dir: Path, events: int, seed: int = 7) -> float:
    """Write `events` synthetic events into the workspace at `data_dir`; returns seconds."""
    started = time.perf_counter()
    codes = list(load_ontology())
    workspace = open_workspace(data_dir)
    with workspace.connect() as con:
        for first in range(0, events, CHUNK):
            chunk = chunk_table(first, min(CHUNK, events - first), seed, codes)
            con.register("synthetic_chunk", chunk)
            con.execute("INSERT INTO events SELECT * FROM synthetic_chunk")
            con.unregister("synthetic_chunk")
            log.info("%d events written", first + chunk.num_rows)
    return time.perf_counter() - started


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("data_dir", type=Path)
    parser.add_argument("--events", type=int, default=10_000_000)
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(message)s")
    seconds = generate(args.data_dir, args.events, args.seed)
    sys.stdout.write(f"{args.events} events in {seconds:.1f}s into {args.data_dir}\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
