"""Choosing the thresholds of data/coding/combine.yaml without touching the held-out part.

    .venv/bin/python bench/combine_policy.py [--shared ../shared] [--folds 2]

For each of the first `--folds` of a 5-fold stratified split of the labelled `train` part, a
classifier is fitted on the other four folds (the packaged model's training settings) and the
whole coder, with that classifier, codes the fold's sentences under each candidate policy;
prints PentaClass macro-F1 and sentences with an event per policy, summed over the folds.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from dataclasses import replace
from pathlib import Path

import numpy as np

from dyadwatch.coding.classifier import rounded, save_model
from dyadwatch.coding.classifier_training import fit, stratified_folds
from dyadwatch.coding.coder import SpacyCoder
from dyadwatch.coding.combine import CombinePolicy
from dyadwatch.coding.labelled import PENTA_CLASSES, load_classes
from dyadwatch.coding.labelled_score import code_texts, score_classes
from dyadwatch.settings import Settings

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "scripts"))
from train_event_model import SETTINGS  # noqa: E402  (the shipped model's training settings)


def variants(base: CombinePolicy) -> dict[str, CombinePolicy]:
    out = {"packaged": base}
    for veto in (0.0, 0.05, 0.1, 0.2):
        for wrapped in (True, False):
            out[f"veto {veto} keep_wrapped {wrapped}"] = replace(
                base, veto_below=veto, keep_wrapped=wrapped)
    for fill in (0.3, 0.4):
        out[f"fill_min={fill}"] = replace(base, fill_min=fill)
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--shared", type=Path, default=ROOT.parent / "shared")
    parser.add_argument("--folds", type=int, default=2)
    args = parser.parse_args()
    rows = load_classes(args.shared / "corpus" / "labelled", "train")
    folds = stratified_folds([r.label for r in rows], 5, 13)
    gold: list[str] = []
    found: dict[str, list[list]] = {}
    with tempfile.TemporaryDirectory() as tmp:
        for k in range(args.folds):
            dev = set(int(i) for i in folds[k])
            fit_rows = [r for i, r in enumerate(rows) if i not in dev]
            arrays = fit([r.text for r in fit_rows], [r.label for r in fit_rows], PENTA_CLASSES,
                         SETTINGS)
            path = Path(tmp) / f"fold{k}.npz"
            save_model(rounded(arrays), {"name": "fold", "version": str(k)}, path)
            coder = SpacyCoder(Settings(event_model=path))
            dev_rows = [rows[i] for i in sorted(dev)]
            gold += [r.label for r in dev_rows]
            for name, policy in variants(coder.policy).items():
                coder.policy = policy
                found.setdefault(name, []).extend(code_texts(coder, [r.text for r in dev_rows]))
    golden = [type(rows[0])(text="", label=g) for g in gold]
    for name, events in found.items():
        score = score_classes(golden, events)
        print(f"{name:30s} macro-F1 {score.macro_f1:.3f}  with event {score.with_event}/"
              f"{score.sentences}  " + " ".join(f"{k[:10]} {v:.2f}" for k, v in
                                               score.per_class.items()))
    np.set_printoptions(precision=3)


if __name__ == "__main__":
    main()
