"""Guardian sentences to label by hand next (issue #11: the detector needs analytic prose).

    .venv/bin/python bench/annotation_candidates.py --out /tmp/candidates.tsv [--seed 11]
        [--open 450] [--random 250] [--shared ../shared]

Two seeded samples of sentences of the `train` articles of shared/corpus/guardian-sdf (never the
held-out articles, never the four seed articles, never a key already in
bench/data/guardian_annotations.tsv); keys are ARTICLE:START:END offsets of
`nlp.sentences.split_sentences`, as `coding.labelled.load_annotations` slices them.
- `open`: sentences where an open coder policy (detector >= 0.5, any class probability, object
  phrases as targets, no target needed) gives a model event (pattern `model:...`) that the packaged
  policy does not: the sentences where a freer model would fire, right or wrong;
- `random`: other sentences of four words or more, articles weighted by how little they report
  (share of sentences without a reporting verb, squared), to favour analysis and opinion.

Writes a TSV outside the repository (it holds the sentences' text, which the repo must not):
`key, sample, model_class, model_pattern, source, target, text`. Labels are then given by reading.
"""

from __future__ import annotations

import argparse
import json
import logging
import random
import re
from dataclasses import replace
from pathlib import Path

from dyadwatch.coding.coder import SpacyCoder
from dyadwatch.coding.labelled import ANNOTATIONS, is_heldout, penta_class
from dyadwatch.nlp.sentences import Sentence, split_sentences
from dyadwatch.records import Document, Event
from dyadwatch.settings import Settings

LOG = logging.getLogger("annotation_candidates")
HIDDEN = frozenset(f"guardian-sdf-{n}" for n in (101, 139, 619, 639))  # the seeds' measure
REPORTING = re.compile(r"\b(said|says|say|told|tells|according to|announced|stated)\b")


def train_articles(shared: Path) -> dict[str, str]:
    """The texts of the train-part articles, minus the hidden seed articles."""
    texts = {}
    path = shared / "corpus" / "guardian-sdf" / "articles.jsonl"
    for line in path.read_text(encoding="utf-8").splitlines():
        row = json.loads(line)
        if not is_heldout(row["id"]) and row["id"] not in HIDDEN:
            texts[row["id"]] = row["text"]
    return texts


def known_keys() -> set[str]:
    lines = ANNOTATIONS.read_text(encoding="utf-8").splitlines()[1:]
    return {line.split("\t", 1)[0] for line in lines if line.strip()}


def key_of(article: str, sentence: Sentence) -> str:
    return f"{article}:{sentence.start}:{sentence.end}"


def model_events(coder: SpacyCoder, article: str, text: str) -> dict[int, list[Event]]:
    """The events of the article whose pattern is a model's, by sentence index."""
    coder.reset()
    doc = Document(
        doc_id=Document.id_for(f"{article}\n{text}"), doc_source=article, text=text, title=None,
        published=None, published_precision="unknown", language="en",
    )
    [(_, extraction)] = coder.code([doc])
    found: dict[int, list[Event]] = {}
    for event in extraction.events:
        if (event.pattern or "").startswith("model:"):
            found.setdefault(event.sentence_index, []).append(event)
    return found


def open_candidates(texts: dict[str, str], known: set[str]) -> list[tuple[str, Event, str]]:
    """(key, the open policy's model event, sentence text) where the packaged policy has none."""
    coder = SpacyCoder(Settings())
    packaged = coder.policy
    opened = replace(packaged, event_min=0.5, fill_min=0.0, need_target=False, noun_targets=True)
    rows = []
    for n, (article, text) in enumerate(sorted(texts.items())):
        coder.policy = packaged
        strict = model_events(coder, article, text)
        coder.policy = opened
        loose = model_events(coder, article, text)
        sentences = split_sentences(text)
        for index, events in sorted(loose.items()):
            if index in strict or index >= len(sentences):
                continue
            sentence = sentences[index]
            event = max(events, key=lambda e: e.confidence)
            if sentence.text != event.sentence:
                LOG.warning("%s: sentence %d does not match the event's text", article, index)
                continue
            if key_of(article, sentence) not in known:
                rows.append((key_of(article, sentence), event, sentence.text))
        LOG.info("%d/%d %s: %d candidates so far", n + 1, len(texts), article, len(rows))
    return rows


def analytic_weight(text: str) -> float:
    sentences = split_sentences(text)
    reporting = sum(bool(REPORTING.search(s.text)) for s in sentences)
    return (1 - reporting / max(len(sentences), 1)) ** 2


def random_sample(texts: dict[str, str], exclude: set[str], k: int,
                  rng: random.Random) -> list[tuple[str, str]]:
    """k sentences (key, text): an article by weight, then one of its sentences, no repeats."""
    articles = sorted(texts)
    weights = [analytic_weight(texts[a]) for a in articles]
    chosen: dict[str, str] = {}
    while len(chosen) < k:
        [article] = rng.choices(articles, weights=weights)
        sentence = rng.choice(split_sentences(texts[article]))
        key = key_of(article, sentence)
        if len(sentence.text.split()) >= 4 and key not in exclude and key not in chosen:
            chosen[key] = sentence.text
    return sorted(chosen.items())


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    shared = Path(__file__).resolve().parents[2] / "shared"
    parser.add_argument("--shared", type=Path, default=shared)
    parser.add_argument("--out", type=Path, required=True)
    parser.add_argument("--seed", type=int, default=11)
    parser.add_argument("--open", type=int, default=450)
    parser.add_argument("--random", type=int, default=250)
    args = parser.parse_args()
    logging.basicConfig(level=logging.INFO, format="%(message)s")
    rng = random.Random(args.seed)
    texts = train_articles(args.shared)
    known = known_keys()
    candidates = open_candidates(texts, known)
    LOG.info("open-policy candidates: %d", len(candidates))
    picked = sorted(rng.sample(candidates, min(args.open, len(candidates))), key=lambda r: r[0])
    exclude = known | {key for key, _, _ in candidates}
    lines = ["key\tsample\tmodel_class\tmodel_pattern\tsource\ttarget\ttext"]
    for key, event, text in picked:
        lines.append("\t".join((key, "open", penta_class(event.root), event.pattern or "",
                                event.source.text, event.target.text, text)))
    for key, text in random_sample(texts, exclude, args.random, rng):
        lines.append("\t".join((key, "random", "", "", "", "", text)))
    args.out.write_text("\n".join(lines) + "\n", encoding="utf-8")
    LOG.info("wrote %d sentences to %s", len(lines) - 1, args.out)


if __name__ == "__main__":
    main()
