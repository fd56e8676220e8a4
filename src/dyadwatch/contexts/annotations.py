"""The team's context annotations (bench/data/context_annotations.tsv) and their fixed split.

Each row is one event coded by the coder of 2026-12 from shared/corpus/guardian-sdf or
shared/corpus/seeds, with the PLOVER contexts the team read in its sentence (definitions:
the `definition` of each context in data/contexts/contexts.yaml, from the PLOVER manual).
Columns: `key` = ARTICLE:START:END, character offsets of the event's sentence in the article's
text (ARTICLE is a guardian-sdf id, or `seeds/FILE` for a seed); `cameo`, `source`, `target`
= the event's code and actor codes as the coder gave them (empty when uncoded); `contexts` =
the names joined by `;` (empty: none). The sentence itself is read from ../shared at run time:
the repository holds keys and labels only. guardian-sdf-101, -139, -619 and -639 are not in it.

The split is fixed and holds out whole articles: an article is held out when the SHA-1 of its
id is 0 mod 4 (about 25% of the rows). Cues, priors and thresholds are chosen on `train` only;
figures are reported on `heldout`.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

CONTEXT_ANNOTATIONS = (
    Path(__file__).resolve().parents[3] / "bench" / "data" / "context_annotations.tsv"
)
Part = Literal["train", "heldout", "all"]
SEEDS_PREFIX = "seeds/"


def is_heldout(article: str) -> bool:
    """The fixed split: whole articles, SHA-1 of the id mod 4 == 0."""
    return int(hashlib.sha1(article.encode("utf-8")).hexdigest(), 16) % 4 == 0


@dataclass(frozen=True, slots=True)
class ContextExample:
    """One annotated event: its key, sentence (read from the corpus), code, actors, contexts."""

    key: str
    sentence: str
    cameo: str
    source: str | None
    target: str | None
    contexts: frozenset[str]

    @property
    def article(self) -> str:
        return self.key.rsplit(":", 2)[0]


def article_texts(corpus: Path) -> dict[str, str]:
    """Article id -> text: guardian-sdf's JSONL records, and the seeds as `seeds/FILE`."""
    texts: dict[str, str] = {}
    jsonl = corpus / "guardian-sdf" / "articles.jsonl"
    for line in jsonl.read_text(encoding="utf-8").splitlines():
        row = json.loads(line)
        texts[row["id"]] = row["text"]
    for path in sorted((corpus / "seeds").glob("*.txt")):
        texts[SEEDS_PREFIX + path.name] = path.read_text(encoding="utf-8")
    return texts


def load_context_annotations(
    corpus: Path, part: Part = "all", path: Path = CONTEXT_ANNOTATIONS
) -> list[ContextExample]:
    """The annotated events of `part`, sentences read from `corpus` (shared/corpus)."""
    texts = article_texts(corpus)
    rows = []
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines()[1:], start=2):
        cells = [*line.split("\t"), "", "", "", ""]
        key, cameo, source, target, contexts = cells[:5]
        article, start, end = key.rsplit(":", 2)
        if part != "all" and is_heldout(article) != (part == "heldout"):
            continue
        if article not in texts:
            raise ValueError(f"{path}:{number}: unknown article {article!r}")
        rows.append(ContextExample(
            key=key, sentence=texts[article][int(start):int(end)], cameo=cameo,
            source=source or None, target=target or None,
            contexts=frozenset(c for c in contexts.split(";") if c),
        ))
    return rows
