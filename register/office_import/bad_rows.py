"""The bad rows of an office's list given back as a workbook to correct and import again.

The file's own layout: its title rows where the file has them, its header row (or two),
then the bad rows as written, with a last column ("Lỗi cần sửa") saying what is wrong and
in which cell. Imported again, that column is ignored (plans.is_error_heading).
"""

import io

from django.utils.translation import gettext as _

from register.office_import.plans import blank, letter_of

MAX_BLANK_ROWS = 3  # between them, given back as blank rows


def bad_rows_workbook(plan, data, file_name):
    """The bad rows in the file's own layout: its title rows, each where the file has it
    (blank rows between them kept, three at most), its header row (or two rows), then the
    bad rows as written, with a last column ("Lỗi cần sửa") saying what is wrong and where."""
    import openpyxl
    from openpyxl.styles import Alignment, Font
    from openpyxl.utils import range_boundaries

    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.title = plan.sheet[:31] or "Sheet1"
    width = len(plan.columns)
    where, position, previous = {}, 0, 0
    for number, cells in [*plan.title_rows, *plan.header_rows]:
        position += 1 + min(max(number - previous - 1, 0), MAX_BLANK_ROWS)
        where[number], previous = position, number
        for index, value in enumerate(cells):
            put(sheet, position, index + 1, value)
    for text in plan.merged:
        first_column, first_row, last_column, last_row = range_boundaries(text)
        sheet.merge_cells(
            start_row=where[first_row], start_column=first_column, end_row=where[last_row], end_column=last_column
        )
    header = [where[number] for number, _cells in plan.header_rows]
    error_row = header[0]
    if len(plan.header_rows) > 1:  # on the row of the headings that are no parent (the first column's)
        upper, lower = (cells for _number, cells in plan.header_rows)
        first = next((i for i in range(width) if not blank(cell_at(upper, i)) or not blank(cell_at(lower, i))), 0)
        if blank(cell_at(upper, first)):
            error_row = header[-1]
        else:
            sheet.merge_cells(start_row=header[0], start_column=width + 1, end_row=header[-1], end_column=width + 1)
    put(sheet, error_row, width + 1, _("Errors to correct"))
    for number in header:
        for cell_ in sheet[number]:
            cell_.font = Font(bold=True)
    position = header[-1]
    for row in plan.bad_rows():
        position += 1
        for index, value in enumerate(row.cells[:width]):
            put(sheet, position, index + 1, value)
        messages = "; ".join(
            f"{letter}{row.number}: {message}" if letter else f"{message}" for letter, message in row.errors
        )
        put(
            sheet,
            position,
            width + 1,
            _("Row %(row)s of the original file: %(errors)s") % {"row": row.number, "errors": messages},
        ).alignment = Alignment(wrap_text=True)
    sheet.column_dimensions[letter_of(width)].width = 80
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def cell_at(cells, index):
    return cells[index] if index < len(cells) else None


def put(sheet, row, column, value):
    """A cell written as the file had it: a text starting with "=" stays text, not a formula."""
    cell_ = sheet.cell(row=row, column=column, value=value)
    if isinstance(value, str) and value.startswith("="):
        cell_.data_type = "s"
    return cell_
