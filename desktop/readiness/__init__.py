"""Sẵn sàng Một cửa: commune one-stop-shop IT readiness self-assessment (the Qt-free core lives here).

``readiness.__version__`` is read from the installed metadata the first time it is asked for
(``importlib.metadata`` costs tens of milliseconds; ``readiness --help`` and the window's first
paint do not need it).
"""

from __future__ import annotations

_FALLBACK_VERSION = "0.1.0"  # running from a source tree or a frozen build without metadata


def __getattr__(name: str) -> str:
    if name != "__version__":
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    from importlib import metadata

    try:
        version = metadata.version("readiness")
    except metadata.PackageNotFoundError:
        version = _FALLBACK_VERSION
    globals()["__version__"] = version
    return version
