"""Load the newest, drop a stale result: how a view reloads on the :class:`~.runner.Runner`.

A view that loads on the worker (the dashboard, the trend, the needs, the petitions) may be asked to
reload while a load is under way: another period chosen, a filter changed, an import finished.  Only
what is chosen now may be shown.  :class:`Latest` keeps that rule in one place:

- :meth:`Latest.start` begins a load of one or more :class:`Step` s (jobs queued in order) and makes any
  older load stale: its queued steps are skipped (their work is not run) and whatever it finishes or
  fails with is dropped, never shown, never a message box;
- of the newest load, each step's ``finished(result)`` is called as it arrives (a step's result that
  arrives after a later step's is dropped); the load ends after its last step, or at its first failure,
  which calls ``failed(code, message)`` and drops its remaining steps (skipped unless already started);
- :attr:`Latest.loading` is true from :meth:`start` until the newest load has ended (and is already
  false when its last callback runs); :meth:`drop` ends the load in progress without showing it.

A job already running cannot be interrupted: it runs to its end and its result is dropped.  A step
cancelled from elsewhere before it started (:meth:`Runner.cancel_all` as the window closes) is skipped too,
and its load ends with nothing shown.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import QObject

from .runner import Job, JobContext, Runner


@dataclass(frozen=True)
class Step:
    """One job of a load: ``work(context)`` on the worker, then ``finished(result)`` on the UI thread."""

    name: str
    work: Callable[[JobContext], Any]
    finished: Callable[[Any], None]


class Latest(QObject):
    """The loads of one view on ``runner``; only the newest one's outcome reaches the view.  Make it a child
    of the view (``Latest(worker, self)``): when the view goes, nothing more is delivered."""

    def __init__(self, runner: Runner, parent: QObject | None = None):
        super().__init__(parent)
        self.runner = runner
        self._steps: list[tuple[Job, Step]] = []  # the newest load's steps not yet delivered, in order
        self._failed: Callable[[str, str], None] | None = None

    @property
    def loading(self) -> bool:
        return bool(self._steps)

    def start(self, *steps: Step, failed: Callable[[str, str], None]) -> None:
        """Begin a new load (the older one, if any, becomes stale)."""
        self.drop()
        self._failed = failed
        self._steps = [(self.runner.submit(step.name, _unless_cancelled(step.work), finished=self._finished,
                                           failed=self._failed_step), step) for step in steps]

    def drop(self) -> None:
        """Make the load in progress stale: its queued steps are skipped, its results dropped."""
        for job, _step in self._steps:
            job.cancel.set()
        self._steps = []
        self._failed = None

    def _current(self) -> int | None:
        """Which step of the newest load called (None: a stale load's job)."""
        sender = self.sender()
        return next((index for index, (job, _step) in enumerate(self._steps) if job.signals is sender), None)

    def _finished(self, result: Any) -> None:
        index = self._current()
        if index is None:
            return
        if result is _SKIPPED:  # cancelled before it ran (the window closing): the load ends, nothing shown
            self.drop()
            return
        step = self._steps[index][1]
        self._steps = self._steps[index + 1:]
        if not self._steps:
            self._failed = None
        step.finished(result)

    def _failed_step(self, code: str, message: str) -> None:
        if self._current() is None:
            return
        failed = self._failed
        self.drop()  # the later steps are not worth running
        if failed is not None:
            failed(code, message)


_SKIPPED = object()  # what a step cancelled before it started gives back (never shown)


def _unless_cancelled(work: Callable[[JobContext], Any]) -> Callable[[JobContext], Any]:
    def run(context: JobContext) -> Any:
        return _SKIPPED if context.cancelled else work(context)

    return run


__all__ = ["Latest", "Step"]
