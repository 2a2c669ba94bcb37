"""An administrative letter (Công văn, Nghị định 30/2020/NĐ-CP), once, for Word and PDF.

:func:`write_letter` writes a :class:`Letter` (the model: :mod:`.letter_model`, whose names this
module gives too) as Word (:mod:`.letter_docx`, editable) and/or PDF (:mod:`.letter_pdf`): the reply
to petitions (seeds 000, 001), the feedback letter to one commune, the reminder and receipt of the
reporting cycle.  The writers import the model, never this module, so the model, its writers and
this entry point import one another in one direction only.
"""

from __future__ import annotations

from pathlib import Path

from .letter_model import Block, Letter, Para, ParaKind, Table, standard_copies


def letters_pdf_bytes(letters: list[Letter]) -> bytes:
    """Several letters in one PDF, each from a new page, page numbers counted per letter (a batch of
    receipts); the bytes, for a writer that adds to them (an attachment, a signature) before saving."""
    import io

    from .letter_pdf import build_letters_pdf

    buffer = io.BytesIO()
    build_letters_pdf(letters, buffer)
    return buffer.getvalue()


def write_letter(letter: Letter, *, docx: str | Path | None = None, pdf: str | Path | None = None) -> list[Path]:
    """Write the letter as Word and/or PDF (each written atomically, checked); returns the paths written."""
    written: list[Path] = []
    if docx is not None:
        from .letter_docx import write_letter_docx

        written.append(write_letter_docx(letter, docx))
    if pdf is not None:
        from .letter_pdf import write_letter_pdf

        written.append(write_letter_pdf(letter, pdf))
    return written


__all__ = ["Block", "Letter", "Para", "ParaKind", "Table", "letters_pdf_bytes", "standard_copies", "write_letter"]
