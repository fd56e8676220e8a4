"""Direct quotes and their speakers. Example texts are written for these tests; the seed
articles are read at run time."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from dyadwatch.errors import DictionaryError
from dyadwatch.nlp.quotes import extract_quotes, load_quote_lexicon
from dyadwatch.nlp.sentences import split_sentences


def _quotes(text: str) -> list[tuple[str, str | None]]:
    return [(q.text, q.speaker) for q in extract_quotes(text, split_sentences(text))]


def test_said_after_the_quote_gives_the_described_speaker() -> None:
    text = "“The port deal will not change our neutrality,” said a Hanoi-based diplomat."
    assert _quotes(text) == [("The port deal will not change our neutrality",
                              "a Hanoi-based diplomat")]


def test_name_before_verb_drops_the_apposition() -> None:
    text = ("“Both navies gain from the visit,” Mary Okafor, a fellow at a Lagos think tank, "
            "told reporters on Monday.")
    assert _quotes(text)[0][1] == "Mary Okafor"


def test_speaker_before_the_quote_and_pronoun_resolution() -> None:
    text = ("The delegation was led by Ms. Ana Ruiz, an adviser on trade.\n"
            "She said “Our tariffs on rice will fall by half within two years.”")
    assert _quotes(text) == [("Our tariffs on rice will fall by half within two years.",
                              "Ana Ruiz")]


def test_he_added_resolves_to_the_last_speaker() -> None:
    text = ("“The border talks have stalled for a month,” said a senior Thai officer.\n"
            "Trade has slowed since then.\n"
            "“We expect a new round in the spring,” he added.")
    assert [s for _, s in _quotes(text)] == ["a senior Thai officer", "a senior Thai officer"]


def test_short_name_resolves_to_the_full_name_written_earlier() -> None:
    text = ("Lina Haddad, a lecturer in law, noted that the treaty is old.\n"
            "“The treaty has outlived the war that produced it and needs a rewrite,” said Haddad.")
    assert _quotes(text)[0][1] == "Lina Haddad"


def test_quote_split_by_its_attribution_keeps_the_speaker() -> None:
    text = ("“We will keep the base open,” said the defence minister. “Nobody else will "
            "use it while we remain in office.”")
    quotes = _quotes(text)
    assert [s for _, s in quotes] == ["the defence minister", "the defence minister"]
    assert quotes[1][0].startswith("Nobody else will use it")


def test_according_to_gives_the_speaker() -> None:
    text = "“Shipments resumed last week after the ban was lifted,” according to a port official."
    assert _quotes(text)[0][1] == "a port official"


def test_scare_quotes_and_terms_are_not_quotes() -> None:
    text = ("Officials called the ship list a “blacklist” and praised the “ironclad” bond, "
            "while critics cited “democracy and human rights” as pretexts.")
    assert _quotes(text) == []


def test_front_matter_values_are_not_quotes() -> None:
    text = 'title: "A long headline about ports and navies in Asia today"\n\nBody text here.'
    assert _quotes(text) == []


def test_offsets_and_sentence_index_point_into_the_text() -> None:
    text = "Talks ended early. “We will return next month with a new offer,” said the envoy."
    sentences = split_sentences(text)
    quote = extract_quotes(text, sentences)[0]
    assert text[quote.start : quote.end] == quote.text
    assert quote.sentence_index == 1


def _plain(text: str) -> str:
    return text.replace("’", "'").replace("‘", "'")


def test_gold_quotes_of_the_seeds_have_the_right_speaker(seeds_dir: Path,
                                                         gold_path: Path) -> None:
    gold = yaml.safe_load(gold_path.read_text(encoding="utf-8"))["quotes"]
    found: dict[str, list[tuple[str, str | None]]] = {}
    for item in gold:
        if item["doc"] not in found:
            text = (seeds_dir / item["doc"]).read_text(encoding="utf-8")
            found[item["doc"]] = _quotes(text)
        matches = [s for q, s in found[item["doc"]] if _plain(q).startswith(item["starts"])]
        assert matches == [item["speaker"]], (item, found[item["doc"]])
    assert len(gold) == 7


def test_every_seed_quote_has_a_speaker(seeds_dir: Path) -> None:
    for path in sorted(seeds_dir.glob("*.txt")):
        text = path.read_text(encoding="utf-8")
        for quote in extract_quotes(text, split_sentences(text)):
            assert quote.speaker, (path.name, quote.text[:40])
            assert quote.speaker.lower() not in {"he", "she", "they"}


def test_malformed_quote_data_names_the_file(tmp_path: Path) -> None:
    bad = tmp_path / "quotes.yaml"
    bad.write_text("meta: {name: q, version: '1'}\nspeech_verbs: said\n", encoding="utf-8")
    with pytest.raises(DictionaryError, match=r"quotes\.yaml"):
        load_quote_lexicon(bad)


def test_known_people_help_resolve_a_pronoun() -> None:
    text = ("Maria Lopez arrived in Hanoi on Monday.\n"
            "“We will sign nothing until the tariffs go away,” she said.")
    sentences = split_sentences(text)
    assert extract_quotes(text, sentences)[0].speaker is None
    quote = extract_quotes(text, sentences, known_people=[(0, "Maria Lopez")])[0]
    assert quote.speaker == "Maria Lopez"
