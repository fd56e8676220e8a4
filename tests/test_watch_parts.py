"""The watcher's parts: rule files and their one-line errors, the HTTP client (retries,
back-off, pace, conditional GET) against a real server on 127.0.0.1, sources, durations."""

from __future__ import annotations

import time
from importlib import resources
from pathlib import Path

import pytest
import typer

from dyadwatch.cli.watch_cmds import parse_every
from dyadwatch.records import Actor, Event
from dyadwatch.watch import Fetcher, FetchError, WatchConfig, load_rules, parse_source
from dyadwatch.watch.check import _crossing, event_matches
from dyadwatch.watch.rules import ChangePointRule, EventRule, HedgingRule, RuleFileError
from dyadwatch.watch.sources import SourceKind, WatchSourceError, read_url_file
from feed_server import Entry, FeedSite, serve

FAST = WatchConfig(timeout_s=5, retries=2, backoff_s=0.01, max_retry_after_s=0.5,
                   host_interval_s=0.0)



@pytest.fixture(autouse=True)
def _loopback_without_proxy(monkeypatch: pytest.MonkeyPatch) -> None:
    """Requests to the test server go straight to 127.0.0.1 even where a proxy is set."""
    monkeypatch.setenv("no_proxy", "127.0.0.1,localhost")
    monkeypatch.setenv("NO_PROXY", "127.0.0.1,localhost")

def test_example_rule_file_loads_every_kind() -> None:
    path = resources.files("dyadwatch").joinpath("examples", "alert-rules.yaml")
    rules = load_rules(Path(str(path)))
    kinds = {type(r) for r in rules.rules}
    assert kinds == {EventRule, ChangePointRule, HedgingRule}
    conflict = next(r for r in rules.rules if r.name == "us-cambodia-material-conflict")
    assert isinstance(conflict, EventRule)
    assert conflict.dyad == ("USA", "KHM") and conflict.quad_class == {4}
    assert conflict.min_goldstein == 5


@pytest.mark.parametrize(("rule", "field", "why"), [
    ("{name: a, quad_class: [5]}", "quad_class", "5 is not one of 1, 2, 3, 4"),
    ("{name: a, plover: [ATTACK]}", "plover", "ATTACK is not one of"),
    ("{name: a, root: ['21']}", "root", "21 is not one of"),
    ("{name: a, modality: [rumoured]}", "modality", "rumoured is not one of"),
    ("{name: a, min_goldstein: 12}", "min_goldstein", "not a number from 0 to 10"),
    ("{name: a, dyad: [USA]}", "dyad", "not a list of two actor codes"),
    ("{name: a, actor: 'u s'}", "actor", "not an actor code"),
    ("{name: a, context: [military]}", "context", "not supported yet"),
    ("{name: a, colour: red}", "colour", "unknown field"),
    ("{name: a, kind: trend}", "kind", "is not one of"),
    ("{name: a, kind: hedging, focal: KHM, a: USA, b: KHM, crosses: 0}", "b", "different"),
    ("{name: a, kind: hedging, focal: KHM, a: USA, b: CHN}", "crosses", "not a number"),
    ("{name: a, kind: change_point, dyad: [USA, KHM], metric: mood}", "metric", "mood"),
    ("{name: a, kind: change_point, dyad: [USA, KHM], freq: week}", "freq", "week"),
])
def test_a_bad_rule_is_one_line_naming_file_rule_and_field(
        tmp_path: Path, rule: str, field: str, why: str) -> None:
    path = tmp_path / "alerts.yaml"
    path.write_text(f"rules:\n  - {{name: ok, actor: KHM}}\n  - {rule}\n")
    with pytest.raises(RuleFileError) as caught:
        load_rules(path)
    message = str(caught.value)
    assert "\n" not in message
    assert message.startswith(f"{path}: rule a: field `{field}`: ")
    assert why in message


@pytest.mark.parametrize(("text", "why"), [
    ("rules: []", "non-empty `rules:` list"),
    ("rules: [oops", "not valid YAML"),
    ("rules:\n  - {actor: KHM}", "rule #1: field `name`"),
    ("rules:\n  - {name: x, actor: KHM}\n  - {name: x, actor: USA}", "rule x: field `name`: used"),
])
def test_a_bad_rule_file_is_one_line(tmp_path: Path, text: str, why: str) -> None:
    path = tmp_path / "alerts.yaml"
    path.write_text(text)
    with pytest.raises(RuleFileError, match=why) as caught:
        load_rules(path)
    assert str(caught.value).startswith(str(path)) and "\n" not in str(caught.value)


def _event(src: str, tgt: str, quad: int, goldstein: float, negated: bool = False) -> Event:
    return Event(event_id="e", doc_id="d", doc_source="s", sentence_index=0, sentence="x",
                 date=None, date_end=None, date_precision="unknown",
                 source=Actor(code=src, country=src[:3], role=None, text=src),
                 target=Actor(code=tgt, country=tgt[:3], role=None, text=tgt), cameo="190",
                 root="19", quad_class=quad, goldstein=goldstein, plover="ASSAULT",
                 modality="occurred", negated=negated, confidence=1.0, coder_version="t",
                 dictionary_version="t")


def test_event_rules_match_codes_by_prefix_in_either_direction() -> None:
    rule = EventRule("r", dyad=("USA", "KHM"), quad_class=frozenset({4}), min_goldstein=5)
    assert event_matches(rule, _event("KHMMIL", "USAGOV", 4, -10))
    assert not event_matches(rule, _event("KHMMIL", "CHNGOV", 4, -10))
    assert not event_matches(rule, _event("KHMMIL", "USAGOV", 3, -10))
    assert not event_matches(rule, _event("KHMMIL", "USAGOV", 4, -4))
    assert not event_matches(rule, _event("KHMMIL", "USAGOV", 4, -10, negated=True))


def test_a_hedging_rule_sees_crossings_in_its_direction_only() -> None:
    assert _crossing(-0.2, -0.6, -0.5) == "down"
    assert _crossing(-0.6, -0.2, -0.5) == "up"
    assert _crossing(-0.6, -0.7, -0.5) is None
    assert _crossing(-0.5, -0.5, -0.5) is None


@pytest.mark.parametrize(("text", "seconds"), [("15m", 900), ("30s", 30), ("1h", 3600),
                                               ("90", 90), ("1.5m", 90)])
def test_every_reads_durations(text: str, seconds: float) -> None:
    assert parse_every(text) == seconds


@pytest.mark.parametrize("text", ["0s", "soon", "-5m", "15 minutes"])
def test_every_refuses_what_is_not_a_duration(text: str) -> None:
    with pytest.raises(typer.BadParameter, match="--every"):
        parse_every(text)


def test_sources_are_told_apart(tmp_path: Path) -> None:
    urls = tmp_path / "urls.txt"
    urls.write_text("# feeds\nhttps://example.org/a.xml\n\nftp://nope\nhttp://example.org/b\n")
    assert parse_source("https://example.org/rss").kind is SourceKind.url
    assert parse_source(str(tmp_path)).kind is SourceKind.folder
    assert parse_source(str(urls)).kind is SourceKind.url_file
    assert read_url_file(str(urls)) == ["https://example.org/a.xml", "http://example.org/b"]
    with pytest.raises(WatchSourceError, match="not a folder, an http"):
        parse_source(str(tmp_path / "missing"))


def test_fetcher_retries_server_errors_then_reads_the_feed() -> None:
    site = FeedSite(fail_next=[503, 500])
    site.publish(Entry("a", "A", "Some text."))
    with serve(site):
        response = Fetcher(FAST).get(f"{site.base}/feed.xml")
        assert response.status == 200 and b"<rss" in response.body
        assert [r.status for r in site.feed_requests()] == [503, 500, 200]
        again = Fetcher(FAST).get(f"{site.base}/feed.xml", response.etag,
                                  response.last_modified)
        assert again.status == 304 and again.body == b""
        seen = site.feed_requests()[-1]
        assert seen.if_none_match == response.etag
        assert seen.if_modified_since == response.last_modified


def test_fetcher_gives_up_after_its_retries_with_one_line() -> None:
    site = FeedSite(fail_next=[503, 503, 503, 503])
    with serve(site):
        with pytest.raises(FetchError) as caught:
            Fetcher(FAST).get(f"{site.base}/feed.xml")
        assert len(site.feed_requests()) == FAST.retries + 1
    assert "HTTP 503" in str(caught.value) and "\n" not in str(caught.value)


def test_fetcher_does_not_retry_a_missing_page() -> None:
    site = FeedSite()
    with serve(site):
        with pytest.raises(FetchError, match="HTTP 404"):
            Fetcher(FAST).get(f"{site.base}/articles/none.html")
        assert len(site.requests) == 1


def test_fetcher_paces_requests_to_one_host() -> None:
    site = FeedSite()
    site.publish(Entry("a", "A", "Some text."))
    paced = WatchConfig(host_interval_s=0.3, retries=0)
    with serve(site):
        fetcher = Fetcher(paced)
        started = time.monotonic()
        for _ in range(3):
            fetcher.get(f"{site.base}/feed.xml")
        assert time.monotonic() - started >= 0.6


def test_fetcher_refuses_what_is_not_http() -> None:
    with pytest.raises(FetchError, match="not an http"):
        Fetcher(FAST).get("file:///etc/passwd")


def _cli_error(args: list[str]) -> str:
    from typer.testing import CliRunner

    from dyadwatch.cli import app

    result = CliRunner().invoke(app, args)
    assert result.exit_code == 2, result.output
    lines = [x for x in result.output.splitlines() if x.strip()]
    assert len(lines) == 1, result.output
    return lines[0]


def test_watch_refuses_a_bad_rule_file_before_polling(tmp_path: Path) -> None:
    rules = tmp_path / "alerts.yaml"
    rules.write_text("rules:\n  - {name: loud, quad_class: [9]}\n")
    line = _cli_error(["watch", str(tmp_path), "--once", "--data", str(tmp_path / "ws"),
                       "--rules", str(rules)])
    assert "rule loud: field `quad_class`: 9 is not one of" in line
    assert not (tmp_path / "ws").exists()  # nothing polled, nothing created


def test_watch_names_a_source_it_cannot_read(tmp_path: Path) -> None:
    line = _cli_error(["watch", str(tmp_path / "gone"), "--once", "--data",
                       str(tmp_path / "ws")])
    assert "gone: not a folder, an http(s) URL or a file of URLs" in line


def test_alerts_refuses_a_since_that_is_not_a_time(tmp_path: Path) -> None:
    line = _cli_error(["alerts", "--data", str(tmp_path), "--since", "yesterday"])
    assert "--since 'yesterday'" in line


def test_a_second_watcher_on_one_workspace_stops_at_once(tmp_path: Path) -> None:
    from dyadwatch.watch.poll import watcher_lock

    ws = tmp_path / "ws"
    with watcher_lock(ws):
        line = _cli_error(["watch", str(tmp_path), "--once", "--data", str(ws)])
    assert f"another watcher is running on {ws}" in line


def test_watch_refuses_a_webhook_that_is_not_http(tmp_path: Path) -> None:
    rules = tmp_path / "alerts.yaml"
    rules.write_text("rules:\n  - {name: any, actor: KHM}\n")
    line = _cli_error(["watch", str(tmp_path), "--once", "--data", str(tmp_path / "ws"),
                       "--rules", str(rules), "--webhook", "mailto:someone@example.org"])
    assert "mailto:someone@example.org: not an http(s) URL" in line


def test_watch_wants_rules_for_a_webhook(tmp_path: Path) -> None:
    line = _cli_error(["watch", str(tmp_path), "--once", "--data", str(tmp_path / "ws"),
                       "--webhook", "http://127.0.0.1:9/hook"])
    assert "give the rules with --rules FILE" in line


def test_a_failed_webhook_is_sent_at_a_later_poll_once(tmp_path: Path) -> None:
    from dyadwatch.store import watch as store
    from dyadwatch.store.workspace import open_workspace
    from dyadwatch.watch.notify import Notifier, deliver

    workspace = open_workspace(tmp_path / "ws")
    site = FeedSite(hook_fail=[500, 502])
    no_retry = WatchConfig(retries=0, host_interval_s=0.0)
    with serve(site):
        notifier = Notifier(jsonl=tmp_path / "alerts.jsonl", webhook=f"{site.base}/hook")
        alert = store.AlertRow("a1", "event:r:d", "r", "event", "something", {"alert_id": "a1"})
        with workspace.connect() as con:
            assert store.insert_alert(con, alert, notifier.channels)
            assert not store.insert_alert(con, alert, notifier.channels)  # its key is taken
        fetcher = Fetcher(no_retry)
        sent = [deliver(workspace, notifier, fetcher, max_attempts=5) for _ in range(4)]
    assert sent == [1, 0, 1, 0]  # the file at once; the webhook at the third try
    assert [h["alert_id"] for h in site.hooks] == ["a1"]
    assert (tmp_path / "alerts.jsonl").read_text().count('"a1"') == 1


def test_a_webhook_that_keeps_failing_is_given_up(tmp_path: Path) -> None:
    from dyadwatch.store import watch as store
    from dyadwatch.store.workspace import open_workspace
    from dyadwatch.watch.notify import Notifier, deliver

    workspace = open_workspace(tmp_path / "ws")
    site = FeedSite(hook_fail=[500] * 10)
    with serve(site):
        notifier = Notifier(webhook=f"{site.base}/hook")
        with workspace.connect() as con:
            store.insert_alert(con, store.AlertRow("a2", "k2", "r", "event", "s", {}),
                               notifier.channels)
        fetcher = Fetcher(WatchConfig(retries=0, host_interval_s=0.0))
        for _ in range(5):
            deliver(workspace, notifier, fetcher, max_attempts=3)
        posts = [r for r in site.requests if r.method == "POST"]
    assert len(posts) == 3
    with workspace.connect(read_only=True) as con:
        listed = store.query_alerts(con)
    assert listed[0]["delivered"] == []
