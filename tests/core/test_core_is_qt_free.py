"""The core must import and work with no Qt installed (the GUI depends on the core, never the reverse).

import-linter checks the import graph (`lint-imports`, run by `make test`); this test checks the
running truth: a fresh interpreter in which importing PySide6 fails can still load every core module.
"""

import subprocess
import sys
from pathlib import Path

CORE_MODULES = [
    "readiness", "readiness.text", "readiness.xlsx_cells", "readiness.logs", "readiness.paths", "readiness.register", "readiness.expr",
    "readiness.checklist.model", "readiness.checklist.loader", "readiness.answers", "readiness.scoring",
    "readiness.store.db", "readiness.carry", "readiness.service", "readiness.cli",
]

PROGRAM = """
import importlib, importlib.abc, sys
class NoQt(importlib.abc.MetaPathFinder):
    def find_spec(self, name, path, target=None):
        if name.split('.')[0] in ('PySide6', 'shiboken6', 'PyQt5', 'PyQt6'):
            raise ImportError('Qt is not available in this test: ' + name)
        return None
sys.meta_path.insert(0, NoQt())
for name in sys.argv[1:]:
    importlib.import_module(name)
for optional in ('readiness.probe', 'readiness.exchange'):
    try:
        importlib.import_module(optional)
    except ModuleNotFoundError as error:
        if error.name != optional:
            raise
leaked = sorted(m for m in sys.modules if m.split('.')[0] in ('PySide6', 'shiboken6') or m.startswith('readiness.gui'))
print('LEAKED', leaked)
from readiness.cli import main
sys.exit(main(['checklist', 'validate', '__CHECKLIST__']))
"""


def test_core__imported_without_qt__loads_and_runs_cli():
    root = Path(__file__).resolve().parents[2]
    checklist = next((root / "checklists").glob("*/v*.yaml"), None)
    program = PROGRAM.replace("__CHECKLIST__", str(checklist) if checklist else "missing.yaml")
    completed = subprocess.run(
        [sys.executable, "-c", program, *CORE_MODULES],
        cwd=root, capture_output=True, text=True, timeout=60,
        env={"PYTHONPATH": str(root / "desktop"), "PATH": "/usr/bin:/bin", "READINESS_HOME": str(root / ".pytest_cache" / "noqt")},
    )
    assert "LEAKED []" in completed.stdout, completed.stdout + completed.stderr
    if checklist:
        assert completed.returncode == 0, completed.stderr
