"""The ingest, documents, errors and demo commands, driven through the real CLI."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from typer.testing import CliRunner

from dyadwatch.cli import app
from dyadwatch.examples import demo_corpus

REQUIRED_KEYS = {"doc_id", "doc_source", "title", "published", "published_precision",
                 "language", "author", "url", "text", "inferred_date", "inferred_precision",
                 "category", "sources"}
TEXT = ("Thailand and Cambodia agreed on Sunday to a ceasefire along their disputed border after "
        "talks hosted by Malaysia, the two foreign ministries said in separate statements.")


@pytest.fixture()
def runner() -> CliRunner:
    return CliRunner()


@pytest.fixture()
def corpus(tmp_path: Path) -> Path:
    root = tmp_path / "in"
    root.mkdir()
    (root / "a.txt").write_text("Border ceasefire agreed\n" + TEXT * 2, encoding="utf-8")
    (root / "dump.jsonl").write_text(
        json.dumps({"id": "k1", "body": TEXT + " Observers welcomed it.", "when": "2025-07-28"})
        + "\n", encoding="utf-8")
    (root / "empty.md").write_text("", encoding="utf-8")
    return root


def test_ingest_prints_counts_and_documents_lists_them(runner, corpus, tmp_path) -> None:
    data = str(tmp_path / "ws")
    result = runner.invoke(app, ["ingest", str(corpus), "--data", data, "--no-code",
                                 "--field", "text=body", "--field", "published=when"])
    assert result.exit_code == 1, result.output  # empty.md failed (issue 12: was 0)
    assert "new documents:    2" in result.stdout and "failed:           1" in result.stdout
    listed = runner.invoke(app, ["documents", "--data", data, "--format", "jsonl"])
    rows = [json.loads(line) for line in listed.stdout.splitlines()]
    assert len(rows) == 2 and all(set(r) >= REQUIRED_KEYS for r in rows)
    by_name = {Path(r["doc_source"]).name: r for r in rows}
    assert by_name["dump.jsonl#k1"]["published"] == "2025-07-28"
    assert by_name["a.txt"]["title"] == "Border ceasefire agreed"
    assert Path(by_name["a.txt"]["doc_source"]).is_absolute()


def test_errors_command_names_the_file(runner, corpus, tmp_path) -> None:
    data = str(tmp_path / "ws")
    runner.invoke(app, ["ingest", str(corpus), "--data", data, "--no-code", "--quiet"])
    result = runner.invoke(app, ["errors", "--data", data, "--format", "jsonl"])
    rows = {Path(r["source"]).name: r for r in map(json.loads, result.stdout.splitlines())}
    assert set(rows) == {"empty.md", "dump.jsonl:1"}  # no --field text=body this time
    assert "empty.md" in rows["empty.md"]["reason"]
    assert "dump.jsonl:1" in rows["dump.jsonl:1"]["reason"]


def test_json_summary_and_idempotent_rerun(runner, corpus, tmp_path) -> None:
    args = ["ingest", str(corpus), "--data", str(tmp_path / "ws"), "--no-code",
            "--format", "json", "--field", "text=body"]
    first = json.loads(runner.invoke(app, args).stdout)
    second = json.loads(runner.invoke(app, args).stdout)
    assert (first["new"], first["failed"]) == (2, 1)
    assert (second["new"], second["duplicates"], second["unchanged"]) == (0, 0, 2)


def test_quiet_output_is_one_plain_line(runner, corpus, tmp_path) -> None:
    result = runner.invoke(app, ["ingest", str(corpus), "--data", str(tmp_path / "ws"),
                                 "--no-code", "--quiet"])
    assert result.stdout.strip().splitlines() == [
        "new=1 duplicates=0 near_duplicates=0 failed=2"]


def test_data_dir_from_environment(runner, corpus, tmp_path) -> None:
    data = tmp_path / "envws"
    result = runner.invoke(app, ["ingest", str(corpus / "a.txt"), "--no-code", "-q"],
                           env={"DYADWATCH_DATA": str(data)})
    assert result.exit_code == 0 and (data / "dyadwatch.duckdb").exists()


def test_bad_field_option_is_refused(runner, corpus, tmp_path) -> None:
    result = runner.invoke(app, ["ingest", str(corpus), "--data", str(tmp_path / "ws"),
                                 "--field", "text"])
    assert result.exit_code == 2


def test_demo_ingests_the_bundled_corpus_into_a_fresh_workspace(runner, tmp_path) -> None:
    data = tmp_path / "demo"
    for _ in range(2):  # the second run wipes the first
        result = runner.invoke(app, ["demo", "--data", str(data), "--quiet"])
        assert result.exit_code == 0, result.output
        assert "documents: 12 " in result.stdout and "errors: 0" in result.stdout
    listed = runner.invoke(app, ["documents", "--data", str(data), "--format", "jsonl"])
    rows = [json.loads(line) for line in listed.stdout.splitlines()]
    assert {r["fmt"] for r in rows} == {"txt", "md", "html", "jsonl"}
    assert sum(r["language"] != "en" for r in rows) == 1
    # the demo ends with the United States-Cambodia timeline and the brief's path
    assert "United States – Cambodia" in result.stdout
    brief = data / "brief-USA-KHM.html"
    assert f"brief: {brief.resolve()}" in result.stdout and "<svg" in brief.read_text("utf-8")
    events = runner.invoke(app, ["events", "--data", str(data), "--format", "jsonl"])
    assert all(json.loads(line)["cluster_id"] for line in events.stdout.splitlines())


def test_demo_refuses_to_wipe_a_folder_that_is_not_a_workspace(runner, tmp_path) -> None:
    keep = tmp_path / "mine"
    keep.mkdir()
    (keep / "notes.txt").write_text("keep me", encoding="utf-8")
    result = runner.invoke(app, ["demo", "--data", str(keep), "--quiet"])
    assert result.exit_code == 2 and (keep / "notes.txt").exists()


def test_demo_corpus_is_packaged_and_linked_from_the_repo_root() -> None:
    files = sorted(p.name for p in demo_corpus().iterdir())
    assert len(files) >= 7 and {Path(f).suffix for f in files} >= {".txt", ".md", ".html",
                                                                   ".jsonl"}
    root_link = Path(__file__).resolve().parent.parent / "examples"
    assert root_link.is_symlink() and (root_link / "corpus").is_dir()


def test_stdin_is_ingested(runner, tmp_path) -> None:
    data = str(tmp_path / "ws")
    result = runner.invoke(app, ["ingest", "-", "--data", data, "--no-code", "--format", "json"],
                           input=TEXT)
    assert json.loads(result.stdout)["new"] == 1
    listed = runner.invoke(app, ["documents", "--data", data, "--format", "jsonl"])
    [row] = [json.loads(line) for line in listed.stdout.splitlines()]
    assert row["doc_source"] == "<stdin>" and row["text"] == TEXT


def test_demo_refuses_a_workspace_it_did_not_make_and_keeps_everything(runner, corpus,
                                                                      tmp_path) -> None:
    data = tmp_path / "mine"
    made = runner.invoke(app, ["ingest", str(corpus), "--data", str(data), "--no-code", "-q"])
    assert "new=1" in made.stdout
    (data / "notes.txt").write_text("keep me", encoding="utf-8")
    (data / "folder").mkdir()
    (data / "folder" / "inside.txt").write_text("keep me too", encoding="utf-8")
    before = sorted(p.relative_to(data) for p in data.rglob("*"))
    result = runner.invoke(app, ["demo", "--data", str(data), "--quiet"])
    assert result.exit_code == 2 and "notes.txt" in result.output
    assert sorted(p.relative_to(data) for p in data.rglob("*")) == before
    listed = runner.invoke(app, ["documents", "--data", str(data), "--format", "jsonl"])
    assert len(listed.stdout.splitlines()) == 1
    (data / "notes.txt").unlink()
    shutil.rmtree(data / "folder")
    bare = runner.invoke(app, ["demo", "--data", str(data), "--quiet"])  # a workspace alone
    assert bare.exit_code == 2 and (data / "dyadwatch.duckdb").exists()
    assert len(runner.invoke(app, ["documents", "--data", str(data), "--format", "jsonl"])
               .stdout.splitlines()) == 1
