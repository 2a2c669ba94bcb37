"""The department window's letters and settings: «Thiết lập văn bản», petitions selected many at a
time and handled together, filters by topic / addressee / commune, the reply letter and the
feedback letters written from the window and read back."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QItemSelectionModel

from gui_helpers import type_text, wait_for_worker
from report_fixtures import PERIOD, REF

pytestmark = pytest.mark.gui


def _fresh(db_url):
    from readiness.service import Workspace

    return Workspace.open(db_url)


def _open_petitions(qtbot, window):
    window.tabs.setCurrentWidget(window.petitions)
    page = window.petitions
    wait_for_worker(qtbot, window.worker, lambda: not page.loading and page.model.rowCount() > 0, timeout=30_000)
    return page


def _select_rows(page, rows):
    selection = page.table.selectionModel()
    selection.clearSelection()
    for row in rows:
        selection.select(page.proxy.index(row, 0), QItemSelectionModel.SelectionFlag.Select
                         | QItemSelectionModel.SelectionFlag.Rows)


def _docx_text(path) -> str:
    import docx

    document = docx.Document(str(path))
    parts = [p.text for p in document.paragraphs]
    parts += [cell.text for table in document.tables for row in table.rows for cell in row.cells]
    return "\n".join(parts)


# -- settings -------------------------------------------------------------------------------------------


def test_settings_dialog__edit_save_refuse_defaults_province(qtbot, db_url, six_communes_ws, dept_window, message_boxes):
    from readiness.document_settings import PREFIX, load_settings

    window = dept_window(six_communes_ws, load=False)
    dialog = window.open_settings()
    assert dialog.editors["parent_body"].text() == "UBND TỈNH QUẢNG NGÃI"
    assert "Quảng Ngãi, ngày" in dialog.preview.text()
    dialog.editors["signer_name"].clear()
    type_text(dialog.editors["signer_name"], "Nguyễn Quốc Huy Hoàng")
    dialog.editors["signer_title"].setPlainText("GIÁM ĐỐC")
    assert "Nguyễn Quốc Huy Hoàng" in dialog.preview.text() and "GIÁM ĐỐC" in dialog.preview.text()
    assert set(dialog.changes()) == {"signer_name", "signer_title"}
    dialog.save_button.click()
    fresh = _fresh(db_url)
    try:
        settings = load_settings(fresh.store)
        assert settings.signer_name == "Nguyễn Quốc Huy Hoàng" and settings.signer_title == ("GIÁM ĐỐC",)
    finally:
        fresh.close()
    assert not dialog.isVisible()

    # An empty issuer is refused: the message names it, nothing of this save is stored.
    dialog = window.open_settings()
    dialog.editors["issuer"].setText("  ")
    dialog.editors["place"].setText("Hà Nội")
    assert not dialog.save()
    assert message_boxes.kinds() == ["warning"] and "Cơ quan ban hành" in message_boxes.calls[0][2]
    assert load_settings(six_communes_ws.store).place == "Quảng Ngãi" and dialog.isVisible()

    # Filled in for Hà Nội from the register, saved; then the defaults put back.
    dialog.province.setCurrentIndex(dialog.province.findData("01"))
    dialog.fill_province.click()
    assert dialog.editors["parent_body"].text() == "UBND THÀNH PHỐ HÀ NỘI"
    assert dialog.editors["place"].text() == "Hà Nội" and dialog.editors["issuer"].text() == "  "
    dialog.editors["issuer"].setText("SỞ KHOA HỌC VÀ CÔNG NGHỆ")
    assert dialog.save()
    assert load_settings(six_communes_ws.store).department_full_name == "Sở Khoa học và Công nghệ thành phố Hà Nội"
    dialog = window.open_settings()
    dialog.defaults_button.click()
    assert dialog.editors["parent_body"].text() == "UBND TỈNH QUẢNG NGÃI"
    assert dialog.save()
    assert six_communes_ws.store.settings(PREFIX) == {}  # every key back to its default
    assert load_settings(six_communes_ws.store).signer_name == ""


# -- petitions in bulk -------------------------------------------------------------------------------------


def test_petitions__several_selected__answered_together_in_one_save(qtbot, db_url, six_communes_ws, dept_window,
                                                                   message_boxes):
    from readiness.department.petitions import list_petitions

    window = dept_window(six_communes_ws)
    page = _open_petitions(qtbot, window)
    _select_rows(page, [0, 1, 3])
    editor = page.editor
    chosen = [page.proxy.object_at(row) for row in (0, 1, 3)]
    assert [p.id for p in editor.many] == [p.id for p in chosen] and editor.petition is None
    assert "Đã chọn 3 kiến nghị" in editor.content.toPlainText()
    assert editor.status.currentData() is None and editor.save_button.text() == "Lưu cho 3 kiến nghị"
    assert not editor.save_button.isEnabled() and "đang chọn 3" in page.counts.text()
    editor.status.setCurrentIndex(editor.status.findData("answered"))
    editor.response_ref.setText(REF)
    assert editor.save_button.isEnabled() and REF in editor.preview.text()
    editor.save_button.click()
    assert message_boxes.kinds() == ["question"] and "Cập nhật 3 kiến nghị" in message_boxes.calls[0][2]
    fresh = _fresh(db_url)
    try:
        stored = {p.id: p for p in list_petitions(fresh, period=PERIOD)}
    finally:
        fresh.close()
    for petition in chosen:
        assert (stored[petition.id].status, stored[petition.id].response_ref) == ("answered", REF)
    assert sum(p.status == "answered" for p in stored.values()) == 3
    for petition in chosen:
        assert page.model.index(page.model.row_of(petition.id), page.model.STATUS).data() == "Đã trả lời"
    assert editor.saved_label.text().startswith("Đã lưu 3 kiến nghị")

    # Forwarded without saying where: the core refuses, naming a petition; none of them changes.
    _select_rows(page, [2, 4])
    editor.status.setCurrentIndex(editor.status.findData("forwarded"))
    assert not editor.save()
    assert message_boxes.kinds()[-1] == "warning" and "Không kiến nghị nào thay đổi" in message_boxes.calls[-1][2]
    again = {p.id: p for p in list_petitions(six_communes_ws, period=PERIOD)}
    assert again[page.proxy.object_at(2).id].status == "new" and again[page.proxy.object_at(4).id].status == "new"

    # One row selected again: the panel handles that one.
    page.table.selectRow(0)
    assert editor.petition is not None and not editor.many and editor.save_button.text() == "Lưu"


def test_petitions__filters__topic_addressee_commune(qtbot, six_communes_ws, dept_window):
    from readiness.department.petitions import PetitionFilter, list_petitions

    window = dept_window(six_communes_ws)
    page = _open_petitions(qtbot, window)
    every = list_petitions(six_communes_ws, period=PERIOD)
    topic = every[0].topic
    page.topic.setCurrentIndex(page.topic.findData(topic))
    shown = [page.proxy.object_at(r).id for r in range(page.proxy.rowCount())]
    assert sorted(shown) == sorted(p.id for p in list_petitions(six_communes_ws, where=PetitionFilter(period=PERIOD,
                                                                                                   topics=(topic,))))
    page.topic.setCurrentIndex(0)
    page.addressee.setCurrentIndex(page.addressee.findData("Sở KHCN"))
    shown = [page.proxy.object_at(r).id for r in range(page.proxy.rowCount())]
    assert sorted(shown) == sorted(p.id for p in list_petitions(
        six_communes_ws, where=PetitionFilter(period=PERIOD, addressed_to="Sở KHCN")))
    page.addressee.setCurrentIndex(0)
    code = every[-1].commune_code
    page.commune.setCurrentIndex(page.commune.findData(code))
    assert {page.proxy.object_at(r).commune_code for r in range(page.proxy.rowCount())} == {code}
    page.select_all.click()
    assert len(page.selected_petitions()) == page.proxy.rowCount() == sum(p.commune_code == code for p in every)


# -- the letters ------------------------------------------------------------------------------------------


def test_reply_action__selected_petitions__letter_written_and_read_back(qtbot, tmp_path, six_communes_ws, dept_window,
                                                                       message_boxes):
    from readiness.department.petitions import list_petitions, update_petitions

    every = list_petitions(six_communes_ws, period=PERIOD)
    update_petitions(six_communes_ws, [every[0].id, every[1].id], status="answered",
                     response="Sở đã hướng dẫn tại buổi tập huấn ngày 20/11/2025.")
    window = dept_window(six_communes_ws)
    page = _open_petitions(qtbot, window)
    rows = [r for r in range(page.proxy.rowCount()) if page.proxy.object_at(r).id in (every[0].id, every[1].id)]
    _select_rows(page, rows)
    dialog = window.open_reply()
    assert dialog.use_selected.isChecked() and "2 kiến nghị đang chọn" in dialog.use_selected.text()
    dialog.to.setEditText("Sở Nội vụ")
    dialog.request_number.setText("2956/SNV-XDCQ")
    dialog.use_request_date.setChecked(True)
    dialog.group_items.setChecked(False)
    dialog.paths["docx"].setText(str(tmp_path / "tra-loi.docx"))
    dialog.want["pdf"].setChecked(True)
    dialog.paths["pdf"].setText(str(tmp_path / "tra-loi.pdf"))
    with qtbot.waitSignal(dialog.done, timeout=60_000) as finished:
        dialog.run_button.click()
    outcome = finished.args[0]
    assert outcome.petitions == 2 and [p.suffix for p in outcome.files] == [".docx", ".pdf"]
    text = _docx_text(tmp_path / "tra-loi.docx")
    assert "Kính gửi: Sở Nội vụ" in text and "Theo đề nghị của Sở Nội vụ tại Công văn số 2956/SNV-XDCQ" in text
    assert text.count("Trả lời:") == 2 and "Sở đã hướng dẫn tại buổi tập huấn ngày 20/11/2025." in text
    assert message_boxes.kinds() == ["information"] and "2 kiến nghị" in message_boxes.calls[0][2]

    # The selection holds a petition not answered yet: the core refuses, the reason is said.
    new = next(r for r in range(page.proxy.rowCount()) if page.proxy.object_at(r).status == "new")
    _select_rows(page, [new])
    dialog = window.open_reply()
    assert "chưa có trả lời" in dialog.use_selected.text()
    dialog.paths["docx"].setText(str(tmp_path / "khong.docx"))
    dialog.want["pdf"].setChecked(False)
    dialog.run_button.click()
    wait_for_worker(qtbot, dialog.worker, lambda: not dialog.running)
    assert message_boxes.kinds()[-1] == "warning" and "E-REPLY-UNANSWERED" in message_boxes.calls[-1][2]
    assert not (tmp_path / "khong.docx").exists()


def test_feedback_action__one_commune__letter_in_the_folder(qtbot, tmp_path, six_communes_ws, dept_window, message_boxes):
    window = dept_window(six_communes_ws)
    code = six_communes_ws.store.communes()[0].code  # the first of the populated ones ([::9])
    dialog = window.open_feedback(code)
    assert dialog.commune.currentData() == code and dialog.period.period() == PERIOD
    dialog.folder_edit.setText(str(tmp_path / "thu"))
    dialog.want_pdf.setChecked(True)
    with qtbot.waitSignal(dialog.done, timeout=120_000) as finished:
        dialog.run_button.click()
    outcome = finished.args[0]
    assert outcome.communes == 1 and sorted(p.suffix for p in outcome.files) == [".docx", ".pdf"]
    docx_file = next(p for p in outcome.files if p.suffix == ".docx")
    assert docx_file.parent == tmp_path / "thu" and f"_{code}_" in docx_file.name
    text = _docx_text(docx_file)
    name = six_communes_ws.store.commune(code).name
    assert f"Kính gửi: UBND {name[:1].lower()}{name[1:]}" in text and "Điểm tự đánh giá của" in text
    assert "Điểm bình quân của 6 đơn vị tỉnh Quảng Ngãi" in text

    dialog = window.open_feedback()
    dialog.all.setChecked(True)
    dialog.folder_edit.setText(str(tmp_path / "tat-ca"))
    with qtbot.waitSignal(dialog.done, timeout=120_000) as finished:
        dialog.run_button.click()
    assert finished.args[0].communes == 6 and len(list((tmp_path / "tat-ca").glob("*.docx"))) == 6
    assert "90 đơn vị chưa gửi kết quả" in message_boxes.calls[-1][2]
