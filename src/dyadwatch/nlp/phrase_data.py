"""Reading the NLP phrase lists (data/nlp/*.yaml).

Every file is `meta:`-headed like all dyadwatch data files (`dyadwatch.datafiles`) and holds the
keys its reader needs. Errors name the file and what is wrong.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from dyadwatch.datafiles import read_data_file
from dyadwatch.errors import DictionaryError


def read_nlp_data(name: str, required: dict[str, type], path: Path | None = None) -> dict[str, Any]:
    """Read `path` (default: the packaged `data/nlp/<name>.yaml`) and check its format.

    `required` maps each key the caller needs to the type its value must have (dict or list).
    Returns the whole mapping; raises DictionaryError naming the file and the problem.
    """
    label, data = read_data_file(f"nlp/{name}.yaml", path)
    for key, kind in required.items():
        if not isinstance(data.get(key), kind):
            raise DictionaryError(f"{label}: `{key}` must be a {kind.__name__}")
    return data


def word_numbers(label: object, raw: object, key: str) -> dict[str, int]:
    """`raw`, which must map words to integers, with the words lower-cased."""
    if not isinstance(raw, dict) or not all(isinstance(v, int) for v in raw.values()):
        raise DictionaryError(f"{label}: `{key}` must map words to integers")
    return {str(k).lower(): int(v) for k, v in raw.items()}
