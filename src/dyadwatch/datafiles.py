"""Reading dyadwatch's YAML data files: one loader, one set of checks, for every file.

Every packaged data file (`dyadwatch/data/**.yaml`) and every user file in one of their formats
(an actor file, a pattern file given in place of the packaged one) is read by
`read_data_file(name, path, required)`, which

- finds a packaged file through `importlib.resources` (`packaged_path`), or reads `path`;
- parses it with `DataLoader`: PyYAML's safe loader (libyaml-backed when PyYAML has it, about
  8x faster, which workers feel at start-up) with the YAML 1.2 core rules for plain words: only
  `true`/`false` are booleans (so `on`, `off`, `no`, `yes` stay words and need no quotes), only
  plain decimal digits and `0x` hex are integers (`057` stays the string "057", as a CAMEO code
  should), a date stays a string, and a key given twice in one mapping is an error (YAML
  would keep the last one silently);
- checks that the document is a mapping whose `meta:` mapping gives the `required` keys (name and
  version by default).

Every problem raises `DictionaryError` naming the file (and the line, for YAML syntax errors).
What each file must hold beyond that is checked by its own reader.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from importlib import resources
from pathlib import Path
from typing import Any

import yaml

from dyadwatch.errors import DictionaryError

_BASE_LOADER: type[yaml.SafeLoader] = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
_BOOL = "tag:yaml.org,2002:bool"
_INT = "tag:yaml.org,2002:int"
_TIMESTAMP = "tag:yaml.org,2002:timestamp"
_CORE_RULES = {
    _BOOL: (re.compile(r"^(?:true|True|TRUE|false|False|FALSE)$"), "tTfF"),
    _INT: (re.compile(r"^(?:[-+]?(?:0|[1-9][0-9]*)|0x[0-9a-fA-F]+)$"), "-+0123456789"),
}


class DataLoader(_BASE_LOADER):  # type: ignore[misc,valid-type]
    """The safe loader of every data file: YAML 1.2 core booleans and integers, no implicit
    dates, no duplicate keys."""

    def construct_mapping(self, node: yaml.MappingNode, deep: bool = False) -> dict[Any, Any]:
        seen = set()
        for key_node, _ in node.value:
            key = self.construct_object(key_node, deep=deep)  # type: ignore[no-untyped-call]
            if key in seen:
                raise yaml.constructor.ConstructorError(
                    None, None, f"duplicate key {key!r}", key_node.start_mark
                )
            seen.add(key)
        return super().construct_mapping(node, deep=deep)  # type: ignore[no-any-return]


def _core_resolvers() -> dict[Any, list[tuple[str, re.Pattern[str]]]]:
    replaced = (_BOOL, _INT, _TIMESTAMP)
    table: dict[Any, list[tuple[str, re.Pattern[str]]]] = {
        first: [(tag, regex) for tag, regex in rules if tag not in replaced]
        for first, rules in yaml.SafeLoader.yaml_implicit_resolvers.items()
    }
    for tag, (regex, firsts) in _CORE_RULES.items():
        for first in firsts:
            table.setdefault(first, []).insert(0, (tag, regex))
    return table


DataLoader.yaml_implicit_resolvers = _core_resolvers()


def packaged_path(name: str) -> Path:
    """The packaged data file `dyadwatch/data/<name>` (`name` uses / between folders). Package
    data is installed as plain files (setuptools package-data), so it has a path."""
    return Path(str(resources.files("dyadwatch").joinpath("data", *name.split("/"))))


def parse_yaml(text: str, label: str) -> Any:
    """`text` parsed by DataLoader; DictionaryError naming `label` and the line when invalid."""
    try:
        return yaml.load(text, Loader=DataLoader)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = f":{mark.line + 1}" if mark is not None else ""
        parts = [getattr(exc, "context", None), getattr(exc, "problem", None)]
        reason = "; ".join(str(p) for p in parts if p) or " ".join(str(exc).split())
        raise DictionaryError(f"{label}{line}: not valid YAML: {reason}") from exc


def read_data_file(
    name: str, path: Path | None = None, required: Sequence[str] = ("name", "version")
) -> tuple[str, dict[str, Any]]:
    """(label, parsed mapping) of the packaged data file `name`, or of `path` when given.

    The label names the file in messages: `path` as given, or `dyadwatch/data/<name>`."""
    label = str(path) if path is not None else f"dyadwatch/data/{name}"
    try:
        text = Path(path if path is not None else packaged_path(name)).read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        reason = getattr(exc, "strerror", None) or exc
        raise DictionaryError(f"{label}: cannot read: {reason}") from exc
    data = parse_yaml(text, label)
    if not isinstance(data, dict) or not isinstance(data.get("meta"), dict):
        raise DictionaryError(f"{label}: expected a mapping with a `meta:` header")
    if not all(data["meta"].get(key) for key in required):
        raise DictionaryError(f"{label}: meta must give {' and '.join(required)}")
    return label, data
