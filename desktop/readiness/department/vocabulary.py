"""The department's fixed words that the command line's parser offers as choices (states of a
submission, kinds of unit, statuses of a petition, states of the reporting cycle).

Kept apart from :mod:`.status` and :mod:`.petitions` (which re-export them) so that building the
parser of ``readiness --help`` imports no database layer.
"""

from __future__ import annotations

STATES = ("submitted", "resubmitted", "outdated", "draft", "missing")
KINDS = ("Xã", "Phường", "Đặc khu")
STATUSES = ("new", "forwarded", "answered", "resolved")  # of a petition, in the order they follow each other
CYCLE_STATES = ("on_time", "late", "received", "held", "refused", "missing")  # of a commune in a period (.cycle)
