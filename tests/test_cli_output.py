"""CLI table output shows stored text as plain text: no Rich markup, no terminal escapes.

A record id like `[/x]` must not break a listing, bracketed words must print, and ANSI/OSC
escape sequences stored in a title must never reach the terminal. The workspace is real: one
document ingested through the CLI, its title then set to hostile text with SQL.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from dyadwatch.cli import app
from dyadwatch.store.workspace import Workspace

runner = CliRunner()
WIDE = {"COLUMNS": "400"}  # a wide terminal: no cell is cut
OSC_TITLE = "\x1b]0;owned window\x07"  # sets the terminal window's title
CLEAR = "\x1b[2J\x1b[H"  # clears the screen
TITLE = f"Talks on the US-UN [mission] {OSC_TITLE}resume{CLEAR} [bold]today[/bold]\x9b31m"


def _workspace(folder: Path, record_id: str) -> Path:
    """A workspace with one ingested document whose title is then set to `TITLE`."""
    feed = folder / "dump.jsonl"
    record = {"id": record_id, "text": "Fiji and Tonga held talks on fishing rights in Suva. "
              "Both delegations called the meeting useful."}
    feed.write_text(json.dumps(record) + "\n", encoding="utf-8")
    data = folder / "ws"
    done = runner.invoke(app, ["ingest", str(feed), "--data", str(data), "--no-code", "-q"])
    assert done.exit_code == 0, done.output
    with Workspace(data).connect() as con:
        con.execute("UPDATE documents SET title = ?", [TITLE])
    return data


@pytest.fixture(scope="module")
def hostile_workspace(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return _workspace(tmp_path_factory.mktemp("cli-output"), "[/x]")


@pytest.fixture(scope="module")
def title_workspace(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return _workspace(tmp_path_factory.mktemp("cli-title"), "k1")


def test_documents_table_survives_a_markup_closing_tag_in_an_id(hostile_workspace: Path) -> None:
    result = runner.invoke(app, ["documents", "--data", str(hostile_workspace)], env=WIDE)
    assert result.exit_code == 0, result.output
    assert "[/x]" in result.stdout  # the id itself, shown as written


def test_bracketed_text_prints_and_escape_sequences_never_reach_the_terminal(
    title_workspace: Path,
) -> None:
    result = runner.invoke(app, ["documents", "--data", str(title_workspace)], env=WIDE)
    assert result.exit_code == 0, result.output
    flat = " ".join(result.stdout.split())
    assert "[mission]" in flat and "[bold]today[/bold]" in flat
    assert "\x1b" not in result.stdout and "\x07" not in result.stdout
    assert "\x9b" not in result.stdout
    assert "owned window" not in flat  # a whole escape sequence goes, not only its ESC
    assert "Talks on the US-UN [mission] resume [bold]today[/bold]" in flat


def test_a_table_cell_is_plain_text_without_control_characters() -> None:
    from dyadwatch.cli.app import table_cell

    cell = table_cell("a[/x]\tb\nc\x1b[31md\u202ee\x00\x1b]8;;http://x.example\x1b\\f")
    assert cell.plain == "a[/x] b cdef"
    assert cell.spans == []  # no style read from the text
    long = table_cell("x" * 200, width=10)
    assert long.plain == "x" * 9 + "…"


def test_timeline_markdown_keeps_its_lines_but_not_escape_sequences(tmp_path: Path) -> None:
    from test_web_api import fill_workspace

    data = tmp_path / "ws"
    fill_workspace(data)
    with Workspace(data).connect() as con:
        con.execute("UPDATE events SET sentence = ? || sentence || ?", [OSC_TITLE, CLEAR])
    result = runner.invoke(app, ["timeline", "USA", "KHM", "--data", str(data)])
    assert result.exit_code == 0, result.output
    assert "\x1b" not in result.stdout and "\x07" not in result.stdout
    assert "owned window" not in result.stdout
    assert len(result.stdout.splitlines()) > 3  # still Markdown lines, not one flattened line
