"""A CLI that catches mistakes: each error path of issue #14 through the real entry point
(`python -m dyadwatch` in a subprocess): one line naming the value and the fix, a non-zero
exit, never a traceback; and the listing options, labels, help and progress it promised.
"""

from __future__ import annotations

import csv
import io
import json
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest
from rich.console import Console

from dyadwatch.analysis import assign_clusters
from dyadwatch.cli.ingest_cmds import count_inputs, ingest_bar, progress_bar
from dyadwatch.ingest.pipeline import IngestSummary
from test_analysis_support import COMMENT, TIMELINE, build_workspace, seed_like_events


def dyadwatch(*args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "COLUMNS": "200"}
    return subprocess.run([sys.executable, "-m", "dyadwatch", *args], capture_output=True,
                          text=True, timeout=300, check=False, env=env)


@pytest.fixture(scope="module")
def data(tmp_path_factory: pytest.TempPathFactory) -> str:
    folder = tmp_path_factory.mktemp("mistakes") / "ws"
    ws = build_workspace(folder, [TIMELINE, COMMENT], seed_like_events())
    with ws.connect() as con:
        assign_clusters(con)
    return str(folder)


def one_line_error(result: subprocess.CompletedProcess[str], *expected: str) -> str:
    assert result.returncode == 2, (result.returncode, result.stdout, result.stderr)
    assert "Traceback" not in result.stderr and "Traceback" not in result.stdout
    lines = [line for line in result.stderr.splitlines() if line.strip()]
    assert len(lines) == 1 and lines[0].startswith("error: "), result.stderr
    for part in expected:
        assert part in lines[0], lines[0]
    return lines[0]


def test_impossible_date_names_the_value(data: str) -> None:
    one_line_error(dyadwatch("events", "--data", data, "--since", "2018-13-45"),
                   "--since", "2018-13-45", "month must be in 1..12")


def test_country_name_suggests_its_code(data: str) -> None:
    one_line_error(dyadwatch("timeline", "United States", "Turkey", "--data", data),
                   "'United States'", "did you mean USA?")


def test_report_with_an_unknown_code_writes_nothing(data: str, tmp_path: Path) -> None:
    out = tmp_path / "brief.html"
    one_line_error(dyadwatch("report", "USA", "XYZ", "--data", data, "-o", str(out)),
                   "unknown actor code 'XYZ'")
    assert not out.exists()


def test_hedging_with_an_unknown_power_is_refused(data: str) -> None:
    one_line_error(dyadwatch("index", "TUR", "--between", "USA", "XYZ", "--data", data),
                   "unknown actor code 'XYZ'")


def test_misspelt_code_gets_the_close_one(data: str) -> None:
    one_line_error(dyadwatch("events", "--data", data, "--dyad", "USA", "KHMX"),
                   "'KHMX'", "did you mean KHM?")


def test_root_out_of_range_names_the_fix(data: str) -> None:
    one_line_error(dyadwatch("events", "--data", data, "--root", "33"), "--root '33'",
                   "01 to 20")


def test_missing_input_is_an_error_and_creates_no_workspace(tmp_path: Path) -> None:
    folder = tmp_path / "ws"
    result = dyadwatch("ingest", str(tmp_path / "does-not-exist.txt"), "--data", str(folder))
    one_line_error(result, "does-not-exist.txt", "no such file")
    assert not folder.exists()


def test_every_listing_command_takes_format_and_limit(data: str) -> None:
    for command in ("events", "documents", "quotes", "figures", "errors"):
        result = dyadwatch(command, "--data", data, "-f", "jsonl", "--limit", "1")
        assert result.returncode == 0, (command, result.stderr)
        assert len(result.stdout.splitlines()) <= 1, command
    docs = dyadwatch("documents", "--data", data, "-f", "csv", "--limit", "1")
    rows = list(csv.DictReader(io.StringIO(docs.stdout)))
    assert len(rows) == 1 and "outlet" in rows[0]


def test_event_table_shows_cameo_labels(data: str) -> None:
    result = dyadwatch("events", "--data", data, "--root", "05")
    assert result.returncode == 0, result.stderr
    assert "057 Sign a formal agreement" in result.stdout


def test_help_is_plain_words_with_an_example() -> None:
    listing = dyadwatch("--help").stdout
    commands = [line.split()[0] for line in listing.split("Commands:")[1].splitlines()
                if line.strip()]
    assert {"ingest", "events", "index", "report", "export"} <= set(commands)
    for command in commands:
        text = dyadwatch(command, "--help").stdout
        assert "Example" in text, command
        assert "<" not in text and "list[" not in text, (command, text)


def test_non_english_text_says_it_was_skipped() -> None:
    result = dyadwatch("code", "Le gouvernement français a signé hier un accord de coopération "
                               "militaire avec le Maroc, selon le ministère.")
    assert result.returncode == 1 and not result.stdout.strip()
    assert "skipped" in result.stderr and "'fr'" in result.stderr
    assert "only English text is coded" in result.stderr


def test_progress_counts_inputs_ahead(seeds_dir: Path, guardian_path: Path) -> None:
    assert count_inputs([str(seeds_dir), str(guardian_path)]) == 4 + 249
    assert count_inputs(["-"]) is None


def test_progress_bar_shows_total_rate_and_time_left() -> None:
    screen = Console(record=True, width=120)
    bar, task = ingest_bar(10, screen)
    bar.update(task, completed=2)
    time.sleep(0.2)
    bar.update(task, completed=5)
    screen.print(bar.make_tasks_table(bar.tasks))
    text = screen.export_text()
    assert "5/10" in text and "docs/s" in text and "left" in text
    with progress_bar(False, total=3) as update:  # the callback the pipeline calls
        update(IngestSummary(new=2, failed=1))


def test_events_csv_is_flat_with_string_codes(data: str) -> None:
    result = dyadwatch("events", "--data", data, "-f", "csv")
    rows = list(csv.DictReader(io.StringIO(result.stdout)))
    assert rows and rows[0]["cameo"].isdigit() and len(rows[0]["cameo"]) >= 3
    assert "source_code" in rows[0] and not rows[0]["source_code"].startswith("{")
    assert json.loads(dyadwatch("events", "--data", data, "-f", "jsonl", "--limit", "1")
                      .stdout)["cameo"] == rows[0]["cameo"]


def test_ingest_says_why_non_english_text_is_not_coded(tmp_path: Path) -> None:
    text = tmp_path / "note.txt"
    text.write_text("Le ministre a rencontré hier son homologue à Lyon pour parler du commerce "
                    "entre les deux pays, et ils ont promis de se revoir au printemps prochain, "
                    "selon un communiqué du ministère publié dans la soirée.", encoding="utf-8")
    result = dyadwatch("ingest", str(text), "--data", str(tmp_path / "ws"), "--no-code")
    assert result.returncode == 0, result.stderr
    line = next(x for x in result.stdout.splitlines() if x.startswith("not English"))
    assert line.split()[2] == "1" and "only English text is coded" in line


def test_missing_actor_file_is_refused_before_a_workspace(tmp_path: Path) -> None:
    text = tmp_path / "a.txt"
    text.write_text("Japan sent aid to Fiji.", encoding="utf-8")
    folder = tmp_path / "ws"
    one_line_error(dyadwatch("ingest", str(text), "--data", str(folder), "--actors",
                             str(tmp_path / "mine.yaml")), "--actors", "mine.yaml",
                   "no such file")
    assert not folder.exists()


def test_unwritable_output_names_the_path(data: str, tmp_path: Path) -> None:
    target = tmp_path / "a-file"
    target.write_text("x", encoding="utf-8")  # a file where a folder should be
    one_line_error(dyadwatch("export", "-f", "csv", "-o", str(target / "out.csv"), "--data",
                             data), "--output", "out.csv", "cannot write")
