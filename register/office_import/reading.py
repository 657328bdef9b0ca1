"""Reading any office workbook (.xlsx, .xls, .ods, .csv) into plain rows, within limits.

The office's own lists are read as the office keeps them: every sheet, each row
with the number Excel or LibreOffice shows, cells as values (str, int, float,
date, datetime, bool or None). Formula cells give their cached result
(``data_only=True``): these are the office's lists, not the register's export,
whose formulas the register's own import refuses (register/import_reading.py).

A file is recognised from its content and checked before it is parsed
(``detect_format``): its size, what it really is (PDF, Word, image, an
encrypted Office file), and for a zip its directory (inflated size,
compression ratio). Parsing then stays bounded: .xlsx is streamed by openpyxl
in read-only mode (with defusedxml installed, a DTD with entities is refused);
.xls is read by xlrd with ragged rows (calamine would fill a dense grid: 1 GB
for a 6 KB file with a cell at IV65536); .ods by calamine one sheet at a time,
only after its content.xml has been scanned with defusedxml for rows that
repeat into millions of cells (a file of 800 bytes can ask for 30 million). The row
budget (``IMPORT_MAX_ROWS``) counts the non-blank rows of all sheets.

The header row and the data under it are found by find_header, header_rows
(headings on two rows) and body_rows (header_rows.py, given here too).
"""

import codecs
import csv
import datetime
import io
import zipfile
from dataclasses import dataclass, field

from defusedxml.common import DefusedXmlException
from django.utils.translation import gettext as _

from common.text import fold
from register.import_admin import MAX_IMPORT_BYTES, MAX_UNZIPPED_BYTES
from register.import_reading import MAX_COLUMNS, RowBudget, blank, checked, not_utf8_message, sheet_size
from register.import_rows import ImportFileError
from register.office_import import html_tables
from register.office_import.header_rows import Header, body_rows, find_header, header_rows, is_blank_row

__all__ = [
    "Header",
    "Sheet",
    "Workbook",
    "ImportFileError",
    "body_rows",
    "column_letter",
    "detect_format",
    "find_header",
    "header_rows",
    "is_blank_row",
    "read_workbook",
]

# A zip entry inflating more than this many times its packed size is a bomb,
# not a sheet (LibreOffice's and Excel's sheets stay well under 100).
MAX_COMPRESSION_RATIO = 200
RATIO_CHECKED_FROM = 1024 * 1024  # small entries (styles, a short sheet) may pack tighter
# Cells calamine may be asked to hold for one .ods sheet (its used area, rows x columns).
MAX_SHEET_CELLS = 5_000_000
OLE2_SIGNATURE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
ODS_MIMETYPE = b"application/vnd.oasis.opendocument.spreadsheet"
SIGNATURES = {
    b"%PDF-": "PDF",
    b"\x89PNG": "PNG",
    b"\xff\xd8\xff": "JPEG",
    b"GIF8": "GIF",
    b"{\\rtf": "RTF",
}


@dataclass
class Sheet:
    title: str
    rows: list  # [(row number as shown, 1-based, [cells])]; blank rows may be missing
    merged: list = field(default_factory=list)  # "A1:G1", where the format gives them cheaply


@dataclass
class Workbook:
    format: str  # "xlsx" | "xls" | "ods" | "csv" | "html"
    sheets: list

    def sheet(self, title=None):
        """The sheet of this title (accents and case aside), the first one when None."""
        if title is None:
            return self.sheets[0]
        for sheet in self.sheets:
            if fold(sheet.title) == fold(title):
                return sheet
        raise ImportFileError(
            _("The file has no sheet named “%(title)s”. Its sheets are: %(titles)s.")
            % {"title": title, "titles": ", ".join(f"“{sheet.title}”" for sheet in self.sheets)}
        )


def column_letter(index):
    """0 -> "A", 26 -> "AA"."""
    from openpyxl.utils import get_column_letter

    return get_column_letter(index + 1)


# Recognising the file


def damaged(kind):
    return ImportFileError(
        _(
            "The file is damaged and cannot be opened as %(kind)s. "
            "Open it in Excel or LibreOffice, save it again and retry."
        )
        % {"kind": kind}
    )


def wrong_kind(kind):
    return ImportFileError(
        _("This is %(kind)s, not a spreadsheet. Import an .xlsx, .xls, .ods or .csv file.") % {"kind": kind}
    )


def encrypted():
    return ImportFileError(
        _(
            "The file is protected by a password, so it cannot be read. Open it in Excel, remove the password "
            "(File → Info → Protect Workbook → Encrypt with Password, leave it empty), save it and import it again."
        )
    )


def entities():
    """defusedxml refused a DTD or an entity (openpyxl uses it when installed)."""
    return ImportFileError(
        _("The spreadsheet holds XML entity definitions, which can make a small file fill the server. It was not read.")
    )


def refused_entities(error):
    """Whether defusedxml refused a DTD or an entity somewhere under ``error``
    (openpyxl re-raises it as a ValueError)."""
    while error is not None:
        if isinstance(error, DefusedXmlException):
            return True
        error = error.__cause__ or error.__context__
    return False


def detect_format(data, filename=""):
    """ "xlsx", "xls", "ods" or "csv" from the file's content; ImportFileError with the reason otherwise."""
    if not data:
        raise ImportFileError(_("The file is empty."))
    if len(data) > MAX_IMPORT_BYTES:
        raise ImportFileError(
            _("The file is larger than 20 MB (%(size)s MB). Split it into smaller files.")
            % {"size": f"{len(data) / 1024 / 1024:.1f}".replace(".", ",")}
        )
    if data.startswith(b"PK\x03\x04") or data.startswith(b"PK\x05\x06"):
        return zip_format(data)
    if data.startswith(OLE2_SIGNATURE):
        return ole_format(data)
    for signature, kind in SIGNATURES.items():
        if data.startswith(signature):
            raise wrong_kind(_("a %(kind)s file") % {"kind": kind})
    head = data[:4096]
    page = html_tables.sniff(head)
    if page == "html":
        return "html"
    if page is not None:
        raise html_tables.refuse_xml(page)
    if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)) or b"\x00" not in head:
        return "csv"
    raise wrong_kind(_("a file of an unknown kind"))


def zip_format(data):
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            entries = archive.infolist()
            mimetype = archive.read("mimetype")[:100] if "mimetype" in archive.namelist() else b""
    except (zipfile.BadZipFile, OSError, EOFError, NotImplementedError, KeyError):
        raise damaged(_("a workbook")) from None
    if sum(entry.file_size for entry in entries) > MAX_UNZIPPED_BYTES or any(
        entry.file_size > RATIO_CHECKED_FROM and entry.file_size > MAX_COMPRESSION_RATIO * max(entry.compress_size, 1)
        for entry in entries
    ):
        raise ImportFileError(
            _("The workbook is too large once unpacked (a packed file that would fill the server). It was not read.")
        )
    names = {entry.filename for entry in entries}
    if "xl/workbook.xml" in names:
        return "xlsx"
    if mimetype.strip() == ODS_MIMETYPE:
        return "ods"
    if "word/document.xml" in names or mimetype.startswith(b"application/vnd.oasis.opendocument.text"):
        raise wrong_kind(_("a Word document"))
    if "ppt/presentation.xml" in names:
        raise wrong_kind(_("a PowerPoint presentation"))
    raise wrong_kind(_("a zip archive"))


def ole_format(data):
    """An old Office file: .xls, or a password-protected .xlsx (an OLE2 holding an EncryptedPackage)."""
    import olefile

    try:
        with olefile.OleFileIO(data) as ole:
            streams = {"/".join(path) for path in ole.listdir()}
    except Exception:  # noqa: BLE001 - olefile raises many kinds on a damaged file
        raise damaged(_("an Excel 97–2003 workbook")) from None
    if "EncryptedPackage" in streams:
        raise encrypted()
    if "Workbook" in streams or "Book" in streams:
        return "xls"
    if "WordDocument" in streams:
        raise wrong_kind(_("a Word 97–2003 document"))
    raise wrong_kind(_("an Office 97–2003 file that holds no workbook"))


# Reading


def read_workbook(data, filename="", *, max_rows=None):
    """Every sheet of the file; ImportFileError for a file that cannot or may not be read."""
    kind = detect_format(data, filename)
    budget = RowBudget(max_rows)
    reader = {"xlsx": read_xlsx, "xls": read_xls, "ods": read_ods, "csv": read_csv, "html": read_html}[kind]
    sheets = reader(data, budget)
    if not sheets or all(not sheet.rows for sheet in sheets):
        raise ImportFileError(_("The file is empty: none of its sheets holds any data."))
    return Workbook(format=kind, sheets=sheets)


def cell_value(value):
    """The cell as the office meant it: midnight datetimes as dates, whole floats as int."""
    if isinstance(value, datetime.datetime):
        return value.date() if value.time() == datetime.time(0) else value
    if isinstance(value, datetime.time):
        # A time without a day (Excel's serial below 1) is no date: keep what it shows.
        return value.strftime("%H:%M") if not value.second else value.strftime("%H:%M:%S")
    if isinstance(value, datetime.timedelta):
        return str(value)
    if isinstance(value, float) and value.is_integer() and abs(value) < 2**53:
        return int(value)
    if isinstance(value, str):
        return value.strip() or None
    return value


def kept_rows(rows, budget):
    """(number, cells) for the non-blank rows, trailing blanks trimmed, checked and counted."""
    kept = []
    for number, cells in rows:
        cells = checked(number, cells)
        values = [cell_value(cell) for cell in cells]
        while values and blank(values[-1]):
            values.pop()
        if not values:
            continue
        budget.take()
        kept.append((number, values))
    return kept


def read_xlsx(data, budget):
    import openpyxl
    from openpyxl.worksheet._read_only import ReadOnlyWorksheet

    ReadOnlyWorksheet._get_size = sheet_size  # see register/import_reading.sheet_size
    try:
        workbook = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as error:  # noqa: BLE001 - openpyxl raises many kinds, and wraps defusedxml's refusal
        raise entities() if refused_entities(error) else damaged(_("an Excel workbook")) from None
    try:
        sheets = []
        for worksheet in workbook.worksheets:
            rows = worksheet.iter_rows(values_only=True, max_col=MAX_COLUMNS + 1)
            sheets.append(Sheet(worksheet.title, kept_rows(skip_gaps(rows), budget)))
    except ImportFileError:
        raise
    except Exception as error:  # noqa: BLE001 - a sheet's XML damaged half way, or its entities refused
        raise entities() if refused_entities(error) else damaged(_("an Excel workbook")) from None
    finally:
        workbook.close()
    return sheets


def skip_gaps(rows):
    """Numbered rows, without the empty rows openpyxl makes up for a gap (the same tuple each
    time: a row at 1,048,576 costs no million checks)."""
    filler = None
    for number, cells in enumerate(rows, start=1):
        if cells is filler:
            continue
        if filler is None and cells and all(cell is None for cell in cells):
            filler = cells
        yield number, cells


def read_xls(data, budget):
    """An Excel 97–2003 workbook, by xlrd: its rows are kept ragged (as long as their
    last cell) and blank formatted cells skipped, so a cell at IV65536 costs one row,
    where calamine fills the whole 65,536 x 256 grid (1 GB from a 6 KB file)."""
    import xlrd

    try:
        workbook = xlrd.open_workbook(file_contents=data, on_demand=True, ragged_rows=True)
    except xlrd.XLRDError as error:
        raise encrypted() if "encrypt" in str(error).lower() else damaged(_("an Excel 97–2003 workbook")) from None
    except Exception:  # noqa: BLE001 - xlrd raises many kinds on a damaged file
        raise damaged(_("an Excel 97–2003 workbook")) from None
    try:
        sheets = []
        for index in range(workbook.nsheets):
            worksheet = workbook.sheet_by_index(index)
            rows = (
                (
                    number + 1,
                    [xls_value(cell, workbook.datemode) for cell in worksheet.row_slice(number, 0, MAX_COLUMNS + 1)],
                )
                for number in range(worksheet.nrows)
            )
            sheets.append(Sheet(worksheet.name, kept_rows(rows, budget)))
            workbook.unload_sheet(index)
    except ImportFileError:
        raise
    except Exception:  # noqa: BLE001 - a sheet damaged half way
        raise damaged(_("an Excel 97–2003 workbook")) from None
    finally:
        workbook.release_resources()
    return sheets


def xls_value(cell, datemode):
    import xlrd

    if cell.ctype == xlrd.XL_CELL_DATE:
        try:
            return xlrd.xldate.xldate_as_datetime(cell.value, datemode)
        except (ValueError, OverflowError, xlrd.xldate.XLDateError):
            return cell.value
    if cell.ctype == xlrd.XL_CELL_BOOLEAN:
        return bool(cell.value)
    if cell.ctype in (xlrd.XL_CELL_EMPTY, xlrd.XL_CELL_BLANK, xlrd.XL_CELL_ERROR):
        return None
    return cell.value


def read_ods(data, budget):
    import python_calamine

    check_ods_cells(data, budget)
    try:
        workbook = python_calamine.CalamineWorkbook.from_filelike(io.BytesIO(data))
    except Exception:  # noqa: BLE001 - CalamineError, XmlError, ZipError...
        raise damaged(_("an OpenDocument spreadsheet")) from None
    sheets = []
    try:
        for index, name in enumerate(workbook.sheet_names):
            worksheet = workbook.get_sheet_by_index(index)
            first_row, first_column = worksheet.start or (0, 0)
            rows = (
                (first_row + offset + 1, [None] * first_column + list(cells))
                for offset, cells in enumerate(worksheet.iter_rows())
            )
            merged = [cell_range(*bounds) for bounds in (worksheet.merged_cell_ranges or ())]
            sheets.append(Sheet(name, kept_rows(rows, budget), merged))
            del worksheet
    except ImportFileError:
        raise
    except Exception:  # noqa: BLE001
        raise damaged(_("an OpenDocument spreadsheet")) from None
    finally:
        workbook.close()
    return sheets


def cell_range(start, end):
    return f"{column_letter(start[1])}{start[0] + 1}:{column_letter(end[1])}{end[0] + 1}"


TABLE_NS = "urn:oasis:names:tc:opendocument:xmlns:table:1.0"
OFFICE_NS = "urn:oasis:names:tc:opendocument:xmlns:office:1.0"


def check_ods_cells(data, budget):
    """Refuses an .ods whose rows or cells repeat past what calamine may hold.

    ODS writes a run of equal rows or cells once with a repeat count. LibreOffice
    does so for the blank rows down to row 1,048,576, which calamine skips; but a
    repeated row of filled cells is expanded into a dense sheet, 30 million cells
    from 800 bytes. This scan (defusedxml, streamed, DTDs refused) stops at the
    first sheet that would bring more filled rows than the budget allows or whose
    used area passes MAX_SHEET_CELLS."""
    from defusedxml.ElementTree import iterparse

    table_tag, row_tag = f"{{{TABLE_NS}}}table", f"{{{TABLE_NS}}}table-row"
    cell_tags = {f"{{{TABLE_NS}}}table-cell", f"{{{TABLE_NS}}}covered-table-cell"}
    rows_repeated, columns_repeated = f"{{{TABLE_NS}}}number-rows-repeated", f"{{{TABLE_NS}}}number-columns-repeated"
    value_type = f"{{{OFFICE_NS}}}value-type"
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive, archive.open("content.xml") as source:
            filled_rows = height = width = row = column = row_width = 0
            budget = RowBudget(budget.left)  # a copy: the rows are counted again as calamine reads them
            row_filled = False
            for event, element in iterparse(source, events=("start", "end"), forbid_dtd=True):
                if event == "start":
                    if element.tag == table_tag:
                        height = width = row = 0
                    elif element.tag == row_tag:
                        column = row_width = 0
                        row_filled = False
                    continue
                if element.tag in cell_tags:
                    repeat = int(element.get(columns_repeated, "1"))
                    column += repeat
                    if element.get(value_type) or len(element):
                        row_filled, row_width = True, column
                    element.clear()
                elif element.tag == row_tag:
                    repeat = int(element.get(rows_repeated, "1"))
                    row += repeat
                    if row_filled:
                        filled_rows += repeat
                        height, width = row, max(width, row_width)
                        if filled_rows > budget.left:
                            budget.left = 0
                            budget.take()  # refuses with the budget's own message
                        if height * width > MAX_SHEET_CELLS:
                            raise ImportFileError(
                                _("A sheet of the file repeats its rows into more cells than an import may read.")
                            )
                    element.clear()
    except ImportFileError:
        raise
    except DefusedXmlException:
        raise entities() from None
    except Exception:  # noqa: BLE001 - ParseError, a bad zip, a bad number
        raise damaged(_("an OpenDocument spreadsheet")) from None


def read_html(data, budget):
    """A web page's tables (an "Excel" export that is HTML): html_tables.py."""
    return html_tables.read_html(data, budget, kept_rows, Sheet)


def read_csv(data, budget):
    """UTF-8 (with or without BOM) or UTF-16 with BOM (Excel's "Unicode text"); the
    delimiter (, ; or tab) is the one the first lines use most."""
    try:
        if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
            text = data.decode("utf-16")
        else:
            text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise ImportFileError(not_utf8_message()) from None
    sample = text[:20000].splitlines()[:30]
    delimiter = max([",", ";", "\t"], key=lambda d: sum(line.count(d) for line in sample))
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    try:
        rows = kept_rows(enumerate(reader, start=1), budget)
    except csv.Error:
        raise ImportFileError(_("The CSV file cannot be read: a cell is too long or holds odd characters.")) from None
    return [Sheet("CSV", rows)]
