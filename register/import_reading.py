"""Reading an import file into Datasets, a row at a time and within limits.

A file of any shape costs bounded memory: rows are streamed (a csv reader over
the decoded text, openpyxl's read-only workbook), and reading stops at the
first row past ``IMPORT_MAX_ROWS`` data rows (all sheets together), at a cell
past ``MAX_COLUMNS`` or one longer than Excel's own limit for a cell. What was
read by then is thrown away and the whole file is refused with the reason.

Both readers keep each row's number as Excel shows it (blank and title rows
count) in a hidden column, so that errors point at the right row. An export's
XLSX has title rows above its header: ``table()`` finds the header below them.
An XLSX is read with its formulas as written (``data_only=False``): a formula
cell arrives as "=..." and is refused like formula-like text in a CSV.
"""

import csv
import io

import tablib
from django.conf import settings
from django.utils.translation import gettext as _

from register.import_rows import ROW_NUMBER, ImportFileError

DEFAULT_MAX_ROWS = 20000
# The widest export has a few dozen columns; a sheet whose cells reach past
# this is not one of ours (and a row padded to 16,384 columns is 128 KB).
MAX_COLUMNS = 200
MAX_CELL_CHARS = 32767  # Excel's own limit for a cell
# Rows of a single cell above the header: an export writes four (register/exports.py title_lines).
MAX_TITLE_ROWS = 10


def max_rows():
    return getattr(settings, "IMPORT_MAX_ROWS", DEFAULT_MAX_ROWS)


def thousands(number):
    return f"{number:,}".replace(",", ".")


def blank(value):
    return value is None or (isinstance(value, str) and not value.strip())


class RowBudget:
    """The data rows one file may still bring, shared by its sheets."""

    def __init__(self, limit=None):
        self.limit = max_rows() if limit is None else limit
        self.left = self.limit

    def take(self):
        self.left -= 1
        if self.left < 0:
            raise ImportFileError(
                _(
                    "The file has more than %(limit)s rows of data, the most one import may bring. "
                    "Split it into files of at most %(limit)s rows and import them one after another."
                )
                % {"limit": thousands(self.limit)}
            )


def checked(number, cells):
    """The row's cells, refused past MAX_COLUMNS or MAX_CELL_CHARS."""
    cells = list(cells)
    if len(cells) > MAX_COLUMNS:
        if any(not blank(c) for c in cells[MAX_COLUMNS:]):
            raise ImportFileError(
                _("Row %(row)s has cells beyond column %(columns)s: an import sheet has at most %(columns)s columns.")
                % {"row": number, "columns": MAX_COLUMNS}
            )
        cells = cells[:MAX_COLUMNS]
    for index, cell in enumerate(cells):
        if isinstance(cell, str) and len(cell) > MAX_CELL_CHARS:
            raise ImportFileError(
                _("The cell in row %(row)s, column %(column)s holds more than %(chars)s characters.")
                % {"row": number, "column": index + 1, "chars": thousands(MAX_CELL_CHARS)}
            )
    return cells


def filled(cells):
    return sum(not blank(c) for c in cells)


def table(rows, title="", budget=None):
    """A Dataset of ``rows`` ((sheet row number, [cells]), read lazily), the
    headers being the first non-blank row with more than one cell: the rows of
    a single cell above it are title rows (an export's title, period, filters,
    date and office), up to ``MAX_TITLE_ROWS`` of them; a sheet of one column
    has its header first. Trailing blank rows and columns dropped. Each data
    row is taken from ``budget`` as it is read."""
    budget = budget if budget is not None else RowBudget()
    leading, header, data, width = [], None, [], 0
    for number, cells in rows:
        cells = checked(number, cells)
        if all(blank(c) for c in cells):
            continue
        width = max(width, max((i + 1 for i, c in enumerate(cells) if not blank(c)), default=0))
        if header is None:
            # Until the header is known, rows wait here (a few at most).
            leading.append((number, cells))
            if filled(cells) > 1:
                header = leading.pop()
            elif len(leading) > MAX_TITLE_ROWS:
                header, data = leading[0], leading[1:]
                for _row in data:
                    budget.take()
            continue
        budget.take()
        data.append((number, cells))
    if header is None:  # a sheet of one column (or nothing): its first row is the header
        if not leading:
            raise ImportFileError(_("The file is empty: it has no header row and no data."))
        header, data = leading[0], leading[1:]
        for _row in data:
            budget.take()
    _header_number, headers = header
    if not data:
        raise ImportFileError(_("The sheet has column headers but no rows of data below them."))
    dataset = tablib.Dataset(
        headers=[ROW_NUMBER, *[(h.strip() if isinstance(h, str) else h) for h in (headers + [None] * width)[:width]]]
    )
    for number, cells in data:
        dataset.append([number, *(cells + [None] * width)[:width]])
    dataset.title = title
    return dataset


def not_utf8_message():
    return _(
        "The CSV file is not in UTF-8, so its Vietnamese letters cannot be read. "
        "In Excel choose File → Save As → “CSV UTF-8 (Comma delimited)”, or import the XLSX file instead."
    )


def read_csv(data, budget=None):
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise ImportFileError(not_utf8_message()) from None
    first_line = text[: text.find("\n")] if "\n" in text else text
    # Excel set to Vietnamese writes ";" between cells (its decimal mark is the comma).
    delimiter = max([",", ";", "\t"], key=first_line.count)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    try:
        return table(enumerate(reader, start=1), budget=budget)
    except csv.Error:
        # A field longer than the csv module's limit, or a stray NUL.
        raise ImportFileError(_("The CSV file cannot be read: a cell is too long or holds odd characters.")) from None


def sheet_size(worksheet):
    """openpyxl's ReadOnlyWorksheet._get_size, stopping where the sheet's data begins.

    openpyxl looks for the <dimension> element with iterparse's "end" events and
    gives up at the end of <sheetData>: a sheet written without <dimension> is
    parsed whole before its first row is read (2.65 million rows: 14 s and
    200 MB, whatever the row limit). The dimension comes before the data, so
    looking at "start" events up to <sheetData> finds it or its absence at once."""
    from openpyxl.worksheet._reader import DATA_TAG, DIMENSION_TAG
    from openpyxl.worksheet.dimensions import SheetDimension
    from openpyxl.xml.functions import iterparse

    with worksheet._get_source() as source:
        for _event, element in iterparse(source, events=("start",)):
            if element.tag == DATA_TAG:
                return
            if element.tag == DIMENSION_TAG and element.get("ref"):
                dimensions = SheetDimension(ref=element.get("ref")).boundaries
                worksheet._min_column, worksheet._min_row, worksheet._max_column, worksheet._max_row = dimensions
                return


def read_xlsx(data, budget=None):
    import openpyxl
    from openpyxl.worksheet._read_only import ReadOnlyWorksheet

    ReadOnlyWorksheet._get_size = sheet_size
    budget = budget if budget is not None else RowBudget()
    try:
        workbook = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=False)
    except Exception:  # noqa: BLE001 - openpyxl raises many kinds on a damaged file
        raise ImportFileError(_("The workbook cannot be opened: it is damaged or not an XLSX file.")) from None
    try:
        sheets = []
        for worksheet in workbook.worksheets:
            # max_col: openpyxl pads each row to the sheet's stated width, which a
            # file may set to 16,384 columns; one past ours is enough to refuse it.
            rows = enumerate(worksheet.iter_rows(values_only=True, max_col=MAX_COLUMNS + 1), start=1)
            try:
                sheets.append(table(rows, title=worksheet.title, budget=budget))
            except ImportFileError as error:
                if budget.left < 0:
                    raise
                sheets.append(error)
    finally:
        workbook.close()
    first = sheets[0]
    if isinstance(first, ImportFileError):
        raise first
    # The other sheets (a project workbook's transactions), for resources that read them.
    first.sheets = [sheet for sheet in sheets if not isinstance(sheet, ImportFileError)]
    return first


def read_file(data, kind):
    """The Dataset of an import file of ``kind`` ("csv" or "xlsx")."""
    return read_xlsx(data) if kind == "xlsx" else read_csv(data)
