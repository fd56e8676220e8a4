"""The dashboard in a real browser: Debian's chromium driven by Playwright (no browser download).

Opens the overview, follows dyad -> event -> document, checks the charts are drawn (by
plotly.js, served by the dashboard itself) and visible, and that article text holding markup
is shown as text: no dialog, no injected element, no Content-Security-Policy violation.
Screenshots go to the test's tmp folder.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from conftest import CHROMIUM, LAUNCH_ARGS
from dyadwatch.store.workspace import Workspace
from dyadwatch.web import WebConfig, background_server
from test_web_api import XSS_IMG, XSS_MARKUP, Sample, fill_workspace

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not CHROMIUM.exists(), reason=f"{CHROMIUM} is not installed "
                       "(apt-get install chromium); Playwright's own browsers are never used"),
]


@pytest.fixture()
def site(workspace_dir: Path) -> Iterator[tuple[str, Sample]]:
    sample = fill_workspace(workspace_dir)
    with background_server(WebConfig(data_dir=workspace_dir)) as base:
        yield base, sample


@pytest.fixture()
def browser_page() -> Iterator[tuple[object, list[str], list[str]]]:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), headless=True,
                                    args=LAUNCH_ARGS)
        try:
            page = browser.new_page(viewport={"width": 1280, "height": 900})
            dialogs: list[str] = []
            console: list[str] = []
            page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
            page.on("console", lambda m: console.append(f"{m.type}: {m.text}"))
            page.set_default_timeout(15_000)
            yield page, dialogs, console
        finally:
            browser.close()


def _assert_drawn(page, selector: str) -> None:  # type: ignore[no-untyped-def]
    shapes = page.locator(selector)
    assert shapes.count() > 0, f"no {selector} in the chart"
    box = shapes.first.bounding_box()
    assert box is not None and box["width"] > 0 and box["height"] > 0
    assert shapes.first.is_visible()


def test_dyad_event_document_walk_draws_charts_and_escapes_article_markup(
    site: tuple[str, Sample], browser_page, tmp_path: Path  # type: ignore[no-untyped-def]
) -> None:
    base, sample = site
    page, dialogs, console = browser_page
    page.goto(f"{base}/")
    page.locator('a.dyad[href="/dyad/KHM/USA"]').first.click()
    page.wait_for_url("**/dyad/KHM/USA")
    page.wait_for_function("document.querySelectorAll('.plot[data-drawn]').length >= 2")
    _assert_drawn(page, "#bars-chart .barlayer .point path")
    _assert_drawn(page, "#series-chart .scatterlayer path.js-line")
    bar = page.locator("#bars-chart .barlayer .point path").first
    fill = bar.evaluate("e => getComputedStyle(e).fill")
    assert fill not in ("", "none", "rgb(0, 0, 0)"), "plotly.js did not colour the bars"
    page.screenshot(path=str(tmp_path / "dyad.png"), full_page=True)

    page.locator(f'ol.timeline a[href="/event/{sample.embargo_a}"]').first.click()
    page.wait_for_url(f"**/event/{sample.embargo_a}")
    assert "lifted its arms embargo" in page.locator("blockquote.sentence").inner_text()
    page.locator("#doclink").click()
    page.wait_for_url(f"**/document/{sample.doc_a}*")
    assert page.locator("#s1").is_visible()
    assert page.locator("#doctext .m-quote").count() == 1

    page.fill("input[name=q]", "thanked")
    page.press("input[name=q]", "Enter")
    page.wait_for_url("**/search?q=thanked")
    page.locator(f'ul.doclist a[href="/document/{sample.doc_xss}"]').click()
    page.wait_for_url(f"**/document/{sample.doc_xss}")
    text = page.locator("#doctext")
    assert text.is_visible()
    shown = text.inner_text()
    assert XSS_MARKUP in shown and XSS_IMG in shown
    assert page.locator("#doctext script, #doctext img, img[src=x]").count() == 0
    assert page.locator("script").count() == 0  # the dashboard needs no script at all
    page.screenshot(path=str(tmp_path / "document.png"), full_page=True)
    assert dialogs == []
    assert not [m for m in console if "Content Security Policy" in m], console


def _bar_periods(page) -> set[str]:  # type: ignore[no-untyped-def]
    return set(page.evaluate(
        "() => JSON.parse(document.getElementById('bars-chart-spec').textContent).data"
        ".flatMap(t => t.customdata.map(c => c[0]))"))


def test_the_context_control_filters_the_explorer_through_the_url(
    site: tuple[str, Sample], browser_page, workspace_dir: Path  # type: ignore[no-untyped-def]
) -> None:
    base, sample = site
    with Workspace(workspace_dir).connect() as con:  # the contexts stage's answer, by hand
        con.execute("UPDATE events SET contexts = ['military'] WHERE event_id = ?",
                    [sample.meeting])
    page, dialogs, console = browser_page
    page.goto(f"{base}/dyad/KHM/USA")
    page.wait_for_function("document.querySelectorAll('.plot[data-drawn]').length >= 2")
    assert _bar_periods(page) == {"2025-10", "2025-11", "2025-12"}
    page.select_option("form.filters select[name=context]", "military")
    page.click("form.filters button[type=submit]")
    page.wait_for_url("**context=military*")
    assert "since=" not in page.url  # empty fields stay out of the link
    page.wait_for_function("document.querySelectorAll('.plot[data-drawn]').length >= 2")
    assert _bar_periods(page) == {"2025-11"}
    bars = page.locator("#bars-chart .barlayer .point path")
    assert bars.count() == 1
    box = bars.first.bounding_box()  # plotly's drag layer lies on top: click the point
    assert box and box["height"] > 0
    page.mouse.click(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
    page.wait_for_url("**period=2025-11*")
    assert "context=military" in page.url
    listed = page.locator("#events tr[data-event-id]").evaluate_all(
        "rows => rows.map(r => r.dataset.eventId)")
    assert listed == [sample.meeting]
    assert page.locator("form.filters select[name=context]").input_value() == "military"
    assert dialogs == []
    assert not [m for m in console if "Content Security Policy" in m], console
