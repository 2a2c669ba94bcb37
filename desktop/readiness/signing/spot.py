"""Finding where the visible signature goes: the gap the report left in its signature block.

The report writer marks the gap with a hidden annotation (:mod:`readiness.exchange.signature_spot`:
:data:`SPOT_MARK`, :func:`signature_spot`).  When signing, :func:`find_spot` looks for it, and the
stamp is placed there.  A PDF without the mark (an older report) gets the stamp at the bottom right
of its last page (:func:`fallback_spot`).
"""

from __future__ import annotations

from typing import Any

from ..exchange.signature_spot import SPOT_MARK, signature_spot  # noqa: F401 - signature_spot: where it used to be

MM = 72 / 25.4
FALLBACK_WIDTH, FALLBACK_HEIGHT = 80 * MM, 24 * MM
FALLBACK_RIGHT, FALLBACK_BOTTOM = 15 * MM, 18 * MM


def _pages(node: Any) -> list[Any]:
    node = node.get_object()
    if node.get("/Type") == "/Pages" or "/Kids" in node:
        out: list[Any] = []
        for kid in node["/Kids"]:
            out.extend(_pages(kid))
        return out
    return [node]


def pages(reader: Any) -> list[Any]:
    return _pages(reader.root["/Pages"])


def find_spot(reader: Any) -> tuple[int, tuple[float, float, float, float]] | None:
    """(page index, (x1, y1, x2, y2)) of the marked signature spot, the last one if several."""
    found = None
    for index, page in enumerate(pages(reader)):
        annots = page.get("/Annots")
        if annots is None:
            continue
        for ref in annots.get_object():
            annot = ref.get_object()
            if annot.get("/Subtype") != "/Text" or str(annot.get("/Contents", "")) != SPOT_MARK:
                continue
            x1, y1, x2, y2 = (float(v) for v in annot["/Rect"])
            found = (index, (min(x1, x2), min(y1, y2), max(x1, x2), max(y1, y2)))
    return found


def fallback_spot(reader: Any) -> tuple[int, tuple[float, float, float, float]]:
    """The bottom right of the last page, inside the margins."""
    all_pages = pages(reader)
    last = all_pages[-1]
    box = [float(v) for v in _inherited(last, "/MediaBox") or (0, 0, 595.28, 841.89)]
    right = box[2] - FALLBACK_RIGHT
    bottom = box[1] + FALLBACK_BOTTOM
    return len(all_pages) - 1, (right - FALLBACK_WIDTH, bottom, right, bottom + FALLBACK_HEIGHT)


def _inherited(page: Any, key: str) -> Any:
    node = page
    while node is not None:
        if key in node:
            return node[key]
        parent = node.get("/Parent")
        node = parent.get_object() if parent is not None else None
    return None
