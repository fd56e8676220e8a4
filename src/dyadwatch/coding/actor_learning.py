"""Learning people from context: titles and appositions give a code to unknown names.

Reads one parsed sentence (with the dictionary mentions and role words already found in it)
and returns the people it introduces with a country and a role:
- a title before the name: "Cambodian Deputy Prime Minister Lok Vannak", or with a comma,
  "the US Assistant Secretary of State for Asian Affairs, John Palmer";
- an apposition after it: "Lok Vannak, Cambodia's deputy prime minister, ...".
A name is 2-4 capitalised proper-noun tokens that no dictionary entry or role word covers; the
title chunk must hold a role word and a country (or a national organisation), and no verb.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from spacy.tokens import Span, Token

    from dyadwatch.coding.actors import ActorDictionary, MentionHit, RoleMatch

# Longest title chunk we read before or after a name (tokens); longer chunks are prose.
MAX_TITLE_TOKENS = 14
_CHUNK_POS = frozenset({"PROPN", "NOUN", "ADJ", "PART", "DET", "CCONJ", "ADP"})
_CHUNK_ADP = frozenset({"of", "for", "'s", "’s"})
# Lower-case words that stay inside a name ("Abdel Fattah al-Sisi", "Faisal bin Farhan").
NAME_PARTICLES = frozenset({"al", "el", "-", "bin", "ibn", "bint", "de", "van", "von", "der", "da"})


@dataclass(frozen=True, slots=True)
class TitledPerson:
    """A person introduced with a title: name, the code (country + the title's role, or the
    organisation's own code: "an SDF commander" -> SYRREB), and the title text."""

    name: str
    code: str
    country: str | None
    role: str | None
    title: str


def learn_titled_people(
    dictionary: ActorDictionary,
    sent: Span,
    hits: list[MentionHit],
    roles: list[tuple[int, int, RoleMatch]],
) -> list[TitledPerson]:
    """People of `sent` that a title or apposition codes (see the module docstring)."""
    covered = {i for h in hits for i in range(h.first, h.last + 1)}
    people = {i for h in hits if h.mention.kind in ("person", "learned")
              for i in range(h.first, h.last + 1)}
    covered |= {i for first, last, _ in roles for i in range(first, last + 1)}
    out = []
    for first, last in _name_runs(dictionary, sent, covered):
        if not _could_be_person(dictionary, sent, first, last, people):
            continue
        name = sent.doc[first : last + 1].text
        for chunk in (_left_chunk(sent, first), _right_chunk(sent, last)):
            coded = None if chunk is None else _code_chunk(dictionary, chunk, hits, roles)
            if coded is not None:
                out.append(TitledPerson(name, *coded))
                break
    return out


def _could_be_person(
    dictionary: ActorDictionary, sent: Span, first: int, last: int, people: set[int]
) -> bool:
    """Not a title fragment ("... for Asian Affairs"), not an institution ("National
    Commission"), not the first names of someone the dictionary knows ("Recep Tayyip" before
    "Erdoğan")."""
    doc = sent.doc
    if doc[first : last + 1].text in dictionary.forms:
        return False
    if first > sent.start and doc[first - 1].pos_ in ("ADP", "CCONJ"):
        return False
    if any(t.text in dictionary.data.not_name_words for t in doc[first : last + 1]):
        return False
    return (first - 1) not in people and (last + 1) not in people


def _is_name_token(tok: Token, covered: set[int], honorifics: frozenset[str]) -> bool:
    return (
        tok.pos_ == "PROPN"
        and tok.text[:1].isupper()
        and tok.i not in covered
        and tok.text not in honorifics
        and not any(ch.isdigit() for ch in tok.text)
    )


def _name_follows(sent: Span, i: int, covered: set[int], honorifics: frozenset[str]) -> bool:
    """Does a name word follow position `i`, after any further particles?"""
    while i < sent.end and sent.doc[i].lower_ in NAME_PARTICLES:
        i += 1
    return i < sent.end and _is_name_token(sent.doc[i], covered, honorifics)


def _name_runs(dictionary: ActorDictionary, sent: Span, covered: set[int]) -> list[tuple[int, int]]:
    """Runs of 2-4 name words; lower-case particles inside ("al-Sisi", "bin Farhan") join."""
    honorifics = dictionary.data.person_titles
    runs, start = [], None
    for tok in sent:
        inside = start is not None and tok.lower_ in NAME_PARTICLES \
            and _name_follows(sent, tok.i + 1, covered, honorifics)
        if inside or _is_name_token(tok, covered, honorifics):
            start = tok.i if start is None else start
            continue
        if start is not None:
            runs.append((start, tok.i - 1))
            start = None
    if start is not None:
        runs.append((start, sent.end - 1))
    words = [(a, b, sum(1 for t in sent.doc[a : b + 1] if t.lower_ not in NAME_PARTICLES))
             for a, b in runs]
    return [(a, b) for a, b, n in words if 2 <= n <= 4]


def _chunk_token(tok: Token) -> bool:
    if tok.pos_ not in _CHUNK_POS:
        return False
    return tok.pos_ != "ADP" or tok.lower_ in _CHUNK_ADP


def _left_chunk(sent: Span, first: int) -> tuple[int, int] | None:
    """Tokens just before a name (skipping one comma) that can form its title."""
    end = first - 1
    if end >= sent.start and sent.doc[end].text == ",":
        end -= 1
    start = end + 1
    while start - 1 >= sent.start and end - start < MAX_TITLE_TOKENS:
        if not _chunk_token(sent.doc[start - 1]):
            break
        start -= 1
    return (start, end) if start <= end else None


def _right_chunk(sent: Span, last: int) -> tuple[int, int] | None:
    """An apposition after a name: ", the country's title," up to the next comma."""
    start = last + 1
    if start >= sent.end or sent.doc[start].text != ",":
        return None
    end = start
    while end + 1 < sent.end and end - start < MAX_TITLE_TOKENS:
        tok = sent.doc[end + 1]
        if tok.text == "," or (tok.is_sent_end and tok.is_punct):
            break
        if not _chunk_token(tok):
            return None
        end += 1
    return (start + 1, end) if end > start else None


def _code_chunk(
    dictionary: ActorDictionary,
    chunk: tuple[int, int],
    hits: list[MentionHit],
    roles: list[tuple[int, int, RoleMatch]],
) -> tuple[str, str | None, str | None, str] | None:
    """(code, country, role, title) when the chunk holds a title role word and one owner: a
    country (code = country + role) or an organisation (its own code)."""
    lo, hi = chunk
    in_roles = [r for r in roles if lo <= r[0] and r[1] <= hi]
    owners = {
        hit.mention.key for hit in hits
        if lo <= hit.first and hit.last <= hi and not hit.mention.is_modifier
        and hit.mention.kind in ("country", "org") and hit.mention.form != "ambiguous"
    }
    if not in_roles or len(owners) != 1:
        return None
    entry = dictionary.entries[owners.pop()]
    match = in_roles[0][2]
    if entry.kind == "org":
        return entry.code, entry.country, entry.role, match.text
    return entry.code + match.role, entry.code, match.role, match.text
