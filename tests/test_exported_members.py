"""The public surface: the package root exports what it imports, and the exception tree is one
tree, drawn in errors.py's docstring, exported, and the base of every exception dyadwatch
defines (after httpx's tests/test_exported_members.py)."""

from __future__ import annotations

import ast
import importlib
import inspect
import re
from pathlib import Path

import dyadwatch
from dyadwatch import errors

SRC = Path(dyadwatch.__file__).parent


def _public(module: object, private_allowed: tuple[str, ...] = ()) -> list[str]:
    return sorted(
        (name for name, value in vars(module).items()
         if (not name.startswith("_") or name in private_allowed)
         and not inspect.ismodule(value)),
        key=str.casefold,
    )


def test_root_exports_exactly_its_public_names() -> None:
    assert sorted(dyadwatch.__all__, key=str.casefold) == _public(dyadwatch, ("__version__",))


def test_errors_exports_every_class_it_defines() -> None:
    assert sorted(errors.__all__, key=str.casefold) == _public(errors)


def test_every_error_is_exported_from_the_package_root() -> None:
    missing = [name for name in errors.__all__ if name not in dyadwatch.__all__]
    assert not missing, missing
    assert all(getattr(dyadwatch, name) is getattr(errors, name) for name in errors.__all__)


def _drawn_tree() -> dict[str, int]:
    """Each class named in the docstring's drawing, with its depth (indent of its name)."""
    doc = errors.__doc__ or ""
    drawn: dict[str, int] = {}
    for line in doc.splitlines():
        match = re.match(r"^(\s*(?:[│ ]   )*(?:[├└]── )?)([A-Z][A-Za-z]+Error)\b", line)
        if match:
            drawn[match.group(2)] = len(match.group(1))
    return drawn


def test_the_docstring_draws_every_error_under_its_real_base() -> None:
    drawn = _drawn_tree()
    assert sorted(drawn) == sorted(errors.__all__)
    names = list(drawn)
    for i, name in enumerate(names[1:], start=1):
        parent = next(n for n in reversed(names[:i]) if drawn[n] < drawn[name])
        assert getattr(errors, name).__bases__[0] is getattr(errors, parent), (name, parent)


def _exception_classes() -> list[tuple[str, str]]:
    """(module, class) of every class defined in src/dyadwatch that is an exception: each
    module's class statements (ast) looked up in the imported module."""
    found = []
    for path in sorted(SRC.rglob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        names = [n.name for n in ast.walk(tree) if isinstance(n, ast.ClassDef)]
        if not names or path.name == "__main__.py":
            continue
        module = ".".join(path.relative_to(SRC.parent).with_suffix("").parts)
        module = module.removesuffix(".__init__")
        loaded = importlib.import_module(module)
        for name in names:
            cls = getattr(loaded, name, None)  # None: nested in a function or class
            if isinstance(cls, type) and issubclass(cls, BaseException):
                found.append((cls.__module__, name))
    return found


def test_every_exception_class_in_dyadwatch_lives_in_errors_and_derives_from_the_root() -> None:
    found = _exception_classes()
    assert ("dyadwatch.errors", "WorkspaceBusyError") in found  # the scan sees classes
    elsewhere = [f"{m}.{c}" for m, c in found if m != "dyadwatch.errors"]
    assert not elsewhere, f"exception classes outside errors.py: {elsewhere}"
    for _, name in found:
        assert issubclass(getattr(errors, name), errors.DyadwatchError), name
