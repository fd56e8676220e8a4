"""The coding commands driven for real: events, quotes, figures, eval, code."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from dyadwatch.cli import app
from dyadwatch.run import ingest_paths
from dyadwatch.settings import Settings

RECORD_KEYS = [
    "event_id", "doc_id", "doc_source", "sentence", "date", "date_end", "date_precision",
    "source", "target", "cameo", "root", "quad_class", "goldstein", "plover", "modality",
    "negated", "cluster_id", "confidence", "location", "contexts",
]
runner = CliRunner()


@pytest.fixture(scope="module")
def workspace(tmp_path_factory: pytest.TempPathFactory, seeds_dir: Path, coder) -> Path:
    data = tmp_path_factory.mktemp("cli") / "ws"
    ingest_paths([seeds_dir], Settings(data_dir=data), coder)
    return data


def _user_actors(folder: Path) -> Path:
    """A user actor file adding one person in no packaged dictionary."""
    actors = folder / "mine.yaml"
    actors.write_text(
        'meta: {name: mine, version: "1", notes: "a test person"}\n'
        "people:\n"
        '  - {name: Zorbo Quint, country: FJI, periods: [{start: "2020-01-01", role: GOV,'
        " titles: [Foreign Minister]}]}\n",
        encoding="utf-8",
    )
    return actors


def _jsonl(output: str) -> list[dict]:
    return [json.loads(line) for line in output.splitlines() if line.strip()]


def test_events_jsonl_prints_exactly_the_event_record_keys(workspace: Path) -> None:
    result = runner.invoke(app, ["events", "--data", str(workspace), "--format", "jsonl"])
    assert result.exit_code == 0, result.output
    rows = _jsonl(result.stdout)
    assert rows and all(list(r) == RECORD_KEYS for r in rows)
    assert all(set(r["source"]) == {"code", "country", "role", "text", "name"} for r in rows)


def test_events_filters_by_dyad_root_and_dates(workspace: Path) -> None:
    args = ["events", "--data", str(workspace), "--format", "jsonl", "--dyad", "USA", "KHM",
            "--root", "08", "--since", "2025-11", "--until", "2026-02"]
    rows = _jsonl(runner.invoke(app, args).stdout)
    assert rows and all(r["root"] == "08" for r in rows)
    assert all("2025-11" <= r["date"][:7] <= "2026-02" for r in rows)
    assert all({r["source"]["country"], r["target"]["country"]} == {"USA", "KHM"} for r in rows)


def test_quotes_and_figures_list_what_was_stored(workspace: Path) -> None:
    quotes = _jsonl(runner.invoke(app, ["quotes", "--data", str(workspace), "-f", "jsonl"]).stdout)
    assert any(q["speaker"] == "Robert Scher" for q in quotes)
    csv_out = runner.invoke(app, ["figures", "--data", str(workspace), "-f", "csv"]).stdout
    assert csv_out.splitlines()[0].startswith("figure_id,") and "percent" in csv_out


def test_eval_reports_recall_and_lists_misses(workspace: Path, gold_path: Path) -> None:
    result = runner.invoke(app, ["eval", str(gold_path), "--data", str(workspace), "--json"])
    assert result.exit_code == 0, result.output
    scored = json.loads(result.stdout)
    assert scored["core"][1] == 17 and scored["core"][0] >= 15
    assert set(scored["missed"]) <= {f"g{n:02d}" for n in range(1, 31)}


def test_eval_names_a_broken_gold_file(workspace: Path, tmp_path: Path) -> None:
    bad = tmp_path / "gold.yaml"
    bad.write_text("events: 3\n", encoding="utf-8")
    result = runner.invoke(app, ["eval", str(bad), "--data", str(workspace)])
    assert result.exit_code == 2 and "gold.yaml" in result.output


def test_code_lines_gives_file_and_line_as_source(tmp_path: Path) -> None:
    lines = tmp_path / "s.txt"
    lines.write_text("Nothing happened here.\n\nJapan sent food aid to Tonga on Monday.\n",
                     encoding="utf-8")
    result = runner.invoke(app, ["code", "--lines", str(lines), "--date", "2024-03-06"])
    assert result.exit_code == 0, result.output
    rows = _jsonl(result.stdout)
    assert [r["doc_source"] for r in rows] == [f"{lines}:3"]
    assert rows[0]["source"]["country"] == "JPN" and rows[0]["target"]["country"] == "TON"
    assert rows[0]["date"] == "2024-03-04"


def test_code_with_a_user_actor_file_codes_a_new_person(tmp_path: Path) -> None:
    actors = _user_actors(tmp_path)
    text = "Zorbo Quint met Australia's prime minister in Canberra on Monday."
    without = _jsonl(runner.invoke(app, ["code", text, "--date", "2024-05-06"]).stdout)
    with_file = _jsonl(runner.invoke(
        app, ["code", text, "--date", "2024-05-06", "--actors", str(actors)]).stdout)
    # open world: without the file the unknown person keeps his words and no code
    assert [(r["source"]["code"], r["source"]["text"], r["target"]["country"])
            for r in without] == [(None, "Zorbo Quint", "AUS")]
    assert [(r["source"]["code"], r["target"]["country"]) for r in with_file] == [
        ("FJIGOV", "AUS")]


def test_a_broken_actor_file_is_a_clear_error_not_a_traceback(tmp_path: Path) -> None:
    import subprocess
    import sys

    actors = tmp_path / "broken.yaml"
    actors.write_text("meta: {name: x, version: '1'}\n", encoding="utf-8")
    done = subprocess.run(
        [sys.executable, "-m", "dyadwatch.cli", "code", "Japan met Fiji.", "--actors",
         str(actors)], capture_output=True, text=True, timeout=300,
    )
    assert done.returncode == 2
    assert "broken.yaml" in done.stderr and "Traceback" not in done.stderr


def test_ingest_codes_a_one_line_text_with_a_user_actor_file(tmp_path: Path) -> None:
    actors = _user_actors(tmp_path)
    article = tmp_path / "in" / "a.txt"
    article.parent.mkdir()
    article.write_text("Zorbo Quint met Australia's prime minister on 5 May 2024.\n", "utf-8")
    data = str(tmp_path / "ws")
    done = runner.invoke(app, ["ingest", str(article.parent), "--data", data, "--actors",
                               str(actors), "--workers", "0", "-q"])
    assert done.exit_code == 0, done.output
    rows = _jsonl(runner.invoke(app, ["events", "--data", data, "-f", "jsonl"]).stdout)
    assert [(r["source"]["code"], r["target"]["country"], r["date"]) for r in rows] == [
        ("FJIGOV", "AUS", "2024-05-05")]
