"""PLOVER contexts from a lexicon: cue words on the sentence's lemmas plus CAMEO and actor priors.

The lexicon is data (`dyadwatch/data/contexts/contexts.yaml`, its format in its `meta.notes`);
this module reads it and scores one event: `ContextLexicon.assign(sentence, cameo, actors)`.
Lemmas are read without a parse (lower case, plural folded), so the stage costs no spaCy time.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from dyadwatch.datafiles import read_data_file
from dyadwatch.errors import DictionaryError

DATA_NAME = "contexts/contexts.yaml"
_TOKEN = re.compile(r"[^\W_]+")
_KEEP_S = ("ss", "us", "is", "os", "as")


def lemma(word: str) -> str:
    """A parse-free lemma: lower case, a plural -s / -es / -ies folded ("allies" -> "ally")."""
    word = word.lower()
    if len(word) > 4 and word.endswith("ies"):
        return word[:-3] + "y"
    if len(word) > 4 and word.endswith(("sses", "shes", "ches", "xes")):
        return word[:-2]
    if len(word) > 3 and word.endswith("s") and not word.endswith(_KEEP_S):
        return word[:-1]
    return word


def lemma_text(text: str) -> str:
    """The lemmas of `text` joined by single spaces, padded with one space each side."""
    return " " + " ".join(lemma(w) for w in _TOKEN.findall(text)) + " "


@dataclass(frozen=True, slots=True)
class Cue:
    """A cue as lemmas (" air strike" or, for a prefix cue, " negotiat") and its weight."""

    needle: str
    weight: float

    @classmethod
    def parse(cls, raw: str, weight: float) -> Cue:
        prefix = raw.endswith("*")
        words = lemma_text(raw.rstrip("*")).strip()
        if not words:
            raise ValueError(f"cue {raw!r} has no letters")
        if prefix:  # the stem itself is not folded: "forces*" keeps its s
            words = " ".join([*words.split()[:-1], raw.rstrip("*").split()[-1].lower()])
        return cls(" " + words + ("" if prefix else " "), weight)


@dataclass(frozen=True, slots=True)
class ContextRules:
    """One context: its cues, CAMEO-prefix priors and actor-role priors."""

    name: str
    definition: str
    cues: tuple[Cue, ...]
    cameo: tuple[tuple[str, float], ...]  # longest prefix first
    roles: tuple[tuple[str, float], ...]
    state_pair: tuple[tuple[str, float], ...] = ()  # CAMEO prefix -> weight, state to state

    def score(self, lemmas: str, cameo: str, actors: Sequence[str], states: bool) -> float:
        total = sum(c.weight for c in self.cues if c.needle in lemmas)
        total += _prior(self.cameo, cameo)
        total += max((w for role, w in self.roles for code in actors
                      if code == role or (len(code) > 3 and code.endswith(role))), default=0.0)
        return total + (_prior(self.state_pair, cameo) if states else 0.0)


def _prior(weights: tuple[tuple[str, float], ...], cameo: str) -> float:
    return next((w for prefix, w in weights if cameo.startswith(prefix)), 0.0)


@dataclass(frozen=True, slots=True)
class StateActors:
    """Which actor codes stand for a state: role suffixes kept, three-letter heads refused."""

    roles: frozenset[str] = frozenset()
    not_states: frozenset[str] = frozenset()

    def is_state(self, code: str) -> bool:
        return (len(code) >= 3 and code[:3] not in self.not_states
                and code[3:] in self.roles)


@dataclass(frozen=True, slots=True)
class ContextLexicon:
    """The contexts an event may get, in the data file's order, and how they are scored."""

    name: str
    version: str
    threshold: float
    contexts: tuple[ContextRules, ...]
    states: StateActors = StateActors()

    @property
    def names(self) -> tuple[str, ...]:
        return tuple(c.name for c in self.contexts)

    def scores(self, sentence: str, cameo: str, actors: Sequence[str | None] = ()
               ) -> dict[str, float]:
        lemmas = lemma_text(sentence)
        codes = [a.upper() for a in actors if a]
        states = len(codes) == 2 and all(self.states.is_state(c) for c in codes)
        return {c.name: c.score(lemmas, cameo or "", codes, states) for c in self.contexts}

    def assign(self, sentence: str, cameo: str, actors: Sequence[str | None] = ()
               ) -> tuple[str, ...]:
        """The contexts of an event read from `sentence` with code `cameo` between `actors`
        (actor codes such as USAMIL, IMG; None for an uncoded side)."""
        scored = self.scores(sentence, cameo, actors)
        return tuple(name for name, s in scored.items() if s >= self.threshold - 1e-9)


def _weights(label: str, name: str, raw: Any) -> tuple[tuple[str, float], ...]:
    if not isinstance(raw, Mapping):
        raise DictionaryError(f"{label}: contexts.{name}: expected a mapping of weights")
    try:
        pairs = [(str(k), float(v)) for k, v in raw.items()]
    except (TypeError, ValueError) as exc:
        raise DictionaryError(f"{label}: contexts.{name}: a weight is not a number") from exc
    return tuple(sorted(pairs, key=lambda kv: -len(kv[0])))


def _rules(label: str, name: str, raw: Any, weak_weight: float) -> ContextRules:
    if not isinstance(raw, Mapping):
        raise DictionaryError(f"{label}: contexts.{name}: expected a mapping")
    try:
        cues = [Cue.parse(str(c), 1.0) for c in raw.get("cues") or ()]
        cues += [Cue.parse(str(c), weak_weight) for c in raw.get("weak") or ()]
    except ValueError as exc:
        raise DictionaryError(f"{label}: contexts.{name}: {exc}") from exc
    return ContextRules(
        name=name, definition=str(raw.get("definition", "")).strip(),
        cues=tuple({c.needle: c for c in cues}.values()),  # a repeated cue counts once
        cameo=_weights(label, f"{name}.cameo", raw.get("cameo") or {}),
        roles=_weights(label, f"{name}.roles", raw.get("roles") or {}),
        state_pair=_weights(label, f"{name}.state_pair", raw.get("state_pair") or {}),
    )


def load_contexts(path: Path | None = None) -> ContextLexicon:
    """The packaged context lexicon, or the one at `path`; DictionaryError naming the file."""
    label, data = read_data_file(DATA_NAME, path)
    contexts = data.get("contexts")
    if not isinstance(contexts, Mapping) or not contexts:
        raise DictionaryError(f"{label}: expected a non-empty `contexts:` mapping")
    try:
        weak = float(data.get("weak_weight", 0.5))
        threshold = float(data.get("threshold", 1.0))
    except (TypeError, ValueError) as exc:
        raise DictionaryError(f"{label}: threshold and weak_weight must be numbers") from exc
    rules = tuple(_rules(label, str(k), v, weak) for k, v in contexts.items())
    states = data.get("state_actors") or {}
    if not isinstance(states, Mapping):
        raise DictionaryError(f"{label}: state_actors: expected a mapping")
    return ContextLexicon(
        name=str(data["meta"]["name"]), version=str(data["meta"]["version"]),
        threshold=threshold, contexts=rules,
        states=StateActors(frozenset(str(r) for r in states.get("roles") or ()),
                           frozenset(str(c) for c in states.get("not_states") or ())),
    )
