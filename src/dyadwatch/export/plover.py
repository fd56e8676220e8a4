"""PLOVER JSON records, one per real-world event (cluster), as JSON Lines.

Fields follow the PLOVER JSON table: id, has_event, date, enddate, actor and recipient (lists
of entity objects: code, sector, entity_text, identifier_text), event (the PLOVER types),
quad_code, mode and context (auxiliary modes "future" for planned/intended/expected events
and "negation" for negated ones; context: the PLOVER contexts of any of its mentions,
dyadwatch.contexts), event_text, text, link, coder and
cite_info; plus a `dyadwatch` block with the CAMEO code, Goldstein value and every mention.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

from dyadwatch.analysis.clusters import Cluster
from dyadwatch.analysis.tables import DescriptionTables
from dyadwatch.analysis.timeline import describe
from dyadwatch.export.geo import best_location
from dyadwatch.records import Actor
from dyadwatch.store.analysis import DocumentInfo
from dyadwatch.store.events import date_start

PLOVER_REQUIRED = ("id", "date", "actor", "event")
FUTURE_MODALITIES = ("intended", "expected", "planned")


def _entity(actor: Actor, tables: DescriptionTables) -> dict[str, Any]:
    return {
        "code": actor.country_key or None, "sector": actor.role,
        "entity_text": actor.text, "identifier_text": tables.actor_name(actor),
        "cameo_code": actor.code,
    }


def _location(cluster: Cluster) -> dict[str, Any] | None:
    """Where the event happened (the most precise location of its mentions), else None."""
    found = best_location(cluster.mentions)
    return found.to_dict() if found else None


def _modes(cluster: Cluster) -> list[str]:
    modes = []
    if cluster.modality in FUTURE_MODALITIES:
        modes.append("future")
    if cluster.negated:
        modes.append("negation")
    return modes


def _event_date(cluster: Cluster, docs: Mapping[str, DocumentInfo]) -> str | None:
    """The cluster's first day, else its first document's date (PLOVER requires a date)."""
    if cluster.date_start:
        return cluster.date_start
    for doc_id in cluster.doc_ids:
        doc = docs.get(doc_id)
        if doc and doc.anchor_date:
            return date_start(doc.anchor_date)
    return None


def plover_record(cluster: Cluster, docs: Mapping[str, DocumentInfo],
                  tables: DescriptionTables) -> dict[str, Any] | None:
    """The PLOVER record of a cluster, or None when no date at all can be given."""
    date = _event_date(cluster, docs)
    if date is None:
        return None
    first = cluster.mentions[0]
    doc = docs.get(first.doc_id)
    end = date_start(cluster.date_end) if cluster.date_end else None
    return {
        "id": cluster.cluster_id, "has_event": True, "date": date, "enddate": end,
        "actor": [_entity(cluster.source, tables)],
        "recipient": [_entity(cluster.target, tables)],
        "event": [cluster.plover], "quad_code": cluster.quad_class,
        "mode": _modes(cluster),
        "context": sorted({c for m in cluster.mentions for c in m.contexts}),
        "event_text": describe(cluster, tables), "text": first.sentence,
        "link": doc.url if doc and doc.url else first.doc_source,
        "cite_info": doc.title if doc else None,
        "coder": f"dyadwatch {first.coder_version}",
        "location": _location(cluster),
        "dyadwatch": {
            "cameo": cluster.cameo, "goldstein": cluster.goldstein,
            "date_precision": cluster.date_precision, "modality": cluster.modality,
            "num_sources": cluster.num_sources,
            "mentions": [{"event_id": m.event_id, "doc_source": m.doc_source,
                          "sentence": m.sentence} for m in cluster.mentions],
        },
    }


def write_plover(path: Path, clusters: Iterable[Cluster], docs: Mapping[str, DocumentInfo],
                 tables: DescriptionTables) -> tuple[int, int]:
    """Write one PLOVER record per line; returns (written, skipped for lack of a date)."""
    written = skipped = 0
    with path.open("w", encoding="utf-8") as handle:
        for cluster in clusters:
            record = plover_record(cluster, docs, tables)
            if record is None:
                skipped += 1
                continue
            handle.write(json.dumps(record, ensure_ascii=False) + "\n")
            written += 1
    return written, skipped
