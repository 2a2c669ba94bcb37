"""Entry point: ``readiness`` with no command starts the GUI; with a command, the CLI."""

from __future__ import annotations

import sys
from collections.abc import Sequence


def main(argv: Sequence[str] | None = None) -> int:
    args = list(sys.argv[1:] if argv is None else argv)
    gui_flags = {"--db", "--lang"}
    # Only global options (or nothing): the user wants the window.
    rest = [a for i, a in enumerate(args) if a not in gui_flags and (i == 0 or args[i - 1] not in gui_flags)]
    if not rest or rest == ["--selftest"]:
        from .gui.app import run

        return run(args)
    from .cli import main as cli_main

    return cli_main(args)


if __name__ == "__main__":
    sys.exit(main())
