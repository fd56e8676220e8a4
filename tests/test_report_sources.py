"""The brief's sources (outlet, title, date, linked to the stored URL) and its context filter
(`dyadwatch report ... --context X`), on a real workspace and through the CLI entry point."""

from __future__ import annotations

import re
import subprocess
import sys
from dataclasses import replace
from html.parser import HTMLParser
from pathlib import Path

import pytest

from dyadwatch.analysis import assign_clusters
from dyadwatch.errors import ParameterError
from dyadwatch.report import write_report
from test_analysis_support import COMMENT, TIMELINE, Doc, build_workspace, event, seed_like_events
from test_report import offline_problems

# Untitled documents: one with a URL holding a query string, one whose "URL" is a script.
QUERY = Doc("doc-query", "feeds/wire.jsonl#wire-7", published="2025-11-02",
            url="https://example.net/story?id=7&lang=en")
SCRIPTED = Doc("doc-scripted", "feeds/odd.jsonl#odd-1", published="2025-11-20",
               url="javascript:alert(1)")
DRILLS = "On 31 October 2025 both defence chiefs agreed to restart drills."
SHIPS = "A US cruiser called at a Cambodian port from 24 to 28 January 2026."


def _events():
    events = [
        *seed_like_events(),
        event(QUERY, 1, "The US pledged help to Cambodia's border police on 2 November 2025.",
              "USAGOV", "KHM", "051", "2025-11-02"),
        event(SCRIPTED, 1, "Cambodia thanked the US for mine clearance on 20 November 2025.",
              "KHMGOV", "USA", "051", "2025-11-20"),
    ]
    military = {DRILLS, SHIPS}
    return [replace(e, contexts=("military",)) if e.sentence in military else e
            for e in events]


@pytest.fixture(scope="module")
def workspace(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("sources") / "ws"
    ws = build_workspace(folder, [TIMELINE, COMMENT, QUERY, SCRIPTED], _events())
    with ws.connect() as con:
        con.execute("UPDATE documents SET outlet = 'Wire' WHERE doc_id = ?", [QUERY.doc_id])
        con.execute("UPDATE documents SET outlet = 'Ledger' WHERE doc_id = ?",
                    [TIMELINE.doc_id])
        assign_clusters(con)
    return folder


class _Sources(HTMLParser):
    """Each `li.source`: its doc id, the hrefs of its links, its text."""

    def __init__(self) -> None:
        super().__init__()
        self.items: dict[str, dict[str, list[str]]] = {}
        self._doc: str | None = None

    def handle_starttag(self, tag, attrs):
        named = dict(attrs)
        if tag == "li" and named.get("class") == "source":
            self._doc = named["data-doc-id"]
            self.items[self._doc] = {"hrefs": [], "text": []}
        elif tag == "a" and self._doc:
            self.items[self._doc]["hrefs"].append(named.get("href") or "")

    def handle_endtag(self, tag):
        if tag == "li":
            self._doc = None

    def handle_data(self, data):
        if self._doc:
            self.items[self._doc]["text"].append(data)


def _sources(page: str) -> dict[str, tuple[list[str], str]]:
    parser = _Sources()
    parser.feed(page)
    return {d: (v["hrefs"], " ".join("".join(v["text"]).split()))
            for d, v in parser.items.items()}


def test_sources_link_to_their_stored_url_and_untitled_ones_say_something(
    workspace: Path, tmp_path: Path
) -> None:
    page = write_report(workspace, "USA", "KHM", tmp_path / "b.html").read_text("utf-8")
    found = _sources(page)
    assert list(found) == [TIMELINE.doc_id, QUERY.doc_id, COMMENT.doc_id, SCRIPTED.doc_id]
    assert found[TIMELINE.doc_id][0] == [TIMELINE.url]  # href is the stored URL
    assert found[QUERY.doc_id][0] == [QUERY.url]  # & and ? intact (escaped in the HTML)
    assert 'href="https://example.net/story?id=7&amp;lang=en"' in page
    assert found[COMMENT.doc_id][0] == []  # no URL: text only
    assert found[SCRIPTED.doc_id][0] == []  # a javascript: URL is never a link
    assert "javascript:alert(1)" in found[SCRIPTED.doc_id][1]  # shown as text to read
    assert found[TIMELINE.doc_id][1].startswith("Ledger: A year of US-Cambodia steps, 2026-02-10")
    # untitled: the opening words of the text and the record id, not "(untitled)"
    assert "“text of doc-query”" in found[QUERY.doc_id][1]
    assert "wire-7" in found[QUERY.doc_id][1] and "2025-11-02" in found[QUERY.doc_id][1]
    assert "outlet unknown" in found[SCRIPTED.doc_id][1]
    assert "untitled" not in page.lower()
    # each piece of evidence in the timeline leads to its source in the list
    cited = set(re.findall(r'href="#src-([^"]+)"', page))
    assert cited == set(found) and cited <= set(re.findall(r'id="src-([^"]+)"', page))
    assert offline_problems(page, {TIMELINE.url or "", QUERY.url or ""}) == []


def _timeline(page: str) -> str:
    return page[page.index('<section id="timeline">'):page.index('<section id="drivers">')]


def test_a_context_restricts_the_brief_and_its_header_says_so(
    workspace: Path, tmp_path: Path
) -> None:
    every = write_report(workspace, "USA", "KHM", tmp_path / "all.html").read_text("utf-8")
    page = write_report(workspace, "USA", "KHM", tmp_path / "mil.html",
                        context="Military").read_text("utf-8")
    assert 'id="context-filter"' not in every and 'id="context-filter"' in page
    assert "<strong>military</strong>" in page and "(military)" in page.split("</h1>")[0]
    assert DRILLS in _timeline(every) and DRILLS in _timeline(page)
    assert SHIPS in _timeline(page)
    for other in ("signed a trade pact", "ended its weapons ban", "border police"):
        assert other in _timeline(every) and other not in _timeline(page), other
    assert list(_sources(page)) == [TIMELINE.doc_id]  # the military events' one document
    assert "2 events (2 mentions in 1 document from 1 outlet)" in page
    with pytest.raises(ParameterError, match="unknown context 'sports'"):
        write_report(workspace, "USA", "KHM", tmp_path / "x.html", context="sports")
    assert not (tmp_path / "x.html").exists()


def _cli(*args: str) -> subprocess.CompletedProcess[str]:
    command = [sys.executable, "-c", "from dyadwatch.cli import main; main()", *args]
    return subprocess.run(command, capture_output=True, text=True, timeout=600, check=False)


def test_report_context_through_the_cli(workspace: Path, tmp_path: Path) -> None:
    out = tmp_path / "cli.html"
    done = _cli("report", "USA", "KHM", "--data", str(workspace), "-o", str(out),
                "--context", "military")
    assert done.returncode == 0, done.stderr
    page = out.read_text("utf-8")
    assert 'id="context-filter"' in page and SHIPS in page and "border police" not in page
    bad = _cli("report", "USA", "KHM", "--data", str(workspace), "-o",
               str(tmp_path / "bad.html"), "--context", "sports")
    assert bad.returncode == 2 and "unknown context 'sports'" in bad.stderr + bad.stdout
    assert "Traceback" not in bad.stderr and not (tmp_path / "bad.html").exists()
