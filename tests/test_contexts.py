"""PLOVER contexts: the lexicon on sentences written for these tests, its data file, and the
held-out gate on the team's annotated Guardian and seed events."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from dyadwatch.contexts import check_context, load_contexts
from dyadwatch.contexts.annotations import (
    CONTEXT_ANNOTATIONS,
    is_heldout,
    load_context_annotations,
)
from dyadwatch.contexts.evaluate import lexicon_predict, score_contexts
from dyadwatch.contexts.lexicon import lemma
from dyadwatch.errors import DictionaryError

# Measured 2026-12-07: held-out micro-F1 0.842 (142 events, 259 gold contexts); the floor sits
# a little under it. Train part: 0.833 (350 events).
HELDOUT_MICRO_F1_FLOOR = 0.80
REQUIRED = {"military", "economic", "diplomatic", "human_rights", "migration", "terrorism",
            "crime", "cyber", "environment", "health", "election"}


@pytest.fixture(scope="module")
def lexicon():
    return load_contexts()


# Our own sentences: (sentence, CAMEO code, actor codes, contexts that must be there).
OWN_SENTENCES = [
    ("The two navies will hold joint drills off the coast next month.", "042",
     ("USA", "KHM"), {"military"}),
    ("Both trade ministers signed a pact cutting tariffs on rice exports.", "057",
     ("KHMGOV", "VNMGOV"), {"economic"}),
    ("Hackers broke into the ministry's computer network and leaked files.", "173",
     (None, "KHMGOV"), {"cyber"}),
    ("Voters queued for hours to cast ballots in the presidential election.", "010",
     ("CVL", None), {"election"}),
    ("Border guards caught a gang smuggling workers across the river at night.", "173",
     ("THACOP", None), {"trafficking", "crime"}),
    ("The health ministry reported a cholera outbreak in three provinces.", "010",
     ("KHMHLH", None), {"health"}),
    ("A rights group accused the jailers of torturing inmates.", "112",
     ("NGO", "KHMGOV"), {"human_rights"}),
    ("Thousands of refugees crossed into the neighbouring country after the fighting.", "010",
     ("REF", None), {"migration"}),
    ("Jihadists claimed the bombing of a crowded market.", "180",
     ("IMG", "CVL"), {"terrorism"}),
    ("The envoy held talks with the foreign minister in the capital.", "040",
     ("USAGOV", "KHMGOV"), {"diplomatic"}),
    ("The two governments agreed to curb river pollution and protect the forests.", "057",
     ("KHMGOV", "LAOGOV"), {"environment"}),
    ("Inspectors found traces of a nerve agent at the site.", "010",
     ("UNO", None), {"cbrn"}),
]


@pytest.mark.parametrize(("sentence", "cameo", "actors", "expected"), OWN_SENTENCES)
def test_lexicon_gives_the_context_of_our_own_sentences(lexicon, sentence, cameo, actors,
                                                         expected) -> None:
    assert expected <= set(lexicon.assign(sentence, cameo, actors))


def test_a_sentence_about_nothing_in_particular_gets_no_context(lexicon) -> None:
    assert lexicon.assign("The spokesman said so on Tuesday afternoon.", "010",
                          ("KHMGOV", None)) == ()


def test_a_military_actor_gives_the_military_context_without_cue_words(lexicon) -> None:
    sentence = "The ministry said it would answer later."
    assert "military" in lexicon.assign(sentence, "010", ("THAMIL", None))
    assert "military" not in lexicon.assign(sentence, "010", ("THAGOV", None))


def test_state_to_state_statements_are_diplomatic_but_not_from_a_militia(lexicon) -> None:
    sentence = "It warned again that patience was running out."
    assert "diplomatic" in lexicon.assign(sentence, "130", ("THAGOV", "KHMGOV"))
    assert "diplomatic" not in lexicon.assign(sentence, "130", ("IMG", "KHMGOV"))


def test_the_subset_covers_what_users_asked_for_with_plover_names(lexicon) -> None:
    assert set(lexicon.names) >= REQUIRED
    assert all(rule.definition for rule in lexicon.contexts)


def test_lemmas_fold_plurals_only() -> None:
    assert [lemma(w) for w in ("Troops", "allies", "crisis", "bus", "talks", "was")] == [
        "troop", "ally", "crisis", "bus", "talk", "was"]


def test_unknown_context_is_refused_with_the_known_ones() -> None:
    assert check_context(" Military ") == "military"
    with pytest.raises(ValueError, match=r"unknown context 'navy'.*diplomatic"):
        check_context("navy")


def test_a_bad_lexicon_file_names_itself(tmp_path: Path) -> None:
    path = tmp_path / "contexts.yaml"
    path.write_text("meta: {name: c, version: '1'}\ncontexts:\n  military:\n"
                    "    cues: [army]\n    cameo: {'19': lots}\n", encoding="utf-8")
    with pytest.raises(DictionaryError, match=re.escape(str(path))):
        load_contexts(path)


def test_annotation_file_holds_keys_and_labels_only() -> None:
    lines = CONTEXT_ANNOTATIONS.read_text(encoding="utf-8").splitlines()
    assert lines[0].split("\t") == ["key", "cameo", "source", "target", "contexts"]
    names = set(load_contexts().names)
    for line in lines[1:]:
        key, cameo, source, target, contexts = line.split("\t")
        assert re.fullmatch(r"(guardian-sdf-\d+|seeds/[\w.]+):\d+:\d+", key), key
        assert re.fullmatch(r"\d{3,4}", cameo) and len(source) <= 6 and len(target) <= 6
        assert set(filter(None, contexts.split(";"))) <= names
        assert not any(key.startswith(f"guardian-sdf-{n}:") for n in (101, 139, 619, 639))


def test_heldout_micro_f1_gate(shared_dir: Path, lexicon) -> None:
    every = load_context_annotations(shared_dir / "corpus", "all")
    heldout = load_context_annotations(shared_dir / "corpus", "heldout")
    assert len(every) >= 250 and 100 <= len(heldout) <= len(every) // 2
    assert all(is_heldout(ex.article) for ex in heldout)
    assert all(len(ex.sentence) > 20 for ex in heldout)  # offsets still fit the corpus
    micro, _ = score_contexts(heldout, lexicon_predict(lexicon), lexicon.names)
    assert micro.f1 >= HELDOUT_MICRO_F1_FLOOR, (micro.precision, micro.recall, micro.f1)
