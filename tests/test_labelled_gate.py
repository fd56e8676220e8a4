"""The real-data gate: the whole coder on labelled news nobody here wrote.

The held-out parts of the fixed splits (`coding.labelled`): wire sentences with PentaClass labels
and actor spans (shared/corpus/labelled), and the team's hand-labelled Guardian sentences
(bench/data/guardian_annotations.tsv, held out by article). Nothing was trained or tuned on them.
Floors sit a little under what the coder reached when they were set (docs/coding.md); CI fails
when it falls below.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from dyadwatch.coding.labelled import load_annotations, load_classes, load_spans
from dyadwatch.coding.labelled_score import (
    code_texts,
    score_classes,
    score_detection,
    score_spans,
)

PENTA_MACRO_F1_FLOOR = 0.82  # 0.842 at coder 0.7 (0.825 at 0.6, 0.811 at 0.5, 0.317 at 0.1)
CLASS_F1_FLOOR = 0.77  # every class; the lowest is 0.796 (material coop) at coder 0.7
WITH_EVENT_FLOOR = 0.80  # share of held-out wire sentences given an event (226/273 at 0.7)
SOURCE_HIT_FLOOR = 0.81  # 0.835 at coder 0.7 (0.810 at 0.6, 0.792 at 0.5, 0.260 at 0.1)
TARGET_HIT_FLOOR = 0.66  # 0.693 at coder 0.7 (0.668 at 0.6, 0.659 at 0.5, 0.259 before)
GUARDIAN_F1_FLOOR = 0.41  # event detection on held-out Guardian sentences: 0.439 at 0.4 (0.382)
GUARDIAN_PRECISION_FLOOR = 0.88  # 0.926 at coder 0.5 and 0.4 (0.913 at 0.3, 0.857 at 0.2)


@pytest.fixture(scope="module")
def labelled(shared_dir: Path) -> Path:
    return shared_dir / "corpus" / "labelled"


def test_pentaclass_of_held_out_wire_sentences_stays_above_the_floor(coder, labelled) -> None:
    rows = load_classes(labelled, "heldout")
    score = score_classes(rows, code_texts(coder, [r.text for r in rows]))
    assert score.macro_f1 >= PENTA_MACRO_F1_FLOOR, score
    assert min(score.per_class.values()) >= CLASS_F1_FLOOR, score.per_class
    assert score.with_event >= WITH_EVENT_FLOOR * score.sentences, score


def test_source_and_target_spans_of_held_out_sentences_are_found(coder, labelled) -> None:
    rows = load_spans(labelled, "heldout")
    score = score_spans(rows, code_texts(coder, [r.text for r in rows]))
    assert score.source_hit >= SOURCE_HIT_FLOOR, score
    assert score.target_hit >= TARGET_HIT_FLOOR, score


def test_events_of_held_out_guardian_sentences_are_found_without_flooding(
    coder, guardian_path
) -> None:
    rows = load_annotations(guardian_path, "heldout")
    score = score_detection([r.label for r in rows], code_texts(coder, [r.text for r in rows]))
    assert score.f1 >= GUARDIAN_F1_FLOOR, score
    assert score.precision >= GUARDIAN_PRECISION_FLOOR, score
