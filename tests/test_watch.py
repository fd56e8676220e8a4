"""`dyadwatch watch` for real: a feed on a local HTTP server that changes between polls, a
watcher in its own process killed with SIGKILL and restarted, a webhook receiver that must
get each alert exactly once. The articles are short texts written for these tests."""

from __future__ import annotations

import json
import os
import queue
import re
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import duckdb
import pytest

from dyadwatch.store.workspace import Workspace
from dyadwatch.watch.check import event_matches
from dyadwatch.watch.rules import EventRule, load_rules
from feed_server import Entry, FeedSite, serve

ENV = {**os.environ, "NO_PROXY": "127.0.0.1,localhost", "no_proxy": "127.0.0.1,localhost"}
CONFIG = """meta: {name: watch-test, version: "1"}
timeout_s: 10
retries: 2
backoff_s: 0.05
max_retry_after_s: 1
host_interval_s: 0.05
max_response_mb: 5
settle_s: 0
webhook_attempts: 3
user_agent: dyadwatch-test
"""
RULES = """rules:
  - name: us-cambodia
    dyad: [USA, KHM]
  - name: thai-conflict
    actor: THA
    quad_class: [4]
  - name: never-fires
    plover: [RETREAT]
    min_goldstein: 9.5
"""
# Four short news items, written for this test (not taken from any article).
SANCTIONS = Entry("sanctions", "Washington targets Cambodian officers",
                  "The United States imposed new sanctions on Cambodia on Monday over the "
                  "expansion of the naval base.\nOfficials in Phnom Penh called the step unfair.")
ENVOY = Entry("envoy", "Prime minister receives envoy", None)
ENVOY_PAGE = ("Cambodian Prime Minister Hun Manet met the Chinese ambassador in Phnom Penh on "
              "Tuesday.\nThe two discussed a new road and a hospital.")
SHELLING = Entry("shelling", "Shelling on the border",
                 "Thai troops shelled Cambodian positions near the border on 2 March 2026.\n"
                 "Villagers on both sides left their homes.")
AID = Entry("aid", "Demining support", None)
AID_PAGE = ("The United States pledged fresh aid to Cambodia for clearing landmines on "
            "Thursday.\nThe money will pay for two hundred deminers.")

POLL_LINE = re.compile(r"poll (\d+): (\d+) new item\(s\), (\d+) ingested .*?([\d.]+)s CPU")


def watch_command(ws: Path, tmp: Path, site: FeedSite, *extra: str) -> list[str]:
    return [sys.executable, "-c", "from dyadwatch.cli import main; main()", "watch",
            f"{site.base}/feed.xml", "--data", str(ws), "--config", str(tmp / "watch.yaml"),
            "--rules", str(tmp / "rules.yaml"), "--webhook", f"{site.base}/hook",
            "--jsonl", str(tmp / "alerts.jsonl"), *extra]


class LogReader:
    """The watcher's stderr, line by line, read in a thread; `wait_poll` blocks for a poll."""

    def __init__(self, proc: subprocess.Popen[str]) -> None:
        self.lines: queue.Queue[str] = queue.Queue()
        self.seen: list[str] = []
        assert proc.stderr is not None
        stream = proc.stderr
        threading.Thread(target=lambda: [self.lines.put(x) for x in stream], daemon=True).start()

    def wait_poll(self, timeout: float = 240) -> tuple[int, int, int, float]:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            try:
                line = self.lines.get(timeout=1)
            except queue.Empty:
                continue
            self.seen.append(line)
            if match := POLL_LINE.search(line):
                number, found, ingested = (int(g) for g in match.groups()[:3])
                return number, found, ingested, float(match.group(4))
        raise AssertionError("no poll logged in time:\n" + "".join(self.seen[-30:]))


def rows(ws: Path, sql: str) -> list[tuple]:
    with Workspace(ws).connect(read_only=True) as con:
        return con.execute(sql).fetchall()



@pytest.fixture(autouse=True)
def _loopback_without_proxy(monkeypatch: pytest.MonkeyPatch) -> None:
    """Requests to the test server go straight to 127.0.0.1 even where a proxy is set."""
    monkeypatch.setenv("no_proxy", "127.0.0.1,localhost")
    monkeypatch.setenv("NO_PROXY", "127.0.0.1,localhost")

def test_watch_ingests_each_item_once_across_polls_and_a_kill(tmp_path: Path) -> None:
    (tmp_path / "watch.yaml").write_text(CONFIG)
    (tmp_path / "rules.yaml").write_text(RULES)
    ws = tmp_path / "ws"
    site = FeedSite(pages={"envoy": ENVOY_PAGE, "aid": AID_PAGE})
    site.publish(SANCTIONS, ENVOY)
    with serve(site):
        proc = subprocess.Popen(watch_command(ws, tmp_path, site, "--every", "2s"), env=ENV,
                                stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        try:
            log = LogReader(proc)
            assert log.wait_poll()[1:3] == (2, 2)  # poll 1: two entries, one via its page
            _, found, ingested, cpu = log.wait_poll()  # poll 2: the feed unchanged
            assert (found, ingested) == (0, 0)
            assert cpu < 1.0, f"a poll with nothing new took {cpu}s of CPU"
            site.publish(SHELLING)
            while (polled := log.wait_poll())[1] == 0:
                pass  # a poll may have begun before the feed changed
            assert polled[1:3] == (1, 1)
            # one coder for the watch: loaded by poll 1, reused by the poll that coded SHELLING
            assert sum("coder loaded" in line for line in log.seen) == 1
        finally:
            proc.send_signal(signal.SIGKILL)
            proc.wait(timeout=30)
        assert proc.stdout is not None
        printed = proc.stdout.read()
        site.publish(AID)  # while no watcher runs
        before_restart = len(site.feed_requests())
        for _ in range(2):  # the restart's poll finds AID; the next finds nothing
            done = subprocess.run(watch_command(ws, tmp_path, site, "--once"), env=ENV,
                                  capture_output=True, text=True, timeout=600)
            assert done.returncode == 0, done.stderr
            printed += done.stdout
        alerts_out = subprocess.run(
            [sys.executable, "-c", "from dyadwatch.cli import main; main()", "alerts",
             "--data", str(ws), "--format", "jsonl"], env=ENV, capture_output=True, text=True,
            timeout=120)

    # each item became one document, read by exactly one ingest
    sources = rows(ws, "SELECT doc_source FROM document_sources")
    for entry in (SANCTIONS, ENVOY, SHELLING, AID):
        assert sum(s.endswith(f"feed.xml#{entry.slug}") for (s,) in sources) == 1, entry.slug
    assert rows(ws, "SELECT count(*) FROM documents") == [(4,)]
    runs = [json.loads(s) for (s,) in rows(ws, "SELECT summary FROM ingest_runs")]
    assert sum(r["new"] for r in runs) == 4
    assert sum(r["failed"] for r in runs) == 0
    assert rows(ws, "SELECT DISTINCT state FROM watch_items") == [("ingested",)]

    # conditional GET: validators sent (also by the restarted watcher), 304 answered
    feed = site.feed_requests()
    assert any(r.status == 304 for r in feed)
    assert all(r.if_none_match and r.if_modified_since for r in feed[1:])
    assert feed[before_restart].if_none_match is not None
    assert feed[-1].status == 304

    # each alert exactly once, everywhere; and exactly the alerts the stored events call for
    rules = load_rules(tmp_path / "rules.yaml")
    with Workspace(ws).connect(read_only=True) as con:
        from dyadwatch.store.events import query_events

        events = query_events(con)
    expected = {(r.name, e.doc_id) for r in rules.rules if isinstance(r, EventRule)
                for e in events if event_matches(r, e)}
    sanctions_doc = next(d for (s, d) in rows(ws, "SELECT doc_source, doc_id FROM "
                                                  "document_sources") if s.endswith("#sanctions"))
    assert ("us-cambodia", sanctions_doc) in expected
    hooked = [(h["rule"], h["events"][0]["doc_id"]) for h in site.hooks]
    assert sorted(hooked) == sorted(expected)  # no repeats, none missing
    assert len({h["alert_id"] for h in site.hooks}) == len(site.hooks)
    assert all(h["events"] and h["events"][0]["sentence"] for h in site.hooks)
    lines = [json.loads(x) for x in (tmp_path / "alerts.jsonl").read_text().splitlines()]
    assert sorted(x["alert_id"] for x in lines) == sorted(h["alert_id"] for h in site.hooks)
    assert sorted(re.findall(r"^ALERT \[([\w.-]+)\]", printed, re.M)) == sorted(
        rule for rule, _ in expected)  # the terminal, once each
    listed = [json.loads(x) for x in alerts_out.stdout.splitlines()]
    assert len(listed) == len(expected)
    assert all(any(c.startswith("webhook:") for c in a["delivered"]) for a in listed)


def test_restart_after_a_kill_between_ingest_and_record_ingests_nothing_twice(
        tmp_path: Path) -> None:
    """A watcher killed after its ingest committed but before it marked the items: the next
    one ingests them again and the ingest finds them stored (unchanged), nothing new."""
    from dyadwatch.settings import Settings
    from dyadwatch.watch import Watcher, ingest_items, load_watch_config, parse_source

    (tmp_path / "watch.yaml").write_text(CONFIG)
    folder = tmp_path / "inbox"
    folder.mkdir()
    (folder / "one.txt").write_text(SANCTIONS.text or "")
    settings = Settings(data_dir=tmp_path / "ws")
    config = load_watch_config(tmp_path / "watch.yaml")

    class Killed(BaseException):
        pass

    def ingest_then_die(paths: list[str], s: Settings) -> int:
        ingest_items(paths, s)
        raise Killed

    first = Watcher(settings, [parse_source(str(folder))], config, ingest=ingest_then_die)
    with pytest.raises(Killed):
        first.poll()
    first.session.close()
    assert rows(settings.data_dir, "SELECT state FROM watch_items") == [("pending",)]
    again = Watcher(settings, [parse_source(str(folder))], config)
    report = again.poll()
    assert (report.ingested, report.new_documents) == (1, 0)
    assert rows(settings.data_dir, "SELECT count(*) FROM documents") == [(1,)]
    assert rows(settings.data_dir, "SELECT state FROM watch_items") == [("ingested",)]
    assert again.poll().ingested == 0  # recorded: not read again
    (folder / "one.txt").write_text((SANCTIONS.text or "") + "\nA third line was added.")
    os.utime(folder / "one.txt", (time.time() - 5, time.time() - 5))
    changed = again.poll()
    assert (changed.found, changed.new_documents) == (1, 1)
    again.session.close()


def test_alerts_lists_nothing_for_a_workspace_without_watching(tmp_path: Path) -> None:
    ws = tmp_path / "ws"
    ws.mkdir()
    duckdb.connect(str(ws / "dyadwatch.duckdb")).close()
    out = subprocess.run([sys.executable, "-c", "from dyadwatch.cli import main; main()",
                          "alerts", "--data", str(ws), "--format", "jsonl"], env=ENV,
                         capture_output=True, text=True, timeout=120)
    assert out.returncode == 0, out.stderr
    assert out.stdout == ""


def test_a_watcher_killed_while_ingesting_loses_nothing(tmp_path: Path) -> None:
    """SIGKILL once the new entry is spooled (its ingest, loading the coder, takes seconds):
    the restarted watcher ingests it, once, and raises its alert once."""
    (tmp_path / "watch.yaml").write_text(CONFIG)
    (tmp_path / "rules.yaml").write_text(RULES)
    ws = tmp_path / "ws"
    site = FeedSite()
    site.publish(SANCTIONS)
    with serve(site):
        proc = subprocess.Popen(watch_command(ws, tmp_path, site, "--every", "1h"), env=ENV,
                                stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        try:
            deadline = time.monotonic() + 120
            while not list((ws / "watch" / "items").glob("*.jsonl")):
                assert time.monotonic() < deadline and proc.poll() is None
                time.sleep(0.05)
            time.sleep(0.5)
        finally:
            proc.send_signal(signal.SIGKILL)
            proc.wait(timeout=30)
        killed_mid_run = rows(ws, "SELECT count(*) FROM documents") == [(0,)]
        done = subprocess.run(watch_command(ws, tmp_path, site, "--once"), env=ENV,
                              capture_output=True, text=True, timeout=600)
        assert done.returncode == 0, done.stderr
    assert rows(ws, "SELECT count(*) FROM documents") == [(1,)]
    assert rows(ws, "SELECT DISTINCT state FROM watch_items") == [("ingested",)]
    runs = [json.loads(s) for (s,) in rows(ws, "SELECT summary FROM ingest_runs "
                                               "WHERE summary IS NOT NULL")]
    assert sum(r["new"] for r in runs) == 1
    assert [h["rule"] for h in site.hooks] == ["us-cambodia"]
    assert killed_mid_run, "the kill came after the ingest: this test saw nothing pending"


def test_a_file_of_urls_polls_pages_once_and_feeds_every_time(tmp_path: Path) -> None:
    from dyadwatch.settings import Settings
    from dyadwatch.watch import Watcher, ingest_items, load_watch_config, parse_source

    (tmp_path / "watch.yaml").write_text(CONFIG)
    site = FeedSite(pages={"envoy": ENVOY_PAGE})
    site.publish(SHELLING)
    urls = tmp_path / "urls.txt"
    with serve(site):
        urls.write_text(f"# what we follow\n{site.base}/feed.xml\n{site.base}/articles/envoy.html\n"
                        "not a url\n")
        watcher = Watcher(Settings(data_dir=tmp_path / "ws"), [parse_source(str(urls))],
                          load_watch_config(tmp_path / "watch.yaml"),
                          ingest=lambda paths, s: ingest_items(paths, s, code=False))
        first = watcher.poll()
        assert (first.found, first.new_documents) == (2, 2)
        second = watcher.poll()
        assert (second.found, second.ingested) == (0, 0)
        pages = [r for r in site.requests if r.path == "/articles/envoy.html"]
        assert len(pages) == 1  # an ingested page is not fetched again
        assert [r.status for r in site.feed_requests()] == [200, 304]
        site.pages["aid"] = AID_PAGE
        urls.write_text(urls.read_text() + f"{site.base}/articles/aid.html\n")  # read each poll
        third = watcher.poll()
        assert (third.found, third.new_documents) == (1, 1)
        watcher.session.close()
    titles = {t for (t,) in rows(tmp_path / "ws", "SELECT title FROM documents")}
    assert "Shelling on the border" in titles
    urls_stored = {u for (u,) in rows(tmp_path / "ws", "SELECT url FROM documents")}
    assert f"{site.base}/articles/envoy.html" in urls_stored
