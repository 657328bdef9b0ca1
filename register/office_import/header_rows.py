"""Where an office list's header row is, and which rows under it are data.

An office's list has a title above its header row (merged across the sheet),
may number its columns under it, splits its rows into sections ("I. ĐOÀN RA")
with subtotals, ends on a total and a signature block. These functions tell
those rows apart from the data, so that each skipped row can be shown with
its reason.

Its headings may take two rows: a heading merged across several columns
("Thời gian") over the sub-headings that split it ("Từ ngày", "Đến ngày").
header_rows joins them ("Thời gian – Từ ngày") so that the mapping knows
what each column is (fields.py reads such a pair).
"""

import datetime
import re
from dataclasses import dataclass

from django.utils.translation import gettext as _
from openpyxl.utils.cell import range_boundaries

from common.text import fold
from register.import_reading import blank
from register.import_rows import ImportFileError


def is_blank_row(cells):
    return all(blank(cell) for cell in cells)


def is_text(cell):
    return isinstance(cell, str) and not blank(cell)


def is_number_or_date(cell):
    return (
        not isinstance(cell, bool)
        and isinstance(cell, (int, float, datetime.date))
        or (isinstance(cell, str) and bool(NUMBER.fullmatch(cell.strip())))
    )


NUMBER = re.compile(r"\(?\d+([.,]\d+)?\)?")


def find_header(sheet, known, *, scan_rows=30):
    """The index in sheet.rows of the header row: among the first ``scan_rows``
    non-blank rows, the one with most cells ``known`` recognises (at least 2; the
    earliest on a tie), else the first with at least 3 text cells and no number
    or date."""
    candidates = [(index, cells) for index, (_number, cells) in enumerate(sheet.rows) if not is_blank_row(cells)]
    candidates = candidates[:scan_rows]
    best, best_score = None, 1
    for index, cells in candidates:
        score = sum(1 for cell in cells if is_text(cell) and known(cell))
        if score > best_score:
            best, best_score = index, score
    if best is not None:
        return best
    for index, cells in candidates:
        if sum(1 for cell in cells if is_text(cell)) >= 3 and not any(is_number_or_date(c) for c in cells):
            return index
    raise ImportFileError(
        _(
            "No header row was found in the first %(rows)s rows of sheet “%(sheet)s”. The header row is the row "
            "that names each column (STT, Họ tên, Thời gian...). Choose the header row yourself."
        )
        % {"rows": scan_rows, "sheet": sheet.title}
    )


TOTAL_WORDS = {"tong cong", "tong", "cong", "tong so", "total", "sum", "grand total", "subtotal", "cong tong"}
FOOTER = re.compile(
    r"^(nguoi lap (bieu|bang)|.{0,40}, ngay\b.*\bthang\b.*\bnam\b|(kt\.?|tl\.?|tm\.?|q\.?)\s*(giam doc|truong|chu tich)"
    r"|giam doc|pho giam doc|noi nhan|thu truong( don vi)?|xac nhan|ky ten|(ky,? )?(ghi ro )?ho ten)"
)
SECTION = re.compile(r"^([ivxlcdm]+|[a-z]|\d+)[.)]\s+\S")


def folded_text(cell):
    return fold(cell) if isinstance(cell, str) else ""


def is_numbering_row(cells):
    """'1 2 3 4 ...' or '(1) (2) (3)' under the header."""
    filled = [c for c in cells if not blank(c)]
    if len(filled) < 2:
        return False
    numbers = []
    for cell in filled:
        text = str(cell).strip() if not isinstance(cell, float) else str(int(cell)) if cell.is_integer() else "x"
        match = re.fullmatch(r"\(?(\d+)\)?", text)
        if not match:
            return False
        numbers.append(int(match.group(1)))
    return numbers == list(range(numbers[0], numbers[0] + len(numbers)))


def is_total_row(cells):
    return any(
        folded_text(cell).rstrip(":. ") in TOTAL_WORDS or folded_text(cell).startswith(("tong cong", "cong:", "tong:"))
        for cell in cells[:3]
    )


def is_footer_row(cells):
    return any(FOOTER.match(folded_text(cell)) for cell in cells)


def section_text(cells, width):
    """The text of a section row (one or two leading cells filled, like "I. ĐOÀN RA"), or None."""
    filled = [index for index, cell in enumerate(cells) if not blank(cell)]
    if not filled or len(filled) > 2 or filled[-1] > 1 or width < 4:
        return None
    texts = [str(cells[index]).strip() for index in filled]
    joined = " ".join(texts)
    if not any(isinstance(cells[index], str) for index in filled):
        return None
    if SECTION.match(fold(joined)) or len(filled) == 1 or joined.isupper():
        return joined
    return None


EXAMPLE_WORDS = {"vi du", "vd", "example", "e g"}


def is_example_row(cells):
    """The example row of a template, marked "Ví dụ" in its first cell (blank.py writes it so)."""
    first = next((cell for cell in cells if not blank(cell)), None)
    return " ".join(re.sub(r"[^\w]+", " ", folded_text(first)).split()) in EXAMPLE_WORDS


def body_rows(sheet, header):
    """(data rows, skipped rows with the reason) below the header: a Header
    (header_rows), or the index in sheet.rows of a header on one row."""
    if isinstance(header, int):
        header = Header(header, header, header, sheet.rows[header][1])
    width = sum(1 for cell in header.cells if not blank(cell))
    data, skipped = [], []
    if header.first != header.last:
        other = header.first if header.found == header.last else header.last
        skipped.append(
            (
                sheet.rows[other][0],
                _("part of the headings, joined to those of row %(row)s") % {"row": sheet.rows[header.found][0]},
            )
        )
    for position, (number, cells) in enumerate(sheet.rows[header.last + 1 :]):
        if is_blank_row(cells):
            skipped.append((number, _("blank row")))
        elif position == 0 and is_numbering_row(cells):
            skipped.append((number, _("column numbering under the header")))
        elif is_example_row(cells):
            skipped.append((number, _("example row of the template (marked “Ví dụ”)")))
        elif is_total_row(cells):
            skipped.append((number, _("total row")))
        elif data and is_footer_row(cells):
            for footer_number, _cells in sheet.rows[header.last + 1 + position :]:
                skipped.append((footer_number, _("signature block below the list")))
            break
        elif (section := section_text(cells, width)) is not None:
            skipped.append((number, _("section heading: %(text)s") % {"text": section}))
        else:
            data.append((number, cells))
    return data, skipped


# Headings on two rows

SEPARATOR = " – "  # between a heading and the sub-heading under it: "Thời gian – Từ ngày"


@dataclass
class Header:
    first: int  # index in sheet.rows of the header's first row
    last: int  # of its last row: first + 1 for headings on two rows
    found: int  # of the row find_header found (or the clerk chose)
    cells: list  # the headings, a parent joined to each sub-heading under it


def header_rows(sheet, index, belongs=None):
    """The header whose row is at ``index`` in sheet.rows, with the row just
    above or below it when that row completes it: a row of headings merged
    across several columns over a row of sub-headings.

    A merged heading shows in its first column only, the columns it covers
    blank (openpyxl's read-only mode, xlrd, CSV); the .ods reader gives the
    merged ranges and they are used where the upper row has some. Otherwise
    a parent heading covers the blank cells to its right as far as the row
    under it has sub-headings, and as long as ``belongs(parent, sub-heading)``
    (a sub-heading of its own meaning, "Ghi chú" next to "Từ ngày | Đến ngày",
    is not part of "Thời gian"). Which two rows make the header depends on
    the rows alone, so the same file gives the same headings each time."""
    rows = sheet.rows
    for upper, lower in ((index, index + 1), (index - 1, index)):
        if upper < 0 or lower >= len(rows) or rows[lower][0] != rows[upper][0] + 1:
            continue
        spans = merged_spans(sheet, rows[upper][0])
        cells = joined_headings(rows[upper][1], rows[lower][1], spans, belongs, lower_found=lower == index)
        if cells is not None:
            return Header(upper, lower, index, cells)
    return Header(index, index, index, list(rows[index][1]))


def merged_spans(sheet, number):
    """{first column: last column} of the cells merged across columns on row ``number`` (0-based columns)."""
    spans = {}
    for text in sheet.merged:
        first_column, first_row, last_column, last_row = range_boundaries(text)
        if first_row == last_row == number and last_column > first_column:
            spans[first_column - 1] = last_column - 1
    return spans


def is_heading_cell(cell):
    return is_text(cell) and not is_number_or_date(cell) and ":" not in cell


def joined_headings(upper, lower, merged, belongs, *, lower_found):
    """The headings of two rows read as one header, or None when they are not one.

    They are when both rows hold headings only (text, no number, date or
    "Đơn vị tính: USD"), some heading of the upper row spans two columns or
    more of sub-headings, and none is a title (a span starting the header and
    covering most of it, or the row's one cell in capitals). Either every
    sub-heading lies under a parent (the other headings, merged down both
    rows, show on the upper row), or, the lower row being the one found,
    every upper heading is a parent (the other headings are on the lower row:
    there a parent stops before a sub-heading that does not belong to it)."""
    width = max(len(upper), len(lower))
    upper = [*upper, *[None] * (width - len(upper))]
    lower = [*lower, *[None] * (width - len(lower))]
    if not all(is_heading_cell(cell) for cell in upper + lower if not blank(cell)):
        return None
    filled = [cell for cell in upper if not blank(cell)]
    if len(filled) == 1 and str(filled[0]).isupper() and len(str(filled[0]).split()) > 1:
        return None  # "DANH SÁCH ĐOÀN RA NĂM 2023", wherever it was typed
    headed = [column for column in range(width) if not blank(upper[column]) or not blank(lower[column])]
    for only_sub_headings_below in (True, False) if lower_found else (True,):
        spans = heading_spans(upper, lower, merged, None if only_sub_headings_below else belongs)
        parents = {start: end for start, end in spans.items() if end > start}
        if not parents or any(
            start == headed[0] and (end - start + 1) * 2 > len(headed) or start <= headed[0] and end >= headed[-1]
            for start, end in parents.items()
        ):
            continue
        under = {column: start for start, end in parents.items() for column in range(start, end + 1)}
        if only_sub_headings_below:
            fits = all(column in under for column in range(width) if not blank(lower[column]))
        else:
            fits = all(column in spans for column in range(width) if not blank(upper[column]))
        if fits:
            return [joined_heading(upper[under.get(column, column)], lower[column]) for column in range(width)]
    return None


def heading_spans(upper, lower, merged, belongs):
    """{first column: last column} of each upper heading over sub-headings (one column or more)."""
    spans = {}
    width = len(upper)
    for column in range(width):
        if blank(upper[column]) or blank(lower[column]):
            continue
        if merged:  # the row's merged cells tell the spans
            end = merged.get(column, column)
        else:
            end = column
            while (
                end + 1 < width
                and blank(upper[end + 1])
                and not blank(lower[end + 1])
                and (belongs is None or belongs(str(upper[column]).strip(), str(lower[end + 1]).strip()))
            ):
                end += 1
        spans[column] = min(end, width - 1)
    return spans


def joined_heading(parent, child):
    parts = [str(cell).strip() for cell in (parent, child) if not blank(cell)]
    return SEPARATOR.join(parts) or None
