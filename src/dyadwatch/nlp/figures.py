"""Figures: money, percentages and counts, with the phrase each one measures.

Reads sentences (`split_sentences`) and returns one `FigureFound` per figure. Cascade per
sentence:

1. numbers are found with an optional hedge ("almost"), currency symbol ("US$", "£"), scale
   ("billion", "bn"), then a percent word or a currency word ("35 million US$"); spelled
   numbers ("a million", "eight") and vague amounts ("tens of thousands of") count too;
2. not figures: years (1800-2100 written alone), dates (a number next to a month name), ages
   and other hyphen compounds ("48-year-old"), ordinals ("31st"), numbers inside words
   ("COVID-19"), durations ("nearly eight years", left out on purpose) and bare numbers
   with neither a currency, a percent sign nor a counted noun;
3. `unit` is the ISO 4217 code for money, "percent" (or "percentage points"), else the
   counted noun as written, plural kept ("people", "troops", "workers": the last word of the
   noun phrase after the number);
4. `about` is the phrase after the figure when it names the thing measured ("49 percent rate
   on Cambodian goods" -> "rate on Cambodian goods", "$15 billion in bitcoin ..." ->
   "bitcoin ..."), else the clause before it ("bilateral trade reaching $13 billion" ->
   "bilateral trade"); a conversion in brackets ("$10bn (£7.6bn)") shares its figure's.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from functools import cache
from pathlib import Path

from dyadwatch.errors import DictionaryError
from dyadwatch.nlp.date_lexicon import load_date_lexicon
from dyadwatch.nlp.phrase_data import read_nlp_data, word_numbers
from dyadwatch.nlp.sentences import Sentence

__all__ = ["FigureFound", "FigureLexicon", "extract_figures", "load_figure_lexicon"]

@dataclass(frozen=True, slots=True)
class FigureFound:
    """A figure: value (scaled), unit (ISO currency, percent, or counted noun), the figure's
    words, the phrase it measures, and its sentence."""

    value: float
    unit: str
    text: str
    about: str
    sentence_index: int


@dataclass(frozen=True, slots=True)
class FigureLexicon:
    """Figure vocabulary (data/nlp/figures.yaml + numbers.yaml) and the pattern built from it."""

    pattern: re.Pattern[str]
    currency_symbols: dict[str, str]
    currency_words: dict[str, str]
    percent_words: frozenset[str]
    points_words: frozenset[str]
    number_words: dict[str, int]
    scales: dict[str, int]
    vague: dict[str, int]
    duration_units: frozenset[str]
    skip_units: frozenset[str]
    stop_words: frozenset[str]
    about_skip: tuple[str, ...]
    linking_words: tuple[str, ...]
    plurals: frozenset[str]
    not_plural_endings: tuple[str, ...]
    about_prepositions: frozenset[str]
    about_ends: str  # a regex alternation of the words that end the phrase after a figure
    months: frozenset[str]  # month names and abbreviations, from data/nlp/dates.yaml


def _alt(words: object) -> str:
    ordered = sorted({str(w) for w in words}, key=len, reverse=True)  # type: ignore[attr-defined]
    return "|".join(re.escape(w).replace(r"\ ", r"\s+") for w in ordered)


def _build_pattern(d: dict, n: dict) -> re.Pattern[str]:
    short = [k for k in n["scales"] if len(k) <= 2]
    long_ = [k for k in n["scales"] if len(k) > 2]
    words = [k for k in n["units"] if k not in d["not_figure_words"]]
    return re.compile(
        rf"(?<![\w$£€¥₹.,\-–—/])(?:(?P<hedge>{_alt(d['hedges'])})\s+)?"
        rf"(?:(?P<vague>{_alt(n['vague'])})\s+of\b"
        rf"|(?P<cur>{_alt(d['currency_symbols'])})?\s?"
        rf"(?:(?P<num>\d{{1,3}}(?:,\d{{3}})+(?:\.\d+)?|\d+(?:\.\d+)?)|(?P<word>\b(?:{_alt(words)})\b))"
        rf"(?:(?P<short>{_alt(short)})\b|[\s-]+(?P<scale>{_alt(long_)})\b)?"
        rf"(?:\s*(?P<pct>{_alt(d['percent_words'] + d['points_words'])})(?!\w)"
        rf"|\s*(?P<curword>{_alt(d['currency_words'])})(?!\w))?)"
        r"(?![\w\-]|[.,]\d)",
        re.IGNORECASE,
    )


@cache
def load_figure_lexicon(path: Path | None = None, numbers_path: Path | None = None
                        ) -> FigureLexicon:
    """Read and validate data/nlp/figures.yaml and numbers.yaml (or the given files)."""
    lists = ("percent_words", "points_words", "hedges", "duration_units", "skip_units",
             "stop_words", "about_skip", "linking_words", "irregular_plurals", "about_ends",
             "not_figure_words", "not_plural_endings", "about_prepositions")
    d = read_nlp_data("figures", {"currency_symbols": dict, "currency_words": dict}
                      | {k: list for k in lists}, path)
    n = read_nlp_data("numbers", {"units": dict, "scales": dict, "vague": dict}, numbers_path)
    source = str(path or "figures.yaml")
    numbers_source = str(numbers_path or "numbers.yaml")
    for key in ("currency_symbols", "currency_words"):
        if not all(re.fullmatch(r"[A-Z]{3}", str(v)) for v in d[key].values()):
            raise DictionaryError(f"{source}: `{key}` values must be ISO 4217 codes")

    def lower(key: str) -> frozenset[str]:
        return frozenset(str(w).lower() for w in d[key])

    return FigureLexicon(
        pattern=_build_pattern(d, n),
        currency_symbols={str(k).upper(): str(v) for k, v in d["currency_symbols"].items()},
        currency_words={str(k).lower(): str(v) for k, v in d["currency_words"].items()},
        percent_words=lower("percent_words"), points_words=lower("points_words"),
        number_words=word_numbers(numbers_source, n["units"], "units"),
        scales=word_numbers(numbers_source, n["scales"], "scales"),
        vague=word_numbers(numbers_source, n["vague"], "vague"),
        duration_units=lower("duration_units"), skip_units=lower("skip_units"),
        stop_words=lower("stop_words"),
        about_skip=tuple(str(w).lower() for w in d["about_skip"]),
        linking_words=tuple(sorted((str(w).lower() for w in d["linking_words"]),
                                   key=len, reverse=True)),
        plurals=lower("irregular_plurals"),
        not_plural_endings=tuple(str(w).lower() for w in d["not_plural_endings"]),
        about_prepositions=lower("about_prepositions"),
        about_ends=_alt(d["about_ends"]),
        months=frozenset(load_date_lexicon().months),
    )


def _norm(phrase: str) -> str:
    return re.sub(r"\s+", " ", phrase).strip().lower()


def _value(g: dict[str, str | None], lex: FigureLexicon) -> Decimal:
    if g["vague"]:
        return Decimal(lex.vague[_norm(g["vague"])])
    base = Decimal((g["num"] or "").replace(",", "")) if g["num"] else Decimal(
        lex.number_words[_norm(g["word"] or "")])
    scale = g["short"] or g["scale"]
    return base * lex.scales[scale.lower()] if scale else base


def _money_or_percent(g: dict[str, str | None], lex: FigureLexicon) -> str | None:
    if g["cur"]:
        return lex.currency_symbols[g["cur"].upper()]
    if g["curword"]:
        return lex.currency_words[_norm(g["curword"])]
    if g["pct"]:
        return "percentage points" if _norm(g["pct"]) in lex.points_words else "percent"
    return None


_TOKEN = re.compile(r"[ \t]+([A-Za-z][\w’'-]*)")


def _plural(word: str, lex: FigureLexicon) -> bool:
    low = word.lower()
    return low in lex.plurals or (low.endswith("s") and not low.endswith(lex.not_plural_endings))


def _counted(text: str, pos: int, value: float, lex: FigureLexicon) -> tuple[list[str], int]:
    """The noun phrase counted by the number ending at `pos`: its words and end offset.

    Counted nouns after a number above one are plural, so the phrase ends at its first plural
    word ("two defense ministers agreed" -> "defense ministers"); none within six words, none
    counted. Without a parse this is what keeps verbs out of the unit.
    """
    words: list[str] = []
    end = pos
    while len(words) < 6:
        token = _TOKEN.match(text, end)
        if not token:
            break
        word = token.group(1)
        low = word.lower()
        if (low in lex.stop_words and low not in ("and", "or")) or low.endswith("ly"):
            break
        if low in ("and", "or") and not words:
            break
        words.append(word)
        end = token.end()
        if value == 1 or _plural(word, lex):
            return words, end
    return [], pos


def _is_date_or_year(text: str, match: re.Match[str], lex: FigureLexicon) -> bool:
    g = match.groupdict()
    plain = g["num"] and not (g["cur"] or g["short"] or g["scale"] or g["pct"] or g["curword"])
    if not plain:
        return False
    if re.fullmatch(r"1[89]\d\d|20\d\d|2100", g["num"] or ""):
        return True
    before = re.findall(r"[A-Za-z]+", text[max(0, match.start() - 12) : match.start()])
    after = re.match(r"\s+([A-Za-z]+)", text[match.end() :])
    return bool((before and before[-1].lower() in lex.months)
                or (after and after.group(1).lower() in lex.months))


def _strip_linking(words: list[str], lex: FigureLexicon) -> list[str]:
    """Drop linking words ("stands at around") from the end and stop words from the start."""
    changed = True
    while changed and words:
        changed = False
        tail = _norm(" ".join(words[-3:]))
        for link in lex.linking_words:
            if tail == link or tail.endswith(" " + link):
                words = words[: len(words) - len(link.split())]
                changed = True
                break
    while words and words[0].lower() in lex.stop_words:
        words = words[1:]
    return words


# "to" + a lowercase word that is no determiner: an infinitive ("... to ensure peace").
_INFINITIVE = re.compile(r"\s+to\s+(?=(?!(?:the|a|an|its|their|his|her|this|these|those|our|"
                         r"all|each|other|some)\b)[a-z])")

# Clause breaks around a figure; a comma inside a number ("13,700") is none.
_BEFORE_BREAK = re.compile(r"(?<!\d),|,(?!\d{3}\b)|[;:(\[—–]")
_AFTER_BREAK = re.compile(r"(?<!\d),|,(?!\d{3}\b)|[;:()\[\]—–]|\.(?:\s|$)|\s-\s")


def _about_before(sentence: str, start: int, floor: int, lex: FigureLexicon) -> str:
    for clause in reversed(_BEFORE_BREAK.split(sentence[floor:start])):
        words = _strip_linking(clause.split(), lex)[-10:]
        if words:  # "Aid, worth 5,000 dollars": the clause before the linking words
            return " ".join(words)
    return ""


def _about(sentence: str, match: re.Match[str], unit: str, floor: int,
           lex: FigureLexicon) -> str:
    """What a money or percent figure measures (see the module docstring)."""
    after = re.sub(r"^\s*\([^)]*\)", "", sentence[match.end() :])  # "$10bn (£7.6bn) fee"
    clause = _AFTER_BREAK.split(after)[0]
    clause = re.split(rf"\s+(?:{lex.about_ends})\b", clause)[0].strip()
    low = _norm(clause)
    first = low.split(" ", 1)[0] if low else ""
    purpose = unit not in ("percent", "percentage points") and re.match(r"to [a-z]", low)
    if purpose:
        return " ".join(clause.split()[:10])
    clause = _INFINITIVE.split(clause)[0]  # "aid to Laos to ensure peace" -> "aid to Laos"
    if low and not any(low == s or low.startswith(s + " ") for s in lex.about_skip):
        if first in lex.about_prepositions:
            return " ".join(clause.split()[1:11])
        if first.isalpha() and first not in lex.stop_words:
            return " ".join(clause.split()[:10])
    return (_about_before(sentence, match.start(), floor, lex) or " ".join(clause.split()[:10])
            or _about_before(sentence, match.start(), 0, lex))  # "from 2% to 2.5%": a range


def _figure(sentence: Sentence, match: re.Match[str], floor: int,
            lex: FigureLexicon) -> FigureFound | None:
    """The figure `match` states, or None when it is not one; `floor`: the previous one's end."""
    g = match.groupdict()
    if _is_date_or_year(sentence.text, match, lex):
        return None
    if g["word"] and not (g["short"] or g["scale"]) and _norm(g["word"]) in ("a", "an", "one"):
        return None
    value = float(_value(g, lex))
    unit = _money_or_percent(g, lex)
    if unit is not None:
        return FigureFound(value, unit, match.group(0).strip(),
                           _about(sentence.text, match, unit, floor, lex), sentence.index)
    words, end = _counted(sentence.text, match.end(), value, lex)
    if not words or words[-1].lower() in lex.duration_units | lex.skip_units:
        return None
    rest = _AFTER_BREAK.split(sentence.text[end:])[0].split()[:6]
    noun = re.sub(r"[’']s$", "", words[-1])
    return FigureFound(value, noun, sentence.text[match.start() : end].strip(),
                       " ".join([*words, *rest]), sentence.index)


_JOINED = re.compile(r"\s*(?:\(|to|and|or|-|–)\s*")
_IT_TO = re.compile(r"\b(?:it|them)\s+(?:to|from|at|by)\s+(?:around\s+|about\s+)?$", re.I)


def extract_figures(sentences: Sequence[Sentence],
                    lexicon: FigureLexicon | None = None) -> list[FigureFound]:
    """Every money amount, percentage and count in `sentences`, in order (module docstring)."""
    lex = lexicon or load_figure_lexicon()
    figures: list[FigureFound] = []
    for sentence in sentences:
        previous: tuple[int, FigureFound] | None = None
        for match in lex.pattern.finditer(sentence.text):
            found = _figure(sentence, match, previous[0] if previous else 0, lex)
            if found is None:
                continue
            between = sentence.text[previous[0] : match.start()] if previous else ""
            refers_back = _IT_TO.search(sentence.text[: match.start()])  # "cut it to 19%"
            if previous and (_JOINED.fullmatch(between) or refers_back):
                # "$10bn (£7.6bn)": a conversion; "2% to 2.5%": a range; "cut it to 19%": the
                # same thing as the figure before
                found = FigureFound(found.value, found.unit, found.text, previous[1].about,
                                    found.sentence_index)
            figures.append(found)
            previous = (match.end(), found)
    return figures
