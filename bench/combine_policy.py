"""Choosing the thresholds of data/coding/combine.yaml without touching the held-out parts.

    .venv/bin/python bench/combine_policy.py [--shared ../shared] [--folds 2]

For each of the first `--folds` of a 5-fold stratified split of the `train` parts (labelled wire
sentences and the team's labelled Guardian sentences), the PentaClass model and the event
detector are fitted on the other four folds (the packaged models' training settings), and the
whole coder, with them, codes the fold's sentences under each candidate policy. Prints, summed
over the folds: PentaClass macro-F1 and sentences with an event on the wire sentences, and event
precision/recall/F1 and class agreement on the Guardian sentences.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from dataclasses import replace
from pathlib import Path

from dyadwatch.coding.classifier import PREDICATE_HEAD, TEXT_HEAD, predicate_lemma
from dyadwatch.coding.classifier_arrays import rounded, save_heads
from dyadwatch.coding.classifier_training import fit, stratified_folds
from dyadwatch.coding.coder import SpacyCoder
from dyadwatch.coding.combine import CombinePolicy
from dyadwatch.coding.labelled import (
    PENTA_CLASSES,
    ClassSentence,
    load_annotations,
    load_classes,
)
from dyadwatch.coding.labelled_score import code_texts, score_classes, score_detection
from dyadwatch.records import Event
from dyadwatch.settings import Settings

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "scripts"))
import train_event_detector as detector  # noqa: E402
from train_event_model import HEADS  # noqa: E402

CANDIDATES = {  # (event_min, fill_min, need_target, noun_targets), veto 0
    "open": (0.5, 0.0, False, True),
    "detector 0.9": (0.9, 0.0, False, True),
    "detector 0.95": (0.95, 0.0, False, True),
    "detector 0.9, actor target": (0.9, 0.0, True, False),
    "detector 0.9, class 0.5, actor target": (0.9, 0.5, True, False),
}


def variants(base: CombinePolicy) -> dict[str, CombinePolicy]:
    out = {"packaged": base}
    for name, (event_min, fill_min, need_target, noun_targets) in CANDIDATES.items():
        out[name] = replace(base, veto_below=0.0, event_min=event_min, fill_min=fill_min,
                            need_target=need_target, noun_targets=noun_targets)
    return out


def fold_models(tmp: Path, k: int, wire: list[ClassSentence], guardian: list, wire_out: set[int],
                guardian_out: set[int], predicates: dict[str, str | None]) -> Settings:
    fit_wire = [w for i, w in enumerate(wire) if i not in wire_out]
    fit_g = [g for i, g in enumerate(guardian) if i not in guardian_out]
    texts, labels = [w.text for w in fit_wire], [w.label for w in fit_wire]
    preds = [predicates[w.text] for w in fit_wire]
    heads = {
        TEXT_HEAD: rounded(fit(texts, labels, PENTA_CLASSES, HEADS[TEXT_HEAD])),
        PREDICATE_HEAD: rounded(fit(texts, labels, PENTA_CLASSES, HEADS[PREDICATE_HEAD], preds)),
    }
    save_heads(heads, {"name": "fold", "version": str(k)}, tmp / f"class{k}.npz")
    texts = [g.text for g in fit_g] + [w.text for w in fit_wire]
    labels = [detector.event_of(g.label) for g in fit_g] + ["event"] * len(fit_wire)
    detect = fit(texts, labels, detector.CLASSES, detector.SETTINGS)
    save_heads({TEXT_HEAD: rounded(detect)}, {"name": "fold", "version": str(k)},
               tmp / f"detect{k}.npz")
    return Settings(event_model=tmp / f"class{k}.npz", detector_model=tmp / f"detect{k}.npz")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--shared", type=Path, default=ROOT.parent / "shared")
    parser.add_argument("--folds", type=int, default=2)
    args = parser.parse_args()
    wire = load_classes(args.shared / "corpus" / "labelled", "train")
    guardian = load_annotations(args.shared / "corpus/guardian-sdf/articles.jsonl", "train")
    wire_folds = stratified_folds([r.label for r in wire], 5, 13)
    g_folds = stratified_folds([g.label for g in guardian], 5, 13)
    nlp = SpacyCoder(Settings(model_events=False)).nlp
    predicates = {w.text: predicate_lemma(d[:]) for w, d in
                  zip(wire, nlp.pipe([w.text for w in wire]), strict=True)}
    gold_w: list[ClassSentence] = []
    gold_g: list[str] = []
    found_w: dict[str, list[list[Event]]] = {}
    found_g: dict[str, list[list[Event]]] = {}
    with tempfile.TemporaryDirectory() as tmp:
        for k in range(args.folds):
            w_out, g_out = set(map(int, wire_folds[k])), set(map(int, g_folds[k]))
            settings = fold_models(Path(tmp), k, wire, guardian, w_out, g_out, predicates)
            coder = SpacyCoder(settings)
            dev_w = [wire[i] for i in sorted(w_out)]
            dev_g = [guardian[i] for i in sorted(g_out)]
            gold_w += dev_w
            gold_g += [g.label for g in dev_g]
            for name, policy in variants(coder.policy).items():
                coder.policy = policy
                found_w.setdefault(name, []).extend(code_texts(coder, [r.text for r in dev_w]))
                found_g.setdefault(name, []).extend(code_texts(coder, [g.text for g in dev_g]))
    for name in found_w:
        w = score_classes(gold_w, found_w[name])
        g = score_detection(gold_g, found_g[name])
        print(f"{name:40s} wire F1 {w.macro_f1:.3f} events {w.with_event}/{w.sentences} | "
              f"guardian P {g.precision:.3f} R {g.recall:.3f} F1 {g.f1:.3f} "
              f"class {g.class_agreement:.3f}")


if __name__ == "__main__":
    main()
