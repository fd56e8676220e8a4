"""Readers, one per format, on small files written here in our own words."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from dyadwatch.ingest.readers import ReadOptions, read_inputs
from dyadwatch.records import InputError, RawDocument

BODY = (
    "On 3 February 2026 the US Commerce Department removed Cambodia from its export blacklist.\n"
    "Officials in Phnom Penh welcomed the decision the same day."
)


def _read(paths: list[Path | str], **kw: object) -> list[RawDocument | InputError]:
    return list(read_inputs(paths, ReadOptions(**kw)))  # type: ignore[arg-type]


def test_txt_file_is_one_document_with_absolute_source(tmp_path: Path, monkeypatch) -> None:
    (tmp_path / "a.txt").write_text(BODY, encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    [doc] = _read([Path("a.txt")])
    assert isinstance(doc, RawDocument)
    assert doc.doc_source == str((tmp_path / "a.txt").resolve())
    assert doc.text == BODY and doc.fmt == "txt"


def test_markdown_front_matter_gives_metadata(tmp_path: Path) -> None:
    (tmp_path / "a.md").write_text(
        "---\ntitle: Blacklist lifted\ndate: 2026-02-04\norigin_url: https://example.org/x\n"
        "author: Jane Roe\ncategory: NEWS\nlanguage: en\n---\n\n" + BODY, encoding="utf-8")
    [doc] = _read([tmp_path / "a.md"])
    assert isinstance(doc, RawDocument)
    assert (doc.title, doc.author, doc.url, doc.category, doc.language) == (
        "Blacklist lifted", "Jane Roe", "https://example.org/x", "NEWS", "en")
    assert doc.published is not None and doc.published.startswith("2026-02-04")
    assert doc.text.startswith("On 3 February 2026")


def test_html_goes_through_trafilatura_without_comments(tmp_path: Path) -> None:
    paras = "".join(f"<p>{line} It was reported widely in the region.</p>"
                    for line in BODY.split("\n"))
    html = (
        "<html><head><title>Export blacklist</title>"
        "<meta name='author' content='Jane Roe'><meta name='date' content='2026-02-04'></head>"
        f"<body><article><h1>Export blacklist</h1>{paras}</article>"
        "<div class='comments' id='comments'><h3>Comments</h3>"
        "<p>I left this comment to say the decision is bad.</p></div></body></html>"
    )
    (tmp_path / "a.html").write_text(html, encoding="utf-8")
    [doc] = _read([tmp_path / "a.html"])
    assert isinstance(doc, RawDocument), doc
    assert "removed Cambodia from its export blacklist" in doc.text
    assert "I left this comment" not in doc.text
    assert doc.title == "Export blacklist" and doc.author == "Jane Roe"
    assert doc.published == "2026-02-04"


RSS = """<?xml version="1.0"?>
<rss version="2.0"><channel><title>Demo</title><link>https://example.org</link>
<description>d</description>
<item><title>First</title><guid>item-1</guid><link>https://example.org/1</link>
<pubDate>Wed, 04 Feb 2026 10:00:00 GMT</pubDate>
<description>&lt;p&gt;The US removed Cambodia from a blacklist.&lt;/p&gt;
&lt;p&gt;Second line.&lt;/p&gt;</description></item>
<item><title>No id</title><description>Hun Manet met Xi Jinping in Beijing.</description></item>
<item><title>Empty</title><guid>item-3</guid></item>
</channel></rss>"""


def test_feed_entries_become_documents_and_empty_entries_errors(tmp_path: Path) -> None:
    path = tmp_path / "feed.rss"
    path.write_text(RSS, encoding="utf-8")
    first, second, third = _read([path])
    assert isinstance(first, RawDocument) and isinstance(second, RawDocument)
    assert first.doc_source == f"{path}#item-1" and first.published == "2026-02-04"
    lines = [ln.strip() for ln in first.text.split("\n") if ln.strip()]
    assert lines == ["The US removed Cambodia from a blacklist.", "Second line."]
    assert second.doc_source == f"{path}:2"
    assert isinstance(third, InputError) and str(path) in third.reason


def test_feed_is_sniffed_without_a_known_suffix(tmp_path: Path) -> None:
    path = tmp_path / "feed"
    path.write_text(RSS, encoding="utf-8")
    assert isinstance(_read([path])[0], RawDocument)


def test_jsonl_records_with_ids_lines_and_field_mapping(tmp_path: Path) -> None:
    path = tmp_path / "dump.jsonl"
    rows = [{"id": "r1", "body": BODY, "headline": "T1", "published": "2026-02-04"},
            {"body": "Cambodia extradited a businessman to China in January 2026."}]
    path.write_text("\n".join(json.dumps(r) for r in rows) + "\n\n", encoding="utf-8")
    first, second = _read([path], fields={"text": "body", "title": "headline"})
    assert isinstance(first, RawDocument) and isinstance(second, RawDocument)
    assert (first.doc_source, first.title, first.published) == (f"{path}#r1", "T1", "2026-02-04")
    assert second.doc_source == f"{path}:2"


def test_jsonl_without_the_text_field_is_an_error_per_record(tmp_path: Path) -> None:
    path = tmp_path / "dump.jsonl"
    path.write_text(json.dumps({"body": BODY}) + "\n[1, 2]\n", encoding="utf-8")
    first, second = _read([path])
    assert isinstance(first, InputError) and "`text`" in first.reason
    assert isinstance(second, InputError) and f"{path}:2" in second.reason


def test_csv_records(tmp_path: Path) -> None:
    path = tmp_path / "dump.csv"
    path.write_text('id,text,published\nx1,"' + BODY.replace("\n", " ") + '",2026-02-04\n'
                    ',"Second record text here.",\n', encoding="utf-8")
    first, second = _read([path])
    assert isinstance(first, RawDocument) and first.doc_source == f"{path}#x1"
    assert isinstance(second, RawDocument) and second.doc_source == f"{path}:3"


def test_directories_are_read_recursively_in_order(tmp_path: Path) -> None:
    (tmp_path / "b").mkdir()
    (tmp_path / "b" / "two.txt").write_text(BODY + " Two.", encoding="utf-8")
    (tmp_path / "one.md").write_text(BODY, encoding="utf-8")
    (tmp_path / ".hidden.txt").write_text("skipped", encoding="utf-8")
    sources = [r.doc_source for r in _read([tmp_path])]
    assert sources == [str(tmp_path / "b" / "two.txt"), str(tmp_path / "one.md")]


def test_stdin_is_sniffed(tmp_path: Path) -> None:
    stream = io.BytesIO((json.dumps({"id": "s1", "text": BODY}) + "\n").encode())
    [doc] = list(read_inputs(["-"], ReadOptions(), stdin=stream))
    assert isinstance(doc, RawDocument) and doc.doc_source == "<stdin>#s1"
    [plain] = list(read_inputs(["-"], ReadOptions(), stdin=io.BytesIO(BODY.encode())))
    assert isinstance(plain, RawDocument) and plain.text == BODY


@pytest.mark.parametrize("name", ["data.bin", "sheet.xlsx", "noext"])
def test_unknown_type_is_an_error_naming_the_file(tmp_path: Path, name: str) -> None:
    path = tmp_path / name
    path.write_text("plain words that are not markup", encoding="utf-8")
    [err] = _read([path])
    assert isinstance(err, InputError) and str(path) in err.reason and "unknown" in err.reason


def test_missing_path_is_an_error(tmp_path: Path) -> None:
    [err] = _read([tmp_path / "nope.txt"])
    assert isinstance(err, InputError) and "no such file" in err.reason


# ---- properties -------------------------------------------------------------------------

_FIXTURE = HealthCheck.function_scoped_fixture
SAFE_TEXT = st.text(alphabet=st.characters(blacklist_categories=("Cs", "Cc")), min_size=1,
                    max_size=200).filter(lambda s: s.strip())


@settings(max_examples=60, deadline=None, suppress_health_check=[_FIXTURE])
@given(data=st.binary(max_size=2000), suffix=st.sampled_from([".txt", ".md", ".html", ".xml"]))
def test_any_bytes_give_exactly_one_document_or_named_error(tmp_path: Path, data: bytes,
                                                            suffix: str) -> None:
    path = tmp_path / f"input{suffix}"
    path.write_bytes(data)
    results = _read([path])
    assert results, "an input vanished"
    for result in results:
        if isinstance(result, InputError):
            assert str(path) in result.reason
        else:
            assert result.doc_source.startswith(str(path)) and result.text.strip()


@settings(max_examples=60, deadline=None, suppress_health_check=[_FIXTURE])
@given(records=st.lists(st.fixed_dictionaries(
    {"text": SAFE_TEXT}, optional={"id": st.text(alphabet="abcxyz0123-", min_size=1, max_size=8),
                                   "title": SAFE_TEXT}), min_size=1, max_size=6))
def test_jsonl_records_round_trip(tmp_path: Path, records: list[dict]) -> None:
    path = tmp_path / "dump.jsonl"
    path.write_text("\n".join(json.dumps(r) for r in records) + "\n", encoding="utf-8")
    results = _read([path])
    assert len(results) == len(records)
    for line_no, (rec, doc) in enumerate(zip(records, results, strict=True), 1):
        assert isinstance(doc, RawDocument)
        assert doc.text == rec["text"].strip()
        expected = f"{path}#{rec['id']}" if "id" in rec else f"{path}:{line_no}"
        assert doc.doc_source == expected


@settings(max_examples=60, deadline=None, suppress_health_check=[_FIXTURE])
@given(title=SAFE_TEXT, author=SAFE_TEXT)
def test_front_matter_values_round_trip(tmp_path: Path, title: str, author: str) -> None:
    path = tmp_path / "a.md"
    meta = yaml.safe_dump({"title": title, "author": author}, allow_unicode=True)
    path.write_text(f"---\n{meta}---\n\n{BODY}\n", encoding="utf-8")
    [doc] = _read([path])
    assert isinstance(doc, RawDocument)
    assert (doc.title, doc.author) == (title.strip(), author.strip())
    assert doc.text.strip() == BODY


def test_html_dates_come_from_markup_not_from_the_text(tmp_path: Path) -> None:
    paras = "".join(f"<p>{line} Officials met again on 5 March 2026 for more talks.</p>"
                    for line in BODY.split("\n"))
    page = f"<html><head><title>Talks</title></head><body><article>{paras}</article></body></html>"
    (tmp_path / "a.html").write_text(page, encoding="utf-8")
    [doc] = _read([tmp_path / "a.html"])
    assert isinstance(doc, RawDocument) and doc.published is None
