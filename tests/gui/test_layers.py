"""The windows reach the core only through ``readiness.gui.operations`` (issue 13).

Read from the source, not the import graph (import-linter checks the imports: "The GUI (except
gui.operations) never imports readiness.store"): outside ``gui/operations/`` no GUI module imports
the store, touches an object's ``.session`` or ``.store``, starts its own background threads
(``QRunnable``, ``QThreadPool``: the one runner is ``operations.Runner``), or searches the window
for item widgets to refresh them (``findChildren(ItemWidget)``: widgets listen to ``changed``).
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

import readiness.gui

GUI = Path(readiness.gui.__file__).resolve().parent
OPERATIONS = GUI / "operations"
REACH_THROUGH = {"session", "store"}  # the core's AssessmentSession and Store, reached from a widget
OWN_THREADS = {"QRunnable", "QThreadPool"}


def _module(path: Path) -> str:
    """``readiness.gui.chart``; a package's ``__init__`` keeps its name (``readiness.gui.department.__init__``)."""
    return ".".join(path.relative_to(GUI.parent.parent).with_suffix("").parts)


def _imported(node: ast.AST, module: str) -> list[str]:
    """The absolute names an import statement brings in (relative imports resolved)."""
    if isinstance(node, ast.Import):
        return [alias.name for alias in node.names]
    if isinstance(node, ast.ImportFrom):
        if node.level:
            parts = module.split(".")
            base = parts[: len(parts) - node.level]  # a module's package is level 1; __init__ counts as a module
            prefix = ".".join(base + ([node.module] if node.module else []))
        else:
            prefix = node.module or ""
        return [prefix] + [f"{prefix}.{alias.name}" for alias in node.names]
    return []


def violations(source: str, module: str) -> list[str]:
    """What in ``source`` (the text of GUI module ``module``) reaches past the operations layer."""
    found: list[str] = []
    for node in ast.walk(ast.parse(source)):
        line = getattr(node, "lineno", 0)
        for name in _imported(node, module):
            if name == "readiness.store" or name.startswith("readiness.store."):
                found.append(f"{line}: imports {name}")
            if name.split(".")[-1] in OWN_THREADS:
                found.append(f"{line}: imports {name.split('.')[-1]} (run work through operations.Runner)")
        if isinstance(node, ast.Attribute) and node.attr in REACH_THROUGH:
            found.append(f"{line}: .{node.attr}")
        if (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr == "findChildren"
                and any(isinstance(arg, ast.Name) and arg.id == "ItemWidget" for arg in node.args)):
            found.append(f"{line}: findChildren(ItemWidget) (listen to AssessmentOps.changed)")
    return found


def _gui_modules() -> list[Path]:
    return sorted(p for p in GUI.rglob("*.py") if OPERATIONS not in p.parents)


def test_checker__each_kind_of_reach_through__found():
    module = "readiness.gui.department.dashboard"
    assert violations("from ...store.db import Store", "readiness.gui.department.__init__") == [
        "1: imports readiness.store.db", "1: imports readiness.store.db.Store"]
    assert violations("from ...store.db import StoreError", module) == ["1: imports readiness.store.db",
                                                                       "1: imports readiness.store.db.StoreError"]
    assert violations("import readiness.store.models", module) == ["1: imports readiness.store.models"]
    assert violations("x = self.ops.session.answers", module) == ["1: .session"]
    assert violations("s = workspace.store.get_setting('k')", module) == ["1: .store"]
    assert violations("from PySide6.QtCore import QThreadPool", module)[0].startswith("1: imports QThreadPool")
    assert violations("w = top.findChildren(ItemWidget)", module) == [
        "1: findChildren(ItemWidget) (listen to AssessmentOps.changed)"]
    assert violations("from ..operations import StoreError\nx = ops.rows('pcs')", module) == []


@pytest.mark.parametrize("path", _gui_modules(), ids=lambda p: str(p.relative_to(GUI)))
def test_gui_module__outside_operations__reaches_the_core_only_through_operations(path):
    assert violations(path.read_text(encoding="utf-8"), _module(path)) == []


def test_operations__is_the_one_runner_and_the_one_way_to_the_store():
    sources = {p.name: p.read_text(encoding="utf-8") for p in OPERATIONS.glob("*.py")}
    assert "QThreadPool" in sources["runner.py"]
    assert sum("QRunnable" in text for text in sources.values()) == 1
    assert any("store.db" in text for text in sources.values())
