"""Reading dyadwatch's YAML data files: one safe loader and one reader of `meta:`-headed files.

`SAFE_LOADER` is PyYAML's safe loader, backed by libyaml when PyYAML was built with it (about
8x faster, which workers feel at start-up); loaders with extra rules subclass it.
`read_data_file(name, path, required)` parses a packaged file (`dyadwatch/data/<name>`) or the
file at `path`, and checks that it is a mapping whose `meta:` gives the `required` keys.
"""

from __future__ import annotations

from collections.abc import Sequence
from importlib import resources
from pathlib import Path
from typing import Any

import yaml

from dyadwatch.errors import DictionaryError

SAFE_LOADER: type[yaml.SafeLoader] = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def read_data_file(
    name: str, path: Path | None = None, required: Sequence[str] = ("name", "version")
) -> tuple[str, dict[str, Any]]:
    """(label, parsed mapping) of the packaged data file `name`, or of `path` when given."""
    label = str(path) if path is not None else f"dyadwatch/data/{name}"
    try:
        if path is not None:
            text = Path(path).read_text(encoding="utf-8")
        else:
            text = resources.files("dyadwatch").joinpath("data", *name.split("/")).read_text(
                encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise DictionaryError(f"{label}: cannot read: {exc}") from exc
    try:
        data = yaml.load(text, Loader=SAFE_LOADER)
    except yaml.YAMLError as exc:
        raise DictionaryError(f"{label}: not valid YAML: {exc}") from exc
    if not isinstance(data, dict) or not isinstance(data.get("meta"), dict):
        raise DictionaryError(f"{label}: expected a mapping with a `meta:` header")
    for key in required:
        if key not in data["meta"]:
            raise DictionaryError(f"{label}: meta has no '{key}'")
    return label, data
