"""How the window words a score and the number of questions (the status bar, the summary page, the
history): here, apart from the summary page, so that the status bar of a just-opened assessment does
not load the page's module and its chart."""

from __future__ import annotations

from ..numbers import score as score_words
from .i18n import lang, t


def format_score(score: float, code: str | None = None) -> str:
    """A score as the window writes it (:func:`readiness.numbers.score`: ``72,3``, ``80``)."""
    return score_words(score, code or lang())


def applicable_explanation() -> str:
    """Why the number of questions moves as the officer answers (the summary and the status bar's tip)."""
    return t("Chỉ tính các câu hỏi áp dụng cho xã: một số câu chỉ hỏi khi câu trước được trả lời theo một cách "
             "(ví dụ có kết nối cáp quang), nên tổng số câu có thể tăng hoặc giảm khi trả lời.",
             "Only the questions that apply are counted: some are asked only after a certain answer to an earlier "
             "one (e.g. a fibre connection), so the total can go up or down as you answer.")
