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
_LISTS = ("state_modifiers", "place_preps", "news_words", "news_agencies", "reporting_verbs",
          "joint_verbs", "obligation", "not_target_preps", "time_words")


@dataclass(frozen=True, slots=True)
class AgentLexicon:
    """Agent nouns by role, and the word lists of the argument finder (all lower case)."""

    version: str
    roles: dict[tuple[str, ...], str]  # words of an agent phrase -> CAMEO role
    longest: int
    state_modifiers: frozenset[str]
    place_preps: frozenset[str]
    news_words: frozenset[str]
    news_agencies: frozenset[str]
    reporting_verbs: frozenset[str]
    joint_verbs: frozenset[str]
    obligation: frozenset[str]
    not_target_preps: frozenset[str]
    time_words: frozenset[str]

    def role_of(self, words: Sequence[str]) -> str | None:
        """The role of the longest agent phrase that ends a run of words (the phrase head
        last, lower case or lemmas): ["syrian", "security", "forces"] -> COP."""
        for size in range(min(self.longest, len(words)), 0, -1):
            role = self.roles.get(tuple(words[-size:]))
            if role is not None:
                return role
        return None


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


def load_agent_lexicon(path: Path | None = None) -> AgentLexicon:
    """Read and check the agent lexicon (default: the packaged one)."""
    where, data = read_data_file("actors/agents.yaml", path, required=("name", "version"))
    roles = _roles(where, data)
    lists = {key: _word_list(where, data, key) for key in _LISTS}
    return AgentLexicon(
        version=str(data["meta"]["version"]),
        roles=roles,
        longest=max(len(k) for k in roles),
        **lists,
    )
