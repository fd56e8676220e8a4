"""Coding stage: actor codes from dictionaries and context, CAMEO events from verb patterns."""

from dyadwatch.coding.api import DocumentCoder, load_coder

__all__ = ["DocumentCoder", "load_coder"]
