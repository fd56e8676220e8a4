"""The numbers of a linear event model and their file format (numpy only).

`ModelArrays` is one head of the classifier: hashed columns seen in training (sorted), their
idf, the weights (columns x classes), the bias and a softmax temperature. `save_heads` writes
several heads into one `.npz` (members `<head>/<array>.npy`, float16 weights, fixed zip
timestamps so the same model gives the same bytes) with a `.json` of the meta beside it;
`load_heads` reads them back and checks the shapes.
"""

from __future__ import annotations

import io
import json
import zipfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt

from dyadwatch.coding.classifier_features import FeatureMatrix, FeatureSettings, weigh
from dyadwatch.errors import ModelError

_ARRAYS = ("columns", "idf", "weights", "bias")


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
        if len(values) == 0:
            return out
        # unknown columns have value 0; each row's terms are summed in its own stored order
        terms = self.weights[np.maximum(positions, 0)] * values[:, None]
        starts = features.indptr[:-1]
        filled = features.indptr[1:] > starts
        out[filled] += np.add.reduceat(terms, starts[filled], axis=0)
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



def _head(data: Any, head: str, spec: dict[str, Any], classes: tuple[str, ...]) -> ModelArrays:
    parts = {name: np.asarray(data[f"{head}/{name}"]) for name in _ARRAYS}
    return ModelArrays(
        classes=classes, settings=FeatureSettings.from_meta(spec["features"]),
        columns=parts["columns"].astype(np.int64), idf=parts["idf"].astype(np.float64),
        weights=parts["weights"].astype(np.float64), bias=parts["bias"].astype(np.float64),
        temperature=float(spec.get("temperature", 1.0)),
    )


def load_heads(blob: bytes, meta: dict[str, Any], label: str) -> dict[str, ModelArrays]:
    """The heads of an `.npz` file's bytes as its meta lists them; ModelError when malformed."""
    try:
        classes = tuple(str(c) for c in meta["classes"])
        with np.load(io.BytesIO(blob), allow_pickle=False) as data:
            heads = {name: _head(data, name, spec, classes)
                     for name, spec in meta["heads"].items()}
    except (KeyError, TypeError, ValueError, AttributeError, OSError,
            zipfile.BadZipFile) as exc:
        raise ModelError(f"{label}: not a valid event model: {exc!r}") from exc
    for name, arrays in heads.items():
        n, k = len(arrays.columns), len(classes)
        if (arrays.weights.shape != (n, k) or arrays.idf.shape != (n,)
                or arrays.bias.shape != (k,)):
            raise ModelError(f"{label}: head {name}: array shapes do not match {n} columns "
                             f"and {k} classes")
    return heads


def save_heads(heads: dict[str, ModelArrays], meta: dict[str, Any], path: Path) -> None:
    """Write `path` (.npz) and its .json; the same model gives the same bytes."""
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for head, arrays in heads.items():
            parts: dict[str, npt.NDArray[Any]] = {
                "columns": arrays.columns.astype(np.uint32),
                "idf": arrays.idf.astype(np.float16),
                "weights": arrays.weights.astype(np.float16),
                "bias": arrays.bias.astype(np.float32),
            }
            for name in _ARRAYS:
                buffer = io.BytesIO()
                np.lib.format.write_array(buffer, parts[name], allow_pickle=False)
                info = zipfile.ZipInfo(f"{head}/{name}.npy", date_time=(1980, 1, 1, 0, 0, 0))
                info.compress_type = zipfile.ZIP_DEFLATED
                archive.writestr(info, buffer.getvalue(), compresslevel=9)
    classes = next(iter(heads.values())).classes
    full = {**meta, "classes": list(classes), "heads": {
        name: {"features": a.settings.to_meta(), "temperature": a.temperature,
               "columns": len(a.columns)}
        for name, a in heads.items()}}
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
