"""The CLI reports the exception tree in one place: `cli.app.ReportingGroup` turns any
DyadwatchError into one `error:` line on stderr and the exit code of its class."""

from __future__ import annotations

import ast
import importlib
from pathlib import Path

import pytest
from typer.testing import CliRunner

from dyadwatch import errors
from dyadwatch.cli import app

runner = CliRunner()
cli_app = importlib.import_module("dyadwatch.cli.app")  # `dyadwatch.cli.app` is the Typer
CLI_DIR = Path(cli_app.__file__).parent


def _error_line(args: list[str]) -> tuple[int, str]:
    result = runner.invoke(app, args)
    assert isinstance(result.exception, SystemExit), result.exception  # no traceback
    lines = [line for line in result.stderr.splitlines() if line.strip()]
    assert len(lines) == 1 and lines[0].startswith("error: "), result.stderr
    return result.exit_code, lines[0]


def test_a_workspace_error_from_a_command_is_one_line_and_exit_2(tmp_path: Path) -> None:
    code, line = _error_line(["documents", "--data", str(tmp_path / "none")])
    assert code == 2 and "no workspace" in line


def test_a_parameter_error_raised_by_the_library_is_reported_like_any_other(
        tmp_path: Path) -> None:
    lines = tmp_path / "lines.txt"
    lines.write_bytes(b"caf\xe9 au lait\n")
    code, line = _error_line(["code", "--lines", str(lines)])
    assert code == 2 and "--lines" in line and "not UTF-8" in line


def test_exit_codes_follow_the_tree(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    assert all(cli_app.exit_code(getattr(errors, name)("x")) == cli_app.FAILED
               for name in errors.__all__ if name != "InputFileError")
    monkeypatch.setitem(cli_app.EXIT_CODES, errors.WorkspaceError, 7)
    assert cli_app.exit_code(errors.WorkspaceBusyError("held")) == 7  # nearest base's code
    assert cli_app.exit_code(errors.DictionaryError("bad")) == cli_app.FAILED
    code, line = _error_line(["errors", "--data", str(tmp_path / "none")])
    assert code == 7 and "no workspace" in line


def test_no_command_module_catches_dyadwatch_errors_itself() -> None:
    offenders = []
    for path in sorted(CLI_DIR.glob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ExceptHandler) and node.type is not None:
                caught = ast.unparse(node.type)
                if "DyadwatchError" in caught and path.name != "app.py":
                    offenders.append(f"{path.name}:{node.lineno} except {caught}")
            if isinstance(node, ast.FunctionDef) and node.name == "fail":
                offenders.append(f"{path.name}:{node.lineno} def fail")
    assert not offenders, offenders
