"""Per-document actor resolution: a noun phrase -> the Actor it denotes (or None).

`ActorResolver` is made once per document. The coder calls `observe(sent)` on every parsed
sentence in order (it learns "Cambodian Deputy Prime Minister Tea Seiha" -> KHMGOV from titles
and appositions, and keeps the coreference state: people seen, with their titles), and
`resolve(span)` on subject/object phrases. Resolution, in order:
1. the phrase head is a dictionary or learned name: that actor at the event date (an explicit
   title in the phrase sets the role: "Deputy Prime Minister Tea Seiha" -> GOV);
2. the head is a role word: the country named before it ("Chinese forces", "the Trump
   administration") or after "of" + that role; else a coreferent person for a definite title
   ("the secretary"), else the document's dominant country for a definite phrase, unless a
   role word of no state comes first ("that rebel army": none);
3. the head is an unknown proper name after a country + title: that country + role;
4. a pronoun (he, she, his, her, him): the one person seen in this or the previous sentence;
5. an apposition of the head is tried; otherwise None (an extra event is as bad as a missing one).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING

from dyadwatch.coding.actor_learning import learn_titled_people
from dyadwatch.coding.actors import (
    ActorDictionary,
    MentionHit,
    RoleMatch,
    TextMention,
    period_at,
)
from dyadwatch.records import Actor, Document, LearnedActor

if TYPE_CHECKING:
    from spacy.tokens import Doc, Span, Token

    from dyadwatch.coding.actor_data import ActorEntry

_PRONOUNS = frozenset({"he", "she", "him", "her", "his"})
_DEFINITE = frozenset({"the", "this", "that", "its", "their", "our"})
# Focus country: most-mentioned country, with at least this many mentions and this lead.
FOCUS_MIN_MENTIONS = 3
FOCUS_LEAD = 1.5
# How far back (in sentences) "the secretary" may look for its antecedent.
COREF_WINDOW = 12
# "the government", "the army" with no country name the focus country only when it has at
# least this share of the document's country mentions, and only for state institutions.
STRONG_SHARE = 0.5
STATE_ROLES = frozenset({"GOV", "MIL", "COP", "LEG", "JUD"})
_NAME_CHUNK_POS = frozenset({"PROPN", "NOUN", "ADJ", "PART", "DET", "CCONJ", "ADP", "PUNCT"})


@dataclass(frozen=True, slots=True)
class PersonSeen:
    """A person mentioned in the document: where (sentence number, offset) and as whom."""

    seq: int
    pos: int
    actor: Actor
    titles: tuple[str, ...]
    pronoun: str | None = None  # he / she / they; None when unknown (learned people)


class ActorResolver:
    """Resolves actor phrases of one document (see the module docstring for the rules)."""

    def __init__(
        self,
        dictionary: ActorDictionary,
        doc_text: str,
        doc_date: str | None,
        learned: Mapping[str, LearnedActor] | None = None,
        doc_id: str = "",
    ) -> None:
        self.dictionary = dictionary
        self.doc_date = doc_date
        self.doc_id = doc_id or Document.id_for(doc_text)
        mentions = dictionary.find_in_text(doc_text)
        self.focus = focus_country(mentions)
        shares = _country_shares(mentions)
        self.strong_focus = self.focus is not None and shares.get(self.focus, 0) >= STRONG_SHARE
        self._named = {m.key for m in mentions if m.kind == "person" and m.form == "name"}
        self._learned: dict[str, LearnedActor] = {}
        self._titles: dict[str, tuple[str, ...]] = {}
        self._learned_re: re.Pattern[str] | None = None
        for actor in (learned or {}).values():
            self._add_learned(actor, ())
        self.people: list[PersonSeen] = []
        self._unknown_people: set[int] = set()
        self._seq = -1
        self._observed: list[tuple[Doc, int, int]] = []  # (parsed doc, start char, number)
        # the same phrases are resolved again and again: their mentions are remembered
        self._hits_of: dict[tuple[Doc, int, int, re.Pattern[str] | None], list[MentionHit]] = {}
        self._roles_of: dict[tuple[Doc, int, int], list[tuple[int, int, RoleMatch]]] = {}

    # -- public -------------------------------------------------------------------------------
    def observe(self, sent: Span) -> list[LearnedActor]:
        """Learn title/apposition people from one sentence and record the people it names."""
        self._seq += 1
        self._observed.append((sent.doc, sent.start_char, self._seq))
        hits = self._hits(sent)
        learned = self._learn(sent, hits)
        if learned:
            hits = self._hits(sent)
        roles = self._role_hits(sent)
        for hit in hits:
            if hit.mention.kind in ("person", "learned") and not hit.mention.is_modifier \
                    and sent.doc[hit.last].dep_ != "compound":
                self._see_person(sent, hit, roles)
        covered = {i for h in hits for i in range(h.first, h.last + 1)}
        if _names_someone_unknown(sent, covered):
            self._unknown_people.add(self._seq)  # an unknown person: "he" is ambiguous
        return learned

    def resolve(self, span: Span, date: str | None = None) -> Actor | None:
        """The actor a noun phrase denotes at `date` (default: the document date), or None."""
        if len(span) == 0:
            return None
        date = date or self.doc_date
        root = span.root
        if root.lower_ in _PRONOUNS and len(span) <= 2:
            return self._pronoun(span)
        hits = [h for h in self._hits(span) if not h.mention.is_modifier]
        hit = _hit_at(hits, root.i)
        if hit is not None:
            return self._named_actor(span, hit, hits, date)
        roles = self._role_hits(span)
        role = _role_at(roles, root.i)
        if role is not None:
            return self._role_actor(span, role, hits, date)
        if root.pos_ == "PROPN":
            titled = self._titled_name(span, root, hits, roles)
            if titled is not None:
                return titled
        for child in root.children:
            if child.dep_ == "appos":
                inner = span.doc[child.left_edge.i : child.right_edge.i + 1]
                return self.resolve(inner, date)
        return None

    # -- mentions -------------------------------------------------------------------------------
    def _hits(self, span: Span) -> list[MentionHit]:
        """Dictionary and learned mentions in a span, mapped to token ranges (remembered per
        span and set of learned names)."""
        key = (span.doc, span.start, span.end, self._learned_re)
        hits = self._hits_of.get(key)
        if hits is None:
            hits = self._hits_of[key] = self._find_hits(span)
        return list(hits)

    def _find_hits(self, span: Span) -> list[MentionHit]:
        found = [m for m in self.dictionary.find_in_text(span.text) if self._usable(m)]
        if self._learned_re is not None:
            for match in self._learned_re.finditer(span.text):
                if not any(m.start < match.end() and match.start() < m.end for m in found):
                    found.append(TextMention(match.start(), match.end(), match.group(),
                                             match.group(), "learned", "name"))
        return [h for h in (_to_tokens(span, m) for m in found) if h is not None]

    def _usable(self, mention: TextMention) -> bool:
        if mention.form == "ambiguous":
            return False
        if mention.form == "short":
            return mention.key in self._named
        if mention.form == "self":
            owners = {k for k, _ in self.dictionary.forms[mention.text]}
            return self.focus is not None and f"country:{self.focus}" in owners
        return True

    def _role_hits(self, span: Span) -> list[tuple[int, int, RoleMatch]]:
        """Role words in a span, mapped to token ranges (remembered per span)."""
        key = (span.doc, span.start, span.end)
        roles = self._roles_of.get(key)
        if roles is None:
            roles = self._roles_of[key] = self._find_roles(span)
        return list(roles)

    def _find_roles(self, span: Span) -> list[tuple[int, int, RoleMatch]]:
        out = []
        for role in self.dictionary.find_roles(span.text):
            first, last = _token_range(span, role.start, role.end)
            if first is not None and last is not None:
                out.append((first, last, role))
        return out

    # -- resolution steps -----------------------------------------------------------------------
    def _mention_actor(self, mention: TextMention, date: str | None, text: str) -> Actor | None:
        if mention.kind == "learned":
            la = self._learned[mention.key]
            return Actor(la.code, la.country, la.role, text, la.name)
        if mention.form == "self":
            assert self.focus is not None
            entry = self.dictionary.entries[f"country:{self.focus}"]
            return Actor(entry.code, entry.code, None, text, entry.name)
        entry = self.dictionary.entries[mention.key]
        return self.dictionary.actor_for(entry, mention.form, date, text)

    def _named_actor(
        self, span: Span, hit: MentionHit, hits: list[MentionHit], date: str | None
    ) -> Actor | None:
        actor = self._mention_actor(hit.mention, date, span.text)
        if actor is None or hit.mention.kind not in ("person", "learned"):
            return actor
        # An explicit title before the name sets the role ("Deputy Prime Minister Tea Seiha").
        titles = [r for r in self._role_hits(span) if r[1] < hit.first]
        if not titles:
            return actor
        role = titles[-1][2].role
        owner = self._title_owner(hits, titles[-1][0])
        if owner is not None and owner.kind == "org":
            base = self.dictionary.actor_for(owner, "name", date, span.text)
            return Actor(base.code, base.country, base.role, span.text, actor.name)
        country = owner.code if owner is not None else actor.country
        if country is None or self.dictionary.country_name(country) is None:
            return actor  # no country, or an IGO official ("UN Secretary-General ...")
        return Actor(country + role, country, role, span.text, actor.name)

    def _title_owner(self, hits: list[MentionHit], before: int) -> ActorEntry | None:
        """Whose title it is: the last country named before token `before` ("French UN
        ambassador" -> France), else the last organisation."""
        left = [h for h in hits if h.last < before and h.mention.kind in ("country", "org")]
        for kind in ("country", "org"):
            for hit in reversed(left):
                if hit.mention.kind == kind:
                    return self.dictionary.entries[hit.mention.key]
        return None

    def _role_actor(self, span: Span, role: tuple[int, int, RoleMatch], hits: list[MentionHit],
                    date: str | None) -> Actor | None:
        match = role[2]
        owner = _owner(span, hits, role)
        if owner is not None:
            base = self._mention_actor(owner.mention, date, span.text)
            if base is None or base.country is None or owner.mention.kind == "org":
                # an organisation's people share its code ("an SDF commander" -> SYRREB)
                return base
            return Actor(base.country + match.role, base.country, match.role, span.text,
                         _name_after(span, role[1]) or base.name)
        return self._unowned_role(span, match, date)

    def _unowned_role(self, span: Span, match: RoleMatch, date: str | None) -> Actor | None:
        """A role word with no country in the phrase: coreference, then the focus country."""
        root = span.root
        if not _definite(span) or any(c.like_num or c.pos_ == "NUM" for c in root.children):
            return None
        if root.tag_ in ("NNS", "NNPS") and match.role != "GOV":
            return None
        title = match.text.lower()
        coref = self._title_antecedent(span, title)
        if coref is not None:
            return coref
        if self.focus is None:
            return None
        if any(t == title or title.endswith(t) for t in self.dictionary.data.coref_titles):
            holders = self.dictionary.holders(self.focus, title, date)
            if len(holders) == 1:
                return self.dictionary.actor_for(holders[0], "name", date, span.text)
            return None
        if match.role not in STATE_ROLES or not self.strong_focus:
            return None
        if self._marked_other(span, match):
            return None  # "that rebel army": a force, but not the focus country's
        return Actor(self.focus + match.role, self.focus, match.role, span.text,
                     self.dictionary.country_name(self.focus))

    def _marked_other(self, span: Span, match: RoleMatch) -> bool:
        """A state role word ("army") after a role word of no state ("rebel", "militant") in
        the same phrase: the phrase names that kind of force, not the state's."""
        return any(r.end <= match.start and r.role not in STATE_ROLES
                   for _, _, r in self._role_hits(span))

    def _title_antecedent(self, span: Span, title: str) -> Actor | None:
        """ "the secretary" -> the last person seen with a title containing that word."""
        words = [t for t in self.dictionary.data.coref_titles if title == t or title.endswith(t)]
        if not words:
            return None
        word = max(words, key=len)
        seq, pos = self._where(span)
        for seen in reversed(self.people):
            if seen.seq < seq - COREF_WINDOW:
                break
            if (seen.seq, seen.pos) >= (seq, pos):
                continue
            if any(re.search(rf"\b{re.escape(word)}\b", t) for t in seen.titles):
                return self._again(seen, span)
        return None

    def _titled_name(self, span: Span, root: Token, hits: list[MentionHit],
                     roles: list[tuple[int, int, RoleMatch]]) -> Actor | None:
        """An unknown name after a country + title: "Cambodian Deputy Prime Minister Lok Vannak"."""
        before = [r for r in roles if r[1] < root.i]
        if not before:
            return None
        first, last, match = before[-1]
        if not all(t.pos_ == "PROPN" for t in span.doc[last + 1 : root.i + 1]):
            return None
        owner = self._title_owner(hits, first)
        name = _name_after(span, last)
        if owner is None:
            return None
        if owner.kind == "org":
            base = self.dictionary.actor_for(owner, "name", self.doc_date, span.text)
            return Actor(base.code, base.country, base.role, span.text, name)
        return Actor(owner.code + match.role, owner.code, match.role, span.text, name)

    def _pronoun(self, span: Span) -> Actor | None:
        """he/she/his/her/him -> the only person seen in this (before it) or the last sentence."""
        seq, pos = self._where(span)
        word = span.root.lower_
        wanted = "she" if word in ("she", "her") else "he"
        candidates = {
            seen.actor.name: seen.actor for seen in self.people
            if (seen.seq == seq - 1 or (seen.seq == seq and seen.pos < pos))
            and seen.pronoun in (None, wanted)
        }
        if len(candidates) != 1 or {seq - 1, seq} & self._unknown_people:
            return None
        name = next(iter(candidates))
        last = next(seen for seen in reversed(self.people) if seen.actor.name == name)
        return self._again(last, span)

    def _again(self, seen: PersonSeen, span: Span) -> Actor:
        """A coreferent mention: the same actor, named again here (which keeps it recent)."""
        seq, pos = self._where(span)
        if (seq, pos) > (seen.seq, seen.pos):
            self.people.append(PersonSeen(seq, pos, seen.actor, seen.titles, seen.pronoun))
        a = seen.actor
        return Actor(a.code, a.country, a.role, span.text, a.name)

    def _where(self, span: Span) -> tuple[int, int]:
        """(sentence number, offset in that sentence) of a span; an unobserved sentence is
        taken to be the next one."""
        for doc, start, seq in reversed(self._observed):
            if doc is span.doc and start <= span.start_char:
                return seq, span.start_char - start
        return self._seq + 1, span.start_char

    # -- learning ---------------------------------------------------------------------------------
    def _learn(self, sent: Span, hits: list[MentionHit]) -> list[LearnedActor]:
        out = []
        for person in learn_titled_people(self.dictionary, sent, hits, self._role_hits(sent)):
            if person.name in self._learned:
                continue
            actor = LearnedActor(person.name, person.code, person.country, person.role,
                                 self.doc_id, sent.text)
            self._add_learned(actor, (person.title,))
            out.append(actor)
        return out

    def _add_learned(self, actor: LearnedActor, titles: tuple[str, ...]) -> None:
        forms = {actor.name}
        parts = actor.name.split()
        if len(parts) > 1:
            short = parts[0] if actor.country in self.dictionary.data.first_token_short_form \
                else parts[-1]
            if len(short) > 2 and short not in self.dictionary.forms:
                forms.add(short)
        for form in forms:
            self._learned.setdefault(form, actor)
        self._titles[actor.name] = tuple(t.lower() for t in titles)
        alternation = "|".join(re.escape(f) for f in sorted(self._learned, key=len, reverse=True))
        self._learned_re = re.compile(rf"(?<!\w)(?:{alternation})(?!\w)")

    def _see_person(
        self, sent: Span, hit: MentionHit, roles: list[tuple[int, int, RoleMatch]]
    ) -> None:
        actor = self._mention_actor(hit.mention, self.doc_date, hit.mention.text)
        if actor is None:
            return
        titles: list[str] = [r[2].text.lower() for r in roles if hit.first - 3 <= r[1] < hit.first]
        pronoun = None
        if hit.mention.kind == "learned":
            titles += self._titles.get(actor.name or "", ())
        else:
            entry = self.dictionary.entries[hit.mention.key]
            pronoun = entry.pronoun
            period = period_at(entry.periods, self.doc_date)
            titles += [t.lower() for t in (period.titles if period else ())]
        pos = sent.doc[hit.first].idx - sent.start_char
        self.people.append(PersonSeen(self._seq, pos, actor, tuple(titles), pronoun))


def _country_counts(mentions: list[TextMention]) -> dict[str, int]:
    counts: dict[str, int] = {}
    for m in mentions:
        if m.kind == "country" and m.form in ("name", "adjective", "capital") and not m.is_modifier:
            iso = m.key.split(":", 1)[1]
            counts[iso] = counts.get(iso, 0) + 1
    return counts


def _country_shares(mentions: list[TextMention]) -> dict[str, float]:
    counts = _country_counts(mentions)
    total = sum(counts.values()) or 1
    return {iso: n / total for iso, n in counts.items()}


_PERSON_SLOTS = frozenset({"nsubj", "nsubjpass", "dobj", "poss", "appos"})


def _names_someone_unknown(sent: Span, covered: set[int]) -> bool:
    """Does the sentence name a person the dictionary does not know? With NER, an uncovered
    PERSON entity; without it (the coder runs spaCy without NER, for speed), an uncovered
    proper noun heading a subject, object, possessor or apposition, where people appear
    (not a word of an office's name: "Secretary of State for East Asian Affairs")."""
    if sent.doc.has_annotation("ENT_IOB"):
        return any(ent.label_ == "PERSON" and not covered & set(range(ent.start, ent.end))
                   for ent in sent.ents)
    return any(
        t.pos_ == "PROPN" and t.i not in covered and t.is_title and t.dep_ in _PERSON_SLOTS
        for t in sent
    )


def focus_country(mentions: list[TextMention]) -> str | None:
    """The country a document is about: the most mentioned one, if clearly ahead."""
    counts = _country_counts(mentions)
    ranked = sorted(counts.items(), key=lambda kv: kv[1], reverse=True)
    if not ranked or ranked[0][1] < FOCUS_MIN_MENTIONS:
        return None
    if len(ranked) > 1 and ranked[0][1] < FOCUS_LEAD * ranked[1][1]:
        return None
    return ranked[0][0]


def _token_range(span: Span, start: int, end: int) -> tuple[int | None, int | None]:
    base = span.start_char
    first = last = None
    for tok in span:
        rel = tok.idx - base
        if rel < end and start < rel + len(tok.text):
            first = tok.i if first is None else first
            last = tok.i
    return first, last


def _to_tokens(span: Span, mention: TextMention) -> MentionHit | None:
    first, last = _token_range(span, mention.start, mention.end)
    return None if first is None or last is None else MentionHit(first, last, mention)


def _hit_at(hits: list[MentionHit], index: int) -> MentionHit | None:
    return next((h for h in hits if h.first <= index <= h.last), None)


def _role_at(
    roles: list[tuple[int, int, RoleMatch]], index: int
) -> tuple[int, int, RoleMatch] | None:
    return next((r for r in roles if r[0] <= index <= r[1]), None)


def _owner(
    span: Span, hits: list[MentionHit], role: tuple[int, int, RoleMatch]
) -> MentionHit | None:
    """Who a role word belongs to: the nearest country named before it (else organisation,
    else person), else "ROLE of (the) X"."""
    left = [h for h in hits if h.last < role[0]]
    for kind in ("country", "org", "person", "learned"):  # "French UN ambassador" -> France
        of_kind = [h for h in left if h.mention.kind == kind]
        if of_kind:
            return of_kind[-1]
    doc = span.doc
    after = role[1] + 1
    if after < span.end and doc[after].lower_ == "of":
        after += 2 if after + 1 < span.end and doc[after + 1].lower_ == "the" else 1
        return next((h for h in hits if h.first == after), None)
    return None


def _definite(span: Span) -> bool:
    """ "the army", "its forces": definite. Not "whose militia": that is the antecedent's (a
    fighter from Brighton's militia is not Britain's), which the focus country cannot say."""
    first = span[0]
    return first.lower_ in _DEFINITE or (first.dep_ == "poss" and first.lower_ != "whose")


def _name_after(span: Span, title_last: int) -> str | None:
    """The proper-name tokens that follow a title inside the phrase, if any."""
    words = []
    for tok in span.doc[title_last + 1 : span.end]:
        if tok.pos_ != "PROPN" or not tok.text[:1].isupper():
            break
        words.append(tok.text)
    return " ".join(words) if len(words) >= 2 else None
