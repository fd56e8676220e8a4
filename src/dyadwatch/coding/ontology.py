"""The CAMEO ontology table: event code -> name, Goldstein value, QuadClass and PLOVER type.

Reads `data/cameo/ontology.tsv` (format in `data/cameo/README.md`) and returns an `Ontology`.
Every row is validated; a bad row raises `DictionaryError` naming the file and line.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from types import MappingProxyType

from dyadwatch.errors import DictionaryError

logger = logging.getLogger(__name__)

DATA_DIR = Path(__file__).resolve().parent.parent / "data" / "cameo"
DEFAULT_ONTOLOGY = DATA_DIR / "ontology.tsv"

PLOVER_TYPES = frozenset(
    {
        "AGREE", "CONSULT", "SUPPORT", "CONCEDE", "COOPERATE", "AID", "RETREAT", "REQUEST",
        "ACCUSE", "REJECT", "THREATEN", "PROTEST", "SANCTION", "MOBILIZE", "COERCE", "ASSAULT",
    }
)
COLUMNS = ("code", "quad_class", "goldstein", "plover", "name", "plover_note")
ROOTS = tuple(f"{n:02d}" for n in range(1, 21))
_CODE_RE = re.compile(r"^\d{2,4}$")


def quad_class_of_root(root: str) -> int:
    """QuadClass of a two-digit CAMEO root: 1 for 01-05, 2 for 06-09, 3 for 10-14, 4 for 15-20."""
    number = int(root)
    if not 1 <= number <= 20:
        raise ValueError(f"not a CAMEO root: {root!r}")
    if number <= 5:
        return 1
    if number <= 9:
        return 2
    return 3 if number <= 14 else 4


@dataclass(frozen=True)
class CameoCode:
    """One CAMEO event code with what it maps to."""

    code: str
    name: str
    root: str
    goldstein: float
    quad_class: int
    plover: str
    plover_note: str = ""


@dataclass(frozen=True)
class Ontology:
    """All CAMEO codes of one table version, looked up by code string ("057", "0312")."""

    codes: Mapping[str, CameoCode]
    version: str
    name: str
    source: str
    path: str

    def get(self, code: str) -> CameoCode:
        """The record of `code`; raises KeyError naming the code when it is not in the table."""
        try:
            return self.codes[code]
        except KeyError:
            raise KeyError(f"unknown CAMEO code {code!r} (ontology {self.version})") from None

    def __contains__(self, code: object) -> bool:
        return code in self.codes

    def __iter__(self) -> Iterator[CameoCode]:
        return iter(self.codes.values())

    def __len__(self) -> int:
        return len(self.codes)


def load_ontology(path: Path | None = None) -> Ontology:
    """Read and validate the ontology table at `path` (default: the packaged table)."""
    path = path or DEFAULT_ONTOLOGY
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise DictionaryError(f"{path}: cannot read the ontology table ({exc})") from exc
    meta, rows = _split_header(path, text)
    codes: dict[str, CameoCode] = {}
    for lineno, line in rows:
        record = _parse_row(path, lineno, line)
        if record.code in codes:
            raise DictionaryError(f"{path}:{lineno}: code {record.code} appears twice")
        codes[record.code] = record
    _check_hierarchy(path, codes)
    logger.debug("loaded %d CAMEO codes from %s", len(codes), path)
    return Ontology(
        codes=MappingProxyType(codes),
        version=meta["version"],
        name=meta["name"],
        source=meta.get("source", ""),
        path=str(path),
    )


def _split_header(path: Path, text: str) -> tuple[dict[str, str], list[tuple[int, str]]]:
    """The `# meta: key=value` lines and the data rows (with line numbers) after the column row."""
    meta: dict[str, str] = {}
    rows: list[tuple[int, str]] = []
    seen_columns = False
    for lineno, line in enumerate(text.splitlines(), start=1):
        if line.startswith("#"):
            key, sep, value = line.lstrip("#").strip().removeprefix("meta:").partition("=")
            if sep:
                meta[key.strip()] = value.strip()
        elif not line.strip():
            continue
        elif not seen_columns:
            if tuple(line.split("\t")) != COLUMNS:
                raise DictionaryError(
                    f"{path}:{lineno}: expected the column row {' | '.join(COLUMNS)}"
                )
            seen_columns = True
        else:
            rows.append((lineno, line))
    for key in ("name", "version"):
        if not meta.get(key):
            raise DictionaryError(f"{path}: header lacks '# meta: {key}=...'")
    if not seen_columns:
        raise DictionaryError(f"{path}: no column row found")
    return meta, rows


def _parse_row(path: Path, lineno: int, line: str) -> CameoCode:
    """One validated data row."""
    where = f"{path}:{lineno}"
    cells = line.split("\t")
    if len(cells) != len(COLUMNS):
        raise DictionaryError(
            f"{where}: expected {len(COLUMNS)} tab-separated cells, got {len(cells)}"
        )
    code, quad, goldstein, plover, name, note = (cell.strip() for cell in cells)
    if not _CODE_RE.match(code) or code[:2] not in ROOTS:
        raise DictionaryError(f"{where}: {code!r} is not a CAMEO code (2-4 digits, root 01-20)")
    try:
        quad_class, value = int(quad), float(goldstein)
    except ValueError:
        raise DictionaryError(f"{where}: code {code}: quad_class/goldstein not numbers") from None
    if quad_class != quad_class_of_root(code[:2]):
        raise DictionaryError(
            f"{where}: code {code}: quad_class {quad_class} but root {code[:2]} is "
            f"quad class {quad_class_of_root(code[:2])}"
        )
    if not -10.0 <= value <= 10.0:
        raise DictionaryError(f"{where}: code {code}: Goldstein {value} outside -10..10")
    if plover not in PLOVER_TYPES:
        raise DictionaryError(f"{where}: code {code}: {plover!r} is not a PLOVER event type")
    if not name:
        raise DictionaryError(f"{where}: code {code}: empty name")
    return CameoCode(code, name, code[:2], value, quad_class, plover, note)


def _check_hierarchy(path: Path, codes: Mapping[str, CameoCode]) -> None:
    """Every root 01-20 is present and every sub-code's parent is in the table."""
    missing = [root for root in ROOTS if root not in codes]
    if missing:
        raise DictionaryError(f"{path}: roots missing: {', '.join(missing)}")
    for code in codes:
        parent = code[:-1] if len(code) == 4 else code[:2]
        if parent not in codes:
            raise DictionaryError(f"{path}: code {code} has no parent {parent} in the table")
