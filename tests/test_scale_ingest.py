"""The ingest pipeline with coding in worker processes: the stored result does not depend on
the number of workers, a second run adds nothing, and the month export follows each run."""

from __future__ import annotations

from pathlib import Path

import psutil
import pytest

from dyadwatch.run import ingest_with_workers
from dyadwatch.settings import Settings
from dyadwatch.store.workspace import Workspace
from test_scale_support import NAME_CODER

STABLE_DOCUMENT_COLUMNS = ("doc_id, doc_source, title, text, published, language, inferred_date, "
                           "inferred_precision, coded")


def snapshot(data_dir: Path) -> dict[str, list[tuple]]:
    with Workspace(data_dir).connect(read_only=True) as con:
        return {
            "events": con.execute("SELECT * FROM events ORDER BY event_id").fetchall(),
            "documents": con.execute(f"SELECT {STABLE_DOCUMENT_COLUMNS} FROM documents "
                                     "ORDER BY doc_id").fetchall(),
            "sources": con.execute("SELECT doc_source, doc_id FROM document_sources "
                                   "ORDER BY 1").fetchall(),
            "minhash": con.execute("SELECT * FROM doc_minhash ORDER BY 1").fetchall(),
            "near": con.execute("SELECT * FROM near_duplicates ORDER BY ALL").fetchall(),
        }


@pytest.fixture(scope="module")
def corpus(guardian_path: Path, seeds_dir: Path, tmp_path_factory: pytest.TempPathFactory
           ) -> list[Path]:
    folder = tmp_path_factory.mktemp("corpus")
    lines = guardian_path.read_text(encoding="utf-8").splitlines()[:30]
    sample = folder / "guardian-sample.jsonl"
    sample.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return [seeds_dir, sample]


def test_one_and_two_workers_store_the_same(corpus: list[Path], tmp_path: Path) -> None:
    one, two = tmp_path / "one", tmp_path / "two"
    first = ingest_with_workers(corpus, Settings(data_dir=one, batch_size=4), 1,
                                coder_path=NAME_CODER)
    second = ingest_with_workers(corpus, Settings(data_dir=two, batch_size=4), 2,
                                 coder_path=NAME_CODER)
    assert first.new == second.new == 34 and first.coded == 34
    assert first.events == second.events > 0
    assert snapshot(one) == snapshot(two)
    months = list((two / "parquet" / "events").glob("month=*/compact-*.parquet"))
    assert months  # the export follows the run


def test_a_second_run_adds_nothing(corpus: list[Path], tmp_path: Path) -> None:
    settings = Settings(data_dir=tmp_path / "ws", batch_size=8)
    ingest_with_workers(corpus, settings, 2, coder_path=NAME_CODER)
    before = snapshot(settings.data_dir)
    again = ingest_with_workers(corpus, settings, 2, coder_path=NAME_CODER)
    assert again.new == 0 and again.unchanged == 34 and again.coded == 0
    assert snapshot(settings.data_dir) == before


KILL_SCRIPT = """
import os, signal, sys
sys.path[:0] = {paths!r}
from dyadwatch.run import ingest_with_workers
from dyadwatch.settings import Settings

def progress(summary):
    if summary.batches == 3:  # killed right after the third batch was committed
        import multiprocessing
        pids = [p.pid for p in multiprocessing.active_children()]  # the coding workers
        open({pids_file!r}, "w").write(" ".join(map(str, pids)))
        os.kill(os.getpid(), signal.SIGKILL)

ingest_with_workers({corpus!r}, Settings(data_dir={data!r}, batch_size=4), 2, progress,
                    coder_path={coder!r})
"""


def test_a_killed_run_resumes_to_the_uninterrupted_result(corpus: list[Path],
                                                          tmp_path: Path) -> None:
    import subprocess
    import sys

    killed = tmp_path / "killed"
    pids_file = tmp_path / "worker-pids"
    script = KILL_SCRIPT.format(paths=sys.path, corpus=[str(p) for p in corpus],
                                data=str(killed), coder=NAME_CODER, pids_file=str(pids_file))
    done = subprocess.run([sys.executable, "-c", script], stdout=subprocess.DEVNULL,
                          stderr=subprocess.DEVNULL, timeout=300, check=False)
    assert done.returncode == -9  # SIGKILL, mid-run
    workers = [psutil.Process(int(pid)) for pid in pids_file.read_text().split()
               if psutil.pid_exists(int(pid))]
    _, alive = psutil.wait_procs(workers, timeout=15)
    assert pids_file.read_text() and not alive  # orphaned workers leave by themselves
    partial = snapshot(killed)
    assert 0 < len(partial["documents"]) < 34
    resumed = ingest_with_workers(corpus, Settings(data_dir=killed, batch_size=4), 2,
                                  coder_path=NAME_CODER)
    assert resumed.unchanged == len(partial["sources"]) and resumed.new > 0
    clean = tmp_path / "clean"
    ingest_with_workers(corpus, Settings(data_dir=clean, batch_size=4), 2, coder_path=NAME_CODER)
    assert snapshot(killed) == snapshot(clean)


def test_workers_finish_documents_as_the_parent_would(
    seeds_dir: Path, tmp_path: Path
) -> None:
    """Language and MinHash are computed in the workers (`Finisher`): the stored documents,
    languages, signatures, bands and near-duplicate links equal the in-process run's, with a
    French text (identified, stored, not coded), a lightly edited copy of a seed (a near
    duplicate of it) and a text too short to tell (coded: unknown is not non-English)."""
    from dyadwatch.run import ingest_paths
    from test_scale_support import NameCoder

    folder = tmp_path / "in"
    folder.mkdir()
    seed = (seeds_dir / "002_02048890107df0f3.txt").read_text(encoding="utf-8")
    (folder / "copy.txt").write_text(seed.replace("Cambodia", "Kampuchea", 2), encoding="utf-8")
    (folder / "fr.txt").write_text(
        "Le gouvernement cambodgien a signé hier un accord commercial avec le Japon, et les "
        "deux pays ont promis de renforcer leur coopération dans les années à venir.",
        encoding="utf-8")
    (folder / "short.txt").write_text("Japan, Vietnam.", encoding="utf-8")
    paths = [seeds_dir, folder]
    runs = {}
    for name in ("workers", "parent"):
        settings = Settings(data_dir=tmp_path / name, batch_size=3)
        runs[name] = (ingest_with_workers(paths, settings, 2, coder_path=NAME_CODER)
                      if name == "workers" else ingest_paths(paths, settings, NameCoder(settings)))
    workers, parent = runs["workers"], runs["parent"]
    assert (workers.new, workers.non_english, workers.near_duplicates) == (7, 1, 1)
    assert (parent.new, parent.non_english, parent.near_duplicates) == (7, 1, 1)
    assert workers.coded == parent.coded == 6
    tables = {
        "documents": "SELECT doc_id, language, coded FROM documents ORDER BY 1",
        "minhash": "SELECT * FROM doc_minhash ORDER BY 1",
        "bands": "SELECT * FROM doc_bands ORDER BY ALL",
        "near": "SELECT * FROM near_duplicates ORDER BY ALL",
    }
    stored = {}
    for name in runs:
        with Workspace(tmp_path / name).connect(read_only=True) as con:
            stored[name] = {k: con.execute(sql).fetchall() for k, sql in tables.items()}
    assert stored["workers"] == stored["parent"]
    languages = [lang for _, lang, _ in stored["workers"]["documents"]]
    assert sorted(map(str, languages)) == ["None", "en", "en", "en", "en", "en", "fr"]
