"""Demo submissions: ``readiness demo --count N --period YYYY-MM --out DIR``.

Each file is what a commune would send: realistic answers for a register commune
(:func:`readiness.demo.demo_month`: plausible PCs and certificates, some gaps, petitions from
those gaps; a commune's files of successive periods differ by a month's plausible changes), scored, and written by the submission exporter
(:func:`readiness.exchange.xlsx.write_submission`) with an identity of its own (a UUID derived
from the seed and commune, revision 1, finalized or draft).  No database is needed: the exporter
takes the answers directly.  Files are written in worker processes (openpyxl is the slow part).
"""

from __future__ import annotations

import datetime as dt
import os
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..errors import ReadinessError
from ..register import Commune, load_register

NAMESPACE = uuid.UUID("5f0b7f7e-4b7c-4a53-9b1e-2f4a3c0d9e11")  # demo assessment ids: uuid5(NAMESPACE, seed/code/period)


class DemoError(ReadinessError):
    """Demo files cannot be made as asked: ``DemoError(code, message)``."""


@dataclass(frozen=True)
class DemoFile:
    path: Path
    commune_code: str
    profile: str
    status: str
    level: str | None


def demo_communes(count: int, province: str | None = "51") -> list[Commune]:
    """The first ``count`` register communes of a province (``all``/None: the country), in code order."""
    communes = [c for c in load_register() if province in (None, "all") or c.province_code == province]
    if not communes:
        raise DemoError("E-DEMO-PROVINCE", f"Không có đơn vị nào của tỉnh mã «{province}» trong danh mục.")
    if count < 1 or count > len(communes):
        raise DemoError("E-DEMO-COUNT", f"Số tệp phải từ 1 đến {len(communes)} (số đơn vị của "
                        f"{'cả nước' if province in (None, 'all') else 'tỉnh ' + str(province)}).")
    return communes[:count]


def write_demo_submissions(out: str | Path, *, count: int, period: str, seed: int = 2025, province: str | None = "51",
                           finalized: bool = True, jobs: int | None = None, today: dt.date | None = None,
                           checklists_dir: str | None = None,
                           progress: Callable[[int, int, str], None] | None = None) -> list[DemoFile]:
    """Write ``count`` submissions into ``out`` (created if missing); returns them in commune order."""
    from ..store.db import StoreError, validate_period

    try:
        period = validate_period(period)
    except StoreError as error:
        raise DemoError(error.code, error.message) from None
    communes = demo_communes(count, province)
    folder = Path(out)
    folder.mkdir(parents=True, exist_ok=True)
    from ..demo import period_day

    today = today or min(dt.date.today(), period_day(period))  # answers as of the period, not of the day it is made
    tasks = [(commune, period, seed, finalized, today, str(folder), checklists_dir) for commune in communes]
    jobs = max(1, jobs if jobs is not None else (os.cpu_count() or 1))
    written: list[DemoFile] = []
    if progress:
        progress(0, len(tasks), "")
    if jobs == 1 or len(tasks) < 4:
        for task in tasks:
            written.append(_write_one(*task))
            if progress:
                progress(len(written), len(tasks), written[-1].path.name)
        return written
    from ..workers import process_pool

    with process_pool(jobs) as pool:
        for demo_file in pool.map(_write_one_task, tasks, chunksize=8):
            written.append(demo_file)
            if progress:
                progress(len(written), len(tasks), demo_file.path.name)
    return written


def _write_one_task(task: tuple[Any, ...]) -> DemoFile:
    return _write_one(*task)


_checklists: dict[str | None, Any] = {}


def _write_one(commune: Commune, period: str, seed: int, finalized: bool, today: dt.date, folder: str,
               checklists_dir: str | None) -> DemoFile:
    from ..answers import Answers, coerce_all
    from ..checklist.loader import ChecklistLibrary, default_library
    from ..demo import demo_month
    from ..exchange.context import ExportContext, Identity
    from ..exchange.naming import submission_filename
    from ..exchange.xlsx import write_submission

    if checklists_dir not in _checklists:
        library = ChecklistLibrary(Path(checklists_dir)) if checklists_dir else default_library()
        _checklists[checklists_dir] = library.latest()
    checklist = _checklists[checklists_dir]
    demo = demo_month(checklist, commune, period, seed=seed, today=today)
    values, errors = coerce_all(checklist, demo.answers)
    if errors:  # demo answers are valid by construction; this is a bug
        raise RuntimeError(f"demo answers for {commune.code} are not valid: {errors[:3]}")
    answers = Answers(values=values)
    moment = dt.datetime.combine(today, dt.time(9, 0), tzinfo=dt.timezone(dt.timedelta(hours=7)))
    status = "finalized" if finalized else "draft"
    identity = Identity(
        assessment_id=str(uuid.uuid5(NAMESPACE, f"{seed}/{commune.code}/{period}")), revision=1, status=status,
        created_at=moment - dt.timedelta(days=3), updated_at=moment,
        finalized_at=moment if finalized else None,
    )
    ctx = ExportContext.build(checklist, answers, commune=commune, period=period, identity=identity, now=moment,
                              today=today)
    path = Path(folder) / submission_filename(commune.code, period, commune.name)
    write_submission(ctx, path, verify=False)
    return DemoFile(path, commune.code, demo.profile, status, ctx.result.level_id)

