"""Python's cyclic garbage collector kept out of the way of allocation-heavy work: :data:`HEAVY`.

Consolidating thousands of communes and writing their report builds millions of objects that stay alive
(every commune's score, the inventories' rows, the workbook's cells on their way out).  With the default
thresholds the collector then runs full collections over all of them, again and again: the country's report
(3,321 communes, scores cached) spent 0.93 s of its 9.8 s in 1,690 collections, 0.74 s of it in 11 full
ones.  While :data:`HEAVY` is entered the collector stays on but collects the young generation every 50,000
allocations instead of 700, so no full collection happens during the work (the same report: 11 collections,
0.12 s; wall 9.78 -> 8.81 s); reference counting frees objects as before.  In the window the same held the
longest stall of a national load from 229–829 ms to 131–355 ms
(:mod:`readiness.gui.operations.runner`).

The threshold is process-wide: :data:`HEAVY` is the one instance every caller enters (the window's heavy jobs,
:func:`readiness.department.reports.write_reports`), counted across threads, the old threshold restored when
the last one leaves.
"""

from __future__ import annotations

import gc
import threading


class YoungThreshold:
    """While any allocation-heavy work runs, the collector's first threshold is ``young`` (the
    setting is process-wide: counted across threads, restored when the last such work ends)."""

    def __init__(self, young: int = 50_000):
        self.young = young
        self._lock = threading.Lock()
        self._active = 0
        self._saved: tuple[int, int, int] | None = None

    def __enter__(self) -> None:
        with self._lock:
            if self._active == 0:
                self._saved = gc.get_threshold()
                gc.set_threshold(max(self.young, self._saved[0]), *self._saved[1:])
            self._active += 1

    def __exit__(self, *_exc: object) -> None:
        with self._lock:
            self._active -= 1
            if self._active == 0 and self._saved is not None:
                gc.set_threshold(*self._saved)
                self._saved = None


HEAVY = YoungThreshold()

__all__ = ["HEAVY", "YoungThreshold"]
