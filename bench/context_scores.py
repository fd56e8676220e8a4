"""Context assignment scored on the team's annotated events (bench/data/context_annotations.tsv).

    .venv/bin/python bench/context_scores.py [--part train|heldout] [--lexicon FILE] [--errors]

Prints micro precision/recall/F1 and one line per context. Tune cues and weights on `train`
only; `heldout` (whole articles, SHA-1 of the article id mod 4 == 0) is for reporting. With
`--errors`, each wrong event's key, gold and predicted contexts (no text) are listed.
"""

from __future__ import annotations

import argparse
from pathlib import Path

from dyadwatch.contexts.annotations import load_context_annotations
from dyadwatch.contexts.evaluate import lexicon_predict, score_contexts
from dyadwatch.contexts.lexicon import load_contexts

ROOT = Path(__file__).resolve().parents[1]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--shared", type=Path, default=ROOT.parent / "shared")
    parser.add_argument("--part", choices=("train", "heldout", "all"), default="train")
    parser.add_argument("--lexicon", type=Path, default=None)
    parser.add_argument("--errors", action="store_true")
    args = parser.parse_args()
    lexicon = load_contexts(args.lexicon)
    rows = load_context_annotations(args.shared / "corpus", args.part)
    predict = lexicon_predict(lexicon)
    micro, per = score_contexts(rows, predict, lexicon.names)
    print(f"{args.part}: {len(rows)} events, {micro.support} gold contexts")
    print(f"{'context':<14} {'P':>6} {'R':>6} {'F1':>6} {'support':>8}")
    for s in [micro, *per]:
        print(f"{s.name:<14} {s.precision:6.3f} {s.recall:6.3f} {s.f1:6.3f} {s.support:8d}")
    if args.errors:
        for ex in rows:
            got = set(predict(ex))
            if got != ex.contexts:
                print(ex.key, ex.cameo, ex.source, ex.target,
                      "missed:", sorted(ex.contexts - got), "extra:", sorted(got - ex.contexts))


if __name__ == "__main__":
    main()
