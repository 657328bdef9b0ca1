"""Where an office list's header row is, and which rows under it are data.

An office's list has a title above its header row (merged across the sheet),
may number its columns under it, splits its rows into sections ("I. ĐOÀN RA")
with subtotals, ends on a total and a signature block. These functions tell
those rows apart from the data, so that each skipped row can be shown with
its reason.
"""

import datetime
import re

from django.utils.translation import gettext as _

from lang_son_affairs.lib.import_reading import blank
from lang_son_affairs.lib.import_rows import ImportFileError
from lang_son_affairs.lib.text import fold


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


def body_rows(sheet, header_index):
    """(data rows, skipped rows with the reason) below the header row."""
    _header_number, header = sheet.rows[header_index]
    width = sum(1 for cell in header if not blank(cell))
    data, skipped = [], []
    for position, (number, cells) in enumerate(sheet.rows[header_index + 1 :]):
        if is_blank_row(cells):
            skipped.append((number, _("blank row")))
        elif position == 0 and is_numbering_row(cells):
            skipped.append((number, _("column numbering under the header")))
        elif is_total_row(cells):
            skipped.append((number, _("total row")))
        elif data and is_footer_row(cells):
            for footer_number, _cells in sheet.rows[header_index + 1 + position :]:
                skipped.append((footer_number, _("signature block below the list")))
            break
        elif (section := section_text(cells, width)) is not None:
            skipped.append((number, _("section heading: %(text)s") % {"text": section}))
        else:
            data.append((number, cells))
    return data, skipped
