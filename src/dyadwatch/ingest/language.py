"""Language identification: lingua restricted to a few languages, plus a script check.

`LanguageIdentifier.identify(text)` returns an ISO 639-1 code, or None when the text is too short
or lingua is not confident. Khmer (no lingua model) is recognised by its script. Build one
identifier per run and pass it down; lingua loads a language's models the first time it
needs them.
"""

from __future__ import annotations

import logging
import re

from lingua import Language, LanguageDetector, LanguageDetectorBuilder

from dyadwatch.ingest.rules import LanguageRules

log = logging.getLogger(__name__)
# Letters and combining marks (Khmer vowels are marks, not letters, for str.isalpha).
_CODE = re.compile(r"^[A-Za-z]{2}(?:[-_][A-Za-z0-9]+)*$")
_LETTER = re.compile(r"[^\W\d_]|[\u0300-\u036f\u17b4-\u17d3]")


class LanguageIdentifier:
    """Identifies a document's language with the settings of data/ingest/languages.yaml."""

    def __init__(self, rules: LanguageRules) -> None:
        self.rules = rules
        self._codes = {getattr(Language, name): code for name, code in rules.lingua}
        self._detector: LanguageDetector | None = None
        self._scripts = [
            (code, re.compile("[" + "".join(f"{chr(lo)}-{chr(hi)}" for lo, hi in ranges) + "]"))
            for code, ranges in rules.scripts
        ]

    @property
    def detector(self) -> LanguageDetector:
        if self._detector is None:  # built on first use: a run of known languages never pays
            self._detector = (
                LanguageDetectorBuilder.from_languages(*self._codes).build()
            )
        return self._detector

    def script_language(self, text: str) -> str | None:
        """The language of a script (Khmer) when most letters are written in it."""
        letters = len(_LETTER.findall(text))
        if not letters:
            return None
        for code, pattern in self._scripts:
            if len(pattern.findall(text)) / letters >= self.rules.script_share:
                return code
        return None

    def from_metadata(self, value: str | None) -> str | None:
        """A language stated by metadata ("en", "en-GB", "English") as ISO 639-1, else None."""
        value = (value or "").strip()
        if _CODE.match(value):
            return value[:2].lower()
        names = {name: code for name, code in self.rules.lingua}
        return names.get(value.upper())

    def identify(self, text: str) -> str | None:
        """ISO 639-1 code of the text's language, or None when it cannot be told."""
        sample = text[: self.rules.sample_chars]
        if len(sample.strip()) < self.rules.min_chars:
            return None
        script = self.script_language(sample)
        if script:
            return script
        values = self.detector.compute_language_confidence_values(sample)
        if not values or values[0].value < self.rules.min_confidence:
            return None
        return self._codes.get(values[0].language)
