"""Hostile and unlucky inputs (issue 12): each one becomes that input's error row (or a
document), never a hang or a crash of the batch; the good files of the same run land."""

from __future__ import annotations

import itertools
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from dyadwatch.ingest import IngestSummary
from dyadwatch.ingest.readers import ReadOptions, read_inputs
from dyadwatch.records import InputError, RawDocument
from dyadwatch.run import ingest_paths
from dyadwatch.settings import Settings
from dyadwatch.store import documents as store
from dyadwatch.store.workspace import Workspace

GOOD = ("The foreign ministers of Cambodia and Thailand met in Bangkok on Monday to discuss "
        "the border. They agreed to meet again next month.")


def alias_bomb(depth: int) -> str:
    """Front matter whose title expands to 9**depth strings when aliases are followed."""
    names = "abcdefghijklmnop"
    lines = [f"a: &a [{', '.join(['lol'] * 9)}]"]
    for parent, child in itertools.pairwise(names[:depth]):
        lines.append(f"{child}: &{child} [{', '.join([f'*{parent}'] * 9)}]")
    return "---\n" + "\n".join(lines) + f"\ntitle: *{names[depth - 1]}\n---\n{GOOD}\n"


def _stored(data: Path) -> tuple[dict[str, str], dict[str, dict]]:
    with Workspace(data).connect(read_only=True) as con:
        errors = {r["source"]: r["reason"] for r in store.query_errors(con)}
        docs = {r["doc_source"]: r for r in store.query_documents(con)}
    return errors, docs


def _read(paths: list[Path | str], **kw: object) -> list[RawDocument | InputError]:
    return list(read_inputs(paths, ReadOptions(**kw)))  # type: ignore[arg-type]


# -- 1: YAML alias bombs and overlong fields ---------------------------------------------------

def test_front_matter_alias_bomb_is_refused_at_once(tmp_path: Path) -> None:
    bomb = tmp_path / "bomb.md"
    bomb.write_text(alias_bomb(9), encoding="utf-8")
    assert bomb.stat().st_size < 1024
    started = time.monotonic()
    [result] = _read([bomb])
    assert time.monotonic() - started < 5
    assert isinstance(result, InputError)
    assert str(bomb) in result.reason and "alias" in result.reason


def test_front_matter_over_its_size_limit_is_refused(tmp_path: Path) -> None:
    (tmp_path / "a.md").write_text(f"---\ntitle: {'x' * 70_000}\n---\n{GOOD}\n", "utf-8")
    [result] = _read([tmp_path / "a.md"])
    assert isinstance(result, InputError) and "over the limit" in result.reason


def test_front_matter_anchor_without_alias_is_refused(tmp_path: Path) -> None:
    (tmp_path / "a.md").write_text(f"---\ntitle: &t Talks resume\n---\n{GOOD}\n", "utf-8")
    [result] = _read([tmp_path / "a.md"])
    assert isinstance(result, InputError) and "anchor" in result.reason


def test_every_metadata_field_is_capped(tmp_path: Path) -> None:
    long, fits = "Talks " * 20_000, "Talks " * 1_500  # front matter itself stays < 64 KB
    (tmp_path / "a.md").write_text(
        f"---\ntitle: {fits}\nauthor: {fits}\ncategory: {fits}\nurl: https://x.org/{'a' * 9000}"
        f"\n---\n{GOOD}\n", "utf-8")
    feed = tmp_path / "f.xml"
    feed.write_text(f"<rss version='2.0'><channel><title>t</title><item><title>{long}</title>"
                    f"<description>{GOOD}</description></item></channel></rss>", "utf-8")
    dump = tmp_path / "d.jsonl"
    dump.write_text(json.dumps({"text": GOOD, "title": long, "author": long}) + "\n", "utf-8")
    results = _read([tmp_path / "a.md", feed, dump], max_field_chars=500)
    assert len(results) == 3 and all(isinstance(r, RawDocument) for r in results), results
    for doc in results:
        assert isinstance(doc, RawDocument)
        for value in (doc.title, doc.author, doc.category, doc.url, doc.published):
            assert value is None or len(value) <= 500
        assert doc.title is not None and doc.title.startswith("Talks Talks")


# -- 2: per-input failures do not stop the batch ----------------------------------------------

FEED_WITH_SURROGATE = (
    "<rss version='2.0'><channel><title>t</title>"
    f"<item><guid>bad</guid><title>Broken &#xD800; char</title><description>{GOOD}"
    "</description></item>"
    f"<item><guid>fine</guid><title>Fine</title><description>{GOOD} The talks went on."
    "</description></item></channel></rss>"
)


def _write_per_input_failures(root: Path) -> list[Path]:
    root.mkdir()
    (root / "month13.md").write_text(f"---\ntitle: A\ndate: 2024-13-01\n---\n{GOOD}\n", "utf-8")
    (root / "hour25.md").write_text(f"---\ntitle: B\ndate: 2024-01-01 25:00:00\n---\n{GOOD}\n",
                                    "utf-8")
    (root / "surrogate.xml").write_text(FEED_WITH_SURROGATE, "utf-8")
    (root / "surrogate.jsonl").write_text('{"id": "s", "text": "Talks \\ud800 ended."}\n', "utf-8")
    undecodable = os.fsencode(root) + b"/name-\xff\xfe.txt"
    with open(undecodable, "wb") as f:
        f.write(f"{GOOD} Undecodable names are fine.".encode())
    loop = root.parent / "loop-arg"
    os.symlink(loop, loop)
    return [root, loop, root.parent / "nul\x00byte.txt"]


def test_per_input_failures_become_error_rows_and_the_seeds_land(
    tmp_path: Path, seeds_dir: Path
) -> None:
    bad = _write_per_input_failures(tmp_path / "bad")
    summary = ingest_paths([*bad, seeds_dir], Settings(data_dir=tmp_path / "ws", batch_size=3))
    errors, docs = _stored(tmp_path / "ws")
    seeds = {str(p) for p in seeds_dir.iterdir()}
    assert seeds <= set(docs)
    by_name = {Path(s.replace("\\x00", "_")).name: r for s, r in errors.items()}
    assert "2024-13-01" in by_name["month13.md"] and "month13.md" in by_name["month13.md"]
    assert "25" in by_name["hour25.md"]
    assert "surrogate" in by_name["surrogate.xml"]  # the feed fails as a whole
    assert "surrogate" in by_name["surrogate.jsonl#s"]
    assert "symlink loop" in by_name["loop-arg"]
    assert "NUL" in by_name["nul_byte.txt"]
    assert any("name-" in s and s.endswith(".txt") for s in docs)  # escaped, stored
    assert summary.failed == len(errors) == 6


# -- 3: dumps judged record by record ----------------------------------------------------------

def test_nul_byte_in_the_first_jsonl_record_costs_only_that_record(tmp_path: Path) -> None:
    dump = tmp_path / "d.jsonl"
    first = b'{"id": "r0", "text": "Zero\x00 byte here."}\n'
    rest = b"".join(json.dumps({"id": f"r{i}", "text": f"{GOOD} Record {i}."}).encode() + b"\n"
                    for i in range(1, 250))
    dump.write_bytes(first + rest)
    results = _read([dump])
    docs = [r for r in results if isinstance(r, RawDocument)]
    errs = [r for r in results if isinstance(r, InputError)]
    assert len(docs) == 249 and len(errs) == 1
    assert f"{dump}:1" in errs[0].reason and "NUL" in errs[0].reason


def test_nul_byte_in_the_first_csv_record_costs_only_that_record(tmp_path: Path) -> None:
    dump = tmp_path / "d.csv"
    rows = [b"id,text", b'r0,"Zero\x00 byte"'] + [f"r{i},{GOOD} Row {i}.".encode()
                                                   for i in range(1, 40)]
    dump.write_bytes(b"\n".join(rows) + b"\n")
    results = _read([dump])
    assert sum(isinstance(r, RawDocument) for r in results) == 39
    [err] = [r for r in results if isinstance(r, InputError)]
    assert f"{dump}:2" in err.reason and "NUL" in err.reason


# -- 6: everything the walker sees ends as a document or an error row -------------------------

def test_fifos_links_and_empty_dumps_in_a_folder_are_error_rows(tmp_path: Path) -> None:
    root = tmp_path / "in"
    root.mkdir()
    (root / "ok.txt").write_text(GOOD, "utf-8")
    os.mkfifo(root / "pipe.txt")
    os.symlink(root / "gone.txt", root / "dangling.txt")
    os.symlink(root / "loop-b", root / "loop-a")
    os.symlink(root / "loop-a", root / "loop-b")
    os.symlink(root, root / "sub-loop")
    (root / "empty.jsonl").write_bytes(b"")
    (root / "blank.jsonl").write_bytes(b"\n\n  \n")
    fifo_arg = tmp_path / "arg.fifo"
    os.mkfifo(fifo_arg)
    results = _read([root, fifo_arg])  # would block forever on opening a FIFO
    reasons = {Path(r.source).name: r.reason for r in results if isinstance(r, InputError)}
    assert [Path(r.doc_source).name for r in results if isinstance(r, RawDocument)] == ["ok.txt"]
    assert "FIFO" in reasons["pipe.txt"] and "FIFO" in reasons["arg.fifo"]
    assert "no such file" not in reasons["arg.fifo"]
    assert "broken symlink" in reasons["dangling.txt"]
    assert "symlink loop" in reasons["loop-a"] and "symlink loop" in reasons["loop-b"]
    assert "symlink loop" in reasons["sub-loop"]
    assert "empty" in reasons["empty.jsonl"] and "no records" in reasons["blank.jsonl"]
    assert all(str(root) in r or str(tmp_path) in r for r in reasons.values())


_UNPRIVILEGED_INGEST = """
import sys
from pathlib import Path
from dyadwatch.run import ingest_paths
from dyadwatch.settings import Settings
ingest_paths([Path(sys.argv[1])], Settings(data_dir=Path(sys.argv[2])))
"""


def _ingest_without_privileges(corpus: Path, data: Path) -> None:
    """Ingest in a child process that file permissions apply to (root ignores them)."""
    def drop() -> None:
        if os.geteuid() == 0:
            os.setgid(65534)
            os.setuid(65534)
    subprocess.run([sys.executable, "-c", _UNPRIVILEGED_INGEST, str(corpus), str(data)],
                   check=True, preexec_fn=drop, timeout=120)


@pytest.fixture()
def open_dir() -> Iterator[Path]:
    """A folder under the system's temporary folder that an unprivileged child can reach."""
    base = Path(tempfile.mkdtemp(prefix="dyadwatch-perm-", dir="/tmp"))
    os.chmod(base, 0o777)
    yield base
    for path in base.rglob("*"):
        if path.is_dir() and not path.is_symlink():
            os.chmod(path, 0o755)
    shutil.rmtree(base, ignore_errors=True)


def test_unreadable_folder_is_an_error_row_and_stale_rows_are_cleared(open_dir: Path) -> None:
    corpus, data = open_dir / "in", open_dir / "ws"
    (corpus / "closed").mkdir(parents=True)
    (corpus / "ok.txt").write_text(GOOD, "utf-8")
    (corpus / "closed" / "inside.txt").write_text(GOOD + " Inside.", "utf-8")
    (corpus / "later.txt").write_text(GOOD + " Later.", "utf-8")
    for path in (open_dir, corpus):
        os.chmod(path, 0o777)
    os.chmod(corpus / "closed", 0o000)
    os.chmod(corpus / "later.txt", 0o000)
    _ingest_without_privileges(corpus, data)
    errors, docs = _stored(data)
    assert "Permission denied" in errors[str(corpus / "closed")]
    assert "Permission denied" in errors[str(corpus / "later.txt")]
    os.chmod(corpus / "later.txt", 0o644)
    _ingest_without_privileges(corpus, data)
    errors, docs = _stored(data)
    assert str(corpus / "later.txt") in docs and str(corpus / "later.txt") not in errors
    assert str(corpus / "closed") in errors
    os.chmod(corpus / "closed", 0o755)


def test_an_error_row_is_cleared_when_the_input_later_lands(tmp_path: Path) -> None:
    corpus = tmp_path / "in"
    corpus.mkdir()
    (corpus / "a.txt").write_bytes(b"")
    (corpus / "d.jsonl").write_text('{"id": "x", "text": ""}\n', "utf-8")
    settings = Settings(data_dir=tmp_path / "ws")
    first = ingest_paths([corpus], settings)
    assert first.failed == 2 and len(_stored(tmp_path / "ws")[0]) == 2
    (corpus / "a.txt").write_text(GOOD, "utf-8")
    (corpus / "d.jsonl").write_text(json.dumps({"id": "x", "text": GOOD + " More."}) + "\n",
                                    "utf-8")
    second: IngestSummary = ingest_paths([corpus], settings)
    errors, docs = _stored(tmp_path / "ws")
    assert second.failed == 0 and errors == {} and len(docs) == 2


# -- 11: per-document limits -------------------------------------------------------------------

def test_a_five_megabyte_line_is_refused_by_the_length_limit(tmp_path: Path,
                                                             seeds_dir: Path) -> None:
    (tmp_path / "in").mkdir()
    huge = tmp_path / "in" / "one-line.txt"
    huge.write_text((GOOD.replace(". ", ", ") + " ") * (5_000_000 // len(GOOD)), "utf-8")
    summary = ingest_paths([tmp_path / "in", seeds_dir], Settings(data_dir=tmp_path / "ws"))
    errors, docs = _stored(tmp_path / "ws")
    assert summary.new == 4 and summary.failed == 1 and str(huge) not in docs
    assert "over the limit of 200,000" in errors[str(huge)]


STEPS = ("Japan pledged aid to Vietnam on Monday.", "Cambodia thanked Thailand for the talks.",
         "France condemned Russia over the strikes.", "China praised Laos for the new railway.",
         "India criticised Pakistan after the border clash.",
         "Germany welcomed Poland to the summit.", "Brazil accused Argentina of dumping steel.",
         "Kenya thanked Uganda for the help.")


def test_sentences_over_the_limit_are_stored_not_coded_and_noted(tmp_path: Path) -> None:
    from dyadwatch.coding.coder import SpacyCoder

    settings = Settings(data_dir=tmp_path / "ws", max_sentences=4)
    (tmp_path / "in").mkdir()
    article = tmp_path / "in" / "many.txt"
    article.write_text("\n".join(STEPS), "utf-8")
    coder = SpacyCoder(settings)
    summary = ingest_paths([tmp_path / "in"], settings, coder)
    assert summary.coded == 1 and summary.failed == 0
    with Workspace(tmp_path / "ws").connect(read_only=True) as con:
        indices = [r[0] for r in con.execute("SELECT sentence_index FROM events").fetchall()]
    assert indices and max(indices) < 4
    errors, docs = _stored(tmp_path / "ws")
    assert "coded the first 4 of 8 sentences" in errors[str(article)]
    assert STEPS[-1] in docs[str(article)]["text"]  # stored whole
    ingest_paths([tmp_path / "in"], settings, coder)  # unchanged: the note still holds
    assert _stored(tmp_path / "ws")[0] == errors
