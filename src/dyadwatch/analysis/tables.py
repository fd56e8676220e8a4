"""Data tables the analysis reads: event phrases (CAMEO code -> words) and country names.

Both are YAML files in `dyadwatch/data/` with a `meta:` header; `load_description_tables`
validates them and returns one frozen record to pass down (no module-level state).
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from dyadwatch.datafiles import read_data_file
from dyadwatch.errors import DictionaryError
from dyadwatch.records import Actor

log = logging.getLogger(__name__)

MODALITY_KEYS = ("intended", "expected", "planned", "reported")
META_KEYS = ("name", "version", "source")  # tables say where their words come from


@dataclass(frozen=True, slots=True)
class DescriptionTables:
    """What turns a coded event into one line of words."""

    phrases: dict[str, str]
    countries: dict[str, str]
    modality_notes: dict[str, str]
    negated_prefix: str
    version: str

    def phrase_for(self, cameo: str) -> str:
        """The phrase of the code, else of its three-digit base, else of its root."""
        for key in (cameo, cameo[:3], cameo[:2]):
            if key in self.phrases:
                return self.phrases[key]
        return "{source} acted towards {target} (CAMEO " + cameo + ")"

    def actor_name(self, actor: Actor) -> str:
        """The actor's canonical name, else its country's name, else its code."""
        if actor.name:
            return actor.name
        return self.countries.get(actor.country_key, actor.code or actor.text)


def _string_map(label: str, data: dict[str, Any], key: str) -> dict[str, str]:
    value = data.get(key)
    if not isinstance(value, dict) or not value:
        raise DictionaryError(f"{label}: '{key}' must be a non-empty mapping")
    out: dict[str, str] = {}
    for k, v in value.items():
        if not isinstance(v, str) or not v.strip():
            raise DictionaryError(f"{label}: {key}.{k} must be a non-empty string")
        out[str(k)] = v
    return out


def load_phrases(path: Path | None = None) -> tuple[dict[str, str], dict[str, str], str, str]:
    """(phrases, modality notes, negated prefix, version) from event_phrases.yaml."""
    label, data = read_data_file("event_phrases.yaml", path, META_KEYS)
    phrases = _string_map(label, data, "phrases")
    for code, phrase in phrases.items():
        if not code.isdigit() or not 2 <= len(code) <= 4:
            raise DictionaryError(f"{label}: phrase key {code!r} is not a CAMEO code")
        if "{source}" not in phrase or "{target}" not in phrase:
            raise DictionaryError(f"{label}: phrase {code} lacks {{source}} or {{target}}")
    notes = _string_map(label, data, "modality_notes")
    missing = [m for m in MODALITY_KEYS if m not in notes]
    if missing:
        raise DictionaryError(f"{label}: modality_notes lacks {', '.join(missing)}")
    prefix = data.get("negated_prefix")
    if not isinstance(prefix, str):
        raise DictionaryError(f"{label}: negated_prefix must be a string")
    return phrases, notes, prefix, str(data["meta"]["version"])


def load_country_names(path: Path | None = None) -> dict[str, str]:
    """ISO alpha-3 (and IGO) code -> English name, from country_names.yaml."""
    label, data = read_data_file("country_names.yaml", path, META_KEYS)
    names = _string_map(label, data, "countries")
    bad = [code for code in names if len(code) != 3 or not code.isupper()]
    if bad:
        raise DictionaryError(f"{label}: country codes must be 3 capitals: {bad[:5]}")
    return names


def load_description_tables(
    phrases_path: Path | None = None, countries_path: Path | None = None
) -> DescriptionTables:
    """The packaged (or given) phrase and country tables, validated."""
    phrases, notes, prefix, version = load_phrases(phrases_path)
    return DescriptionTables(
        phrases=phrases, countries=load_country_names(countries_path),
        modality_notes=notes, negated_prefix=prefix, version=version,
    )
