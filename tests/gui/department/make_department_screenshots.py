"""Screenshots of the department's window (Sở KHCN), for looking at and for docs/user-guide.md.

    xvfb-run -a -s "-screen 0 1366x768x24" .venv/bin/python tests/gui/department/make_department_screenshots.py [--out DIR] [--docs]

Builds a database like a department's in late November 2025: 70 communes finalized in 10/2025;
84 demo submissions of 11/2025 imported through the import dialog together with a few bad files
(a CSV renamed .xlsx, a truncated download, a workbook edited by hand, a text file); drafts, two
corrections, petitions in every state.  Then, at 1366×768 (the window 1366×728, a taskbar below):
the import's result, the dashboard, a commune's detail, the petitions, the trend, the report dialog,
the dashboard in English, petitions selected many at a time, the document settings, the reply
letter's dialog and the investment needs (by need; the estimate and the unit prices).  ``--docs``
copies them to docs/screenshots/department-*.png (each checked to stay under 200 KB).
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import shutil
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[2]
for path in (ROOT / "desktop", ROOT / "tests", ROOT / "tests" / "gui", ROOT / "tests" / "department", HERE):
    if str(path) not in sys.path:
        sys.path.insert(0, str(path))

PERIOD, BEFORE = "2025-11", "2025-10"
TODAY = dt.date(2025, 11, 28)
SIZE = (1366, 728)
SHOTS = ("department-01-nhap-tep.png", "department-02-tong-quan.png", "department-03-chi-tiet.png",
         "department-04-kien-nghi.png", "department-05-dien-bien.png", "department-06-bao-cao.png",
         "department-07-overview-english.png", "department-08-kien-nghi-nhieu.png",
         "department-09-thiet-lap-van-ban.png", "department-10-cong-van-tra-loi.png",
         "department-11-nhu-cau-dau-tu.png", "department-12-kinh-phi-don-gia.png")
LIMIT = 200_000


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=ROOT / "build" / "screenshots" / "department")
    parser.add_argument("--docs", action="store_true", help="copy them to docs/screenshots")
    args = parser.parse_args()
    args.out.mkdir(parents=True, exist_ok=True)
    shoot(args.out)
    if args.docs:
        target = ROOT / "docs" / "screenshots"
        target.mkdir(parents=True, exist_ok=True)
        for name in SHOTS:
            shutil.copyfile(args.out / name, target / name)
            size = (target / name).stat().st_size
            if size > LIMIT:
                raise SystemExit(f"{name} is {size // 1000} KB, more than {LIMIT // 1000} KB")
            print(f"docs/screenshots/{name}: {size // 1000} KB")
    return 0


def build_database(home: Path, inbox: Path):
    """The department's database before the import of 11/2025, and the inbox of files to import."""
    from demo_db import bulk_populate, populate
    from readiness.department.demo_export import write_demo_submissions
    from readiness.service import Workspace

    workspace = Workspace.open(f"sqlite:///{home / 'department.sqlite3'}")
    communes = workspace.store.communes()  # Quảng Ngãi, Vietnamese order
    bulk_populate(workspace.store, workspace.latest_checklist(), communes[:70], BEFORE, today=dt.date(2025, 10, 28),
                  seed=2025, workers=2, finalized_at=dt.datetime(2025, 10, 28, 9, 0, tzinfo=dt.UTC))
    files = write_demo_submissions(inbox, count=84, period=PERIOD, seed=2025, jobs=2, today=dt.date(2025, 11, 20))
    sent = {f.commune_code for f in files}
    others = [c for c in communes if c.code not in sent]
    populate(workspace, others[:3], PERIOD, today=TODAY, seed=61, finalize=False)  # drafts only
    from dept_gui_helpers import csv_renamed, ram_typed_as_words, truncated

    sample = sorted(inbox.glob("*.xlsx"))[0]
    ram_typed_as_words(sample, inbox / "00-sua-tay-sau-khi-xuat.xlsx")
    truncated(sample, inbox / "00-tai-ve-do-dang.xlsx")
    csv_renamed(inbox / "00-bang-ke-doi-duoi.xlsx")
    (inbox / "00-ghi-chu.txt").write_text("Danh sách xã đã gửi", encoding="utf-8")
    return workspace


def after_import(workspace) -> str:
    """Corrections, petitions handled; returns the commune shown in detail."""
    from report_fixtures import finalize_revision

    from readiness.department.petitions import list_petitions, update_petition

    imported = sorted({i.commune_code for i in workspace.store.assessments(PERIOD) if i.origin == "import"})
    before = {i.commune_code for i in workspace.store.assessments(BEFORE)}
    both = [code for code in imported if code in before]
    detail_code = both[0]
    for code in both[:2]:
        info = finalize_revision(workspace, code, PERIOD)
        _backdate(workspace, info.id, dt.datetime(2025, 11, 26, 3, 30, tzinfo=dt.UTC))
    petitions = list_petitions(workspace, period=PERIOD)
    ref = "Công văn 2984/SKHCN-VP ngày 20/11/2025"
    for index, petition in enumerate(petitions[:24]):
        kind = index % 4
        if kind == 1:
            update_petition(workspace, petition.id, status="forwarded", forwarded_to="Sở Tài chính")
        elif kind == 2:
            update_petition(workspace, petition.id, status="answered", response_ref=ref,
                            response="hướng dẫn địa phương thực hiện nội dung này")
        elif kind == 3:
            update_petition(workspace, petition.id, status="resolved", response_ref=ref)
    return detail_code


def _backdate(workspace, assessment_id: str, moment: dt.datetime) -> None:
    """A correction finalized "now" would carry this computer's date; the story happens in November 2025."""
    from sqlalchemy import update

    from readiness.store.models import AssessmentRow

    with workspace.store.transaction() as session:
        session.execute(update(AssessmentRow).where(AssessmentRow.id == assessment_id)
                        .values(finalized_at=moment, updated_at=moment, created_at=moment))


def shrink(path: Path) -> None:
    """A 256-colour palette (no dithering: text stays crisp): a UI screenshot loses nothing visible."""
    try:
        from PIL import Image
    except ImportError:  # Pillow comes with reportlab; without it the file stays as Qt wrote it
        return
    with Image.open(path) as image:
        quantized = image.convert("RGB").quantize(colors=256, method=Image.Quantize.MEDIANCUT,
                                                  dither=Image.Dither.NONE)
    quantized.save(path, optimize=True)


def shoot(out: Path) -> None:
    home = Path(tempfile.mkdtemp(prefix="readiness-dept-shots-"))
    os.environ["READINESS_HOME"] = str(home)
    from PySide6.QtCore import Qt
    from PySide6.QtTest import QTest
    from PySide6.QtWidgets import QApplication

    from readiness.gui.app import choose_font
    from readiness.gui.department.window import SETTING_PERIOD, DepartmentWindow
    from readiness.gui.i18n import set_lang

    app = QApplication.instance() or QApplication([])
    choose_font(app)
    set_lang("vi")
    inbox = home / "Tệp các xã gửi" / "Tháng 11"
    workspace = build_database(home, inbox)
    workspace.store.set_setting(SETTING_PERIOD, PERIOD)

    def settle(ms: int = 60) -> None:
        for _ in range(6):
            app.processEvents()
            QTest.qWait(ms // 6 or 1)

    def wait(condition, timeout: float = 600.0) -> None:
        import time

        deadline = time.monotonic() + timeout
        while not condition():
            app.processEvents()
            QTest.qWait(20)
            if time.monotonic() > deadline:
                raise SystemExit("timed out waiting")
        settle()

    def save(widget, name: str) -> None:
        settle(120)
        widget.grab().save(str(out / name), "PNG")
        shrink(out / name)
        print(out / name, (out / name).stat().st_size // 1000, "KB")

    window = DepartmentWindow(workspace, today=TODAY)
    window.resize(*SIZE)
    window.move(0, 0)
    window.show()
    wait(lambda: not window.worker.busy and window.dashboard.data is not None)

    # 1. the import: the folder, the bad files among the good ones
    dialog = window.open_import()
    dialog.resize(SIZE[0] - 40, SIZE[1] - 40)
    dialog.move(20, 20)
    dialog.add_paths([inbox.parent])
    dialog.start_button.click()
    wait(lambda: not dialog.running)
    dialog.table.sortByColumn(dialog.model.STATUS, Qt.SortOrder.DescendingOrder)
    rejected = next(r for r in range(dialog.proxy.rowCount()) if "sua-tay" in dialog.proxy.object_at(r).file)
    dialog.table.selectRow(rejected)
    dialog.table.scrollToTop()
    save(dialog, SHOTS[0])
    dialog.close()
    wait(lambda: not window.worker.busy)

    detail_code = after_import(workspace)
    window.refresh()
    wait(lambda: not window.worker.busy and not window.dashboard.loading)

    # 2. the dashboard
    window.tabs.setCurrentWidget(window.dashboard)
    save(window, SHOTS[1])

    # 3. a commune's detail
    window.dashboard.select_code(detail_code)
    window.dashboard.open_detail()
    wait(lambda: window.detail_dialog is not None and window.detail_dialog.isVisible())
    detail = window.detail_dialog
    detail.resize(1180, 660)
    save(detail, SHOTS[2])
    detail.close()

    # 4. petitions, one being handled
    window.tabs.setCurrentWidget(window.petitions)
    wait(lambda: not window.petitions.loading and window.petitions.model.rowCount() > 0)
    page = window.petitions
    forwarded = next(r for r in range(page.proxy.rowCount()) if page.proxy.object_at(r).status == "forwarded")
    page.table.selectRow(forwarded)
    save(window, SHOTS[3])

    # 5. the trend of the province
    window.tabs.setCurrentWidget(window.trend)
    wait(lambda: window.trend.trend is not None and not window.worker.busy)
    save(window, SHOTS[4])

    # 11. the investment needs, the PCs below the minimum chosen; 12. the estimate and the unit prices
    window.tabs.setCurrentWidget(window.needs)
    wait(lambda: window.needs.needs is not None and not window.worker.busy)
    needs = window.needs
    below = next(r for r in range(needs.lines_model.rowCount()) if needs.lines_model.object_at(r).line.id == "pcs_below")
    needs.lines.selectRow(below)
    save(window, SHOTS[10])
    needs.views.setCurrentIndex(2)
    save(window, SHOTS[11])
    needs.views.setCurrentIndex(0)

    # 6. the report dialog
    report = window.open_report()
    report.adjustSize()
    save(report, SHOTS[5])
    report.close()

    # 8. petitions of one topic selected together, one answer for all
    window.tabs.setCurrentWidget(window.petitions)
    page.topic.setCurrentIndex(page.topic.findData("infrastructure"))
    page.select_shown()
    page.editor.status.setCurrentIndex(page.editor.status.findData("answered"))
    page.editor.response_ref.setText("Công văn số 3005/SKHCN-BCVT&CĐS ngày 21/11/2025")
    save(window, SHOTS[7])
    page.editor.revert()
    page.topic.setCurrentIndex(0)

    # 9. the document settings
    settings = window.open_settings()
    settings.editors["signer_name"].setText("Nguyễn Quốc Huy Hoàng")
    settings.resize(1200, 660)
    save(settings, SHOTS[8])
    settings.close()

    # 10. the reply letter's dialog, the answered petitions of the table
    page.table.clearSelection()
    reply = window.open_reply()
    reply.to.setEditText("Sở Nội vụ")
    reply.request_number.setText("2956/SNV-XDCQ")
    reply.use_request_date.setChecked(True)
    reply.request_date.setDate(reply.request_date.date().fromString("10/12/2025", "dd/MM/yyyy"))
    reply.request_about.setText("tiếp tục hỗ trợ các địa phương tháo gỡ khó khăn, vướng mắc")
    reply.adjustSize()
    save(reply, SHOTS[9])
    reply.close()

    # 7. English
    set_lang("en")
    window.tabs.setCurrentWidget(window.dashboard)
    settle(200)
    save(window, SHOTS[6])
    set_lang("vi")
    window.close()
    shutil.rmtree(home, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
