"""The actor dictionary on the sample corpora, read at run time from ../shared.

- seeds: every gold event's evidence sentence yields (by the dictionary, learned people and
  coreference) the countries of the event's source and target;
- guardian-sdf: `find_in_text` speed (logged, never asserted) and what it finds.
"""

from __future__ import annotations

import json
import logging
import re
import time
from pathlib import Path

import pytest
import yaml
from spacy.language import Language

from dyadwatch.coding.actor_resolver import ActorResolver
from dyadwatch.coding.actors import (
    ActorDictionary,
)
from dyadwatch.coding.event_parts import site_countries
from dyadwatch.coding.locations import default_locator
from dyadwatch.nlp.sentences import split_sentences
from dyadwatch.records import Actor, LearnedActor

log = logging.getLogger(__name__)

# Gold events whose evidence sentence names neither side ("the two defense ministers",
# "between the two countries"): only the document's dyad gives them, not the actor stage.
DOCUMENT_LEVEL = {"g02", "g09", "g29"}


@pytest.fixture(scope="module")
def gold(gold_path: Path) -> dict:
    return yaml.safe_load(gold_path.read_text(encoding="utf-8"))


class SeedRun:
    """A seed parsed sentence by sentence: per sentence, the countries of its actors, and
    every noun phrase's resolution."""

    def __init__(self, nlp: Language, dictionary: ActorDictionary, text: str,
                 date: str | None) -> None:
        self.resolver = ActorResolver(dictionary, text, date, doc_id="seed")
        self.sentences: list[tuple[str, set[str]]] = []
        self.resolved: list[tuple[str, Actor]] = []
        self.learned: list[LearnedActor] = []
        for sentence in split_sentences(text):
            doc = nlp(sentence.text)
            self.learned += self.resolver.observe(doc[:])
            countries = {m.country for m in dictionary.find_in_text(sentence.text)
                         if m.country and not m.is_modifier}
            for token in doc:
                if token.pos_ in ("NOUN", "PROPN", "PRON"):
                    span = doc[token.left_edge.i : token.right_edge.i + 1]
                    actor = self.resolver.resolve(span)
                    if actor is not None:
                        self.resolved.append((span.text, actor))
                        countries.add(actor.country or actor.code)
            # a base or port is a place, no actor: the coder reads its country when it is
            # the place slot of an act ("a ship visit to Ream Naval Base": Cambodia)
            sites = site_countries(list(doc), default_locator())
            countries |= {a.country for a in sites if a.country}
            self.sentences.append((sentence.text, countries))

    def evidence(self, evidence: str) -> tuple[str, set[str]]:
        """The sentence that shares the most words with a gold evidence string."""
        want = _words(evidence)
        return max(self.sentences, key=lambda s: len(want & _words(s[0])) / len(want))

    def code_of(self, phrase: str) -> str | None:
        return next((a.code for text, a in self.resolved if text == phrase), None)


def _words(text: str) -> set[str]:
    return set(re.findall(r"\w+", text.lower()))


@pytest.fixture(scope="module")
def runs(nlp: Language, dictionary: ActorDictionary, seeds_dir: Path, gold: dict) -> dict:
    out = {}
    for path in sorted(seeds_dir.glob("*.txt")):
        published = gold["documents"][path.name].get("published")
        out[path.name] = SeedRun(nlp, dictionary, path.read_text(encoding="utf-8"), published)
    return out


def test_gold_event_actors_are_found_in_their_sentences(runs: dict, gold: dict) -> None:
    missing, covered = [], 0
    for event in gold["events"]:
        _, countries = runs[event["doc"]].evidence(event["evidence"])
        need = {event["source"][:3], event["target"][:3]}
        if need <= countries:
            covered += 1
        elif event["id"] not in DOCUMENT_LEVEL:
            missing.append((event["id"], need - countries))
    log.info("gold events with both actors in the evidence sentence: %d/%d",
             covered, len(gold["events"]))
    assert not missing
    assert covered >= len(gold["events"]) - len(DOCUMENT_LEVEL)


def test_seed_people_titles_and_coreference(runs: dict) -> None:
    timeline, news, opinion, old = (runs[name] for name in sorted(runs))
    assert news.code_of("Secretary of War Pete Hegseth") == "USAMIL"
    assert news.code_of("Cambodian Deputy Prime Minister Tea Seiha") == "KHMGOV"
    assert news.code_of("The secretary") == "USAMIL"  # Hegseth, sentences later
    learned = {p.name: p.code for p in news.learned}
    assert learned.get("Michael George DeSombre") == "USAGOV"
    assert news.code_of("DeSombre") == "USAGOV"
    assert news.code_of("Prince Holding Group") == "KHMBUS"
    assert timeline.code_of("The USS Cincinnati") == "USAMIL"
    assert timeline.code_of("Washington") == "USAGOV"
    assert timeline.code_of("The U.S. Department of Commerce") == "USAGOV"
    assert opinion.code_of("US Secretary of Defense Lloyd Austin") == "USAMIL"
    assert old.code_of("USAID") == "USAGOV"


def test_seed_modifiers_are_flagged(dictionary: ActorDictionary, seeds_dir: Path) -> None:
    text = sorted(seeds_dir.glob("*.txt"))[0].read_text(encoding="utf-8")
    mentions = dictionary.find_in_text(text)
    chinese = [m for m in mentions if m.text == "Chinese"]
    assert chinese and all(m.is_modifier for m in chinese)  # "Chinese-funded upgrade"
    pairs = [m for m in mentions if m.is_modifier and m.text == "U.S."]
    assert len(pairs) >= 2  # "U.S.–Cambodia relations", "U.S.-China competition"


def test_find_in_text_speed_on_guardian(
    dictionary: ActorDictionary, guardian_path: Path, record_property
) -> None:
    texts = [json.loads(line)["text"] for line in guardian_path.open(encoding="utf-8")]
    chars = sum(len(t) for t in texts)
    start = time.perf_counter()
    found = [dictionary.find_in_text(t) for t in texts]
    elapsed = time.perf_counter() - start
    rate = chars / max(elapsed, 1e-9)
    record_property("find_in_text_chars_per_s", round(rate))
    log.info("find_in_text: %d docs, %d chars in %.2fs = %.0f chars/s", len(texts), chars,
             elapsed, rate)
    print(f"find_in_text: {len(texts)} docs, {chars} chars, {elapsed:.2f}s, {rate:,.0f} chars/s")
    keys = {m.key for doc in found for m in doc}
    for key in ("country:SYR", "country:TUR", "org:SDF", "org:ISI", "org:YPG", "org:KURDS"):
        assert key in keys, key
    assert sum(1 for doc in found if len({m.key for m in doc}) >= 2) >= 0.9 * len(texts)


def test_resolver_runs_over_guardian_articles(
    nlp: Language, dictionary: ActorDictionary, guardian_path: Path
) -> None:
    rows = [json.loads(line) for line in guardian_path.open(encoding="utf-8")][:6]
    learned: dict[str, LearnedActor] = {}
    codes: list[str] = []
    for row in rows:
        resolver = ActorResolver(dictionary, row["text"], (row.get("published") or "")[:10] or None,
                                 learned)
        sentences = [s.text for s in split_sentences(row["text"])]
        for doc in nlp.pipe(sentences):
            for person in resolver.observe(doc[:]):
                learned.setdefault(person.name, person)
            assert resolver.resolve(doc[0:0]) is None
            for token in doc:
                if token.dep_ in ("nsubj", "dobj"):
                    actor = resolver.resolve(doc[token.left_edge.i : token.right_edge.i + 1])
                    if actor is not None:
                        codes.append(actor.code)
    log.info("guardian sample: %d actors resolved, %d people learned", len(codes), len(learned))
    assert len(codes) > 50
    assert all(re.fullmatch(r"[A-Z]{3}([A-Z]{3})*", code) for code in codes)
    assert {"SYR", "TUR"} & {code[:3] for code in codes}
