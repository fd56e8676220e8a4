"""The learned PentaClass classifier of a sentence's main event (numpy only at run time).

Reads sentences (and, when the parse found it, the lemma of the event's predicate); returns
per sentence the most likely PentaClass and the probability of each class. The model is a
multinomial logistic regression over hashed word and character n-grams
(`classifier_features`), trained by `scripts/train_event_model.py` on the labelled news
sentences (see `data/models/MODEL_CARD.md`). It ships as two files:
- `event_class.npz`: `columns` (the hashed columns seen in training, sorted), `idf`, `weights`
  (columns x classes, float16) and `bias`;
- `event_class.json`: name, version, classes, feature settings, softmax temperature and how it
  was trained.
"""

from __future__ import annotations

import io
import json
import zipfile
from collections.abc import Sequence
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt

from dyadwatch.coding.classifier_features import (
    FeatureMatrix,
    FeatureSettings,
    Featurizer,
    weigh,
)
from dyadwatch.errors import ModelError

MODEL_NAME = "event_class"
_ARRAYS = ("columns", "idf", "weights", "bias")


@dataclass(frozen=True)
class ClassScores:
    """The classifier's answer for one sentence."""

    label: str  # the most likely class
    probability: float  # its probability
    probabilities: dict[str, float]  # every class's probability (they sum to 1)


@dataclass(frozen=True)
class ModelArrays:
    """The numbers of a model: what training produces and the packaged file holds."""

    classes: tuple[str, ...]
    settings: FeatureSettings
    columns: npt.NDArray[np.int64]
    idf: npt.NDArray[np.float64]
    weights: npt.NDArray[np.float64]
    bias: npt.NDArray[np.float64]
    temperature: float = 1.0

    def logits(self, features: FeatureMatrix) -> npt.NDArray[np.float64]:
        """Raw class scores of each featurized sentence (each row computed on its own, so a
        batch gives the same numbers as one sentence at a time)."""
        positions = positions_of(self.columns, features.columns)
        values = weigh(features, positions, self.idf, self.settings)
        out = np.tile(self.bias, (features.rows, 1))
        for i in range(features.rows):
            start, end = features.indptr[i], features.indptr[i + 1]
            known = positions[start:end] >= 0
            rows = self.weights[positions[start:end][known]]
            out[i] += values[start:end][known] @ rows
        return out

    def probabilities(self, features: FeatureMatrix) -> npt.NDArray[np.float64]:
        return softmax(self.logits(features) / self.temperature)


def softmax(logits: npt.NDArray[np.float64]) -> npt.NDArray[np.float64]:
    shifted = np.exp(logits - logits.max(axis=1, keepdims=True))
    return np.asarray(shifted / shifted.sum(axis=1, keepdims=True))


def positions_of(
    columns: npt.NDArray[np.int64], hashed: npt.NDArray[np.int64]
) -> npt.NDArray[np.int64]:
    """The model column of each hashed feature, -1 for a column the model never saw."""
    if len(columns) == 0:
        return np.full(len(hashed), -1, dtype=np.int64)
    at = np.minimum(np.searchsorted(columns, hashed), len(columns) - 1)
    return np.where(columns[at] == hashed, at, -1).astype(np.int64)


class EventClassifier:
    """The packaged (or a given) PentaClass model; `scores` classifies a batch of sentences."""

    def __init__(self, arrays: ModelArrays, meta: dict[str, Any]) -> None:
        self.arrays = arrays
        self.meta = meta
        self.name: str = str(meta["name"])
        self.version: str = str(meta["version"])
        self.classes: tuple[str, ...] = arrays.classes
        self._featurize = Featurizer(arrays.settings)

    @classmethod
    def load(cls, path: Path | None = None, name: str = MODEL_NAME) -> EventClassifier:
        """The model at `path` (an `.npz` with its `.json` beside it); None: the packaged model
        `name` (the PentaClass model unless told otherwise)."""
        if path is None:
            folder = resources.files("dyadwatch").joinpath("data", "models")
            npz, meta_file = folder / f"{name}.npz", folder / f"{name}.json"
            label = f"dyadwatch/data/models/{name}.npz"
        else:
            npz, meta_file, label = path, path.with_suffix(".json"), str(path)
        try:
            meta = json.loads(meta_file.read_text(encoding="utf-8"))
            blob = npz.read_bytes()
        except (OSError, ValueError) as exc:
            raise ModelError(f"{label}: cannot read the model or its .json: {exc}") from exc
        return cls(arrays_from_files(blob, meta, label), meta)

    def scores(
        self, texts: Sequence[str], predicates: Sequence[str | None] | None = None
    ) -> list[ClassScores]:
        """The class of each text; `predicates` (one lemma or None per text) helps only a model
        trained with predicate features and is ignored otherwise."""
        probs = self.arrays.probabilities(self._featurize(texts, predicates))
        out = []
        for row in probs:
            best = int(np.argmax(row))
            out.append(ClassScores(
                label=self.classes[best], probability=float(row[best]),
                probabilities={c: float(p) for c, p in zip(self.classes, row, strict=True)},
            ))
        return out


def arrays_from_files(blob: bytes, meta: dict[str, Any], label: str) -> ModelArrays:
    """The model arrays of an `.npz` file's bytes and its meta; ModelError when malformed."""
    try:
        with np.load(io.BytesIO(blob), allow_pickle=False) as data:
            parts = {name: np.asarray(data[name]) for name in _ARRAYS}
        classes = tuple(str(c) for c in meta["classes"])
        arrays = ModelArrays(
            classes=classes, settings=FeatureSettings.from_meta(meta["features"]),
            columns=parts["columns"].astype(np.int64), idf=parts["idf"].astype(np.float64),
            weights=parts["weights"].astype(np.float64), bias=parts["bias"].astype(np.float64),
            temperature=float(meta.get("temperature", 1.0)),
        )
    except (KeyError, TypeError, ValueError, OSError, zipfile.BadZipFile) as exc:
        raise ModelError(f"{label}: not a valid event model: {exc!r}") from exc
    n, k = len(arrays.columns), len(classes)
    if arrays.weights.shape != (n, k) or arrays.idf.shape != (n,) or arrays.bias.shape != (k,):
        raise ModelError(f"{label}: array shapes do not match {n} columns and {k} classes")
    return arrays


def save_model(arrays: ModelArrays, meta: dict[str, Any], path: Path) -> None:
    """Write `path` (.npz, float16 weights) and its .json; the same model gives the same bytes
    (fixed zip timestamps, sorted JSON keys)."""
    parts: dict[str, npt.NDArray[Any]] = {
        "columns": arrays.columns.astype(np.uint32), "idf": arrays.idf.astype(np.float16),
        "weights": arrays.weights.astype(np.float16), "bias": arrays.bias.astype(np.float32),
    }
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for name in _ARRAYS:
            buffer = io.BytesIO()
            np.lib.format.write_array(buffer, parts[name], allow_pickle=False)
            info = zipfile.ZipInfo(f"{name}.npy", date_time=(1980, 1, 1, 0, 0, 0))
            info.compress_type = zipfile.ZIP_DEFLATED
            archive.writestr(info, buffer.getvalue(), compresslevel=9)
    full = {**meta, "classes": list(arrays.classes), "features": arrays.settings.to_meta(),
            "temperature": arrays.temperature}
    path.with_suffix(".json").write_text(
        json.dumps(full, indent=2, sort_keys=True) + "\n", encoding="utf-8")


def rounded(arrays: ModelArrays) -> ModelArrays:
    """The arrays as the saved file holds them (float16 weights and idf, float32 bias)."""
    return ModelArrays(
        classes=arrays.classes, settings=arrays.settings, columns=arrays.columns,
        idf=arrays.idf.astype(np.float16).astype(np.float64),
        weights=arrays.weights.astype(np.float16).astype(np.float64),
        bias=arrays.bias.astype(np.float32).astype(np.float64), temperature=arrays.temperature,
    )
