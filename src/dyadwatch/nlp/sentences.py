"""Cheap, rule-based sentence splitting that runs before any model.

Lines are split first (timeline lines such as "October 31, 2025: ..." carry no final period and
must not merge with their neighbours), then each line is split at sentence ends. A line that
opens with a date followed by a colon gives that date to all its sentences as `line_date`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

# A sentence ends at . ! or ? (optionally followed by closing quotes/brackets), followed by
# white space and an opening quote, bracket, digit or capital letter.
_SENT_END = re.compile(r"(?<=[.!?])[\"'”’)\]]*\s+(?=[\"'“‘(\[]?[A-Z0-9])")
# Abbreviations after which a period does not end a sentence.
_ABBREV = re.compile(
    r"(?:\b(?:Mr|Mrs|Ms|Dr|Prof|Gen|Lt|Col|Maj|Capt|Sgt|Adm|Gov|Sen|Rep|St|Jr|Sr|No|vs|etc|"
    r"Inc|Corp|Ltd|Co|Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec|approx|ca)|"
    r"\b[A-Z]|\b(?:[A-Z]\.){1,3}[A-Z]?)\.$"
)
_LINE_DATE = re.compile(
    r"\s*((?:(?:January|February|March|April|May|June|July|August|September|October|November|"
    r"December)\s+(?:\d{1,2}(?:\s*[–-]\s*\d{1,2})?,\s*)?)?\d{4})\s*:\s+"
)


@dataclass(frozen=True, slots=True)
class Sentence:
    """A sentence of a document: its index, character offsets into the text, and its text."""

    index: int
    start: int
    end: int
    text: str
    line_date: str | None = None


_STARTERS = frozenset(
    "The A An He She It They We I You This That These Those In On At For But And Yet So "
    "However Meanwhile Still Instead Earlier Later Last Since After Before When While".split()
)


def _starts_sentence(text: str, pos: int) -> bool:
    """After an abbreviation, only a typical sentence-opening word starts a new sentence."""
    match = re.match(r"[\"'“‘(\[]?([A-Za-z]+)", text[pos : pos + 30])
    return bool(match) and match.group(1) in _STARTERS


def _line_spans(text: str) -> list[tuple[int, int]]:
    spans, pos = [], 0
    for line in text.split("\n"):
        stripped = line.strip()
        if stripped:
            lead = len(line) - len(line.lstrip())
            spans.append((pos + lead, pos + lead + len(stripped)))
        pos += len(line) + 1
    return spans


def _split_line(text: str, start: int, end: int) -> list[tuple[int, int]]:
    pieces, cursor = [], start
    for match in _SENT_END.finditer(text, start, end):
        candidate = text[cursor : match.start()].rstrip()
        if _ABBREV.search(candidate) and not _starts_sentence(text, match.end()):
            continue
        pieces.append((cursor, match.start()))
        cursor = match.end()
    pieces.append((cursor, end))
    return [(a, b) for a, b in pieces if text[a:b].strip()]


def split_sentences(text: str) -> list[Sentence]:
    """All sentences of `text`, in order, with offsets into `text`."""
    sentences: list[Sentence] = []
    for line_start, line_end in _line_spans(text):
        date_match = _LINE_DATE.match(text, line_start, line_end)
        line_date = date_match.group(1) if date_match else None
        for a, b in _split_line(text, line_start, line_end):
            raw = text[a:b]
            a += len(raw) - len(raw.lstrip())
            b = a + len(raw.strip())
            sentences.append(Sentence(len(sentences), a, b, text[a:b], line_date))
    return sentences
