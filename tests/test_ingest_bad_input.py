"""A corpus of bad inputs generated here: no crash; every input a document or a named error."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from dyadwatch.run import ingest_paths
from dyadwatch.settings import Settings
from dyadwatch.store import documents as store
from dyadwatch.store.workspace import Workspace

GOOD = ("The foreign ministers of Cambodia and Thailand met in Bangkok on Monday to discuss "
        "the border. They agreed to meet again next month.")

BOMB = """<?xml version="1.0"?>
<!DOCTYPE lolz [
 <!ENTITY lol "lol">
 <!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
 <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
 <!ENTITY lol4 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">
 <!ENTITY lol5 "&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;">
]>
<rss version="2.0"><channel><title>&lol5;</title>
<item><title>x</title><description>&lol5;</description></item></channel></rss>"""


def _write_corpus(root: Path) -> dict[str, str]:
    """The bad files; values say what each must become: 'doc' or 'error'."""
    root.mkdir()
    (root / "empty.txt").write_bytes(b"")
    (root / "binary.txt").write_bytes(bytes(range(256)) * 64)
    with (root / "huge.txt").open("wb") as f:
        line = (GOOD + "\n").encode()
        f.write(line * (50 * 1024 * 1024 // len(line) + 1))
    (root / "bad-utf8.txt").write_bytes(GOOD.encode() + b" \xff\xfe\xc3 broken bytes.")
    (root / "latin1.txt").write_bytes(("Le ministre a déclaré à Phnom Penh que la coopération "
                                       "était très importante pour l'économie.").encode("latin-1"))
    (root / "broken.html").write_text(f"<html><body><div><p>{GOOD} <b>unclosed <<<>>> &&&",
                                      "utf-8")
    (root / "notext.html").write_text("<html><head><title>x</title></head><body><div><ul><li>",
                                      "utf-8")
    (root / "dump.jsonl").write_text(json.dumps({"id": "ok", "text": GOOD}) + "\n"
                                     + '{"id": "cut", "text": "The minis', "utf-8")
    (root / "nofence.md").write_text("---\ntitle: Never closed\ndate: 2025-01-01\n\n" + GOOD,
                                     "utf-8")
    (root / "bomb.xml").write_text(BOMB, "utf-8")
    (root / "picture.png").write_bytes(b"\x89PNG\r\n\x1a\n" + os.urandom(512))
    return {
        "empty.txt": "error", "binary.txt": "error", "huge.txt": "error",
        "bad-utf8.txt": "doc", "latin1.txt": "doc", "broken.html": "doc", "notext.html": "error",
        "dump.jsonl#ok": "doc", "dump.jsonl:2": "error", "nofence.md": "error",
        "bomb.xml": "error", "picture.png": "error",
    }


@pytest.fixture(scope="module")
def outcome(tmp_path_factory) -> tuple[dict[str, str], dict[str, str], dict[str, dict], object]:
    base = tmp_path_factory.mktemp("bad")
    expected = _write_corpus(base / "corpus")
    summary = ingest_paths([base / "corpus"], Settings(data_dir=base / "ws", batch_size=4))
    with Workspace(base / "ws").connect(read_only=True) as con:
        errors = {Path(r["source"]).name: r["reason"] for r in store.query_errors(con)}
        docs = {Path(r["doc_source"]).name: r for r in store.query_documents(con)}
    return expected, errors, docs, summary


def test_every_input_is_a_document_or_an_error(outcome) -> None:
    expected, errors, docs, summary = outcome
    for name, kind in expected.items():
        assert (name in docs) == (kind == "doc"), (name, errors.get(name))
        assert (name in errors) == (kind == "error"), name
    assert summary.failed == sum(1 for k in expected.values() if k == "error")


def test_error_reasons_name_the_file(outcome, tmp_path_factory) -> None:
    _, errors, _, _ = outcome
    for name, reason in errors.items():
        assert name in reason and "/" in reason, reason


@pytest.mark.parametrize(("name", "words"), [
    ("empty.txt", "empty"), ("binary.txt", "binary"), ("huge.txt", "MB is over the limit"),
    ("nofence.md", "never closed"), ("bomb.xml", "entit"), ("dump.jsonl:2", "invalid JSON"),
    ("picture.png", "unknown file type"),
])
def test_error_reasons_say_why(outcome, name: str, words: str) -> None:
    _, errors, _, _ = outcome
    assert words in errors[name]


def test_huge_file_reason_gives_its_size(outcome) -> None:
    _, errors, _, _ = outcome
    assert "50.0 MB" in errors["huge.txt"]


def test_broken_html_keeps_its_text(outcome) -> None:
    _, _, docs, _ = outcome
    assert GOOD.split(". ")[0] in docs["broken.html"]["text"]


def test_latin1_text_is_decoded(outcome) -> None:
    _, _, docs, _ = outcome
    assert "déclaré" in docs["latin1.txt"]["text"]
    assert docs["latin1.txt"]["language"] == "fr"


def test_rerun_adds_no_error_rows(outcome, tmp_path_factory) -> None:
    _, errors, _, _ = outcome
    base = tmp_path_factory.mktemp("bad2")
    _write_corpus(base / "corpus")
    for _ in range(2):
        ingest_paths([base / "corpus"], Settings(data_dir=base / "ws"))
    with Workspace(base / "ws").connect(read_only=True) as con:
        assert store.count_rows(con, "errors") == len(errors)


def test_dump_with_an_overlong_line_and_a_binary_dump(tmp_path: Path) -> None:
    from dyadwatch.ingest.readers import ReadOptions, read_inputs
    from dyadwatch.records import InputError, RawDocument

    dump = tmp_path / "long.jsonl"
    dump.write_text(json.dumps({"text": "x" * 5000}) + "\n" + json.dumps({"text": GOOD}) + "\n",
                    encoding="utf-8")
    first, second = read_inputs([dump], ReadOptions(max_document_chars=200))
    assert isinstance(first, InputError) and f"{dump}:1" in first.reason
    assert "longer" in first.reason
    assert isinstance(second, RawDocument) and second.doc_source == f"{dump}:2"
    binary = tmp_path / "bin.jsonl"
    binary.write_bytes(b"\x00\x01\x02" * 4000)
    [err] = read_inputs([binary], ReadOptions())
    assert isinstance(err, InputError) and "binary" in err.reason and str(binary) in err.reason
