"""Cleaning: raw text to the text the NLP stages read.

Cascade (in this order, every pattern from `data/ingest/cleaning.yaml`):
1. Unicode NFC; line endings to `\\n`; no-break, thin and other spaces to a plain space;
   zero-width characters and soft hyphens removed; tabs to spaces. Curly quotes and
   apostrophes are KEPT as they are (the quote extractor handles both “ ” and "), so offsets
   into the cleaned text match what a reader sees.
2. Markdown to text, per line: image links removed, links `[t](u)` to `t`, heading `#`
   markers, blockquote `>` markers, bold/italic `**`/`__` and wrapping `_..._` removed.
3. Page furniture: `truncate_from` (a comment section: that line and everything after),
   `drop_line` (share/subscribe lines, "Read the original article … here:", widget lines).
   Photo captions are content and stay.
4. White space inside lines collapsed; lines kept; runs of blank lines become one blank line
   (a paragraph break); leading/trailing blank lines removed.
5. Title: a metadata title wins, and a first line repeating it is removed; otherwise a first
   line that looks like a title (short, no final punctuation, no sentence end inside, so not a
   photo caption with its credit, and a body after it) becomes the
   title and is removed from the body, so no stage reads it twice.
6. Author: when metadata has none, a bio/byline among the last lines ("X is a freelance
   journalist …", "By X") names the author; the line stays in the text.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from dyadwatch.ingest.rules import CleaningRules, TitleRule

_SPACES = re.compile(r"[\u00a0\u1680\u2000-\u200a\u202f\u205f\u3000\t\f\v]")
_INVISIBLE = re.compile(r"[\u200b-\u200d\u2060\ufeff\u00ad]")
_MD_LINK = re.compile(r"(?<!!)\[([^\]]+)\]\((?:[^()]|\([^)]*\))*\)")
_MD_HEADING = re.compile(r"^#{1,6}\s+")
_MD_QUOTE = re.compile(r"^(?:>\s?)+")
_MD_STRONG = re.compile(r"(\*\*|__)(?=\S)(.+?)(?<=\S)\1")
_MD_WRAP = re.compile(r"^[_*](?=\S)(.*?)(?<=\S)[_*]$")
_RUNS = re.compile(r" {2,}")
_AUTHOR_TAIL_LINES = 5
# A sentence end inside a line ("... last March. AFP") means prose or a caption, not a title.
_INNER_SENTENCE_END = re.compile(r"[a-z]{2,}[.!?]\s+[A-Z]")


@dataclass(frozen=True, slots=True)
class CleanText:
    """The cleaned body, and the title/author read from it (None when it has none)."""

    text: str
    title: str | None
    author: str | None


def normalise_characters(text: str) -> str:
    """Step 1: NFC, `\\n` line endings, plain spaces, no invisible characters."""
    text = unicodedata.normalize("NFC", text)
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\u2028", "\n")
    return _INVISIBLE.sub("", _SPACES.sub(" ", text))


def markdown_to_text(line: str, rules: CleaningRules) -> str:
    """Step 2 for one line: images, links, headings, quotes and emphasis to plain text."""
    for pattern in rules.drop_inline:
        line = pattern.sub("", line)
    line = _MD_LINK.sub(r"\1", line)
    line = _MD_QUOTE.sub("", _MD_HEADING.sub("", line.strip()))
    line = _MD_STRONG.sub(r"\2", line)
    wrapped = _MD_WRAP.match(line)
    return wrapped.group(1) if wrapped else line


def _is_furniture(line: str, rules: CleaningRules) -> bool:
    return any(p.search(line) for p in rules.drop_line)


def remove_furniture(lines: list[str], rules: CleaningRules) -> list[str]:
    """Step 3: drop widget and share lines; cut at the start of a comment section."""
    kept: list[str] = []
    for line in lines:
        if line and any(p.search(line) for p in rules.truncate_from):
            break
        if line and _is_furniture(line, rules):
            continue
        kept.append(line)
    return kept


def _paragraphs(lines: list[str]) -> str:
    """Step 4: collapse spaces, keep lines, one blank line between paragraphs."""
    out: list[str] = []
    for line in lines:
        line = _RUNS.sub(" ", line).strip()
        if line or (out and out[-1]):
            out.append(line)
    while out and not out[-1]:
        out.pop()
    return "\n".join(out)


def _same(a: str, b: str) -> bool:
    def key(s: str) -> str:
        return re.sub(r"\W+", " ", s.casefold()).strip()

    return key(a) == key(b)


def looks_like_title(line: str, body: str, rule: TitleRule) -> bool:
    """A short first line with no final punctuation and a real body after it."""
    line = line.strip()
    if not line or len(line) > rule.max_chars or len(line.split()) > rule.max_words:
        return False
    if line[-1] in rule.final_punctuation or not (line[0].isupper() or line[0].isdigit()):
        return False
    if _INNER_SENTENCE_END.search(line):
        return False
    return len(body.strip()) >= rule.min_body_chars


def split_title(text: str, meta_title: str | None, rule: TitleRule) -> tuple[str | None, str]:
    """Step 5: (title, body without the title line)."""
    first, _, rest = text.partition("\n")
    if meta_title:
        return meta_title, (rest.lstrip("\n") if _same(first, meta_title) else text)
    if "\n" in text and looks_like_title(first, rest, rule):
        return first.strip(), rest.lstrip("\n")
    return None, text


def find_author(text: str, rules: CleaningRules) -> str | None:
    """Step 6: an author named by a bio or byline among the last lines."""
    tail = [line for line in text.splitlines() if line.strip()][-_AUTHOR_TAIL_LINES:]
    for line in reversed(tail):
        for pattern in rules.author_lines:
            match = pattern.search(line)
            if match:
                return match.group("author").strip()
    return None


def clean_text(
    text: str, rules: CleaningRules, title: str | None = None, author: str | None = None
) -> CleanText:
    """The whole cascade over one document's text (the module docstring lists the steps)."""
    lines = [markdown_to_text(line, rules) for line in normalise_characters(text).split("\n")]
    body = _paragraphs(remove_furniture(lines, rules))
    meta_title = _paragraphs([normalise_characters(title)]) if title else None
    found_title, body = split_title(body, meta_title or None, rules.title)
    return CleanText(text=body, title=found_title, author=author or find_author(body, rules))
