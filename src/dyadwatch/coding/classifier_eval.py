"""Figures of a classifier's answers against gold labels: macro-F1, per class, confusion,
calibration (accuracy per probability bin). Used by the training script and the tests."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from itertools import pairwise

import numpy as np


@dataclass(frozen=True, slots=True)
class ClassFigures:
    label: str
    precision: float
    recall: float
    f1: float
    support: int


@dataclass(frozen=True, slots=True)
class CalibrationBin:
    low: float
    high: float
    count: int
    accuracy: float  # share of the bin's answers that were right
    mean_probability: float


@dataclass(frozen=True, slots=True)
class Figures:
    macro_f1: float
    accuracy: float
    per_class: tuple[ClassFigures, ...]
    confusion: tuple[tuple[int, ...], ...]  # rows: gold, columns: predicted (order of classes)
    calibration: tuple[CalibrationBin, ...]


def _class_figures(label: str, gold: np.ndarray, pred: np.ndarray, index: int) -> ClassFigures:
    tp = int(((pred == index) & (gold == index)).sum())
    predicted, support = int((pred == index).sum()), int((gold == index).sum())
    precision = tp / predicted if predicted else 0.0
    recall = tp / support if support else 0.0
    f1 = 2 * precision * recall / (precision + recall) if tp else 0.0
    return ClassFigures(label, precision, recall, f1, support)


def calibration(
    correct: Sequence[bool], probability: Sequence[float],
    edges: Sequence[float] = (0.0, 0.4, 0.6, 0.8, 0.9, 1.0),
) -> tuple[CalibrationBin, ...]:
    """Accuracy of the answers whose top probability falls in each bin [low, high)."""
    right, prob = np.asarray(correct, dtype=bool), np.asarray(probability, dtype=np.float64)
    bins = []
    for low, high in pairwise(edges):
        inside = (prob >= low) & ((prob < high) if high < 1.0 else (prob <= high))
        n = int(inside.sum())
        bins.append(CalibrationBin(
            low=low, high=high, count=n,
            accuracy=float(right[inside].mean()) if n else 0.0,
            mean_probability=float(prob[inside].mean()) if n else 0.0,
        ))
    return tuple(bins)


def score(
    gold: Sequence[str], predicted: Sequence[str], probability: Sequence[float],
    classes: Sequence[str],
) -> Figures:
    """The figures of `predicted` labels (with their top probability) against `gold`."""
    index = {c: i for i, c in enumerate(classes)}
    g = np.array([index[x] for x in gold])
    p = np.array([index[x] for x in predicted])
    per_class = tuple(_class_figures(c, g, p, i) for i, c in enumerate(classes))
    confusion = tuple(
        tuple(int(((g == i) & (p == j)).sum()) for j in range(len(classes)))
        for i in range(len(classes))
    )
    return Figures(
        macro_f1=float(np.mean([c.f1 for c in per_class])),
        accuracy=float((g == p).mean()) if len(g) else 0.0,
        per_class=per_class, confusion=confusion,
        calibration=calibration(list(g == p), probability),
    )


def render(figures: Figures, title: str) -> str:
    """A plain-text report of `figures` (markdown tables)."""
    lines = [f"### {title}", "",
             f"macro-F1 {figures.macro_f1:.3f}, accuracy {figures.accuracy:.3f}", "",
             "| class | P | R | F1 | n |", "|---|---|---|---|---|"]
    lines += [f"| {c.label} | {c.precision:.3f} | {c.recall:.3f} | {c.f1:.3f} | {c.support} |"
              for c in figures.per_class]
    names = [c.label for c in figures.per_class]
    lines += ["", "confusion (rows gold, columns predicted)", "",
              "| gold \\ predicted | " + " | ".join(names) + " |",
              "|---" * (len(names) + 1) + "|"]
    lines += [f"| {name} | " + " | ".join(str(v) for v in row) + " |"
              for name, row in zip(names, figures.confusion, strict=True)]
    lines += ["", "calibration (top probability bin: answers, accuracy, mean probability)", "",
              "| bin | n | accuracy | mean p |", "|---|---|---|---|"]
    lines += [f"| {b.low:.1f}-{b.high:.1f} | {b.count} | {b.accuracy:.3f} | "
              f"{b.mean_probability:.3f} |" for b in figures.calibration]
    return "\n".join(lines)
