"""The layers of a run (issue #13): `ingest/` imports neither coding nor the store, and no
module outside `store/` runs SQL or holds DDL. Read from the source (every import, also inside
functions and under TYPE_CHECKING) and checked again on the imported modules."""

from __future__ import annotations

import ast
import re
import subprocess
import sys
from pathlib import Path

PACKAGE = Path(__file__).resolve().parent.parent / "src" / "dyadwatch"
SQL_METHODS = {"execute", "executemany", "sql", "from_query"}
DDL = re.compile(r"\b(CREATE|ALTER|DROP)\s+(OR\s+REPLACE\s+)?(TEMP\s+)?(TABLE|VIEW|INDEX|"
                 r"SEQUENCE|SCHEMA|MACRO)\b", re.IGNORECASE)


def modules(folder: Path) -> list[Path]:
    return sorted(folder.rglob("*.py"))


def imported(tree: ast.AST) -> set[str]:
    """Every module an `import` or `from ... import` names, wherever it stands."""
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module)
            names.update(f"{node.module}.{alias.name}" for alias in node.names)
    return names


def sql_calls(tree: ast.AST) -> list[int]:
    """Lines calling `<anything>.execute(...)` and the other DuckDB SQL entry points."""
    return [node.lineno for node in ast.walk(tree) if isinstance(node, ast.Call)
            and isinstance(node.func, ast.Attribute) and node.func.attr in SQL_METHODS]


def ddl_strings(tree: ast.AST) -> list[int]:
    return [node.lineno for node in ast.walk(tree) if isinstance(node, ast.Constant)
            and isinstance(node.value, str) and DDL.search(node.value)]


def parse(path: Path) -> ast.AST:
    return ast.parse(path.read_text(encoding="utf-8"), filename=str(path))


def test_the_checks_find_what_they_look_for() -> None:
    sample = ast.parse('import dyadwatch.store.documents\n'
                       'def f(con):\n'
                       '    from dyadwatch.coding.api import load_coder\n'
                       '    con.execute("CREATE TABLE t (a INTEGER)")\n')
    assert {"dyadwatch.store.documents", "dyadwatch.coding.api"} <= imported(sample)
    assert sql_calls(sample) == [4] and ddl_strings(sample) == [4]


def test_the_ingest_stage_imports_neither_coding_nor_the_store() -> None:
    found = {
        f"{path.relative_to(PACKAGE)}: {name}"
        for path in modules(PACKAGE / "ingest") for name in imported(parse(path))
        if name.startswith(("dyadwatch.coding", "dyadwatch.store", "dyadwatch.run"))
    }
    assert found == set()


def test_importing_the_ingest_stage_loads_no_coding_nor_store_module() -> None:
    """The same, transitively: what importing every ingest module brings in."""
    names = [f"dyadwatch.ingest.{p.stem}" for p in modules(PACKAGE / "ingest")
             if p.stem != "__init__"]
    code = ("import sys\n" + "".join(f"import {n}\n" for n in names)
            + "print('\\n'.join(sorted(m for m in sys.modules if m.startswith("
              "('dyadwatch.coding', 'dyadwatch.store', 'dyadwatch.run', 'duckdb')))))")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          check=True)
    assert len(names) >= 10  # every module of the stage was imported
    assert done.stdout.split() == []


def test_no_module_outside_the_store_runs_sql_or_holds_ddl() -> None:
    outside = [p for p in modules(PACKAGE) if "store" not in p.relative_to(PACKAGE).parts]
    assert len(outside) > 80
    calls = {f"{p.relative_to(PACKAGE)}:{line}" for p in outside for line in sql_calls(parse(p))}
    ddl = {f"{p.relative_to(PACKAGE)}:{line}" for p in outside for line in ddl_strings(parse(p))}
    assert calls == set() and ddl == set()


def test_the_store_holds_the_ddl_it_runs() -> None:
    """The other side of the check above: the DDL the product runs is found, in store/."""
    inside = modules(PACKAGE / "store")
    assert any(ddl_strings(parse(p)) for p in inside)  # e.g. store/layout.py's rebuild
    assert any(sql_calls(parse(p)) for p in inside)
