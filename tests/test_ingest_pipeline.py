"""ingest_paths end to end on files written here: duplicates, near-duplicates, language, and
the contract with the coder (a small recording coder that implements DocumentCoder)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from pathlib import Path

import pytest

from dyadwatch.ingest import IngestSummary
from dyadwatch.records import Actor, Document, Event, Extraction
from dyadwatch.run import ingest_paths
from dyadwatch.settings import Settings
from dyadwatch.store import documents as store
from dyadwatch.store.events import query_events
from dyadwatch.store.workspace import Workspace

STORY = (
    "Cambodia and the United States held their first round of defence talks in six years in "
    "Phnom Penh on Thursday, officials said. The delegations discussed demining, disaster "
    "relief and the return of a military attaché to the embassy. A joint statement said both "
    "sides would meet again early next year in Washington to review progress on training. "
    "The talks come after months of contacts between the two defence ministries, which had "
    "stopped meeting when relations cooled over the naval base at Ream."
)
FRENCH = ("Le Cambodge et les États-Unis ont tenu jeudi à Phnom Penh leur premier cycle de "
          "discussions sur la défense depuis six ans, selon des responsables.")


class RecordingCoder:
    """Codes one event per document and refines its inferred date; remembers what it saw."""

    version = "recording-1"
    dictionary_version = "none"

    def __init__(self) -> None:
        self.seen: list[str] = []

    def code(self, docs: Sequence[Document]) -> list[tuple[Document, Extraction]]:
        out = []
        for doc in docs:
            self.seen.append(doc.doc_source)
            usa = Actor("USAMIL", "USA", "MIL", "the United States")
            khm = Actor("KHMMIL", "KHM", "MIL", "Cambodia")
            event = Event(
                event_id=Event.id_for(doc.doc_id, 0, "KHMMIL", "USAMIL", "040"),
                doc_id=doc.doc_id, doc_source=doc.doc_source, sentence_index=0,
                sentence=doc.text.split(".")[0], date="2025-06", date_end=None,
                date_precision="month", source=khm, target=usa, cameo="040", root="04",
                quad_class=1, goldstein=1.0, plover="CONSULT", modality="occurred",
                negated=False, confidence=0.9, coder_version=self.version,
                dictionary_version=self.dictionary_version,
            )
            refined = replace(doc, inferred_date="2025-06", inferred_precision="month",
                              inferred_from="coder")
            out.append((refined, Extraction(doc_id=doc.doc_id, events=(event,))))
        return out


@pytest.fixture()
def corpus(tmp_path: Path) -> Path:
    root = tmp_path / "in"
    (root / "copy").mkdir(parents=True)
    (root / "story.txt").write_text(STORY, encoding="utf-8")
    (root / "copy" / "story.txt").write_text(STORY, encoding="utf-8")
    edited = STORY.replace("on Thursday", "on Thursday morning").replace("early", "in the")
    (root / "story-edited.txt").write_text(edited, encoding="utf-8")
    (root / "french.txt").write_text(FRENCH, encoding="utf-8")
    return root


def test_duplicates_sources_near_duplicates_and_language(corpus: Path, workspace_dir) -> None:
    summary = ingest_paths([corpus], Settings(data_dir=workspace_dir, batch_size=2))
    assert (summary.new, summary.duplicates, summary.near_duplicates) == (3, 1, 1)
    assert summary.non_english == 1
    with Workspace(workspace_dir).connect(read_only=True) as con:
        docs = {Path(d["doc_source"]).name: d for d in store.query_documents(con)}
        near = store.query_near_duplicates(con)
    assert len(docs["story.txt"]["sources"]) == 2
    assert docs["french.txt"]["language"] == "fr"
    [pair] = near
    assert {pair["doc_id"], pair["near_doc_id"]} == {docs["story.txt"]["doc_id"],
                                                     docs["story-edited.txt"]["doc_id"]}
    assert 0.7 <= pair["similarity"] < 1.0


def test_coder_sees_new_english_documents_once(corpus: Path, workspace_dir) -> None:
    coder = RecordingCoder()
    seen_progress: list[IngestSummary] = []
    settings = Settings(data_dir=workspace_dir, batch_size=2)
    summary = ingest_paths([corpus], settings, coder, seen_progress.append)
    assert sorted(Path(s).name for s in coder.seen) == ["story-edited.txt", "story.txt"]
    assert (summary.coded, summary.events) == (2, 2)
    assert len(seen_progress) == summary.batches == 2
    assert [p.inputs for p in seen_progress] == [2, 4]
    with Workspace(workspace_dir).connect(read_only=True) as con:
        docs = store.query_documents(con)
        events = query_events(con)
    coded = {Path(d["doc_source"]).name: d for d in docs if d["coded"]}
    assert set(coded) == {"story.txt", "story-edited.txt"}
    assert all(d["inferred_date"] == "2025-06" for d in coded.values())
    assert {e.doc_id for e in events} == {d["doc_id"] for d in coded.values()}
    again = ingest_paths([corpus], settings, coder)
    assert again.new == 0 and len(coder.seen) == 2


class PickyCoder(RecordingCoder):
    """Fails on any batch holding a document that mentions Washington."""

    def code(self, docs: Sequence[Document]) -> list[tuple[Document, Extraction]]:
        if any("Washington" in d.text for d in docs):
            raise RuntimeError("cannot parse this text")
        return super().code(docs)


def test_a_coder_failure_costs_one_document_not_the_batch(corpus: Path, workspace_dir) -> None:
    (corpus / "other.txt").write_text(STORY.replace("Washington", "Canberra").replace(
        "Cambodia and", "Laos and"), encoding="utf-8")
    coder = PickyCoder()
    summary = ingest_paths([corpus], Settings(data_dir=workspace_dir, batch_size=10), coder)
    assert summary.new == 4 and summary.coded == 1
    with Workspace(workspace_dir).connect(read_only=True) as con:
        docs = {Path(d["doc_source"]).name: d["coded"] for d in store.query_documents(con)}
        errors = store.query_errors(con)
    assert docs["other.txt"] is True and docs["story.txt"] is False
    assert any("coder failed" in e["reason"] and "story.txt" in e["reason"] for e in errors)


def test_public_surface_of_the_ingest_package() -> None:
    import dyadwatch.ingest as ingest
    import dyadwatch.run as run

    # `ingest_paths` starts a whole run (code, write, settle): it moved to dyadwatch.run
    assert sorted(ingest.__all__) == [
        "CleanText", "IngestOptions", "IngestRules", "IngestSummary", "ReadOptions",
        "build_document", "clean_text", "load_ingest_rules", "read_inputs",
    ]
    assert all(hasattr(ingest, name) for name in ingest.__all__)
    assert "ingest_paths" in run.__all__ and "ingest_paths" not in ingest.__all__


def test_near_pairs_compare_each_new_signature_with_those_before_it() -> None:
    from dyadwatch.ingest.dedup import near_pairs, signature_of
    from dyadwatch.ingest.rules import load_ingest_rules

    rules = load_ingest_rules().minhash
    edited = STORY.replace("on Thursday", "on Thursday morning")
    other = STORY.replace("defence", "trade").replace("demining", "tariffs")
    stored, same, near, far = (signature_of(t, rules) for t in (STORY, STORY, edited, FRENCH))
    narrow = replace(stored, values=stored.values[: len(stored.values) // 2])
    signatures = [narrow, stored, far, same, near, signature_of(other, rules)]
    pairs = near_pairs(signatures, first=3, threshold=rules.near_threshold)
    assert [(i, j) for i, j, _ in pairs] == [(3, 1), (4, 1), (4, 3)]  # never the narrow one
    assert pairs[0][2] == 1.0 and rules.near_threshold <= pairs[1][2] < 1.0
    assert near_pairs(signatures, first=6, threshold=0.0) == []
