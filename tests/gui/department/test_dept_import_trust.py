"""What comes in is trusted only so far, in the window: a revision held instead of replacing a signed one
(shown in the import dialog and on the dashboard, and decided there, with a reason kept in the import
log); pipes and broken links in a folder listed as skipped with their reason; a refusal's cells.

For the held revision, the signed revision is imported, then marked as validly signed the way the import
records it (the signature checks themselves are tested in tests/signing); the later revision is forged
as an attacker would (tests/attacker.py: no signature, new revision, new id, seals recomputed).
Set READINESS_SCREENSHOTS=DIR to keep screenshots of the dialogs and the dashboard.
"""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path

import pytest
from PySide6.QtCore import Qt

from attacker import forge_revision
from dept_gui_helpers import export_submission

pytestmark = pytest.mark.gui
SHOTS = Path(os.environ.get("READINESS_SCREENSHOTS", "")) if os.environ.get("READINESS_SCREENSHOTS") else None


@pytest.fixture
def workspace(db_url):
    from readiness.service import Workspace

    opened = Workspace.open(db_url)
    yield opened
    opened.close()


def _signed_then_forged(workspace, tmp_path) -> tuple[Path, Path]:
    """Revision 1 imported and validly signed (as the import records it); the forged revision 2 beside it."""
    from readiness.department.importer import import_paths
    from readiness.signing.certs import CertInfo
    from readiness.signing.records import save_signature
    from readiness.signing.verify import VALID, Verification

    genuine = export_submission(tmp_path / "inbox", "23500", name="23500_2025-11_xa-dak-ha.xlsx")
    (first,) = import_paths(workspace, [str(genuine)], jobs=0).results
    assert first.status == "imported"
    now = dt.datetime.now(dt.UTC)
    signer = CertInfo(common_name="Ủy ban nhân dân xã Đăk Hà", organization="UBND xã Đăk Hà", org_units=(),
                      locality=None, state="Quảng Ngãi", serial_number=None, uid=None,
                      subject="CN=Ủy ban nhân dân xã Đăk Hà,O=UBND xã Đăk Hà,C=VN", issuer="CN=CA,O=Ban Cơ yếu Chính phủ",
                      issuer_cn="CA", certificate_serial="1", not_before=now - dt.timedelta(days=30),
                      not_after=now + dt.timedelta(days=300), sha256="a" * 64)
    save_signature(workspace.store, first.assessment_id,
                   Verification(VALID, None, "Đã ký số bởi UBND xã Đăk Hà.", signer=signer,
                                signed_at=now - dt.timedelta(hours=2)))
    forged = tmp_path / "thu-moi" / "23500_2025-11_xa-dak-ha.xlsx"
    forged.parent.mkdir()
    forge_revision(genuine, forged, changes={}, revision=2)
    return genuine, forged


def test_import_dialog__forged_revision_after_a_signed_one__held_shown_and_accepted_with_a_reason(
        qtbot, tmp_path, workspace, dept_window):
    from readiness.store.imports import import_log

    _genuine, forged = _signed_then_forged(workspace, tmp_path)
    window = dept_window(workspace)
    dialog = window.open_import()
    dialog.jobs = 0
    dialog.add_paths([forged])
    with qtbot.waitSignal(dialog.imported, timeout=60_000) as finished:
        dialog.start_button.click()
    assert finished.args[0].exit_code == 1
    (result,) = dialog.model.results
    assert result.status == "held" and result.held["code"] == "W-HELD-UNSIGNED"
    model = dialog.model
    assert model.index(0, model.STATUS).data() == "Giữ lại"
    assert model.index(0, model.STATUS).data(Qt.ItemDataRole.BackgroundRole).name() == "#ffe0b2"
    assert model.index(0, model.REASONS).data().startswith(
        "W-HELD-UNSIGNED: Bản mới không ký số, bản đã ký số vẫn được dùng (lần 1")
    assert "1 giữ lại" in dialog.summary.text() and "bị giữ lại" in dialog.summary.text()
    assert not dialog.held_button.isEnabled()  # nothing selected yet
    dialog.table.selectRow(0)
    assert dialog.held_button.isEnabled()
    assert "Bản này được giữ lại, chưa dùng" in dialog.details.toPlainText()
    if SHOTS:
        dialog.resize(1300, 620)
        dialog.grab().save(str(SHOTS / "import-dialog-held.png"))

    dialog.held_button.click()
    held_dialog = dialog.held_dialog
    qtbot.waitExposed(held_dialog)
    assert "W-HELD-UNSIGNED" in held_dialog.reason_box.text() and str(forged) in held_dialog.header.text()
    assert not held_dialog.accept_button.isEnabled()  # a reason first
    held_dialog.note.setText("Đã gọi điện xác nhận với xã ngày 05/12/2026")
    assert held_dialog.accept_button.isEnabled()
    if SHOTS:
        held_dialog.grab().save(str(SHOTS / "held-dialog.png"))
    with qtbot.waitSignal(dialog.held_decided, timeout=60_000):
        held_dialog.accept_button.click()
    assert workspace.store.history("23500", "2025-11")[0].revision == 2
    line = import_log(workspace.store, limit=1)[0]
    assert (line.outcome, line.note) == ("accepted", "Đã gọi điện xác nhận với xã ngày 05/12/2026")
    assert not dialog.held_button.isEnabled() and "Sở đã chấp nhận bản này" in dialog.details.toPlainText()
    dialog.close()


def test_dashboard__held_revision__named_in_a_column_and_dismissed_from_the_window(qtbot, tmp_path, workspace,
                                                                                   dept_window):
    from readiness.department.importer import import_paths
    from readiness.gui.department.models import StatusTableModel

    _genuine, forged = _signed_then_forged(workspace, tmp_path)
    assert import_paths(workspace, [str(forged)], jobs=0).results[0].status == "held"
    window = dept_window(workspace)
    page = window.dashboard
    model: StatusTableModel = page.model
    assert page.held_notice.isVisible() and page.held_notice.text() == "1 xã có bản nộp mới bị giữ lại, chờ Sở quyết định"
    column = model.held_column
    assert column == model.columnCount() - 1 and model.headerData(column, Qt.Orientation.Horizontal) == "Bản giữ lại"
    assert page.select_code("23500")
    row = page.proxy.mapToSource(page.table.selectionModel().selectedRows()[0]).row()
    assert model.index(row, column).data() == "Lần 2: không ký số"
    assert "bản đã ký số vẫn được dùng" in model.index(row, column).data(Qt.ItemDataRole.ToolTipRole)
    assert model.index(row, StatusTableModel.REVISION).data() == "1"  # the signed revision is the one in use
    assert model.index(row, model.signature_column).data() == "Đã ký số, hợp lệ"
    assert page.held_button.isEnabled()
    if SHOTS:
        window.grab().save(str(SHOTS / "dashboard-held.png"))

    page.held_button.click()
    held_dialog = page.held_dialog
    held_dialog.note.setText("Xã xác nhận không gửi tệp này")
    with qtbot.waitSignal(page.loaded, timeout=60_000):
        held_dialog.dismiss_button.click()
    assert not page.held_notice.isVisible() and model.held_column == -1
    assert workspace.store.history("23500", "2025-11")[0].revision == 1


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="named pipes and symlinks as on Linux")
def test_import_dialog__folder_with_a_pipe_and_a_broken_link__each_listed_as_skipped_with_its_reason(
        qtbot, tmp_path, workspace, dept_window):
    inbox = tmp_path / "inbox"
    export_submission(inbox, "23500", name="23500_2025-11.xlsx")
    os.mkfifo(inbox / "ong-dan.xlsx")
    (inbox / "lien-ket-hong.xlsx").symlink_to(tmp_path / "da-xoa.xlsx")
    window = dept_window(workspace)
    dialog = window.open_import()
    dialog.jobs = 0
    dialog.add_paths([inbox])
    with qtbot.waitSignal(dialog.imported, timeout=60_000):
        dialog.start_button.click()
    by_name = {Path(r.file).name: r for r in dialog.model.results}
    assert {name: r.status for name, r in by_name.items()} == {
        "23500_2025-11.xlsx": "imported", "ong-dan.xlsx": "skipped", "lien-ket-hong.xlsx": "skipped"}
    model = dialog.model
    reasons = {Path(r.file).name: model.index(row, model.REASONS).data() for row, r in enumerate(model.results)}
    assert reasons["ong-dan.xlsx"].startswith("E-IMPORT-NOT-REGULAR: Ống dẫn có tên (FIFO), không phải tệp: bỏ qua.")
    assert reasons["lien-ket-hong.xlsx"].startswith("E-IMPORT-LINK: Liên kết (symlink) hỏng")
    dialog.set_status_filter("skipped")
    assert dialog.status_filter.currentText() == "Bỏ qua (2)" and dialog.proxy.rowCount() == 2
    dialog.close()


def test_import_dialog__older_revision__details_name_the_cells_in_data_and_on_the_cover(qtbot, tmp_path, workspace,
                                                                                        dept_window):
    from readiness.department.importer import import_paths

    genuine = export_submission(tmp_path / "inbox", "23500", name="23500_2025-11_lan-1.xlsx")
    newer = tmp_path / "inbox" / "23500_2025-11_lan-2.xlsx"
    forge_revision(genuine, newer, changes={}, revision=2)
    assert import_paths(workspace, [str(newer)], jobs=0).results[0].status == "imported"
    window = dept_window(workspace)
    dialog = window.open_import()
    dialog.jobs = 0
    dialog.add_paths([genuine])
    with qtbot.waitSignal(dialog.imported, timeout=60_000):
        dialog.start_button.click()
    (result,) = dialog.model.results
    (error,) = result.errors
    assert error.code == "E-IMPORT-OLDER" and error.sheet == "_data" and error.also[0][0] == "Thông tin chung"
    dialog.table.selectRow(0)
    details = dialog.details.toPlainText()
    assert f"sheet «_data», ô {error.cell}; sheet «Thông tin chung», ô {error.also[0][1]}" in details
    assert genuine.name in details and str(genuine) in details
    dialog.close()
