"""Where an event happened, when its sentence says so.

The place is read from the parse, never from the sentence as a whole: a prepositional phrase
of place on the event's trigger ("docked at Ream Naval Base", "met in Kuala Lumpur", "clashed
near the border"), on the verb that governs a nominal trigger ("held talks in Hanoi"), on the
verb an infinitive trigger hangs from, or on the trigger's direct object ("attacked positions
in Idlib"); a "to" phrase only for going somewhere ("flew to Hanoi"). Failing that, a place in
parentheses in the heading of a timeline line ("Summit (Malaysia): ...") is the place of the
line's events. Subjects and objects are never places: "Phnom Penh said" keeps Phnom Penh an
actor. The words are data (data/locations/rules.yaml); places come from `coding.gazetteer`.
"""

from __future__ import annotations

import calendar
import functools
import logging
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, replace
from pathlib import Path

from spacy.tokens import Doc, Span, Token

from dyadwatch.coding.gazetteer import Gazetteer, Place, choose, default_gazetteer
from dyadwatch.datafiles import read_data_file
from dyadwatch.errors import DictionaryError
from dyadwatch.records import Actor, Location

log = logging.getLogger(__name__)
_CALENDAR = frozenset(w.lower() for w in (*calendar.month_name, *calendar.day_name) if w)
_LISTS = ("place_prepositions", "weak_prepositions", "destination_prepositions",
          "partner_prepositions", "co_present_lemmas", "occasion_prepositions",
          "movement_lemmas", "strip_words", "place_labels", "not_place_labels",
          "occasion_roots", "occasion_precisions")


@dataclass(frozen=True, slots=True)
class LocationRules:
    place_prepositions: frozenset[str]
    weak_prepositions: frozenset[str]
    destination_prepositions: frozenset[str]
    partner_prepositions: frozenset[str]
    co_present_lemmas: frozenset[str]
    occasion_prepositions: frozenset[str]
    movement_lemmas: frozenset[str]
    strip_words: frozenset[str]
    place_labels: frozenset[str]
    not_place_labels: frozenset[str]
    occasion_roots: frozenset[str]  # analysis.occasions: the meetings that place an occasion
    occasion_precisions: frozenset[str]
    place_nouns: dict[str, str]


def load_location_rules(path: Path | None = None) -> LocationRules:
    """data/locations/rules.yaml (or the file at `path`), checked."""
    label, data = read_data_file("locations/rules.yaml", path, ("name", "version", "source"))
    words: dict[str, frozenset[str]] = {}
    for key in _LISTS:
        value = data.get(key)
        if not isinstance(value, list) or not all(isinstance(w, str) for w in value):
            raise DictionaryError(f"{label}: '{key}' must be a list of words")
        words[key] = frozenset(w.lower() for w in value)
    nouns = data.get("place_nouns")
    if not isinstance(nouns, dict) or not all(isinstance(v, str) for v in nouns.values()):
        raise DictionaryError(f"{label}: 'place_nouns' must map nouns to precisions")
    return LocationRules(**words, place_nouns={str(k).lower(): v for k, v in nouns.items()})


class Locator:
    """Finds and resolves the place of an event's action in a parsed sentence."""

    def __init__(self, rules: LocationRules | None = None,
                 gazetteer: Gazetteer | None = None) -> None:
        self.rules = rules or default_rules()
        self._gazetteer = gazetteer

    @property
    def gazetteer(self) -> Gazetteer:
        if self._gazetteer is None:  # built on first use: coding without events never pays
            self._gazetteer = default_gazetteer()
        return self._gazetteer

    def prepare(self) -> None:
        """Build the gazetteer now rather than on the first event: a forking worker pool's
        parent does (`run.code_stage.prepare_coder`), so that its workers share one copy
        instead of building one each."""
        self._gazetteer = self.gazetteer

    def locate(self, parsed: Doc | Span, trigger: int, source: Actor, target: Actor,
               material: bool = True, main_country: str | None = None) -> Location | None:
        """The event's place (None when the text does not say), `trigger` a Doc index.
        `material`: an act on things or people (CAMEO quad classes 2 and 4), whose object's
        place is the act's ("shelled positions in Idlib"); a verbal act's is not ("ordered
        the troops in Syria to come home" was not done in Syria). A parse the rules cannot
        read gives None and a warning, never an error that would stop the document."""
        try:
            return self._locate(parsed, trigger, source, target, material, main_country)
        except (IndexError, KeyError, ValueError, AttributeError) as exc:
            log.warning("no location for token %d of %r: %s", trigger, parsed.text[:60], exc)
            return None

    def _locate(self, parsed: Doc | Span, trigger: int, source: Actor, target: Actor,
                material: bool, main_country: str | None) -> Location | None:
        doc = parsed if isinstance(parsed, Doc) else parsed.doc
        span = parsed[:] if isinstance(parsed, Doc) else parsed
        token = doc[trigger]
        prefer = [c for c in (source.country, target.country, main_country) if c]
        actors = {self._bare(a.text) for a in (source, target) if a.text}
        own = {source.country, target.country} - {None}
        for prep in self._place_preps(token, material):
            place = self._resolve_object(prep, prefer, actors)
            if place is None:
                continue
            loc = place.location
            if not material and loc.precision == "country" and loc.country not in own:
                continue  # "In Syria, Turkey has backed Russia": the matter, not the place
            return loc
        return self._heading_place(span, token, prefer, actors)

    def _bare(self, text: str) -> str:
        """Words without a leading determiner, lower case ("the UK" -> "uk")."""
        words = text.strip().lower().split()
        while words and words[0] in self.rules.strip_words:
            words = words[1:]
        return " ".join(words)

    def _heads(self, token: Token, material: bool) -> list[Token]:
        """The trigger, the verb governing it (nominal or infinitive), then the verbs' objects
        and partners."""
        heads = [token]
        # "a summit to be held in Ankara", "talks hosted in Doha"
        heads += [c for c in token.children if c.dep_ in ("acl", "relcl")
                  and c.lemma_.lower() in self.rules.co_present_lemmas]
        if token.pos_ in ("NOUN", "PROPN") and token.dep_ in (
                "dobj", "pobj", "nsubj", "nsubjpass", "attr"):  # "the summit was held in X"
            governor = token.head.head if token.dep_ == "pobj" else token.head
            heads.append(governor)
        elif token.dep_ in ("xcomp", "advcl") and token.head.pos_ in ("VERB", "AUX"):
            heads.append(token.head)
        verbs = [h for h in heads if h.pos_ in ("VERB", "AUX")]
        objects = [c for v in verbs for c in v.children if c.dep_ == "dobj"
                   and (material or v.lemma_.lower() in self.rules.co_present_lemmas)]
        # "arrested two smugglers and a driver in Mosul": the place hangs on the last one
        heads += objects + [c for o in objects for c in o.children if c.dep_ == "conj"]
        # "met with X in Y": the parser hangs the place on the partner
        heads += [obj for v in verbs for c in v.children
                  if c.dep_ == "prep" and c.lower_ in self.rules.partner_prepositions
                  for obj in c.children if obj.dep_ == "pobj"]
        return heads

    def _place_preps(self, token: Token, material: bool) -> Iterator[Token]:
        """The prepositions of place on the trigger's heads, nearest first."""
        rules = self.rules
        for head in self._heads(token, material):
            moving = head.lemma_.lower() in rules.movement_lemmas
            for child in head.children:
                word = child.lower_
                if child.dep_ != "prep":
                    continue
                if word in rules.place_prepositions or word in rules.occasion_prepositions or (
                        moving and word in rules.destination_prepositions):
                    yield child

    def _resolve_object(self, prep: Token, prefer: Sequence[str],
                        actors: set[str]) -> Place | None:
        """The place a preposition's object names, unless it is the words of an actor."""
        obj = next((c for c in prep.children if c.dep_ == "pobj"), None)
        if obj is None or any(c.dep_ == "conj" for c in obj.children):
            return None  # "in Baghdad and Erbil", "to Iraq, Syria and Lebanon": which one?
        occasion = prep.lower_ in self.rules.occasion_prepositions  # "during a trip to X"
        place = None if occasion else self.resolve_phrase(obj, prefer)
        place = place or self._venue_place(obj, prefer)
        if place is None:
            return None
        phrase = self._bare(" ".join(t.text for t in self._name_tokens(obj)))
        metonym = place.location.precision in ("city", "country")  # a capital for its state
        if metonym and (phrase in actors or self._bare(place.location.name) in actors):
            return None
        weak = prep.lower_ in self.rules.weak_prepositions
        if place is not None and weak and not (place.ours or self._place_noun(obj)):
            return None  # "talks on Syria" is about Syria, "on the border" is a place
        return place

    def _venue_place(self, obj: Token, prefer: Sequence[str]) -> Place | None:
        """ "at a policy institute in Geneva", "at the front line near Mosul": a venue
        the gazetteer does not know, placed by its own phrase of place."""
        moving = obj.lemma_.lower() in self.rules.movement_lemmas  # "a trip to Hanoi"
        for child in obj.children:
            if child.dep_ == "prep" and (child.lower_ in ("in", "at", "near", "outside") or (
                    moving and child.lower_ in self.rules.destination_prepositions)):
                inner = next((c for c in child.children if c.dep_ == "pobj"), None)
                if inner is not None and not any(c.dep_ == "conj" for c in inner.children):
                    return self.resolve_phrase(inner, prefer)
        return None

    def site_country(self, phrase: Span) -> str | None:
        """The country of the site (a base, port or camp of our places file, precision
        "site") a noun phrase names without its determiners and possessives ("the Ream naval
        base", "the Temple of Preah Vihear"); None when it names none, or sites in several
        countries."""
        words = [t for t in phrase if t.dep_ != "det" and t.dep_ != "poss"]
        text = phrase.doc[words[0].i : words[-1].i + 1].text if words else ""
        sites = {p.location.country for p in self.gazetteer.lookup(text)
                 if p.ours and p.location.precision == "site" and p.location.country}
        return sites.pop() if len(sites) == 1 else None

    def _place_noun(self, token: Token) -> str | None:
        return self.rules.place_nouns.get(token.lemma_.lower())

    def resolve_phrase(self, head: Token, prefer: Sequence[str]) -> Place | None:
        """The place a noun phrase names: the phrase itself ("Ream Naval Base", "the
        Thai-Cambodian border"), "the city of X", "X province", or a bare "the border" between
        the actors' countries."""
        words = self._name_tokens(head)
        text = " ".join(t.text for t in words)
        found = self._lookup(text, words, prefer)
        if found is not None:
            return found
        kind = self._place_noun(head)
        if kind is None:
            return None
        apposed = next((c for c in head.children if c.dep_ == "appos" and c.pos_ == "PROPN"), None)
        if apposed is not None and (place := self.resolve_phrase(apposed, prefer)) is not None:
            return place  # "Syria's capital, Damascus": the name beside it
        named = self._named_part(head, words)
        if named is not None:
            place = self.resolve_phrase(named, prefer) if named.i != head.i else None
            if place is None:
                place = self._lookup(" ".join(t.text for t in words if t.i != head.i),
                                     [t for t in words if t.i != head.i], prefer)
            if place is not None and place.location.precision == "country":
                return place  # "Syria's capital": no point of the city, the country is right
            if place is not None and not place.ours and kind != place.location.precision:
                loc = place.location  # "Homs province", "Manchester airport"; "the town of X"
                name = f"{loc.name} {head.lower_}" if named.i == head.i else loc.name
                return replace(place, location=replace(loc, name=name, precision=kind))
            if place is not None:
                return place
        if head.lemma_.lower() in ("border", "frontier"):
            return self._border(head, prefer)
        return None

    def _named_part(self, head: Token, words: list[Token]) -> Token | None:
        """X in "the city of X" (the pobj of "of"), or the compound X of "X province"."""
        for child in head.children:
            if child.dep_ == "prep" and child.lower_ == "of":
                obj = next((c for c in child.children if c.dep_ == "pobj"), None)
                if obj is not None and obj.pos_ == "PROPN":
                    return obj
        if any(t.i != head.i and t.pos_ == "PROPN" for t in words):
            return head
        return None

    def _border(self, head: Token, prefer: Sequence[str]) -> Place | None:
        """ "the border" between the event's countries, or "the border with X"."""
        for child in head.children:
            if child.dep_ == "prep" and child.lower_ == "with":
                obj = next((c for c in child.children if c.dep_ == "pobj"), None)
                other = self.resolve_phrase(obj, prefer) if obj is not None else None
                if other is not None and other.location.country:
                    return self.gazetteer.border_with(other.location.country, prefer)
        return self.gazetteer.border(prefer)

    def _name_tokens(self, head: Token) -> list[Token]:
        """The phrase's name: its head with the words before it (compounds, adjectives,
        flat names), without determiners and possessives."""
        left = [t for t in head.subtree if t.i < head.i and t.i >= head.left_edge.i]
        while left and (left[0].lower_ in self.rules.strip_words or left[0].dep_ == "det"):
            left = left[1:]
        joined = [t for t in left if t.dep_ not in ("punct", "cc", "prep", "case")
                  or t.text in ("-", "–")]
        return [*joined, head]

    def _lookup(self, text: str, words: Sequence[Token], prefer: Sequence[str]) -> Place | None:
        if not text or not words:
            return None
        places = self.gazetteer.lookup(text)
        ours = [p for p in places if p.ours]
        if ours:
            return choose(ours, prefer)
        if not self._named(words):
            return None
        return choose(places, prefer)

    def _named(self, words: Sequence[Token]) -> bool:
        """A proper name that may be a place: capitalised, not tagged as a date, person, ..."""
        head = words[-1]
        if not head.text[:1].isupper() or head.pos_ not in ("PROPN", "NOUN"):
            return False
        if head.lower_ in _CALENDAR or head.like_num:  # "in March"
            return False
        labels = {t.ent_type_ for t in words if t.ent_type_}
        return not (labels & self.rules.not_place_labels)

    def _heading_place(self, span: Span, token: Token, prefer: Sequence[str],
                       actors: set[str]) -> Location | None:
        """ "Summit (Malaysia): the ministers agreed ...": a parenthesised place in a heading
        that ends with a colon before the trigger."""
        colons = [t.i for t in span if t.is_punct and ":" in t.text and t.i < token.i]
        if not colons or not self._main_clause(token):
            return None
        inside = [t for t in span if t.i <= colons[-1]]
        opens = [t.i for t in inside if t.text == "("]
        for start in reversed(opens):
            end = next((c.i for c in inside if c.i > start and c.text.startswith(")")),
                       colons[-1])
            words = [t for t in inside if start < t.i < end]
            text = " ".join(t.text for t in words)
            if words and text.lower() not in actors:
                place = self._lookup(text, words, prefer)
                if place is not None:
                    return place.location
        return None


    @staticmethod
    def _main_clause(token: Token) -> bool:
        """Is the trigger the line's main verb, or a verb it governs by "to" or "and"
        ("agreed to resume")? A modifier ("the exercises, suspended since 2017") is not."""
        node = token
        for _ in range(6):
            if node.dep_ == "ROOT":
                return True
            if node.dep_ not in ("xcomp", "conj"):
                return False
            node = node.head
        return False


@functools.cache
def default_rules() -> LocationRules:
    return load_location_rules()


@functools.cache
def default_locator() -> Locator:
    return Locator()
