"""The event engine's language settings (data/coding/engine.yaml), validated on load."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from dyadwatch.datafiles import read_data_file
from dyadwatch.errors import DictionaryError

_REQUIRED = ("speech_verbs", "implicit_target_roots", "group_words", "group_max_root",
             "group_military_words", "group_country_words",
             "hypothetical_aux", "reciprocal_roots", "statement_verbs", "statement_code",
             "owner_source_roots", "participle_inherits", "topic_verbs", "topic_preps",
             "participation_verbs", "participation_preps", "quantity_heads", "owner_verbs",
             "beneficiary_verbs", "irrealis_heads", "wish_verbs", "belief_verbs",
             "opinion_sources", "speaker_pronouns", "refusal_roots",
             "stative_verbs", "statement_modal_codes", "statement_refusal_code",
             "accusation_cues", "statement_accusation_code", "official_clash_verbs",
             "official_roles", "official_clash_code", "place_preps", "patient_verbs",
             "comment_adjectives", "habit_adverbs", "dispatch_verbs",
             "announcing_verbs", "announced_future_roots", "benefit_verbs", "gain_verbs",
             "benefit_nouns", "abstract_objects", "effort_verbs", "economy_nouns",
             "currency_nouns")


@dataclass(frozen=True, slots=True)
class EngineSettings:
    version: str
    speech_verbs: frozenset[str]
    implicit_target_roots: frozenset[str]
    reciprocal_roots: frozenset[str]
    statement_verbs: frozenset[str]
    statement_code: str
    owner_source_roots: frozenset[str]
    participle_inherits: dict[str, frozenset[str]]
    group_phrase: re.Pattern[str]
    group_max_root: str
    group_military_words: tuple[str, ...]
    group_country_words: tuple[str, ...]
    hypothetical_aux: frozenset[str]
    topic_verbs: frozenset[str]
    topic_preps: frozenset[str]
    participation_verbs: frozenset[str]
    participation_preps: frozenset[str]
    irregular_forms: dict[str, tuple[str, ...]]
    quantity_heads: frozenset[str]
    owner_verbs: frozenset[str]
    beneficiary_verbs: frozenset[str]
    dispatch_verbs: frozenset[str]  # "sent troops to fight X": the purpose was carried out
    announcing_verbs: frozenset[str]  # "the withdrawal, announced by X": not yet carried out
    announced_future_roots: frozenset[str]  # CAMEO roots whose announced act is to come
    irrealis_heads: frozenset[str]
    wish_verbs: frozenset[str]
    belief_verbs: frozenset[str]
    opinion_sources: frozenset[str]
    speaker_pronouns: frozenset[str]
    refusal_roots: frozenset[str]
    stative_verbs: frozenset[str]
    patient_verbs: frozenset[str]
    benefit_verbs: frozenset[str]  # "benefited from X's aid": better off, not acting
    gain_verbs: frozenset[str]  # with an object among benefit_nouns ("gained growth from")
    benefit_nouns: frozenset[str]
    abstract_objects: frozenset[str]  # "introduced further elements": parts of a policy
    effort_verbs: frozenset[str]  # "is working to diversify ...": an ongoing effort
    economy_nouns: frozenset[str]  # "raised taxes on fuel": a country's own quantities
    currency_nouns: frozenset[str]  # "the peso strengthened": as a subject only
    comment_adjectives: frozenset[str]
    habit_adverbs: frozenset[str]
    statement_modal_codes: dict[str, str]
    statement_refusal_code: str
    accusation_cues: frozenset[str]
    statement_accusation_code: str
    official_clash_verbs: frozenset[str]
    official_roles: frozenset[str]
    official_clash_code: str
    place_preps: frozenset[str]


def _words(path: str, data: dict[str, Any], key: str) -> list[str]:
    value = data.get(key)
    if not isinstance(value, list) or not all(isinstance(v, str) and v for v in value):
        raise DictionaryError(f"{path}: `{key}` must be a list of non-empty strings")
    return [v.lower() for v in value]


def load_engine_settings(path: Path | None = None) -> EngineSettings:
    """Read and check the engine settings file (default: the packaged one)."""
    where, data = read_data_file("coding/engine.yaml", path, required=("version",))
    missing = [k for k in _REQUIRED if k not in data]
    if missing:
        raise DictionaryError(f"{where}: missing {', '.join(missing)}")
    roots = _words(where, data, "implicit_target_roots")
    if not all(re.fullmatch(r"\d\d", r) for r in roots):
        raise DictionaryError(f"{where}: implicit_target_roots must be two-digit CAMEO roots")
    groups = "|".join(re.escape(w) for w in _words(where, data, "group_words"))
    return EngineSettings(
        version=str(data["meta"].get("version", "")),
        speech_verbs=frozenset(_words(where, data, "speech_verbs")),
        implicit_target_roots=frozenset(roots),
        reciprocal_roots=frozenset(_words(where, data, "reciprocal_roots")),
        statement_verbs=frozenset(_words(where, data, "statement_verbs")),
        statement_code=str(data["statement_code"]),
        owner_source_roots=frozenset(_words(where, data, "owner_source_roots")),
        participle_inherits=_inherits(where, data["participle_inherits"]),
        group_phrase=re.compile(rf"\b(?:two|both)\b(?:\s+[\w-]+){{0,2}}?\s+(?:{groups})\b", re.I),
        group_max_root=str(data["group_max_root"]),
        group_military_words=tuple(_words(where, data, "group_military_words")),
        group_country_words=tuple(_words(where, data, "group_country_words")),
        hypothetical_aux=frozenset(_words(where, data, "hypothetical_aux")),
        topic_verbs=frozenset(_words(where, data, "topic_verbs")),
        topic_preps=frozenset(_words(where, data, "topic_preps")),
        participation_verbs=frozenset(_words(where, data, "participation_verbs")),
        participation_preps=frozenset(_words(where, data, "participation_preps")),
        irregular_forms=_irregular(where, data.get("irregular_forms") or {}),
        quantity_heads=frozenset(_words(where, data, "quantity_heads")),
        owner_verbs=frozenset(_words(where, data, "owner_verbs")),
        beneficiary_verbs=frozenset(_words(where, data, "beneficiary_verbs")),
        dispatch_verbs=frozenset(_words(where, data, "dispatch_verbs")),
        announcing_verbs=frozenset(_words(where, data, "announcing_verbs")),
        announced_future_roots=frozenset(_words(where, data, "announced_future_roots")),
        irrealis_heads=frozenset(_words(where, data, "irrealis_heads")),
        wish_verbs=frozenset(_words(where, data, "wish_verbs")),
        belief_verbs=frozenset(_words(where, data, "belief_verbs")),
        opinion_sources=frozenset(_words(where, data, "opinion_sources")),
        speaker_pronouns=frozenset(_words(where, data, "speaker_pronouns")),
        refusal_roots=frozenset(_words(where, data, "refusal_roots")),
        stative_verbs=frozenset(_words(where, data, "stative_verbs")),
        patient_verbs=frozenset(_words(where, data, "patient_verbs")),
        benefit_verbs=frozenset(_words(where, data, "benefit_verbs")),
        gain_verbs=frozenset(_words(where, data, "gain_verbs")),
        benefit_nouns=frozenset(_words(where, data, "benefit_nouns")),
        abstract_objects=frozenset(_words(where, data, "abstract_objects")),
        effort_verbs=frozenset(_words(where, data, "effort_verbs")),
        economy_nouns=frozenset(_words(where, data, "economy_nouns")),
        currency_nouns=frozenset(_words(where, data, "currency_nouns")),
        comment_adjectives=frozenset(_words(where, data, "comment_adjectives")),
        habit_adverbs=frozenset(_words(where, data, "habit_adverbs")),
        statement_modal_codes=_codes(where, data["statement_modal_codes"]),
        statement_refusal_code=str(data["statement_refusal_code"]),
        accusation_cues=frozenset(_words(where, data, "accusation_cues")),
        statement_accusation_code=str(data["statement_accusation_code"]),
        official_clash_verbs=frozenset(_words(where, data, "official_clash_verbs")),
        official_roles=frozenset(w.upper() for w in _words(where, data, "official_roles")),
        official_clash_code=str(data["official_clash_code"]),
        place_preps=frozenset(_words(where, data, "place_preps")),
    )


def _inherits(where: str, raw: Any) -> dict[str, frozenset[str]]:
    if not isinstance(raw, dict) or not all(isinstance(v, list) for v in raw.values()):
        raise DictionaryError(f"{where}: `participle_inherits` maps a root to a list of roots")
    return {str(k): frozenset(str(r) for r in v) for k, v in raw.items()}


def _codes(where: str, raw: Any) -> dict[str, str]:
    if not isinstance(raw, dict) or not all(re.fullmatch(r"\d{3,4}", str(v)) for v in raw.values()):
        raise DictionaryError(f"{where}: `statement_modal_codes` maps an auxiliary to a CAMEO code")
    return {str(k).lower(): str(v) for k, v in raw.items()}


def _irregular(where: str, raw: Any) -> dict[str, tuple[str, ...]]:
    if not isinstance(raw, dict):
        raise DictionaryError(f"{where}: `irregular_forms` must map a lemma to its forms")
    forms = {}
    for lemma, values in raw.items():
        if not isinstance(values, list) or not all(isinstance(v, str) for v in values):
            raise DictionaryError(f"{where}: irregular_forms.{lemma} must be a list of words")
        forms[str(lemma).lower()] = tuple(v.lower() for v in values)
    return forms
