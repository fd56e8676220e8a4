"""Lexicon versus a small classifier for contexts: 5-fold cross-validation on the train part.

    .venv/bin/python bench/context_cv.py [--folds 5] [--seed 7]

Folds split whole articles (as the held-out part does). Compared, on the same folds:
- `lexicon`: the packaged lexicon (dyadwatch/data/contexts/contexts.yaml) as it is; its cues
  were written on the whole train part, so its CV figure is optimistic;
- `logreg`: one-vs-rest logistic regression (numpy, L2, full-batch gradient descent) on the
  sentence's lemma unigrams and bigrams, the CAMEO root and code, and the actors' roles;
- `logreg+lex`: the same with the lexicon's per-context scores as extra features.
Micro-F1 of each, then per-context F1. Nothing is written.
"""

from __future__ import annotations

import argparse
import itertools
import random
from collections.abc import Sequence
from pathlib import Path

import numpy as np
import numpy.typing as npt

from dyadwatch.contexts.annotations import ContextExample, load_context_annotations
from dyadwatch.contexts.evaluate import lexicon_predict, score_contexts
from dyadwatch.contexts.lexicon import ContextLexicon, lemma_text, load_contexts

ROOT = Path(__file__).resolve().parents[1]
Matrix = npt.NDArray[np.float64]


def _features(ex: ContextExample) -> list[str]:
    words = lemma_text(ex.sentence).split()
    grams = [f"w:{w}" for w in words] + [f"b:{a}_{b}" for a, b in itertools.pairwise(words)]
    roles = [f"r:{(c or '')[3:] or c}" for c in (ex.source, ex.target) if c]
    return [*grams, f"c2:{ex.cameo[:2]}", f"c:{ex.cameo}", *roles]


def _matrix(rows: Sequence[ContextExample], vocab: dict[str, int], lexicon: ContextLexicon | None
            ) -> Matrix:
    extra = len(lexicon.names) if lexicon else 0
    x = np.zeros((len(rows), len(vocab) + extra + 1))
    for i, ex in enumerate(rows):
        for f in _features(ex):
            if f in vocab:
                x[i, vocab[f]] = 1.0
        if lexicon:
            scores = lexicon.scores(ex.sentence, ex.cameo, (ex.source, ex.target))
            x[i, len(vocab):len(vocab) + extra] = [min(s, 3.0) for s in scores.values()]
        x[i, -1] = 1.0  # bias
    return x


def _fit(x: Matrix, y: Matrix, l2: float = 1.0, steps: int = 400, rate: float = 0.5) -> Matrix:
    w = np.zeros((x.shape[1], y.shape[1]))
    for _ in range(steps):
        p = 1.0 / (1.0 + np.exp(-(x @ w)))
        grad = x.T @ (p - y) / len(x) + l2 * w / len(x)
        w -= rate * grad
    return w


def _logreg(train: Sequence[ContextExample], test: Sequence[ContextExample], names: Sequence[str],
            lexicon: ContextLexicon | None) -> list[set[str]]:
    counts: dict[str, int] = {}
    for ex in train:
        for f in set(_features(ex)):
            counts[f] = counts.get(f, 0) + 1
    vocab = {f: i for i, f in enumerate(sorted(f for f, n in counts.items() if n >= 2))}
    y = np.array([[1.0 if n in ex.contexts else 0.0 for n in names] for ex in train])
    w = _fit(_matrix(train, vocab, lexicon), y)
    p = 1.0 / (1.0 + np.exp(-(_matrix(test, vocab, lexicon) @ w)))
    return [{n for j, n in enumerate(names) if p[i, j] >= 0.5} for i in range(len(test))]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--shared", type=Path, default=ROOT.parent / "shared")
    parser.add_argument("--folds", type=int, default=5)
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()
    lexicon = load_contexts()
    names = lexicon.names
    rows = load_context_annotations(args.shared / "corpus", "train")
    articles = sorted({ex.article for ex in rows})
    random.Random(args.seed).shuffle(articles)
    fold_of = {a: i % args.folds for i, a in enumerate(articles)}
    predicted: dict[str, dict[str, set[str]]] = {"lexicon": {}, "logreg": {}, "logreg+lex": {}}
    lex = lexicon_predict(lexicon)
    for k in range(args.folds):
        train = [ex for ex in rows if fold_of[ex.article] != k]
        test = [ex for ex in rows if fold_of[ex.article] == k]
        for ex in test:
            predicted["lexicon"][ex.key + ex.cameo + str(ex.source) + str(ex.target)] = set(lex(ex))
        for method, lx in (("logreg", None), ("logreg+lex", lexicon)):
            for ex, got in zip(test, _logreg(train, test, names, lx), strict=True):
                predicted[method][ex.key + ex.cameo + str(ex.source) + str(ex.target)] = got
    print(f"{len(rows)} train events, {len(articles)} articles, {args.folds} folds")
    for method, table in predicted.items():
        micro, per = score_contexts(
            rows, lambda ex, t=table: t[ex.key + ex.cameo + str(ex.source) + str(ex.target)],
            names)
        detail = " ".join(f"{s.name}={s.f1:.2f}" for s in per if s.support)
        print(f"{method:<11} micro P={micro.precision:.3f} R={micro.recall:.3f} "
              f"F1={micro.f1:.3f} | {detail}")


if __name__ == "__main__":
    main()
