"""A :class:`~readiness.exchange.letter.Letter` as PDF (reportlab, the bundled Liberation Serif).

Pages from :func:`readiness.exchange.pdf_common.administrative_document` (A4, Nghị định 30
margins, page numbers from page 2), the letterhead and signer block of
:mod:`readiness.exchange.pdf_common`, long tables of :mod:`readiness.exchange.pdf_tables`.  The
closing paragraph, «Nơi nhận» and the signer block are one KeepTogether: never a signature
alone on a page.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from .pdf_common import MM, TOP, BOTTOM, administrative_document, esc, letterhead, rule, signature_block, styles
from .pdf_tables import SMALL_FONT_SIZE, SMALL_LEADING, CELL_FONT_SIZE, CELL_LEADING, PagedTable, header_cells, table_rows
from .letter_model import Letter, Para, Table

PAGE_HEIGHT = 297 * MM - TOP - BOTTOM


def _style(st: dict, name: str, **changes: Any) -> Any:
    from reportlab.lib.styles import ParagraphStyle

    return ParagraphStyle(f"letter_{name}", parent=st["body"], **changes)


def _addressees(letter: Letter, st: dict) -> list:
    from reportlab.platypus import Paragraph, Spacer

    if not letter.addressees:
        return []
    if len(letter.addressees) == 1:
        return [Spacer(1, 10), Paragraph(f"Kính gửi: {esc(letter.addressees[0])}", st["center"]), Spacer(1, 10)]
    out: list = [Spacer(1, 10), Paragraph("Kính gửi:", _style(st, "to", leftIndent=30 * MM, firstLineIndent=0,
                                                                spaceAfter=0))]
    line = _style(st, "to_line", leftIndent=45 * MM, firstLineIndent=0, spaceAfter=0)
    for index, name in enumerate(letter.addressees):
        end = ";" if index < len(letter.addressees) - 1 else "."
        out.append(Paragraph(f"- {esc(name.rstrip(';.'))}{end}", line))
    out.append(Spacer(1, 8))
    return out


def _table(block: Table, st: dict, width: float) -> list:
    from reportlab.platypus import Spacer

    total = sum(block.widths) or 1
    widths = [width * w / total for w in block.widths]
    small = len(widths) > 4
    size, leading = (SMALL_FONT_SIZE, SMALL_LEADING) if small else (CELL_FONT_SIZE, CELL_LEADING)
    header, header_height = header_cells(block.headers, widths, st["cell_head_small" if small else "cell_head"])
    rows = table_rows([list(row) for row in block.rows], widths, size, leading, PAGE_HEIGHT)
    table = PagedTable(header, header_height, rows, widths, size=size, leading=leading, page_height=PAGE_HEIGHT,
                       centred=block.centred, right=block.right)
    if block.bold_last and rows:
        rows[-1].bold = True
    return [table, Spacer(1, 6)]


def _body(letter: Letter, st: dict, width: float) -> list:
    from reportlab.platypus import Paragraph

    item = _style(st, "item", fontName=st["h1"].fontName, keepWithNext=1, spaceBefore=3)
    label = _style(st, "label", fontName=st["recipients_head"].fontName, keepWithNext=1, spaceAfter=2)
    note = _style(st, "note", fontName=st["center_italic"].fontName)
    out: list = []
    for block in letter.body:
        if isinstance(block, Table):
            out += _table(block, st, width)
        elif block.kind in ("item", "heading"):
            out.append(Paragraph(esc(block.text), item))
        elif block.kind == "label":
            out.append(Paragraph(esc(block.text), label))
        elif block.kind == "bullet":
            out.append(Paragraph("- " + esc(block.text), st["body"]))
        elif block.kind == "note":
            out.append(Paragraph(esc(block.text), note))
        else:
            lead = f"<b>{esc(block.lead)}</b> " if block.lead else ""
            out.append(Paragraph(lead + esc(block.text), st["body"]))
    return out


def _story(letter: Letter, st: dict, width: float) -> list:
    """The flowables of one letter, from the letterhead to the signer."""
    from reportlab.platypus import KeepTogether, Paragraph, Spacer

    settings = letter.settings
    story: list = [letterhead(st, width, parent_body=settings.parent_body, issuer=settings.issuer,
                              number_line=letter.number_line, date_line=letter.date_line,
                              subject_lines=letter.subject_lines)]
    if letter.title:
        story += [Paragraph(esc(letter.title), st["title"]), Paragraph(esc(letter.subject), st["center_bold"]),
                  Spacer(1, 3), rule(width / 4), Spacer(1, 6)]
    story += _addressees(letter, st)
    body = _body(letter, st, width)
    # The last paragraph of the body goes to the next page with the closing and the signature
    # rather than leave them alone there.
    last = [body.pop()] if body and isinstance(letter.body[-1], Para) else []
    story += body
    title, name = letter.signer
    spot = None
    if letter.signature_spot:
        from .signature_spot import signature_spot  # a digital signature's stamp goes in this space

        spot = signature_spot(width * 0.5, 26 * MM)
    ending: list = last + [Paragraph(esc(letter.closing), st["body"])]
    ending += [Paragraph(esc(note), st["small_italic"]) for note in letter.footnotes]
    ending += [Spacer(1, 6), signature_block(st, width, recipients=letter.copies, signer_title=title, signer_name=name,
                                             spot=spot)]
    story.append(KeepTogether(ending))
    return story


def build_letter_pdf(letter: Letter, target: Any) -> int:
    """Lay the letter out into ``target`` (a path or a binary file); returns the page count."""
    st = styles()
    settings = letter.settings
    doc, frame, _landscape, pages = administrative_document(
        target, title=letter.document_title, author=settings.department_name, subject=letter.subject)
    doc.build(_story(letter, st, frame.width))
    return pages["count"]


def build_letters_pdf(letters: list[Letter], target: Any) -> int:
    """Several letters into one PDF (each from a new page; page numbers from each letter's second page)."""
    from reportlab.platypus import PageBreak

    if not letters:
        raise ValueError("no letter")
    st = styles()
    first = letters[0]
    title = first.document_title if len(letters) == 1 else f"{first.title or first.kind_label} ({len(letters)})"
    doc, frame, _landscape, pages = administrative_document(
        target, title=title, author=first.settings.department_name, subject=first.subject, per_document=True)
    story: list = []
    for index, letter in enumerate(letters):
        if index:
            story.append(PageBreak())
        story.append(document_start(pages))
        story += _story(letter, st, frame.width)
    doc.build(story)
    return pages["count"]


def document_start(pages: dict) -> Any:
    """A zero-size flowable: the page it lands on is page 1 of the next document (see
    :func:`readiness.exchange.pdf_common.administrative_document`'s ``per_document``)."""
    from reportlab.platypus import Flowable

    class _Start(Flowable):
        def wrap(self, available_width: float, available_height: float) -> tuple[float, float]:
            return 0, 0

        def draw(self) -> None:
            pages["start"] = self.canv.getPageNumber()

    return _Start()


def write_letter_pdf(letter: Letter, path: str | Path) -> Path:
    """Write atomically (a temporary file beside ``path``, checked, then renamed)."""
    from .pdf_common import write_pdf_atomically

    return write_pdf_atomically(path, lambda target: build_letter_pdf(letter, target))
