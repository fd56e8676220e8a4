"""Scoring the argument finder on the labelled actor spans (coding/labelled.py).

`score_spans(sentences, nlp, dictionary, agents)` parses each labelled sentence from its given
tokens (so positions line up with the gold tags), runs `arguments.propose` and compares the
main proposal's source and target with the gold spans:
- hit: the predicted span overlaps the gold span(s) of that side (gold R counts for both);
  a sentence with no gold span of a side is skipped for that side; no prediction is a miss;
- exact: the predicted span equals one gold span of that side;
- head: the predicted span's syntactic head lies inside the gold span.
Both ways are scored in one pass: every proposed span, and only spans naming an actor (not
`how` "noun" or "whom").
"""

from __future__ import annotations

import time
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from spacy.language import Language
from spacy.tokens import Doc, Span

from dyadwatch.coding.actor_resolver import ActorResolver
from dyadwatch.coding.actors import ActorDictionary
from dyadwatch.coding.agents import AgentLexicon
from dyadwatch.coding.argument_actors import WORD_HOWS, ActorSpan
from dyadwatch.coding.arguments import Proposal, propose
from dyadwatch.coding.coder import resolve_phrase
from dyadwatch.coding.labelled import SpanSentence
from dyadwatch.records import Actor

SIDES = ("S", "T")


@dataclass(slots=True)
class SideScore:
    """Counts for one side (source or target)."""

    gold: int = 0
    hits: int = 0
    exact: int = 0
    head: int = 0
    by_how: Counter[str] = field(default_factory=Counter)
    hits_by_how: Counter[str] = field(default_factory=Counter)

    def rate(self, count: int) -> float:
        return count / self.gold if self.gold else 0.0


@dataclass(slots=True)
class SpanScores:
    sentences: int = 0
    sides: dict[str, SideScore] = field(default_factory=lambda: {s: SideScore() for s in SIDES})
    actors: int = 0
    with_country: int = 0
    parse_seconds: float = 0.0
    propose_seconds: float = 0.0


def parse_tokens(nlp: Language, words: Sequence[str]) -> Doc:
    """A Doc of exactly these words, run through every pipeline component."""
    doc = Doc(nlp.vocab, words=list(words))
    for _, component in nlp.pipeline:
        doc = component(doc)
    return doc


def gold_spans(sentence: SpanSentence, side: str) -> list[frozenset[int]]:
    """The contiguous gold spans of one side ("S" or "T"; R counts for both)."""
    spans: list[set[int]] = []
    for i, tag in enumerate(sentence.tags):
        if tag == "O" or tag[2:] not in (side, "R"):
            continue
        if tag.startswith("B-") or not spans or max(spans[-1]) != i - 1:
            spans.append(set())
        spans[-1].add(i)
    return [frozenset(s) for s in spans]


def proposal_for(
    doc: Doc, dictionary: ActorDictionary, agents: AgentLexicon,
    context_country: str | None = None,
) -> list[Proposal]:
    """The proposals for a one-sentence Doc, with a resolver made for that sentence alone."""
    resolver = ActorResolver(dictionary, doc.text, None)
    sent = doc[:]
    resolver.observe(sent)

    def resolve(span: Span) -> Actor | None:
        return resolve_phrase(resolver, span, None)

    return propose(sent, resolve, context_country, agents)


def _score_side(score: SideScore, gold: list[frozenset[int]], found: ActorSpan | None,
                doc: Doc) -> None:
    if not gold:
        return
    score.gold += 1
    if found is None:
        return
    predicted = set(range(found.start, found.end))
    inside = frozenset().union(*gold)
    hit = bool(predicted & inside)
    score.by_how[found.how] += 1
    score.hits_by_how[found.how] += hit
    score.hits += hit
    score.exact += any(predicted == g for g in gold)
    score.head += doc[found.start : found.end].root.i in inside


def score_spans(
    sentences: Iterable[SpanSentence], nlp: Language, dictionary: ActorDictionary,
    agents: AgentLexicon,
) -> tuple[SpanScores, SpanScores]:
    """Source/target span hits of the main proposal over the labelled sentences: counting
    every proposed span, and counting only spans that name an actor (how not in WORD_HOWS)."""
    every, actors = SpanScores(), SpanScores()
    for sentence in sentences:
        start = time.perf_counter()
        doc = parse_tokens(nlp, sentence.tokens)
        middle = time.perf_counter()
        proposals = proposal_for(doc, dictionary, agents)
        for scores in (every, actors):
            scores.propose_seconds += time.perf_counter() - middle
            scores.parse_seconds += middle - start
            scores.sentences += 1
        main = proposals[0] if proposals else None
        for side in SIDES:
            found = None if main is None else (main.source if side == "S" else main.target)
            gold = gold_spans(sentence, side)
            named = found if found is not None and found.how not in WORD_HOWS else None
            if named is not None:
                for scores in (every, actors):
                    scores.actors += 1
                    scores.with_country += named.actor.country is not None
            _score_side(every.sides[side], gold, found, doc)
            _score_side(actors.sides[side], gold, named, doc)
    return every, actors
