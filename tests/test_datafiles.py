"""One reader for every data file (`dyadwatch.datafiles`): the same rules for packaged files and
user files, and every packaged YAML file read through it."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

import dyadwatch
from dyadwatch.datafiles import packaged_path, parse_yaml, read_data_file
from dyadwatch.errors import DictionaryError

PACKAGE = Path(dyadwatch.__file__).parent
DATA = PACKAGE / "data"
META = 'meta: {name: test, version: "1"}\n'


def _file(tmp_path: Path, body: str, name: str = "words.yaml") -> Path:
    path = tmp_path / name
    path.write_text(body, encoding="utf-8")
    return path


def test_yaml_1_1_booleans_are_words_and_true_false_are_booleans(tmp_path: Path) -> None:
    path = _file(tmp_path, META + "preps: [on, off, in]\nanswers: [yes, no, y, n]\n"
                 "flags: [true, false, True]\n")
    _, data = read_data_file("unused", path)
    assert data["preps"] == ["on", "off", "in"]
    assert data["answers"] == ["yes", "no", "y", "n"]
    assert data["flags"] == [True, False, True]


def test_only_plain_numbers_are_numbers(tmp_path: Path) -> None:
    path = _file(tmp_path, META + "codes: [057, 10, -3, 0x17FF, 1:30, 2024-05-06, 0.5]\n")
    _, data = read_data_file("unused", path)
    assert data["codes"] == ["057", 10, -3, 0x17FF, "1:30", "2024-05-06", 0.5]


def test_a_key_given_twice_is_refused_naming_file_and_line(tmp_path: Path) -> None:
    path = _file(tmp_path, META + "words:\n  a: 1\n  b: 2\n  a: 3\n")
    with pytest.raises(DictionaryError, match=r"words\.yaml:5: not valid YAML: duplicate key 'a'$"):
        read_data_file("unused", path)


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ("words: [a]\n", r"expected a mapping with a `meta:` header"),
        ("- a\n- b\n", r"expected a mapping with a `meta:` header"),
        ("meta: {name: test}\nwords: [a]\n", r"meta must give name and version"),
        ('meta: {name: test, version: ""}\n', r"meta must give name and version"),
        ("meta: {name: [unclosed\n", r"words\.yaml:\d+: not valid YAML"),
    ],
)
def test_a_malformed_file_is_one_error_naming_it(tmp_path: Path, body: str, message: str) -> None:
    path = _file(tmp_path, body)
    with pytest.raises(DictionaryError, match=message) as caught:
        read_data_file("unused", path)
    assert str(path) in str(caught.value)


def test_an_unreadable_file_is_named(tmp_path: Path) -> None:
    with pytest.raises(DictionaryError, match=r"absent\.yaml: cannot read"):
        read_data_file("unused", tmp_path / "absent.yaml")
    latin = tmp_path / "latin.yaml"
    latin.write_bytes(b"meta: {name: caf\xe9, version: '1'}\n")
    with pytest.raises(DictionaryError, match=r"latin\.yaml: cannot read"):
        read_data_file("unused", latin)


def test_every_packaged_yaml_file_passes_the_common_checks() -> None:
    files = sorted(DATA.rglob("*.yaml"))
    assert len(files) >= 20
    for path in files:
        name = path.relative_to(DATA).as_posix()
        assert packaged_path(name) == path
        label, data = read_data_file(name)
        assert label == f"dyadwatch/data/{name}" and data["meta"]["version"]


def test_no_module_parses_yaml_but_the_reader() -> None:
    """yaml.load / yaml.safe_load appear only in datafiles.py and in the readers of files a
    person writes that are not data files (front matter, gold and sentence sets)."""
    allowed = {"datafiles.py", "ingest/formats.py", "coding/evaluate.py",
               "coding/sentence_sets.py"}
    users = set()
    for path in PACKAGE.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name) \
                    and node.value.id == "yaml" and node.attr in ("load", "safe_load"):
                users.add(path.relative_to(PACKAGE).as_posix())
    assert users <= allowed, sorted(users - allowed)
    assert "datafiles.py" in users


def test_parse_yaml_names_the_label_and_line() -> None:
    with pytest.raises(DictionaryError, match=r"^label\.yaml:2: not valid YAML: [^\n]+$"):
        parse_yaml("a: 1\nb: {c: [1, 2}\n", "label.yaml")
