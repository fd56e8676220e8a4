"""A damaged database, a full disk, two ingests at once, and the exit code (issue 12), each
driven through the real `dyadwatch` command in its own process."""

from __future__ import annotations

import fcntl
import hashlib
import os
import resource
import signal
import subprocess
import sys
import time
from importlib import resources
from pathlib import Path

import duckdb
import pytest

from dyadwatch.store import documents as store
from dyadwatch.store.workspace import DB_NAME, LOCK_NAME, Workspace, open_workspace

DYADWATCH = [sys.executable, "-c", "from dyadwatch.cli import main; main()"]
TEXT = ("Thailand and Cambodia agreed on Sunday to a ceasefire along their disputed border "
        "after talks hosted by Malaysia, the two foreign ministries said.")


def _run(*args: str, **kw: object) -> subprocess.CompletedProcess[str]:
    return subprocess.run([*DYADWATCH, *args], capture_output=True, text=True,  # type: ignore[call-overload]
                          timeout=300, **kw)


def _corpus(root: Path, count: int, words: int = 60) -> Path:
    root.mkdir(parents=True)
    for i in range(count):
        body = " ".join(f"w{(i * 7 + j * 13) % 997}" for j in range(words))
        (root / f"d{i:03d}.txt").write_text(f"Story {i} about the border. {TEXT} {body}.",
                                            encoding="utf-8")
    return root


@pytest.fixture()
def ingested(tmp_path: Path) -> Path:
    data = tmp_path / "ws"
    done = _run("ingest", str(_corpus(tmp_path / "in", 30)), "--data", str(data), "--no-code",
                "-q")
    assert done.returncode == 0, done.stderr
    return data


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _one_line_naming(result: subprocess.CompletedProcess[str], db: Path, *words: str) -> None:
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert str(db) in lines[0] and "Traceback" not in result.stderr
    for word in words:
        assert word in lines[0], lines[0]


# -- 8: a damaged database, a full disk ------------------------------------------------------

def test_a_truncated_database_is_one_line_exit_2_and_left_unchanged(ingested: Path,
                                                                   tmp_path: Path) -> None:
    db = ingested / DB_NAME
    os.truncate(db, db.stat().st_size // 2)
    before = _digest(db)
    more = _corpus(tmp_path / "more", 3)
    result = _run("ingest", str(more), "--data", str(ingested), "--no-code")
    assert result.returncode == 2
    _one_line_naming(result, db, "damaged", "truncated")
    assert _digest(db) == before and not (ingested / f"{DB_NAME}.wal").exists()
    listed = _run("documents", "--data", str(ingested))
    assert listed.returncode == 2
    _one_line_naming(listed, db, "damaged")


def test_bad_checksums_are_one_line_exit_2_and_the_file_left_unchanged(ingested: Path,
                                                                      tmp_path: Path) -> None:
    db = ingested / DB_NAME
    size = db.stat().st_size
    with db.open("r+b") as f:  # garble the middle of every data block, not its checksum
        for block in range(12288, size, 262144):
            f.seek(block + 4096)
            f.write(os.urandom(64))
    before = _digest(db)
    result = _run("ingest", str(_corpus(tmp_path / "more", 3)), "--data", str(ingested),
                  "--no-code")
    assert result.returncode == 2
    _one_line_naming(result, db)
    assert "damaged" in result.stderr or "cannot open" in result.stderr
    assert _digest(db) == before


def _file_size_limit(limit: int):  # type: ignore[no-untyped-def]
    def apply() -> None:  # in the child: writes past `limit` fail (EFBIG) instead of a signal
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
        resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit))
    return apply


def test_a_full_disk_is_one_line_naming_the_file_and_the_cause(ingested: Path,
                                                               tmp_path: Path) -> None:
    db = ingested / DB_NAME
    more = _corpus(tmp_path / "more", 300, words=300)
    result = subprocess.run(
        [*DYADWATCH, "ingest", str(more), "--data", str(ingested), "--no-code", "--batch-size",
         "300"], capture_output=True, text=True, timeout=300,
        preexec_fn=_file_size_limit(db.stat().st_size + 256 * 1024))
    assert result.returncode == 2
    _one_line_naming(result, db, "File too large")
    assert "cannot rollback" not in result.stderr
    again = _run("ingest", str(more), "--data", str(ingested), "--no-code", "-q")
    assert again.returncode == 0, again.stderr  # with room again, the run resumes
    with Workspace(ingested).connect(read_only=True) as con:
        assert store.count_rows(con, "documents") == 330


# -- 9: one writer at a time; keys on the tables that could double ----------------------------

def _held(lock: Path) -> bool:
    if not lock.exists():
        return False
    with lock.open("rb") as f:
        try:
            fcntl.flock(f, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            return True
        fcntl.flock(f, fcntl.LOCK_UN)
        return False


def test_a_second_ingest_is_refused_while_one_runs(tmp_path: Path) -> None:
    data = tmp_path / "ws"
    first = subprocess.Popen([*DYADWATCH, "ingest", "-", "--data", str(data), "--no-code",
                              "--format", "json"], stdin=subprocess.PIPE,
                             stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        deadline = time.monotonic() + 60
        while not _held(data / LOCK_NAME) and time.monotonic() < deadline:
            time.sleep(0.05)  # the first run holds the lock while it waits for its input
        assert first.poll() is None and _held(data / LOCK_NAME)
        second = _run("ingest", str(_corpus(tmp_path / "in", 20)), "--data", str(data),
                      "--no-code")
        out, err = first.communicate(TEXT, timeout=120)
    finally:
        if first.poll() is None:
            first.kill()
    assert second.returncode == 2
    _one_line_naming(second, data, "another ingest is running", str(first.pid))
    assert first.returncode == 0, err
    assert '"new": 1' in out
    third = _run("ingest", str(tmp_path / "in"), "--data", str(data), "--no-code", "-q")
    assert third.returncode == 0 and "new=20" in third.stdout  # the lock went with the run
    with Workspace(data).connect(read_only=True) as con:
        bands = con.execute("SELECT count(*), count(DISTINCT (doc_id, band)) FROM doc_bands")
        total, distinct = bands.fetchone() or (0, 0)
        assert total == distinct == 21 * 32


def _version_one_workspace(path: Path) -> Path:
    """A workspace at schema 1 (before the keys) with doubled band and error rows."""
    path.mkdir()
    sql = (resources.files("dyadwatch.store") / "migrations" / "001_initial.sql").read_text()
    con = duckdb.connect(str(path / DB_NAME))
    con.execute(sql)
    con.execute("CREATE TABLE schema_migrations (version INTEGER PRIMARY KEY, "
                "name VARCHAR NOT NULL, applied_at TIMESTAMP NOT NULL)")
    con.execute("INSERT INTO schema_migrations VALUES (1, '001_initial.sql', now())")
    for _ in range(2):
        con.execute("INSERT INTO doc_bands VALUES (0, 11, 'd1'), (1, 12, 'd1'), (0, 13, 'd2')")
        con.execute("INSERT INTO errors VALUES ('/x/a.txt', '/x/a.txt: empty', now())")
    con.close()
    return path


def test_doubled_rows_are_merged_and_cannot_come_back(tmp_path: Path) -> None:
    workspace = open_workspace(_version_one_workspace(tmp_path / "ws"))
    assert workspace.schema_version() >= 2
    with workspace.connect() as con:
        assert store.count_rows(con, "doc_bands") == 3 and store.count_rows(con, "errors") == 1
        with pytest.raises(duckdb.ConstraintException):
            con.execute("INSERT INTO doc_bands VALUES (0, 99, 'd1')")
        with pytest.raises(duckdb.ConstraintException):
            con.execute("INSERT INTO errors VALUES ('/x/a.txt', '/x/a.txt: empty', now())")


# -- the exit code says whether any input failed ---------------------------------------------

def test_exit_code_says_whether_any_input_failed(tmp_path: Path) -> None:
    root = _corpus(tmp_path / "in", 2)
    clean = _run("ingest", str(root), "--data", str(tmp_path / "ws"), "--no-code", "-q")
    assert clean.returncode == 0, clean.stderr
    (root / "empty.txt").write_bytes(b"")
    failed = _run("ingest", str(root), "--data", str(tmp_path / "ws"), "--no-code", "-q")
    assert failed.returncode == 1 and "failed=1" in failed.stdout


# -- the bad-input corpus and the seeds in one run --------------------------------------------

def test_the_bad_input_corpus_and_the_seeds_in_one_run(tmp_path: Path, seeds_dir: Path) -> None:
    from test_ingest_bad_input import _write_corpus
    from test_ingest_hostile import _write_per_input_failures, alias_bomb

    corpus = tmp_path / "corpus"
    _write_corpus(corpus)
    _write_per_input_failures(corpus / "hostile")  # its looping link lands in corpus/
    (corpus / "bomb.md").write_text(alias_bomb(9), encoding="utf-8")
    os.mkfifo(corpus / "pipe.txt")
    os.symlink(corpus / "gone.txt", corpus / "dangling.txt")
    os.symlink(corpus, corpus / "hostile" / "back-up")
    (corpus / "empty.jsonl").write_bytes(b"")
    (corpus / "nul.jsonl").write_bytes(b'{"text": "a\x00b"}\n{"text": "' + TEXT.encode() + b'"}\n')
    loop = tmp_path / "loop-arg"  # a symlink to itself, given as an argument
    os.symlink(loop, loop)
    data = tmp_path / "ws"
    result = _run("ingest", str(corpus), str(seeds_dir), str(loop), "--data", str(data),
                  "--no-code", "--format", "json")
    assert result.returncode == 1, result.stderr
    with Workspace(data).connect(read_only=True) as con:
        errors = {r["source"]: r["reason"] for r in store.query_errors(con)}
        sources = {s for r in store.query_documents(con) for s in r["sources"]}
    assert {str(p) for p in seeds_dir.iterdir()} <= sources
    for source, reason in errors.items():
        assert reason.startswith(source), reason
    seen = errors.keys() | sources
    inputs = [Path(entry) for entry in _every_entry(corpus)] + [loop]
    for path in inputs:
        shown = os.fsencode(path).decode("utf-8", "backslashreplace")
        assert any(s == shown or s.startswith((shown + ":", shown + "#")) for s in seen), shown
    summary = result.stdout.strip().splitlines()[-1]
    assert f'"failed": {len(errors)}' in summary


def _every_entry(folder: Path) -> list[str]:
    """Every file, link, FIFO and unreadable folder under `folder` (not the folders walked)."""
    found = []
    for entry in os.scandir(folder):
        if entry.is_dir(follow_symlinks=False):
            found.extend(_every_entry(Path(entry.path)))
        else:
            found.append(entry.path)
    return found
