"""An administrative letter (Công văn, Nghị định 30/2020/NĐ-CP), once, for Word and PDF: the model.

Every letter the department sends is a :class:`Letter` written by
:func:`readiness.exchange.letter.write_letter` (which also gives this module's names): the reply
to petitions (seeds 000, 001), the feedback letter to one commune, and the reminder and receipt
of the reporting cycle.  The builder of a letter only says what it says; the layout is here:

- the letterhead from the workspace's :class:`~readiness.document_settings.DocumentSettings`
  (parent body / issuing body | national title and motto), «Số: …/SKHCN-BCVT&CĐS» with «V/v …»
  under it (a letter), or a centred title and subject (``title``: «GIẤY XÁC NHẬN»), the place and
  date line;
- «Kính gửi: …» (one addressee on the line, several as a list);
- the body: paragraphs, numbered items («1. Kiến nghị của …»), labels («Trả lời:»), bullets,
  notes, and tables (a list of communes, a receipt's facts);
- the closing paragraph («Kính gửi Sở Nội vụ tổng hợp, tham mưu./.»), kept on one page with «Nơi
  nhận» bottom left and the signer block bottom right: never a signature alone on a page.

Word (python-docx, editable: :mod:`readiness.exchange.letter_docx`), PDF (reportlab with the
bundled font: :mod:`readiness.exchange.letter_pdf`).  Text from outside (what a commune typed)
is cleaned of control characters on the way into either document.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Literal, Union

from .nd30 import date_line, number_line

if TYPE_CHECKING:
    from ..document_settings import DocumentSettings

ParaKind = Literal["p", "item", "label", "bullet", "note", "heading"]


@dataclass(frozen=True)
class Para:
    """A paragraph of the body.

    ``p``: text with a first-line indent; ``item``: a numbered item's heading, bold («1. Kiến nghị
    của UBND xã …»); ``label``: a short bold italic lead line («Trả lời:»), kept with what follows;
    ``bullet``: «- text»; ``note``: italic; ``heading``: bold, like a section title («I. …»).
    ``lead``: words in bold at the start of a ``p`` («Lưu ý:»).
    """

    kind: ParaKind
    text: str
    lead: str = ""


@dataclass(frozen=True)
class Table:
    """A table in the body: header row, body rows, relative column widths, centred and right-aligned
    (amounts) columns; ``bold_last``: the last row is a total, in bold."""

    headers: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]
    widths: tuple[float, ...]
    centred: tuple[int, ...] = ()
    right: tuple[int, ...] = ()
    bold_last: bool = False


Block = Union[Para, Table]


@dataclass
class Letter:
    settings: DocumentSettings
    date: dt.date
    subject: str  # what follows «V/v» (a letter) or the title (a titled document)
    addressees: tuple[str, ...]  # «Kính gửi»; empty for a document addressed to no one
    body: list[Block]
    closing: str  # the last paragraph, kept with the signature
    copies: tuple[str, ...]  # «Nơi nhận», whole («Như trên;» first for a letter)
    number: str = ""  # given by the office when issued; blank leaves room to write it
    code: str | None = None  # after the number; None: the settings' letter code (SKHCN-BCVT&CĐS)
    title: str | None = None  # «GIẤY XÁC NHẬN»: a titled document instead of a Công văn
    signer_title: tuple[str, ...] | None = None  # None: the settings'
    signer_name: str | None = None  # None: the settings'
    kind_label: str = "Công văn"  # how the document's metadata names it
    footnotes: list[str] = field(default_factory=list)  # printed small under the body (sources cited)
    signature_spot: bool = False  # PDF: mark the gap in the signer block where a digital signature's stamp goes

    @property
    def number_line(self) -> str:
        return number_line(self.number, self.code or self.settings.letter_code)

    @property
    def date_line(self) -> str:
        return date_line(self.settings.place, self.date)

    @property
    def subject_lines(self) -> tuple[str, ...]:
        """«V/v …» under the number (a letter); nothing for a titled document."""
        return () if self.title else (f"V/v {self.subject}",)

    @property
    def signer(self) -> tuple[tuple[str, ...], str]:
        title = self.signer_title if self.signer_title is not None else self.settings.signer_title
        name = self.signer_name if self.signer_name is not None else self.settings.signer_name
        return title, name

    @property
    def document_title(self) -> str:
        return f"{self.title} {self.subject}" if self.title else f"{self.kind_label} V/v {self.subject}"

    def text(self) -> str:
        """Everything the letter says, as plain text (for tests, previews and search)."""
        parts = [self.settings.parent_body, self.settings.issuer, self.number_line, *self.subject_lines, self.date_line]
        if self.title:
            parts += [self.title, self.subject]
        if self.addressees:
            parts.append("Kính gửi: " + "; ".join(self.addressees))
        for block in self.body:
            if isinstance(block, Para):
                parts.append(f"{block.lead} {block.text}".strip())
            else:
                parts.append(" | ".join(block.headers))
                parts += [" | ".join(row) for row in block.rows]
        parts.append(self.closing)
        parts += self.footnotes
        parts.append("Nơi nhận:")
        parts += [f"- {line}" for line in self.copies]
        title, name = self.signer
        parts += [*title, name]
        return "\n".join(part for part in parts if part)


def standard_copies(settings: DocumentSettings, *extra: str) -> tuple[str, ...]:
    """«Nơi nhận» of a letter: «Như trên;», the letter's own lines, then the settings' closing lines."""
    lines = ["Như trên;", *extra, *settings.letter_recipients]
    return tuple(dict.fromkeys(line for line in lines if line))


__all__ = ["Block", "Letter", "Para", "ParaKind", "Table", "standard_copies"]
