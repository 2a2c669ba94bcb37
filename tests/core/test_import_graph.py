"""The package's import graph (issue 13 §3): no cycle between modules, every core module Qt-free by contract.

``lint-imports`` (run by ``make test``) checks the contracts in ``pyproject.toml``: the layers of
readiness (exhaustive), no cycle between sibling packages at any depth, the core never imports Qt,
the reader never imports its writer.  These tests check what the contracts cannot say themselves:
that no two *modules* import each other in a circle (named in the failure), that no module takes a
private name (``_Grid``) from another package, and that the Qt-free contract names every module
outside the GUI (a new core module must be added to it).
"""

from __future__ import annotations

import tomllib
from pathlib import Path

import grimp

ROOT = Path(__file__).resolve().parents[2]


def _cycles(graph: grimp.ImportGraph) -> list[list[str]]:
    """Strongly connected components of more than one module (Tarjan, iterative)."""
    modules = sorted(m for m in graph.modules if m == "readiness" or m.startswith("readiness."))
    edges = {m: sorted(graph.find_modules_directly_imported_by(m) & set(modules)) for m in modules}
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []
    counter = 0
    for start in modules:
        if start in index:
            continue
        work = [(start, 0)]
        while work:
            node, position = work.pop()
            if position == 0:
                index[node] = low[node] = counter
                counter += 1
                stack.append(node)
                on_stack.add(node)
            for offset, target in enumerate(edges[node][position:], start=position):
                if target not in index:
                    work.append((node, offset + 1))
                    work.append((target, 0))
                    break
                if target in on_stack:
                    low[node] = min(low[node], index[target])
            else:
                if low[node] == index[node]:
                    component = []
                    while True:
                        member = stack.pop()
                        on_stack.discard(member)
                        component.append(member)
                        if member == node:
                            break
                    if len(component) > 1:
                        found.append(sorted(component))
                if work:
                    parent = work[-1][0]
                    low[parent] = min(low[parent], low[node])
    return found


def test_import_graph__every_module__in_no_cycle():
    graph = grimp.build_graph("readiness")
    assert _cycles(graph) == []


def test_cycle_finder__two_modules_importing_each_other__found():
    graph = grimp.ImportGraph()
    for name in ("readiness", "readiness.a", "readiness.b", "readiness.c"):
        graph.add_module(name)
    graph.add_import(importer="readiness.a", imported="readiness.b")
    graph.add_import(importer="readiness.b", imported="readiness.a")
    graph.add_import(importer="readiness.c", imported="readiness.a")
    assert _cycles(graph) == [["readiness.a", "readiness.b"]]


def test_qt_free_contract__names_every_module_outside_the_gui():
    config = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["tool"]["importlinter"]
    contract = next(c for c in config["contracts"] if "PySide6" in c.get("forbidden_modules", ()))
    package = ROOT / "desktop" / "readiness"
    children = {f"readiness.{path.stem}" for path in package.glob("*.py") if path.stem != "__init__"}
    children |= {f"readiness.{path.parent.name}" for path in package.glob("*/__init__.py")}
    outside_gui = children - {"readiness.gui", "readiness.__main__"}
    assert outside_gui - set(contract["source_modules"]) == set()


def _package_of(module: str) -> str:
    """``readiness.exchange.reader`` -> ``readiness.exchange``; a top-level module is its own package."""
    return ".".join(module.split(".")[:2])


def private_imports(source: str, module: str, *, is_package: bool = False) -> list[str]:
    """``from <another package of readiness> import _name``: a private name reached across packages."""
    import ast

    found = []
    for node in ast.walk(ast.parse(source)):
        if not isinstance(node, ast.ImportFrom):
            continue
        if node.level:
            parts = module.split(".")
            base = parts[: len(parts) - node.level + (1 if is_package else 0)]
            source_module = ".".join(base + ([node.module] if node.module else []))
        else:
            source_module = node.module or ""
        if source_module.split(".")[0] != "readiness" or _package_of(source_module) == _package_of(module):
            continue
        found += [f"{node.lineno}: {source_module}.{alias.name}" for alias in node.names
                  if alias.name.startswith("_") and not alias.name.startswith("__")]
    return found


def test_private_names__never_imported_from_another_package():
    package = ROOT / "desktop" / "readiness"
    found = {}
    for path in sorted(package.rglob("*.py")):
        parts = path.relative_to(package.parent).with_suffix("").parts
        module = ".".join(parts[:-1] if parts[-1] == "__init__" else parts)
        hits = private_imports(path.read_text(encoding="utf-8"), module, is_package=path.name == "__init__.py")
        if hits:
            found[module] = hits
    assert found == {}


def test_private_imports__the_importer_reaching_the_reader__found():
    source = "from ..exchange.reader import DATA_SHEET, _Grid, _read_data_sheet\nfrom .importer import _user\n"
    assert private_imports(source, "readiness.department.import_worker") == [
        "1: readiness.exchange.reader._Grid", "1: readiness.exchange.reader._read_data_sheet"]
