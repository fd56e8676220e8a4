"""Cheap, rule-based sentence splitting that runs before any model.

Lines are split first (timeline lines such as "October 31, 2025: ..." carry no final period and
must not merge with their neighbours), then each line is split at sentence ends. A line that
opens with a date followed by a colon gives that date to all its sentences as `line_date`.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass
from pathlib import Path

from dyadwatch.errors import DictionaryError
from dyadwatch.nlp.phrase_data import read_nlp_data

# A sentence ends at . ! or ? (optionally followed by closing quotes/brackets), followed by
# white space and an opening quote, bracket, digit or capital letter.
_SENT_END = re.compile(r"(?<=[.!?])[\"'”’)\]]*\s+(?=[\"'“‘(\[]?[A-Z0-9])")


@dataclass(frozen=True, slots=True)
class SplitterRules:
    """The compiled word lists of data/nlp/sentences.yaml."""

    abbreviation: re.Pattern[str]
    starters: frozenset[str]
    line_date: re.Pattern[str]


@functools.cache
def load_splitter_rules(path: Path | None = None) -> SplitterRules:
    """The rules of data/nlp/sentences.yaml (or `path`), read once per process and file."""
    data = read_nlp_data(
        "sentences", {"abbreviations": list, "sentence_starters": list, "months": list}, path
    )
    for key in ("abbreviations", "sentence_starters", "months"):
        if not all(isinstance(word, str) and word for word in data[key]):
            raise DictionaryError(
                f"{path or 'data/nlp/sentences.yaml'}: `{key}` must hold quoted words")
    abbreviations = "|".join(re.escape(a) for a in data["abbreviations"])
    months = "|".join(re.escape(m) for m in data["months"])
    return SplitterRules(
        abbreviation=re.compile(
            rf"(?:\b(?:{abbreviations})|\b[A-Z]|\b(?:[A-Z]\.){{1,3}}[A-Z]?)\.$"
        ),
        starters=frozenset(data["sentence_starters"]),
        line_date=re.compile(
            rf"\s*((?:(?:{months})\s+(?:\d{{1,2}}(?:\s*[–-]\s*\d{{1,2}})?,\s*)?)?\d{{4}})\s*:\s+"
        ),
    )


@dataclass(frozen=True, slots=True)
class Sentence:
    """A sentence of a document: its index, character offsets into the text, and its text."""

    index: int
    start: int
    end: int
    text: str
    line_date: str | None = None


def _starts_sentence(text: str, pos: int, rules: SplitterRules) -> bool:
    """After an abbreviation, only a typical sentence-opening word starts a new sentence."""
    match = re.match(r"[\"'“‘(\[]?([A-Za-z]+)", text[pos : pos + 30])
    return match is not None and match.group(1) in rules.starters


def _line_spans(text: str) -> list[tuple[int, int]]:
    spans, pos = [], 0
    for line in text.split("\n"):
        stripped = line.strip()
        if stripped:
            lead = len(line) - len(line.lstrip())
            spans.append((pos + lead, pos + lead + len(stripped)))
        pos += len(line) + 1
    return spans


def _split_line(text: str, start: int, end: int, rules: SplitterRules) -> list[tuple[int, int]]:
    pieces, cursor = [], start
    for match in _SENT_END.finditer(text, start, end):
        candidate = text[cursor : match.start()].rstrip()
        if rules.abbreviation.search(candidate) and not _starts_sentence(
            text, match.end(), rules
        ):
            continue
        pieces.append((cursor, match.start()))
        cursor = match.end()
    pieces.append((cursor, end))
    return [(a, b) for a, b in pieces if text[a:b].strip()]


def split_sentences(text: str, rules: SplitterRules | None = None) -> list[Sentence]:
    """All sentences of `text`, in order, with offsets into `text` (by `rules`, default the
    packaged data/nlp/sentences.yaml)."""
    rules = rules or load_splitter_rules()
    sentences: list[Sentence] = []
    for line_start, line_end in _line_spans(text):
        date_match = rules.line_date.match(text, line_start, line_end)
        line_date = date_match.group(1) if date_match else None
        for a, b in _split_line(text, line_start, line_end, rules):
            raw = text[a:b]
            a += len(raw) - len(raw.lstrip())
            b = a + len(raw.strip())
            sentences.append(Sentence(len(sentences), a, b, text[a:b], line_date))
    return sentences
