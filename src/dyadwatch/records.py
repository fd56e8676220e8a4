"""Frozen records that cross stage boundaries; `Event.to_record()` is the event record (README,
"Using it").

Every stage reads and returns these; nothing else travels between stages. Dates are ISO strings
(`YYYY`, `YYYY-MM` or `YYYY-MM-DD`), codes are strings, ids are stable content hashes.
"""

from __future__ import annotations

import hashlib
from dataclasses import asdict, dataclass
from datetime import UTC, datetime
from typing import Any

DATE_PRECISIONS: tuple[str, ...] = ("day", "month", "year", "range", "document", "unknown")
MODALITIES: tuple[str, ...] = ("occurred", "intended", "expected", "planned", "reported")


def stable_id(*parts: object, length: int = 16) -> str:
    """A short hex id from the parts: the same parts always give the same id."""
    joined = "\x1f".join("" if p is None else str(p) for p in parts)
    return hashlib.sha256(joined.encode("utf-8")).hexdigest()[:length]


@dataclass(frozen=True, slots=True)
class RawDocument:
    """What a reader found in one input, before cleaning.

    `doc_source` is the path or URL, or `PATH#ID` / `PATH:LINE` for a record of a dump or feed.
    Metadata values are as the input gave them; cleaning normalises them.
    """

    doc_source: str
    text: str
    title: str | None = None
    published: str | None = None
    author: str | None = None
    url: str | None = None
    category: str | None = None
    language: str | None = None
    fmt: str = "txt"
    origin: str = ""  # the input (file, or <stdin>) it was read from
    outlet: str | None = None  # who published it: a dump's `source`, a feed's title, a site name


@dataclass(frozen=True, slots=True)
class Document:
    """A cleaned document. `doc_id` is the hash of `text`.

    `published` comes from metadata only; when metadata has none, `inferred_date` holds the
    date read from the text (with its precision and the evidence), and `anchor_date` is the
    date relative expressions are resolved against: `published` if known, else `inferred_date`.
    """

    doc_id: str
    doc_source: str
    text: str
    title: str | None
    published: str | None
    published_precision: str
    language: str | None
    author: str | None = None
    url: str | None = None
    category: str | None = None
    inferred_date: str | None = None
    inferred_precision: str = "unknown"
    inferred_from: str | None = None
    fmt: str = "txt"
    outlet: str | None = None  # the publisher (newspaper, agency, site), when the input says

    @property
    def is_english(self) -> bool:
        return self.language == "en"

    @property
    def codable(self) -> bool:
        """English, or too short to tell: the coder reads it. Other languages are skipped."""
        return self.language in ("en", None)

    @property
    def anchor_date(self) -> str | None:
        return self.published or self.inferred_date

    @staticmethod
    def id_for(text: str) -> str:
        return stable_id(text, length=24)


@dataclass(frozen=True, slots=True)
class InputError:
    """An input that gave no document: which input, and why."""

    source: str
    reason: str
    time: str
    origin: str = ""  # the input (file, folder entry, or <stdin>) it was read from


def input_error(source: str, why: str, origin: str = "") -> InputError:
    """An error record for `source`; the reason starts with the source so it names the file."""
    reason = why if why.startswith(source) else f"{source}: {why}"
    return InputError(source=source, reason=reason, time=datetime.now(UTC).isoformat(),
                      origin=origin)


@dataclass(frozen=True, slots=True)
class Actor:
    """One side of an event, CAMEO style: `code` = country (or IGO) + role; None when the text
    names an actor that cannot be coded ("a local militia"), which keeps its words in `text`.
    An event without a target has the empty actor (no code, no words)."""

    code: str | None
    country: str | None
    role: str | None
    text: str
    name: str | None = None

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    @property
    def key(self) -> str:
        """What tells this actor apart in ids and groupings: its code, else its words."""
        return self.code if self.code is not None else f"~{self.text.lower()}"

    @property
    def country_key(self) -> str:
        """The country (or IGO) part of the code, "" when unknown."""
        return (self.country or (self.code or "")[:3]).upper()


@dataclass(frozen=True, slots=True)
class Location:
    """Where an event happened, as the text says (`coding.locations`), resolved against the
    gazetteer: `country` is ISO 3166-1 alpha-3 (as in actor codes), `adm1` a GeoNames-style
    first-level code ("MY.14") when known, `feature_id` "geonames:ID" or "dyadwatch:ID", and
    `precision` one of site, city, region, country (ACLED-style)."""

    name: str
    country: str | None
    adm1: str | None
    lat: float | None
    lon: float | None
    feature_id: str
    precision: str

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass(frozen=True, slots=True)
class Event:
    """One event mention: who did what to whom, when, read from one sentence."""

    event_id: str
    doc_id: str
    doc_source: str
    sentence_index: int
    sentence: str
    date: str | None
    date_end: str | None
    date_precision: str
    source: Actor
    target: Actor
    cameo: str
    root: str
    quad_class: int
    goldstein: float
    plover: str
    modality: str
    negated: bool
    confidence: float
    coder_version: str
    dictionary_version: str
    cluster_id: str | None = None
    pattern: str | None = None
    location: Location | None = None
    contexts: tuple[str, ...] = ()  # PLOVER contexts (dyadwatch.contexts), data file order

    @staticmethod
    def id_for(doc_id: str, sentence_index: int, source: str, target: str, cameo: str) -> str:
        return stable_id(doc_id, sentence_index, source, target, cameo)

    def to_record(self) -> dict[str, Any]:
        """The event record: the keys the README lists, in its order (the JSON of `dyadwatch
        events`, the API and the JSONL export)."""
        return {
            "event_id": self.event_id,
            "doc_id": self.doc_id,
            "doc_source": self.doc_source,
            "sentence": self.sentence,
            "date": self.date,
            "date_end": self.date_end,
            "date_precision": self.date_precision,
            "source": self.source.to_dict(),
            "target": self.target.to_dict(),
            "cameo": self.cameo,
            "root": self.root,
            "quad_class": self.quad_class,
            "goldstein": self.goldstein,
            "plover": self.plover,
            "modality": self.modality,
            "negated": self.negated,
            "cluster_id": self.cluster_id,
            "confidence": self.confidence,
            "location": self.location.to_dict() if self.location else None,
            "contexts": list(self.contexts),
        }


@dataclass(frozen=True, slots=True)
class Quote:
    """A direct quote and who said it (an anonymous speaker by its description)."""

    quote_id: str
    doc_id: str
    doc_source: str
    sentence_index: int
    text: str
    speaker: str | None
    speaker_code: str | None = None
    start: int = 0
    end: int = 0


@dataclass(frozen=True, slots=True)
class Figure:
    """A stated quantity (money, percentage, count) and the phrase it measures."""

    figure_id: str
    doc_id: str
    doc_source: str
    sentence_index: int
    value: float
    unit: str
    text: str
    about: str
    sentence: str = ""


@dataclass(frozen=True, slots=True)
class LearnedActor:
    """A person coded from context ("Cambodian Deputy Prime Minister Tea Seiha")."""

    name: str
    code: str
    country: str | None
    role: str | None
    doc_id: str
    evidence: str


@dataclass(frozen=True, slots=True)
class Extraction:
    """Everything the NLP and coding stages read from one document."""

    doc_id: str
    events: tuple[Event, ...] = ()
    quotes: tuple[Quote, ...] = ()
    figures: tuple[Figure, ...] = ()
    learned_actors: tuple[LearnedActor, ...] = ()
    notes: tuple[str, ...] = ()  # what the coder left out (e.g. sentences over the limit)
