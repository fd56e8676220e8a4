"""The explorer on guardian-sdf, served by a real `dyadwatch serve`, in Debian's chromium.

The module ingests the 249 Guardian articles once into a temporary workspace (through the CLI,
coded; several minutes on a busy machine). `DYADWATCH_GUARDIAN_WORKSPACE` may name a workspace
already ingested from the same file to reuse (a developer's shortcut; CI leaves it unset).

The issue's test: filter USA–TUR to 2018, material conflict, occurred, in the page's filter
form; click the largest bar; the listed events are exactly those `dyadwatch events` prints
with the same filters and the bar's period. At 1280 and 390 px wide, pages have no sideways
overflow and no two chart labels overlap (element boxes, not screenshots; screenshots are
kept in the test's tmp folder to look at).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from test_web_server import start_server, stop_server

pytestmark = [pytest.mark.slow]
WIDTHS = (1280, 390)
# Chart text whose boxes must not overlap one another: tick labels, axis titles, legend.
CHART_LABELS = ".xtick text, .ytick text, .g-xtitle text, .g-ytitle text, .legendtext"


def _cli(*args: str) -> subprocess.CompletedProcess[str]:
    command = [sys.executable, "-c", "from dyadwatch.cli import main; main()", *args]
    return subprocess.run(command, capture_output=True, text=True, timeout=1800, check=False)


@pytest.fixture(scope="module")
def guardian_ws(guardian_path: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    reuse = os.environ.get("DYADWATCH_GUARDIAN_WORKSPACE")
    if reuse:
        return Path(reuse)
    folder = tmp_path_factory.mktemp("guardian") / "ws"
    done = _cli("ingest", str(guardian_path), "--data", str(folder), "-q")
    assert done.returncode == 0, done.stderr[-2000:]
    return folder


@pytest.fixture(scope="module")
def base(guardian_ws: Path) -> Iterator[str]:
    proc, url = start_server(guardian_ws)
    try:
        yield url
    finally:
        stop_server(proc)


def cli_events(workspace: Path, *options: str) -> list[dict[str, Any]]:
    done = _cli("events", "--data", str(workspace), "-f", "jsonl", *options)
    assert done.returncode == 0, done.stderr[-2000:]
    return [json.loads(line) for line in done.stdout.splitlines() if line.strip()]


# -- without a browser --------------------------------------------------------------------


def _rows(page: str) -> list[str]:
    return [part.split('"', 1)[0] for part in page.split('data-event-id="')[1:]]


def test_search_ignores_accents_and_case(base: str) -> None:
    counts = {}
    for q in ("Erdoğan", "Erdogan", "ERDOGAN", "erdoğan"):
        found = httpx.get(f"{base}/api/search", params={"q": q}, timeout=60).json()
        counts[q] = (found["documents"]["total"], found["events"]["total"])
    assert counts["Erdoğan"][0] > 10 and counts["Erdoğan"][1] > 0
    assert len(set(counts.values())) == 1, counts
    page = httpx.get(f"{base}/search", params={"q": "Erdogan"}, timeout=60).text
    assert 'id="actor-hits"' in page and 'href="/actor/TUR' in page  # actors by name too


def test_documents_page_applies_its_query(base: str) -> None:
    everything = httpx.get(f"{base}/api/documents", params={"limit": 1}, timeout=60).json()
    page = httpx.get(f"{base}/documents", params={"q": "Kurdish"}, timeout=60)
    assert page.status_code == 200
    wanted = httpx.get(f"{base}/api/documents", params={"q": "kurdish", "limit": 1},
                       timeout=60).json()["total"]
    assert 0 < wanted < everything["total"]
    assert f"({wanted})</h1>" in page.text
    assert page.text.count('href="/document/') == min(wanted, 50)


def test_dyad_page_honours_since(base: str) -> None:
    page = httpx.get(f"{base}/dyad/TUR/USA", params={"since": "2019"}, timeout=60).text
    everything = httpx.get(f"{base}/dyad/TUR/USA", timeout=60).text
    dates = [d.split("<", 1)[0] for d in page.split('<span class="date">')[1:]]
    assert dates and all(d >= "2019" for d in dates), dates
    assert page.count('<li class="cluster') < everything.count('<li class="cluster')
    assert 'value="2019"' in page  # the filter form shows it


def test_unknown_actor_is_404_with_suggestions(base: str) -> None:
    unknown = httpx.get(f"{base}/actor/XYZ", timeout=60)
    assert unknown.status_code == 404
    assert "No actor XYZ" in unknown.text
    by_name = httpx.get(f"{base}/actor/Erdogan", timeout=60)
    assert by_name.status_code == 404 and 'href="/actor/TUR' in by_name.text  # a suggestion
    assert httpx.get(f"{base}/actor/TUR", timeout=60).status_code == 200
    found = httpx.get(f"{base}/actors", params={"q": "erdogan"}, timeout=60).text
    assert 'href="/actor/TUR' in found


# -- in chromium ----------------------------------------------------------------------------


def _page(browser: Any, width: int) -> tuple[Any, list[str]]:
    page = browser.new_page(viewport={"width": width, "height": 900})
    problems: list[str] = []
    page.on("console", lambda m: problems.append(m.text) if m.type in ("error", "warning")
            else None)
    page.on("pageerror", lambda e: problems.append(str(e)))
    page.on("response", lambda r: problems.append(f"{r.status} {r.url}") if r.status >= 400
            else None)
    page.set_default_timeout(60_000)
    return page, problems


def _wait_for_charts(page: Any) -> None:
    expected = page.locator("figure.plotly .plot").count()
    page.wait_for_function(f"document.querySelectorAll('.plot[data-drawn]').length >= {expected}")


def _overlaps(a: dict[str, float], b: dict[str, float], slack: float = 0.5) -> bool:
    return (a["x"] + slack < b["x"] + b["width"] and b["x"] + slack < a["x"] + a["width"]
            and a["y"] + slack < b["y"] + b["height"] and b["y"] + slack < a["y"] + a["height"])


def assert_fits(page: Any, width: int, what: str) -> None:
    """No sideways overflow; no two labels of a chart (or of the filter form) overlap, and
    none reaches past the window."""
    scroll = page.evaluate("document.documentElement.scrollWidth")
    assert scroll <= width, f"{what} at {width}px: {scroll}px wide"
    groups = [f"#{c.get_attribute('id')} " for c in page.locator("figure.plotly").all()]
    for group in groups:  # each chart drawn at the size of its box, not squeezed or clipped
        holder = page.locator(group + ".plot").bounding_box()
        drawn = page.locator(group + ".main-svg").first.bounding_box()
        assert holder and drawn and holder["width"] > 0, (what, group)
        assert abs(drawn["width"] - holder["width"]) <= 2, (what, width, group, drawn, holder)
        assert abs(drawn["height"] - holder["height"]) <= 2, (what, width, group, drawn, holder)
    for group in [*groups, "form.filters "]:
        selector = CHART_LABELS if group != "form.filters " else "label"
        boxes = [b for b in (e.bounding_box() for e in page.locator(
            ", ".join(group + s.strip() for s in selector.split(","))).all())
                 if b and b["width"] > 0]
        for box in boxes:
            assert box["x"] >= -0.5 and box["x"] + box["width"] <= width + 0.5, (what, box)
        for i, a in enumerate(boxes):
            for b in boxes[i + 1:]:
                assert not _overlaps(a, b), f"{what} at {width}px: labels overlap in {group}"


def _largest_bar(page: Any) -> dict[str, float]:
    """The box of the top segment of the tallest stacked bar (bars of one period share x)."""
    stacks: dict[int, list[dict[str, float]]] = {}
    for path in page.locator("#bars-chart .barlayer .point path").all():
        box = path.bounding_box()
        if box and box["height"] > 0:
            stacks.setdefault(round(box["x"] + box["width"] / 2), []).append(box)
    assert stacks, "no bar drawn"
    tallest = max(stacks.values(), key=lambda s: sum(b["height"] for b in s))
    return min(tallest, key=lambda b: b["y"])


def _month(date: str) -> str:
    """The month a date counts in (its first day's): "2018" -> "2018-01"."""
    return (date + "-01")[:7]


def _filter_in_form(page: Any, since: str, until: str, quad: str, modality: str) -> None:
    page.fill("form.filters input[name=since]", since)
    page.fill("form.filters input[name=until]", until)
    page.select_option("form.filters select[name=quad]", quad)
    page.select_option("form.filters select[name=modality]", modality)
    page.click("form.filters button[type=submit]")
    page.wait_for_url("**modality=*")


@pytest.mark.browser
@pytest.mark.parametrize("quad", ["4", ""], ids=["material-conflict", "any-kind"])
def test_click_on_the_largest_bar_lists_the_cli_events(
    base: str, guardian_ws: Path, browser: Any, tmp_path: Path, quad: str
) -> None:
    page, problems = _page(browser, 1280)
    page.goto(f"{base}/dyad/USA/TUR")
    _filter_in_form(page, "2018", "2018", quad, "occurred")
    url = page.url
    assert "since=2018" in url and "until=2018" in url and "modality=occurred" in url
    assert (f"quad={quad}" in url) == bool(quad)
    _wait_for_charts(page)
    bar = _largest_bar(page)
    page.mouse.click(bar["x"] + bar["width"] / 2, bar["y"] + min(bar["height"] / 2, 4))
    page.wait_for_url("**period=*")
    period = page.url.split("period=", 1)[1].split("&", 1)[0].split("#", 1)[0]
    listed = page.locator("#events tr[data-event-id]").evaluate_all(
        "rows => rows.map(r => r.dataset.eventId)")
    options = ["--dyad", "USA", "TUR", "--modality", "occurred"]
    options += ["--quad-class", quad] if quad else []
    expected = cli_events(guardian_ws, *options, "--since", period, "--until", period)
    assert listed == [e["event_id"] for e in expected] and listed
    # it was the largest bar: no period of 2018 has more of these events
    per_month = Counter(_month(e["date"]) for e in cli_events(
        guardian_ws, *options, "--since", "2018", "--until", "2018") if e["date"])
    assert len(expected) == max(per_month.values()), (period, per_month)
    page.screenshot(path=str(tmp_path / "explorer-1280.png"), full_page=True)
    assert_fits(page, 1280, "explorer")
    assert problems == [], problems
    page.close()


@pytest.mark.browser
@pytest.mark.parametrize("width", WIDTHS)
def test_pages_fit_the_window_without_overlapping_labels(
    base: str, guardian_ws: Path, browser: Any, tmp_path: Path, width: int
) -> None:
    some = cli_events(guardian_ws, "--dyad", "USA", "TUR", "--since", "2018", "--until", "2018")
    pages = {
        "overview": "/",
        "explorer": "/dyad/USA/TUR?since=2018&until=2018&modality=occurred&quad=4",
        "dyad": "/dyad/TUR/USA",
        "event": f"/event/{some[0]['event_id']}",
        "documents": "/documents?q=Erdogan",
        "search": "/search?q=Erdogan",
    }
    page, problems = _page(browser, width)
    for name, path in pages.items():
        page.goto(base + path)
        _wait_for_charts(page)
        page.screenshot(path=str(tmp_path / f"{name}-{width}.png"), full_page=True)
        assert_fits(page, width, name)
    assert problems == [], problems
    page.close()
