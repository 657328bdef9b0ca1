"""Lists that are web pages: many offices' systems export an "Excel" file (.xls)
that is an HTML table, and a list saved from a browser is one too. Each
``<table>`` of the page is read as a sheet with lxml's HTML parser (which reads
no DTD, no entity and nothing from the network): a cell spanning columns
(``colspan``) keeps its text in its first column and leaves the others blank,
and one spanning rows leaves the cells below it blank, as a merged cell of a
workbook does. Tables inside a cell are read as their own sheets.

An XML Spreadsheet 2003 (Excel's "XML Spreadsheet" file, also named .xls) is
told apart and refused with what to do.
"""

import codecs
import re

from django.utils.translation import gettext as _

from register.import_rows import ImportFileError

MAX_SPAN = 100  # a colspan or rowspan past this is the page's layout, not a merged heading
HTML_START = re.compile(rb"^\s*(<!--.*?-->\s*)*<(!doctype\s+html|html|head|body|meta|table|style|title)\b", re.I | re.S)
SPREADSHEET_2003 = b"urn:schemas-microsoft-com:office:spreadsheet"


def sniff(head):
    """ "html" for a web page, "xml2003" for Excel's XML Spreadsheet, else None (``head``: the file's first bytes)."""
    if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        head = head.decode("utf-16", errors="ignore").encode("utf-8")
    head = head.removeprefix(codecs.BOM_UTF8)
    if head.lstrip().startswith(b"<?xml"):
        return "xml2003" if SPREADSHEET_2003 in head else "xml"
    if HTML_START.match(head) or b"<table" in head.lower():
        return "html"
    return None


def refuse_xml(kind):
    if kind == "xml2003":
        return ImportFileError(
            _(
                "This is an “XML Spreadsheet 2003” file, which cannot be read here. Open it in Excel or LibreOffice, "
                "save it as an Excel workbook (.xlsx) and import that file."
            )
        )
    return ImportFileError(_("This is an XML file, not a spreadsheet. Import an .xlsx, .xls, .ods or .csv file."))


def read_html(data, budget, kept_rows, sheet_class):
    """[Sheet] of the page's tables; ``kept_rows`` and ``sheet_class`` are the
    reading module's (blank rows dropped, rows counted against ``budget``)."""
    import lxml.html
    from lxml import etree

    try:
        document = lxml.html.document_fromstring(data, parser=lxml.html.HTMLParser(no_network=True, huge_tree=False))
    except (etree.ParserError, ValueError):
        raise ImportFileError(_("The web page cannot be read: it is damaged or empty.")) from None
    sheets = []
    for number, table in enumerate(document.iter("table"), start=1):
        rows = kept_rows(enumerate(table_rows(table), start=1), budget)
        if rows:
            caption = table.find("caption")
            title = caption.text_content().strip()[:31] if caption is not None else ""
            sheets.append(sheet_class(title or _("Table %(number)s") % {"number": number}, rows))
    if not sheets:
        raise ImportFileError(
            _("This is a web page with no table in it, not a list. Import an .xlsx, .xls, .ods or .csv file.")
        )
    return sheets


def table_rows(table):
    """The table's rows as lists of cell texts (None for blank), spans laid out as merged cells are."""
    below = {}  # column -> rows still covered by a cell spanning rows from above
    for tr in own_rows(table):
        cells, column = [], 0
        for td in tr:
            if not isinstance(td.tag, str) or td.tag.lower() not in ("td", "th"):
                continue
            while below.get(column):
                below[column] -= 1
                cells.append(None)
                column += 1
            cells.append(cell_text(td))
            colspan, rowspan = span(td, "colspan"), span(td, "rowspan")
            for offset in range(colspan):
                if rowspan > 1:
                    below[column + offset] = rowspan - 1
                if offset:
                    cells.append(None)
            column += colspan
        while below.get(column):  # cells spanning down at the row's end
            below[column] -= 1
            cells.append(None)
            column += 1
        yield cells


def own_rows(table):
    """The table's own <tr> (in <thead>, <tbody>, <tfoot> or directly), not those of a table inside a cell."""
    for child in table:
        if not isinstance(child.tag, str):
            continue
        tag = child.tag.lower()
        if tag == "tr":
            yield child
        elif tag in ("thead", "tbody", "tfoot"):
            yield from (row for row in child if isinstance(row.tag, str) and row.tag.lower() == "tr")


def span(td, name):
    try:
        return max(1, min(int(str(td.get(name, "1")).strip() or 1), MAX_SPAN))
    except ValueError:
        return 1


def cell_text(td):
    """The cell's text as shown: its lines kept (<br>, paragraphs), runs of spaces as one."""
    for br in td.iter("br"):
        br.tail = "\n" + (br.tail or "")
    lines = [" ".join(line.split()) for line in td.text_content().replace("\xa0", " ").splitlines()]
    text = "\n".join(line for line in lines if line)
    return text or None
