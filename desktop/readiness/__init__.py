"""Sẵn sàng Một cửa: commune one-stop-shop IT readiness self-assessment (the Qt-free core lives here)."""

from importlib import metadata as _metadata

try:
    __version__ = _metadata.version("readiness")
except _metadata.PackageNotFoundError:  # running from a source tree or a frozen build without metadata
    __version__ = "0.1.0"
