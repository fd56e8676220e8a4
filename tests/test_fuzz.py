"""Fuzzing (issue 12): every reader (txt, md with front matter, html, feed xml, jsonl, csv), a
whole ingest, and the coder behind `dyadwatch code`, on generated hostile input.

Each input must end as documents or error rows naming it, within `DEADLINE` (a hang is a
failure), and nothing may raise. CI runs few examples (`-m fuzz` selects these tests; they run
with the rest). `DYADWATCH_FUZZ_EXAMPLES=N` raises the count; `DYADWATCH_FUZZ_REPORT=FILE`
appends one JSON line per input tried (reader, seconds), which `bench/fuzz.py` sums up.
"""

from __future__ import annotations

import json
import os
import re
import time
from collections.abc import Callable, Iterator
from datetime import timedelta
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from dyadwatch.ingest.readers import ReadOptions, read_inputs
from dyadwatch.records import Document, InputError, RawDocument
from dyadwatch.run import ingest_paths
from dyadwatch.settings import Settings
from dyadwatch.store import documents as store
from dyadwatch.store.workspace import Workspace

pytestmark = pytest.mark.fuzz

EXAMPLES = int(os.environ.get("DYADWATCH_FUZZ_EXAMPLES", "12"))
REPORT = os.environ.get("DYADWATCH_FUZZ_REPORT")
DEADLINE = timedelta(seconds=30)
OPTIONS = ReadOptions(max_file_bytes=1 << 20, max_document_chars=20_000, max_field_chars=300)
FUZZ = settings(max_examples=EXAMPLES, deadline=DEADLINE, database=None,
                suppress_health_check=[HealthCheck.function_scoped_fixture,
                                       HealthCheck.too_slow, HealthCheck.data_too_large])

# pieces that broke readers before, or could: markup, escapes, dates that do not exist,
# YAML anchors, control characters, bidi overrides, NUL, BOMs, surrogate references
PIECES = ("Japan", "Vietnam", "the minister", "said", "pledged aid to", "on Monday", "in 2024",
          "2024-13-01", "2024-01-01 25:00:00", "&#xD800;", "&#55296;", "&#0;", "&#x110000;",
          "&amp;", "&lol;", "\x00", "\ufeff", "---", "…", "“", "”", "'", '"', "<", ">", "&",
          ";", "\n", "\r\n", "\t", "\x1b[2J", "\x1b]0;title\x07", "é", "中国", "🙂", "\u202e",
          "[/x]", "[bold]", "*a", "&a", "{", "}", ":", "#", "-", "9" * 5000, "[" * 300)
WORDS = st.lists(st.sampled_from(PIECES), max_size=60).map(" ".join)
TEXT = st.one_of(st.text(max_size=400), WORDS)
LINE = TEXT.map(lambda s: s.replace("\n", " ").replace("\r", " "))
ENCODINGS = st.sampled_from(["utf-8", "utf-8-sig", "utf-16", "cp1252", "latin-1"])


def _encoded(text: str, encoding: str) -> bytes:
    return text.encode(encoding, "replace") if encoding != "utf-16" else text.encode(
        "utf-16", "surrogatepass")


TXT = st.one_of(st.binary(max_size=3000), st.builds(_encoded, TEXT, ENCODINGS))
YAML_VALUE = st.one_of(
    LINE, st.sampled_from(["&a [lol, lol]", "*a", "[a, [b, [c]]]", "{a: 1}", "!!binary aGk=",
                           "!!python/object/apply:os.system ['true']", "'", "\"", "|", ">"]),
    st.builds("{:04d}-{:02d}-{:02d}".format, st.integers(0, 9999), st.integers(0, 99),
              st.integers(0, 99)),
    st.builds("2024-01-01 {:02d}:{:02d}:00".format, st.integers(0, 99), st.integers(0, 99)),
)
YAML_LINE = st.builds("{}: {}".format, st.sampled_from(
    ["title", "date", "author", "url", "category", "language", "tags", "a", "<<"]), YAML_VALUE)
MARKDOWN = st.builds(lambda lines, body, close: ("---\n" + "\n".join(lines)
                                                 + ("\n---\n" if close else "\n") + body),
                     st.lists(YAML_LINE, max_size=8), TEXT, st.booleans()).map(str.encode)
TAG = st.sampled_from(["p", "div", "script", "article", "b", "table", "td", "h1", "time", "li"])
HTML_PART = st.one_of(TEXT, st.builds("<{0}>{1}</{0}>".format, TAG, TEXT),
                      st.builds("<{}>".format, TAG), st.just("<!-- x"), st.just("<![CDATA["))
HTML = st.builds(
    lambda title, date, parts: (f"<html><head><title>{title}</title><meta name='date' "
                                f"content='{date}'></head><body>{''.join(parts)}</body></html>"),
    LINE, LINE, st.lists(HTML_PART, max_size=12)).map(lambda s: s.encode("utf-8", "replace"))
CHAR_REF = st.builds("&#{};".format, st.one_of(st.integers(0, 0x110010),
                                               st.integers(0xD800, 0xDFFF)))
FEED_TEXT = st.one_of(TEXT, CHAR_REF, st.builds("<![CDATA[{}]]>".format, TEXT))
ITEM = st.builds(
    "<item><title>{}</title><guid>{}</guid><pubDate>{}</pubDate><description>{}</description>"
    "</item>".format, FEED_TEXT, LINE, LINE, FEED_TEXT)
FEED = st.builds(
    lambda doctype, items: (f"<?xml version='1.0'?>{doctype}<rss version='2.0'><channel>"
                            f"<title>t</title>{''.join(items)}</channel></rss>"),
    st.sampled_from(["", "<!DOCTYPE r [<!ENTITY lol 'lol'>]>", "<!DOCTYPE rss>"]),
    st.lists(ITEM, max_size=5)).map(lambda s: s.encode("utf-8", "surrogatepass"))
JSON_VALUE = st.recursive(st.one_of(st.none(), st.booleans(), st.integers(), st.floats(), TEXT),
                          lambda inner: st.lists(inner, max_size=3), max_leaves=6)
RECORD = st.fixed_dictionaries({}, optional={
    "id": st.one_of(LINE, st.integers()), "text": st.one_of(TEXT, JSON_VALUE), "title": TEXT,
    "published": st.one_of(LINE, st.integers()), "language": LINE})
JSONL_LINE = st.one_of(RECORD.map(lambda r: json.dumps(r).encode("utf-8", "surrogatepass")),
                       st.binary(max_size=200), st.just(b"[" * 5000),
                       st.just(b'{"text": "\\u0000"}'))
JSONL = st.builds(lambda lines, sep: sep.join(lines), st.lists(JSONL_LINE, max_size=8),
                  st.sampled_from([b"\n", b"\r\n"]))
CSV_FIELD = st.one_of(LINE, TEXT.map(lambda s: '"' + s.replace('"', '""') + '"'),
                      st.sampled_from(['"', '""', "\x00", ",", '"a""b']))
CSV = st.builds(lambda header, rows: "\n".join([header] + [",".join(r) for r in rows]),
                st.sampled_from(["id,text,title", "text", "a,b", ""]),
                st.lists(st.lists(CSV_FIELD, max_size=4), max_size=8)).map(
                    lambda s: s.encode("utf-8", "surrogatepass"))
READERS = {".txt": TXT, ".md": MARKDOWN, ".html": HTML, ".xml": FEED, ".jsonl": JSONL,
           ".csv": CSV}
_SURROGATE = re.compile("[\ud800-\udfff]")


def _report(kind: str, seconds: float) -> None:
    if REPORT:
        with open(REPORT, "a", encoding="utf-8") as f:
            f.write(json.dumps({"kind": kind, "seconds": round(seconds, 4)}) + "\n")


def _timed(kind: str, fn: Callable[[], object]) -> object:
    started = time.perf_counter()
    try:
        return fn()
    finally:
        _report(kind, time.perf_counter() - started)


def _check(path: Path, results: list[RawDocument | InputError]) -> None:
    """Documents or error rows naming the file; nothing that cannot be stored or shown."""
    assert results, f"{path} vanished"
    for result in results:
        if isinstance(result, InputError):
            assert str(path) in result.reason and result.source.startswith(str(path))
            assert not _SURROGATE.search(result.reason)
            continue
        assert result.doc_source.startswith(str(path)) and result.text.strip()
        assert len(result.text) <= OPTIONS.max_document_chars
        for value in (result.text, result.title, result.author, result.url, result.published):
            assert value is None or not _SURROGATE.search(value)
        for value in (result.title, result.author, result.url, result.category):
            assert value is None or len(value) <= OPTIONS.max_field_chars


def _fresh(tmp_path: Path, name: str) -> Iterator[Path]:
    count = 0
    while True:
        count += 1
        yield tmp_path / f"{count}-{name}"


@pytest.mark.parametrize("suffix", sorted(READERS))
def test_every_reader_survives_hostile_input(tmp_path: Path, suffix: str) -> None:
    names = _fresh(tmp_path, f"input{suffix}")

    @FUZZ
    @given(data=READERS[suffix])
    def run(data: bytes) -> None:
        path = next(names)
        path.write_bytes(data)
        results = _timed(suffix, lambda: list(read_inputs([path], OPTIONS)))
        assert isinstance(results, list)
        _check(path, results)

    run()


def test_a_whole_ingest_of_hostile_files_records_every_input(tmp_path: Path) -> None:
    folders = _fresh(tmp_path, "run")

    @settings(FUZZ, max_examples=max(2, EXAMPLES // 4))
    @given(files=st.fixed_dictionaries(READERS))
    def run(files: dict[str, bytes]) -> None:
        root = next(folders)
        (root / "in").mkdir(parents=True)
        for suffix, data in files.items():
            (root / "in" / f"input{suffix}").write_bytes(data)
        settings_ = Settings(data_dir=root / "ws", batch_size=3)
        summary = _timed("ingest", lambda: ingest_paths([root / "in"], settings_))
        with Workspace(root / "ws").connect(read_only=True) as con:
            seen = {r["source"] for r in store.query_errors(con)}
            seen |= {s for r in store.query_documents(con) for s in r["sources"]}
        for suffix in files:
            path = str(root / "in" / f"input{suffix}")
            assert any(s == path or s.startswith((path + ":", path + "#")) for s in seen), path
        assert summary is not None

    run()


SENTENCE = st.lists(st.sampled_from((
    "Japan", "Vietnam", "Cambodia", "the United States", "Russia's foreign minister", "Hun Sen",
    "the UN", "pledged", "sent aid to", "condemned", "met", "will meet", "did not attack",
    "may sanction", "said", "“", "”", "\"", "on Monday", "last week", "on 3 March 2024",
    "in 1999", "$5 billion", "40%", "two", ".", ",", ";", "?", "!", "\n", "(", ")", "—", "'s",
    "[/x]", "\x00", "\u202e", "中国", "🙂", "a" * 300)), max_size=40).map(" ".join)


def test_code_survives_hostile_text(coder) -> None:
    @FUZZ
    @given(text=st.one_of(SENTENCE, st.text(max_size=300)),
           published=st.one_of(st.none(), st.dates().map(lambda d: d.isoformat())))
    def run(text: str, published: str | None) -> None:
        doc = Document(doc_id=Document.id_for(text), doc_source="<text>", text=text, title=None,
                       published=published, published_precision="day" if published else
                       "unknown", language="en")
        pairs = _timed("code", lambda: coder.code([doc]))
        assert isinstance(pairs, list) and len(pairs) == 1
        [(_, extraction)] = pairs
        assert extraction.doc_id == doc.doc_id
        assert all(e.sentence_index >= 0 and e.doc_id == doc.doc_id for e in extraction.events)

    run()
