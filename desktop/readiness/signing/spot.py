"""Where the visible signature goes: the gap in the report's signature block.

The report writer (``exchange/pdf_report.py``) puts :func:`signature_spot` into the signature
block instead of a plain spacer (the space left for the signature, between "CHỦ TỊCH" and the
signer's name).  When drawn it leaves a *hidden* text annotation (flag Hidden: never displayed
or printed) whose ``/Contents`` is :data:`SPOT_MARK` and whose ``/Rect`` is the gap.  When signing,
:func:`find_spot` looks for it, and the stamp is placed there.  A PDF without the mark (an older
report) gets the stamp at the bottom right of its last page.
"""

from __future__ import annotations

from typing import Any

SPOT_MARK = "readiness:signature-spot"
MM = 72 / 25.4
FALLBACK_WIDTH, FALLBACK_HEIGHT = 80 * MM, 24 * MM
FALLBACK_RIGHT, FALLBACK_BOTTOM = 15 * MM, 18 * MM


def signature_spot(width: float, height: float) -> Any:
    """A reportlab flowable: blank space of ``width`` x ``height`` that marks where to sign."""
    from reportlab.platypus import Spacer

    class SignatureSpot(Spacer):
        def __init__(self, w: float, h: float):
            super().__init__(w, h)
            self.spot_width = w

        def wrap(self, available_width: float, available_height: float) -> tuple[float, float]:
            self.spot_width = min(self.spot_width, available_width)
            return self.spot_width, self.height

        def draw(self) -> None:
            # Hidden (F=2): not displayed, not printed; only the signer reads it.
            self.canv.textAnnotation(SPOT_MARK, Rect=(0, 0, self.spot_width, self.height), relative=1, F=2)

    return SignatureSpot(width, height)


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
