"""Accuracy of the coder, in one run: real labelled news first, then the seed gold file, then
the sentences we wrote ourselves (regression checks, not accuracy claims).

    .venv/bin/python bench/coding_accuracy.py [--shared ../shared] [--part heldout|train|all]

Writes bench/results/coding_accuracy.json.
- Labelled real sentences (shared/corpus/labelled, the held-out part of the fixed split of
  `dyadwatch.coding.labelled` unless --part says otherwise): PentaClass macro-F1 and per class,
  sentences with an event, source/target span hits (`coding.labelled_score`).
- Seeds: the rules of shared/gold/seeds.yaml (as `dyadwatch eval` does).
- Our own sentences: the development set (tests/data, tuned on) and the five-class set
  (bench/data, written by another engineer of the team): they measure our own habits.
"""

from __future__ import annotations

import argparse
import json
import tempfile
from pathlib import Path

from dyadwatch.coding.coder import SpacyCoder
from dyadwatch.coding.evaluate import evaluate, load_gold
from dyadwatch.coding.labelled import load_classes, load_spans
from dyadwatch.coding.labelled_score import code_texts, score_classes, score_spans
from dyadwatch.coding.sentence_sets import (
    load_sentences,
    macro_f1,
    predict_class,
    score_events,
)
from dyadwatch.run import ingest_paths
from dyadwatch.settings import Settings
from dyadwatch.store import Workspace
from dyadwatch.store.events import query_events

ROOT = Path(__file__).resolve().parents[1]


def sentence_events(coder: SpacyCoder, path: Path) -> tuple[list, list]:
    items = load_sentences(path)
    found = [list(ex.events) for item in items for _, ex in coder.code([item.document()])]
    return items, found


def labelled(coder: SpacyCoder, folder: Path, part: str) -> dict[str, object]:
    classes = load_classes(folder, part)  # type: ignore[arg-type]
    found = code_texts(coder, [s.text for s in classes])
    cls = score_classes(classes, found)
    spans = load_spans(folder, part)  # type: ignore[arg-type]
    span = score_spans(spans, code_texts(coder, [s.text for s in spans]))
    return {
        "part": part, "sentences": cls.sentences, "with_event": cls.with_event,
        "penta_macro_f1": round(cls.macro_f1, 3),
        "per_class": {k: round(v, 3) for k, v in cls.per_class.items()},
        "span_sentences": len(spans), "source_hit": round(span.source_hit, 3),
        "target_hit": round(span.target_hit, 3),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--shared", type=Path, default=ROOT.parent / "shared")
    parser.add_argument("--out", type=Path, default=ROOT / "bench/results/coding_accuracy.json")
    parser.add_argument("--part", choices=("heldout", "train", "all"), default="heldout")
    args = parser.parse_args()
    coder = SpacyCoder(Settings())
    real = labelled(coder, args.shared / "corpus/labelled", args.part)
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
        "labelled_real": real,
        "dev_set": {"precision": round(dev.precision, 3), "recall": round(dev.recall, 3),
                    "f1": round(dev.f1, 3), "tp": dev.true_pos, "fp": dev.false_pos,
                    "fn": dev.false_neg},
        "own_five_class": {"macro_f1": round(f1, 3),
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
