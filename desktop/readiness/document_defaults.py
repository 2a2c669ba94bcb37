"""The one place a province is named in the code of the department's documents: Quảng Ngãi's settings.

These are the values a new workspace starts with (the product was made with Sở Khoa học và Công
nghệ tỉnh Quảng Ngãi, seeds 000–004).  Every document reads them through
:func:`readiness.document_settings.load_settings`, which lays what the department saved (window
«Thiết lập văn bản», ``readiness settings set``) over them; another province's department sets
its own once (``readiness settings province CODE``) and no document of theirs names Quảng Ngãi.
"""

from __future__ import annotations

HOME_PROVINCE = "51"

QUANG_NGAI: dict[str, str] = {
    "home_province": HOME_PROVINCE,
    "parent_body": "UBND TỈNH QUẢNG NGÃI",
    "issuer": "SỞ KHOA HỌC VÀ CÔNG NGHỆ",
    "department_name": "Sở Khoa học và Công nghệ",
    "department_full_name": "Sở Khoa học và Công nghệ tỉnh Quảng Ngãi",
    "short_name": "Sở KHCN",
    "issuer_code": "SKHCN",
    "unit_code": "BCVT&CĐS",
    "place": "Quảng Ngãi",
    "province_phrase": "tỉnh Quảng Ngãi",
    "parent_short": "UBND tỉnh",
    "communes_phrase": "các xã, phường, đặc khu",
    "signer_title": "KT. GIÁM ĐỐC\nPHÓ GIÁM ĐỐC",
    "signer_name": "",
    "guidance_letter": "Công văn số 3005/SKHCN-BCVT&CĐS ngày 21/11/2025",
    "letter_recipients": "Lãnh đạo Sở;\nLưu: VT, VP, BCVT&CĐS.",
    "report_recipients": ("UBND tỉnh (b/c);\nVăn phòng UBND tỉnh;\nSở Nội vụ, Sở Tài chính;\n"
                          "UBND các xã, phường, đặc khu;\nLãnh đạo Sở;\nLưu: VT, BCVT&CĐS."),
}
