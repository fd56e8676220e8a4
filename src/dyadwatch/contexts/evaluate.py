"""Scoring predicted contexts against annotated ones: micro and per-context P/R/F1."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass

from dyadwatch.contexts.annotations import ContextExample
from dyadwatch.contexts.lexicon import ContextLexicon

Predict = Callable[[ContextExample], Iterable[str]]


@dataclass(frozen=True, slots=True)
class ContextScore:
    """True positives, false positives and false negatives of one context (or all: micro)."""

    name: str
    tp: int
    fp: int
    fn: int

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 0.0

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 0.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0

    @property
    def support(self) -> int:
        return self.tp + self.fn


def lexicon_predict(lexicon: ContextLexicon) -> Predict:
    """The lexicon's contexts for an annotated event (its sentence, code and actors)."""
    return lambda ex: lexicon.assign(ex.sentence, ex.cameo, (ex.source, ex.target))


def score_contexts(
    examples: Sequence[ContextExample], predict: Predict, names: Sequence[str]
) -> tuple[ContextScore, list[ContextScore]]:
    """(micro score, one score per context in `names`) of `predict` on `examples`."""
    counts: dict[str, Counter[str]] = {n: Counter() for n in names}
    for ex in examples:
        predicted = set(predict(ex)) & set(names)
        for name in names:
            gold = name in ex.contexts
            hit = name in predicted
            counts[name]["tp" if gold and hit else "fp" if hit else "fn" if gold else "tn"] += 1
    per = [ContextScore(n, c["tp"], c["fp"], c["fn"]) for n, c in counts.items()]
    micro = ContextScore("micro", sum(s.tp for s in per), sum(s.fp for s in per),
                         sum(s.fn for s in per))
    return micro, per
