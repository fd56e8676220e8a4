"""Marking a document's extractions in its text for the document page.

Reads the document text and its events, quotes and figures; returns the text cut into
Segments, each carrying which kinds of mark cover it (event sentence, actor mention, quote,
figure). Sentences are located by the same splitter the NLP stage indexes them with; when a
stored sentence does not sit at its index (text changed, other splitter) it is searched for.
The template escapes every segment's text: nothing here produces markup.
"""

from __future__ import annotations

import itertools
from collections.abc import Sequence
from dataclasses import dataclass

from dyadwatch.nlp.sentences import Sentence, split_sentences
from dyadwatch.records import Event

MARK_KINDS = ("event", "actor", "quote", "figure")


@dataclass(frozen=True, slots=True)
class Mark:
    """A span of the text `[start, end)` to highlight, what it is and a short explanation."""

    start: int
    end: int
    kind: str
    label: str
    anchor: str | None = None


@dataclass(frozen=True, slots=True)
class Segment:
    """A run of text under one unchanging set of marks."""

    text: str
    kinds: tuple[str, ...]
    label: str
    anchor: str | None = None

    @property
    def css(self) -> str:
        return " ".join(f"m-{k}" for k in self.kinds)


@dataclass(frozen=True, slots=True)
class DocumentMarks:
    segments: tuple[Segment, ...]
    located: int
    unlocated: int


def _find(text: str, needle: str, start: int = 0, end: int | None = None) -> int:
    """Where `needle` first occurs in text[start:end], exact or ignoring case; -1 if nowhere."""
    if not needle:
        return -1
    end = len(text) if end is None else end
    at = text.find(needle, start, end)
    return at if at >= 0 else text.lower().find(needle.lower(), start, end)


def sentence_span(
    text: str, sentences: Sequence[Sentence], index: int, sentence: str
) -> tuple[int, int] | None:
    """The offsets of a stored sentence: at its index when it matches there, else found."""
    if 0 <= index < len(sentences):
        found = sentences[index]
        if not sentence or sentence.strip() in found.text or found.text in sentence:
            return found.start, found.end
    at = _find(text, sentence.strip())
    return (at, at + len(sentence.strip())) if at >= 0 else None


def _inside(
    text: str, span: tuple[int, int] | None, needle: str, kind: str, label: str
) -> Mark | None:
    start, end = span if span else (0, len(text))
    at = _find(text, needle, start, end)
    return Mark(at, at + len(needle), kind, label) if at >= 0 else None


def event_marks(text: str, sentences: Sequence[Sentence], event: Event) -> list[Mark]:
    """The event's sentence and its two actor mentions (empty when the sentence is not found)."""
    span = sentence_span(text, sentences, event.sentence_index, event.sentence)
    if span is None:
        return []
    what = f"{event.source.code} → {event.target.code}: CAMEO {event.cameo} {event.plover}"
    marks = [Mark(span[0], span[1], "event", what, f"s{event.sentence_index}")]
    for actor in (event.source, event.target):
        mark = _inside(text, span, actor.text, "actor", f"{actor.code} {actor.name or ''}".strip())
        if mark:
            marks.append(mark)
    return marks


def quote_mark(
    text: str, sentences: Sequence[Sentence], quote: dict[str, object]
) -> Mark | None:
    """A quote by its stored character offsets when they hold it, else found in its sentence."""
    body = str(quote.get("text") or "").strip()
    start, end = quote.get("start_char"), quote.get("end_char")
    label = f"quote: {quote.get('speaker') or 'unknown speaker'}"
    if isinstance(start, int) and isinstance(end, int) and 0 <= start < end <= len(text):
        stored = text[start:end]
        if body and (body in stored or stored.strip("\"'“”‘’ ") in body):
            return Mark(start, end, "quote", label)
    index = quote.get("sentence_index")
    span = None
    if isinstance(index, int) and 0 <= index < len(sentences):
        span = (sentences[index].start, sentences[index].end)
    return _inside(text, span, body, "quote", label) or _inside(text, None, body, "quote", label)


def figure_mark(
    text: str, sentences: Sequence[Sentence], figure: dict[str, object]
) -> Mark | None:
    """A figure's words inside its sentence (or anywhere in the text)."""
    words = str(figure.get("text") or "").strip()
    label = f"figure: {figure.get('value')} {figure.get('unit')} ({figure.get('about') or ''})"
    index = figure.get("sentence_index")
    sentence = str(figure.get("sentence") or "")
    span = sentence_span(text, sentences, index, sentence) if isinstance(index, int) else None
    found = _inside(text, span, words, "figure", label)
    return found or _inside(text, None, words, "figure", label)


def cut_segments(text: str, marks: Sequence[Mark]) -> tuple[Segment, ...]:
    """The text cut at every mark boundary; each piece lists the kinds of marks over it."""
    cuts = sorted({0, len(text), *(m.start for m in marks), *(m.end for m in marks)})
    segments: list[Segment] = []
    for a, b in itertools.pairwise(cuts):
        over = [m for m in marks if m.start <= a and b <= m.end]
        kinds = tuple(k for k in MARK_KINDS if any(m.kind == k for m in over))
        label = "; ".join(dict.fromkeys(m.label for m in over))
        anchor = next((m.anchor for m in over if m.anchor and m.start == a), None)
        segments.append(Segment(text[a:b], kinds, label, anchor))
    return tuple(segments)


def mark_document(
    text: str,
    events: Sequence[Event],
    quotes: Sequence[dict[str, object]] = (),
    figures: Sequence[dict[str, object]] = (),
) -> DocumentMarks:
    """The document text cut into highlighted segments, and how many extractions were placed."""
    sentences = split_sentences(text)
    marks: list[Mark] = []
    unlocated = 0
    for event in events:
        found = event_marks(text, sentences, event)
        marks.extend(found)
        unlocated += not found
    for item, locate in [(q, quote_mark) for q in quotes] + [(f, figure_mark) for f in figures]:
        mark = locate(text, sentences, item)
        if mark:
            marks.append(mark)
        unlocated += mark is None
    located = len(events) + len(quotes) + len(figures) - unlocated
    return DocumentMarks(cut_segments(text, marks), located, unlocated)
