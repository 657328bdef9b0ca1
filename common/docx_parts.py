"""The parts a longer administrative document adds to the layout of
common/docx_layout.py (Nghị định 30/2020/NĐ-CP): justified body paragraphs, a
draft's mark, the signature block with its authority line ("KT. GIÁM ĐỐC")
beside the real list of recipients, sections in landscape for wide annexes, and
the document's language on every run. Used by the periodic report
(reports/periodic/); the shorter documents keep docx_layout's own ``ending``."""

from io import BytesIO

from django.utils.translation import gettext as _
from docx.enum.section import WD_ORIENT, WD_SECTION
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Pt

from common.docx_layout import (
    BODY_PT,
    MARGINS,
    PAGE_HEIGHT,
    PAGE_WIDTH,
    TEXT_WIDTH_CM,
    _centred,
    _column_widths,
    _fill,
    _table_borders,
    add_run,
    paragraph,
)


def draft_mark(document, text):
    """'DỰ THẢO' in a box at the top right, above the heading, as drafts sent round carry it."""
    para = paragraph(document, text, bold=True, size=13, align=WD_ALIGN_PARAGRAPH.RIGHT, space_after=2)
    borders = OxmlElement("w:pBdr")
    for edge in ("top", "left", "bottom", "right"):
        element = OxmlElement(f"w:{edge}")
        for key, value in (("w:val", "single"), ("w:sz", "6"), ("w:space", "2"), ("w:color", "000000")):
            element.set(qn(key), value)
        borders.append(element)
    para._p.get_or_add_pPr().append(borders)
    para.paragraph_format.left_indent = Cm(TEXT_WIDTH_CM - 3.2)
    return para


def body_paragraph(document, text, *, keep_with_next=False):
    """A paragraph of the body as Nghị định 30 sets it: justified, first line indented 1 cm."""
    para = paragraph(document, text, align=WD_ALIGN_PARAGRAPH.JUSTIFY, indent=True)
    para.paragraph_format.keep_with_next = keep_with_next or None
    return para


def signature_ending(
    document, *, recipients, signer_title, signer_name="", authority="", authority_title="", space_lines=4
):
    """'Nơi nhận' (bold italic 12 pt, its lines 11 pt) beside the signature block:
    the authority line when the signer signs for the head ("KT. GIÁM ĐỐC", then
    "PHÓ GIÁM ĐỐC"), room for the signature and seal, the signer's name. One
    table row that never splits, and the paragraph before it kept with it, so the
    block is never alone at the top of a page."""
    previous = document.paragraphs[-1] if document.paragraphs else None
    if previous is not None:
        previous.paragraph_format.keep_with_next = True
    spacer = paragraph(document, "", size=6)
    spacer.paragraph_format.keep_with_next = True
    table = document.add_table(rows=1, cols=2)
    _table_borders(table, "nil")
    left, right = table.rows[0].cells
    _fill(left, _("Recipients:"), bold=True, italic=True, size=12)
    for line in recipients:
        para = left.add_paragraph()
        para.paragraph_format.space_after = Pt(0)
        add_run(para, line, size=11)
    lines = [f"{authority} {authority_title}".strip(), signer_title] if authority else [signer_title]
    _fill(right, lines[0], bold=True, align=WD_ALIGN_PARAGRAPH.CENTER, size=BODY_PT)
    for line in lines[1:]:
        _centred(right, line, bold=True)
    for _line in range(space_lines):
        _centred(right, "")
    if signer_name:
        _centred(right, signer_name, bold=True)
    for cell in (left, right):
        for para in cell.paragraphs:
            para.paragraph_format.keep_with_next = True
            para.paragraph_format.keep_together = True
    table.rows[0]._tr.get_or_add_trPr().append(OxmlElement("w:cantSplit"))
    _column_widths(table, (7.0, 9.0))
    return table


def new_section(document, *, landscape=False):
    """A new section on a new page, A4 portrait or landscape with the same margins;
    its page numbers continue (the header is the previous section's) and show on
    its first page too."""
    section = document.add_section(WD_SECTION.NEW_PAGE)
    section.orientation = WD_ORIENT.LANDSCAPE if landscape else WD_ORIENT.PORTRAIT
    width, height = (PAGE_HEIGHT, PAGE_WIDTH) if landscape else (PAGE_WIDTH, PAGE_HEIGHT)
    section.page_width, section.page_height = width, height
    for side, value in MARGINS.items():
        setattr(section, f"{side}_margin", value)
    section.different_first_page_header_footer = False
    return section


def text_width_cm(section):
    return round((section.page_width - section.left_margin - section.right_margin) / 360000, 2)


def mark_language(document, language="vi-VN"):
    """Language ``language`` on the document's default style and on every run of
    its body, headers and footers, so that Word checks the spelling of Vietnamese
    as Vietnamese (a run without it takes the reader's own language)."""

    def lang_of(rpr):
        lang = rpr.find(qn("w:lang"))
        if lang is None:
            lang = OxmlElement("w:lang")
            rpr.append(lang)
        lang.set(qn("w:val"), language)

    lang_of(document.styles["Normal"].element.get_or_add_rPr())
    parts = [document.element.body]
    for section in document.sections:
        for part in (section.header, section.first_page_header, section.footer, section.first_page_footer):
            if not part.is_linked_to_previous:
                parts.append(part._element)
    for part in parts:
        for run in part.iter(qn("w:r")):
            rpr = run.find(qn("w:rPr"))
            if rpr is None:
                rpr = OxmlElement("w:rPr")
                run.insert(0, rpr)
            lang_of(rpr)


def document_bytes(document):
    buffer = BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def keep_table_together(table, most_rows=30):
    """A short table kept on one page: every paragraph of every row but the last
    keeps with the next, so a table that would start at the foot of a page moves
    whole to the next one (Word and LibreOffice both honour it). Longer tables
    are left to break, their header row repeated."""
    rows = table.rows
    if len(rows) > most_rows:
        return table
    for row in rows[:-1]:
        for cell in row.cells:
            for para in cell.paragraphs:
                para.paragraph_format.keep_with_next = True
    return table
