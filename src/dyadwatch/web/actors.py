"""Finding actors by name: the packaged actor dictionary and the names events carry.

Names are compared case- and accent-insensitively ("erdogan" finds "Recep Tayyip Erdoğan"),
the same folding the workspace search uses (`store.web.folded`). An unknown code gets
suggestions: actors whose names contain it, and codes spelled like it.
"""

from __future__ import annotations

import difflib
import unicodedata
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

import duckdb

from dyadwatch.coding.actor_data import ActorEntry, load_actor_data
from dyadwatch.store import web as store


@dataclass(frozen=True, slots=True)
class ActorHit:
    """An actor found by name: its code, the name to show, and where it was found."""

    code: str
    name: str
    found_in: str  # "dictionary" or "events"
    mentions: int = 0


def fold(text: str) -> str:
    """Lower case without accents (NFD, combining marks dropped)."""
    decomposed = unicodedata.normalize("NFD", text.lower())
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def load_entries() -> tuple[ActorEntry, ...]:
    """The packaged dictionary's entries (read once per server)."""
    return tuple(load_actor_data().entries.values())


def _codes(entry: ActorEntry) -> list[str]:
    codes = [entry.code, *(p.code for p in entry.periods if p.code)]
    return list(dict.fromkeys(c for c in codes if c))


def search_dictionary(entries: Iterable[ActorEntry], text: str, limit: int = 20) -> list[ActorHit]:
    """Dictionary actors whose name, aliases or short forms contain `text`."""
    wanted = fold(text.strip())
    if not wanted:
        return []
    hits: list[ActorHit] = []
    for entry in entries:
        names = (entry.name, *entry.aliases, *entry.short_forms)
        if any(wanted in fold(n) for n in names):
            hits += [ActorHit(code, entry.name, "dictionary") for code in _codes(entry)]
    return list(dict.fromkeys(hits))[:limit]


def find_actors(
    con: duckdb.DuckDBPyConnection, entries: Iterable[ActorEntry], text: str, limit: int = 30
) -> list[ActorHit]:
    """Actors named like `text`: those of the events first (most mentioned), then the
    dictionary's; one hit per code."""
    seen: dict[str, ActorHit] = {}
    for row in store.find_actor_names(con, text, limit):
        name = row["name"] or row["text"] or row["code"]
        seen.setdefault(row["code"], ActorHit(row["code"], name, "events", row["mentions"]))
    for hit in search_dictionary(entries, text, limit):
        seen.setdefault(hit.code, hit)
    return list(seen.values())[:limit]


def known_code(con: duckdb.DuckDBPyConnection, entries: Iterable[ActorEntry], code: str) -> bool:
    """Whether `code` is a dictionary code, or the code (or code prefix) of an event actor."""
    if any(code in _codes(e) for e in entries):
        return True
    return store.has_actor_code(con, code)


def suggestions(
    con: duckdb.DuckDBPyConnection, entries: Iterable[ActorEntry], value: str, limit: int = 8
) -> list[ActorHit]:
    """For an unknown code: actors whose names contain `value`, then codes spelled like it."""
    entries = tuple(entries)
    hits = find_actors(con, entries, value, limit)
    names: Mapping[str, str] = {c: e.name for e in entries for c in _codes(e)}
    codes = sorted({*store.actor_codes(con), *names})
    for code in difflib.get_close_matches(value.upper(), codes, n=limit, cutoff=0.6):
        if all(h.code != code for h in hits):
            hits.append(ActorHit(code, names.get(code, code), "similar code"))
    return hits[:limit]
