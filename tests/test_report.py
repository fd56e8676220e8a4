"""The HTML brief: self-contained, escaped, sourced, with charts and the hedging index."""

from __future__ import annotations

import json
import re
from html.parser import HTMLParser

import pytest

from dyadwatch.analysis import assign_clusters
from dyadwatch.records import Extraction, Figure, Quote
from dyadwatch.report import write_report
from dyadwatch.report.brief import chart_scripts
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


# Elements that make a browser load, embed or submit something (an <a> only navigates when
# the reader follows it).
LOADING_TAGS = {"link", "img", "iframe", "frame", "object", "embed", "video", "audio", "source",
                "track", "picture", "base", "form", "input", "svg", "image", "use", "portal"}
LOADING_ATTRS = {"src", "srcset", "data", "poster", "xlink:href", "action", "formaction",
                 "background", "ping", "manifest", "codebase", "longdesc", "lowsrc"}


class _Resources(HTMLParser):
    """Every element, attribute, script and style of the page, for the offline checks."""

    def __init__(self) -> None:
        super().__init__()
        self.tags: list[str] = []
        self.loaded: list[tuple[str, str, str]] = []  # (tag, attribute, value)
        self.links: list[str] = []  # <a href> values
        self.styles: list[str] = []  # <style> bodies and style="" attributes
        self.scripts: list[tuple[dict[str, str | None], str]] = []
        self._open: str | None = None

    def handle_starttag(self, tag, attrs):
        self.tags.append(tag)
        named = dict(attrs)
        for name, value in attrs:
            if name in LOADING_ATTRS or (name == "href" and tag != "a"):
                self.loaded.append((tag, name, value or ""))
            if name == "style" and value:
                self.styles.append(value)
            if name == "http-equiv" and (value or "").lower() == "refresh":
                self.loaded.append((tag, name, value or ""))
        if tag == "a" and named.get("href"):
            self.links.append(named["href"] or "")
        if tag == "script":
            self.scripts.append((named, ""))
        self._open = tag if tag in ("script", "style") else None

    def handle_data(self, data):
        if self._open == "script":
            attrs, text = self.scripts[-1]
            self.scripts[-1] = (attrs, text + data)
        elif self._open == "style":
            self.styles.append(data)

    def handle_endtag(self, tag):
        self._open = None


def offline_problems(page: str, source_urls: set[str]) -> list[str]:
    """Why the page would not work offline ([] when it would): an element or attribute that
    loads something, a stylesheet with url() or @import, a script with a src or one that is
    not the inlined plotly.min.js or explorer.js, or a link to anything but a source's URL."""
    parser = _Resources()
    parser.feed(page)
    problems = [f"<{t} {a}={v!r}>" for t, a, v in parser.loaded]
    problems += [f"<{t}>" for t in sorted(set(parser.tags) & LOADING_TAGS)]
    problems += [f"style: {s[:60]!r}" for s in parser.styles
                 if re.search(r"url\s*\(|@import|expression\s*\(", s, re.I)]
    plotly, draw = (s.strip() for s in chart_scripts())
    for attrs, text in parser.scripts:
        if "src" in attrs:
            problems.append(f"<script src={attrs['src']!r}>")
        elif attrs.get("type") != "application/json" and text.strip() not in (plotly, draw):
            problems.append(f"unknown script {text.strip()[:60]!r}")
    problems += [f"<a href={h!r}>" for h in parser.links
                 if not h.startswith("#") and h not in source_urls]
    return problems


def test_brief_loads_no_external_resource(brief):
    """One offline file: the only URLs are <a href> links to the sources' stored URLs."""
    assert offline_problems(brief, {"https://example.org/timeline",
                                    "https://example.org/china"}) == []
    # the check finds what it looks for
    for bad in ('<script src="https://cdn.example/p.js"></script>',
                '<link rel="stylesheet" href="s.css">', '<img src="x.png">',
                '<style>@import "https://x.example/a.css";</style>',
                '<div style="background: url(https://x.example/a.png)"></div>',
                '<iframe src="about:blank"></iframe>', '<a href="https://elsewhere.example">x</a>',
                "<script>fetch('https://x.example')</script>"):
        assert offline_problems(brief.replace("</body>", bad + "</body>"),
                                {"https://example.org/timeline"}), bad
    # plotly.min.js inlined once, from the installed package
    plotly = chart_scripts()[0]
    assert brief.count(plotly[:200]) == 1 and brief.count("<script>") == 2


def test_article_text_is_escaped(brief):
    # the brief's own scripts (two chart specifications, plotly.min.js, the drawer) and
    # none from an article (was: no "<script>" at all, before the charts were Plotly)
    assert brief.count("<script") == 4 and '<script>alert("x")' not in brief
    assert '<img src="https://evil' not in brief
    assert "&lt;script&gt;" in brief
    assert "We are opening a new page" in brief


def test_brief_has_timeline_in_date_order_with_evidence(brief):
    order = [brief.index(s) for s in (
        "signed a formal agreement with", "agreed to military cooperation with",
        "eased sanctions on Cambodia", "visited Cambodia")]
    assert order == sorted(order)
    assert "Washington has dropped the weapons ban it placed on Phnom Penh." in brief
    assert "corpus/comment.txt" in brief


def _spec(page: str, chart_id: str) -> dict:
    found = re.search(rf'id="{chart_id}-spec">(.*?)</script>', page, re.S)
    assert found, f"no {chart_id}"
    return json.loads(found.group(1))


def test_brief_has_charts_quotes_figures_and_method(brief):
    assert brief.count('<figure class="chart plotly"') == 2
    series, hedging = _spec(brief, "series-chart"), _spec(brief, "hedging-chart")
    assert series["data"][0]["x"] and len(series["data"][0]["x"]) == len(series["data"][0]["y"])
    assert "all with USA" in hedging["layout"]["yaxis"]["ticktext"]
    assert "all with CHN" in hedging["layout"]["yaxis"]["ticktext"]
    assert "Hedging of KHM" in brief and "CHN" in brief
    assert "$12.5 million" in brief and "mine clearance funding" in brief
    assert "Method and caveats" in brief and "@media print" in brief
    assert "strategic shift or just pragmatism" in brief.lower()
    # the URL of a source is a link to it (was: shown as text, not linked)
    assert "https://example.org/timeline" in brief
    assert '<a href="https://example.org/timeline"' in brief


def test_brief_says_not_enough_data_for_a_short_record(brief):
    assert "Not enough data" in brief


def test_missing_workspace_is_a_clear_error(tmp_path):
    from dyadwatch.errors import WorkspaceError

    with pytest.raises(WorkspaceError, match="no workspace"):
        write_report(tmp_path / "none", "USA", "KHM", tmp_path / "b.html")
