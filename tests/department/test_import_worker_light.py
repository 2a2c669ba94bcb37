"""An import worker loads only what checking a file needs: no database layer, no cryptography.

Each worker process of an import (and the forkserver they are forked from) imports the worker's
modules; SQLAlchemy and the signature libraries would cost every worker tens of MB and the first
import a second of start-up.  Checked in a new interpreter, after checking real files."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from readiness import workers

HEAVY = ("sqlalchemy", "alembic", "psycopg", "cryptography", "pyhanko", "asn1crypto", "openpyxl", "reportlab", "docx",
         "PySide6")

SCRIPT = """
import json, sys
import readiness.department.import_worker as worker
preloaded = sorted({m.split('.')[0] for m in sys.modules})
worker.init_worker(None, None, None)
results = [worker.check_file(path) for path in sys.argv[1:]]
print(json.dumps({"ok": [r.ok for r in results], "kinds": [r.kind for r in results],
                  "scored": [r.commune_score is not None for r in results],
                  "signature": [type(r.signature).__module__ for r in results],
                  "modules": sorted({m.split('.')[0] for m in sys.modules}), "preloaded": preloaded}))
"""


def _run(paths: list[Path]) -> dict:
    root = Path(__file__).resolve().parents[2] / "desktop"
    done = subprocess.run([sys.executable, "-c", SCRIPT, *map(str, paths)], capture_output=True, text=True, timeout=300,
                          cwd=root, check=True)
    return json.loads(done.stdout.strip().splitlines()[-1])


def test_import_worker__checks_files__no_database_or_cryptography_module_loaded(demo_folder):
    files = sorted(demo_folder.glob("*.xlsx"))[:3]
    seen = _run(files)
    assert seen["ok"] == [True, True, True]
    assert seen["kinds"] == ["submission"] * 3
    assert seen["signature"] == ["readiness.signing.facts"] * 3  # the facts a writing process verifies
    loaded = [name for name in HEAVY if name in seen["modules"]]
    assert loaded == [], f"an import worker loaded {loaded}"
    assert "python_calamine" in seen["modules"]


def test_import_worker__refused_file__still_no_database_module(tmp_path):
    bad = tmp_path / "bad.xlsx"
    bad.write_bytes(b"PK\x03\x04 not really a workbook")
    seen = _run([bad])
    assert seen["ok"] == [False]
    assert [name for name in HEAVY if name in seen["modules"]] == []


def test_forkserver_preload__only_light_modules():
    preload = ";".join(f"import {name}" for name in workers.FORKSERVER_PRELOAD)
    script = f"import sys; {preload}; print(' '.join(sorted({{m.split('.')[0] for m in sys.modules}})))"
    root = Path(__file__).resolve().parents[2] / "desktop"
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=120, cwd=root, check=True)
    modules = done.stdout.split()
    assert [name for name in HEAVY if name in modules] == []


IMPORT_SCRIPT = """
import json, sys
from readiness.department.importer import import_paths
from readiness.service import Workspace
workspace = Workspace.open(sys.argv[1])
report = import_paths(workspace, sys.argv[2:], jobs=0)
workspace.close()
print(json.dumps({"statuses": [r.status for r in report.results],
                  "signatures": [(r.signature or {}).get("status") for r in report.results],
                  "pyhanko": sorted({m.split('.')[0] for m in sys.modules} & {"pyhanko", "aiohttp"})}))
"""


def test_import__unsigned_files__signature_libraries_not_loaded(demo_folder, sqlite_copy):
    """pyHanko (with aiohttp under it) costs the writing process ~0.4 s of CPU to import: an import of
    unsigned files flags them as unsigned without it."""
    root = Path(__file__).resolve().parents[2] / "desktop"
    files = sorted(demo_folder.glob("*.xlsx"))[:2]
    done = subprocess.run([sys.executable, "-c", IMPORT_SCRIPT, sqlite_copy("department"), *map(str, files)],
                          capture_output=True, text=True, timeout=300, cwd=root, check=True)
    seen = json.loads(done.stdout.strip().splitlines()[-1])
    assert seen["statuses"] == ["imported", "imported"]
    assert seen["signatures"] == ["unsigned", "unsigned"]
    assert seen["pyhanko"] == []
