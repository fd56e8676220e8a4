"""Reading the NLP phrase lists (data/nlp/*.yaml): one loader that checks the shared format.

Every file is a YAML mapping with a `meta:` header (name, version, source or notes) and the
keys its reader needs. Errors name the file and what is wrong.
"""

from __future__ import annotations

from importlib import resources
from pathlib import Path
from typing import Any

import yaml

from dyadwatch.errors import DictionaryError


def nlp_data_path(name: str) -> Path:
    """The packaged data file `data/nlp/<name>.yaml`."""
    return Path(str(resources.files("dyadwatch") / "data" / "nlp" / f"{name}.yaml"))


def read_nlp_data(name: str, required: dict[str, type], path: Path | None = None) -> dict[str, Any]:
    """Read `path` (default: the packaged `data/nlp/<name>.yaml`) and check its format.

    `required` maps each key the caller needs to the type its value must have (dict or list).
    Returns the whole mapping; raises DictionaryError naming the file and the problem.
    """
    source = path or nlp_data_path(name)
    try:
        data = yaml.safe_load(Path(source).read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as exc:
        raise DictionaryError(f"{source}: cannot read phrase data: {exc}") from exc
    if not isinstance(data, dict):
        raise DictionaryError(f"{source}: expected a mapping at the top level")
    meta = data.get("meta")
    if not isinstance(meta, dict) or not meta.get("name") or not meta.get("version"):
        raise DictionaryError(f"{source}: missing `meta:` header with name and version")
    for key, kind in required.items():
        if not isinstance(data.get(key), kind):
            raise DictionaryError(f"{source}: `{key}` must be a {kind.__name__}")
    return data
