"""The packaged PentaClass event classifier: its held-out quality gate, its API and training.

The gate reads the real labelled sentences from ../shared (the held-out part the shipped model
was never trained or tuned on); only the small determinism test trains anything.
"""

from __future__ import annotations

import json
import time
from pathlib import Path

import numpy as np
import pytest

from dyadwatch.coding.classifier import EventClassifier, rounded, save_model
from dyadwatch.coding.classifier_eval import score
from dyadwatch.coding.classifier_features import FeatureSettings, Featurizer, tokens
from dyadwatch.coding.classifier_training import TrainingSettings, fit
from dyadwatch.coding.labelled import PENTA_CLASSES, load_classes
from dyadwatch.errors import ModelError

# measured 2026-12-07 with the model of scripts/train_event_model.py (see MODEL_CARD.md):
# held-out macro-F1 MEASURED_F1, lowest class F1 MEASURED_MIN; the floors sit a little under
HELDOUT_MACRO_F1_FLOOR = 0.80
CLASS_F1_FLOOR = 0.72

MINE = [  # written for these tests
    "The two foreign ministers met in Geneva on Tuesday to discuss the border dispute.",
    "Rebels shelled the outskirts of the provincial capital overnight, killing four soldiers.",
    "The opposition leader accused the government of rigging the vote.",
    "The government said it would send food and medicine to the flooded region.",
    "Police arrested twelve protesters outside the embassy.",
]


@pytest.fixture(scope="module")
def model() -> EventClassifier:
    return EventClassifier.load()


@pytest.fixture(scope="module")
def heldout(shared_dir: Path):
    return load_classes(shared_dir / "corpus" / "labelled", "heldout")


def test_packaged_model_meets_the_heldout_gate(model: EventClassifier, heldout) -> None:
    answers = model.scores([s.text for s in heldout])
    figures = score([s.label for s in heldout], [a.label for a in answers],
                    [a.probability for a in answers], model.classes)
    assert len(heldout) > 250
    assert figures.macro_f1 >= HELDOUT_MACRO_F1_FLOOR, figures
    for c in figures.per_class:
        assert c.f1 >= CLASS_F1_FLOOR, c


def test_packaged_model_was_trained_on_the_train_part_only(
    model: EventClassifier, shared_dir: Path
) -> None:
    train = load_classes(shared_dir / "corpus" / "labelled", "train")
    assert model.meta["training"]["sentences"] == len(train)
    heldout = {s.text for s in load_classes(shared_dir / "corpus" / "labelled", "heldout")}
    assert not heldout & {s.text for s in train}


def test_loading_is_fast_and_describes_the_model() -> None:
    start = time.perf_counter()
    model = EventClassifier.load()
    assert time.perf_counter() - start < 2.0
    assert model.classes == PENTA_CLASSES
    assert model.name == "event_class" and model.version
    assert model.meta["temperature"] > 0


def test_scores_are_probabilities_of_every_class(model: EventClassifier) -> None:
    for answer in model.scores(MINE):
        assert set(answer.probabilities) == set(PENTA_CLASSES)
        assert sum(answer.probabilities.values()) == pytest.approx(1.0)
        assert answer.probability == max(answer.probabilities.values())
        assert answer.probabilities[answer.label] == answer.probability


def test_plain_sentences_get_their_class(model: EventClassifier) -> None:
    labels = [a.label for a in model.scores(MINE)]
    assert labels[1] == "material_conflict"
    assert labels[2] == "verbal_conflict"
    assert labels[4] == "material_conflict"


def test_scores_are_deterministic_and_batch_equals_one_by_one(model: EventClassifier) -> None:
    batch = model.scores(MINE)
    again = EventClassifier.load().scores(list(reversed(MINE)))[::-1]
    single = [model.scores([text])[0] for text in MINE]
    assert batch == again == single


def test_empty_inputs_are_answered() -> None:
    model = EventClassifier.load()
    assert model.scores([]) == []
    (answer,) = model.scores(["", ])
    assert answer.label in PENTA_CLASSES
    assert sum(answer.probabilities.values()) == pytest.approx(1.0)


def test_predicates_must_match_the_texts(model: EventClassifier) -> None:
    with pytest.raises(ValueError, match="2 predicates for 1 texts"):
        model.scores(["The army shelled the town."], ["shell", "attack"])


def test_a_broken_model_file_is_a_clear_error(tmp_path: Path) -> None:
    path = tmp_path / "broken.npz"
    path.write_bytes(b"not a zip")
    path.with_suffix(".json").write_text(json.dumps({"name": "x", "version": "1"}))
    with pytest.raises(ModelError, match=r"broken\.npz: not a valid event model"):
        EventClassifier.load(path)
    with pytest.raises(ModelError, match="cannot read"):
        EventClassifier.load(tmp_path / "missing.npz")


def test_tokens_fold_case_and_digits() -> None:
    assert tokens("In 2011, Kenya’s army MOVED in.") == ["in", "0000", "kenya's", "army",
                                                         "moved", "in"]


def test_featurizer_counts_each_ngram_once_per_column() -> None:
    features = Featurizer(FeatureSettings())(["talks talks", "talks"])
    assert features.rows == 2
    first = slice(features.indptr[0], features.indptr[1])
    second = slice(features.indptr[1], features.indptr[2])
    # the word "talks" twice: sublinear tf 1 + log 2 in the first sentence, 1 in the second
    assert features.tf[first].max() == pytest.approx(1 + np.log(2))
    assert features.tf[second].max() == pytest.approx(1.0)


def test_training_is_deterministic_and_saves_the_same_bytes(
    shared_dir: Path, tmp_path: Path
) -> None:
    rows = load_classes(shared_dir / "corpus" / "labelled", "train")[:150]
    settings = TrainingSettings(features=FeatureSettings(hash_bits=18), l2=1e-4, max_iter=60)
    first = fit([r.text for r in rows], [r.label for r in rows], PENTA_CLASSES, settings)
    second = fit([r.text for r in rows], [r.label for r in rows], PENTA_CLASSES, settings)
    assert np.array_equal(first.weights, second.weights)
    assert np.array_equal(first.bias, second.bias)
    assert np.abs(first.weights).max() > 0
    paths = [tmp_path / "a.npz", tmp_path / "b.npz"]
    for path, arrays in zip(paths, (first, second), strict=True):
        save_model(rounded(arrays), {"name": "t", "version": "0"}, path)
    assert paths[0].read_bytes() == paths[1].read_bytes()
    loaded = EventClassifier.load(paths[0])
    predicted = [a.label for a in loaded.scores([r.text for r in rows])]
    assert np.mean([p == r.label for p, r in zip(predicted, rows, strict=True)]) > 0.9
