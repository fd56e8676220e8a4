"""The role of a date inside its sentence: `main`, `state` or `side` (see dates.py).

A rule of thumb over plain text, no parse: a date in a parenthesis, a relative clause or a
participle phrase is `side`; one opened by a state preposition ("since") is `state`.
"""

from __future__ import annotations

import re

from dyadwatch.nlp.date_lexicon import DateLexicon

__all__ = ["date_role"]

_WORD = re.compile(r"[A-Za-z][\w'’]*")


def _is_side(words: list[str], lowered: list[str], lex: DateLexicon) -> bool:
    """A relative clause ("which ...", "that were ...") or a participle phrase before the date."""
    for i, word in enumerate(lowered):
        if word in lex.relative_pronouns:
            return True
        if word == "that" and i + 1 < len(lowered) and lowered[i + 1] in lex.auxiliaries:
            return True
    if lowered and lowered[-1] in lex.participle_prepositions:
        words, lowered = words[:-1], lowered[:-1]
    if not lowered or not (lowered[-1].endswith("ed") or lowered[-1] in lex.participles):
        return False
    if len(words) == 1:  # ", suspended since 2017": the clause opens with the participle
        return words[0].islower()
    # a reduced relative follows the object of an earlier verb: "X lifted the ban imposed in"
    # ("The ministers met on ..." has no earlier verb: "met" is the main verb)
    before = words[-2]
    if not before.islower() or before in lex.auxiliaries | lex.pronouns or before.endswith("ly"):
        return False
    return any(_verb_like(w, lex) for w in lowered[:-2])


def _verb_like(word: str, lex: DateLexicon) -> bool:
    return (word.endswith("ed") and len(word) > 4) or word in lex.participles | lex.auxiliaries


def date_role(sentence: str, start: int, phrase: str, lex: DateLexicon) -> str:
    """`main`, `state` ("since 1954") or `side` (a parenthesis or side clause) for a date."""
    prefix = sentence[:start]
    if prefix.count("(") > prefix.count(")"):
        return "side"
    clause = re.split(r"[,;:()—–]", prefix)[-1]
    words = _WORD.findall(clause)
    if _is_side(words, [w.lower() for w in words], lex):
        return "side"
    first = phrase.split(None, 1)[0].lower()
    last = words[-1].lower() if words else ""
    return "state" if lex.state_prepositions & {first, last} else "main"
