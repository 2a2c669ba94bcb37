"""The only way the windows reach the core (anki's ``aqt.operations``).

- :class:`AssessmentOps` (:mod:`.assessment`): one open assessment; every answer, cell and row is
  read and saved through it, and it announces what changed (:class:`Changes`) so the widgets that
  show those items reload themselves.
- :class:`WorkspaceOps` (:mod:`.workspace`): settings, the register, opening an assessment, backup.
- :class:`Runner` (:mod:`.runner`): the one way work runs off the UI thread, with progress, cancel,
  and one outcome: ``finished(result)`` or ``failed(code, message)``.
- :class:`Latest` (:mod:`.latest`): how a view reloads on the runner: the newest load shown, a stale
  one's result and failure dropped.
- :func:`describe_error` (:mod:`.errors`): the one place an exception becomes (code, message);
  :func:`failure_text`: the text of every failure's message box (code, where, what to do), the same
  :func:`readiness.errors.render` the command line prints.
- :mod:`.department`: the department window's queries that are not one call of the core.

Other GUI modules import the store's types from here (``from .operations import StoreError``),
never from ``readiness.store`` (an import-linter contract and ``tests/gui/test_layers.py``).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from .assessment import AssessmentOps, Changes
from .errors import describe_error, error_text, failure_text
from .runner import Job, JobContext, Runner
from .workspace import WorkspaceOps

if TYPE_CHECKING:
    from ...store.periods import StoreError
    from ...store.queries import AssessmentInfo
    from .latest import Latest, Step


def __getattr__(name: str) -> Any:
    """The store's types, loaded when first used (from the store's light modules: neither brings SQLAlchemy);
    :class:`Latest` and :class:`Step` when a view first uses them (the commune window's start does not)."""
    if name in ("Latest", "Step"):
        from . import latest

        return getattr(latest, name)
    if name == "AssessmentInfo":
        from ...store.queries import AssessmentInfo

        return AssessmentInfo
    if name == "StoreError":
        from ...store.periods import StoreError

        return StoreError
    raise AttributeError(name)


__all__ = ["AssessmentInfo", "AssessmentOps", "Changes", "Job", "JobContext", "Latest", "Runner", "Step", "StoreError",
           "WorkspaceOps", "describe_error", "error_text", "failure_text"]
