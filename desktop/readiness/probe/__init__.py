"""Measure instead of guess: probes of this PC, its network and its digital-signature readiness.

Qt-free (an import-linter contract forbids Qt here); the GUI runs these in a worker thread.
Every probe records how and when it measured, and leaves what it cannot read as ``None`` (or
``unknown``) for the officer to fill in.  See ``docs/probes.md``.
"""

from .network import Endpoint, NetworkConfig, NetworkReport, load_config, measure
from .pc import DiskInfo, PcReport, pc_row, probe_pc
from .signing import DetectorResult, SigningReport, probe_signing

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
