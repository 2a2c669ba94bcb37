"""The operations layer on its own: the runner, the error messages, what AssessmentOps announces."""

from __future__ import annotations

import gc
import threading

import pytest

from readiness.gui.operations import AssessmentOps, Runner, StoreError, describe_error
from readiness.collector import YoungThreshold

from gui_helpers import open_workspace

# -- the runner ------------------------------------------------------------------------------------


def test_runner__work_with_progress__progress_then_result_on_the_ui_thread(qtbot):
    runner = Runner()
    seen: list[tuple[int, int, str]] = []
    results: list[object] = []

    def work(context):
        for done in range(3):
            context.progress(done, 3, f"bước {done}")
        return threading.current_thread() is not threading.main_thread()

    with qtbot.waitSignal(runner.busy_changed, check_params_cb=lambda busy: not busy, timeout=10_000):
        runner.submit("test", work, finished=results.append, progress=lambda *args: seen.append(args))
    assert results == [True]  # ran off the UI thread
    assert seen == [(0, 3, "bước 0"), (1, 3, "bước 1"), (2, 3, "bước 2")]
    assert not runner.busy


def test_runner__work_raises_a_core_error__failed_with_its_code_and_message(qtbot):
    runner = Runner()
    failures: list[tuple[str, str]] = []

    def work(_context):
        raise StoreError("E-STORE-FINALIZED", "Bản đánh giá đã hoàn thành, không sửa được.")

    with qtbot.waitSignal(runner.busy_changed, check_params_cb=lambda busy: not busy, timeout=10_000):
        runner.submit("test", work, failed=lambda code, message: failures.append((code, message)))
    assert failures == [("E-STORE-FINALIZED", "Bản đánh giá đã hoàn thành, không sửa được.")]


def test_runner__cancel_all__the_running_work_sees_it(qtbot):
    runner = Runner()
    started = threading.Event()
    outcome: list[object] = []

    def work(context):
        started.set()
        while not context.cancelled:
            context.cancel.wait(0.01)
        return "dừng"

    runner.submit("long", work, finished=outcome.append)
    assert started.wait(10)
    with qtbot.waitSignal(runner.busy_changed, timeout=10_000):
        runner.cancel_all()
    assert outcome == ["dừng"]


def test_allocation_heavy_runner__while_its_job_runs__young_threshold_raised_then_restored(qtbot):
    before = gc.get_threshold()
    runner = Runner(allocation_heavy=True)
    inside: list[tuple[int, int, int]] = []
    with qtbot.waitSignal(runner.busy_changed, check_params_cb=lambda busy: not busy, timeout=10_000):
        runner.submit("heavy", lambda _context: inside.append(gc.get_threshold()))
    assert inside == [(max(50_000, before[0]), before[1], before[2])]
    assert gc.isenabled() and gc.get_threshold() == before


def test_young_threshold__overlapping_jobs__restored_only_when_the_last_ends():
    before = gc.get_threshold()
    pause = YoungThreshold(young=40_000)
    with pause:
        with pause:
            assert gc.get_threshold()[0] == max(40_000, before[0])
        assert gc.get_threshold()[0] == max(40_000, before[0])  # the first job still runs
    assert gc.get_threshold() == before


# -- one message per failure -----------------------------------------------------------------------


def test_describe_error__each_kind__code_and_vietnamese_message(tmp_path):
    from sqlalchemy.exc import OperationalError

    from readiness.exchange.errors import ExchangeError
    from readiness.signing.errors import SigningError

    assert describe_error(ExchangeError("E-EXPORT-FOLDER", "Thư mục không ghi được.", file="a/b.xlsx", sheet="Máy tính",
                                        cell="D7")) == (
        "E-EXPORT-FOLDER", "Tệp 'b.xlsx', sheet 'Máy tính', ô D7: Thư mục không ghi được.")
    assert describe_error(SigningError("E-SIGN-PASSWORD", "Sai mật khẩu.", file=tmp_path / "x.p12")) == (
        "E-SIGN-PASSWORD", "Tệp 'x.p12': Sai mật khẩu.")
    assert describe_error(OperationalError("SELECT 1", {}, Exception("database is locked")))[0] == "E-DB"
    assert describe_error(PermissionError(13, "Permission denied", "/tmp/x.pdf")) == (
        "E-FILE", "Không đọc/ghi được tệp /tmp/x.pdf: Permission denied.")
    assert describe_error(OSError("WMI không trả lời")) == ("E-FILE", "Máy tính báo lỗi: WMI không trả lời.")
    code, message = describe_error(ZeroDivisionError("division by zero"))
    assert code == "E-INTERNAL" and "ZeroDivisionError" in message and message.startswith("Lỗi chương trình")


def test_failure_text__the_cli_text_then_what_the_action_left(qtbot, tmp_path):
    """A message box says what the CLI prints for the same error (readiness.errors.render), then its own note."""
    from readiness.errors import render
    from readiness.exchange.errors import ExchangeError
    from readiness.gui.operations import error_text, failure_text

    error = ExchangeError("E-EXPORT-LOCKED", "Không thay được tệp cũ.", file=tmp_path / "b.xlsx")
    text = failure_text(*describe_error(error), after="Không có tệp nào bị ghi dở.")
    assert text == render(error) + "\n\nKhông có tệp nào bị ghi dở."
    assert text.startswith("Lỗi (E-EXPORT-LOCKED): Tệp 'b.xlsx': Không thay được tệp cũ.\nCách xử lý: Đóng tệp")
    assert error_text(error) == render(error)
    assert failure_text("E-FILE", "Ổ đĩa đầy.", title="Không kiểm tra được").startswith(
        "Không kiểm tra được (E-FILE): Ổ đĩa đầy.\nCách xử lý: ")


# -- AssessmentOps ---------------------------------------------------------------------------------


@pytest.fixture
def ops(qtbot, db_url, small_library):
    workspace = open_workspace(db_url, small_library)
    yield AssessmentOps(workspace.session("23500", "2025-11"))
    workspace.close()


def test_save__typed_value__checked_once_saved_and_announced_with_its_initiator(qtbot, ops, monkeypatch):
    checks: list[str] = []
    check = ops.session.check
    monkeypatch.setattr(ops.session, "check", lambda item_id, raw: (checks.append(item_id), check(item_id, raw))[1])
    widget = object()
    with qtbot.waitSignal(ops.changed) as changed, qtbot.waitSignal(ops.refreshed):
        assert ops.save("officers", "12", initiator=widget) is None
    assert checks == ["officers"]  # once (it was checked by the window and then again by the core)
    assert changed.args[0].item_ids == ("officers",) and changed.args[0].initiator is widget
    assert ops.value("officers") == 12 and ops.save_count == 1


def test_save__same_value_again__not_written_not_announced(qtbot, ops):
    assert ops.save("officers", "12") is None
    with qtbot.assertNotEmitted(ops.changed), qtbot.assertNotEmitted(ops.saved):
        assert ops.save("officers", 12) is None
    assert ops.save_count == 1


def test_save__refused_value__problem_returned_nothing_announced(qtbot, ops):
    with qtbot.assertNotEmitted(ops.changed):
        problem = ops.save("officers", "mười hai")
    assert problem is not None and problem.code.startswith("E-ANS") and ops.value("officers") is None


def test_add_rows__a_cell_refused__row_kept_and_the_refusal_announced(qtbot, ops):
    with qtbot.waitSignal(ops.changed) as changed:
        saved, problem = ops.add_rows("pcs", [{"role": "Một cửa", "ram_gb": 5000}], source="probe", meta={"host": "PC"})
    assert problem is None and len(saved) == 1 and set(saved[0].refused) == {"ram_gb"}
    changes = changed.args[0]
    assert changes.item_ids == ("pcs",) and set(changes.refused[saved[0].row.id]) == {"ram_gb"}
    assert [row.values for row in ops.rows("pcs")] == [{"role": "Một cửa"}]


def test_finalized_assessment__row_added__refused_as_an_answer_error(qtbot, ops):
    from readiness.answers import AnswerError

    assert ops.session.set_answers({"respondent": "Nguyễn Văn A", "officers": 12, "has_fibre": True,
                                    "download": 150, "tslcd": "connected"}) == []
    ops.session.add_row("pcs", {"role": "Một cửa"})
    ops.finalize()
    with pytest.raises(AnswerError) as refused, qtbot.assertNotEmitted(ops.changed):
        ops.add_row("pcs", {"role": "Một cửa"})
    assert refused.value.code.startswith("E-STORE")


def test_table_model__rows_added_elsewhere__shown_with_the_refused_cell_marked(qtbot, ops):
    from readiness.gui.table_model import ErrorRole, TableItemModel

    model = TableItemModel(ops, ops.checklist.item("pcs"))
    with qtbot.waitSignal(model.modelReset):
        ops.add_rows("pcs", [{"role": "Máy này", "ram_gb": 5000}], source="probe", meta={"host": "PC"})
    assert model.rowCount() == 1 and model.index(0, 0).data() == "Máy này"
    assert model.index(0, model.column_index("ram_gb")).data(ErrorRole)
    assert not model.index(0, 0).data(ErrorRole)


def test_table_model__its_own_edit__not_reloaded(qtbot, ops):
    from readiness.gui.table_model import TableItemModel

    ops.add_row("pcs", {"role": "Một cửa"})
    model = TableItemModel(ops, ops.checklist.item("pcs"))
    with qtbot.assertNotEmitted(model.modelReset), qtbot.waitSignal(ops.changed):
        assert model.setData(model.index(0, model.column_index("ram_gb")), 8)
    assert ops.rows("pcs")[0].values["ram_gb"] == 8
