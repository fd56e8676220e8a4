"""Benchmark: the whole coding pipeline against a bare spaCy full pass, same texts, same run.

    .venv/bin/python bench/extract.py [--limit N] [--corpus PATH]

Prints articles/s for each and their ratio, and writes bench/results/extract.json. The bare pass
is `nlp.pipe` over every article with the full English pipeline (what a naive coder would run);
the pipeline is `SpacyCoder.code` (pre-filter, spaCy on candidate sentences, actors, events,
dates, quotes, figures, locations), its loading (spaCy, dictionaries, the gazetteer:
`run.code_stage.prepare_coder`, as a worker process loads it) and first call left out as the
model load is from the bare pass. Run on an otherwise idle machine; the ratio is the figure
that matters.
"""

from __future__ import annotations

import argparse
import json
import os
import time
from pathlib import Path

import spacy

from dyadwatch.coding.coder import SpacyCoder
from dyadwatch.records import Document
from dyadwatch.run.code_stage import prepare_coder
from dyadwatch.settings import DEFAULT_SPACY_MODEL, Settings

DEFAULT_CORPUS = Path(__file__).resolve().parents[2] / "shared/corpus/guardian-sdf/articles.jsonl"


def load_documents(path: Path, limit: int | None) -> list[Document]:
    docs = []
    with path.open(encoding="utf-8") as handle:
        for line in handle:
            row = json.loads(line)
            docs.append(Document(
                doc_id=Document.id_for(row["text"]), doc_source=f"{path}#{row['id']}",
                text=row["text"], title=None, published=row.get("published"),
                published_precision="day", language="en",
            ))
            if limit and len(docs) >= limit:
                break
    return docs


def bare_pass(texts: list[str]) -> float:
    nlp = spacy.load(DEFAULT_SPACY_MODEL)
    start = time.perf_counter()
    for _ in nlp.pipe(texts, batch_size=64):
        pass
    return time.perf_counter() - start


def pipeline_pass(docs: list[Document], batch: int = 32) -> tuple[float, int, dict[str, int]]:
    coder = SpacyCoder(Settings())
    prepare_coder(coder)  # what a worker loads before its first task (the gazetteer)
    coder.code(docs[:1])  # warm-up: first-call costs (date parser, lazy tables)
    coder.sentences_seen = coder.sentences_parsed = 0
    start = time.perf_counter()
    events = 0
    for i in range(0, len(docs), batch):
        events += sum(len(ex.events) for _, ex in coder.code(docs[i : i + batch]))
    elapsed = time.perf_counter() - start
    return elapsed, events, {"sentences": coder.sentences_seen, "parsed": coder.sentences_parsed}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS)
    parser.add_argument("--limit", type=int, default=None)
    parser.add_argument("--out", type=Path, default=Path(__file__).parent / "results/extract.json")
    args = parser.parse_args()
    docs = load_documents(args.corpus, args.limit)
    bare_s = bare_pass([d.text for d in docs])
    pipe_s, events, counts = pipeline_pass(docs)
    result = {
        "articles": len(docs),
        "bare_spacy_articles_per_s": round(len(docs) / bare_s, 2),
        "pipeline_articles_per_s": round(len(docs) / pipe_s, 2),
        "ratio_pipeline_to_bare": round(bare_s / pipe_s, 3),
        "events": events,
        "sentences": counts["sentences"],
        "sentences_parsed": counts["parsed"],
        "load_average": os.getloadavg(),
    }
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(result, indent=2), encoding="utf-8")
    print(json.dumps(result, indent=2))


if __name__ == "__main__":
    main()
