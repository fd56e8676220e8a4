"""Class precision of the rule coder on the real labelled sentences (shared/corpus/labelled).

    .venv/bin/python bench/labelled_precision.py [--part train] [--dump FILE]

Each sentence is coded as its own document. A sentence "fires" when the rules give it at least
one non-negated event; its predicted PentaClass is that of the most confident one
(`dyadwatch.coding.labelled.penta_class`). Precision = fired sentences whose prediction equals
the label / fired sentences. Tune only on `train`; `heldout` is for reporting. `--dump` writes
one JSON line per fired sentence (text, label, prediction, events) for reading, outside the repo.
"""

from __future__ import annotations

import argparse
import json
import logging
from collections import Counter
from pathlib import Path

from dyadwatch.coding.coder import SpacyCoder
from dyadwatch.coding.labelled import load_classes, penta_class
from dyadwatch.coding.sentence_sets import LabelledSentence
from dyadwatch.settings import Settings

ROOT = Path(__file__).resolve().parents[1]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--shared", type=Path, default=ROOT.parent / "shared")
    parser.add_argument("--part", choices=("train", "heldout"), default="train")
    parser.add_argument("--dump", type=Path, default=None)
    args = parser.parse_args()
    logging.basicConfig(level=logging.WARNING)
    rows = load_classes(args.shared / "corpus/labelled", args.part)
    coder = SpacyCoder(Settings())
    docs = [LabelledSentence(f"l{i}", r.text, None).document() for i, r in enumerate(rows)]
    hits: Counter[str] = Counter()
    fires: Counter[str] = Counter()
    dump = []
    for row, (_, extraction) in zip(rows, coder.code(docs), strict=True):
        kept = [e for e in extraction.events if not e.negated]
        if not kept:
            continue
        predicted = penta_class(max(kept, key=lambda e: e.confidence).root)
        fires[predicted] += 1
        hits[predicted] += predicted == row.label
        dump.append({"text": row.text, "label": row.label, "predicted": predicted,
                     "events": [f"{e.source.code} {e.cameo} {e.target.code} {e.modality}"
                                f"{' NEG' if e.negated else ''} {e.confidence} {e.pattern}"
                                for e in extraction.events]})
    fired = sum(fires.values())
    result = {
        "part": args.part, "sentences": len(rows), "fired": fired,
        "precision": round(sum(hits.values()) / fired, 3) if fired else 0.0,
        "per_predicted_class": {k: [hits[k], fires[k]] for k in sorted(fires)},
        "versions": {"coder": coder.version},
    }
    if args.dump is not None:
        args.dump.write_text("".join(json.dumps(d) + "\n" for d in dump), encoding="utf-8")
    print(json.dumps(result, indent=2))


if __name__ == "__main__":
    main()
