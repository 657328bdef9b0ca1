"""Rows of a large XLSX sheet, fast: XlsxWriter builds the workbook (styles,
column widths, frozen header, autofilter, the zip package) and this module
writes the sheet's data rows, a chunk at a time, straight into the row file
that XlsxWriter's ``constant_memory`` mode keeps for the sheet.

Why: XlsxWriter's cell methods cost several microseconds a cell (checks, a
tuple per cell, then per-cell XML escaping when the row is flushed); an export
of 100,000 rows of 22 columns spent a minute there. Here a whole column of a
chunk is escaped at once and each row is one string join, the same XML that
XlsxWriter writes for inline strings and numbers.

The coupling to XlsxWriter's internals is small and pinned by
tests/test_exports.py (the files are read back by openpyxl): the row file
(``row_data_fh``), ``previous_row`` and the dimensions (``dim_rowmax``).
"""

import re

EXCEL_MAX_TEXT = 32767
# Joins a column's cells for checks over the whole column at once. Printable, so
# that str.isprintable() can clear a whole column; text that holds it is caught
# by counting and takes the careful way.
SEPARATOR = "\u2400"
# Plain searches: a regular expression over a column of Vietnamese text costs ten times more.
# (Tabs and line breaks fail isprintable() already.)
EDGE_SPACES = (f"{SEPARATOR} ", f" {SEPARATOR}")
CONTROL_ESCAPED = re.compile("(_x[0-9a-fA-F]{4}_)")
CONTROL = re.compile(r"([\x00-\x08\x0b-\x1f])")


def xml_escape(text):
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def plain_column(values, joined):
    """Whether every cell of the column can go into <t> as it is, once escaped:
    no control characters or line breaks (isprintable), nothing that reads as
    XlsxWriter's _xHHHH_ escape, no white space to keep at either end, and no
    text longer than a cell holds."""
    return (
        joined.count(SEPARATOR) == len(values) - 1
        and joined.isprintable()
        and "_x" not in joined
        and not (joined[:1].isspace() or joined[-1:].isspace())
        and not any(edge in joined for edge in EDGE_SPACES)
        and not (len(joined) > EXCEL_MAX_TEXT and max(map(len, values)) > EXCEL_MAX_TEXT)
    )


def careful_text(text):
    """One cell's <t> element, the exact way: as XlsxWriter escapes text."""
    text = text[:EXCEL_MAX_TEXT]
    if not text.isprintable() or "_x" in text:
        text = CONTROL.sub(lambda m: f"_x{ord(m.group(1)):04X}_", CONTROL_ESCAPED.sub(r"_x005F\1", text))
    text = xml_escape(text)
    if text != text.strip():
        return f'<t xml:space="preserve">{text}</t>'
    return f"<t>{text}</t>"


def column_letter(index):
    letters = ""
    index += 1
    while index:
        index, remainder = divmod(index - 1, 26)
        letters = chr(65 + remainder) + letters
    return letters


class FastRows:
    """Appends data rows below the header of an XlsxWriter constant_memory sheet.

    ``kinds`` says per column whether its cells are "text" (inline strings) or
    "number" (numbers, including date serials), ``styles`` the xf index of each
    column's format (None for none)."""

    def __init__(self, worksheet, kinds, styles):
        self.worksheet = worksheet
        self.kinds = kinds
        self.prefixes = []
        for index, style in enumerate(styles):
            s = f' s="{style}"' if style else ""
            self.prefixes.append((f'<c r="{column_letter(index)}', s))

    def start(self):
        """Flushes the header row that XlsxWriter still holds, then rows are ours."""
        worksheet = self.worksheet
        worksheet._write_single_row(1)
        self.next_row = 1  # zero-based, as XlsxWriter counts

    def write(self, columns):
        """Writes one chunk: ``columns`` holds, per column, the chunk's cell values
        (str for text, already neutralised; int/float/Decimal for numbers; None or
        "" for a blank)."""
        count = len(columns[0]) if columns else 0
        if not count:
            return
        first = self.next_row + 1  # Excel's row numbers are one-based
        numbers = range(first, first + count)
        cells = [
            self.text_cells(values, numbers, prefix) if kind == "text" else self.number_cells(values, numbers, prefix)
            for kind, values, prefix in zip(self.kinds, columns, self.prefixes, strict=True)
        ]
        rows = map("".join, zip(*cells, strict=True))
        self.worksheet.row_data_fh.write(
            "".join([f'<row r="{n}">{row}</row>' for n, row in zip(numbers, rows, strict=True)])
        )
        self.next_row += count
        worksheet = self.worksheet
        worksheet.previous_row = self.next_row
        worksheet.dim_rowmax = self.next_row - 1

    @staticmethod
    def text_cells(values, numbers, prefix):
        start, style = prefix
        joined = SEPARATOR.join(values)
        if plain_column(values, joined):
            if "&" in joined or "<" in joined or ">" in joined:
                values = xml_escape(joined).split(SEPARATOR)
            return [
                f'{start}{n}"{style} t="inlineStr"><is><t>{v}</t></is></c>' if v else ""
                for n, v in zip(numbers, values, strict=True)
            ]
        return [
            f'{start}{n}"{style} t="inlineStr"><is>{careful_text(v)}</is></c>' if v else ""
            for n, v in zip(numbers, values, strict=True)
        ]

    @staticmethod
    def number_cells(values, numbers, prefix):
        start, style = prefix
        return [
            "" if v is None or v == "" else f'{start}{n}"{style}><v>{v}</v></c>'
            for n, v in zip(numbers, values, strict=True)
        ]

    def finish(self):
        return self.next_row
