"""Scoring coded events against a gold file (the format of shared/gold/seeds.yaml).

The rules are those written at the top of that file: an event matches a gold event when both
actors' country codes match (either direction when the gold says `symmetric`), the system code
starts with one of the gold's `accept` prefixes, the dates agree to the gold's precision (a null
gold date accepts any date; a gold range accepts a date inside it), the event is not negated, and a
gold event that did not (yet) happen is matched only by a non-occurred modality.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from dyadwatch.errors import GoldFileError
from dyadwatch.records import Event

NOT_OCCURRED = frozenset({"intended", "expected", "planned"})
REQUIRED_KEYS = ("id", "doc", "tier", "source", "target", "accept")


@dataclass(frozen=True, slots=True)
class GoldEvent:
    gold_id: str
    doc: str
    tier: str
    date: str | None
    date_end: str | None
    sources: frozenset[str]
    targets: frozenset[str]
    symmetric: bool
    accept: tuple[str, ...]
    modality: str
    evidence: str


@dataclass(frozen=True, slots=True)
class EvalResult:
    core: tuple[int, int]
    extended: tuple[int, int]
    supported: int
    in_gold_docs: int
    missed: tuple[GoldEvent, ...]
    unsupported: tuple[Event, ...]

    def summary(self) -> str:
        return (
            f"core {self.core[0]}/{self.core[1]}  extended {self.extended[0]}/{self.extended[1]}"
            f"  supported {self.supported}/{self.in_gold_docs}"
        )


def _countries(value: Any) -> frozenset[str]:
    values = value if isinstance(value, list) else [value]
    return frozenset(str(v or "")[:3].upper() for v in values)


def load_gold(path: Path) -> list[GoldEvent]:
    """The gold events of a gold YAML file; a malformed file raises GoldFileError."""
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as exc:
        raise GoldFileError(f"{path}: cannot read gold file: {exc}") from exc
    rows = data.get("events") if isinstance(data, dict) else None
    if not isinstance(rows, list):
        raise GoldFileError(f"{path}: no `events:` list")
    gold = []
    for n, row in enumerate(rows):
        missing = [k for k in REQUIRED_KEYS if not isinstance(row, dict) or k not in row]
        if missing:
            raise GoldFileError(f"{path}: event #{n + 1} lacks {', '.join(missing)}")
        gold.append(
            GoldEvent(
                gold_id=str(row["id"]), doc=str(row["doc"]), tier=str(row["tier"]),
                date=None if row.get("date") is None else str(row["date"]),
                date_end=None if row.get("date_end") is None else str(row["date_end"]),
                sources=_countries(row["source"]), targets=_countries(row["target"]),
                symmetric=bool(row.get("symmetric", False)),
                accept=tuple(str(a) for a in row["accept"]),
                modality=str(row.get("modality", "occurred")),
                evidence=str(row.get("evidence", "")),
            )
        )
    return gold


def in_document(doc: str, event: Event) -> bool:
    source = event.doc_source
    return os.path.basename(source) == doc or source.endswith(("#" + doc, ":" + doc, "/" + doc))


def _dates_agree(gold: GoldEvent, event: Event) -> bool:
    if gold.date is None:
        return True
    if not event.date:
        return False
    g, s = gold.date, event.date
    if s.startswith(g) or g.startswith(s):
        return True
    return bool(gold.date_end) and g <= s[: len(g)] <= str(gold.date_end)


def matches(gold: GoldEvent, event: Event) -> bool:
    if not in_document(gold.doc, event) or event.negated:
        return False
    src = event.source.country_key
    tgt = event.target.country_key
    forward = src in gold.sources and tgt in gold.targets
    backward = gold.symmetric and src in gold.targets and tgt in gold.sources
    if not (forward or backward):
        return False
    if not any(event.cameo.startswith(a) for a in gold.accept) or not _dates_agree(gold, event):
        return False
    if gold.modality == "any":
        return True
    if gold.modality in NOT_OCCURRED:
        return event.modality in NOT_OCCURRED
    return event.modality not in NOT_OCCURRED


def evaluate(gold: Sequence[GoldEvent], events: Sequence[Event]) -> EvalResult:
    """Recall per tier, and how many system events in the gold documents some gold supports."""
    tiers = {"core": [0, 0], "extended": [0, 0]}
    missed = []
    for g in gold:
        hit = any(matches(g, e) for e in events)
        tally = tiers.setdefault(g.tier, [0, 0])
        tally[0] += hit
        tally[1] += 1
        if not hit:
            missed.append(g)
    docs = {g.doc for g in gold}
    in_docs = [e for e in events if any(in_document(d, e) for d in docs)]
    unsupported = [e for e in in_docs if not any(matches(g, e) for g in gold)]
    return EvalResult(
        core=(tiers["core"][0], tiers["core"][1]),
        extended=(tiers["extended"][0], tiers["extended"][1]),
        supported=len(in_docs) - len(unsupported),
        in_gold_docs=len(in_docs),
        missed=tuple(missed),
        unsupported=tuple(unsupported),
    )
