"""The layout of a Vietnamese administrative document (Nghị định 30/2020/NĐ-CP,
Phụ lục I) in python-docx, shared by every Word file the site produces.

A4 portrait, margins 20 mm top and bottom, 30 mm left, 20 mm right; Times New
Roman, 13 pt body text. At the top a borderless two-column table, as real
documents have it: the issuing body on the left (its parent in plain capitals,
itself in bold capitals, a short rule under it, then the document number) and
the national heading on the right (motto in bold with a rule as long as the
motto), place and date in italics under it. Page numbers are centred at the
top from the second page on.

python-docx has no API for borders, repeated header rows or fields, so those
few elements are written as raw WordprocessingML (``w:tblBorders``,
``w:tblHeader``, ``w:fldSimple``).
"""

from io import BytesIO

import docx
from django.http import FileResponse
from django.utils.translation import gettext as _
from docx.enum.section import WD_ORIENT
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Pt

DOCX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"

FONT = "Times New Roman"
# Chinese, Lao... names in their own script need a font that has the glyphs.
EAST_ASIAN_FONT = "SimSun"
BODY_PT = 13
TABLE_PT = 11

# The national heading is fixed by law; it is never translated.
NATIONAL_NAME = "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"
NATIONAL_MOTTO = "Độc lập - Tự do - Hạnh phúc"

PAGE_WIDTH, PAGE_HEIGHT = Cm(21), Cm(29.7)
MARGINS = {"top": Cm(2), "bottom": Cm(2), "left": Cm(3), "right": Cm(2)}
TEXT_WIDTH_CM = 16.0
HEADING_COLUMNS_CM = (6.4, 9.6)


def place_and_date(day, place):
    """'Cao Bằng, ngày 05 tháng 02 năm 2026': day and month below 10 (months 1
    and 2 only) take a leading zero, as Nghị định 30 asks."""
    month = f"{day.month:02d}" if day.month < 3 else str(day.month)
    return _("%(place)s, on %(day)s/%(month)s/%(year)s") % {
        "place": place,
        "day": f"{day.day:02d}",
        "month": month,
        "year": day.year,
    }


# --- Fonts and paragraphs ------------------------------------------------------------------------------------------


def _set_fonts(rpr_owner, name=FONT):
    """Times New Roman for Latin and Vietnamese text (ascii, hAnsi, cs), a CJK font for the rest."""
    rpr = rpr_owner.get_or_add_rPr()
    fonts = rpr.find(qn("w:rFonts"))
    if fonts is None:
        fonts = OxmlElement("w:rFonts")
        rpr.insert(0, fonts)
    for attribute in ("w:ascii", "w:hAnsi", "w:cs"):
        fonts.set(qn(attribute), name)
    # Theme fonts (the headings' Calibri Light) would win over the names above.
    for attribute in ("w:asciiTheme", "w:hAnsiTheme", "w:eastAsiaTheme", "w:cstheme"):
        fonts.attrib.pop(qn(attribute), None)
    fonts.set(qn("w:eastAsia"), EAST_ASIAN_FONT)


def new_document():
    """An empty A4 document with the styles of an administrative text."""
    document = docx.Document()
    section = document.sections[0]
    section.orientation = WD_ORIENT.PORTRAIT
    section.page_width, section.page_height = PAGE_WIDTH, PAGE_HEIGHT
    for side, value in MARGINS.items():
        setattr(section, f"{side}_margin", value)
    section.header_distance = Cm(1)

    normal = document.styles["Normal"]
    normal.font.size = Pt(BODY_PT)
    _set_fonts(normal.element)
    normal.paragraph_format.space_after = Pt(6)
    normal.paragraph_format.line_spacing = 1.1
    for name, size in (("Heading 1", BODY_PT), ("Heading 2", BODY_PT), ("Heading 3", BODY_PT)):
        style = document.styles[name]
        style.font.size = Pt(size)
        style.font.bold = True
        style.font.italic = name == "Heading 3"
        style.font.color.rgb = None
        _set_fonts(style.element)
        style.paragraph_format.space_before = Pt(12 if name == "Heading 1" else 8)
        style.paragraph_format.space_after = Pt(6)
        style.paragraph_format.keep_with_next = True
    _page_numbers(section)
    return document


def _page_numbers(section):
    """A centred page number at the top of every page but the first."""
    section.different_first_page_header_footer = True
    paragraph = section.header.paragraphs[0]
    paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
    field = OxmlElement("w:fldSimple")
    field.set(qn("w:instr"), "PAGE")
    run = OxmlElement("w:r")
    text = OxmlElement("w:t")
    text.text = "2"
    run.append(text)
    field.append(run)
    paragraph._p.append(field)


def paragraph(container, text="", *, bold=False, italic=False, size=None, align=None, indent=False, space_after=None):
    """One paragraph of one run; ``container`` is the document or a table cell."""
    para = container.add_paragraph()
    if text:
        run = para.add_run(str(text))
        run.bold, run.italic = bold or None, italic or None
        if size:
            run.font.size = Pt(size)
    if align is not None:
        para.alignment = align
    if indent:
        para.paragraph_format.first_line_indent = Cm(1)
    if space_after is not None:
        para.paragraph_format.space_after = Pt(space_after)
    return para


def add_run(para, text, *, bold=False, italic=False, size=None):
    run = para.add_run(str(text))
    run.bold, run.italic = bold or None, italic or None
    if size:
        run.font.size = Pt(size)
    return run


def heading(document, text, level=1):
    return document.add_heading(str(text), level=level)


def _rule(container, length_cm, column_cm):
    """A solid rule of ``length_cm``, centred in a column of ``column_cm``: the
    top border of an empty, tiny paragraph narrowed by equal indents (a border
    on the text's own paragraph would narrow the text and wrap it)."""
    side = max((column_cm - 0.4 - length_cm) / 2, 0)
    para = container.add_paragraph()
    para.paragraph_format.left_indent = Cm(side)
    para.paragraph_format.right_indent = Cm(side)
    para.paragraph_format.space_before = Pt(4)
    para.paragraph_format.space_after = Pt(0)
    para.paragraph_format.line_spacing = Pt(2)
    borders = OxmlElement("w:pBdr")
    top = OxmlElement("w:top")
    for key, value in (("w:val", "single"), ("w:sz", "6"), ("w:space", "1"), ("w:color", "000000")):
        top.set(qn(key), value)
    borders.append(top)
    para._p.get_or_add_pPr().append(borders)
    return para


def _centred(cell, text, *, bold=False, italic=False, size=BODY_PT, space_after=0):
    return paragraph(
        cell, text, bold=bold, italic=italic, size=size, align=WD_ALIGN_PARAGRAPH.CENTER, space_after=space_after
    )


# --- Tables --------------------------------------------------------------------------------------------------------


def _table_borders(table, value):
    """Single black lines on every edge (``value="single"``) or none (``"nil"``)."""
    tbl_pr = table._tbl.tblPr
    borders = OxmlElement("w:tblBorders")
    for edge in ("top", "left", "bottom", "right", "insideH", "insideV"):
        element = OxmlElement(f"w:{edge}")
        element.set(qn("w:val"), value)
        if value != "nil":
            element.set(qn("w:sz"), "4")
            element.set(qn("w:space"), "0")
            element.set(qn("w:color"), "000000")
        borders.append(element)
    tbl_pr.append(borders)


def _column_widths(table, widths_cm):
    table.autofit = False
    for column, width in zip(table.columns, widths_cm, strict=True):
        column.width = Cm(width)
        for cell in column.cells:
            cell.width = Cm(width)


def _fill(cell, text, *, bold=False, italic=False, align=None, size=TABLE_PT):
    para = cell.paragraphs[0]  # a new cell holds one empty paragraph: the first line goes there
    para.paragraph_format.space_after = Pt(0)
    para.paragraph_format.line_spacing = 1.0
    if align is not None:
        para.alignment = align
    lines = str(text).split("\n") if text not in (None, "") else [""]
    for i, line in enumerate(lines):
        run = para.add_run(line)
        run.bold, run.italic = bold or None, italic or None
        run.font.size = Pt(size)
        if i < len(lines) - 1:
            run.add_break()
    return para


def _repeat_as_header(row):
    tr_pr = row._tr.get_or_add_trPr()
    for tag in ("w:cantSplit", "w:tblHeader"):
        tr_pr.append(OxmlElement(tag))


def data_table(document, headers, rows, widths_cm, *, numeric=(), total=None, size=TABLE_PT):
    """A bordered table: bold centred header row repeated on every page, one row
    per item, an optional bold total row. ``rows`` hold text already formatted;
    columns in ``numeric`` align right. A row item may be a (text, notes) pair:
    the notes follow in small italics in the same cell."""
    table = document.add_table(rows=1, cols=len(headers))
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    _table_borders(table, "single")
    for cell, header in zip(table.rows[0].cells, headers, strict=True):
        _fill(cell, header, bold=True, align=WD_ALIGN_PARAGRAPH.CENTER, size=size)
    _repeat_as_header(table.rows[0])
    for values in [*rows, *([total] if total else [])]:
        row = table.add_row()
        cells = row.cells
        is_total = values is total
        for index, (cell, value) in enumerate(zip(cells, values, strict=True)):
            value, small = value if isinstance(value, tuple) else (value, "")
            align = WD_ALIGN_PARAGRAPH.RIGHT if index in numeric else None
            _fill(cell, value, bold=is_total, align=align, size=size)
            if small:
                note = cell.add_paragraph()
                note.paragraph_format.space_after = Pt(0)
                add_run(note, small, italic=True, size=size - 1)
        row._tr.get_or_add_trPr().append(OxmlElement("w:cantSplit"))
    _column_widths(table, widths_cm)
    # A small gap, so that the next heading or table does not touch this one.
    paragraph(document, "", size=4, space_after=0)
    return table


# --- The administrative heading and ending -------------------------------------------------------------------------


def administrative_heading(document, day, *, issuer, place, number_symbol="", number=None):
    """Issuing body | national heading; then number | place and date. ``issuer``
    is the issuing body's lines, parent first (["UBND TỈNH CAO BẰNG", "SỞ NGOẠI VỤ"]),
    ``place`` the place of the date line ("Cao Bằng"). ``number``: the document's
    number once issued ("Số: 45/BC-SNgV"); left blank until then ("Số:      /BC-SNgV").
    ``day`` None: a draft's date line, with the day, month and year left blank."""
    table = document.add_table(rows=2, cols=2)
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    _table_borders(table, "nil")
    left, right = table.rows[0].cells
    left_width, right_width = HEADING_COLUMNS_CM

    lines = list(issuer)
    for line in lines[:-1]:
        _centred(left, line, size=12)
    _centred(left, lines[-1], bold=True, size=12)
    _rule(left, 2.0, left_width)
    left.paragraphs[0]._p.getparent().remove(left.paragraphs[0]._p)

    _centred(right, NATIONAL_NAME, bold=True, size=12)
    _centred(right, NATIONAL_MOTTO, bold=True, size=13)
    _rule(right, 5.7, right_width)
    right.paragraphs[0]._p.getparent().remove(right.paragraphs[0]._p)

    number_cell, date_cell = table.rows[1].cells
    if not number_symbol:
        number_text = ""
    elif number is None:
        number_text = _("No.:      /%(symbol)s") % {"symbol": number_symbol}
    else:
        number_text = _("No.: %(number)s/%(symbol)s") % {"number": number, "symbol": number_symbol}
    number_line = _fill(number_cell, number_text, align=WD_ALIGN_PARAGRAPH.CENTER, size=BODY_PT)
    number_line.paragraph_format.space_before = Pt(6)
    date_text = place_and_date(day, place) if day is not None else blank_date_line(place)
    date_line = _fill(date_cell, date_text, italic=True, align=WD_ALIGN_PARAGRAPH.CENTER, size=BODY_PT)
    date_line.paragraph_format.space_before = Pt(6)
    _column_widths(table, HEADING_COLUMNS_CM)
    return table


def blank_date_line(place):
    """'Cao Bằng, ngày      tháng      năm       ': a draft's date line, filled in when it is signed."""
    blank = "\u00a0" * 5
    return _("%(place)s, on %(day)s/%(month)s/%(year)s") % {
        "place": place,
        "day": blank,
        "month": blank,
        "year": blank + blank,
    }


def title(document, kind, lines):
    """'BÁO CÁO' in bold capitals, the summary lines in bold, a short rule under them."""
    first = paragraph(document, kind, bold=True, size=14, align=WD_ALIGN_PARAGRAPH.CENTER, space_after=0)
    first.paragraph_format.space_before = Pt(18)
    for line in lines:
        paragraph(document, line, bold=True, size=14, align=WD_ALIGN_PARAGRAPH.CENTER, space_after=0)
    _rule(document, 3.5, TEXT_WIDTH_CM)
    paragraph(document, "", size=6)


def ending(document, signer=""):
    """'Nơi nhận' on the left (only 'Lưu: VT.' is known), the signer's title on the right."""
    paragraph(document, "", size=6)
    table = document.add_table(rows=1, cols=2)
    _table_borders(table, "nil")
    left, right = table.rows[0].cells
    _fill(left, _("Recipients:"), bold=True, italic=True, size=12)
    for line in ("- ...........;", _("- Filed: VT.")):
        para = left.add_paragraph()
        para.paragraph_format.space_after = Pt(0)
        add_run(para, line, size=11)
    _fill(right, signer, bold=True, align=WD_ALIGN_PARAGRAPH.CENTER, size=BODY_PT)
    # One block: "Nơi nhận" and the signer never split across two pages.
    table.rows[0]._tr.get_or_add_trPr().append(OxmlElement("w:cantSplit"))
    _column_widths(table, (8.0, 8.0))
    return table


def docx_response(document, filename):
    """The document as an attachment download; ``filename`` is ASCII."""
    buffer = BytesIO()
    document.save(buffer)
    buffer.seek(0)
    return FileResponse(buffer, as_attachment=True, filename=filename, content_type=DOCX_CONTENT_TYPE)
