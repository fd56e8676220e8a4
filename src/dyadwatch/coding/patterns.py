"""The verb-pattern dictionary: verb, noun and wrapper triggers that map phrases to CAMEO codes.

Reads `data/cameo/verbs.yaml` (grammar in `data/cameo/README.md`), checks it against an
`Ontology` and returns a `PatternSet` of frozen records indexed by lemma. Any malformed entry
raises `DictionaryError` naming the file and the entry (`verbs[12] (code 057)`).
"""

from __future__ import annotations

import logging
import re
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from types import MappingProxyType
from typing import Any

from dyadwatch.coding.ontology import ROOTS, Ontology
from dyadwatch.datafiles import packaged_path, read_data_file
from dyadwatch.errors import DictionaryError

logger = logging.getLogger(__name__)

PATTERNS_FILE = "cameo/verbs.yaml"
DEFAULT_PATTERNS = packaged_path(PATTERNS_FILE)

# fmt: off
PREPOSITIONS = frozenset((
    "about", "above", "across", "after", "against", "along", "alongside", "amid", "among",
    "around", "as", "at", "before", "behind", "below", "beneath", "beside", "between", "beyond",
    "by", "despite", "during", "for", "from", "in", "inside", "into", "near", "of", "off", "on",
    "onto", "outside", "over", "past", "regarding", "since", "than", "through", "throughout",
    "to", "toward", "towards", "under", "until", "upon", "via", "with", "within", "without",
))
# fmt: on
MODALITY_KINDS = ("expected", "planned", "intended", "reported")
WRAPPER_KINDS = (
    "intent", "threat", "appeal", "demand", "reject", "deny", "accuse", "consider", "fail"
)
TOP_KEYS = frozenset(
    {"meta", "verbs", "nouns", "wrappers", "wrapper_codes", "modality", "negation"}
)
VERB_KEYS = frozenset({"code", "lemmas", "objects", "object_via", "target", "note"})
NOUN_KEYS = frozenset({"code", "lemmas", "source", "target", "note"})
WRAPPER_KEYS = frozenset({"kind", "lemmas", "target", "note"})
DEFAULT_TARGET = ("dobj",)

_WORD = r"[a-z][a-z']*"
_LEMMA_RE = re.compile(rf"^{_WORD}( {_WORD})?$")
_TERM_RE = re.compile(rf"^{_WORD}( {_WORD}){{0,3}}$")
_CUE_RE = re.compile(r"^[a-z']+( [a-z']+)*$")
_PREFIX_RE = re.compile(r"^\d{1,4}$")


@dataclass(frozen=True)
class Slot:
    """Where an actor is found relative to a trigger.

    kind: "dobj", "iobj", "poss", "compound", "amod", "prep" (pobj of `prep` on the trigger),
    "obj_prep" (pobj of `prep` attached to the trigger's object noun) or "purpose" (object of
    an infinitival purpose clause on the verb: `syntax.purpose_objects`).
    """

    kind: str
    prep: str | None = None

    def __str__(self) -> str:
        if self.kind == "prep":
            return str(self.prep)
        return f"obj:{self.prep}" if self.kind == "obj_prep" else self.kind


@dataclass(frozen=True)
class Term:
    """A noun term: a head lemma with optional modifier lemmas ("arm embargo") or a
    prepositional complement ("offer of mediation": head offer, prep of, pobj mediation)."""

    text: str
    head: str
    modifiers: tuple[str, ...] = ()
    prep: str | None = None
    pobj: str | None = None

    @property
    def specificity(self) -> int:
        """1 for a bare head, 2 and more when modifiers or a complement narrow it."""
        return 1 + len(self.modifiers) + (1 if self.prep else 0)


@dataclass(frozen=True)
class VerbPattern:
    """A verbal trigger: subject = source, target found in the ordered `target` slots.
    With `objects`, one of them must head the direct object, a pobj of the verb or the
    passive subject; such an entry is more specific than one without objects. With
    `object_via`, the object must be found under one of these prepositions on the verb
    ("supported X *with* funding"), not inside the direct object."""

    code: str
    lemmas: tuple[str, ...]
    objects: tuple[Term, ...]
    target: tuple[Slot, ...]
    note: str
    entry: int
    object_via: tuple[str, ...] = ()

    @property
    def specificity(self) -> int:
        """0 without objects, else the best specificity of its object terms."""
        return max((term.specificity for term in self.objects), default=0)


@dataclass(frozen=True)
class NounPattern:
    """A nominal trigger ("the visit of X to Y"): source and target slots on the noun."""

    code: str
    terms: tuple[Term, ...]
    source: tuple[Slot, ...]
    target: tuple[Slot, ...]
    note: str
    entry: int


@dataclass(frozen=True)
class Wrapper:
    """A verb wrapping an inner event (xcomp/ccomp, or pcomp of a preposition for `accuse`)."""

    kind: str
    lemmas: tuple[str, ...]
    target: tuple[Slot, ...]
    note: str


@dataclass(frozen=True)
class PatternSet:
    """The whole validated dictionary, indexed for the event coder."""

    verbs_by_lemma: Mapping[str, tuple[VerbPattern, ...]]
    nouns_by_lemma: Mapping[str, tuple[NounPattern, ...]]
    wrappers_by_lemma: Mapping[str, Wrapper]
    codes_by_wrapper: Mapping[str, Mapping[str, str]]
    modality_cues: Mapping[str, tuple[str, ...]]
    negation_cues: frozenset[str]
    version: str
    name: str
    path: str

    def wrapper_codes(self, kind: str, code: str | None) -> str | None:
        """The code a wrapper of `kind` makes of an inner event `code`: the longest matching
        code prefix wins, then the kind's "*" default; None when neither applies."""
        table = self.codes_by_wrapper.get(kind, {})
        if code:
            for length in range(len(code), 0, -1):
                if code[:length] in table:
                    return table[code[:length]]
        return table.get("*")

    def modality_of(self, cue: str) -> str | None:
        """The modality kind a cue lemma or phrase signals, if any."""
        for kind, cues in self.modality_cues.items():
            if cue in cues:
                return kind
        return None

    @property
    def verb_patterns(self) -> tuple[VerbPattern, ...]:
        """Every verb entry once, in file order."""
        unique = {p.entry: p for group in self.verbs_by_lemma.values() for p in group}
        return tuple(unique[key] for key in sorted(unique))


def load_patterns(ontology: Ontology, path: Path | None = None) -> PatternSet:
    """Read and validate the pattern file at `path` (default: the packaged `verbs.yaml`)."""
    where, data = read_data_file(PATTERNS_FILE, path, required=())
    _check_top_keys(where, data)
    meta = _check_meta(where, data)
    verbs = [
        _parse_verb(where, i, raw, ontology) for i, raw in enumerate(_list(where, data, "verbs"))
    ]
    nouns = [
        _parse_noun(where, i, raw, ontology) for i, raw in enumerate(_list(where, data, "nouns"))
    ]
    wrappers = [
        _parse_wrapper(where, i, raw) for i, raw in enumerate(_list(where, data, "wrappers"))
    ]
    codes = _parse_wrapper_codes(where, data.get("wrapper_codes"), ontology, wrappers)
    _check_conflicts(where, "verbs", [(p.entry, p.code, p.lemmas, p.objects) for p in verbs])
    _check_conflicts(where, "nouns", [(p.entry, p.code, _noun_keys(p), ()) for p in nouns])
    _check_roots(where, verbs)
    result = PatternSet(
        verbs_by_lemma=_index(verbs, lambda p: p.lemmas),
        nouns_by_lemma=_index(nouns, lambda p: {t.head for t in p.terms}),
        wrappers_by_lemma=MappingProxyType(_wrapper_index(where, wrappers)),
        codes_by_wrapper=MappingProxyType(codes),
        modality_cues=MappingProxyType(_parse_modality(where, data.get("modality"))),
        negation_cues=frozenset(_cues(where, "negation", data.get("negation"))),
        version=meta["version"],
        name=meta["name"],
        path=where,
    )
    logger.debug("loaded %d verb and %d noun patterns from %s", len(verbs), len(nouns), path)
    return result


def _check_top_keys(where: str, data: Mapping[str, Any]) -> None:
    unknown = set(data) - TOP_KEYS
    if unknown:
        raise DictionaryError(
            f"{where}: unknown top-level keys: {', '.join(sorted(map(str, unknown)))}"
        )


def _check_meta(where: str, data: Mapping[str, Any]) -> dict[str, str]:
    meta = data.get("meta")
    if not isinstance(meta, dict) or not meta.get("name") or not meta.get("version"):
        raise DictionaryError(f"{where}: meta must give name and version")
    return {str(k): str(v) for k, v in meta.items()}


def _list(where: str, data: Mapping[str, Any], key: str) -> list[Any]:
    value = data.get(key)
    if not isinstance(value, list) or not value:
        raise DictionaryError(f"{where}: '{key}' must be a non-empty list")
    return value


def _entry(where: str, section: str, index: int, raw: Any, keys: frozenset[str]) -> str:
    """Check an entry is a mapping with known keys; return its label for messages."""
    label = f"{where}: {section}[{index}]"
    if not isinstance(raw, dict):
        raise DictionaryError(f"{label}: expected a mapping, got {type(raw).__name__}")
    if "code" in raw:
        label += f" (code {raw['code']})"
    unknown = set(raw) - keys
    if unknown:
        raise DictionaryError(f"{label}: unknown keys {', '.join(sorted(map(str, unknown)))}")
    return label


def _code(label: str, raw: Mapping[str, Any], ontology: Ontology) -> str:
    code = raw.get("code")
    if not isinstance(code, str):
        raise DictionaryError(f"{label}: 'code' must be a quoted string such as \"057\"")
    if code not in ontology:
        raise DictionaryError(f"{label}: code {code} is not in the ontology ({ontology.path})")
    return code


def _strings(
    label: str, field: str, value: Any, pattern: re.Pattern[str], required: bool
) -> list[str]:
    """A list of distinct strings each matching `pattern` (lowercase words)."""
    if value is None and not required:
        return []
    if not isinstance(value, list) or (required and not value):
        raise DictionaryError(
            f"{label}: '{field}' must be a {'non-empty ' if required else ''}list"
        )
    items: list[str] = []
    for item in value:
        if not isinstance(item, str) or not pattern.match(item):
            raise DictionaryError(
                f"{label}: {field} item {item!r} must be lowercase words (spaCy lemmas)"
            )
        if item in items:
            raise DictionaryError(f"{label}: {field} lists {item!r} twice")
        items.append(item)
    return items


def parse_term(label: str, text: str) -> Term:
    """ "arm embargo" -> head embargo, modifiers (arm,); "offer of mediation" -> head offer,
    prep of, pobj mediation."""
    words = text.split()
    if len(words) == 3 and words[1] in PREPOSITIONS:
        return Term(text, words[0], (), words[1], words[2])
    if any(word in PREPOSITIONS for word in words[:-1]) and len(words) > 1:
        raise DictionaryError(f"{label}: term {text!r}: a prepositional term is 'head prep noun'")
    return Term(text, words[-1], tuple(words[:-1]))


def parse_slot(label: str, text: Any, fixed: frozenset[str]) -> Slot:
    """One slot name: a fixed kind, a preposition, or (verbs only) obj:<preposition>."""
    if not isinstance(text, str):
        raise DictionaryError(f"{label}: slot {text!r} must be a string")
    if text in fixed:
        return Slot(text)
    if text in PREPOSITIONS:
        return Slot("prep", text)
    prefix, _, prep = text.partition(":")
    if prefix == "obj" and "obj_prep" in fixed and prep in PREPOSITIONS:
        return Slot("obj_prep", prep)
    allowed = ", ".join(sorted(fixed - {"obj_prep"}))
    obj = " | obj:<preposition>" if "obj_prep" in fixed else ""
    raise DictionaryError(f"{label}: unknown slot {text!r} (use {allowed} | <preposition>{obj})")


def _slots(
    label: str, field: str, value: Any, fixed: frozenset[str], default: tuple[str, ...]
) -> tuple[Slot, ...]:
    if value is None:
        value = list(default)
    if not isinstance(value, list) or not value:
        raise DictionaryError(f"{label}: '{field}' must be a non-empty list of slots")
    slots = tuple(parse_slot(label, item, fixed) for item in value)
    if len(set(slots)) != len(slots):
        raise DictionaryError(f"{label}: '{field}' lists a slot twice")
    return slots


VERB_SLOTS = frozenset({"dobj", "iobj", "poss", "obj_prep", "purpose"})
NOUN_SLOTS = frozenset({"poss", "compound", "amod"})


def _parse_verb(where: str, index: int, raw: Any, ontology: Ontology) -> VerbPattern:
    label = _entry(where, "verbs", index, raw, VERB_KEYS)
    code = _code(label, raw, ontology)
    lemmas = _strings(label, "lemmas", raw.get("lemmas"), _LEMMA_RE, required=True)
    objects = _strings(label, "objects", raw.get("objects"), _TERM_RE, required=False)
    target = _slots(label, "target", raw.get("target"), VERB_SLOTS, DEFAULT_TARGET)
    terms = tuple(parse_term(label, text) for text in objects)
    via = _strings(label, "object_via", raw.get("object_via"), _LEMMA_RE, required=False)
    if via and not terms:
        raise DictionaryError(f"{label}: 'object_via' needs 'objects'")
    return VerbPattern(code, tuple(lemmas), terms, target, str(raw.get("note") or ""), index,
                       tuple(via))


def _parse_noun(where: str, index: int, raw: Any, ontology: Ontology) -> NounPattern:
    label = _entry(where, "nouns", index, raw, NOUN_KEYS)
    code = _code(label, raw, ontology)
    lemmas = _strings(label, "lemmas", raw.get("lemmas"), _TERM_RE, required=True)
    source = _slots(label, "source", raw.get("source"), NOUN_SLOTS, ())
    target = _slots(label, "target", raw.get("target"), NOUN_SLOTS, ())
    terms = tuple(parse_term(label, text) for text in lemmas)
    return NounPattern(code, terms, source, target, str(raw.get("note") or ""), index)


def _parse_wrapper(where: str, index: int, raw: Any) -> Wrapper:
    label = _entry(where, "wrappers", index, raw, WRAPPER_KEYS)
    kind = raw.get("kind")
    if kind not in WRAPPER_KINDS:
        raise DictionaryError(
            f"{label}: unknown wrapper kind {kind!r} (known: {', '.join(WRAPPER_KINDS)})"
        )
    lemmas = _strings(label, "lemmas", raw.get("lemmas"), _LEMMA_RE, required=True)
    target = _slots(label, "target", raw.get("target"), VERB_SLOTS, DEFAULT_TARGET)
    return Wrapper(kind, tuple(lemmas), target, str(raw.get("note") or ""))


def _parse_wrapper_codes(
    where: str, raw: Any, ontology: Ontology, wrappers: Sequence[Wrapper]
) -> dict[str, Mapping[str, str]]:
    """kind -> {code prefix or "*" -> resulting code}; every wrapper kind needs a table."""
    if not isinstance(raw, dict):
        raise DictionaryError(f"{where}: 'wrapper_codes' must map wrapper kinds to tables")
    tables: dict[str, Mapping[str, str]] = {}
    for kind, table in raw.items():
        label = f"{where}: wrapper_codes.{kind}"
        if kind not in WRAPPER_KINDS:
            raise DictionaryError(
                f"{label}: unknown wrapper kind (known: {', '.join(WRAPPER_KINDS)})"
            )
        if not isinstance(table, dict) or not table:
            raise DictionaryError(
                f"{label}: expected a non-empty mapping of code prefixes to codes"
            )
        tables[kind] = MappingProxyType(
            {
                _prefix(label, ontology, key): _result(label, ontology, key, value)
                for key, value in table.items()
            }
        )
    missing = sorted({w.kind for w in wrappers} - set(tables))
    if missing:
        raise DictionaryError(f"{where}: wrapper_codes has no table for {', '.join(missing)}")
    return tables


def _prefix(label: str, ontology: Ontology, key: Any) -> str:
    if key == "*":
        return key
    if not isinstance(key, str) or not _PREFIX_RE.match(key):
        raise DictionaryError(f'{label}: key {key!r} must be a quoted code prefix ("06") or "*"')
    if not any(code.startswith(key) for code in ontology.codes):
        raise DictionaryError(f"{label}: no CAMEO code starts with {key}")
    return key


def _result(label: str, ontology: Ontology, key: Any, value: Any) -> str:
    if not isinstance(value, str) or value not in ontology:
        raise DictionaryError(f"{label}: {key} -> {value!r} is not a CAMEO code in the ontology")
    return value


def _parse_modality(where: str, raw: Any) -> dict[str, tuple[str, ...]]:
    if not isinstance(raw, dict):
        raise DictionaryError(
            f"{where}: 'modality' must map {', '.join(MODALITY_KINDS)} to cue lists"
        )
    unknown = set(raw) - set(MODALITY_KINDS)
    if unknown:
        raise DictionaryError(
            f"{where}: modality: unknown kinds {', '.join(sorted(map(str, unknown)))}"
        )
    cues = {kind: tuple(_cues(where, f"modality.{kind}", raw.get(kind))) for kind in MODALITY_KINDS}
    seen: dict[str, str] = {}
    for kind, words in cues.items():
        for word in words:
            if word in seen:
                raise DictionaryError(
                    f"{where}: modality cue {word!r} is both {seen[word]} and {kind}"
                )
            seen[word] = kind
    return cues


def _cues(where: str, field: str, raw: Any) -> list[str]:
    return _strings(f"{where}: {field}", "cues", raw, _CUE_RE, required=True)


def _noun_keys(pattern: NounPattern) -> tuple[str, ...]:
    return tuple(term.text for term in pattern.terms)


def _check_conflicts(
    where: str, section: str, entries: Iterable[tuple[int, str, tuple[str, ...], tuple[Term, ...]]]
) -> None:
    """No (lemma, object) pair may appear in two entries; all clashes are reported at once."""
    owners: dict[tuple[str, str | None], list[tuple[int, str]]] = defaultdict(list)
    for entry, code, lemmas, objects in entries:
        keys: list[str | None] = [term.text for term in objects] or [None]
        for lemma in lemmas:
            for key in keys:
                owners[(lemma, key)].append((entry, code))
    clashes = [
        f"({lemma}{' + ' + obj if obj else ''}) in "
        + ", ".join(f"{section}[{entry}] (code {code})" for entry, code in found)
        for (lemma, obj), found in owners.items()
        if len(found) > 1
    ]
    if clashes:
        raise DictionaryError(
            f"{where}: the same trigger appears in two entries: " + "; ".join(clashes)
        )


def _check_roots(where: str, verbs: Sequence[VerbPattern]) -> None:
    covered = {p.code[:2] for p in verbs}
    missing = [root for root in ROOTS if root not in covered]
    if missing:
        raise DictionaryError(f"{where}: no verb entry for CAMEO roots {', '.join(missing)}")


def _index(patterns: Sequence[Any], keys: Any) -> Mapping[str, tuple[Any, ...]]:
    index: dict[str, list[Any]] = defaultdict(list)
    for pattern in patterns:
        for key in keys(pattern):
            index[key].append(pattern)
    return MappingProxyType({key: tuple(group) for key, group in index.items()})


def _wrapper_index(where: str, wrappers: Sequence[Wrapper]) -> dict[str, Wrapper]:
    index: dict[str, Wrapper] = {}
    for wrapper in wrappers:
        for lemma in wrapper.lemmas:
            if lemma in index:
                kinds = f"{index[lemma].kind} and {wrapper.kind}"
                raise DictionaryError(f"{where}: wrapper lemma {lemma!r} is both {kinds}")
            index[lemma] = wrapper
    return index
