"""The CAMEO ontology table against the field's reference files; its validator on broken copies."""

from __future__ import annotations

import dataclasses
import re
from pathlib import Path

import pytest

from dyadwatch.coding.ontology import (
    DEFAULT_ONTOLOGY,
    PLOVER_TYPES,
    CameoCode,
    load_ontology,
    quad_class_of_root,
)
from dyadwatch.errors import DictionaryError


def _reference_pairs(path: Path) -> dict[str, str]:
    """code -> second column of a two-column reference lookup file (header skipped)."""
    rows = path.read_text(encoding="utf-8").splitlines()[1:]
    return dict(row.split("\t", 1) for row in rows if row.strip())


@pytest.fixture(scope="module")
def ontology():
    return load_ontology()


def test_every_reference_code_is_present_with_a_name(ontology, shared_dir: Path) -> None:
    reference = _reference_pairs(shared_dir / "reference" / "CAMEO.eventcodes.txt")
    assert len(reference) == 311
    missing = sorted(set(reference) - set(ontology.codes))
    assert missing == []
    extra = sorted(set(ontology.codes) - set(reference))
    assert extra == []
    assert all(ontology.get(code).name.strip() for code in reference)


def test_goldstein_values_equal_the_reference(ontology, shared_dir: Path) -> None:
    reference = _reference_pairs(shared_dir / "reference" / "CAMEO.goldsteinscale.txt")
    wrong = {
        code: (ontology.get(code).goldstein, float(value))
        for code, value in reference.items()
        if ontology.get(code).goldstein != float(value)
    }
    assert wrong == {}


def test_quad_class_follows_the_root(ontology) -> None:
    expected = {1: range(1, 6), 2: range(6, 10), 3: range(10, 15), 4: range(15, 21)}
    for record in ontology:
        assert int(record.root) in expected[record.quad_class], record.code
        assert record.root == record.code[:2]
    assert [quad_class_of_root(f"{n:02d}") for n in (1, 5, 6, 9, 10, 14, 15, 20)] == [
        1, 1, 2, 2, 3, 3, 4, 4,
    ]


def test_plover_types_are_the_sixteen_of_the_reference(ontology, shared_dir: Path) -> None:
    text = (shared_dir / "reference" / "PLOVER-types.md").read_text(encoding="utf-8")
    summary = text.split("## Summary table", 1)[1].split("\n## ", 1)[0]
    reference_types = set(re.findall(r"^\| ([A-Z]+) \|", summary, flags=re.MULTILINE))
    assert reference_types == PLOVER_TYPES
    used = {record.plover for record in ontology}
    assert used <= reference_types
    assert {"ASSAULT", "CONSULT", "AID", "SANCTION"} <= used


def test_known_codes_map_as_cameo_says(ontology) -> None:
    assert ontology.get("057").plover == "SUPPORT"
    assert ontology.get("0312").root == "03"
    assert ontology.get("190").quad_class == 4
    assert ontology.get("042").plover == "CONSULT"
    assert ontology.get("163").goldstein == -8.0
    assert ontology.get("0874").plover == "RETREAT"
    assert "0312" in ontology and "999" not in ontology
    assert ontology.version and ontology.name == "cameo-ontology"


def test_records_are_frozen(ontology) -> None:
    record = ontology.get("040")
    assert isinstance(record, CameoCode)
    with pytest.raises(dataclasses.FrozenInstanceError):
        record.goldstein = 5.0  # type: ignore[misc]


def test_unknown_code_raises_key_error_naming_it(ontology) -> None:
    with pytest.raises(KeyError, match="0999"):
        ontology.get("0999")


def _broken_copy(tmp_path: Path, old: str, new: str) -> Path:
    text = DEFAULT_ONTOLOGY.read_text(encoding="utf-8")
    assert old in text, old
    path = tmp_path / "ontology.tsv"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    return path


@pytest.mark.parametrize(
    ("old", "new", "message"),
    [
        ("057\t1\t8.0\tSUPPORT", "057\t2\t8.0\tSUPPORT", r":\d+: code 057: quad_class 2"),
        ("057\t1\t8.0\tSUPPORT", "057\t1\t8.0\tFRIENDSHIP", r":\d+: code 057: 'FRIENDSHIP'"),
        ("057\t1\t8.0\tSUPPORT", "057\t1\t18.0\tSUPPORT", r":\d+: code 057: Goldstein 18.0"),
        ("057\t1\t8.0\tSUPPORT", "057\t1\teight\tSUPPORT", r":\d+: code 057: quad_class/goldstein"),
        ("057\t1\t8.0\tSUPPORT", "0577\t1\t8.0\tSUPPORT", r"code 0577 has no parent 057"),
        ("057\t1\t8.0\tSUPPORT", "5x7\t1\t8.0\tSUPPORT", r":\d+: '5x7' is not a CAMEO code"),
        ("056\t1\t7.0\tSUPPORT", "057\t1\t7.0\tSUPPORT", r":\d+: code 057 appears twice"),
        ("\tSign a formal agreement\t", "\t\t", r":\d+: code 057: empty name"),
        ("# meta: version=", "# meta: versio=", r"header lacks '# meta: version"),
        ("code\tquad_class", "code\tquad", r":\d+: expected the column row"),
        ("057\t1\t8.0\tSUPPORT\t", "057\t1\t8.0 SUPPORT\t", r":\d+: expected 6 tab-separated"),
    ],
)
def test_broken_table_raises_naming_file_and_line(
    tmp_path: Path, old: str, new: str, message: str
) -> None:
    path = _broken_copy(tmp_path, old, new)
    with pytest.raises(DictionaryError, match=message) as caught:
        load_ontology(path)
    assert str(path) in str(caught.value)


def test_missing_root_is_reported(tmp_path: Path) -> None:
    text = DEFAULT_ONTOLOGY.read_text(encoding="utf-8")
    kept = [line for line in text.splitlines() if not line.startswith("20")]
    path = tmp_path / "ontology.tsv"
    path.write_text("\n".join(kept), encoding="utf-8")
    with pytest.raises(DictionaryError, match="roots missing: 20"):
        load_ontology(path)


def test_unreadable_file_names_the_path(tmp_path: Path) -> None:
    path = tmp_path / "nope.tsv"
    with pytest.raises(DictionaryError, match=r"nope\.tsv: cannot read"):
        load_ontology(path)
