#!/usr/bin/env python3
"""Rebuild the packaged event detector (does a sentence report an event between actors?).

    .venv/bin/python scripts/train_event_detector.py [--shared ../shared] [--seed 13]
        [--out src/dyadwatch/data/models/event_detect.npz]

Two classes, `event` and `none`, over the same hashed n-grams as the PentaClass model
(`coding.classifier`). Training data, `train` parts only (`coding.labelled`):
- the team's hand-labelled Guardian sentences (bench/data/guardian_annotations.tsv): `none`
  or one of the five classes (= `event`);
- the labelled wire sentences (shared/corpus/labelled), all of which report an event.
Prints 5-fold CV on the Guardian train part (the labelled sentences always in training), then
the held-out figures of the written model: event precision/recall/F1 on held-out Guardian
articles, and the share of held-out wire sentences read as events.
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")

import numpy as np

from dyadwatch.coding.classifier import TEXT_HEAD, EventClassifier
from dyadwatch.coding.classifier_arrays import rounded, save_heads
from dyadwatch.coding.classifier_training import TrainingSettings, fit, stratified_folds
from dyadwatch.coding.labelled import load_annotations, load_classes

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "src" / "dyadwatch" / "data" / "models" / "event_detect.npz"
CLASSES = ("event", "none")
SETTINGS = TrainingSettings(l2=1e-4, balanced=True)
VERSION = "1.1.0"


def prf(gold: list[str], predicted: list[str]) -> tuple[float, float, float]:
    tp = sum(g == p == "event" for g, p in zip(gold, predicted, strict=True))
    fp = sum(p == "event" != g for g, p in zip(gold, predicted, strict=True))
    fn = sum(g == "event" != p for g, p in zip(gold, predicted, strict=True))
    p, r = tp / max(tp + fp, 1), tp / max(tp + fn, 1)
    return p, r, 2 * p * r / (p + r) if p + r else 0.0


def event_of(label: str) -> str:
    return "none" if label == "none" else "event"


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--shared", type=Path, default=ROOT.parent / "shared")
    parser.add_argument("--seed", type=int, default=13)
    parser.add_argument("--out", type=Path, default=OUT)
    args = parser.parse_args(argv)
    articles = args.shared / "corpus" / "guardian-sdf" / "articles.jsonl"
    guardian = load_annotations(articles, "train")
    wire = load_classes(args.shared / "corpus" / "labelled", "train")
    g_texts, g_labels = [a.text for a in guardian], [event_of(a.label) for a in guardian]
    w_texts = [w.text for w in wire]
    folds = stratified_folds(g_labels, 5, args.seed)
    predicted = [""] * len(guardian)
    for fold in folds:
        held = set(int(i) for i in fold)
        texts = [t for i, t in enumerate(g_texts) if i not in held] + w_texts
        labels = [g for i, g in enumerate(g_labels) if i not in held] + ["event"] * len(w_texts)
        arrays = fit(texts, labels, CLASSES, SETTINGS)
        model = EventClassifier({TEXT_HEAD: arrays}, {"name": "cv", "version": "0"})
        for i, answer in zip(sorted(held), model.scores([g_texts[i] for i in sorted(held)]),
                             strict=True):
            predicted[i] = answer.label
    p, r, f1 = prf(g_labels, predicted)
    print(f"5-fold CV on Guardian train ({len(guardian)}): event P {p:.3f} R {r:.3f} F1 {f1:.3f}")
    arrays = fit(g_texts + w_texts, g_labels + ["event"] * len(w_texts), CLASSES, SETTINGS)
    meta = {
        "name": "event_detect", "version": VERSION, "classes": list(CLASSES),
        "task": "does a news sentence report an event between actors",
        "training": {"guardian_sentences": len(guardian), "wire_sentences": len(wire),
                     "seed": args.seed, "l2": SETTINGS.l2, "balanced": SETTINGS.balanced},
    }
    save_heads({TEXT_HEAD: rounded(arrays)}, meta, args.out)
    model = EventClassifier.load(args.out)
    held_g = load_annotations(articles, "heldout")
    answers = model.scores([a.text for a in held_g])
    p, r, f1 = prf([event_of(a.label) for a in held_g], [a.label for a in answers])
    print(f"held-out Guardian ({len(held_g)}): event P {p:.3f} R {r:.3f} F1 {f1:.3f}")
    held_w = load_classes(args.shared / "corpus" / "labelled", "heldout")
    share = np.mean([a.label == "event" for a in model.scores([w.text for w in held_w])])
    print(f"held-out wire sentences ({len(held_w)}) read as events: {share:.3f}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
