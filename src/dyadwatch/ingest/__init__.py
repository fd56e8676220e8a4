"""Ingest stage: files, folders, feeds and dumps in; cleaned, dated, de-duplicated documents out.

The cascade is listed in `pipeline.py`; cleaning steps in `clean.py`; formats in `readers.py`.
"""

from dyadwatch.ingest.clean import CleanText, clean_text
from dyadwatch.ingest.pipeline import IngestOptions, IngestSummary, build_document, ingest_paths
from dyadwatch.ingest.readers import ReadOptions, read_inputs
from dyadwatch.ingest.rules import IngestRules, load_ingest_rules

__all__ = [
    "CleanText",
    "IngestOptions",
    "IngestRules",
    "IngestSummary",
    "ReadOptions",
    "build_document",
    "clean_text",
    "ingest_paths",
    "load_ingest_rules",
    "read_inputs",
]
