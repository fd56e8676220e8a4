"""The ingest stage's data files (`dyadwatch/data/ingest/*.yaml`), loaded and validated once.

`load_ingest_rules()` reads the three files and returns an `IngestRules`: compiled cleaning
patterns, the language settings and the limits. Stages receive it as an argument; nothing here
is module-level state. A malformed file raises `DictionaryError` naming the file and the entry.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from dyadwatch.datafiles import read_data_file
from dyadwatch.errors import DictionaryError


@dataclass(frozen=True, slots=True)
class TitleRule:
    """What a first line must look like to be read as the document's title."""

    max_chars: int
    max_words: int
    min_body_chars: int
    final_punctuation: str


@dataclass(frozen=True, slots=True)
class CleaningRules:
    """Page-furniture patterns and the title rule (data/ingest/cleaning.yaml)."""

    version: str
    drop_line: tuple[re.Pattern[str], ...]
    drop_inline: tuple[re.Pattern[str], ...]
    truncate_from: tuple[re.Pattern[str], ...]
    author_lines: tuple[re.Pattern[str], ...]
    title: TitleRule


@dataclass(frozen=True, slots=True)
class LanguageRules:
    """Which languages lingua may answer, and the script check (data/ingest/languages.yaml)."""

    version: str
    lingua: tuple[tuple[str, str], ...]  # (lingua Language name, ISO 639-1 code)
    scripts: tuple[tuple[str, tuple[tuple[int, int], ...]], ...]
    sample_chars: int
    min_chars: int
    min_confidence: float
    script_share: float


@dataclass(frozen=True, slots=True)
class MinHashRules:
    num_perm: int
    bands: int
    shingle_words: int
    near_threshold: float
    seed: int

    @property
    def rows(self) -> int:
        return self.num_perm // self.bands


@dataclass(frozen=True, slots=True)
class IngestRules:
    """Everything the ingest stage reads from its data files."""

    cleaning: CleaningRules
    languages: LanguageRules
    minhash: MinHashRules
    max_file_bytes: int
    max_document_chars: int
    max_field_chars: int


def _need(label: str, data: dict[str, Any], key: str, kind: type | tuple[type, ...]) -> Any:
    value = data.get(key)
    if not isinstance(value, kind) or isinstance(value, bool):
        raise DictionaryError(f"{label}: `{key}` is missing or not {kind}")
    return value


def _patterns(label: str, data: dict[str, Any], key: str) -> tuple[re.Pattern[str], ...]:
    compiled = []
    for i, pattern in enumerate(data.get(key) or []):
        if not isinstance(pattern, str):
            raise DictionaryError(f"{label}: {key}[{i}] is not a string")
        try:
            compiled.append(re.compile(pattern, re.IGNORECASE if key != "author_lines" else 0))
        except re.error as exc:
            raise DictionaryError(f"{label}: {key}[{i}] is not a valid pattern: {exc}") from exc
    return tuple(compiled)


def load_cleaning(path: Path | None = None) -> CleaningRules:
    label, data = read_data_file("ingest/cleaning.yaml", path)
    title = _need(label, data, "title", dict)
    rule = TitleRule(
        max_chars=int(_need(label, title, "max_chars", int)),
        max_words=int(_need(label, title, "max_words", int)),
        min_body_chars=int(_need(label, title, "min_body_chars", int)),
        final_punctuation=str(_need(label, title, "final_punctuation", str)),
    )
    for pattern in _patterns(label, data, "author_lines"):
        if "author" not in pattern.groupindex:
            raise DictionaryError(f"{label}: author_lines pattern {pattern.pattern!r} "
                                  "has no (?P<author>...) group")
    return CleaningRules(
        version=str(data["meta"]["version"]),
        drop_line=_patterns(label, data, "drop_line"),
        drop_inline=_patterns(label, data, "drop_inline"),
        truncate_from=_patterns(label, data, "truncate_from"),
        author_lines=_patterns(label, data, "author_lines"),
        title=rule,
    )


def _script(label: str, entry: Any) -> tuple[str, tuple[tuple[int, int], ...]]:
    if not isinstance(entry, dict) or not isinstance(entry.get("code"), str):
        raise DictionaryError(f"{label}: scripts entry {entry!r} needs a `code`")
    ranges = entry.get("ranges")
    if not isinstance(ranges, list) or not all(
        isinstance(r, list) and len(r) == 2 and all(isinstance(x, int) for x in r)
        for r in ranges
    ):
        raise DictionaryError(f"{label}: scripts entry {entry['code']} needs `ranges: [[lo, hi]]`")
    return entry["code"], tuple((r[0], r[1]) for r in ranges)


def load_languages(path: Path | None = None) -> LanguageRules:
    label, data = read_data_file("ingest/languages.yaml", path)
    lingua = []
    for entry in _need(label, data, "lingua", list):
        if not isinstance(entry, dict) or not {"name", "code"} <= set(entry):
            raise DictionaryError(f"{label}: lingua entry {entry!r} needs `name` and `code`")
        lingua.append((str(entry["name"]).upper(), str(entry["code"])))
    if len(lingua) < 2:
        raise DictionaryError(f"{label}: lingua needs at least two languages")
    return LanguageRules(
        version=str(data["meta"]["version"]),
        lingua=tuple(lingua),
        scripts=tuple(_script(label, e) for e in data.get("scripts") or []),
        sample_chars=int(_need(label, data, "sample_chars", int)),
        min_chars=int(_need(label, data, "min_chars", int)),
        min_confidence=float(_need(label, data, "min_confidence", (int, float))),
        script_share=float(_need(label, data, "script_share", (int, float))),
    )


@dataclass(frozen=True, slots=True)
class Limits:
    """The size limits of data/ingest/ingest.yaml (see its notes)."""

    max_file_bytes: int
    max_document_chars: int
    max_field_chars: int


def load_limits(path: Path | None = None) -> tuple[MinHashRules, Limits]:
    label, data = read_data_file("ingest/ingest.yaml", path)
    mh = _need(label, data, "minhash", dict)
    rules = MinHashRules(
        num_perm=int(_need(label, mh, "num_perm", int)),
        bands=int(_need(label, mh, "bands", int)),
        shingle_words=int(_need(label, mh, "shingle_words", int)),
        near_threshold=float(_need(label, mh, "near_threshold", (int, float))),
        seed=int(_need(label, mh, "seed", int)),
    )
    if rules.bands < 1 or rules.num_perm % rules.bands:
        raise DictionaryError(f"{label}: minhash.num_perm must be a multiple of minhash.bands")
    max_mb = _need(label, data, "max_file_mb", (int, float))
    return rules, Limits(
        max_file_bytes=int(max_mb * 1024 * 1024),
        max_document_chars=int(_need(label, data, "max_document_chars", int)),
        max_field_chars=int(_need(label, data, "max_field_chars", int)),
    )


def load_ingest_rules(max_file_mb: float | None = None) -> IngestRules:
    """The packaged ingest data files; `max_file_mb` overrides the file-size limit."""
    minhash, limits = load_limits()
    max_bytes = limits.max_file_bytes
    if max_file_mb is not None:
        max_bytes = int(max_file_mb * 1024 * 1024)
    return IngestRules(
        cleaning=load_cleaning(),
        languages=load_languages(),
        minhash=minhash,
        max_file_bytes=max_bytes,
        max_document_chars=limits.max_document_chars,
        max_field_chars=limits.max_field_chars,
    )
