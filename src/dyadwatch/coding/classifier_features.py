"""Hashed n-gram features of a sentence for the event classifier (numpy only).

A sentence becomes counts in three blocks, each keyed by the CRC-32 of a namespaced string (so no
vocabulary is stored and the same text always gives the same columns):
- `w`: word n-grams of the lower-cased tokens (digits folded to 0), an n-gram's column mixed
  from its words' columns;
- `c`: character n-grams inside each word padded with spaces (" arrest " -> " ar", "arr", ...);
- `p`: the lemma of the event's predicate when the caller knows it (from the parse).
Each block is weighted the same way at training and at run time: sublinear tf (1 + log tf) times
the column's idf, then L2-normalised within the block, then scaled by the block's weight.
`FeatureMatrix` is the CSR triple of a batch; the model keeps only the columns seen in training.
"""

from __future__ import annotations

import re
import zlib
from collections.abc import Sequence
from dataclasses import asdict, dataclass
from typing import Any

import numpy as np
import numpy.typing as npt

_TOKEN = re.compile(r"[^\W_]+(?:['’][^\W_]+)?")
_DIGIT = re.compile(r"\d")
_MIX = 0x01000193  # FNV prime: mixes word columns into n-gram columns
BLOCKS = ("w", "c", "p")


@dataclass(frozen=True, slots=True)
class FeatureSettings:
    """How a sentence is turned into hashed features (stored in the model's meta)."""

    word_ngrams: tuple[int, int] = (1, 2)
    char_ngrams: tuple[int, int] = (2, 5)
    hash_bits: int = 24
    word_weight: float = 1.0
    char_weight: float = 1.0
    predicate_weight: float = 0.0  # 0: predicates are not features

    def __post_init__(self) -> None:
        if not 8 <= self.hash_bits <= 29:
            raise ValueError(f"hash_bits must be 8-29, not {self.hash_bits}")

    def to_meta(self) -> dict[str, Any]:
        return {k: list(v) if isinstance(v, tuple) else v for k, v in asdict(self).items()}

    @classmethod
    def from_meta(cls, meta: dict[str, Any]) -> FeatureSettings:
        known = {k: v for k, v in meta.items() if k in cls.__dataclass_fields__}
        for key in ("word_ngrams", "char_ngrams"):
            if key in known:
                known[key] = (int(known[key][0]), int(known[key][1]))
        return cls(**known)

    def block_weight(self, block: str) -> float:
        return {"w": self.word_weight, "c": self.char_weight, "p": self.predicate_weight}[block]


@dataclass(frozen=True, slots=True)
class FeatureMatrix:
    """A batch as CSR arrays over hashed columns; `block` gives each stored value's block."""

    indptr: npt.NDArray[np.int64]
    columns: npt.NDArray[np.int64]
    tf: npt.NDArray[np.float64]  # sublinear term frequency
    block: npt.NDArray[np.int8]  # index into BLOCKS

    @property
    def rows(self) -> int:
        return len(self.indptr) - 1

    def take(self, rows: Sequence[int]) -> FeatureMatrix:
        """The sub-batch of the given rows, in that order."""
        starts, ends = self.indptr[:-1][list(rows)], self.indptr[1:][list(rows)]
        picked = np.concatenate([np.arange(s, e) for s, e in zip(starts, ends, strict=True)]
                                or [np.zeros(0, dtype=np.int64)])
        return FeatureMatrix(
            indptr=np.concatenate([[0], np.cumsum(ends - starts)]).astype(np.int64),
            columns=self.columns[picked], tf=self.tf[picked], block=self.block[picked],
        )


def tokens(text: str) -> list[str]:
    """Lower-cased word tokens with digits folded to 0 ("In 2011," -> ["in", "0000"])."""
    # a digit and "0" are both word characters: folding before splitting splits alike
    return _TOKEN.findall(_DIGIT.sub("0", text.lower().replace("’", "'")))


def _column(block: str, gram: str, mask: int) -> int:
    return zlib.crc32(f"{block}\x1f{gram}".encode()) & mask


def _mix(left: npt.NDArray[np.int64], right: npt.NDArray[np.int64], mask: int
         ) -> npt.NDArray[np.int64]:
    """The column of an n-gram from its first n-1 words' column and its last word's."""
    return ((left * _MIX) ^ right) & mask


_WordColumns = dict[str, tuple[int, npt.NDArray[np.int64]]]
_Keys = list[npt.NDArray[np.int64]]
_SHARED_WORDS: dict[tuple[int, tuple[int, int]], _WordColumns] = {}
# the last batch's word and character n-gram columns, per (hash bits, char and word n-grams)
_LAST_BATCH: dict[tuple[int, tuple[int, int], tuple[int, int]], tuple[tuple[str, ...],
                                                                       list[_Keys]]] = {}
LAST_BATCH_MAX = 4_096  # a longer batch (training) is not kept


class Featurizer:
    """Turns sentences into hashed features; remembers each word's columns (its unigram and
    its character n-grams), so a batch hashes each distinct word once; word n-grams are mixed
    from their words' columns. Featurizers with the same hash bits and character n-grams (the
    heads of the coder's two models) share that memory: a word's columns depend on nothing
    else."""

    def __init__(self, settings: FeatureSettings, cache_size: int = 200_000) -> None:
        self.settings = settings
        self._mask = (1 << settings.hash_bits) - 1
        self._words = _SHARED_WORDS.setdefault((settings.hash_bits, settings.char_ngrams), {})
        self._cache_size = cache_size
        self._shape = (settings.hash_bits, settings.char_ngrams, settings.word_ngrams)

    def _word(self, word: str) -> tuple[int, npt.NDArray[np.int64]]:
        found = self._words.get(word)
        if found is None:
            low, high = self.settings.char_ngrams
            padded = f" {word} "
            tag = 1 << self.settings.hash_bits  # block 1: "c"
            chars = np.array([
                tag | _column("c", padded[i:i + n], self._mask)
                for n in range(low, min(high, len(padded)) + 1)
                for i in range(len(padded) - n + 1)
            ], dtype=np.int64)
            found = (_column("w", word, self._mask), chars)
            if len(self._words) >= self._cache_size:
                self._words.clear()
            self._words[word] = found
        return found

    def _sentence_keys(self, text: str) -> _Keys:
        """The block-tagged word and character n-gram columns of one sentence, one per
        occurrence of an n-gram."""
        found = [self._word(w) for w in tokens(text)]
        unigrams = np.array([u for u, _ in found], dtype=np.int64)
        low, high = self.settings.word_ngrams
        grams, keys = unigrams, [unigrams] if low <= 1 else []
        for n in range(2, high + 1):
            grams = _mix(grams[:-1], unigrams[n - 1:], self._mask)
            if n >= low:
                keys.append(grams)
        return [*keys, *(chars for _, chars in found)]

    def _batch_keys(self, texts: Sequence[str]) -> list[_Keys]:
        """Each text's `_sentence_keys`. The last batch's are kept: a second model with the
        same settings reading the same sentences (the coder's detector after its classifier)
        does not split and hash them again."""
        batch = tuple(texts)
        last = _LAST_BATCH.get(self._shape)
        if last is not None and last[0] == batch:
            return last[1]
        keys = [self._sentence_keys(text) for text in batch]
        if len(batch) <= LAST_BATCH_MAX:
            _LAST_BATCH[self._shape] = (batch, keys)
        return keys

    def _predicate_key(self, predicate: str | None) -> _Keys:
        if not predicate or self.settings.predicate_weight <= 0:
            return []
        tag = 2 << self.settings.hash_bits  # block 2: "p"
        return [np.array([tag | _column("p", predicate.strip().lower(), self._mask)])]

    def __call__(
        self, texts: Sequence[str], predicates: Sequence[str | None] | None = None
    ) -> FeatureMatrix:
        """The hashed, sublinear-tf features of a batch (idf and norms are applied later)."""
        if predicates is not None and len(predicates) != len(texts):
            raise ValueError(f"{len(predicates)} predicates for {len(texts)} texts")
        parts: list[npt.NDArray[np.int64]] = []
        lengths = np.zeros(len(texts), dtype=np.int64)
        for i, words in enumerate(self._batch_keys(texts)):  # (the order of keys is free)
            arrays = words + self._predicate_key(predicates[i] if predicates is not None else None)
            lengths[i] = sum(len(a) for a in arrays)
            parts.extend(arrays)
        keys = np.concatenate(parts) if parts else np.zeros(0, dtype=np.int64)
        rows = np.repeat(np.arange(len(texts), dtype=np.int64), lengths)
        unique, counts = np.unique((rows << 32) | keys, return_counts=True)
        row_of = unique >> 32
        return FeatureMatrix(
            indptr=np.searchsorted(row_of, np.arange(len(texts) + 1)).astype(np.int64),
            columns=unique & self._mask,
            tf=1.0 + np.log(counts.astype(np.float64)),
            block=((unique & 0xFFFFFFFF) >> self.settings.hash_bits).astype(np.int8),
        )


def featurize(
    texts: Sequence[str], predicates: Sequence[str | None] | None, settings: FeatureSettings
) -> FeatureMatrix:
    """The features of a batch with a fresh `Featurizer` (see there)."""
    return Featurizer(settings)(texts, predicates)


def weigh(
    features: FeatureMatrix, positions: npt.NDArray[np.int64], idf: npt.NDArray[np.float64],
    settings: FeatureSettings,
) -> npt.NDArray[np.float64]:
    """The final value of each stored feature: tf * idf, L2-normalised per row and block, times
    the block's weight. `positions` maps each feature to its model column (-1: unknown, 0)."""
    known = positions >= 0
    values = np.where(known, features.tf * idf[np.where(known, positions, 0)], 0.0)
    row = np.repeat(np.arange(features.rows), np.diff(features.indptr))
    key = row * len(BLOCKS) + features.block
    norms = np.sqrt(np.bincount(key, weights=values * values, minlength=features.rows * 3))
    scale = np.array([settings.block_weight(b) for b in BLOCKS])[features.block]
    denominator = norms[key]
    return np.where(denominator > 0, values * scale / np.where(denominator > 0, denominator, 1),
                    0.0)
