"""The HTML brief: self-contained, escaped, sourced, with charts and the hedging index."""

from __future__ import annotations

import re
from html.parser import HTMLParser

import pytest

from dyadwatch.analysis import assign_clusters
from dyadwatch.records import Extraction, Figure, Quote
from dyadwatch.report import write_report
from dyadwatch.store.events import insert_extractions
from test_analysis_support import (
    COMMENT,
    TIMELINE,
    Doc,
    build_workspace,
    event,
    seed_like_events,
)

HOSTILE = '<script>alert("x")</script><img src="https://evil.example/p.png">'
CHINA = Doc("doc-china", "corpus/china.txt", published="2025-12-20",
            url="https://example.org/china")


def _china_events():
    return [
        event(CHINA, 1, "China pledged new loans to Cambodia in December 2025.", "CHN", "KHM",
              "071", "2025-12", "month"),
        event(CHINA, 2, "Beijing and Phnom Penh held talks on 10 December 2025.", "CHN",
              "KHMGOV", "042", "2025-12-10"),
    ]


@pytest.fixture()
def brief(tmp_path):
    ws = build_workspace(tmp_path / "ws", [TIMELINE, COMMENT, CHINA],
                         seed_like_events() + _china_events())
    quote = Quote("q1", TIMELINE.doc_id, TIMELINE.doc_source, 7,
                  "We are opening a new page " + HOSTILE, "A Cambodian minister", "KHMGOV")
    figure = Figure("f1", TIMELINE.doc_id, TIMELINE.doc_source, 8, 12.5, "USD_million",
                    "$12.5 million", "mine clearance funding", "The US gave $12.5 million.")
    with ws.connect() as con:
        insert_extractions(con, [Extraction(TIMELINE.doc_id, quotes=(quote,),
                                            figures=(figure,))])
        assign_clusters(con)
    path = write_report(tmp_path / "ws", "USA", "KHM", tmp_path / "out" / "brief.html")
    return path.read_text(encoding="utf-8")


class _Resources(HTMLParser):
    """Collects every attribute that would make a browser load something."""

    def __init__(self) -> None:
        super().__init__()
        self.loaded: list[str] = []
        self.tags: list[str] = []

    def handle_starttag(self, tag, attrs):
        self.tags.append(tag)
        for name, value in attrs:
            if name in ("src", "href", "srcset", "data", "poster", "xlink:href") and value:
                self.loaded.append(value)


def test_brief_loads_no_external_resource(brief):
    parser = _Resources()
    parser.feed(brief)
    assert not [v for v in parser.loaded if re.match(r"\s*(https?:)?//", v)]
    assert "script" not in parser.tags and "link" not in parser.tags
    assert "iframe" not in parser.tags and "img" not in parser.tags
    assert not re.search(r"url\s*\(", brief, re.I)
    assert not re.search(r"@import", brief, re.I)
    assert not re.search(r"(src|href)\s*=\s*[\"']?\s*https?:", brief, re.I)


def test_article_text_is_escaped(brief):
    assert "<script>" not in brief
    assert "&lt;script&gt;" in brief
    assert "We are opening a new page" in brief


def test_brief_has_timeline_in_date_order_with_evidence(brief):
    order = [brief.index(s) for s in (
        "signed a formal agreement with", "agreed to military cooperation with",
        "eased sanctions on Cambodia", "visited Cambodia")]
    assert order == sorted(order)
    assert "Washington has dropped the weapons ban it placed on Phnom Penh." in brief
    assert "corpus/comment.txt" in brief


def test_brief_has_charts_quotes_figures_and_method(brief):
    assert brief.count("<svg") == 2
    assert "Hedging of KHM" in brief and "CHN" in brief
    assert "$12.5 million" in brief and "mine clearance funding" in brief
    assert "Method and caveats" in brief and "@media print" in brief
    assert "strategic shift or just pragmatism" in brief.lower()
    # the URL of a source is shown as text, not linked
    assert "https://example.org/timeline" in brief


def test_brief_says_not_enough_data_for_a_short_record(brief):
    assert "Not enough data" in brief


def test_missing_workspace_is_a_clear_error(tmp_path):
    from dyadwatch.errors import WorkspaceError

    with pytest.raises(WorkspaceError, match="no workspace"):
        write_report(tmp_path / "none", "USA", "KHM", tmp_path / "b.html")
