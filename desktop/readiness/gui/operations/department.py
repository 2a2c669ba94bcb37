"""Queries of the department's window that are not one call of the core (run on its Runner).

Qt-free functions: each takes the workspace and returns plain data the window shows.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from ...department.consolidate import CommuneDetail
    from ...department.petitions import Petition
    from ...service import Workspace


def available_periods(workspace: Workspace) -> list[str]:
    """The periods that have any assessment, newest first (one query)."""
    from sqlalchemy import select

    from ...store.models import AssessmentRow

    with workspace.store.transaction() as session:
        periods = list(session.scalars(select(AssessmentRow.period).distinct()))
    return sorted(periods, reverse=True)


@dataclass
class DetailData:
    """What the commune detail dialog shows."""

    detail: CommuneDetail
    petitions: list[Petition]
    signature: str | None = None  # the signature status of the assessment that counts (imported ones)


def load_detail(workspace: Workspace, code: str, period: str, *, today: Any = None) -> DetailData:
    """The commune's score, sections, gaps, revisions, petitions and signature status."""
    from ...department.consolidate import commune_detail
    from ...department.petitions import list_petitions

    detail = commune_detail(workspace, code, period, today=today)
    petitions = list_petitions(workspace, period=detail.period, commune=code, province="all")
    signature = None
    if detail.info is not None:
        try:
            from ...signing.records import signature_statuses

            found = signature_statuses(workspace.store, [detail.info.id])
            signature = found[detail.info.id].status if detail.info.id in found else None
        except ImportError:  # pragma: no cover - signing is optional
            signature = None
    return DetailData(detail, petitions, signature)
