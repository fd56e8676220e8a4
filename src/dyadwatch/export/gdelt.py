"""GDELT 2.0-style event rows: the 61 columns of the GDELT event table, tab-separated.

Reads clusters (one row per real-world event, as GDELT has one row per event) and the
documents they came from; fills the columns dyadwatch knows (dates, actors with their role
codes as Type1-3 and an organisation as KnownGroupCode, codes, counts, DATEADDED, SOURCEURL,
and ActionGeo_* from the event's location: `export.geo`) and leaves the rest empty: actor
geography, tone (we do not score it), ethnic and religious codes. The column list is a data file
(data/gdelt_columns.yaml). Negated events are left out (GDELT has no way to say an event did
not happen). As GDELT files, rows have no header line unless asked.

Counts: NumMentions = sentences, NumArticles = distinct documents, NumSources = distinct
outlets (documents of unknown outlet count as their own; analysis.counts).

Dates of month or year precision: SQLDATE, MonthYear and Year hold the period's first day,
and FractionDate shows the precision the GDELT way, without the parts not known: a month is
YYYY + (MONTH·30)/365 (no day), a year is YYYY.0000. dyadwatch's own CSV has the
`date_precision` column.
"""

from __future__ import annotations

import csv
from collections.abc import Iterable, Mapping
from pathlib import Path

from dyadwatch.analysis.clusters import Cluster
from dyadwatch.analysis.codes import organisation_codes
from dyadwatch.analysis.counts import outlets_of
from dyadwatch.analysis.tables import META_KEYS, DescriptionTables
from dyadwatch.datafiles import read_data_file
from dyadwatch.errors import DictionaryError
from dyadwatch.export.geo import action_geo_fields
from dyadwatch.store.analysis import DocumentInfo

GDELT_COLUMN_COUNT = 61
LEAD_SENTENCES = 3  # a mention in the first three sentences counts as a root (lead) event


def load_gdelt_columns(path: Path | None = None) -> tuple[str, ...]:
    """The 61 GDELT 2.0 event-table column names, in order, from gdelt_columns.yaml."""
    label, data = read_data_file("gdelt_columns.yaml", path, META_KEYS)
    columns = data.get("columns")
    if not isinstance(columns, list) or not all(isinstance(c, str) for c in columns):
        raise DictionaryError(f"{label}: 'columns' must be a list of names")
    if len(columns) != GDELT_COLUMN_COUNT or len(set(columns)) != len(columns):
        raise DictionaryError(
            f"{label}: expected {GDELT_COLUMN_COUNT} distinct columns, got {len(columns)}"
        )
    return tuple(columns)


def fraction_date(day: str, precision: str = "day") -> str:
    """GDELT's YYYY.FFFF: year + (month·30 + day) / 365, four decimals; the day is left out
    (0) for month precision and month and day for year precision."""
    year, month, dom = int(day[:4]), int(day[5:7]), int(day[8:10])
    if precision == "year":
        month = dom = 0
    elif precision == "month":
        dom = 0
    return f"{year + (month * 30 + dom) / 365:.4f}"


def global_event_id(cluster_id: str) -> str:
    """A positive integer from the cluster id's first 15 hex digits (fits GDELT's INTEGER)."""
    try:
        return str(int(cluster_id[:15], 16))
    except ValueError:
        return ""


def _actor_fields(prefix: str, cluster: Cluster, side: str,
                  tables: DescriptionTables) -> dict[str, str]:
    actor = cluster.source if side == "source" else cluster.target
    code = actor.code or ""
    roles = [code[i:i + 3] for i in range(3, len(code), 3)] or [actor.role or ""]
    fields = {
        f"{prefix}Code": code,
        f"{prefix}Name": tables.actor_name(actor).upper(),
        f"{prefix}CountryCode": actor.country or "",
        **{f"{prefix}Type{n}Code": role for n, role in enumerate(roles[:3], start=1)},
    }
    if actor.country and actor.country in organisation_codes():
        fields[f"{prefix}KnownGroupCode"] = actor.country
        fields[f"{prefix}CountryCode"] = ""  # GDELT: a known group is not a country
    return fields


def _date_fields(cluster: Cluster) -> dict[str, str]:
    day = cluster.date_start
    if not day:
        return {}
    return {"SQLDATE": day.replace("-", ""), "MonthYear": day[:7].replace("-", ""),
            "Year": day[:4], "FractionDate": fraction_date(day, cluster.date_precision)}


def _document_fields(cluster: Cluster, docs: Mapping[str, DocumentInfo]) -> dict[str, str]:
    first = cluster.mentions[0]
    doc = docs.get(first.doc_id)
    added = sorted(d.ingested_at for i in cluster.doc_ids if (d := docs.get(i)) and d.ingested_at)
    stamp = "".join(ch for ch in added[0] if ch.isdigit())[:14] if added else ""
    return {"DATEADDED": stamp, "SOURCEURL": (doc.url if doc and doc.url else first.doc_source)}


def gdelt_row(cluster: Cluster, docs: Mapping[str, DocumentInfo],
              tables: DescriptionTables) -> dict[str, str]:
    """The known GDELT fields of one cluster (column name -> text)."""
    lead = any(m.sentence_index < LEAD_SENTENCES for m in cluster.mentions)
    row = {
        "GLOBALEVENTID": global_event_id(cluster.cluster_id),
        **_date_fields(cluster),
        **_actor_fields("Actor1", cluster, "source", tables),
        **_actor_fields("Actor2", cluster, "target", tables),
        "IsRootEvent": "1" if lead else "0",
        "EventCode": cluster.cameo, "EventBaseCode": cluster.cameo[:3],
        "EventRootCode": cluster.root, "QuadClass": str(cluster.quad_class),
        "GoldsteinScale": f"{cluster.goldstein:g}", "NumMentions": str(cluster.num_mentions),
        "NumSources": str(outlets_of(cluster.doc_ids, docs)),
        "NumArticles": str(cluster.num_sources),
        **_document_fields(cluster, docs),
        **action_geo_fields(cluster.mentions),
    }
    return row


def write_gdelt(
    path: Path, clusters: Iterable[Cluster], docs: Mapping[str, DocumentInfo],
    tables: DescriptionTables, columns: tuple[str, ...], header: bool = False,
) -> int:
    """Write the clusters as GDELT rows (TSV; a header row only with `header=True`)."""
    count = 0
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle, delimiter="\t", lineterminator="\n",
                            quoting=csv.QUOTE_MINIMAL)
        if header:
            writer.writerow(columns)
        for cluster in clusters:
            if cluster.negated:
                continue
            row = gdelt_row(cluster, docs, tables)
            writer.writerow([_clean(row.get(c, "")) for c in columns])
            count += 1
    return count


def _clean(value: str) -> str:
    # tabs and newlines would break the TSV columns
    return " ".join(value.split()) if value else ""
