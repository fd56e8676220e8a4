"""The open-world agent lexicon (data/actors/agents.yaml), validated on load.

Common nouns that denote an agent without a dictionary name ("police", "a court", "rebels"),
with their CAMEO role, and the small word lists the argument finder needs to tell actors from
places and news sources. Format: data/actors/README.md.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from dyadwatch.datafiles import read_data_file
from dyadwatch.errors import DictionaryError

_ROLE = re.compile(r"[A-Z]{3}")
_LISTS = ("commentators", "generic_agents", "state_modifiers", "place_preps", "news_words",
          "news_agencies", "reporting_verbs", "joint_verbs", "obligation", "not_target_preps",
          "example_preps", "time_words", "attribute_nouns", "stance_verbs",
          "intent_adjectives", "object_preps", "means_verbs",
          "posture_nouns", "aimed_preps", "machines", "place_heads", "people_pronouns",
          "flight_verbs", "leader_words", "attitude_words", "place_nouns")


@dataclass(frozen=True, slots=True)
class AgentLexicon:
    """Agent nouns by role, and the word lists of the argument finder (all lower case)."""

    version: str
    roles: dict[tuple[str, ...], str]  # words of an agent phrase -> CAMEO role
    longest: int
    generic_agents: frozenset[str]  # agents of no role: role_of gives ""
    commentators: frozenset[str]
    state_modifiers: frozenset[str]
    place_preps: frozenset[str]
    news_words: frozenset[str]
    news_agencies: frozenset[str]
    reporting_verbs: frozenset[str]
    joint_verbs: frozenset[str]
    obligation: frozenset[str]
    not_target_preps: frozenset[str]
    example_preps: frozenset[str]
    time_words: frozenset[str]
    attribute_nouns: frozenset[str]
    stance_verbs: frozenset[str]
    intent_adjectives: frozenset[str]
    object_preps: frozenset[str]  # "attacks on X", "aid to X": the preposition naming whom
    means_verbs: frozenset[str]  # "used chemical weapons": the object is the means
    posture_nouns: frozenset[str]  # "remained on alert": a posture of readiness
    aimed_preps: frozenset[str]  # "strikes on X": whom an act is aimed at, never its doer
    machines: frozenset[str]  # "a drone": armed agents whose owner the story does not give
    place_heads: frozenset[str]  # "the Engels Air Base": a name that is a place, no party
    people_pronouns: frozenset[str]  # "those (who fled)": people told by a clause
    flight_verbs: frozenset[str]  # "those who fled": such people are civilians
    leader_words: frozenset[str]  # "a Saudi-led coalition": the hyphened country leads it
    attitude_words: frozenset[str]  # "skeptical of X", "hoped that X would": X is the topic
    place_nouns: frozenset[str]  # "in Bosnian Serb territory": a common noun naming a place
    owner_roles: frozenset[str]  # roles whose agent noun owns what it modifies
    marking_roles: frozenset[str]  # roles whose agent noun names the kind of the agent it modifies
    cities: dict[str, str]  # city name as written -> ISO3

    def role_of(self, words: Sequence[str]) -> str | None:
        """The role of the longest agent phrase that ends a run of words (the phrase head
        last, lower case or lemmas): ["syrian", "security", "forces"] -> COP; "" for a
        generic agent ("group")."""
        for size in range(min(self.longest, len(words)), 0, -1):
            role = self.roles.get(tuple(words[-size:]))
            if role is not None:
                return role
        return "" if words and words[-1] in self.generic_agents else None


def _word_list(where: str, data: dict[str, Any], key: str) -> frozenset[str]:
    value = data.get(key)
    if not isinstance(value, list) or not all(isinstance(v, str) and v for v in value):
        raise DictionaryError(f"{where}: `{key}` must be a list of non-empty strings")
    return frozenset(v.lower() for v in value)


def _roles(where: str, data: dict[str, Any]) -> dict[tuple[str, ...], str]:
    agents = data.get("agents")
    if not isinstance(agents, dict) or not agents:
        raise DictionaryError(f"{where}: `agents` must map CAMEO roles to lists of nouns")
    roles: dict[tuple[str, ...], str] = {}
    for role in agents:
        if not isinstance(role, str) or not _ROLE.fullmatch(role):
            raise DictionaryError(f"{where}: agents: role {role!r} is not three capitals")
        for phrase in _word_list(where, agents, role):
            key = tuple(phrase.split())
            if key in roles and roles[key] != role:
                raise DictionaryError(
                    f"{where}: agents: {phrase!r} is under both {roles[key]} and {role}")
            roles[key] = role
    return roles


def _cities(where: str, data: dict[str, Any]) -> dict[str, str]:
    cities = data.get("cities", {})
    if not isinstance(cities, dict):
        raise DictionaryError(f"{where}: `cities` must map ISO3 codes to lists of names")
    out: dict[str, str] = {}
    for iso, names in cities.items():
        if not isinstance(iso, str) or not _ROLE.fullmatch(iso):
            raise DictionaryError(f"{where}: cities: {iso!r} is not an ISO3 code")
        if not isinstance(names, list) or not all(isinstance(n, str) and n for n in names):
            raise DictionaryError(f"{where}: cities: {iso}: expected a list of names")
        for name in names:
            if out.get(name, iso) != iso:
                raise DictionaryError(f"{where}: cities: {name!r} is under {out[name]} and {iso}")
            out[name] = iso
    return out


def load_agent_lexicon(path: Path | None = None) -> AgentLexicon:
    """Read and check the agent lexicon (default: the packaged one)."""
    where, data = read_data_file("actors/agents.yaml", path, required=("name", "version"))
    roles = _roles(where, data)
    lists = {key: _word_list(where, data, key) for key in _LISTS}
    return AgentLexicon(
        version=str(data["meta"]["version"]),
        roles=roles,
        longest=max(len(k) for k in roles),
        cities=_cities(where, data),
        owner_roles=frozenset(str(r) for r in data.get("owner_roles") or ()),
        marking_roles=frozenset(str(r) for r in data.get("marking_roles") or ()),
        **lists,
    )
