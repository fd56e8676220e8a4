"""List located events of a workspace for reading by hand (issue #15, docs/locations.md).

    .venv/bin/python bench/location_sample.py --data WS                 # every located event
    .venv/bin/python bench/location_sample.py --data WS --sample 40 --seed 15 \
        --exclude guardian-sdf-101 guardian-sdf-139 guardian-sdf-619 guardian-sdf-639

Prints JSON lines (event id, document, code, actors, location and, for the reader, the
sentence): the sentences are read from the workspace at run time and never stored in the repo.
The sample is `random.Random(seed).sample` over located events sorted by event id.
"""

from __future__ import annotations

import argparse
import json
import random
import sys
from pathlib import Path

from dyadwatch.store.events import query_events
from dyadwatch.store.workspace import Workspace


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--data", type=Path, required=True)
    parser.add_argument("--sample", type=int, default=0)
    parser.add_argument("--seed", type=int, default=15)
    parser.add_argument("--exclude", nargs="*", default=[])
    args = parser.parse_args(argv)
    with Workspace(args.data).connect(read_only=True) as con:
        events = query_events(con)
    located = sorted(
        (e for e in events if e.location is not None
         and not any(e.doc_source.endswith(x) or f"{x}" in e.doc_source for x in args.exclude)),
        key=lambda e: e.event_id,
    )
    picked = random.Random(args.seed).sample(located, args.sample) if args.sample else located
    print(json.dumps({"events": len(events), "located": len(located), "listed": len(picked)}),
          file=sys.stderr)
    for e in picked:
        loc = e.location
        assert loc is not None
        print(json.dumps({
            "event_id": e.event_id, "doc": e.doc_source.rsplit("/", 1)[-1], "cameo": e.cameo,
            "source": e.source.code or e.source.text, "target": e.target.code or e.target.text,
            "location": loc.name, "country": loc.country, "precision": loc.precision,
            "sentence": e.sentence,
        }, ensure_ascii=False))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
