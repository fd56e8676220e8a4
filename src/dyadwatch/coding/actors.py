"""The actor dictionary: names -> CAMEO-style actor codes (format: data/actors/README.md).

`load_actor_dictionary()` reads the data files (see `data/actors/README.md`) once; the
`ActorDictionary` it returns answers three questions without spaCy:
- `find_in_text(text)`: where are dictionary actors in a text (a fast regex trie, used to
  pre-filter sentences and by the resolver);
- `lookup(name, date)`: which Actor an exact name denotes at a date (date-ranged roles);
- `ruler_patterns()`: spaCy EntityRuler patterns, so the dictionary wins over NER labels.
Per-document resolution of noun phrases lives in `actor_resolver.ActorResolver`.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

from dyadwatch.coding.actor_data import ActorData, ActorEntry, Period, load_actor_data
from dyadwatch.records import Actor

if TYPE_CHECKING:
    from spacy.language import Language

log = logging.getLogger(__name__)
_T = TypeVar("_T")
MEMO_SIZE = 20_000  # texts whose mentions (and roles) a dictionary remembers

__all__ = [
    "ActorDictionary",
    "MentionHit",
    "RoleMatch",
    "TextMention",
    "add_actor_ruler",
    "load_actor_dictionary",
]

DASHES = "-‐‑‒–—"
# A name followed by "-word" in lower case ("Chinese-funded", "U.S.-led") is a modifier.
_AFTER_MODIFIER = re.compile(rf"[{DASHES}][a-z]")
_PAIR_DASH = re.compile(rf"[{DASHES}]")


@dataclass(frozen=True, slots=True)
class TextMention:
    """A dictionary actor found in a text: character span, entry key, and how it was named.

    `kind` is the entry kind (country, org, person); `form` how the text names it (name,
    adjective, capital, self, short, ambiguous, ship). `is_modifier` marks names inside
    compounds ("Chinese-funded", "pro-China", "U.S.–Cambodia relations"): mentions, but not
    the source or target of an event. `country` is the entry's country (ISO3 or IGO code;
    for a person their country, None for an ambiguous form).
    """

    start: int
    end: int
    text: str
    key: str
    kind: str
    form: str
    is_modifier: bool = False
    country: str | None = None


@dataclass(frozen=True, slots=True)
class MentionHit:
    """A mention inside a parsed phrase, by token range [first, last] (read by the resolver
    and the learner of people)."""

    first: int
    last: int
    mention: TextMention


@dataclass(frozen=True, slots=True)
class RoleMatch:
    """A role word or phrase in a text ("defence minister" -> MIL), by character span."""

    start: int
    end: int
    text: str
    role: str


def trie_regex(words: Iterable[str]) -> str:
    """One regex alternation for many literal strings, shared prefixes factored out, so
    matching costs about one pass over the text; longer matches are tried first."""
    trie: dict[str, Any] = {}
    for word in words:
        node = trie
        for char in word:
            node = node.setdefault(char, {})
        node[""] = {}
    return _trie_pattern(trie)


def _trie_pattern(node: dict[str, Any]) -> str:
    ends_here = "" in node
    branches = [re.escape(ch) + _trie_pattern(child) for ch, child in node.items() if ch]
    if not branches:
        return ""
    body = branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"
    if ends_here:
        return "(?:" + body + ")?"
    return body


def _plurals(phrase: str) -> set[str]:
    forms = {phrase}
    last = phrase.rsplit(" ", 1)[-1]
    if not last[-1:].isalpha() or last.endswith("s"):
        return forms
    if last.endswith("y") and last[-2:-1] not in "aeiou":
        forms.add(phrase[:-1] + "ies")
    elif last.endswith(("ch", "sh", "x")):
        forms.add(phrase + "es")
    else:
        forms.add(phrase + "s")
    return forms


def date_key(date: str, late: bool = False) -> str:
    """A comparable YYYY-MM-DD for a YYYY / YYYY-MM / YYYY-MM-DD date (first or last day)."""
    if len(date) == 4:
        return date + ("-12-31" if late else "-01-01")
    if len(date) == 7:
        return date + ("-31" if late else "-01")
    return date[:10]


def _event_day(date: str) -> str:
    """The day a date of any precision stands for: mid-year, mid-month or the day itself."""
    if len(date) == 4:
        return date + "-07-01"
    if len(date) == 7:
        return date + "-15"
    return date[:10]


def period_at(periods: tuple[Period, ...], date: str | None) -> Period | None:
    """The period that holds at `date` (the latest-starting one if several do). Starts are
    inclusive, ends exclusive; a month or year end runs to the end of that month or year.
    Without a date the latest period is taken (undated news is assumed to be recent)."""
    if not periods:
        return None
    if date is None:  # undated text: assume it is recent, so the latest role
        return max(periods, key=lambda p: date_key(p.start))
    day = _event_day(date)
    held = [
        p for p in periods
        if date_key(p.start) <= day
        and (p.end is None or day < (p.end if len(p.end) == 10 else date_key(p.end, late=True)))
    ]
    return max(held, key=lambda p: date_key(p.start)) if held else None


class ActorDictionary:
    """Countries, organisations, people and role words, indexed for fast lookup.

    Build it with `load_actor_dictionary()`; it is immutable after construction.
    """

    def __init__(self, data: ActorData) -> None:
        self.data = data
        self.version = data.version
        self.entries = data.entries
        self.forms: dict[str, list[tuple[str, str]]] = {}
        for entry in data.entries.values():
            for form, how in _surface_forms(entry):
                self.forms.setdefault(form, []).append((entry.key, how))
        self._folded: dict[str, list[tuple[str, str]]] = {}
        for form, owners in self.forms.items():
            self._folded.setdefault(form.casefold(), []).extend(owners)
        stops = set(data.not_actors) - set(self.forms)
        self._name_re = re.compile(
            r"(?<![\w$])(?:" + trie_regex([*self.forms, *stops]) + r")(?![\w$])"
        )
        prefixes = "|".join(re.escape(p) for p in sorted(data.ship_prefixes, key=len, reverse=True))
        self._ship_re = re.compile(
            rf"\b({prefixes})\s+([A-Z][\w'’-]+(?:\s+[A-Z][\w'’-]+)?)" if prefixes else r"(?!x)x"
        )
        role_forms = {f for phrase in data.roles for f in _plurals(phrase)}
        self._role_of = {f: data.roles[p] for p in data.roles for f in _plurals(p)}
        self._role_re = re.compile(
            r"(?<![\w-])(?:" + trie_regex(role_forms) + r")(?![\w])", re.IGNORECASE
        )
        self._found: dict[str, tuple[TextMention, ...]] = {}
        self._roles_found: dict[str, tuple[RoleMatch, ...]] = {}

    # -- finding names in text ----------------------------------------------------------
    def find_in_text(self, text: str) -> list[TextMention]:
        """Every dictionary actor in `text`, by character span, in order (no spaCy). The
        answers are remembered (the coder asks again for the same sentences and phrases)."""
        found = self._found.get(text)
        if found is None:
            found = self._remember(self._found, text, tuple(self._find(text)))
        return list(found)

    def _find(self, text: str) -> list[TextMention]:
        ships = [self._ship_mention(m) for m in self._ship_re.finditer(text)]
        taken = [(s.start, s.end) for s in ships]
        found: list[TextMention] = list(ships)
        for match in self._name_re.finditer(text):
            start, end = match.span()
            if any(s < end and start < e for s, e in taken):
                continue
            form = match.group()
            owners = self.forms.get(form)
            if owners is None:  # a non-actor name ("South China Sea") shadows the country
                continue
            key, how = owners[0]
            if len({k for k, _ in owners}) > 1 and any(h != "self" for _, h in owners):
                how = "ambiguous"
            entry = self.entries[key]
            country = None if how == "ambiguous" else entry.country
            found.append(TextMention(start, end, form, key, entry.kind, how,
                                     self._is_modifier(text, start, end), country))
        found.sort(key=lambda m: m.start)
        return _mark_dashed_pairs(text, found)

    def _ship_mention(self, match: re.Match[str]) -> TextMention:
        iso = self.data.ship_prefixes[match.group(1)]
        return TextMention(match.start(), match.end(), match.group(), f"country:{iso}",
                           "country", "ship", False, iso)

    def _is_modifier(self, text: str, start: int, end: int) -> bool:
        if _AFTER_MODIFIER.match(text, end):
            return True
        before = text[max(0, start - 6):start]
        head = re.search(rf"(\w+)[{DASHES}]$", before)
        return head is not None and head.group(1).lower() in self.data.modifier_prefixes

    def find_roles(self, text: str) -> list[RoleMatch]:
        """Role words and phrases in `text` (longest match first), by character span
        (remembered, as `find_in_text`)."""
        found = self._roles_found.get(text)
        if found is None:
            found = self._remember(self._roles_found, text, tuple(
                RoleMatch(m.start(), m.end(), m.group(), self._role_of[m.group().lower()])
                for m in self._role_re.finditer(text)
            ))
        return list(found)

    @staticmethod
    def _remember(memo: dict[str, _T], text: str, found: _T) -> _T:
        if len(memo) >= MEMO_SIZE:
            memo.clear()  # a bounded memory: start afresh (the answers do not change)
        memo[text] = found
        return found

    # -- lookups ----------------------------------------------------------------------------
    def lookup(self, name: str, date: str | None = None) -> Actor | None:
        """The actor an exact name or alias denotes at `date` (None when unknown or ambiguous).

        Context-dependent forms (short forms, self-references) are not resolved here."""
        owners = self.forms.get(name.strip()) or self._folded.get(name.strip().casefold())
        if not owners or len({k for k, _ in owners}) > 1:
            return None
        key, how = owners[0]
        if how in ("short", "self"):
            return None
        return self.actor_for(self.entries[key], how, date, name)

    def actor_for(self, entry: ActorEntry, how: str, date: str | None, text: str) -> Actor:
        """The Actor for a dictionary entry named `how` (capital, adjective ...) at `date`."""
        if entry.kind == "country":
            role = "GOV" if how == "capital" else ("MIL" if how == "ship" else None)
            return Actor(entry.code + (role or ""), entry.code, role, text, entry.name)
        period = period_at(entry.periods, date)
        if period is not None:
            return Actor(period.code, period.country, period.role, text, entry.name)
        return Actor(entry.code, entry.country, entry.role, text, entry.name)

    def country_name(self, iso: str) -> str | None:
        entry = self.entries.get(f"country:{iso}")
        return entry.name if entry else None

    def holders(self, country: str, title: str, date: str | None) -> list[ActorEntry]:
        """People of `country` holding a title containing `title` at `date`."""
        if date is None:
            return []
        out = []
        for entry in self.entries.values():
            if entry.kind != "person" or entry.country != country:
                continue
            period = period_at(entry.periods, date)
            if period and any(title in t.lower() for t in period.titles):
                out.append(entry)
        return out

    # -- spaCy ------------------------------------------------------------------------------
    def ruler_patterns(self) -> list[dict[str, Any]]:
        """EntityRuler patterns (label ACTOR, id = entry key) for a ruler placed before "ner"."""
        patterns: list[dict[str, Any]] = []
        for form, owners in self.forms.items():
            key, how = owners[0]
            if how == "self" or len({k for k, _ in owners}) > 1:
                continue
            patterns.append({"label": "ACTOR", "pattern": form, "id": key})
            words = form.split()
            if how in ("name", "short") and len(words) > 1 and len(words[-1]) <= 4:
                # "Hun Sen." at a sentence end is tokenised "Hun" + "Sen."
                tokens: list[dict[str, Any]] = [{"ORTH": w} for w in words[:-1]]
                tokens.append({"ORTH": {"IN": [words[-1], words[-1] + "."]}})
                patterns.append({"label": "ACTOR", "pattern": tokens, "id": key})
        for prefix, iso in self.data.ship_prefixes.items():
            ship: list[dict[str, Any]] = [
                {"ORTH": prefix}, {"IS_TITLE": True}, {"IS_TITLE": True, "OP": "?"}
            ]
            patterns.append({"label": "ACTOR", "pattern": ship, "id": f"country:{iso}"})
        return patterns


def _surface_forms(entry: ActorEntry) -> list[tuple[str, str]]:
    forms = [(entry.name, "name")] + [(a, "name") for a in entry.aliases]
    forms += [(a, "adjective") for a in entry.adjectives]
    forms += [(a + "s", "adjective") for a in entry.adjectives if a[-1] in "ni" and " " not in a]
    forms += [(c, "capital") for c in entry.capitals]
    forms += [(s, "self") for s in entry.self_refs]
    forms += [(s, "short") for s in entry.short_forms]
    forms += [("T" + f[1:], how) for f, how in forms if f.startswith("the ")]  # sentence start
    forms += [(f.replace("'", "’"), how) for f, how in forms if "'" in f]  # typographic quote
    seen: dict[str, str] = {}
    for form, how in forms:
        seen.setdefault(form, how)
    return list(seen.items())


def _mark_dashed_pairs(text: str, found: list[TextMention]) -> list[TextMention]:
    """ "U.S.–Cambodia relations": both names of a dashed pair are modifiers."""
    out = list(found)
    for i in range(len(out) - 1):
        left, right = out[i], out[i + 1]
        gap = text[left.end:right.start]
        if len(gap) == 1 and _PAIR_DASH.match(gap):
            out[i] = _as_modifier(left)
            out[i + 1] = _as_modifier(right)
    return out


def _as_modifier(m: TextMention) -> TextMention:
    return TextMention(m.start, m.end, m.text, m.key, m.kind, m.form, True, m.country)


def load_actor_dictionary(user_file: Path | None = None) -> ActorDictionary:
    """Load the packaged actor dictionary, plus `user_file` (same YAML format) on top."""
    dictionary = ActorDictionary(load_actor_data(user_file))
    log.info("actor dictionary %s: %d entries, %d surface forms",
             dictionary.version, len(dictionary.entries), len(dictionary.forms))
    return dictionary


def add_actor_ruler(nlp: Language, dictionary: ActorDictionary) -> None:
    """Add the dictionary as an entity ruler before "ner" (the dictionary wins over NER), and
    split dashed pairs after an abbreviation ("U.S.–Cambodia" -> U.S. / – / Cambodia)."""
    from spacy.util import compile_infix_regex

    infixes = [*(nlp.Defaults.infixes or ()), rf"(?<=[A-Z]\.)[{DASHES}](?=[A-Z])"]
    nlp.tokenizer.infix_finditer = compile_infix_regex(infixes).finditer  # type: ignore[union-attr]
    before = "ner" if "ner" in nlp.pipe_names else None
    ruler = nlp.add_pipe("entity_ruler", name="actor_ruler", config={"overwrite_ents": True},
                         before=before)
    ruler.add_patterns(dictionary.ruler_patterns())  # type: ignore[attr-defined]
