"""The store owns persistence (issue 13 §4): no module outside ``readiness/store/`` builds or runs SQL.

Read from the source (import-linter's contract "Only the store imports SQLAlchemy" checks the import
graph): outside the store no module imports SQLAlchemy (the two that classify a database error for
a message import ``sqlalchemy.exc`` and nothing else), nor ``sqlite3``; none holds a session or an
engine (``.transaction()``, ``.engine``, ``.execute(``, ``.scalars(``); the ORM models are named only
in type hints (rows come from :class:`readiness.store.db.Store` methods).
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

import readiness

PACKAGE = Path(readiness.__file__).resolve().parent
STORE = PACKAGE / "store"
# Modules that tell a database failure from the others by its class, to word the message.
DATABASE_ERRORS_ONLY = {"readiness.department.importer", "readiness.gui.operations.errors", "readiness.errors"}
SESSION_WORDS = {"transaction", "engine", "execute", "executemany", "scalars", "scalar"}


def _module(path: Path) -> str:
    parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _absolute(node: ast.ImportFrom, module: str, is_package: bool) -> str:
    if not node.level:
        return node.module or ""
    parts = module.split(".")
    base = parts[: len(parts) - node.level + (1 if is_package else 0)]
    return ".".join(base + ([node.module] if node.module else []))


def _type_checking_blocks(tree: ast.AST) -> set[int]:
    """Line numbers inside ``if TYPE_CHECKING:`` blocks."""
    lines: set[int] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.If) and isinstance(node.test, ast.Name) and node.test.id == "TYPE_CHECKING":
            for child in node.body:
                lines.update(range(child.lineno, (child.end_lineno or child.lineno) + 1))
    return lines


def violations(source: str, module: str, *, is_package: bool = False) -> list[str]:
    """What in ``source`` (the text of module ``module``, outside the store) reaches the database itself."""
    tree = ast.parse(source)
    hints_only = _type_checking_blocks(tree)
    found: list[str] = []
    for node in ast.walk(tree):
        line = getattr(node, "lineno", 0)
        names: list[str] = []
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = _absolute(node, module, is_package)
            names = [base] + [f"{base}.{alias.name}" for alias in node.names]
        for name in names:
            top = name.split(".")[0]
            if top == "sqlalchemy" and line not in hints_only and not (
                    name.startswith("sqlalchemy.exc") and module in DATABASE_ERRORS_ONLY):
                found.append(f"{line}: imports {names[0]}")
            elif top == "sqlite3":
                found.append(f"{line}: imports sqlite3")
            elif (name == "readiness.store.models" or name.startswith("readiness.store.models.")) and line not in hints_only:
                found.append(f"{line}: imports readiness.store.models (rows come from Store methods; models only in "
                             "type hints)")
        if isinstance(node, ast.Attribute) and node.attr in SESSION_WORDS:
            found.append(f"{line}: .{node.attr}")
    return sorted(set(found))


def _core_modules() -> list[Path]:
    return sorted(path for path in PACKAGE.rglob("*.py") if STORE not in path.parents)


@pytest.mark.parametrize("path", _core_modules(), ids=lambda p: str(p.relative_to(PACKAGE)))
def test_module_outside_the_store__runs_no_sql(path: Path):
    module = _module(path)
    assert violations(path.read_text(encoding="utf-8"), module, is_package=path.name == "__init__.py") == []


@pytest.mark.parametrize(("source", "expected"), [
    ("from sqlalchemy import select\n", ["1: imports sqlalchemy"]),
    ("import sqlite3\n", ["1: imports sqlite3"]),
    ("def f(store):\n    with store.transaction() as s:\n        return list(s.scalars(q))\n",
     ["2: .transaction", "3: .scalars"]),
    ("from ..store.models import PetitionRow\n", ["1: imports readiness.store.models"]),
    ("from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n    from ..store.models import PetitionRow\n", []),
    ("from sqlalchemy.exc import SQLAlchemyError\n", ["1: imports sqlalchemy.exc"]),
])
def test_violations__what_reaches_the_database__named(source, expected):
    assert [f.split(" (")[0] for f in violations(source, "readiness.department.example")] == expected


def test_violations__database_error_class_in_a_named_module__allowed():
    assert violations("from sqlalchemy.exc import SQLAlchemyError\n", "readiness.department.importer") == []
