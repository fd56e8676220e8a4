"""The actor data files and their validator; the text matcher and exact lookups (no spaCy)."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from dyadwatch.coding.actor_data import DATA_DIR, load_actor_data
from dyadwatch.coding.actors import ActorDictionary, load_actor_dictionary
from dyadwatch.errors import DictionaryError

CORPUS_COUNTRIES = ("USA", "KHM", "CHN", "THA", "VNM", "JPN", "MYS", "LAO", "SYR", "TUR", "RUS",
                    "IRN", "IRQ", "GBR", "FRA", "ISR", "SAU", "DEU")


def test_every_country_row_is_valid_and_unique() -> None:
    raw = yaml.safe_load((DATA_DIR / "countries.yaml").read_text(encoding="utf-8"))
    codes = list(raw["countries"])
    assert len(codes) == len(set(codes)) >= 249
    data = load_actor_data()
    owners: dict[str, set[str]] = {}
    for entry in data.entries.values():
        if entry.kind != "country":
            continue
        assert len(entry.code) == 3 and entry.code.isupper() and entry.code.isalpha()
        assert entry.name
        for form in {entry.name, *entry.aliases, *entry.adjectives}:
            owners.setdefault(form, set()).add(entry.code)
    shared = {form: isos for form, isos in owners.items() if len(isos) > 1}
    for form, isos in shared.items():
        for iso in isos:
            assert form in data.entries[f"country:{iso}"].ambiguous, (form, isos)


def test_corpus_countries_have_names_adjectives_capitals_and_leaders() -> None:
    data = load_actor_data()
    for iso in CORPUS_COUNTRIES:
        entry = data.entries[f"country:{iso}"]
        assert entry.adjectives and entry.capitals, iso
        people = [e for e in data.entries.values() if e.kind == "person" and e.country == iso]
        assert len(people) >= 3, (iso, [p.name for p in people])


@pytest.mark.parametrize(
    ("name", "date", "code"),
    [
        ("Hun Manet", "2022-05", "KHMMIL"),
        ("Hun Manet", "2024-06", "KHMGOV"),
        ("Manet", "2025-10-31", "KHMGOV"),
        ("Hun Sen", "2020", "KHMGOV"),
        ("Hun Sen", "2025-01", "KHMLEG"),
        ("Lloyd Austin", "2024-06", "USAMIL"),
        ("Pete Hegseth", "2025-10", "USAMIL"),
        ("Mike Pompeo", "2017-06", "USASPY"),
        ("Mike Pompeo", "2019-06", "USAGOV"),
        ("Taliban", "2019", "AFGREB"),
        ("Taliban", "2022-03", "AFGGOV"),
        ("Ahmed al-Sharaa", "2023", "SYRREB"),
        ("al-Sharaa", "2025-03", "SYRGOV"),
        ("Washington", None, "USAGOV"),
        ("Phnom Penh", None, "KHMGOV"),
        ("Türkiye", None, "TUR"),
        ("Ankara", None, "TURGOV"),
        ("U.S.", None, "USA"),
        ("British", None, "GBR"),
        ("United Nations", None, "UNO"),
        ("NATO", None, "NAT"),
        ("ASEAN", None, "ASN"),
        ("USAID", None, "USAGOV"),
        ("Pentagon", None, "USAMIL"),
        ("State Department", None, "USAGOV"),
        ("Human Rights Watch", None, "NGO"),
        ("Isis", None, "IMG"),
        ("SDF", None, "SYRREB"),
        ("PKK", None, "TURREB"),
    ],
)
def test_lookup_gives_date_ranged_codes(
    dictionary: ActorDictionary, name: str, date: str | None, code: str
) -> None:
    actor = dictionary.lookup(name, date)
    assert actor is not None and actor.code == code


def test_lookup_refuses_ambiguous_and_context_forms(dictionary: ActorDictionary) -> None:
    assert dictionary.lookup("Congo") is None  # two countries
    assert dictionary.lookup("Hun") is None  # a Khmer family name alone
    assert dictionary.lookup("the Kingdom") is None  # only with a dominant country
    assert dictionary.lookup("Austin") is None  # a short form: only after the full name
    assert dictionary.lookup("Nobody Atall") is None


def test_hegseth_titles_follow_the_dates() -> None:
    data = load_actor_data()
    from dyadwatch.coding.actors import period_at

    hegseth = data.entries["person:pete_hegseth"]
    early, late = period_at(hegseth.periods, "2025-03"), period_at(hegseth.periods, "2025-10")
    assert early is not None and "Secretary of War" not in early.titles
    assert late is not None and "Secretary of War" in late.titles


def test_find_in_text_flags_modifiers(dictionary: ActorDictionary) -> None:
    text = ("The Chinese-funded port and pro-China voices shaped U.S.–Cambodia relations, "
            "while Beijing paid US$45 million.")
    found = {m.text: m for m in dictionary.find_in_text(text)}
    assert found["Chinese"].is_modifier and found["China"].is_modifier
    assert found["U.S."].is_modifier and found["Cambodia"].is_modifier
    assert not found["Beijing"].is_modifier and found["Beijing"].form == "capital"
    assert "US" not in found  # "US$45" is money, not the United States


def test_non_actor_names_shadow_countries(dictionary: ActorDictionary) -> None:
    text = "Ships crossed the South China Sea to Latin America; The Washington Post reported."
    found = [(m.text, m.key) for m in dictionary.find_in_text(text)]
    assert found == [("The Washington Post", "org:WAPO")]
    assert dictionary.lookup("The Washington Post").code == "USAMED"


def test_named_armed_groups_and_igos_win_over_the_country_inside_them(
    dictionary: ActorDictionary,
) -> None:
    text = ("The Revolutionary Armed Forces of Colombia met ECOWAS envoys; BNP Paribas lent "
            "money while the BNP marched and Boko Haram raided a town.")
    found = [(m.text, dictionary.lookup(m.text).code) for m in dictionary.find_in_text(text)]
    assert found == [("Revolutionary Armed Forces of Colombia", "COLREB"), ("ECOWAS", "WAS"),
                     ("BNP", "BGDOPP"), ("Boko Haram", "NGAREB")]
    assert dictionary.lookup("European Parliament").code == "EECLEG"
    # acronyms match as written only: ordinary lower-case words stay words
    assert [m.text for m in dictionary.find_in_text("who said oas and icc were late")] == []


def test_organisation_and_person_periods_follow_the_date(dictionary: ActorDictionary) -> None:
    assert dictionary.lookup("Rapid Support Forces", "2020-06").code == "SDNMIL"
    assert dictionary.lookup("Rapid Support Forces", "2024-01-10").code == "SDNUAF"
    assert dictionary.lookup("TPLF", "2010").code == "ETHGOV"
    assert dictionary.lookup("TPLF").code == "ETHREB"  # undated: the latest period
    assert dictionary.lookup("Likud", "2007-05").code == "ISROPP"
    assert dictionary.lookup("Abdel Fattah al-Sisi", "2013-08").code == "EGYMIL"
    assert dictionary.lookup("Tusk", "2016").code == "EEC"
    assert dictionary.lookup("Tusk", "2024").code == "POLGOV"


def test_find_in_text_ships_people_and_sentence_final_names(dictionary: ActorDictionary) -> None:
    text = "The USS Carl Vinson and JS Ise sailed past. The deal was signed by Hun Sen."
    found = dictionary.find_in_text(text)
    assert [(m.text, m.key, m.form) for m in found] == [
        ("USS Carl Vinson", "country:USA", "ship"),
        ("JS Ise", "country:JPN", "ship"),
        ("Hun Sen", "person:hun_sen", "name"),
    ]
    assert [m.country for m in found] == ["USA", "JPN", "KHM"]


def test_ruler_patterns_cover_names_and_ships(dictionary: ActorDictionary) -> None:
    patterns = dictionary.ruler_patterns()
    assert all(p["label"] == "ACTOR" and p["id"] for p in patterns)
    by_text = {p["pattern"]: p["id"] for p in patterns if isinstance(p["pattern"], str)}
    assert by_text["Phnom Penh"] == "country:KHM"
    assert by_text["Hegseth"] == "person:pete_hegseth"
    assert "Congo" not in by_text
    assert any(isinstance(p["pattern"], list) and p["pattern"][0] == {"ORTH": "USS"}
               for p in patterns)


# -- the validator ------------------------------------------------------------------------------
META = "meta: {name: test, version: '1', source: tests}\n"


def _user(tmp_path: Path, body: str) -> Path:
    path = tmp_path / "mine.yaml"
    path.write_text(META + body, encoding="utf-8")
    return path


@pytest.mark.parametrize(
    ("body", "words"),
    [
        ("countries:\n  KH: {name: Cambodia}\n", ["country KH", "alpha-3"]),
        ("countries:\n  XAA: {name: Atlantis, capital: [Poseidonia]}\n",
         ["country XAA", "unknown field"]),
        ("countries:\n  XAA: {name: Atlantis, adjectives: [Thai]}\n", ["'Thai'", "ambiguous"]),
        ("organisations:\n  ACME: {name: Acme, country: KHM, role: BOSS}\n",
         ["organisation ACME", "unknown role"]),
        ("organisations:\n  ACME: {name: Acme}\n", ["organisation ACME", "needs `code`"]),
        ("people:\n  - {name: Jo Bloggs, country: KHM, periods: [{start: '2023-13-01'}]}\n",
         ["Jo Bloggs", "period 1", "2023-13-01"]),
        ("people:\n  - {name: Jo Bloggs, country: KHM, periods: [{start: '2024', end: '2020'}]}\n",
         ["Jo Bloggs", "ends"]),
        ("people:\n  - {country: KHM}\n", ["person 1", "missing `name`"]),
        ("people:\n  - {name: A B, country: KHM}\n  - {name: A B, country: KHM}\n",
         ["person:a_b", "twice"]),
        ("organisations:\n  A: {name: A, code: UNO}\n  A: {name: B, code: UNO}\n",
         ["duplicate key"]),
        ("stuff: []\n", ["unknown section"]),
    ],
)
def test_validator_rejects_malformed_files_naming_file_and_entry(
    tmp_path: Path, body: str, words: list[str]
) -> None:
    path = _user(tmp_path, body)
    with pytest.raises(DictionaryError) as info:
        load_actor_data(path)
    message = str(info.value)
    assert str(path) in message
    for word in words:
        assert word in message


def test_validator_requires_meta(tmp_path: Path) -> None:
    path = tmp_path / "nometa.yaml"
    path.write_text("organisations: {}\n", encoding="utf-8")
    with pytest.raises(DictionaryError, match=r"nometa\.yaml.*meta"):
        load_actor_data(path)
    with pytest.raises(DictionaryError, match="cannot read"):
        load_actor_data(tmp_path / "missing.yaml")


def test_user_file_adds_and_overrides_entries(tmp_path: Path) -> None:
    path = _user(tmp_path, (
        "organisations:\n"
        "  ACME: {name: Acme Shipping, country: KHM, role: BUS}\n"
        "  USAID: {name: USAID, country: USA, role: DEV}\n"
        "people:\n"
        "  - {name: Lok Vannak, aliases: [Vannak], country: KHM,\n"
        "     periods: [{start: '2024', role: GOV}]}\n"
        "roles:\n  BUS: [shipping line]\n"
    ))
    dictionary = load_actor_dictionary(path)
    assert dictionary.version == "actors-2026.12.2+test-1"
    assert dictionary.lookup("Acme Shipping").code == "KHMBUS"
    assert dictionary.lookup("USAID").code == "USADEV"
    assert dictionary.lookup("Vannak", "2025").code == "KHMGOV"
    assert [r.role for r in dictionary.find_roles("a big shipping line")] == ["BUS"]
    assert dictionary.lookup("Hun Manet", "2024").code == "KHMGOV"  # packaged entries stay
