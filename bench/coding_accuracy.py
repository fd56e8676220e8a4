"""Accuracy of the coder, in one run: the development sentences, the held-out five-class
sentences, and the seed gold file.

    .venv/bin/python bench/coding_accuracy.py [--shared ../shared]

Writes bench/results/coding_accuracy.json. The development set (tests/data) is what the engine
was tuned on; the held-out set (bench/data) was written by another engineer and not tuned on;
the seeds are scored with the rules of shared/gold/seeds.yaml (as `dyadwatch eval` does).
"""

from __future__ import annotations

import argparse
import json
import tempfile
from pathlib import Path

from dyadwatch.coding.coder import SpacyCoder
from dyadwatch.coding.evaluate import evaluate, load_gold
from dyadwatch.coding.sentence_sets import (
    load_sentences,
    macro_f1,
    predict_class,
    score_events,
)
from dyadwatch.ingest.pipeline import ingest_paths
from dyadwatch.settings import Settings
from dyadwatch.store import Workspace
from dyadwatch.store.events import query_events

ROOT = Path(__file__).resolve().parents[1]


def sentence_events(coder: SpacyCoder, path: Path) -> tuple[list, list]:
    items = load_sentences(path)
    found = [list(ex.events) for item in items for _, ex in coder.code([item.document()])]
    return items, found


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--shared", type=Path, default=ROOT.parent / "shared")
    parser.add_argument("--out", type=Path, default=ROOT / "bench/results/coding_accuracy.json")
    args = parser.parse_args()
    coder = SpacyCoder(Settings())
    items, found = sentence_events(coder, ROOT / "tests/data/coding_sentences.yaml")
    dev = score_events(items, found)
    held, held_found = sentence_events(coder, ROOT / "bench/data/quad_heldout.yaml")
    f1, per_class = macro_f1([h.label or "" for h in held], [predict_class(f) for f in held_found])
    with tempfile.TemporaryDirectory() as tmp:
        settings = Settings(data_dir=Path(tmp) / "ws")
        ingest_paths([args.shared / "corpus/seeds"], settings, coder)
        with Workspace(settings.data_dir).connect(read_only=True) as con:
            gold = evaluate(load_gold(args.shared / "gold/seeds.yaml"), query_events(con))
    result = {
        "dev_set": {"precision": round(dev.precision, 3), "recall": round(dev.recall, 3),
                    "f1": round(dev.f1, 3), "tp": dev.true_pos, "fp": dev.false_pos,
                    "fn": dev.false_neg},
        "heldout_five_class": {"macro_f1": round(f1, 3),
                               "per_class": {k: round(v, 3) for k, v in per_class.items()},
                               "sentences": len(held)},
        "seeds_gold": {"core": gold.core, "extended": gold.extended,
                       "supported": [gold.supported, gold.in_gold_docs],
                       "missed": [g.gold_id for g in gold.missed]},
        "versions": {"coder": coder.version, "dictionaries": coder.dictionary_version},
    }
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(result, indent=2), encoding="utf-8")
    print(json.dumps(result, indent=2))


if __name__ == "__main__":
    main()
