"""Direct quotes and who said them, from plain text (no parse needed).

Reads a document's text and its sentences (`split_sentences`); returns one `QuoteFound` per
quoted passage (a quote split by its attribution gives two, with the same speaker). The
cascade, per quote:

1. quote marks are paired per line (“…”, "…" or mixed; an unclosed quote ends with its line);
   quotes of at most `max_scare_words` words are scare quotes and skipped;
2. the speaker comes from the attribution after the quote ("“…,” said X", "“…,” X, a ...,
   wrote"), then before it ("X said “…”", "X noted that “…”"), then "according to X";
3. the speaker phrase is cut to the name or description as written (apposition after a
   comma dropped, honorifics dropped); a pronoun resolves to the most recent person named or
   described before it (quote speakers, subjects of speech verbs, "Mr. X"); a single-word
   name resolves to the fuller name written earlier ("Mengdavid" -> "Thong Mengdavid");
4. a quote with no attribution continues the previous quote of its paragraph, else takes the
   last person of its paragraph; short unattributed quotes without a sentence are terms.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from dyadwatch.errors import DictionaryError
from dyadwatch.nlp.phrase_data import read_nlp_data
from dyadwatch.nlp.sentences import Sentence

__all__ = [
    "QuoteFound", "QuoteLexicon", "acceptable_speaker", "extract_quotes", "load_quote_lexicon",
]


@dataclass(frozen=True, slots=True)
class QuoteFound:
    """A direct quote: its text, speaker as written (None if unknown), sentence, offsets."""

    text: str
    speaker: str | None
    sentence_index: int
    start: int
    end: int


@dataclass(frozen=True, slots=True)
class QuoteLexicon:
    """Attribution vocabulary (see data/nlp/quotes.yaml) and the patterns built from it."""

    verbs: str  # a regex alternation of the speech verbs
    participles: str  # the same for "saying", "adding"
    speaker_ends: str  # a regex alternation of the words that end a speaker after its verb
    pronouns: frozenset[str]
    honorifics: frozenset[str]
    connectives: frozenset[str]
    adverbs: frozenset[str]
    title_words: frozenset[str]
    determiners: frozenset[str]
    prepositions: frozenset[str]
    subordinators: frozenset[str]
    auxiliaries: frozenset[str]
    time_words: frozenset[str]
    max_scare_words: int
    min_unattributed_words: int


_LISTS = ("speech_verbs", "pronouns", "honorifics", "connectives", "adverbs", "title_words",
          "determiners", "prepositions", "subordinators", "auxiliaries", "time_words",
          "participle_verbs", "speaker_ends")


@cache
def load_quote_lexicon(path: Path | None = None) -> QuoteLexicon:
    """Read and validate data/nlp/quotes.yaml (or `path`)."""
    data = read_nlp_data("quotes", {key: list for key in _LISTS}, path)
    limits = (data.get("max_scare_words"), data.get("min_unattributed_words"))
    if not all(isinstance(v, int) and v > 0 for v in limits):
        raise DictionaryError(f"{path or 'quotes.yaml'}: max_scare_words and "
                              "min_unattributed_words must be positive integers")
    verbs = sorted({str(v) for v in data["speech_verbs"]}, key=len, reverse=True)

    def words(key: str) -> frozenset[str]:
        return frozenset(str(w).lower() for w in data[key])

    return QuoteLexicon(
        verbs="|".join(re.escape(v).replace(r"\ ", r"\s+") for v in verbs),
        participles="|".join(re.escape(str(v)) for v in data["participle_verbs"]),
        speaker_ends="|".join(re.escape(str(v)) for v in data["speaker_ends"]),
        pronouns=words("pronouns"), honorifics=words("honorifics"),
        connectives=words("connectives"), adverbs=words("adverbs"),
        title_words=words("title_words"), determiners=words("determiners"),
        prepositions=words("prepositions"), subordinators=words("subordinators"),
        auxiliaries=words("auxiliaries"), time_words=words("time_words"),
        max_scare_words=int(data["max_scare_words"]),
        min_unattributed_words=int(data["min_unattributed_words"]),
    )


@dataclass(frozen=True, slots=True)
class _Span:
    """The inside of one pair of quote marks; `after` is where the text after it starts."""

    start: int
    end: int
    after: int
    line_start: int
    line_end: int


def _line_quotes(text: str, start: int, end: int) -> list[_Span]:
    spans: list[_Span] = []
    opened: int | None = None
    for i in range(start, end):
        ch = text[i]
        if ch not in "“”\"":
            continue
        straight_opens = ch == '"' and opened is None and i + 1 < end and not text[i + 1].isspace()
        if ch == "“" or straight_opens:
            if opened is not None:  # a new quote opens before the last one closed
                spans.append(_Span(opened + 1, i, i, start, end))
            opened = i
        elif opened is not None:
            spans.append(_Span(opened + 1, i, i + 1, start, end))
            opened = None
    if opened is not None:
        spans.append(_Span(opened + 1, end, end, start, end))
    return spans


def _quote_spans(text: str) -> list[_Span]:
    spans, pos = [], 0
    for line in text.split("\n"):
        spans.extend(_line_quotes(text, pos, pos + len(line)))
        pos += len(line) + 1
    return spans


_NP_CHARS = r"(?:[^“”\"!?;.\n]|(?<=\b[A-Z])\.|(?<=\bMr)\.|(?<=\bMs)\.|(?<=\bDr)\.|(?<=\bMrs)\.)"


def _words(phrase: str) -> list[str]:
    return phrase.split()


def _strip_edges(phrase: str, lex: QuoteLexicon) -> str:
    """Drop connectives and honorifics at the start, adverbs at the end, stray punctuation."""
    words = _words(phrase.strip(" ,:;“”\"'‘’"))
    while words and words[0].lower().rstrip(".,") in lex.connectives | lex.honorifics:
        words = words[1:]
    while words and (words[-1].lower().rstrip(".,") in lex.adverbs | lex.auxiliaries
                     or re.fullmatch(r"[a-z]+ly", words[-1])):
        words = words[:-1]
    return " ".join(words).strip(" ,")


def _plausible_subject(phrase: str, lex: QuoteLexicon) -> bool:
    words = [w.lower() for w in _words(phrase)]
    return (0 < len(words) <= 10 and words[0] not in lex.subordinators
            and not (lex.auxiliaries | {"been"}) & set(words))


def _name_like(phrase: str) -> bool:
    return all(w[:1].isupper() for w in _words(phrase))


def _trailing_np(segment: str, lex: QuoteLexicon) -> str | None:
    """The speaker at the end of a clause: from its last free determiner, else its name."""
    words = _words(_strip_edges(segment, lex))
    if not words:
        return None
    if words[-1].lower() in lex.pronouns:  # "after the question she (said)"
        return words[-1]
    starts = [i for i, w in enumerate(words) if w.lower() in lex.determiners
              and (i == 0 or not _governs(words[i - 1].lower(), lex))]
    if starts:
        found = words[starts[-1]:]
        verb = next((i for i, w in enumerate(found) if _is_verb(w.lower(), lex)), None)
        return " ".join(found[:verb])  # "the family said they ... , but (cautioned)"
    run = len(words)
    while run > 0 and words[run - 1][:1].isupper():
        run -= 1
    while run < len(words) and words[run].lower() in _function_words(lex):
        run += 1  # "On UK (claims)": a capitalised preposition is no part of a name
    return " ".join(words[run:]) or None


def _is_verb(word: str, lex: QuoteLexicon) -> bool:
    return re.fullmatch(lex.verbs, word) is not None


def _function_words(lex: QuoteLexicon) -> frozenset[str]:
    return (lex.title_words | lex.subordinators | lex.connectives | lex.determiners
            | lex.prepositions | lex.pronouns | lex.time_words)


def acceptable_speaker(phrase: str | None, lex: QuoteLexicon) -> bool:
    """A speaker is a pronoun alone, or a short phrase with no digits, pronouns or auxiliaries
    that opens with a capital letter or a determiner."""
    if not phrase:
        return False
    words = [w.lower() for w in _words(phrase)]
    if len(words) == 1 and words[0] in lex.pronouns:
        return True
    subject_pronouns = lex.pronouns - lex.determiners  # "her lawyer" is fine, "she was" not
    if len(words) > 10 or re.search(r"\d", phrase) or set(words) & (subject_pronouns
                                                                     | lex.auxiliaries):
        return False
    if words[-1] in lex.prepositions | lex.determiners | lex.connectives | lex.subordinators | {
            "and", "or", "but"}:
        return False  # "the war and": a clause cut short, not a speaker
    return phrase[:1].isupper() or words[0] in lex.determiners


def _governs(word: str, lex: QuoteLexicon) -> bool:
    """A preposition or verb before a determiner makes its phrase an object, not a speaker."""
    return word in lex.prepositions or word.endswith("ed") or _is_verb(word, lex)


def _subject_before(segment: str, lex: QuoteLexicon) -> str | None:
    """The speaker phrase that ends `segment` (the text before a speech verb)."""
    parts = [p for p in re.split(r",\s*|\s+[–—]\s+", segment) if p.strip()]
    while parts and _strip_edges(parts[-1], lex) == "":
        parts.pop()
    if not parts:
        return None
    opener = parts[-1].split(None, 1)[0].lower()
    head = _strip_edges(parts[-2], lex) if len(parts) >= 2 else ""
    # "X, who spoke anonymously, noted" / "Derek Grossman, a fellow at Y, wrote"
    if head and _plausible_subject(head, lex) and (
            opener in ("who", "which")
            or (opener in lex.determiners | lex.prepositions and _name_like(head))):
        return head
    found = _trailing_np(parts[-1], lex)
    return _strip_edges(found, lex) if found else None


def _object_after(phrase: str, lex: QuoteLexicon) -> str | None:
    """The speaker after an inverted verb: "said a Bangkok-based analyst, who ..." -> up to cut."""
    cut = re.search(rf",|\s+[–—-]\s+|\s+(?:{lex.speaker_ends})\b", phrase)
    found = _strip_edges(phrase[: cut.start()] if cut else phrase, lex)
    words = [w.lower() for w in _words(found)]
    if not words or words[0] in lex.prepositions | lex.auxiliaries | lex.time_words | {"that"}:
        return None
    return found if acceptable_speaker(found, lex) else None


def _after(text: str, span: _Span, lex: QuoteLexicon) -> str | None:
    """Attribution after the closing mark, when the quote does not end its sentence."""
    inner = text[span.start : span.end].rstrip()
    rest = text[span.after : span.line_end]
    if not (inner.endswith((",", "?", "!", "—", "–", "-")) or rest.startswith(",")):
        return None
    verb_first = re.match(rf"\s*,?\s*(?:(?-i:[a-z]+ly)\s+)?(?:{lex.verbs})\b\s*({_NP_CHARS}*)",
                          rest, re.I)
    found = _object_after(verb_first.group(1), lex) if verb_first else None
    subject_first = re.match(rf"\s*,?\s*({_NP_CHARS}{{1,250}}?)\s+(?:{lex.verbs})\b", rest)
    if found or not subject_first:
        return found
    head = _strip_edges(re.split(r",\s*|\s+[–—]\s+", subject_first.group(1))[0], lex)
    if _name_like(head) and _plausible_subject(head, lex):
        return head  # "“…,” Brett McGurk, Washington’s top diplomat, said"
    return _subject_before(subject_first.group(1), lex)


def _sentence_before(text: str, span: _Span) -> str:
    before = text[span.line_start : max(span.line_start, span.start - 1)]
    ends = list(re.finditer(r"[.!?”\"]\s+(?=[“\"A-Z])", before))
    return before[ends[-1].end() :] if ends else before


def _before(text: str, span: _Span, lex: QuoteLexicon) -> str | None:
    """Attribution before the opening mark: "X said", "X noted that", "X pointed out,"."""
    before = _sentence_before(text, span)
    match = re.search(rf"(?:\s+\w+ly)?\s+(?P<verb>{lex.verbs}|{lex.participles})(?:\s+that\s*|"
                      r"\s*[,:]\s*|(?:\s+[^\s“”\",:.]+){1,5}:\s*|\s*)$", before, re.I)
    if not match:
        return None
    if re.fullmatch(lex.participles, match.group("verb"), re.I):  # "Trump dismissed it, saying:"
        return _leading_np(re.split(r",\s*", before[: match.start()].strip(" ,"))[-1], lex)
    return _subject_before(before[: match.start()], lex)


def _leading_np(clause: str, lex: QuoteLexicon) -> str | None:
    """The subject at the start of a clause: its words up to the first verb-like word."""
    words = _words(_strip_edges(clause, lex))
    for i, word in enumerate(words):
        low = word.lower()
        if i and (low.endswith("ed") or _is_verb(low, lex) or low in lex.auxiliaries):
            return " ".join(words[:i])
    return None


def _according(text: str, span: _Span, lex: QuoteLexicon) -> str | None:
    window = text[span.after : span.line_end][:200] + " " + _sentence_before(text, span)
    match = re.search(rf"according to\s+({_NP_CHARS}+)", window, re.I)
    return _object_after(match.group(1), lex) if match else None


def _inside(pos: int, spans: Sequence[_Span]) -> bool:
    return any(span.start <= pos < span.end for span in spans)


def _speech_agent(text: str, verb: re.Match[str], lex: QuoteLexicon) -> str | None:
    """Who a speech verb belongs to: the phrase after it when inverted, else the one before."""
    before = text[: verb.start()].rstrip()
    if before.endswith((",", "”", '"')):
        after = re.match(rf"{_NP_CHARS}*", text[verb.end() :])
        listener = after and re.match(r"[^.]{0,80}?\bthat\b", after.group(0))  # "told X that"
        inverted = _object_after(after.group(0), lex) if after and not listener else None
        if inverted or not before.endswith(","):
            return inverted
    start = max(before.rfind("\n"), before.rfind(". "), before.rfind("”"), before.rfind('"')) + 1
    return _subject_before(text[start : verb.start()], lex)


def _people(text: str, spans: Sequence[_Span], lex: QuoteLexicon) -> list[tuple[int, str]]:
    """People named or described with a speech verb or an honorific, by position."""
    found: list[tuple[int, str]] = []
    honorific = "|".join(sorted(lex.honorifics))
    name = r"((?:[A-Z][\w’'-]*\.?\s+){0,3}[A-Z][\w’'-]+)"
    for m in re.finditer(rf"\b(?i:{honorific})\.?\s+{name}", text):
        if not _inside(m.start(), spans):
            found.append((m.start(), m.group(1)))
    for m in re.finditer(rf"\b(?:{lex.verbs})\b", text):
        agent = None if _inside(m.start(), spans) else _speech_agent(text, m, lex)
        if agent and acceptable_speaker(agent, lex) and agent.lower() not in lex.pronouns:
            found.append((m.start(), agent))
    return sorted(found)


def _full_name(name: str, text: str, before: int, lex: QuoteLexicon) -> str:
    """"Mengdavid" -> "Thong Mengdavid" when the longer form was written earlier."""
    pattern = rf"((?:(?:[A-Z]\.|[A-Z][\w’'-]*)\s+){{1,2}}){re.escape(name)}\b"
    matches = list(re.finditer(pattern, text[:before]))
    if not matches:
        return name
    given: list[str] = []
    for word in matches[-1].group(1).split():  # keep the given names next to the short one
        given = [] if word.rstrip(".").lower() in _function_words(lex) else [*given, word]
    return " ".join([*given[-2:], name]) if given else name


def _resolve(speaker: str, pos: int, text: str, people: list[tuple[int, str]],
             lex: QuoteLexicon) -> str | None:
    if speaker.lower() in lex.pronouns:
        earlier = [name for at, name in people if at < pos and name.lower() not in lex.pronouns]
        return earlier[-1] if earlier else None
    if " " not in speaker and speaker[:1].isupper():
        return _full_name(speaker, text, pos, lex)
    return speaker


def _is_field_value(text: str, span: _Span) -> bool:
    """`title: "..."` in front matter or a key-value listing: a value, not a quote."""
    return bool(re.fullmatch(r"\s*[\w-]+:\s*", text[span.line_start : span.start - 1]))


def _is_term(inner: str, lex: QuoteLexicon) -> bool:
    words = _words(inner)
    return len(words) < lex.min_unattributed_words and not re.search(r"[.!?,]\s*$", inner)


def extract_quotes(text: str, sentences: Sequence[Sentence],
                   lexicon: QuoteLexicon | None = None,
                   known_people: Sequence[tuple[int, str]] = ()) -> list[QuoteFound]:
    """Every direct quote of `text` with its speaker (see the module docstring for the cascade).

    `sentences` are `split_sentences(text)`; offsets are into `text`. `known_people` are
    (character offset, name) of people found by other means (PERSON entities, resolved
    actors); they join the candidates a pronoun ("he said") can refer to.
    """
    lex = lexicon or load_quote_lexicon()
    spans = _quote_spans(text)
    people = sorted([*_people(text, spans, lex), *known_people])
    starts = [s.start for s in sentences]
    quotes: list[QuoteFound] = []
    last_in_line: tuple[int, str | None] = (-1, None)
    for span in spans:
        inner = text[span.start : span.end]
        if len(_words(inner)) <= lex.max_scare_words or _is_field_value(text, span):
            continue
        raw = _after(text, span, lex) or _before(text, span, lex) or _according(text, span, lex)
        raw = raw if acceptable_speaker(raw, lex) else None
        speaker = _resolve(raw, span.start, text, people, lex) if raw else None
        if speaker is None and not raw:
            if _is_term(inner, lex):
                continue
            if last_in_line[0] == span.line_start:
                speaker = last_in_line[1]
            else:
                local = [n for at, n in people if span.line_start <= at < span.start]
                speaker = local[-1] if local else None
        if speaker:
            people = sorted([*people, (span.start, speaker)])
        stripped = inner.strip().rstrip(",").rstrip()
        begin = span.start + (len(inner) - len(inner.lstrip()))
        index = max(0, bisect.bisect_right(starts, begin) - 1) if starts else 0
        quotes.append(QuoteFound(stripped, speaker, index, begin, begin + len(stripped)))
        last_in_line = (span.line_start, speaker)
    return quotes
