"""Which sentences can hold an event, decided without spaCy.

A sentence reaches the parser only when it names an actor (dictionary, a person learned
earlier, or a pronoun or titled role that coreference may resolve) and holds a word form of a
trigger: a pattern verb, noun or wrapper. Word forms are derived from the lemmas (-s, -es, -ed,
-ing, -ies, -ied, doubled final consonants) plus the irregular forms listed in engine.yaml.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from dyadwatch.coding.engine_data import EngineSettings
from dyadwatch.coding.patterns import PatternSet

_VOWELS = set("aeiou")


def inflections(lemma: str) -> set[str]:
    """Regular English inflections of a verb or noun lemma (over-generating is harmless)."""
    forms = {lemma, lemma + "s", lemma + "es", lemma + "ed", lemma + "ing", lemma + "d"}
    if lemma.endswith("e"):
        forms |= {lemma[:-1] + "ing", lemma + "d"}
    if lemma.endswith("y") and len(lemma) > 2 and lemma[-2] not in _VOWELS:
        forms |= {lemma[:-1] + "ies", lemma[:-1] + "ied"}
    if len(lemma) > 2 and lemma[-1] not in _VOWELS | {"w", "x", "y"} and lemma[-2] in _VOWELS:
        forms |= {lemma + lemma[-1] + "ed", lemma + lemma[-1] + "ing"}
    return forms


def trigger_words(patterns: PatternSet, engine: EngineSettings) -> set[str]:
    """Every word form that can start a trigger (first word of phrasal lemmas)."""
    lemmas: set[str] = set()
    for key in (*patterns.verbs_by_lemma, *patterns.nouns_by_lemma, *patterns.wrappers_by_lemma):
        lemmas.add(key.split()[0])
    lemmas |= set(engine.speech_verbs)
    words: set[str] = set()
    for lemma in lemmas:
        words |= inflections(lemma)
        words |= set(engine.irregular_forms.get(lemma, ()))
    return words


_WORD_RE = re.compile(r"[\w-]+")


class TriggerFilter:
    """Does a text hold any trigger word? A word is a maximal run of letters, digits, `_` and
    `-`, compared lower-cased with the word forms (a set lookup: building a regex over
    thousands of forms took ~0.3 s per worker start)."""

    def __init__(self, words: Iterable[str]) -> None:
        self._words = frozenset(w.lower() for w in words)
        odd = sorted(w for w in self._words if not _WORD_RE.fullmatch(w))
        if odd:
            raise ValueError(f"trigger word forms must be single words: {odd[:5]}")

    def __call__(self, text: str) -> bool:
        return not self._words.isdisjoint(w.lower() for w in _WORD_RE.findall(text))
