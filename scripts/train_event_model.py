#!/usr/bin/env python3
"""Rebuild the packaged PentaClass event model and print its figures.

    .venv/bin/python scripts/train_event_model.py [--shared ../shared] [--cv 5] [--seed 13]
        [--out src/dyadwatch/data/models/event_class.npz] [--search]

Reads the labelled sentences of ../shared/corpus/labelled/ (dyadwatch.coding.labelled): trains
and cross-validates ONLY on the `train` part, fits the softmax temperature on the out-of-fold
logits of that CV, fits the model on the whole `train` part, writes it (float16 weights, fixed
zip timestamps: the same data gives the same bytes) and then reports on the `heldout` part with
the written file: macro-F1, per class, confusion, calibration, speed and size.
`--search` only prints the CV figures of the grid of settings that chose the defaults below.
"""

from __future__ import annotations

import argparse
import hashlib
import logging
import os
import sys
import time
from dataclasses import replace
from pathlib import Path

os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")  # deterministic, and fair on a shared box

import numpy as np

from dyadwatch.coding.classifier import EventClassifier, rounded, save_model
from dyadwatch.coding.classifier_eval import render, score
from dyadwatch.coding.classifier_features import FeatureSettings, featurize
from dyadwatch.coding.classifier_training import (
    TrainingSettings,
    fit_features,
    fit_temperature,
    out_of_fold_logits,
)
from dyadwatch.coding.labelled import PENTA_CLASSES, ClassSentence, load_classes

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "src" / "dyadwatch" / "data" / "models" / "event_class.npz"
MODEL_VERSION = "1.0.0"
# chosen by 5-fold CV on the train part (see --search and MODEL_CARD.md)
SETTINGS = TrainingSettings(features=FeatureSettings(), l2=1e-5, balanced=True, min_df=1)
SEARCH = [
    replace(SETTINGS, l2=l2) for l2 in (1e-3, 1e-4, 1e-5, 1e-6)
]
log = logging.getLogger("train_event_model")


def data_hash(rows: list[ClassSentence]) -> str:
    digest = hashlib.sha256()
    for row in rows:
        digest.update(f"{row.text}\t{row.label}\n".encode())
    return digest.hexdigest()


def cross_validated(rows: list[ClassSentence], settings: TrainingSettings, folds: int,
                    seed: int) -> tuple[np.ndarray, np.ndarray]:
    features = featurize([r.text for r in rows], None, settings.features)
    y = np.array([PENTA_CLASSES.index(r.label) for r in rows])
    return out_of_fold_logits(features, y, PENTA_CLASSES, settings, folds, seed), y


def report_cv(logits: np.ndarray, y: np.ndarray, title: str) -> float:
    probs = np.exp(logits - logits.max(axis=1, keepdims=True))
    probs /= probs.sum(axis=1, keepdims=True)
    figures = score([PENTA_CLASSES[i] for i in y], [PENTA_CLASSES[i] for i in probs.argmax(1)],
                    list(probs.max(1)), PENTA_CLASSES)
    print(render(figures, title), end="\n\n")
    return figures.macro_f1


def speed(model: EventClassifier, texts: list[str], batch: int = 256) -> float:
    """Milliseconds a sentence, batches of `batch` (after one warm-up batch)."""
    texts = (texts * (1 + 4 * batch // max(len(texts), 1)))[: 4 * batch]
    model.scores(texts[:batch])
    start = time.perf_counter()
    for i in range(0, len(texts), batch):
        model.scores(texts[i:i + batch])
    return 1000 * (time.perf_counter() - start) / len(texts)


def train(args: argparse.Namespace) -> int:
    folder = args.shared / "corpus" / "labelled"
    rows, heldout = load_classes(folder, "train"), load_classes(folder, "heldout")
    logits, y = cross_validated(rows, SETTINGS, args.cv, args.seed)
    cv_f1 = report_cv(logits, y, f"{args.cv}-fold CV on train ({len(rows)} sentences)")
    temperature = fit_temperature(logits, y)
    features = featurize([r.text for r in rows], None, SETTINGS.features)
    arrays = replace(fit_features(features, y, PENTA_CLASSES, SETTINGS), temperature=temperature)
    meta = {
        "name": "event_class", "version": MODEL_VERSION,
        "task": "PentaClass of a news sentence's main event",
        "training": {
            "data": "conflibert-train.tsv, part 'train' of dyadwatch.coding.labelled's split",
            "sentences": len(rows), "sha256": data_hash(rows), "seed": args.seed,
            "l2": SETTINGS.l2, "balanced": SETTINGS.balanced, "min_df": SETTINGS.min_df,
            "cv_folds": args.cv, "cv_macro_f1": round(cv_f1, 4),
        },
    }
    save_model(rounded(arrays), meta, args.out)
    model = EventClassifier.load(args.out)
    answers = model.scores([r.text for r in heldout])
    figures = score([r.label for r in heldout], [a.label for a in answers],
                    [a.probability for a in answers], PENTA_CLASSES)
    print(render(figures, f"held-out ({len(heldout)} sentences), {args.out.name}"), end="\n\n")
    size = args.out.stat().st_size + args.out.with_suffix(".json").stat().st_size
    print(f"temperature {temperature}; {len(arrays.columns)} columns; model {size / 1e6:.2f} MB;"
          f" {speed(model, [r.text for r in heldout]):.3f} ms a sentence (batches of 256)")
    return 0


def search(args: argparse.Namespace) -> int:
    rows = load_classes(args.shared / "corpus" / "labelled", "train")
    for settings in SEARCH:
        logits, y = cross_validated(rows, settings, args.cv, args.seed)
        report_cv(logits, y, f"CV {settings}")
    return 0


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--shared", type=Path, default=ROOT.parent / "shared")
    parser.add_argument("--cv", type=int, default=5, help="folds of the CV on train")
    parser.add_argument("--seed", type=int, default=13, help="seed of the CV folds")
    parser.add_argument("--out", type=Path, default=OUT)
    parser.add_argument("--search", action="store_true", help="CV of the settings grid only")
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.WARNING, format="%(levelname)s %(name)s: %(message)s")
    if not (args.shared / "corpus" / "labelled").is_dir():
        sys.exit(f"{args.shared}/corpus/labelled: not found (give --shared)")
    return search(args) if args.search else train(args)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
