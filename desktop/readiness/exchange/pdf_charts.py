"""The score bar chart of our PDFs: the commune's report (its sections) and the department's report
(the section averages of a period) draw it with the same function.

Horizontal bars on a 0–100 axis with a dotted grid, one per row, in the colour the caller gives
(:mod:`readiness.bands`: the checklist's levels), the score written after each bar as everywhere else
(:func:`readiness.numbers.score`; "—" when nothing in it is scored); the first row on top.
"""

from __future__ import annotations

from collections.abc import Sequence

from ..bands import NOT_SCORED
from ..numbers import score as score_words
from .fonts import SERIF, SERIF_BOLD, SERIF_ITALIC
from .pdf_common import MM


def shorten(name: str, limit: int) -> str:
    """A category label of at most ``limit`` characters, "…" where it was cut."""
    return name if len(name) <= limit else name[:limit - 2].rstrip() + "…"


def score_bar_chart(rows: Sequence[tuple[str, float | None]], width: float, *, colours: Sequence[str], axis_title: str,
                    label_width: float = 62 * MM, bar_pitch: float = 5.8 * MM,
                    marker: tuple[float, str] | None = None, top_margin: float = 5 * MM):
    """A reportlab Drawing: ``rows`` (name, score 0–100 or None) as bars in ``colours`` (one per row,
    from :func:`readiness.bands.score_band`), ``axis_title`` under them.

    The names are drawn as given (:func:`shorten` them to fit ``label_width``).

    ``marker``: (score, text) drawn as a dashed line across the bars with its text above (the
    commune's overall score); ``top_margin`` leaves room for that text.
    """
    from reportlab.graphics.charts.barcharts import HorizontalBarChart
    from reportlab.graphics.shapes import Drawing, Line, String
    from reportlab.lib import colors

    values = [score if score is not None else 0.0 for _, score in rows]
    labels = [score_words(score, fixed=True) for _, score in rows]  # one decimal each, as in a table's column
    bottom = 9 * MM
    drawing = Drawing(width, len(rows) * bar_pitch + bottom + top_margin)
    chart = HorizontalBarChart()
    chart.x, chart.y = label_width, bottom  # type: ignore[assignment]  # reportlab takes any number (the stubs say int)
    chart.width, chart.height = width - chart.x - 14 * MM, len(rows) * bar_pitch  # type: ignore[assignment]  # reportlab takes any number (the stubs say int)
    chart.data = [list(reversed(values))]  # reportlab draws the first category at the bottom
    chart.categoryAxis.categoryNames = list(reversed([name for name, _ in rows]))
    chart.categoryAxis.labels.fontName = SERIF
    chart.categoryAxis.labels.fontSize = 9.5
    chart.categoryAxis.labels.boxAnchor = "e"
    chart.categoryAxis.labels.dx = -3
    chart.categoryAxis.strokeColor = colors.black
    chart.valueAxis.valueMin, chart.valueAxis.valueMax, chart.valueAxis.valueStep = 0, 100, 20
    chart.valueAxis.labels.fontName = SERIF
    chart.valueAxis.labels.fontSize = 9
    chart.valueAxis.visibleGrid = True
    chart.valueAxis.gridStrokeColor = colors.HexColor("#bbbbbb")
    chart.valueAxis.gridStrokeDashArray = (1, 2)
    chart.barWidth = bar_pitch * 0.62  # type: ignore[assignment]  # reportlab takes any number (the stubs say int)
    chart.groupSpacing = bar_pitch * 0.38  # type: ignore[assignment]  # reportlab takes any number (the stubs say int)
    chart.bars.strokeColor = None
    for position, colour in enumerate(reversed(list(colours))):
        chart.bars[(0, position)].fillColor = colors.HexColor(colour or NOT_SCORED)
    chart.barLabelFormat = "values"
    chart.barLabelArray = [list(reversed(labels))]
    chart.barLabels.fontName = SERIF_BOLD
    chart.barLabels.fontSize = 9.5
    chart.barLabels.boxAnchor = "w"
    chart.barLabels.dx = 3
    drawing.add(chart)
    drawing.add(String(chart.x + chart.width / 2, 1.5 * MM, axis_title, fontName=SERIF_ITALIC, fontSize=9,
                       textAnchor="middle"))
    if marker is not None:
        score, text = marker
        x = chart.x + chart.width * score / 100
        drawing.add(Line(x, chart.y - 2, x, chart.y + chart.height + 4, strokeColor=colors.black, strokeWidth=0.8,
                         strokeDashArray=(4, 2)))
        drawing.add(String(x, chart.y + chart.height + 6, text, fontName=SERIF_ITALIC, fontSize=9, textAnchor="middle"))
    return drawing
