"""The package imports one way: no cycle among the modules' imports (load-time, type-only or
inside a function), and so no import inside a function that only dodges a cycle.

Function-level imports remain where they keep a heavy or optional dependency off the start-up
path (the CLI imports the pipeline when a command runs): those close no cycle, so this test
allows them without a list.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path

import dyadwatch

PACKAGE = Path(dyadwatch.__file__).parent
ROOT = PACKAGE.parent


def _module_name(path: Path) -> str:
    return ".".join(path.relative_to(ROOT).with_suffix("").parts).removesuffix(".__init__")


MODULES = {_module_name(p): p for p in sorted(PACKAGE.rglob("*.py"))}


def _targets(node: ast.Import | ast.ImportFrom, module: str) -> Iterator[str]:
    """The dyadwatch modules an import statement loads."""
    if isinstance(node, ast.Import):
        yield from (a.name for a in node.names if a.name in MODULES)
        return
    base = node.module or ""
    if node.level:  # relative: from a module's package
        package = module if MODULES[module].name == "__init__.py" else module.rpartition(".")[0]
        for _ in range(node.level - 1):
            package = package.rpartition(".")[0]
        base = f"{package}.{base}" if base else package
    for alias in node.names:
        if f"{base}.{alias.name}" in MODULES:
            yield f"{base}.{alias.name}"
        elif base in MODULES:
            yield base


def _is_type_checking(node: ast.If) -> bool:
    return "TYPE_CHECKING" in ast.unparse(node.test)


def _load_time_imports(tree: ast.Module) -> Iterator[ast.Import | ast.ImportFrom]:
    """Imports that run when the module loads: top level, and inside top-level if/try blocks
    (not `if TYPE_CHECKING:`), never inside a function or class body."""
    stack: list[ast.stmt] = list(tree.body)
    while stack:
        node = stack.pop()
        if isinstance(node, ast.Import | ast.ImportFrom):
            yield node
        elif isinstance(node, ast.If) and not _is_type_checking(node):
            stack += [*node.body, *node.orelse]
        elif isinstance(node, ast.Try):
            stack += [*node.body, *node.orelse, *node.finalbody,
                      *(s for h in node.handlers for s in h.body)]


def _function_imports(tree: ast.Module) -> Iterator[tuple[str, ast.Import | ast.ImportFrom]]:
    for func in ast.walk(tree):
        if isinstance(func, ast.FunctionDef | ast.AsyncFunctionDef):
            for node in ast.walk(func):
                if isinstance(node, ast.Import | ast.ImportFrom):
                    yield func.name, node


def _graph() -> dict[str, set[str]]:
    graph: dict[str, set[str]] = {}
    for module, path in MODULES.items():
        tree = ast.parse(path.read_text(encoding="utf-8"))
        graph[module] = {t for node in _load_time_imports(tree) for t in _targets(node, module)}
    return graph


def _reaches(graph: dict[str, set[str]], start: str, goal: str) -> list[str] | None:
    """A path of load-time imports from `start` to `goal`, or None."""
    seen = {start}
    paths = [[start]]
    while paths:
        path = paths.pop(0)
        if path[-1] == goal:
            return path
        for nxt in sorted(graph.get(path[-1], ())):
            if nxt not in seen:
                seen.add(nxt)
                paths.append([*path, nxt])
    return None


def test_the_scan_sees_the_package() -> None:
    graph = _graph()
    assert len(graph) > 100
    assert "dyadwatch.coding.actors" in graph["dyadwatch.coding.actor_resolver"]
    assert "dyadwatch.web.api" in graph["dyadwatch.web.app"]


def _every_import_graph() -> dict[str, set[str]]:
    """Load-time, `if TYPE_CHECKING:` and function-level imports alike."""
    graph: dict[str, set[str]] = {}
    for module, path in MODULES.items():
        tree = ast.parse(path.read_text(encoding="utf-8"))
        imports = [n for n in ast.walk(tree) if isinstance(n, ast.Import | ast.ImportFrom)]
        graph[module] = {t for node in imports for t in _targets(node, module)}
    return graph


def test_modules_are_layered_one_way() -> None:
    """No cycle even counting type-only and function-level imports: the actor dictionary,
    learner and resolver, and the web app and its routers, import one way."""
    graph = _every_import_graph()
    cycles = []
    for module, targets in graph.items():
        for target in targets:
            back = _reaches(graph, target, module)
            if back is not None and target != module:
                cycles.append(" -> ".join([module, *back]))
    assert not cycles, "\n".join(sorted(cycles))


def test_no_function_level_import_dodges_a_cycle() -> None:
    graph = _graph()
    dodges = []
    for module, path in MODULES.items():
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for func, node in _function_imports(tree):
            for target in _targets(node, module):
                back = _reaches(graph, target, module)
                if back is not None:
                    dodges.append(f"{module}.{func} imports {target}: "
                                  + " -> ".join(back))
    assert not dodges, "\n".join(sorted(dodges))
