"""The window's handle on the workspace (the database and the checklists), beside one assessment.

Settings the windows remember, the register of communes, opening an assessment (which gives an
:class:`~.assessment.AssessmentOps`), backup and restore: the windows call these and never reach
the store themselves.  Each is one short transaction on the UI thread; work that can take longer
goes through a :class:`~.runner.Runner`.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ...record import Record

if TYPE_CHECKING:
    from PySide6.QtCore import QObject

    from ...document_settings import DocumentSettings

    from ...checklist.model import Checklist
    from ...register import Commune
    from ...service import Workspace
    from ...store.queries import AssessmentInfo
    from .assessment import AssessmentOps
    from .runner import Runner


class StartOffer(Record):
    """A period with no assessment yet that can start from an earlier finalized one (issue 14 §1):
    what would be carried (answers; rows per table item) and how many items are entered afresh."""

    commune: Commune
    period: str  # YYYY-MM, the period to start
    source: AssessmentInfo  # the finalized assessment it would start from
    checklist: Checklist  # the definition the new draft uses
    answers: int
    rows: dict[str, int]
    renew: list[str]  # item ids entered afresh each period


class WorkspaceOps:
    """Reads and writes of the workspace that are not about one assessment's answers."""

    def __init__(self, workspace: Workspace):
        self.workspace = workspace

    # -- settings ---------------------------------------------------------------------------
    def setting(self, key: str) -> str | None:
        return self.workspace.store.get_setting(key)

    def set_setting(self, key: str, value: str) -> None:
        self.workspace.store.set_setting(key, value)

    def document_settings(self) -> DocumentSettings:
        """Who issues the department's documents (letterhead, place, signer, «Nơi nhận»)."""
        from ...document_settings import load_settings

        return load_settings(self.workspace.store)

    def save_document_settings(self, changes: Mapping[str, str | None]) -> DocumentSettings:
        """Check and store the changed settings together (``None``: back to the default); raises
        SettingsError naming the first one refused, and then nothing is stored."""
        from ...document_settings import save_settings

        return save_settings(self.workspace.store, changes)

    @staticmethod
    def document_fields() -> tuple:
        """The settings' fields (key, Vietnamese and English labels, one line or several)."""
        from ...document_settings import FIELDS

        return FIELDS

    @staticmethod
    def default_document_settings() -> DocumentSettings:
        from ...document_settings import default_settings

        return default_settings()

    def document_settings_for_province(self, code: str) -> DocumentSettings:
        """The settings derived from the register for province ``code`` (not stored)."""
        from ...document_settings import settings_for_province

        return settings_for_province(code, self.workspace.store.all_communes(), self.document_settings())

    # -- named groups of communes (``readiness group``) ---------------------------------------
    def groups(self) -> list[Any]:
        """Every named group (:class:`~readiness.department.groups.CommuneGroup`), in Vietnamese order."""
        from ...department.groups import list_groups

        return list_groups(self.workspace)

    def add_group(self, name: str, communes: str, *, person: str = "", role: str = "", note: str = "") -> Any:
        """Save a new group; raises StoreError (a Vietnamese message naming the name or commune refused)."""
        from ...department.groups import add_group

        return add_group(self.workspace, name, communes, person=person, role=role, note=note,
                         province=self.document_settings().home_province)

    def update_group(self, name: str, *, new_name: str, communes: str, person: str, role: str, note: str) -> Any:
        """Replace a group's name, communes and who follows it, in one transaction (or nothing changes)."""
        from ...department.groups import update_group

        return update_group(self.workspace, name, new_name=new_name, communes=communes, person=person, role=role,
                            note=note, province=self.document_settings().home_province)

    def remove_group(self, name: str) -> Any:
        from ...department.groups import remove_group

        return remove_group(self.workspace, name)

    def scope_of_group(self, filters: Any, name: str) -> Any:
        """``filters`` limited to the group's communes (:func:`readiness.department.scope.apply_scope`)."""
        from ...department.scope import apply_scope

        return apply_scope(self.workspace, filters, group=name)

    # -- the register and the checklists ----------------------------------------------------
    def communes(self, search: str | None = None, province: str | None = "51") -> list[Commune]:
        return self.workspace.store.communes(search, province=province)

    def all_communes(self) -> list[Commune]:
        return self.workspace.store.all_communes()

    def commune(self, code: str) -> Commune | None:
        """The commune with this code, or ``None`` when the register has none."""
        from ...store.periods import StoreError

        try:
            return self.workspace.store.commune(code)
        except StoreError:
            return None

    def latest_checklist(self) -> Checklist:
        """Raises KeyError when the installation has no checklist."""
        return self.workspace.latest_checklist()

    @property
    def database_url(self) -> str:
        return self.workspace.store.url

    @property
    def library(self) -> Any:
        return getattr(self.workspace, "library", None)

    # -- one assessment ---------------------------------------------------------------------
    def open_assessment(self, commune_code: str, period: str, parent: QObject | None = None, *,
                        runner: Runner | None = None) -> AssessmentOps:
        """Open (or create) the commune's assessment; raises StoreError (refused) or KeyError (no checklist)."""
        from .assessment import AssessmentOps

        return AssessmentOps(self.workspace.session(commune_code, period), parent, runner=runner)

    def start_offer(self, commune_code: str, period: str) -> StartOffer | None:
        """What to offer when opening a period: ``None`` when it already has an assessment or there is no
        earlier finalized one (it simply opens); else the offer «Bắt đầu từ kỳ MM/YYYY» is made."""
        from ...checklist.model import Refresh
        from ...store.periods import StoreError, validate_period

        workspace = self.workspace
        try:
            period = validate_period(period)
            if workspace.store.current_assessment(commune_code, period) is not None:
                return None
            source = workspace.previous_finalized(commune_code, period)
            if source is None:
                return None
            plan = workspace.carry_preview(source)
            checklist = workspace.latest_checklist()
            commune = workspace.store.commune(commune_code)
        except (StoreError, KeyError):
            return None  # opening says what is wrong
        return StartOffer(commune=commune, period=period, source=source, checklist=checklist,
                          answers=len(plan.answers), rows={k: len(v) for k, v in plan.rows.items()},
                          renew=[i.id for i in checklist.items() if checklist.refresh(i.id) is Refresh.RENEW])

    def start_assessment(self, commune_code: str, period: str, *, carry: bool, parent: QObject | None = None,
                         runner: Runner | None = None) -> AssessmentOps:
        """Start a period with no assessment: from the latest finalized one (``carry``) or empty.
        Raises StoreError (E-CARRY-EXISTS: it has one meanwhile) or KeyError (no checklist)."""
        from .assessment import AssessmentOps

        session = self.workspace.start(commune_code, period, empty=not carry)
        return AssessmentOps(session, parent, runner=runner)

    # -- what was sent to the department, and its receipt ------------------------------------
    def record_exports(self, **values: Any) -> list[Any]:
        """Remember files written for the department (``Workspace.record_exports``): a receipt is checked
        against them."""
        return self.workspace.record_exports(**values)

    def check_receipt(self, path: Path, file: Path | None = None) -> Any:
        """Check the department's receipt against the file sent (``file``) or the files recorded here
        (:func:`readiness.department.receipt_check.check_receipt_in`); raises StoreError when it is not
        a receipt."""
        from ...department.receipt_check import check_receipt_in

        return check_receipt_in(self.workspace, path, file=file)

    # -- backup and restore -----------------------------------------------------------------
    def backup(self, destination: Path) -> Path:
        """Copy every table into one file and check it; raises StoreError or OSError."""
        from ...store.db import verify_backup

        store = self.workspace.store
        path = store.backup(destination)
        verify_backup(path, store.known_revisions())
        return path

    def restore(self, source: Path) -> Path:
        """Replace the data with a checked backup; returns where the data from before is kept."""
        return self.workspace.store.restore(source)

    def close(self) -> None:
        self.workspace.close()
