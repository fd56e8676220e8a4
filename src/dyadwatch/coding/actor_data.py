"""Load and validate the actor dictionary data files (`data/actors/*.yaml`).

Reads the packaged files (countries, organisations, people, roles, ship prefixes; formats in
`data/actors/README.md`) plus an optional user file in the same format, which adds entries or
overrides them by key. Returns one frozen `ActorData`; every problem raises `DictionaryError`
naming the file and the entry.
"""

from __future__ import annotations

import datetime
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from dyadwatch.datafiles import packaged_path, read_data_file
from dyadwatch.errors import DictionaryError

DATA_DIR = packaged_path("actors")
FILES = (
    "countries.yaml", "organisations.yaml", "people.yaml", "roles.yaml", "ships.yaml",
    "nonactors.yaml",
)

ROLE_CODES = frozenset(
    (
        "GOV", "MIL", "REB", "OPP", "PTY", "COP", "JUD", "SPY", "MED", "EDU", "BUS", "CRM",
        "CVL", "LEG", "HLH", "REF", "AGR", "ELI", "LAB", "NGO", "IGO", "MNC", "UAF", "INS",
        "SEP", "IMG", "MOD", "RAD", "HRI", "ENV", "DEV", "SET",
    )
)
_DATE = re.compile(r"^\d{4}(-\d{2}(-\d{2})?)?$")
_ISO3 = re.compile(r"^[A-Z]{3}$")
_CODE = re.compile(r"^[A-Z]{3}([A-Z]{3})*$")
_KEY = re.compile(r"^[A-Za-z0-9_]+$")

_COUNTRY_FIELDS = frozenset({"name", "aliases", "adjectives", "capitals", "self", "ambiguous"})
_ORG_FIELDS = frozenset({"name", "aliases", "code", "country", "role", "periods"})
_PERSON_FIELDS = frozenset(
    {"name", "aliases", "short_forms", "country", "code", "role", "born", "periods", "pronoun"}
)
PRONOUNS = frozenset({"he", "she", "they"})
_PERIOD_FIELDS = frozenset({"start", "end", "code", "country", "role", "titles"})


@dataclass(frozen=True, slots=True)
class Period:
    """A date range in which an actor holds one code. `end` None = still holds it."""

    start: str
    end: str | None
    code: str
    country: str | None
    role: str | None
    titles: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class ActorEntry:
    """One dictionary entry: a country, an organisation or a person.

    `key` is unique across kinds ("country:KHM", "org:USAID", "person:hun_manet"); `code`,
    `country`, `role` are the defaults outside every period.
    """

    key: str
    kind: str
    name: str
    code: str
    country: str | None
    role: str | None
    aliases: tuple[str, ...] = ()
    short_forms: tuple[str, ...] = ()
    adjectives: tuple[str, ...] = ()
    capitals: tuple[str, ...] = ()
    self_refs: tuple[str, ...] = ()
    ambiguous: frozenset[str] = frozenset()
    periods: tuple[Period, ...] = ()
    born: str | None = None
    pronoun: str | None = None


@dataclass(frozen=True, slots=True)
class ActorData:
    """Everything the dictionary files say, validated."""

    version: str
    entries: Mapping[str, ActorEntry]
    roles: Mapping[str, str]
    coref_titles: tuple[str, ...]
    person_titles: frozenset[str]
    modifier_suffixes: frozenset[str]
    modifier_prefixes: frozenset[str]
    ship_prefixes: Mapping[str, str]
    first_token_short_form: frozenset[str] = field(default_factory=frozenset)
    not_actors: frozenset[str] = field(default_factory=frozenset)
    not_name_words: frozenset[str] = field(default_factory=frozenset)


def load_actor_data(user_file: Path | None = None, data_dir: Path | None = None) -> ActorData:
    """Read the packaged actor files, or those in `data_dir` (and `user_file` on top);
    validate; return ActorData."""
    builder = _Builder()
    versions = []
    for name in FILES:
        versions.append(builder.add_file(f"actors/{name}", data_dir and data_dir / name))
    version = "actors-" + max(versions)
    if user_file is not None:
        version += "+" + builder.add_file("", Path(user_file), user=True)
    builder.check_unique_names()
    return builder.build(version)


def _read_actor_file(name: str, path: Path | None) -> tuple[str, dict[str, Any]]:
    """(label, mapping) of an actor file: the packaged `name` or `path` (datafiles' checks),
    whose meta also says where its entries come from."""
    label, raw = read_data_file(name, path)
    if not raw["meta"].get("source") and not raw["meta"].get("notes"):
        raise DictionaryError(f"{label}: `meta:` needs `source` or `notes`")
    return label, raw


def _strings(value: Any, where: str) -> tuple[str, ...]:
    if value is None:
        return ()
    if not isinstance(value, list) or not all(isinstance(v, str) and v.strip() for v in value):
        raise DictionaryError(f"{where}: expected a list of non-empty strings, got {value!r}")
    return tuple(v.strip() for v in value)


def _date(value: Any, where: str) -> str | None:
    if value is None:
        return None
    text = str(value)
    padded = text + "-01-01"[len(text) - 4 :] if len(text) < 10 else text
    try:
        ok = bool(_DATE.match(text)) and bool(datetime.date.fromisoformat(padded))
    except ValueError:
        ok = False
    if not ok:
        raise DictionaryError(f"{where}: date {text!r} is not YYYY, YYYY-MM or YYYY-MM-DD")
    return text


def _role(value: Any, where: str) -> str | None:
    if value is None:
        return None
    if value not in ROLE_CODES:
        raise DictionaryError(f"{where}: unknown role {value!r} (expected one of CAMEO roles)")
    return str(value)


def _country(value: Any, where: str) -> str | None:
    if value is None:
        return None
    if not isinstance(value, str) or not _ISO3.match(value):
        raise DictionaryError(f"{where}: country {value!r} is not a 3-letter upper-case code")
    return value


def _fields(entry: Any, allowed: frozenset[str], where: str) -> dict[str, Any]:
    if not isinstance(entry, dict):
        raise DictionaryError(f"{where}: expected a mapping, got {entry!r}")
    unknown = set(entry) - allowed
    if unknown:
        raise DictionaryError(f"{where}: unknown field(s) {sorted(unknown)}")
    if not isinstance(entry.get("name"), str) or not entry["name"].strip():
        raise DictionaryError(f"{where}: missing `name`")
    return entry


def _code_of(code: Any, country: str | None, role: str | None, where: str) -> str:
    if code is None:
        if country is None:
            raise DictionaryError(f"{where}: needs `code` or `country`")
        return country + (role or "")
    if not isinstance(code, str) or not _CODE.match(code):
        raise DictionaryError(f"{where}: code {code!r} must be upper-case letters in 3s")
    return code


def _periods(value: Any, default_country: str | None, where: str) -> tuple[Period, ...]:
    if value is None:
        return ()
    if not isinstance(value, list):
        raise DictionaryError(f"{where}: `periods` must be a list")
    out = []
    for i, raw in enumerate(value):
        at = f"{where}: period {i + 1}"
        if not isinstance(raw, dict) or set(raw) - _PERIOD_FIELDS:
            raise DictionaryError(f"{at}: expected a mapping with fields {sorted(_PERIOD_FIELDS)}")
        start = _date(raw.get("start"), at)
        if start is None:
            raise DictionaryError(f"{at}: missing `start`")
        end = _date(raw.get("end"), at)
        if end is not None and end < start:
            raise DictionaryError(f"{at}: ends ({end}) before it starts ({start})")
        country = _country(raw.get("country", default_country), at)
        role = _role(raw.get("role"), at)
        code = _code_of(raw.get("code"), country, role, at)
        out.append(Period(start, end, code, country, role, _strings(raw.get("titles"), at)))
    return tuple(out)


def _slug(name: str) -> str:
    return re.sub(r"[^a-z0-9]+", "_", name.lower()).strip("_")


class _Builder:
    """Accumulates validated entries file by file (later files override by key)."""

    def __init__(self) -> None:
        self.entries: dict[str, ActorEntry] = {}
        self.sources: dict[str, str] = {}
        self.roles: dict[str, str] = {}
        self.lists: dict[str, tuple[str, ...]] = {}
        self.ships: dict[str, str] = {}

    def add_file(self, name: str, file: Path | None, user: bool = False) -> str:
        """Add the packaged file `name` or `file`; its version (user files: name-version)."""
        path, raw = _read_actor_file(name, file)
        known = {"meta", "countries", "organisations", "people", "roles", "coref_titles",
                 "person_titles", "modifier_suffixes", "modifier_prefixes", "ship_prefixes",
                 "first_token_short_form", "not_actors", "not_name_words"}
        unknown = set(raw) - known
        if unknown:
            raise DictionaryError(f"{path}: unknown section(s) {sorted(unknown)}")
        self._add_countries(path, raw.get("countries"))
        self._add_orgs(path, raw.get("organisations"))
        self._add_people(path, raw.get("people"))
        self._add_roles(path, raw)
        version = str(raw["meta"]["version"])
        return f"{raw['meta']['name']}-{version}" if user else version

    def _put(self, entry: ActorEntry, path: str) -> None:
        if self.sources.get(entry.key) == str(path):
            raise DictionaryError(f"{path}: {entry.key}: defined twice in the same file")
        self.entries[entry.key] = entry
        self.sources[entry.key] = str(path)

    def _section(self, path: str, value: Any, name: str, kind: type) -> Any:
        if value is None:
            return kind()
        if not isinstance(value, kind):
            raise DictionaryError(f"{path}: `{name}` must be a {kind.__name__}")
        return value

    def _add_countries(self, path: str, section: Any) -> None:
        for iso, raw in self._section(path, section, "countries", dict).items():
            where = f"{path}: country {iso}"
            if not isinstance(iso, str) or not _ISO3.match(iso):
                raise DictionaryError(f"{where}: key must be an ISO 3166 alpha-3 code")
            entry = _fields(raw, _COUNTRY_FIELDS, where)
            ambiguous = frozenset(_strings(entry.get("ambiguous"), where))
            entry_obj = ActorEntry(
                key=f"country:{iso}", kind="country", name=entry["name"].strip(), code=iso,
                country=iso, role=None, aliases=_strings(entry.get("aliases"), where),
                adjectives=_strings(entry.get("adjectives"), where),
                capitals=_strings(entry.get("capitals"), where),
                self_refs=_strings(entry.get("self"), where), ambiguous=ambiguous,
            )
            forms = {entry_obj.name, *entry_obj.aliases, *entry_obj.adjectives}
            if not ambiguous <= forms | set(entry_obj.capitals):
                raise DictionaryError(f"{where}: `ambiguous` lists forms the entry does not have")
            self._put(entry_obj, path)

    def _add_orgs(self, path: str, section: Any) -> None:
        for key, raw in self._section(path, section, "organisations", dict).items():
            where = f"{path}: organisation {key}"
            if not isinstance(key, str) or not _KEY.match(key):
                raise DictionaryError(f"{where}: key must be letters, digits or _")
            entry = _fields(raw, _ORG_FIELDS, where)
            country = _country(entry.get("country"), where)
            role = _role(entry.get("role"), where)
            code = _code_of(entry.get("code"), country, role, where)
            if country is None and entry.get("code") and role is None:
                country = code  # an IGO: its known-group code stands in for the country
            self._put(ActorEntry(
                key=f"org:{key}", kind="org", name=entry["name"].strip(), code=code,
                country=country, role=role, aliases=_strings(entry.get("aliases"), where),
                periods=_periods(entry.get("periods"), country, where),
            ), path)

    def _add_people(self, path: str, section: Any) -> None:
        for i, raw in enumerate(self._section(path, section, "people", list)):
            name = raw.get("name") if isinstance(raw, dict) else None
            where = f"{path}: person {i + 1} ({name or '?'})"
            entry = _fields(raw, _PERSON_FIELDS, where)
            country = _country(entry.get("country"), where)
            role = _role(entry.get("role"), where)
            code = _code_of(entry.get("code"), country, role, where)
            pronoun = entry.get("pronoun", "he")
            if pronoun not in PRONOUNS:
                raise DictionaryError(f"{where}: pronoun {pronoun!r} is not one of he/she/they")
            self._put(ActorEntry(
                key=f"person:{_slug(entry['name'])}", pronoun=pronoun, kind="person",
                name=entry["name"].strip(),
                code=code, country=country, role=role,
                aliases=_strings(entry.get("aliases"), where),
                short_forms=_strings(entry.get("short_forms"), where),
                periods=_periods(entry.get("periods"), country, where),
                born=_date(entry.get("born"), where),
            ), path)

    def _add_roles(self, path: str, raw: dict[str, Any]) -> None:
        for role, words in self._section(path, raw.get("roles"), "roles", dict).items():
            _role(role, f"{path}: roles")
            for word in _strings(words, f"{path}: roles {role}"):
                self.roles[word.lower()] = role
        for name in ("coref_titles", "person_titles", "modifier_suffixes", "modifier_prefixes",
                     "first_token_short_form", "not_actors", "not_name_words"):
            if name in raw:
                self.lists[name] = _strings(raw[name], f"{path}: {name}")
        for prefix, iso in self._section(path, raw.get("ship_prefixes"), "ships", dict).items():
            self.ships[str(prefix)] = _country(iso, f"{path}: ship prefix {prefix}") or ""

    def check_unique_names(self) -> None:
        """A country name, alias or adjective may belong to one country only, unless every
        country that uses it lists it under `ambiguous`."""
        owners: dict[str, list[ActorEntry]] = {}
        for entry in self.entries.values():
            if entry.kind == "country":
                for form in {entry.name, *entry.aliases, *entry.adjectives}:
                    owners.setdefault(form, []).append(entry)
        for form, entries in owners.items():
            if len(entries) > 1 and not all(form in e.ambiguous for e in entries):
                where = ", ".join(f"{self.sources[e.key]}: {e.key}" for e in entries)
                raise DictionaryError(
                    f"{where}: {form!r} names several countries; list it under `ambiguous`"
                )

    def build(self, version: str) -> ActorData:
        lists = self.lists
        return ActorData(
            version=version, entries=dict(self.entries), roles=dict(self.roles),
            coref_titles=tuple(t.lower() for t in lists.get("coref_titles", ())),
            person_titles=frozenset(lists.get("person_titles", ())),
            modifier_suffixes=frozenset(lists.get("modifier_suffixes", ())),
            modifier_prefixes=frozenset(lists.get("modifier_prefixes", ())),
            ship_prefixes=dict(self.ships),
            first_token_short_form=frozenset(lists.get("first_token_short_form", ())),
            not_actors=frozenset(lists.get("not_actors", ())),
            not_name_words=frozenset(lists.get("not_name_words", ())),
        )
