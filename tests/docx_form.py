"""Checks of the administrative form of a Word file (Nghị định 30/2020/NĐ-CP),
shared by the tests of the documents the site produces: page and margins,
fonts and sizes, justified body paragraphs, the language of every run, the
ending kept together. Each returns what it found wrong, so a failing test says
where."""

from docx.enum.section import WD_ORIENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml.ns import qn

FONT = "Times New Roman"
MARGINS_CM = {"top": 2.0, "bottom": 2.0, "left": 3.0, "right": 2.0}


def page_problems(document):
    """Every section A4 (portrait or landscape) with the decree's margins."""
    problems = []
    for index, section in enumerate(document.sections):
        size = sorted([round(section.page_width.cm, 1), round(section.page_height.cm, 1)])
        if size != [21.0, 29.7]:
            problems.append(f"section {index}: page {size}")
        landscape = section.page_width > section.page_height
        if landscape != (section.orientation == WD_ORIENT.LANDSCAPE):
            problems.append(f"section {index}: orientation does not match the page")
        for side, cm in MARGINS_CM.items():
            if round(getattr(section, f"{side}_margin").cm, 1) != cm:
                problems.append(f"section {index}: {side} margin {getattr(section, f'{side}_margin').cm}")
    return problems


def runs(document):
    """Every w:r of the body (tables included), as lxml elements."""
    return list(document.element.body.iter(qn("w:r")))


def font_problems(document, sizes=(10, 14)):
    """The default font Times New Roman 13 pt; no run names another font; every
    size a run sets within ``sizes`` (points)."""
    problems = []
    normal = document.styles["Normal"].font
    if normal.name != FONT or normal.size.pt != 13:
        problems.append(f"Normal style: {normal.name} {normal.size.pt if normal.size else None}")
    low, high = sizes
    for run in runs(document):
        rpr = run.find(qn("w:rPr"))
        if rpr is None:
            continue
        fonts = rpr.find(qn("w:rFonts"))
        if fonts is not None and fonts.get(qn("w:ascii")) not in (None, FONT):
            problems.append(f"run font {fonts.get(qn('w:ascii'))}")
        size = rpr.find(qn("w:sz"))
        if size is not None and not low <= int(size.get(qn("w:val"))) / 2 <= high:
            problems.append(f"run size {int(size.get(qn('w:val'))) / 2} pt: {''.join(run.itertext())[:40]!r}")
    return problems


def language_problems(document, language="vi-VN"):
    """Every run of the body, and the Normal style, say they are in ``language``."""
    problems = []
    normal = document.styles["Normal"].element.rPr
    lang = normal.find(qn("w:lang")) if normal is not None else None
    if lang is None or lang.get(qn("w:val")) != language:
        problems.append("Normal style has no language")
    for run in runs(document):
        rpr = run.find(qn("w:rPr"))
        lang = rpr.find(qn("w:lang")) if rpr is not None else None
        if lang is None or lang.get(qn("w:val")) != language:
            problems.append(f"run without {language}: {''.join(run.itertext())[:40]!r}")
    return problems


def body_paragraphs(document):
    """The paragraphs of running text: those with a first-line indent, outside tables."""
    return [p for p in document.paragraphs if p.paragraph_format.first_line_indent and p.text.strip()]


def justification_problems(document):
    """Every body paragraph justified, with its first line indented 1 cm."""
    problems = []
    for para in body_paragraphs(document):
        if para.alignment != WD_ALIGN_PARAGRAPH.JUSTIFY:
            problems.append(f"not justified: {para.text[:40]!r}")
        if round(para.paragraph_format.first_line_indent.cm, 1) != 1.0:
            problems.append(f"indent {para.paragraph_format.first_line_indent.cm}: {para.text[:40]!r}")
    return problems


def ending_table(document):
    """The table whose first cell starts with "Nơi nhận:"."""
    (table,) = [t for t in document.tables if t.rows[0].cells[0].text.startswith("Nơi nhận:")]
    return table


def keep_together_problems(document):
    """The ending is one row that never splits, and the paragraph before it keeps
    with it, so the signature is never alone at the top of a page."""
    table = ending_table(document)
    problems = []
    if table.rows[0]._tr.trPr is None or table.rows[0]._tr.trPr.find(qn("w:cantSplit")) is None:
        problems.append("the ending's row may split")
    previous = table._tbl.getprevious()
    while previous is not None and previous.tag == qn("w:p") and not "".join(previous.itertext()).strip():
        keep = previous.pPr.find(qn("w:keepNext")) if previous.pPr is not None else None
        if keep is None:
            problems.append("an empty paragraph before the ending does not keep with it")
        previous = previous.getprevious()
    keep = previous.pPr.find(qn("w:keepNext")) if previous is not None and previous.pPr is not None else None
    if keep is None:
        problems.append("the last paragraph before the ending does not keep with it")
    return problems
