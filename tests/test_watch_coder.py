"""The watcher keeps one coder (`watch.IngestItems`): built on the first poll that has
something new, reused by the next polls, and reset before each, with the real coder, a real
folder and a real workspace. The articles are short texts written for this test."""

from __future__ import annotations

from pathlib import Path

from dyadwatch.records import LearnedActor
from dyadwatch.settings import Settings
from dyadwatch.store.workspace import Workspace
from dyadwatch.watch import IngestItems, WatchConfig, Watcher, parse_source

SHELLING = ("Thai troops fired artillery at Cambodian army posts near the border on Tuesday.\n"
            "Families in the villages nearby left their homes.")
VISIT = ("The Japanese foreign minister met the Vietnamese prime minister in Hanoi on Friday.\n"
         "The two sides discussed trade and the South China Sea.")
STRANGER = LearnedActor(name="Zed Quorin", code="THAGOV", country="THA", role="GOV",
                        doc_id="none", evidence="planted by the test")


def events_per_document(ws: Path) -> dict[str, int]:
    with Workspace(ws).connect(read_only=True) as con:
        rows = con.execute(
            "SELECT s.doc_source, count(e.event_id) FROM document_sources s "
            "LEFT JOIN events e ON e.doc_id = s.doc_id GROUP BY s.doc_source").fetchall()
    return {Path(source).name: count for source, count in rows}


def test_the_coder_is_loaded_once_on_the_first_poll_with_news(tmp_path: Path, coder) -> None:
    loads: list[Path] = []

    def load(settings: Settings):  # the real coder, counted
        loads.append(settings.data_dir)
        return coder

    folder = tmp_path / "in"
    folder.mkdir()
    ws = tmp_path / "ws"
    ingest = IngestItems(load=load)
    watcher = Watcher(Settings(data_dir=ws), [parse_source(str(folder))],
                      WatchConfig(settle_s=0), ingest=ingest)

    assert watcher.poll().ingested == 0
    assert loads == []  # nothing new: no coder loaded
    (folder / "shelling.txt").write_text(SHELLING, encoding="utf-8")
    assert watcher.poll().new_documents == 1
    assert len(loads) == 1
    coder.learned[STRANGER.name] = STRANGER  # what a poll learned must not reach the next
    (folder / "visit.txt").write_text(VISIT, encoding="utf-8")
    assert watcher.poll().new_documents == 1
    assert len(loads) == 1 and ingest.coder is coder
    assert STRANGER.name not in coder.learned  # reset before the run
    assert watcher.poll().ingested == 0 and len(loads) == 1

    counts = events_per_document(ws)
    assert counts["shelling.txt"] >= 1 and counts["visit.txt"] >= 1


def test_no_coder_is_loaded_to_store_documents_only(tmp_path: Path) -> None:
    def refuse(settings: Settings):
        raise AssertionError("a watcher that does not code loaded a coder")

    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "visit.txt").write_text(VISIT, encoding="utf-8")
    ingest = IngestItems(code=False, load=refuse)
    watcher = Watcher(Settings(data_dir=tmp_path / "ws"), [parse_source(str(folder))],
                      WatchConfig(settle_s=0), ingest=ingest)
    assert watcher.poll().new_documents == 1
    assert ingest.coder is None
    assert events_per_document(tmp_path / "ws") == {"visit.txt": 0}
