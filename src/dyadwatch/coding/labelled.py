"""Real labelled news sentences (shared/corpus/labelled/): loaders, the fixed split, PentaClass.

The files are third-party data read at run time by tests, benchmarks and training scripts; the
installed product never needs them. Two files, not aligned by position:
- `conflibert-train.tsv`: `sentence<TAB>label`, label = PentaClass 0-4 of the main event;
- `conflibert-train-spans.conll`: `token TAG` lines, tags B-/I- S (source), T (target), R (both
  sides of a joint act), O; a blank line between sentences.

A third set is the team's own: sentences of shared/corpus/guardian-sdf read and labelled by hand
(bench/data/guardian_annotations.tsv: `key` = ARTICLE:START:END character offsets into the
article's text, `label` = a PentaClass or `none`, and the words of the main event's source and
target); the text is read from the corpus at run time. Its split holds out whole articles.

The split is fixed and the same for both files: a sentence is held out when the SHA-1 of its
normalised text (lower case, letters and digits only) is 0 mod 5 (about 20%). Everything trained
or tuned on these files uses only the `train` part; figures are reported on `heldout`.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

PENTA_CLASSES = (
    "statement", "verbal_coop", "material_coop", "verbal_conflict", "material_conflict",
)
# Phoenix/ICEWS PentaClass: appeals are statements; reducing relations (16) is verbal conflict,
# protests (14) material conflict
_PENTA_OF_ROOT = {
    1: 0, 2: 0, 3: 1, 4: 1, 5: 1, 6: 2, 7: 2, 8: 2, 9: 3, 10: 3, 11: 3, 12: 3, 13: 3, 16: 3,
    14: 4, 15: 4, 17: 4, 18: 4, 19: 4, 20: 4,
}
TSV_NAME = "conflibert-train.tsv"
SPANS_NAME = "conflibert-train-spans.conll"
Part = Literal["train", "heldout", "all"]


def penta_class(root: str) -> str:
    """The PentaClass name of a two-digit CAMEO root ("02" -> statement, "14" -> material
    conflict)."""
    return PENTA_CLASSES[_PENTA_OF_ROOT[int(root)]]


def normalise(text: str) -> str:
    """The key two files' copies of one sentence share: lower case, letters and digits only."""
    return re.sub(r"[\W_]+", "", text.lower())


def is_heldout(text: str) -> bool:
    digest = hashlib.sha1(normalise(text).encode("utf-8")).hexdigest()
    return int(digest, 16) % 5 == 0


def _in_part(text: str, part: Part) -> bool:
    return part == "all" or is_heldout(text) == (part == "heldout")


@dataclass(frozen=True, slots=True)
class ClassSentence:
    text: str
    label: str  # a PentaClass name


@dataclass(frozen=True, slots=True)
class SpanSentence:
    tokens: tuple[str, ...]
    tags: tuple[str, ...]  # B-S, I-S, B-T, I-T, B-R, I-R, O

    @property
    def text(self) -> str:
        return " ".join(self.tokens)

    def indices(self, side: str) -> frozenset[int]:
        """Token positions tagged as `side` ("S" or "T"); joint-act tokens (R) count as both."""
        return frozenset(
            i for i, tag in enumerate(self.tags) if tag[2:] in (side, "R") and tag != "O"
        )


def load_classes(folder: Path, part: Part = "all") -> list[ClassSentence]:
    """The labelled sentences of `part`, deduplicated by normalised text (first label wins)."""
    seen: set[str] = set()
    rows = []
    for line in (folder / TSV_NAME).read_text(encoding="utf-8").splitlines():
        text, sep, label = line.rpartition("\t")
        key = normalise(text)
        if not sep or key in seen or not _in_part(text, part):
            continue
        seen.add(key)
        rows.append(ClassSentence(text=text.strip(), label=PENTA_CLASSES[int(label)]))
    return rows


def _conll_blocks(path: Path) -> Iterator[list[tuple[str, str]]]:
    block: list[tuple[str, str]] = []
    for line in path.read_text(encoding="utf-8").splitlines():
        token, _, tag = line.rpartition(" ")
        if line.strip():
            block.append((token, tag))
        elif block:
            yield block
            block = []
    if block:
        yield block


def load_spans(folder: Path, part: Part = "all") -> list[SpanSentence]:
    """The span-annotated sentences of `part` (same split as `load_classes`)."""
    rows = []
    for block in _conll_blocks(folder / SPANS_NAME):
        sentence = SpanSentence(tuple(t for t, _ in block), tuple(tag for _, tag in block))
        if _in_part(sentence.text, part):
            rows.append(sentence)
    return rows


ANNOTATIONS = Path(__file__).resolve().parents[3] / "bench" / "data" / "guardian_annotations.tsv"


@dataclass(frozen=True, slots=True)
class AnnotatedSentence:
    key: str
    text: str
    label: str  # a PentaClass name or "none"
    source: str
    target: str


def load_annotations(
    articles: Path, part: Part = "all", path: Path = ANNOTATIONS
) -> list[AnnotatedSentence]:
    """The hand-labelled Guardian sentences of `part` (held out: articles whose id is)."""
    texts = {}
    for line in articles.read_text(encoding="utf-8").splitlines():
        row = json.loads(line)
        texts[row["id"]] = row["text"]
    rows = []
    for line in path.read_text(encoding="utf-8").splitlines()[1:]:
        key, label, source, target = [*line.split("\t"), "", ""][:4]
        article, start, end = key.rsplit(":", 2)
        if part != "all" and is_heldout(article) != (part == "heldout"):
            continue
        text = texts[article][int(start):int(end)]
        rows.append(AnnotatedSentence(key, text, label, source, target))
    return rows
