"""Constants shared by the exchange tests (a module of its own: ``conftest`` is not importable by name
when several test folders have one)."""

from __future__ import annotations

import datetime as dt

NOW = dt.datetime(2026, 11, 24, 9, 30, tzinfo=dt.timezone(dt.timedelta(hours=7)))

# What a commune typed, as the app receives it (labels, Vietnamese text, decimal comma, dates as text).
SMALL_RAW = {
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
        {"role": "Chủ tịch", "ram_gb": "16", "os": "Windows 11"},
    ],
    "petitions": [
        {"topic": "Hạ tầng", "difficulty": "Máy tính cũ, chậm", "proposal": "Cấp 5 máy tính mới", "addressed_to": "Sở KHCN"},
    ],
}
