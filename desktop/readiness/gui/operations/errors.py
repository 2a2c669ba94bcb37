"""One place that turns an exception from the core into what the person reads: (code, message).

Every operation's failure goes through :func:`describe_error`, whichever thread it came from, so a
code is worded the same in the commune window, the department window and every dialog.  An error
of the core carries ``code`` and a Vietnamese ``message`` (and, for the exchange formats, where it
happened); anything else becomes one of the generic codes below.  When the core's errors share one
base class with code, message and location, this function reads that instead of the duck types.
"""

from __future__ import annotations

from pathlib import Path

# The generic codes, for failures that are not the core's own errors: one message each.
DATABASE = "E-DB"
SYSTEM = "E-FILE"
INTERNAL = "E-INTERNAL"


def describe_error(error: BaseException) -> tuple[str, str]:
    """(code, Vietnamese message) of an exception raised by an operation."""
    code = getattr(error, "code", None)
    message = getattr(error, "message", None)
    if isinstance(code, str) and isinstance(message, str):  # the core's errors: store, answers, exchange, signing
        located = getattr(error, "located_message", None)
        if callable(located):
            return code, located()
        where = getattr(error, "file", None)
        return code, (f"Tệp '{Path(where).name}': {message}" if where else message)
    if _is_database_error(error):
        detail = str(getattr(error, "orig", None) or error).splitlines()[0][:300]
        return DATABASE, f"Không đọc/ghi được cơ sở dữ liệu ({detail}). Kiểm tra kết nối rồi thử lại."
    if isinstance(error, OSError):
        detail = error.strerror or str(error)
        if error.filename:
            return SYSTEM, f"Không đọc/ghi được tệp {error.filename}: {detail}."
        return SYSTEM, f"Máy tính báo lỗi: {detail}."
    return INTERNAL, f"Lỗi chương trình ({type(error).__name__}: {error}). Gửi thông báo này cho bộ phận hỗ trợ."


def _is_database_error(error: BaseException) -> bool:
    try:
        from sqlalchemy.exc import SQLAlchemyError
    except ImportError:  # pragma: no cover - SQLAlchemy is a dependency of the store
        return False
    return isinstance(error, SQLAlchemyError)
