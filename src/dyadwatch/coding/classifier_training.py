"""Training the event classifier: multinomial logistic regression with L2, by L-BFGS.

Only `scripts/train_event_model.py` and the tests use this module (it needs scipy, which the
installed product does not import at run time). The fit is deterministic: features are hashed,
the weights start at zero, the L-BFGS here avoids threaded BLAS sums (so the bits do not
depend on the number of cores) and the CV folds come from a seeded generator, so one command
rebuilds the shipped model. Columns seen in fewer than `min_df` training sentences are
dropped; the class weights, when balanced, make each class count as much as the others.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace

import numpy as np
import numpy.typing as npt
from scipy import optimize, sparse

from dyadwatch.coding.classifier_arrays import ModelArrays, positions_of
from dyadwatch.coding.classifier_features import (
    FeatureMatrix,
    FeatureSettings,
    featurize,
    weigh,
)

log = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class TrainingSettings:
    features: FeatureSettings = field(default_factory=FeatureSettings)
    l2: float = 1e-3  # penalty on the squared weights, per (weighted) training sentence
    balanced: bool = True
    min_df: int = 1
    max_iter: int = 400


def _vocabulary(
    columns: npt.NDArray[np.int64], indptr: npt.NDArray[np.int64], min_df: int
) -> tuple[npt.NDArray[np.int64], npt.NDArray[np.float64]]:
    """The kept columns (sorted) and their smoothed idf, log((1 + n) / (1 + df)) + 1."""
    rows = len(indptr) - 1
    row = np.repeat(np.arange(rows), np.diff(indptr))
    pairs = np.unique(columns * rows + row)  # each column once per sentence
    kept, df = np.unique(pairs // rows, return_counts=True)
    keep = df >= min_df
    return kept[keep], np.log((1.0 + rows) / (1.0 + df[keep])) + 1.0


def design_matrix(features: FeatureMatrix, arrays: ModelArrays) -> sparse.csr_matrix:
    """The weighted features of a batch over the model's columns, as a CSR matrix."""
    positions = positions_of(arrays.columns, features.columns)
    values = weigh(features, positions, arrays.idf, arrays.settings)
    row = np.repeat(np.arange(features.rows), np.diff(features.indptr))
    known = positions >= 0
    return sparse.csr_matrix(
        (values[known], (row[known], positions[known])),
        shape=(features.rows, len(arrays.columns)),
    )


def _loss(
    flat: npt.NDArray[np.float64], x: sparse.csr_matrix, y: npt.NDArray[np.int64],
    sample: npt.NDArray[np.float64], l2: float,
) -> tuple[float, npt.NDArray[np.float64]]:
    """Weighted mean cross-entropy + l2/2 |W|^2 (bias not penalised), and its gradient."""
    k = len(flat) // (x.shape[1] + 1)
    w = flat[: x.shape[1] * k].reshape(x.shape[1], k)
    b = flat[x.shape[1] * k:]
    logits = x @ w + b
    logits -= logits.max(axis=1, keepdims=True)
    log_p = logits - np.log(np.exp(logits).sum(axis=1, keepdims=True))
    rows = np.arange(len(y))
    loss = -(sample * log_p[rows, y]).sum() + 0.5 * l2 * float((w * w).sum())
    delta = np.exp(log_p)
    delta[rows, y] -= 1.0
    delta *= sample[:, None]
    grad_w = x.T @ delta + l2 * w
    return float(loss), np.concatenate([np.asarray(grad_w).ravel(), delta.sum(axis=0)])


def fit(
    texts: Sequence[str], labels: Sequence[str], classes: Sequence[str],
    settings: TrainingSettings, predicates: Sequence[str | None] | None = None,
) -> ModelArrays:
    """A model fitted on `texts` with their `labels` (each one of `classes`)."""
    index = {c: i for i, c in enumerate(classes)}
    y = np.array([index[label] for label in labels], dtype=np.int64)
    return fit_features(featurize(texts, predicates, settings.features), y, classes, settings)


def fit_features(
    features: FeatureMatrix, y: npt.NDArray[np.int64], classes: Sequence[str],
    settings: TrainingSettings,
) -> ModelArrays:
    """A model fitted on featurized sentences with class indices `y`."""
    columns, idf = _vocabulary(features.columns, features.indptr, settings.min_df)
    k = len(classes)
    empty = ModelArrays(
        classes=tuple(classes), settings=settings.features, columns=columns, idf=idf,
        weights=np.zeros((len(columns), k)), bias=np.zeros(k),
    )
    x = design_matrix(features, empty)
    counts = np.bincount(y, minlength=k).astype(np.float64)
    per_class = len(y) / (k * np.maximum(counts, 1)) if settings.balanced else np.ones(k)
    sample = per_class[y] / len(y)
    flat, loss, iterations = lbfgs(
        lambda w: _loss(w, x, y, sample, settings.l2), np.zeros(len(columns) * k + k),
        settings.max_iter,
    )
    log.info("fit: %d sentences, %d columns, %d iterations, loss %.4f",
             len(y), len(columns), iterations, loss)
    return replace(
        empty, weights=flat[: len(columns) * k].reshape(len(columns), k),
        bias=flat[len(columns) * k:],
    )


def _dot(a: npt.NDArray[np.float64], b: npt.NDArray[np.float64]) -> float:
    # not np.dot: BLAS may split a long dot product over threads, changing the last bits
    return float((a * b).sum())


def lbfgs(
    fun: Callable[[npt.NDArray[np.float64]], tuple[float, npt.NDArray[np.float64]]],
    x: npt.NDArray[np.float64], max_iter: int, memory: int = 10, ftol: float = 1e-9,
    gtol: float = 1e-6,
) -> tuple[npt.NDArray[np.float64], float, int]:
    """Minimise a smooth convex `fun` (value, gradient) from `x` by L-BFGS with a backtracking
    (Armijo) line search; the same inputs give the same bits on any machine. Stops when the
    largest gradient entry is under `gtol`, the relative decrease under `ftol`, or after
    `max_iter` iterations. Returns (x, value, iterations)."""
    f, g = fun(x)
    pairs: list[tuple[npt.NDArray[np.float64], npt.NDArray[np.float64], float]] = []
    for iteration in range(1, max_iter + 1):
        if np.abs(g).max() < gtol:
            return x, f, iteration - 1
        direction = _two_loop(g, pairs)
        step = 1.0 if pairs else 1.0 / max(float(np.sqrt(_dot(g, g))), 1e-12)
        slope = _dot(g, direction)
        while True:
            x_new = x + step * direction
            f_new, g_new = fun(x_new)
            if f_new <= f + 1e-4 * step * slope or step < 1e-10:
                break
            step *= 0.5
        s_k, y_k = x_new - x, g_new - g
        curvature = _dot(s_k, y_k)
        if curvature > 1e-12:
            pairs = [*pairs[-(memory - 1):], (s_k, y_k, 1.0 / curvature)]
        done = (f - f_new) <= ftol * max(abs(f), abs(f_new), 1.0)
        x, f, g = x_new, f_new, g_new
        if done:
            return x, f, iteration
    return x, f, max_iter


def _two_loop(
    g: npt.NDArray[np.float64],
    pairs: list[tuple[npt.NDArray[np.float64], npt.NDArray[np.float64], float]],
) -> npt.NDArray[np.float64]:
    """The L-BFGS descent direction -H g from the stored (s, y, 1 / s.y) pairs."""
    q = g.copy()
    alphas = []
    for s_k, y_k, rho in reversed(pairs):
        alpha = rho * _dot(s_k, q)
        q -= alpha * y_k
        alphas.append(alpha)
    if pairs:
        s_k, y_k, _ = pairs[-1]
        q *= _dot(s_k, y_k) / _dot(y_k, y_k)
    for (s_k, y_k, rho), alpha in zip(pairs, reversed(alphas), strict=True):
        q += (alpha - rho * _dot(y_k, q)) * s_k
    return -q


def stratified_folds(
    labels: Sequence[object], folds: int, seed: int
) -> list[npt.NDArray[np.int64]]:
    """Indices of each of `folds` test folds, every class spread evenly, shuffled by `seed`."""
    rng = np.random.default_rng(seed)
    parts: list[list[int]] = [[] for _ in range(folds)]
    offset = 0
    for label in sorted(set(labels), key=str):
        members = np.array([i for i, lab in enumerate(labels) if lab == label])
        rng.shuffle(members)
        for j, i in enumerate(members):
            parts[(j + offset) % folds].append(int(i))
        offset += len(members)
    return [np.array(sorted(p), dtype=np.int64) for p in parts]


def out_of_fold_logits(
    features: FeatureMatrix, y: npt.NDArray[np.int64], classes: Sequence[str],
    settings: TrainingSettings, folds: int, seed: int,
) -> npt.NDArray[np.float64]:
    """Each sentence's logits from the model fitted on the other folds (stratified k-fold)."""
    out = np.zeros((features.rows, len(classes)))
    for test in stratified_folds([int(v) for v in y], folds, seed):
        train = np.setdiff1d(np.arange(features.rows), test)
        model = fit_features(features.take(train.tolist()), y[train], classes, settings)
        x = design_matrix(features.take(test.tolist()), model)
        out[test] = np.asarray(x @ model.weights) + model.bias
    return out


def fit_temperature(logits: npt.NDArray[np.float64], y: npt.NDArray[np.int64]) -> float:
    """The softmax temperature that minimises the log-loss of (out-of-fold) logits."""
    def nll(t: float) -> float:
        z = logits / t
        z = z - z.max(axis=1, keepdims=True)
        log_p = z - np.log(np.exp(z).sum(axis=1, keepdims=True))
        return float(-log_p[np.arange(len(y)), y].mean())

    result = optimize.minimize_scalar(nll, bounds=(0.05, 20.0), method="bounded")
    return round(float(result.x), 4)
