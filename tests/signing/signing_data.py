"""Shared data of the signing tests: the communes, the answers, and exporting a submission."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from samples import TODAY

COMMUNE, PERIOD = "23500", "2025-11"  # Xã Đăk Hà
OTHER_COMMUNE = "21025"  # Phường Cẩm Thành

RAW = {
    "respondent": "Nguyễn Thị Hoà",
    "email": "motcua.dakha@quangngai.gov.vn",
    "officers": 25,
    "report_date": "20/11/2025",
    "has_fibre": "Có",
    "download": "50,5",
    "providers": ["vnpt", "other"],
    "tslcd": "Chưa kết nối",
    "pcs": [
        {"role": "Một cửa", "ram_gb": 4, "os": "win10", "bought": "2020-01-02"},
        {"role": "=Chủ tịch", "ram_gb": "16", "os": "Windows 11"},
    ],
}


def export(workspace, folder: Path, commune: str = COMMUNE, period: str = PERIOD,
           changes: dict | None = None) -> tuple[Path, Path]:
    from readiness.exchange import ExportContext, write_report_pdf, write_submission

    session = workspace.session(commune, period)
    session.today = TODAY
    errors = session.set_answers({**RAW, **(changes or {})})
    assert not errors, errors
    ctx = ExportContext.from_session(session, now=dt.datetime.now().astimezone())
    stem = f"{commune}_{period}"
    xlsx = write_submission(ctx, folder / f"{stem}.xlsx").path
    pdf = write_report_pdf(ctx, folder / f"{stem}.pdf")
    return xlsx, pdf
