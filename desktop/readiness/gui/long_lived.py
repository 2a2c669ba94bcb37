"""Long-lived data kept out of the cyclic garbage collector's way.

With the national table loaded (3,321 communes: the report, the table's kept cells and sort keys) a full
collection walks ~150,000 objects, ~55 ms on the 2-core machine, at whatever moment allocation triggers it:
measured, that is what made the worst header click of the national table slower than 100 ms (with the
collector off, the worst click of 114 was 69 ms). :func:`settle`, called when such a load has been shown,
collects once and moves every object alive then to the permanent generation (``gc.freeze``), so later
collections walk only what is new. Reference counting frees objects as before, frozen or not; a reference
cycle among the frozen ones is collected at the next :func:`settle` (it unfreezes first), so reloading the
report again and again does not pile anything up.
"""

from __future__ import annotations

import gc


def settle() -> None:
    """Collect once, then keep everything alive now out of later collections (see the module doc)."""
    gc.unfreeze()
    gc.collect()
    gc.freeze()
