"""``python -m readiness.gui.department [--db URL] [--lang en]``: the department's window on its own."""

from __future__ import annotations

import sys

from .window import run

if __name__ == "__main__":
    sys.exit(run())
