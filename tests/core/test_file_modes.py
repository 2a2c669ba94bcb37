"""Files we write (reports, letters, exported and signed workbooks) get the mode a file made by ``open()`` would
get, not ``mkstemp``'s owner-only one: a report saved in a shared folder is readable by the colleagues there."""

from __future__ import annotations

import os
import stat

import pytest

pytestmark = pytest.mark.skipif(os.name != "posix", reason="file modes are POSIX")


@pytest.fixture
def umask_022():
    old = os.umask(0o022)
    yield
    os.umask(old)


def _mode(path) -> int:
    return stat.S_IMODE(os.stat(path).st_mode)


def test_atomic_write__new_file__mode_from_the_umask_not_owner_only(tmp_path, umask_022):
    from readiness.exchange.xlsx import atomic_write

    path = atomic_write(tmp_path / "report.pdf", lambda temp: temp.write_bytes(b"%PDF-1.4"))
    assert _mode(path) == 0o644
    os.umask(0o077)  # a user who keeps new files private
    private = atomic_write(tmp_path / "private.pdf", lambda temp: temp.write_bytes(b"%PDF-1.4"))
    assert _mode(private) == 0o600
    assert sorted(p.name for p in tmp_path.iterdir()) == ["private.pdf", "report.pdf"]  # no temporary file left


def test_atomic_write__replacing_a_file__keeps_its_mode(tmp_path, umask_022):
    from readiness.exchange.xlsx import atomic_write

    target = tmp_path / "letter.docx"
    target.write_bytes(b"old")
    os.chmod(target, 0o640)
    atomic_write(target, lambda temp: temp.write_bytes(b"new"))
    assert target.read_bytes() == b"new" and _mode(target) == 0o640


def test_umask__read_without_changing_it(umask_022):
    from readiness.paths import _umask

    assert _umask() == 0o022
    os.umask(0o027)
    assert _umask() == 0o027 and os.umask(0o027) == 0o027
