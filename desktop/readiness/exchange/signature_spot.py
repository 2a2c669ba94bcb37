"""Where the visible signature goes: the gap a report leaves in its signature block.

A report writer (``pdf_report.py``) puts :func:`signature_spot` into the signature block instead of
a plain spacer (the space left for the signature, between "CHỦ TỊCH" and the signer's name).  When
drawn it leaves a *hidden* text annotation (flag Hidden: never displayed or printed) whose
``/Contents`` is :data:`SPOT_MARK` and whose ``/Rect`` is the gap.  The signer
(:mod:`readiness.signing.spot`) looks for it and places the stamp there.
"""

from __future__ import annotations

from typing import Any

SPOT_MARK = "readiness:signature-spot"


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
