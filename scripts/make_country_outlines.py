#!/usr/bin/env python3
"""Write src/dyadwatch/data/locations/outlines.yaml: simplified country outlines for the map.

Run ONCE by a developer (the file ships in the package; nothing runs this at install or at run
time). The input is Natural Earth's 1:110m "Admin 0 - Countries" layer (public domain) as the
geopandas 0.14.4 wheel ships it (`geopandas/datasets/naturalearth_lowres`: Natural Earth 5.1,
with Crimea in Ukraine's polygon, geopandas #2382). Get it with pip, then run this script:

    pip download --no-deps "geopandas==0.14.4" -d /tmp/gp
    unzip -q /tmp/gp/geopandas-0.14.4-py3-none-any.whl 'geopandas/datasets/*' -d /tmp/gp
    python3 scripts/make_country_outlines.py \
        /tmp/gp/geopandas/datasets/naturalearth_lowres/naturalearth_lowres.shp

The shapefile and its .dbf are read here with `struct` (polygon records, dBASE III fields), so
the script needs no GIS package. Each ring is simplified (Douglas-Peucker, TOLERANCE degrees),
its coordinates rounded to DECIMALS places, and written as one string "lon lat lon lat ...".
"""

from __future__ import annotations

import argparse
import struct
import sys
from collections.abc import Sequence
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "src" / "dyadwatch" / "data" / "locations" / "outlines.yaml"
TOLERANCE = 0.08  # degrees (about 9 km at the equator); the source is 1:110m
DECIMALS = 2
POLYGON = 5

Point = tuple[float, float]

HEADER = """\
meta:
  name: dyadwatch_country_outlines
  version: "1.0"
  source: >-
    Natural Earth 1:110m Cultural Vectors, Admin 0 - Countries, version 5.1 (public domain:
    "All versions of Natural Earth raster + vector map data found on this website are in the
    public domain"), as redistributed in the geopandas 0.14.4 wheel
    (geopandas/datasets/naturalearth_lowres; geopandas moved Crimea into Ukraine's polygon and
    set ISO codes where Natural Earth has -99). Derived once by
    scripts/make_country_outlines.py: rings simplified (Douglas-Peucker, {tol} degrees),
    coordinates rounded to {dec} decimals.
  licence: public domain (Natural Earth); this derived file is public domain too
  notes: >-
    For drawing only (the map in the dashboard and the brief), never for deciding where a
    place is. code is ISO 3166-1 alpha-3 as in actor codes, except Natural Earth's own CYN
    (Northern Cyprus) and SOL (Somaliland), and null for Kosovo. rings holds each outer ring
    or hole as one string "lon lat lon lat ..." in WGS84 degrees; the first point is not
    repeated at the end.
    Boundaries are Natural Earth's de facto ones and imply no view of any dispute.
countries:
"""


def read_polygons(shp: Path) -> list[list[list[Point]]]:
    """The parts (rings) of every polygon record, in record order."""
    data = shp.read_bytes()
    if struct.unpack(">i", data[:4])[0] != 9994:
        raise SystemExit(f"{shp}: not a shapefile (file code is not 9994)")
    records, pos = [], 100
    while pos < len(data):
        _, words = struct.unpack(">2i", data[pos:pos + 8])
        content = data[pos + 8:pos + 8 + 2 * words]
        pos += 8 + 2 * words
        if struct.unpack("<i", content[:4])[0] != POLYGON:
            records.append([])
            continue
        parts_n, points_n = struct.unpack("<2i", content[36:44])
        starts = list(struct.unpack(f"<{parts_n}i", content[44:44 + 4 * parts_n]))
        flat = struct.unpack(f"<{2 * points_n}d", content[44 + 4 * parts_n:
                                                           44 + 4 * parts_n + 16 * points_n])
        points = [(flat[2 * i], flat[2 * i + 1]) for i in range(points_n)]
        bounds = [*starts, points_n]
        records.append([points[bounds[i]:bounds[i + 1]] for i in range(parts_n)])
    return records


def read_dbf(dbf: Path, encoding: str = "latin-1") -> list[dict[str, str]]:
    """The attribute rows of a dBASE III file, as stripped strings."""
    data = dbf.read_bytes()
    count, header_len, record_len = struct.unpack("<IHH", data[4:12])
    fields, pos = [], 32
    while data[pos] != 0x0D:
        name = data[pos:pos + 11].split(b"\0", 1)[0].decode("ascii")
        fields.append((name, data[pos + 16]))
        pos += 32
    rows = []
    for i in range(count):
        record = data[header_len + i * record_len:header_len + (i + 1) * record_len]
        row, offset = {}, 1  # byte 0: the deletion flag
        for name, length in fields:
            row[name] = record[offset:offset + length].decode(encoding).strip()
            offset += length
        rows.append(row)
    return rows


def _distance(p: Point, a: Point, b: Point) -> float:
    """Distance from p to the segment a-b, in degrees."""
    dx, dy = b[0] - a[0], b[1] - a[1]
    if dx == dy == 0:
        return float(((p[0] - a[0]) ** 2 + (p[1] - a[1]) ** 2) ** 0.5)
    t = max(0.0, min(1.0, ((p[0] - a[0]) * dx + (p[1] - a[1]) * dy) / (dx * dx + dy * dy)))
    return float(((p[0] - a[0] - t * dx) ** 2 + (p[1] - a[1] - t * dy) ** 2) ** 0.5)


def simplify(points: Sequence[Point], tolerance: float) -> list[Point]:
    """Douglas-Peucker, iterative (rings have a few hundred points at most)."""
    if len(points) < 3:
        return list(points)
    keep = {0, len(points) - 1}
    stack = [(0, len(points) - 1)]
    while stack:
        first, last = stack.pop()
        far, index = 0.0, -1
        for i in range(first + 1, last):
            d = _distance(points[i], points[first], points[last])
            if d > far:
                far, index = d, i
        if index >= 0 and far > tolerance:
            keep.add(index)
            stack += [(first, index), (index, last)]
    return [points[i] for i in sorted(keep)]


def ring_text(ring: Sequence[Point]) -> str | None:
    """One ring as "lon lat ...", simplified and rounded; None when it collapses."""
    closed = list(ring[:-1]) if len(ring) > 1 and ring[0] == ring[-1] else list(ring)
    # split the closed ring in two halves so that Douglas-Peucker has two distinct ends
    half = len(closed) // 2
    kept = simplify(closed[:half + 1], TOLERANCE)[:-1] + simplify(closed[half:] + closed[:1],
                                                                   TOLERANCE)[:-1]
    rounded: list[tuple[float, float]] = []
    for lon, lat in kept:
        point = (round(lon, DECIMALS), round(lat, DECIMALS))
        if not rounded or rounded[-1] != point:
            rounded.append(point)
    if len(rounded) < 3:
        return None
    return " ".join(f"{lon:g} {lat:g}" for lon, lat in rounded)


def _quoted(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("shp", type=Path, help="naturalearth_lowres.shp (its .dbf beside it)")
    parser.add_argument("--out", type=Path, default=OUT)
    args = parser.parse_args(argv)
    polygons = read_polygons(args.shp)
    rows = read_dbf(args.shp.with_suffix(".dbf"))
    lines = [HEADER.format(tol=TOLERANCE, dec=DECIMALS)]
    for row, rings in sorted(zip(rows, polygons, strict=True), key=lambda x: x[0]["name"]):
        texts = [t for t in (ring_text(r) for r in rings) if t]
        if not texts:
            continue
        code = row["iso_a3"] if row["iso_a3"] not in ("", "-99") else None
        lines.append(f"  - code: {code or 'null'}\n    name: {_quoted(row['name'])}\n"
                     "    rings:\n" + "".join(f"      - {_quoted(t)}\n" for t in texts))
    args.out.write_text("".join(lines), encoding="utf-8")
    print(f"wrote {len(lines) - 1} countries to {args.out} "
          f"({args.out.stat().st_size // 1024} KiB)", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
