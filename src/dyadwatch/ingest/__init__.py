"""Ingest stage: files, folders, feeds and dumps in; cleaned, dated, de-duplicated documents out.

The steps are listed in `prepare.py`; cleaning steps in `clean.py`; formats in `readers.py`.
A run (`dyadwatch.run`) drives this stage; it imports neither coding nor the store.
"""

from dyadwatch.ingest.clean import CleanText, clean_text
from dyadwatch.ingest.prepare import IngestOptions, IngestSummary, build_document
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
    "load_ingest_rules",
    "read_inputs",
]
