"""The provincial report's PDF written by a second process while this one writes the workbook
(readiness.department.reports): the same files as one process writes them, the same errors, the
fallback when the worker cannot start or dies, a cancel that ends the worker and leaves no file, one
CPU keeping one process."""

from __future__ import annotations

import datetime as dt
import logging
import threading
import time
import zipfile

import psutil
import pytest

from report_fixtures import PERIOD, TODAY, report_ws, xlsx_values  # noqa: F401 - fixtures

DATE = dt.date(2025, 11, 28)
def _request(folder, formats=("xlsx", "pdf", "docx"), **paths):
    from readiness.department.reports import ReportRequest
    from readiness.department.status import StatusFilters

    files = {fmt: folder / f"r.{fmt}" for fmt in formats}
    files.update(paths)
    return ReportRequest(period=PERIOD, filters=StatusFilters(province="51"), as_of=TODAY, date=DATE, number="45",
                         signer="Phan Văn Hiếu", **files)


def _pdf_text(path) -> list[str]:
    from pypdf import PdfReader

    return [page.extract_text() for page in PdfReader(str(path)).pages]


def _document_xml(path) -> bytes:
    with zipfile.ZipFile(path) as archive:
        return archive.read("word/document.xml")


def _leftovers(folder) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if p.name.startswith(".~"))


def test_documents_aside__workbook_and_a_document_on_two_cpus__the_pdf_only(tmp_path):
    from readiness.department.reports import documents_aside

    every = {fmt: tmp_path / f"r.{fmt}" for fmt in ("xlsx", "pdf", "docx")}
    assert documents_aside(every, 2) == ("pdf", "docx")
    assert documents_aside(every, 1) == ()
    assert documents_aside({"pdf": every["pdf"], "docx": every["docx"]}, 2) == ()  # no workbook to write meanwhile
    assert documents_aside({"xlsx": every["xlsx"], "docx": every["docx"]}, 2) == ("docx",)
    assert documents_aside({"xlsx": every["xlsx"]}, 2) == ()


def test_write_reports__pdf_in_a_second_process__same_files_as_one_process(report_ws, tmp_path):
    from readiness.department.reports import write_reports

    one, two = tmp_path / "one", tmp_path / "two"
    one.mkdir(), two.mkdir()
    steps: dict[str, list] = {"one": [], "two": []}
    alone = write_reports(report_ws, _request(one), lambda *step: steps["one"].append(step), processes=1)
    aside = write_reports(report_ws, _request(two), lambda *step: steps["two"].append(step), processes=2)
    assert alone.aside == () and aside.aside == ("pdf", "docx")
    assert list(aside.written) == list(alone.written) == ["xlsx", "pdf", "docx"]
    assert list(aside.seconds) == list(alone.seconds)
    assert [(d, t, p.name if p else None) for d, t, p in steps["two"]] == \
        [(d, t, p.name if p else None) for d, t, p in steps["one"]] == \
        [(0, 4, None), (1, 4, "r.xlsx"), (2, 4, "r.pdf"), (3, 4, "r.docx"), (4, 4, None)]
    assert (aside.expected, aside.received, aside.petitions) == (alone.expected, alone.received, alone.petitions)
    assert _pdf_text(two / "r.pdf") == _pdf_text(one / "r.pdf")
    assert "Phan Văn Hiếu" in "".join(_pdf_text(two / "r.pdf"))
    assert _document_xml(two / "r.docx") == _document_xml(one / "r.docx")
    assert xlsx_values(two / "r.xlsx") == xlsx_values(one / "r.xlsx")
    assert _leftovers(two) == []


def test_write_reports__error_in_the_worker__reaches_the_caller_as_in_one_process(report_ws, tmp_path):
    from readiness.department.reports import write_reports
    from readiness.exchange.errors import ExchangeError

    raised = {}
    for processes in (1, 2):
        folder = tmp_path / str(processes)
        folder.mkdir()
        missing = folder / "no-such-folder" / "r.pdf"  # the PDF's folder does not exist: E-EXPORT-FOLDER
        with pytest.raises(ExchangeError) as caught:
            write_reports(report_ws, _request(folder, pdf=missing), processes=processes)
        raised[processes] = caught.value
        assert (folder / "r.xlsx").is_file() and not (folder / "r.docx").exists()
        assert _leftovers(folder) == []
    assert raised[2].code == raised[1].code == "E-EXPORT-FOLDER"
    def here(text: str) -> str:  # the first run's folder named as the second's
        return text.replace(f"{tmp_path / '1'}", f"{tmp_path / '2'}")

    assert raised[2].message == here(raised[1].message) and "không tồn tại" in raised[2].message
    assert raised[2].file == here(raised[1].file) == str(tmp_path / "2" / "no-such-folder" / "r.pdf")
    assert str(raised[2]) == here(str(raised[1]))
    assert type(raised[2]) is type(raised[1])


def test_write_reports__pool_cannot_start__pdf_written_here_and_logged(report_ws, tmp_path, monkeypatch, caplog):
    from readiness import workers
    from readiness.department.reports import write_reports

    def refused(*_args, **_kwargs):
        raise OSError(24, "Too many open files")

    monkeypatch.setattr(workers, "process_pool", refused)
    with caplog.at_level(logging.WARNING, logger="readiness.department.reports"):
        outcome = write_reports(report_ws, _request(tmp_path), processes=2)
    assert outcome.aside == ()
    assert list(outcome.written) == ["xlsx", "pdf", "docx"]
    assert _pdf_text(tmp_path / "r.pdf") and "no worker process for pdf" in caplog.text


def test_write_reports__worker_dies_at_start__pdf_written_here_and_logged(report_ws, tmp_path, monkeypatch, caplog):
    """A worker whose writer cannot be imported (a frozen build missing a module) breaks the pool at once."""
    from readiness.department import reports

    monkeypatch.setitem(reports.MODULES, "pdf", "readiness.no_such_module")
    with caplog.at_level(logging.WARNING, logger="readiness.department.reports"):
        outcome = reports.write_reports(report_ws, _request(tmp_path), processes=2)
    assert outcome.aside == ()
    assert list(outcome.written) == ["xlsx", "pdf", "docx"]
    assert len(_pdf_text(tmp_path / "r.pdf")) >= 2 and "ended early; written in this process" in caplog.text
    assert _leftovers(tmp_path) == []


def test_write_reports__cancelled_while_the_worker_writes__worker_ends_no_file_left(report_ws, tmp_path,
                                                                                   monkeypatch):
    from readiness.department import report_xlsx, reports

    monkeypatch.setitem(reports.MODULES, "pdf", "report_worker_helpers")  # the worker's PDF writes slowly
    cancel = threading.Event()
    workers_seen: list[psutil.Process] = []
    real_xlsx = report_xlsx.write_report_xlsx

    def workbook(*args, **kwargs):
        deadline = time.monotonic() + 60
        while not any(name.endswith(".pdf") for name in _leftovers(tmp_path)) and time.monotonic() < deadline:
            time.sleep(0.05)  # until the worker has begun the PDF
        assert _leftovers(tmp_path), "the worker never began the PDF"
        # the document worker: a spawned interpreter (not the resource tracker, nor a forkserver an earlier test
        # of this process left running)
        workers_seen.extend(p for p in psutil.Process().children() if "spawn_main" in " ".join(p.cmdline()))
        cancel.set()  # the window closes while the workbook is written
        return real_xlsx(*args, **kwargs)

    monkeypatch.setattr(report_xlsx, "write_report_xlsx", workbook)
    started = time.monotonic()
    outcome = reports.write_reports(report_ws, _request(tmp_path), cancelled=cancel.is_set, processes=2)
    assert time.monotonic() - started < 60  # the worker's slow PDF (120 s) was interrupted
    assert outcome.cancelled and outcome.aside == ()
    assert list(outcome.written) == []  # the workbook stopped where it was: nothing of it written
    assert sorted(p.name for p in tmp_path.iterdir()) == []  # no workbook, PDF, Word report, nor temporary file
    assert workers_seen and not any(p.is_running() and p.status() != psutil.STATUS_ZOMBIE for p in workers_seen)


def test_write_reports__worker_does_not_stop__terminated_and_its_temporary_file_removed(report_ws, tmp_path,
                                                                                      monkeypatch, caplog):
    """A worker that does not see the stop within STOP_WAIT_SECONDS is terminated; the unfinished temporary file
    it could not remove (named with its process id) is removed by this process: nothing is left in the folder."""
    from readiness.department import report_xlsx, reports

    monkeypatch.setitem(reports.MODULES, "pdf", "report_worker_stubborn")
    monkeypatch.setattr(reports, "STOP_WAIT_SECONDS", 1.0)
    cancel = threading.Event()
    begun: list[str] = []

    def workbook(*args, **kwargs):
        deadline = time.monotonic() + 60
        while not any(name.endswith(".pdf") for name in _leftovers(tmp_path)) and time.monotonic() < deadline:
            time.sleep(0.05)
        begun.extend(_leftovers(tmp_path))
        cancel.set()
        return None  # stopped: nothing written

    monkeypatch.setattr(report_xlsx, "write_report_xlsx", workbook)
    with caplog.at_level(logging.WARNING, logger="readiness.department.reports"):
        outcome = reports.write_reports(report_ws, _request(tmp_path, formats=("xlsx", "pdf")), cancelled=cancel.is_set,
                                        processes=2)
    assert outcome.cancelled and outcome.written == {}
    assert len(begun) == 1 and begun[0].startswith(".~") and begun[0].split("-")[0][2:].isdigit()  # .~<pid>-…
    assert "terminated" in caplog.text
    assert list(tmp_path.iterdir()) == []


def test_write_reports__tree_without_room__one_process(report_ws, tmp_path, monkeypatch):
    from readiness import workers
    from readiness.department import reports

    pools: list = []
    monkeypatch.setattr(reports, "available_cpus", lambda: 2)
    monkeypatch.setattr(reports, "tree_megabytes", lambda: reports.TREE_BUDGET_MB - reports.WORKER_RESERVE_MB + 1)
    monkeypatch.setattr(reports, "tracker_megabytes", lambda: 0.0)
    monkeypatch.setattr(workers, "process_pool", lambda *args, **kwargs: pools.append(args))
    outcome = reports.write_reports(report_ws, _request(tmp_path))
    assert pools == [] and outcome.aside == ()
    assert list(outcome.written) == ["xlsx", "pdf", "docx"]
    monkeypatch.setattr(reports, "tree_megabytes", lambda: reports.TREE_BUDGET_MB - reports.WORKER_RESERVE_MB)
    assert reports.room_for_worker()


def test_room_for_worker__a_running_resource_tracker__not_counted_twice(monkeypatch):
    """The reserve holds the worker's resource tracker: one already running (the scoring pool's, a cold report)
    is left out of the tree, so the same room is found with and without it."""
    from readiness.department import reports

    room = reports.TREE_BUDGET_MB - reports.WORKER_RESERVE_MB
    monkeypatch.setattr(reports, "tree_megabytes", lambda: room + 12)
    monkeypatch.setattr(reports, "tracker_megabytes", lambda: 12.0)
    assert reports.room_for_worker()
    monkeypatch.setattr(reports, "tree_megabytes", lambda: room + 13)
    assert not reports.room_for_worker()
    monkeypatch.setattr(reports, "tracker_megabytes", lambda: 0.0)
    monkeypatch.setattr(reports, "tree_megabytes", lambda: room + 1)
    assert not reports.room_for_worker()


def test_tracker_megabytes__the_real_resource_tracker_of_a_spawned_worker():
    import psutil

    from readiness.department.reports import tracker_megabytes, tree_megabytes
    from readiness.workers import process_pool

    pool = process_pool(1, None, (), method="spawn")
    try:
        assert pool.submit(abs, -3).result(timeout=60) == 3
        trackers = [p for p in psutil.Process().children()
                    if any("multiprocessing.resource_tracker" in arg for arg in p.cmdline())]
        assert len(trackers) == 1
        tracker = trackers[0].memory_info().rss / 2**20
        assert 0 < tracker_megabytes() <= 2 * tracker  # its RSS, read a moment apart
        assert tracker_megabytes() < tree_megabytes()
    finally:
        pool.shutdown()


def test_tree_megabytes__this_process_and_its_children__a_real_figure():
    import psutil

    from readiness.department.reports import tree_megabytes

    assert tree_megabytes() >= psutil.Process().memory_info().rss / 2**20 > 0


def test_write_reports__one_cpu__one_process(report_ws, tmp_path, monkeypatch):
    from readiness import workers
    from readiness.department import reports

    pools: list = []
    monkeypatch.setattr(reports, "available_cpus", lambda: 1)
    monkeypatch.setattr(workers, "process_pool", lambda *args, **kwargs: pools.append(args))
    outcome = reports.write_reports(report_ws, _request(tmp_path))
    assert pools == [] and outcome.aside == ()
    assert list(outcome.written) == ["xlsx", "pdf", "docx"]


def test_worker__report_unpickled_and_writers_imported__no_database_layer(report_ws, tmp_path):
    """What the worker loads (its writers, then the pickled content) leaves SQLAlchemy out: ~40 MB of the
    process tree's peak, which issue 16's 400 MB bar counts."""
    import os
    import pickle
    import subprocess
    import sys

    from readiness.department import reports
    from readiness.department.consolidate import consolidate
    from readiness.department.petitions import list_petitions
    from readiness.document_settings import load_settings

    request = _request(tmp_path)
    data = consolidate(report_ws, PERIOD, request.filters, today=TODAY)
    report = reports._content(report_ws, request, data, list_petitions(report_ws, period=PERIOD), None,
                              load_settings(report_ws.store))
    (tmp_path / "report.pickle").write_bytes(pickle.dumps(report))
    code = ("import importlib, pickle, sys\n"
            f"for module in {tuple(reports.MODULES.values())!r}: importlib.import_module(module)\n"
            f"report = pickle.loads(open({str(tmp_path / 'report.pickle')!r}, 'rb').read())\n"
            "print(type(report).__name__, sorted(m for m in sys.modules if m.split('.')[0] == 'sqlalchemy'))\n")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env={**os.environ},
                          timeout=120)
    assert done.returncode == 0, done.stderr
    assert done.stdout.split() == ["ProvincialReport", "[]"]


def test_write_report_xlsx__stopped_inside_an_inventory__nothing_written(report_ws, tmp_path, monkeypatch):
    """«Dừng» reaches the workbook while an inventory's rows are written (the country's PCs are ~3 s of it), not
    only between sheets: it stops there, and no file nor temporary file is left."""
    import traceback

    from readiness.department import report_xlsx
    from readiness.department.consolidate import consolidate, inventories

    data = consolidate(report_ws, PERIOD, today=TODAY)
    monkeypatch.setattr(report_xlsx, "STOP_EVERY", 1)
    asked: list[str] = []

    def cancelled() -> bool:
        asked.append(traceback.extract_stack()[-3].name)  # who asks (through the workbook's stop())
        return asked[-1] == "rows"  # stop once an inventory's rows ask

    assert report_xlsx.write_report_xlsx(data, [], tmp_path / "r.xlsx", inventories(report_ws, data),
                                         cancelled=cancelled) is None
    assert set(asked[:-1]) == {"build_workbook"} and len(asked) > 3 and asked[-1] == "rows"  # between sheets, then rows
    assert list(tmp_path.iterdir()) == []
    report_xlsx.write_report_xlsx(data, [], tmp_path / "r.xlsx", inventories(report_ws, data), cancelled=lambda: False)
    assert [p.name for p in tmp_path.iterdir()] == ["r.xlsx"]
