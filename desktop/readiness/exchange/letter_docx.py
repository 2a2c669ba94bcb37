"""A :class:`~readiness.exchange.letter.Letter` as an editable Word document (python-docx).

Layout from :mod:`readiness.exchange.docx_common` (the provincial report's too): A4, Nghị định 30
margins, Times New Roman 14 pt, the letterhead table, «Kính gửi», the body, and the closing
paragraph kept with «Nơi nhận» and the signer block (keep-with-next on every paragraph from the
closing one to the signature row, and that row never split).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from .docx_common import (BODY_WIDTH, SMALL_PT, TABLE_PT, append_body_xml, append_rows, grid_table, letterhead,
                          new_document, para, paragraph_xml, rule_paragraph, signature_block, write_docx_atomically,
                          xml_cell)
from .letter_model import Letter, Table

INDENT = 1.0  # cm, first line of body paragraphs


def _addressees(document: Any, addressees: tuple[str, ...]) -> None:
    from docx.shared import Cm

    if not addressees:
        return
    if len(addressees) == 1:
        para(document, f"Kính gửi: {addressees[0]}", align="center", before=12, after=10)
        return
    first = para(document, "Kính gửi:", align="left", before=12, after=0, keep_next=True)
    first.paragraph_format.left_indent = Cm(3.0)
    for index, name in enumerate(addressees):
        end = ";" if index < len(addressees) - 1 else "."
        line = para(document, f"- {name.rstrip(';.')}{end}", align="left", after=0, keep_next=index < len(addressees) - 1)
        line.paragraph_format.left_indent = Cm(4.5)
    para(document, "", after=4)


def _table(document: Any, block: Table) -> None:
    total = sum(block.widths) or 1
    widths = [BODY_WIDTH * w / total for w in block.widths]
    size = SMALL_PT if len(widths) > 4 else TABLE_PT
    table = grid_table(document, widths, block.headers, size=size)
    twips = [int(w * 567) for w in widths]
    last = len(block.rows) - 1
    append_rows(table, [
        "<w:tr><w:trPr><w:cantSplit/></w:trPr>"
        + "".join(xml_cell(text, twips[i], size=size, bold=block.bold_last and number == last,
                           align="center" if i in block.centred else "right" if i in block.right else "left")
                  for i, text in enumerate(row))
        + "</w:tr>"
        for number, row in enumerate(block.rows)
    ])
    para(document, "", after=0)


def _body(document: Any, letter: Letter) -> None:
    """The body's paragraphs as XML, in chunks (linear in the number of paragraphs: see docx_common);
    the last paragraph keeps with the closing that follows it."""
    pending: list[str] = []
    last = len(letter.body) - 1
    for index, block in enumerate(letter.body):
        if isinstance(block, Table):
            append_body_xml(document, pending)
            pending = []
            _table(document, block)
            continue
        keep = index == last
        if block.kind == "item":
            xml = paragraph_xml(block.text, bold=True, indent_cm=INDENT, before=4, after=4, keep_next=True)
        elif block.kind == "heading":
            xml = paragraph_xml(block.text, bold=True, indent_cm=INDENT, before=6, after=4, keep_next=True)
        elif block.kind == "label":
            xml = paragraph_xml(block.text, bold=True, italic=True, indent_cm=INDENT, after=2, keep_next=True)
        elif block.kind == "bullet":
            xml = paragraph_xml(block.text, indent_cm=INDENT, lead="- ", keep_next=keep)
        elif block.kind == "note":
            xml = paragraph_xml(block.text, italic=True, indent_cm=INDENT, keep_next=keep)
        else:
            xml = paragraph_xml(block.text, indent_cm=INDENT, bold_prefix=block.lead, keep_next=keep)
        pending.append(xml)
    append_body_xml(document, pending)


def build_letter_docx(letter: Letter) -> Any:
    settings = letter.settings
    document = new_document(title=letter.document_title, author=settings.department_name, subject=letter.subject)
    letterhead(document, parent_body=settings.parent_body, issuer=settings.issuer, number_line=letter.number_line,
               date_line=letter.date_line, subject_lines=letter.subject_lines)
    if letter.title:
        para(document, letter.title, bold=True, align="center", before=18, after=0)
        para(document, letter.subject, bold=True, align="center", after=0)
        rule_paragraph(document, 4.0, BODY_WIDTH)
    _addressees(document, letter.addressees)
    _body(document, letter)
    para(document, letter.closing, indent_cm=INDENT, keep_next=True)
    for note in letter.footnotes:
        para(document, note, size=11, italic=True, align="justify", after=2, keep_next=True)
    title, name = letter.signer
    signature_block(document, recipients=letter.copies, signer_title=title, signer_name=name)
    return document


def write_letter_docx(letter: Letter, path: str | Path) -> Path:
    """Write atomically (a temporary file beside ``path``, checked, then renamed)."""
    return write_docx_atomically(path, lambda: build_letter_docx(letter))
