"""One score, one colour (issue 17 §2): every output colours a score with readiness.bands, from the
checklist's own levels.  The checks use the real checklist with its levels moved (90 and 30 instead of
80 and 60): an output with thresholds of its own (the window had 80/50, the PDFs 80/60) disagrees."""

from __future__ import annotations

import dataclasses
import datetime as dt

import pytest

from readiness.bands import band, level_band, score_band, score_limits
from report_fixtures import PERIOD, TODAY, report_ws  # noqa: F401 - a fixture

REPORT_DATE = dt.date(2025, 11, 28)


def _moved(checklist):
    """The checklist with its levels at 90 and 30 (same ids, colours and order)."""
    rules = {"ready": "score >= 90 and critical_failed == 0 and unanswered_required == 0",
             "basic": "score >= 30 and critical_failed <= 1", "not_ready": "true"}
    levels = [dataclasses.replace(level, rule=rules[level.id]) for level in checklist.levels]
    return dataclasses.replace(checklist, levels=levels)


@pytest.fixture(scope="module")
def moved(report_ws):
    from readiness.department.consolidate import consolidate

    data = consolidate(report_ws, PERIOD, today=TODAY)
    return dataclasses.replace(data, checklist=_moved(data.checklist))


def _hex(colour) -> str:
    return "#" + colour.hexval()[2:].lower()


# -- the function ----------------------------------------------------------------------------------------


def test_band__real_levels__green_from_80_amber_from_60_rounded_as_written(real_checklist):
    assert [(limit, level.id) for limit, level in score_limits(real_checklist)] == \
        [(0.0, "not_ready"), (60.0, "basic"), (80.0, "ready")]
    colour = {level.id: level.color for level in real_checklist.levels}
    assert score_band(real_checklist, 52).colour == colour["not_ready"]  # was amber in the window (80/50)
    assert score_band(real_checklist, 55).colour == colour["not_ready"]
    assert score_band(real_checklist, 59.94).colour == colour["not_ready"]
    assert score_band(real_checklist, 59.96).colour == colour["basic"]  # written «60»: amber, like 60
    assert score_band(real_checklist, 79.95).colour == colour["ready"]
    assert score_band(real_checklist, None).level_id is None
    # Where the level is shown, its colour: 85 points with a critical criterion not met is red.
    assert band(real_checklist, 85, "not_ready").colour == colour["not_ready"]


def test_band__levels_moved__limits_follow_the_checklist(real_checklist):
    checklist = _moved(real_checklist)
    assert [limit for limit, _ in score_limits(checklist)] == [0.0, 30.0, 90.0]
    assert score_band(checklist, 85).level_id == "basic" and score_band(checklist, 29.9).level_id == "not_ready"


# -- every output ----------------------------------------------------------------------------------------


def test_commune_pdf_chart__bars_in_the_bands_of_the_checklist(real_checklist, real_session_factory):
    from readiness.exchange import ExportContext
    from readiness.exchange.pdf_charts import score_bar_chart  # noqa: F401 - the chart both PDFs draw
    from readiness.exchange.pdf_report import _chart

    session = real_session_factory()
    ctx = ExportContext.from_session(session)
    ctx = dataclasses.replace(ctx, checklist=_moved(ctx.checklist))
    drawing = _chart(ctx, 400)
    chart = next(node for node in drawing.contents if hasattr(node, "bars"))
    scores = list(reversed([s.score for s in ctx.result.sections]))  # reportlab draws the first at the bottom
    for position, value in enumerate(scores):
        assert _hex(chart.bars[(0, position)].fillColor) == score_band(ctx.checklist, value).colour


def test_submission_workbook__section_scores_and_level_filled_by_band(real_session_factory, tmp_path):
    import openpyxl

    from readiness.exchange import ExportContext, write_submission
    from readiness.exchange.xlsx import COVER_SHEET

    ctx = ExportContext.from_session(real_session_factory())
    ctx = dataclasses.replace(ctx, checklist=_moved(ctx.checklist))
    book = openpyxl.load_workbook(write_submission(ctx, tmp_path / "s.xlsx").path)
    cover = book[COVER_SHEET]
    seen = 0
    for row in cover.iter_rows(min_row=1):
        if isinstance(row[1].value, (int, float)) and row[0].value and str(row[0].value)[:1].isdigit():
            assert row[1].fill.fgColor.rgb[-6:] == score_band(ctx.checklist, row[1].value).background[1:].upper()
            seen += 1
        if row[0].value == "Điểm (thang 100)":
            assert row[1].fill.fgColor.rgb[-6:] == level_band(ctx.checklist, ctx.result.level_id).background[1:].upper()
    assert seen >= 6


def test_department_pdf_docx_workbook__averages_and_scores_in_their_bands(moved, report_ws, tmp_path):
    import io

    import openpyxl
    from PIL import Image

    from readiness.department.petitions import list_petitions
    from readiness.department.report_content import ReportOptions, build_report
    from readiness.department.report_docx import sections_png
    from readiness.department.report_pdf import sections_chart
    from readiness.department.report_xlsx import write_report_xlsx

    petitions = list_petitions(report_ws, period=PERIOD)
    report = build_report(moved, petitions, ReportOptions(date=REPORT_DATE))
    expected = [score_band(moved.checklist, value).colour for _name, value in report.section_averages]
    assert report.section_colours == expected
    chart = next(node for node in sections_chart(report, 400).contents if hasattr(node, "bars"))
    for position, colour in enumerate(reversed(expected)):
        assert _hex(chart.bars[(0, position)].fillColor) == colour
    image = Image.open(io.BytesIO(sections_png(report, scale=1))).convert("RGB")
    for index, ((_name, value), colour) in enumerate(zip(report.section_averages, expected)):
        if value is not None and value > 2:
            pixel = image.getpixel((230 + 2, 10 + index * 24 + 12))
            assert "#%02x%02x%02x" % pixel == colour, (index, value)

    path = write_report_xlsx(moved, petitions, tmp_path / "r.xlsx")
    communes = openpyxl.load_workbook(path)["Kết quả theo xã"]
    labels = {label: level_id for level_id, label in moved.status.level_labels.items()}
    for cells in communes.iter_rows(min_row=2):
        if cells[9].value is not None:
            assert cells[9].fill.fgColor.rgb[-6:] == \
                band(moved.checklist, cells[9].value, labels.get(cells[10].value)).background[1:].upper()
        for cell in cells[12:12 + len(moved.sections)]:
            if cell.value is not None:
                assert cell.fill.fgColor.rgb[-6:] == score_band(moved.checklist, cell.value).background[1:].upper()


@pytest.mark.gui
def test_windows__summary_chart_status_bar_and_department_tables_use_the_bands(qtbot, report_ws, moved):
    from PySide6.QtCore import Qt

    from readiness.department.status import period_status
    from readiness.gui.chart import Bar
    from readiness.gui.department.models import StatusTableModel

    status = period_status(report_ws, PERIOD, detail=True, today=TODAY)
    model = StatusTableModel()
    model.set_report(status, moved.checklist)
    checked = 0
    for row in range(model.rowCount()):
        from readiness.gui.department.models import OBJECT_ROLE

        entry = model.data(model.index(row, 0), OBJECT_ROLE)
        index = model.index(row, model.SCORE)
        if entry.score is None:
            continue
        background = model.data(index, Qt.ItemDataRole.BackgroundRole)
        assert background.name() == band(moved.checklist, entry.score, entry.level).background
        for section_id, value in (entry.section_scores or {}).items():
            if value is not None and section_id in [sid for sid, _ in model.sections]:
                cell = model.index(row, model.section_column(section_id))
                assert model.data(cell, Qt.ItemDataRole.BackgroundRole).name() == \
                    score_band(moved.checklist, value).background
        checked += 1
    assert checked >= 10
    assert Bar.of(moved.checklist, "x", 85).color == score_band(moved.checklist, 85).colour


@pytest.fixture
def real_session_factory(workspace):
    from readiness.demo import demo_answers

    def make():
        session = workspace.session("23500", "2025-11")
        session.today = TODAY
        demo = demo_answers(session.checklist, session.commune, seed=11, today=TODAY, profile="average")
        assert session.set_answers(demo.answers) == []
        return session

    return make
