"""The four seed articles through the whole ingest stage, against gold/seeds.yaml."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml

from dyadwatch.ingest import IngestSummary
from dyadwatch.run import ingest_paths
from dyadwatch.settings import Settings
from dyadwatch.store import documents as store
from dyadwatch.store.workspace import Workspace


@pytest.fixture(scope="module")
def ingested(tmp_path_factory, seeds_dir: Path) -> tuple[IngestSummary, dict[str, dict], Path]:
    data = tmp_path_factory.mktemp("seeds") / "ws"
    summary = ingest_paths([seeds_dir], Settings(data_dir=data, batch_size=3))
    with Workspace(data).connect(read_only=True) as con:
        rows = store.query_documents(con)
    return summary, {Path(r["doc_source"]).name: r for r in rows}, data


@pytest.fixture(scope="module")
def gold(gold_path: Path) -> dict[str, dict[str, Any]]:
    return yaml.safe_load(gold_path.read_text(encoding="utf-8"))["documents"]


def test_every_seed_is_one_english_document(ingested, gold) -> None:
    summary, docs, _ = ingested
    assert summary.new == 4 and summary.failed == 0
    assert set(docs) == set(gold)
    assert all(d["language"] == "en" for d in docs.values())


@pytest.mark.parametrize("key", ["title", "published", "author", "category", "url"])
def test_metadata_matches_gold(ingested, gold, key: str) -> None:
    _, docs, _ = ingested
    for name, expected in gold.items():
        if key in expected or key in ("title", "published"):
            assert docs[name][key] == expected.get(key), (name, key)


def test_listed_boilerplate_is_gone(ingested, gold) -> None:
    _, docs, _ = ingested
    for name, expected in gold.items():
        for line in expected.get("boilerplate", []):
            assert line not in docs[name]["text"], (name, line)
    assert "Connecting to %s" not in docs["003_4a56ec7d23f7b6cf.txt"]["text"]


def test_photo_captions_stay(ingested, seeds_dir: Path) -> None:
    _, docs, _ = ingested
    source = (seeds_dir / "002_02048890107df0f3.txt").read_text(encoding="utf-8")
    captions = [ln.strip() for ln in source.splitlines() if ln.strip().endswith(" STPM")]
    assert len(captions) == 2
    lines = docs["002_02048890107df0f3.txt"]["text"].split("\n")
    for caption in captions:
        assert caption in lines


def test_titles_are_not_left_in_the_text(ingested) -> None:
    _, docs, _ = ingested
    for doc in docs.values():
        if doc["title"]:
            assert doc["title"] not in doc["text"].split("\n")


def test_markdown_is_plain_text(ingested) -> None:
    _, docs, _ = ingested
    text = docs["002_02048890107df0f3.txt"]["text"]
    assert "**" not in text and "![" not in text and not text.startswith("#")


def test_undated_seeds_get_an_inferred_date_not_a_published_one(ingested) -> None:
    _, docs, _ = ingested
    for name in ("000_95542604e07ae48d.txt", "001_ad6632d848f28cdd.txt",
                 "003_4a56ec7d23f7b6cf.txt"):
        doc = docs[name]
        assert doc["published"] is None and doc["published_precision"] == "unknown"
        assert doc["inferred_date"] and doc["inferred_from"]
    assert docs["000_95542604e07ae48d.txt"]["inferred_date"].startswith("2026")
    assert docs["003_4a56ec7d23f7b6cf.txt"]["inferred_date"] == "2011"
    assert docs["002_02048890107df0f3.txt"]["inferred_date"] is None


def test_second_ingest_adds_nothing(ingested, seeds_dir: Path) -> None:
    _, _, data = ingested
    with Workspace(data).connect(read_only=True) as con:
        before = {t: store.count_rows(con, t) for t in
                  ("documents", "document_sources", "doc_bands", "errors", "near_duplicates")}
    again = ingest_paths([seeds_dir], Settings(data_dir=data))
    assert (again.new, again.duplicates, again.unchanged, again.failed) == (0, 0, 4, 0)
    with Workspace(data).connect(read_only=True) as con:
        after = {t: store.count_rows(con, t) for t in before}
    assert after == before
