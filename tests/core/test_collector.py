"""The collector's young threshold raised while the report is written (readiness.collector.HEAVY), restored after,
also when the report fails."""

from __future__ import annotations

import gc

import pytest


def test_write_reports__collector_young_threshold_raised_meanwhile__restored_after(monkeypatch):
    from readiness.department import reports

    before = gc.get_threshold()
    inside: list[tuple[int, int, int]] = []
    monkeypatch.setattr(reports, "_write_reports", lambda *args, **kwargs: inside.append(gc.get_threshold()) or "done")
    assert reports.write_reports(None, None) == "done"  # type: ignore[arg-type]
    assert inside == [(max(50_000, before[0]), before[1], before[2])]
    assert gc.isenabled() and gc.get_threshold() == before

    def fails(*_args, **_kwargs):
        raise OSError("disk full")

    monkeypatch.setattr(reports, "_write_reports", fails)
    with pytest.raises(OSError):
        reports.write_reports(None, None)  # type: ignore[arg-type]
    assert gc.get_threshold() == before
