"""The brief opened offline in Debian's chromium (Playwright, no browser download).

The brief is written from a real workspace, opened as a file:// page whose every other
request is aborted and recorded: the charts are drawn (plotly.js from the file itself), no
request left the file, no script error; at 1280 and 390 px the page does not overflow
sideways and no two chart labels overlap (element boxes). A source's link goes to its URL.
Screenshots are kept in the test's tmp folder.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from dyadwatch.analysis import assign_clusters
from dyadwatch.report import write_report
from test_analysis_support import COMMENT, TIMELINE, Doc, build_workspace, event, seed_like_events
from test_web_browser import CHROMIUM
from test_web_explorer import assert_fits

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not CHROMIUM.exists(), reason=f"{CHROMIUM} is not installed "
                       "(apt-get install chromium); Playwright's own browsers are never used"),
]
CHINA = Doc("doc-china", "corpus/china.txt", published="2025-12-20",
            url="https://example.org/china")


@pytest.fixture(scope="module")
def brief_path(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("brief")
    extra = [
        event(CHINA, 1, "China pledged new loans to Cambodia in December 2025.", "CHN", "KHM",
              "071", "2025-12", "month"),
        event(CHINA, 2, "Beijing and Phnom Penh held talks on 10 December 2025.", "CHN",
              "KHMGOV", "042", "2025-12-10"),
    ]
    ws = build_workspace(folder / "ws", [TIMELINE, COMMENT, CHINA], seed_like_events() + extra)
    with ws.connect() as con:
        assign_clusters(con)
    return write_report(folder / "ws", "USA", "KHM", folder / "brief.html", freq="month")


def _offline_page(browser: Any, width: int) -> tuple[Any, list[str], list[str]]:
    """A page on which any request but a file:// one is aborted and recorded."""
    context = browser.new_context(viewport={"width": width, "height": 900})
    attempted: list[str] = []
    problems: list[str] = []

    def route(request_route: Any) -> None:
        url = request_route.request.url
        if url.startswith("file://"):
            request_route.continue_()
        else:
            attempted.append(url)
            request_route.abort()

    context.route("**/*", route)
    page = context.new_page()
    page.on("console", lambda m: problems.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: problems.append(str(e)))
    page.on("request", lambda r: None if r.url.startswith("file://") else attempted.append(
        r.url))
    page.set_default_timeout(60_000)
    return page, attempted, problems


@pytest.mark.parametrize("width", [1280, 390])
def test_the_brief_draws_its_charts_offline_and_fits(
    brief_path: Path, browser: Any, tmp_path: Path, width: int
) -> None:
    page, attempted, problems = _offline_page(browser, width)
    page.goto(brief_path.as_uri())
    page.wait_for_function(
        "document.querySelectorAll('figure.plotly .plot[data-drawn]').length >= 2")
    assert page.locator("#series-chart .js-plotly-plot svg.main-svg").count() >= 1
    assert page.locator("#hedging-chart .js-plotly-plot svg.main-svg").count() >= 1
    line = page.locator("#series-chart .scatterlayer path.js-line").first.bounding_box()
    assert line and line["width"] > 50  # the series is drawn, not an empty frame
    page.screenshot(path=str(tmp_path / f"brief-{width}.png"), full_page=True)
    assert_fits(page, width, "brief")
    assert attempted == [] and problems == [], (attempted, problems)
    page.context.close()


def test_a_source_link_leads_to_its_url_and_opening_loads_nothing(
    brief_path: Path, browser: Any
) -> None:
    page, attempted, _ = _offline_page(browser, 1280)
    page.goto(brief_path.as_uri())
    page.wait_for_function("document.querySelectorAll('.plot[data-drawn]').length >= 2")
    links = page.locator("#sources a[href]")
    # of the dyad's three documents only one has a URL (the China document is no source)
    assert links.evaluate_all("as => as.map(a => a.href)") == ["https://example.org/timeline"]
    assert attempted == []  # nothing fetched until the reader follows a link
    links.first.click()  # following one is a navigation to that URL (aborted here: offline)
    page.wait_for_timeout(500)
    assert attempted and attempted[0] == "https://example.org/timeline"
    page.context.close()
