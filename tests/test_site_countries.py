"""A site in a pattern's place slot stands for its country (`event_parts.site_countries`), read
through the coder's own Locator: a coder whose Locator is built on another places file gives
the country of that file's site, the same one its event's location names. The places file
here is written by the test; the sentences are our own."""

from __future__ import annotations

import pytest
from spacy.language import Language
from spacy.tokens import Doc, Token

from dyadwatch.coding.coder import SpacyCoder
from dyadwatch.coding.event_parts import site_countries
from dyadwatch.coding.gazetteer import build_gazetteer
from dyadwatch.coding.labelled_score import code_texts
from dyadwatch.coding.locations import Locator, default_locator
from dyadwatch.coding.syntax import noun_phrase
from dyadwatch.nlp.model import load_nlp

# the packaged base under another country, and a site the packaged file does not hold
PLACES = """\
meta: {name: test_places, version: "1", source: written for a test}
places:
  - {id: ream-elsewhere, name: Ream Naval Base, country: THA, lat: 1.0, lon: 2.0,
     precision: site}
  - {id: gannet-cove, name: Gannet Cove Anchorage, country: NZL, lat: -41.0, lon: 174.0,
     precision: site}
  - {id: gannet-town, name: Gannet Town, country: NZL, lat: -41.5, lon: 174.5,
     precision: city}
"""


@pytest.fixture(scope="module")
def nlp() -> Language:
    return load_nlp(ner=False)


@pytest.fixture(scope="module")
def own_locator(tmp_path_factory: pytest.TempPathFactory) -> Locator:
    path = tmp_path_factory.mktemp("places") / "places.yaml"
    path.write_text(PLACES, encoding="utf-8")
    return Locator(gazetteer=build_gazetteer(path))


def _after(doc: Doc, word: str) -> Token:
    """The object of the preposition `word`."""
    return next(t for t in doc if t.dep_ == "pobj" and t.head.lower_ == word)


def test_the_locator_tells_the_country_of_its_own_sites(
    nlp: Language, own_locator: Locator
) -> None:
    doc = nlp("Two frigates docked at the Ream Naval Base after a long patrol.")
    phrase = noun_phrase(_after(doc, "at"))
    assert default_locator().site_country(phrase) == "KHM"
    assert own_locator.site_country(phrase) == "THA"
    other = noun_phrase(_after(nlp("A tanker waited at Gannet Cove Anchorage."), "at"))
    assert default_locator().site_country(other) is None
    assert own_locator.site_country(other) == "NZL"
    town = noun_phrase(_after(nlp("A tanker waited at Gannet Town."), "at"))
    assert own_locator.site_country(town) is None  # a city is no site
    # a name with its "of" phrase: the whole of it ("Temple of Preah Vihear" is one alias)
    temple = noun_phrase(_after(nlp("Pilgrims gathered at the Temple of Preah Vihear."), "at"))
    assert default_locator().site_country(temple) == "KHM"


def test_site_countries_follows_the_locator_it_is_given(
    nlp: Language, own_locator: Locator
) -> None:
    doc = nlp("Two frigates docked at the Ream Naval Base after a long patrol.")
    heads = [_after(doc, "at")]
    packaged = site_countries(heads, default_locator())
    assert [(a.code, a.country, a.role) for a in packaged] == [("KHM", "KHM", None)]
    own = site_countries(heads, own_locator)
    assert [(a.code, a.country, a.role) for a in own] == [("THA", "THA", None)]
    assert own[0].text == "the Ream Naval Base"
    assert site_countries([doc[0]], own_locator) == []  # "Two": no site


def test_a_coder_with_another_places_file_agrees_with_itself(
    coder: SpacyCoder, own_locator: Locator, monkeypatch: pytest.MonkeyPatch
) -> None:
    texts = ["Chinese warships docked at Gannet Cove Anchorage.",
             "Chinese warships docked at Ream Naval Base."]
    packaged = code_texts(coder, texts)
    assert not any(e.target.country == "NZL" for e in packaged[0])
    assert [e.target.country for e in packaged[1]] == ["KHM"]
    monkeypatch.setattr(coder, "locator", own_locator)
    for events, country in zip(code_texts(coder, texts), ("NZL", "THA"), strict=True):
        assert [e.target.country for e in events] == [country]
        # the target and the event's place come from the one gazetteer
        assert [e.location.country if e.location else None for e in events] == [country]
