"""Measure instead of guess: probes of this PC, its network and its digital-signature readiness.

Qt-free (an import-linter contract forbids Qt here); the GUI runs these in a worker thread.
Every probe records how and when it measured, and leaves what it cannot read as ``None`` (or
``unknown``) for the officer to fill in.  See ``docs/probes.md``.
"""

from __future__ import annotations

from typing import Any

# Loaded when first used (PEP 562): ``readiness --help`` reaches this package for its parser only,
# and the probes import http.client, ssl, subprocess and platform.
_EXPORTS = {
    "Endpoint": "network", "NetworkConfig": "network", "NetworkReport": "network", "load_config": "network",
    "measure": "network",
    "DiskInfo": "pc", "PcReport": "pc", "pc_row": "pc", "probe_pc": "pc",
    "DetectorResult": "signing", "SigningReport": "signing", "probe_signing": "signing",
}

__all__ = [
    "DetectorResult",
    "DiskInfo",
    "Endpoint",
    "NetworkConfig",
    "NetworkReport",
    "PcReport",
    "SigningReport",
    "load_config",
    "measure",
    "pc_row",
    "probe_pc",
    "probe_signing",
]


def __getattr__(name: str) -> Any:
    module = _EXPORTS.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    from importlib import import_module

    value = getattr(import_module(f"{__name__}.{module}"), name)
    globals()[name] = value
    return value
