"""The log file (readiness.logs): made at the first record, rotated at MAX_BYTES as before."""

from __future__ import annotations

import logging
import subprocess
import sys
from pathlib import Path

from readiness import logs

ROOT = Path(__file__).resolve().parents[2]


def test_log_file__no_record__logging_handlers_not_imported(tmp_path):
    """A start that logs nothing does not import logging.handlers (socket, pickle, …) nor create the file."""
    code = ("import sys; from readiness.logs import configure_logging; path = configure_logging(); "
            "print('logging.handlers' in sys.modules, path.exists())")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True,
                         env={"PYTHONPATH": str(ROOT / "desktop"), "READINESS_HOME": str(tmp_path)}).stdout
    assert out.split() == ["False", "False"]


def test_log_file__past_max_bytes__rotated_with_the_format(tmp_path, monkeypatch):
    monkeypatch.setenv("READINESS_HOME", str(tmp_path))
    monkeypatch.setattr(logs, "MAX_BYTES", 2_000)
    path = logs.configure_logging()
    assert path is not None
    from readiness.errors import log_file

    assert log_file() == str(path)  # what an unexpected error's message names, before any record
    try:
        for n in range(60):
            logging.getLogger("readiness.test").warning("dòng số %d %s", n, "x" * 40)
    finally:
        handler = logs._state["handler"]
        logging.getLogger().removeHandler(handler)
        handler.close()
        logs._state.update(handler=None, path=None)
    rotated = Path(f"{path}.1")
    assert rotated.exists() and path.stat().st_size <= 2_000
    assert " WARNING readiness.test: dòng số 59 " in path.read_text(encoding="utf-8")
    assert len(list(path.parent.glob("readiness.log.*"))) == logs.BACKUPS


def test_module_of__frozen_build_relative_source__the_module_found(monkeypatch, tmp_path):
    """In the frozen build a warning names its source relatively (``pyhanko/sign/signers/pdf_cms.py``) and the
    module's __file__ is the absolute path of its .pyc: the module is still found, so the known warning stays
    off the console (the frozen --selftest printed pyHanko's DSA deprecation warning in English)."""
    import os
    import sys
    import types

    from readiness.logs import is_quiet, module_of

    frozen = types.ModuleType("pyhanko.sign.signers.pdf_cms_frozen_probe")
    frozen.__file__ = str(tmp_path / "_internal" / "pyhanko" / "sign" / "signers" / "pdf_cms_frozen_probe.pyc")
    monkeypatch.setitem(sys.modules, frozen.__name__, frozen)
    relative = os.path.join("pyhanko", "sign", "signers", "pdf_cms_frozen_probe.py")
    assert module_of(relative) == frozen.__name__
    assert module_of(frozen.__file__) == frozen.__name__
    assert module_of(os.path.join("signers", "elsewhere.py")) == ""

    from cryptography.utils import CryptographyDeprecationWarning

    assert is_quiet(CryptographyDeprecationWarning, module_of(relative))
