"""Actor codes a user types: checked against the dictionary and the workspace, with the code
they probably meant ("United States" -> USA, "Turkey" -> TUR, "USAA" -> USA).

A code is known when it is a country or organisation of the packaged dictionary
(data/actors/countries.yaml, organisations.yaml) followed by zero or more role codes
(roles.yaml, agents.yaml: USAGOV, KHMMIL), or when some stored event's actor code starts with
it. Names, aliases and adjectives map to
codes with accents and case ignored.
"""

from __future__ import annotations

import difflib
import unicodedata
from collections.abc import Iterable, Mapping
from functools import lru_cache

from dyadwatch.datafiles import read_data_file
from dyadwatch.errors import UnknownActorError

_DICTIONARY_FILES = (("actors/countries.yaml", "countries"),
                     ("actors/organisations.yaml", "organisations"))


def fold(text: str) -> str:
    """Lower case without accents or extra spaces ("Türkiye " -> "turkiye")."""
    decomposed = unicodedata.normalize("NFKD", text)
    bare = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return " ".join(bare.casefold().replace(".", "").split())


@lru_cache(maxsize=1)
def role_codes() -> frozenset[str]:
    """The CAMEO role codes of data/actors/roles.yaml and agents.yaml (GOV, MIL, REB ...)."""
    codes: set[str] = set()
    for name, key in (("actors/roles.yaml", "roles"), ("actors/agents.yaml", "agents")):
        _, data = read_data_file(name)
        codes |= {str(c).upper() for c in (data.get(key) or {}) if len(str(c)) == 3}
    return frozenset(codes)


def _well_formed(code: str, countries: set[str]) -> bool:
    """A dictionary country (or IGO) followed by zero or more role codes: USA, USAGOVMIL."""
    chunks = [code[i:i + 3] for i in range(0, len(code), 3)]
    return (len(code) % 3 == 0 and chunks[0] in countries
            and all(c in role_codes() for c in chunks[1:]))


@lru_cache(maxsize=1)
def organisation_codes() -> frozenset[str]:
    """The known-group codes of the international organisations (UNO, NAT, EEC ...)."""
    _, data = read_data_file("actors/organisations.yaml")
    return frozenset(str(entry.get("code")).upper()
                     for entry in (data.get("organisations") or {}).values()
                     if isinstance(entry, Mapping) and entry.get("code"))


@lru_cache(maxsize=1)
def actor_names() -> dict[str, str]:
    """Folded name, alias, adjective or code -> the actor's three-letter code."""
    names: dict[str, str] = {}
    for name, key in _DICTIONARY_FILES:
        _, data = read_data_file(name)
        for code, entry in (data.get(key) or {}).items():
            if not isinstance(entry, Mapping) or len(str(code)) != 3:
                continue
            words = [code, entry.get("name") or "", *(entry.get("aliases") or []),
                     *(entry.get("adjectives") or [])]
            for word in words:
                names.setdefault(fold(str(word)), str(code).upper())
    return names


def suggest(value: str, known: Iterable[str] = ()) -> str | None:
    """The code `value` most likely means: by name, alias or adjective, else the closest
    spelling among codes and names; None when nothing is close."""
    names = actor_names()
    folded = fold(value)
    if folded in names:
        return names[folded]
    pool = {**names, **{fold(k): k.upper() for k in known}}
    close = difflib.get_close_matches(folded, list(pool), n=1, cutoff=0.75)
    return pool[close[0]] if close else None


def check_actor(value: str, known: Iterable[str] = ()) -> str:
    """`value` as an upper-case actor code when it is known (dictionary country or
    organisation, or a prefix of a code in `known`); UnknownActorError naming it and the
    code it probably means otherwise."""
    code = value.strip().upper()
    known_codes = {k.upper() for k in known if k}
    dictionary = set(actor_names().values())
    valid = code.isalnum() and (
        _well_formed(code, dictionary) or any(k.startswith(code) for k in known_codes))
    if code and valid:
        return code
    guess = suggest(value, known_codes)
    hint = f"did you mean {guess}?" if guess else "use a country code such as USA or KHM"
    raise UnknownActorError(f"unknown actor code {value!r}: {hint} (codes are ISO alpha-3 "
                            "country codes, optionally with a role: USAGOV, KHMMIL)")


__all__ = ["actor_names", "check_actor", "fold", "organisation_codes", "suggest"]
