"""Queries of the department's window that are not one call of the core (run on its Runner).

Qt-free functions: each takes the workspace and returns plain data the window shows.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from ...department.consolidate import CommuneDetail
    from ...department.petitions import Petition, PetitionFilter
    from ...service import Workspace


def available_periods(workspace: Workspace) -> list[str]:
    """The periods that have any assessment, newest first (one query)."""
    return workspace.store.periods()


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


# -- petitions ----------------------------------------------------------------------------------------


def petitions(workspace: Workspace, where: PetitionFilter) -> list[Petition]:
    """The petitions a filter selects (``readiness petitions list``)."""
    from ...department.petitions import list_petitions

    return list_petitions(workspace, where=where)


def update_petitions(workspace: Workspace, ids: list[int], *, status: str | None = None,
                     forwarded_to: str | None = None, response: str | None = None, response_ref: str | None = None,
                     force: bool = False) -> list[Petition]:
    """Forward or answer one or many petitions in one transaction (``readiness petitions update``);
    raises StoreError naming the petition refused, and then nothing changed."""
    from ...department.petitions import update_petitions as update

    return update(workspace, ids, status=status, forwarded_to=forwarded_to, response=response,
                  response_ref=response_ref, force=force)


def petition_topics(workspace: Workspace) -> dict[str, str]:
    """Topic id -> Vietnamese label, in the checklist's order."""
    from ...department.petitions import topic_choices

    return topic_choices(workspace)


def addressed_matches(query: str, addressed_to: str | None) -> bool:
    """Whether a petition addressed to ``addressed_to`` answers the addressee filter ``query``."""
    from ...department.petitions import addressed_matches as matches

    return matches(query, addressed_to)


def petition_filter(**values: Any) -> PetitionFilter:
    """A :class:`~readiness.department.petitions.PetitionFilter` (period, communes, statuses, topics, …)."""
    from ...department.petitions import PetitionFilter

    return PetitionFilter(**values)
