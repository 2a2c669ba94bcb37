"""``readiness --selftest``: prove an installed (or frozen) build has everything it needs.

Opens a database in a temporary folder, loads the checklist, fills a demo assessment, renders the
PDF report and the submission workbook and reads the workbook back.  A missing data file (a
checklist, the register, a font) or a module the packager left out fails here, not in a commune.
"""

from __future__ import annotations

import datetime as dt
import os
import tempfile
import time
import traceback
from collections.abc import Callable
from pathlib import Path


def run_selftest(print_line: Callable[[str], None] = print,
                 extra_steps: tuple[tuple[str, Callable[[], str]], ...] = ()) -> int:
    """Run every step, print one line each; ``extra_steps`` lets the launcher add a Qt check."""
    started = time.perf_counter()
    failures = 0

    def step(label: str, action: Callable[[], str]) -> None:
        nonlocal failures
        begin = time.perf_counter()
        try:
            detail = action()
        except Exception as error:  # noqa: BLE001 - every failure is reported, then the exit code says it
            failures += 1
            print_line(f"LỖI  {label}: {error.__class__.__name__}: {error}")
            print_line(traceback.format_exc())
            return
        print_line(f"OK   {label} ({(time.perf_counter() - begin) * 1000:.0f} ms){': ' + detail if detail else ''}")

    with tempfile.TemporaryDirectory(prefix="readiness-selftest-") as folder:
        previous_home = os.environ.get("READINESS_HOME")
        os.environ["READINESS_HOME"] = folder
        state: dict = {}
        try:
            from . import __version__
            from .paths import app_root

            print_line(f"Sẵn sàng Một cửa {__version__} — tự kiểm tra (dữ liệu phần mềm: {app_root()})")

            def open_database() -> str:
                from .service import Workspace

                state["workspace"] = Workspace.open(f"sqlite:///{Path(folder) / 'selftest.sqlite3'}")
                counts = state["workspace"].store.counts()
                return f"{counts['communes']} đơn vị hành chính trong danh mục"

            def load_checklist() -> str:
                checklist = state["workspace"].latest_checklist()
                state["checklist"] = checklist
                return f"{checklist.key}, {len(checklist.items())} câu hỏi"

            def fill_demo() -> str:
                from .demo import demo_answers

                workspace = state["workspace"]
                session = workspace.session("23500", dt.date.today().strftime("%Y-%m"))
                demo = demo_answers(state["checklist"], session.commune, seed=1)
                errors = session.set_answers(demo.answers)
                if errors:
                    raise RuntimeError(f"{len(errors)} câu trả lời mẫu không hợp lệ: {errors[0]}")
                session.finalize()
                state["session"] = session
                result = session.result()
                return f"{result.score:.1f} điểm, mức {result.level_id}"

            def render_pdf() -> str:
                from .exchange import ExportContext, write_report_pdf

                path = Path(folder) / "bao-cao.pdf"
                write_report_pdf(ExportContext.from_session(state["session"]), path)
                head = path.read_bytes()[:5]
                if head != b"%PDF-":
                    raise RuntimeError("tệp PDF không hợp lệ")
                return f"{path.stat().st_size // 1024} KB"

            def render_workbook() -> str:
                from .exchange import ExportContext, read_submission, write_submission

                path = Path(folder) / "nop.xlsx"
                write_submission(ExportContext.from_session(state["session"]), path)
                submission = read_submission(path, library=state["workspace"].library)
                if not submission.hash_ok:
                    raise RuntimeError("mã băm dữ liệu không khớp khi đọc lại")
                return f"{path.stat().st_size // 1024} KB, đọc lại khớp"

            for label, action in (("Mở cơ sở dữ liệu", open_database), ("Nạp bảng kiểm", load_checklist),
                                  ("Điền bản đánh giá mẫu", fill_demo), ("Xuất báo cáo PDF", render_pdf),
                                  ("Xuất và đọc lại tệp Excel", render_workbook), *extra_steps):
                step(label, action)
                if failures:
                    break
        finally:
            if "workspace" in state:
                state["workspace"].close()
            if previous_home is None:
                os.environ.pop("READINESS_HOME", None)
            else:
                os.environ["READINESS_HOME"] = previous_home
    verdict = "ĐẠT" if not failures else f"KHÔNG ĐẠT ({failures} lỗi)"
    print_line(f"Kết quả tự kiểm tra: {verdict} — {time.perf_counter() - started:.1f} s")
    return 0 if not failures else 1
