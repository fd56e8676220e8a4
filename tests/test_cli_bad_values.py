"""Bad option values on the CLI: one line naming the value and the reason, exit 2, no traceback.

The workspace is real (`fill_workspace` of the web tests: three documents, six events), so a
bad date that slipped through would reach DuckDB as it did before.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from dyadwatch.cli import app
from test_web_api import fill_workspace

runner = CliRunner()


@pytest.fixture(scope="module")
def data(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("cli-bad") / "ws"
    fill_workspace(folder)
    return folder


def _one_line_error(args: list[str], *expected: str) -> str:
    result = runner.invoke(app, args)
    assert result.exit_code == 2, (result.exit_code, result.output, result.exception)
    assert isinstance(result.exception, SystemExit)  # typer.Exit, not a crash
    assert "Traceback" not in result.output
    lines = [line for line in result.stderr.splitlines() if line.strip()]
    assert len(lines) == 1 and lines[0].startswith("error: "), result.stderr
    for part in expected:
        assert part in lines[0], lines[0]
    return lines[0]


@pytest.mark.parametrize(
    ("option", "value", "reason"),
    [
        ("--since", "foo", "expected YYYY"),
        ("--until", "2024-02-30", "day is out of range"),
        ("--since", "٢٠٢٤", "expected YYYY"),  # Arabic-Indic digits are not ISO digits
        ("--until", "2024-13", "month must be in 1..12"),
    ],
)
def test_events_refuses_a_date_that_is_not_one(
    data: Path, option: str, value: str, reason: str
) -> None:
    _one_line_error(["events", "--data", str(data), option, value], option, repr(value), reason)


def test_events_still_filters_with_good_dates(data: Path) -> None:
    result = runner.invoke(app, ["events", "--data", str(data), "--format", "jsonl",
                                 "--since", "2025-10", "--until", "2025-11-30"])
    assert result.exit_code == 0, result.output
    assert len(result.stdout.splitlines()) == 2


def test_export_and_timeline_refuse_a_bad_date(data: Path, tmp_path: Path) -> None:
    _one_line_error(["export", "--data", str(data), "-f", "jsonl", "-o",
                     str(tmp_path / "x.jsonl"), "--until", "2024-02-30"], "'2024-02-30'")
    assert not (tmp_path / "x.jsonl").exists()
    _one_line_error(["timeline", "USA", "KHM", "--data", str(data), "--since", "soon"],
                    "'soon'")


def test_code_refuses_a_date_that_does_not_exist() -> None:
    _one_line_error(["code", "Japan sent aid to Fiji.", "--date", "2024-02-30"],
                    "--date", "'2024-02-30'", "day is out of range")


def test_code_names_a_missing_lines_file(tmp_path: Path) -> None:
    missing = tmp_path / "nowhere.txt"
    _one_line_error(["code", "--lines", str(missing)], str(missing), "No such file")


def test_code_names_a_lines_file_that_is_not_utf8(tmp_path: Path) -> None:
    latin = tmp_path / "latin.txt"
    latin.write_bytes("Japan sent aid to the Comoros caf\u00e9.\n".encode("latin-1"))
    _one_line_error(["code", "--lines", str(latin)], str(latin), "not UTF-8")
