"""Imported by the report's document worker in a test (``reports.MODULES`` pointed here): the slow PDF writer of
:mod:`report_worker_helpers`, not seeing the stop, so the worker must be terminated mid-write."""

from __future__ import annotations

from functools import partial

from readiness.department import reports

from report_worker_helpers import _slow_pdf

reports.WRITERS["pdf"] = partial(_slow_pdf, sees_stop=False)
