"""Latest (readiness.gui.operations.latest): a view reloading on the runner shows only the newest load; a stale
load's result and failure are dropped, its queued steps not run."""

from __future__ import annotations

import threading

from PySide6.QtWidgets import QLabel, QMessageBox, QWidget

from readiness.gui.operations import Latest, Runner, StoreError, Step


class View(QWidget):
    """A view as the department's are: reload → work on the worker → the text shown, or a message box."""

    def __init__(self, runner: Runner):
        super().__init__()
        self.load = Latest(runner, self)
        self.label = QLabel(self)
        self.shown: list[object] = []
        self.loading_when_shown: list[bool] = []

    def reload(self, *works) -> None:
        steps = [Step(f"step {index}", work, self._loaded) for index, work in enumerate(works)]
        self.load.start(*steps, failed=self._failed)

    def _loaded(self, result: object) -> None:
        self.shown.append(result)
        self.loading_when_shown.append(self.load.loading)
        self.label.setText(str(result))

    def _failed(self, code: str, message: str) -> None:
        QMessageBox.warning(self, "Không tải được", f"{message} ({code})")


def _gate():
    """A work that waits until released (the first load still running while the view reloads)."""
    started, release = threading.Event(), threading.Event()

    def wait_then(result):
        def work(_context):
            started.set()
            assert release.wait(10)
            if isinstance(result, Exception):
                raise result
            return result
        return work

    return started, release, wait_then


def _idle(qtbot, runner: Runner) -> None:
    if runner.busy:
        with qtbot.waitSignal(runner.busy_changed, check_params_cb=lambda busy: not busy, timeout=10_000):
            pass


def test_latest__reloads_during_a_load__only_the_newest_result_shown_the_queued_one_never_run(qtbot, message_boxes):
    runner = Runner()
    view = View(runner)
    started, release, wait_then = _gate()
    ran: list[str] = []
    view.reload(wait_then("tháng 10"))
    assert started.wait(10) and view.load.loading
    view.reload(lambda _c: ran.append("tháng 11") or "tháng 11")  # queued behind the first, then superseded
    view.reload(lambda _c: ran.append("tháng 12") or "tháng 12")
    release.set()
    _idle(qtbot, runner)
    assert view.shown == ["tháng 12"] and view.label.text() == "tháng 12"
    assert ran == ["tháng 12"]  # the stale queued load's work was skipped
    assert view.loading_when_shown == [False] and not view.load.loading
    assert message_boxes.calls == []


def test_latest__a_stale_load_fails__no_message_box_the_newest_shown(qtbot, message_boxes):
    runner = Runner()
    view = View(runner)
    started, release, wait_then = _gate()
    view.reload(wait_then(StoreError("E-STORE-LOCKED", "Cơ sở dữ liệu đang bận.")))
    assert started.wait(10)
    view.reload(lambda _c: "mới nhất")
    release.set()
    _idle(qtbot, runner)
    assert view.shown == ["mới nhất"]
    assert message_boxes.calls == []


def test_latest__the_newest_load_fails__one_message_box_its_later_step_not_shown(qtbot, message_boxes):
    runner = Runner()
    view = View(runner)

    def fails(_context):
        raise StoreError("E-STORE-LOCKED", "Cơ sở dữ liệu đang bận.")

    view.reload(fails, lambda _c: "bước 2")  # may already run when the failure arrives: dropped all the same
    _idle(qtbot, runner)
    assert view.shown == [] and not view.load.loading
    assert message_boxes.kinds() == ["warning"] and "Cơ sở dữ liệu đang bận. (E-STORE-LOCKED)" in message_boxes.calls[0][2]


def test_latest__two_steps__each_shown_in_turn_loading_until_the_last(qtbot, message_boxes):
    runner = Runner()
    view = View(runner)
    view.reload(lambda _c: "bảng", lambda _c: "biểu đồ")
    _idle(qtbot, runner)
    assert view.shown == ["bảng", "biểu đồ"]
    assert view.loading_when_shown == [True, False]
    assert message_boxes.calls == []


def test_latest__dropped__nothing_shown_not_loading(qtbot, message_boxes):
    runner = Runner()
    view = View(runner)
    started, release, wait_then = _gate()
    view.reload(wait_then("cũ"), lambda _c: "cũ, bước 2")
    assert started.wait(10)
    view.load.drop()
    assert not view.load.loading
    release.set()
    _idle(qtbot, runner)
    assert view.shown == [] and message_boxes.calls == []


def test_latest__cancelled_from_elsewhere_before_it_ran__nothing_shown_load_ended(qtbot, message_boxes):
    """The window closing cancels every job (Runner.cancel_all): a queued step is skipped, never shown as None."""
    runner = Runner()
    view = View(runner)
    started, release, wait_then = _gate()
    ran: list[str] = []
    blocker = runner.submit("another job", wait_then("khác"))
    assert started.wait(10)
    view.reload(lambda _c: ran.append("danh sách") or "danh sách")
    runner.cancel_all()
    release.set()
    _idle(qtbot, runner)
    assert ran == [] and view.shown == [] and not view.load.loading and message_boxes.calls == []
    assert blocker.done.is_set()
