"""The learned PentaClass classifier of a sentence's main event (numpy only at run time).

Reads sentences and, when the caller has parsed them, the lemma of each sentence's predicate
(`predicate_lemma`: the syntactic root); returns per sentence the most likely PentaClass and the
probability of each class. The model (`data/models/event_class.npz` + `.json`, see
`MODEL_CARD.md`) is a multinomial logistic regression over hashed word and character n-grams
(`classifier_features`) with two heads trained on the same sentences:
- `text`: the words alone, used when no predicate is given;
- `predicate`: the words plus the predicate lemma, used for each sentence that has one.
`scripts/train_event_model.py` rebuilds it. `load_class_roots` gives the CAMEO code to use for
an event known only by its class.
"""

from __future__ import annotations

import json
import re
from collections.abc import Sequence
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np
import numpy.typing as npt

from dyadwatch.coding.classifier_arrays import ModelArrays, load_heads
from dyadwatch.coding.classifier_features import Featurizer
from dyadwatch.coding.labelled import PENTA_CLASSES, penta_class
from dyadwatch.datafiles import read_data_file
from dyadwatch.errors import DictionaryError, ModelError

if TYPE_CHECKING:
    from spacy.tokens import Span

MODEL_NAME = "event_class"
TEXT_HEAD, PREDICATE_HEAD = "text", "predicate"


@dataclass(frozen=True)
class ClassScores:
    """The classifier's answer for one sentence."""

    label: str  # the most likely class
    probability: float  # its probability
    probabilities: dict[str, float]  # every class's probability (they sum to 1)


def predicate_lemma(parsed: Span) -> str | None:
    """The predicate the `predicate` head was trained with: the lower-cased lemma of the root
    of the longest sentence spaCy found in `parsed` (a parsed text as `doc[:]`, or one
    sentence); None for an empty span."""
    sentences = [s for s in parsed.doc.sents if s.start < parsed.end and s.end > parsed.start]
    if not sentences:
        return None
    root = max(sentences, key=len).root
    return root.lemma_.lower() or None


class EventClassifier:
    """The packaged (or a given) PentaClass model; `scores` classifies a batch of sentences."""

    def __init__(self, heads: dict[str, ModelArrays], meta: dict[str, Any]) -> None:
        if TEXT_HEAD not in heads:
            raise ModelError(f"model {meta.get('name')!r} has no '{TEXT_HEAD}' head")
        self.heads = heads
        self.meta = meta
        self.name: str = str(meta["name"])
        self.version: str = str(meta["version"])
        self.classes: tuple[str, ...] = heads[TEXT_HEAD].classes
        self._featurizers = {name: Featurizer(a.settings) for name, a in heads.items()}

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
        if not isinstance(meta, dict) or "name" not in meta or "version" not in meta:
            raise ModelError(f"{label}: its .json has no name and version")
        return cls(load_heads(blob, meta, label), meta)

    def probabilities(
        self, texts: Sequence[str], predicates: Sequence[str | None] | None = None
    ) -> npt.NDArray[np.float64]:
        """Class probabilities, one row per text (columns in the order of `classes`). A text
        with a predicate goes to the predicate head (when the model has one), the others to
        the text head; every row is computed on its own."""
        if predicates is not None and len(predicates) != len(texts):
            raise ValueError(f"{len(predicates)} predicates for {len(texts)} texts")
        for i, text in enumerate(texts):
            if not isinstance(text, str):
                raise TypeError(f"texts[{i}]: expected a str, not {type(text).__name__}")
        out = np.zeros((len(texts), len(self.classes)))
        with_predicate = [
            i for i, p in enumerate(predicates or ()) if p and PREDICATE_HEAD in self.heads
        ]
        plain = sorted(set(range(len(texts))) - set(with_predicate))
        for head, rows, preds in (
            (TEXT_HEAD, plain, None),
            (PREDICATE_HEAD, with_predicate, [predicates[i] for i in with_predicate]
             if predicates is not None else None),
        ):
            if rows:
                features = self._featurizers[head]([texts[i] for i in rows], preds)
                out[rows] = self.heads[head].probabilities(features)
        return out

    def scores(
        self, texts: Sequence[str], predicates: Sequence[str | None] | None = None
    ) -> list[ClassScores]:
        """The class of each text; `predicates`: one lemma (see `predicate_lemma`) or None per
        text, or None for all."""
        out = []
        for row in self.probabilities(texts, predicates):
            best = int(np.argmax(row))
            out.append(ClassScores(
                label=self.classes[best], probability=float(row[best]),
                probabilities={c: float(p) for c, p in zip(self.classes, row, strict=True)},
            ))
        return out


def load_class_roots(path: Path | None = None) -> dict[str, str]:
    """PentaClass -> the CAMEO code to give an event known only by its class
    (`data/models/class_roots.yaml`, or the file at `path`)."""
    label, data = read_data_file("models/class_roots.yaml", path)
    roots = data.get("roots")
    if not isinstance(roots, dict):
        raise DictionaryError(f"{label}: expected a `roots:` mapping of class to CAMEO code")
    unknown = set(roots) - set(PENTA_CLASSES)
    if unknown:
        raise DictionaryError(f"{label}: roots: unknown classes {sorted(unknown)}")
    out = {}
    for name in PENTA_CLASSES:
        code = str(roots.get(name, ""))
        if not re.fullmatch(r"\d{2,4}", code) or not 1 <= int(code[:2]) <= 20:
            raise DictionaryError(f"{label}: roots.{name}: expected a CAMEO code, not {code!r}")
        if penta_class(code[:2]) != name:
            raise DictionaryError(f"{label}: roots.{name}: {code} is of class "
                                  f"{penta_class(code[:2])}")
        out[name] = code
    return out
