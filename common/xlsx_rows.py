"""Rows of a large XLSX sheet, fast: XlsxWriter builds the workbook (styles,
column widths, frozen header, autofilter, the zip package) and this module
writes the sheet's data rows, a chunk at a time, straight into the row file
that XlsxWriter's ``constant_memory`` mode keeps for the sheet.

Why: XlsxWriter's cell methods cost several microseconds a cell (checks, a
tuple per cell, then per-cell XML escaping when the row is flushed); an export
of 100,000 rows of 22 columns spent half a minute there. Here a whole column of
a chunk is checked and escaped at once, a cell whose value repeats (a label, a
date, a unit's name) is looked up ready-made, and each row is one string join.

The XML is what XlsxWriter writes for inline strings, shared strings (for
columns of few distinct texts, through the workbook's own table) and numbers,
except that data cells leave out their ``r`` reference: the schema makes it optional, the
cell then sits in the next column, and every column of a row is written (an
empty ``<c/>`` for a blank). Excel, LibreOffice and openpyxl read it so.

The coupling to XlsxWriter's internals is small and pinned by
tests/test_exports.py (the files are read back by openpyxl): the row file
(``row_data_fh``), ``_write_single_row()``, ``previous_row``, the dimensions
(``dim_rowmax``) and the shared string table (``str_table``).
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


BLANK = "<c/>"
TEXT_OPEN, TEXT_CLOSE = '<c t="inlineStr"><is><t>', "</t></is></c>"
TEXT_BETWEEN = TEXT_CLOSE + SEPARATOR + TEXT_OPEN
TEXT_EMPTY = TEXT_OPEN + TEXT_CLOSE
ROW_OPEN, ROW_CLOSE = '<row r="%d">', "</row>"
CACHE_LIMIT = 20000  # distinct values kept per column: memory stays bounded whatever the rows


class Fragments(dict):
    """value -> its ready cell XML, for a column whose values repeat."""

    def __init__(self, make):
        super().__init__()
        self.make = make

    def __missing__(self, value):
        if len(self) >= CACHE_LIMIT:
            self.clear()
        fragment = self[value] = self.make(value)
        return fragment


class FastRows:
    """Appends data rows below the header of an XlsxWriter constant_memory sheet.

    ``kinds`` says per column how its cells are written: "text" (inline strings),
    "number" (numbers, date serials included), "repeated text" (shared strings,
    for labels and units' names) or "repeated number" (dates, sizes): cells of
    repeated values are made once per value. ``styles`` holds each column's xf index
    (None for none)."""

    def __init__(self, worksheet, kinds, styles, labels=None):
        self.worksheet = worksheet
        self.writers = []
        for kind, style, named in zip(kinds, styles, labels or [None] * len(kinds), strict=True):
            s = f' s="{style}"' if style else ""
            if kind == "text":
                self.writers.append(self.text_cells)
            elif kind == "repeated text":
                self.writers.append(self.shared_strings(worksheet.str_table, named))
            else:
                number = self.number_maker(s)
                if kind == "repeated number":
                    fragments = Fragments(number)
                    self.writers.append(lambda values, fragments=fragments: list(map(fragments.__getitem__, values)))
                else:
                    self.writers.append(self.number_cells(s, number))

    @staticmethod
    def number_cells(style, number):
        """Cells of a column of mostly distinct numbers (record numbers, amounts):
        made by one join over the column where no cell is blank."""
        start = f"<c{style}><v>"
        between = "</v></c>" + SEPARATOR + start

        def cells(values):
            if None in values or "" in values:
                return list(map(number, values))
            return (start + between.join(map(str, values)) + "</v></c>").split(SEPARATOR)

        return cells

    @staticmethod
    def shared_strings(table, labels=None):
        """Cells of a column of few distinct texts (labels, units' names): each text
        goes once into the workbook's shared string table, which XlsxWriter writes
        (and escapes) at the end, and a cell is its index. The table holds the
        distinct texts only, so it stays small whatever the rows. With ``labels``
        (code -> label), the column holds codes: a code's cell is made once."""

        def make(text):
            if labels is not None:
                text = labels[text]
            if not text:
                return BLANK
            index = table._get_shared_string_index(text[:EXCEL_MAX_TEXT])
            table.count -= 1  # counted below with the other uses
            return f'<c t="s"><v>{index}</v></c>'

        fragments = Fragments(make)

        def cells(values):
            cells = list(map(fragments.__getitem__, values))
            table.count += len(cells) - cells.count(BLANK)
            return cells

        return cells

    @staticmethod
    def number_maker(style):
        def number(value):
            return BLANK if value is None or value == "" else f"<c{style}><v>{value}</v></c>"

        return number

    def start(self, first_row=1):
        """Flushes the header row that XlsxWriter still holds (the row above
        ``first_row``, zero-based), then rows are ours."""
        self.worksheet._write_single_row(first_row)
        self.next_row = first_row  # zero-based, as XlsxWriter counts

    def write(self, columns):
        """Writes one chunk: ``columns`` holds, per column, the chunk's cell values
        (str for text, already neutralised; int/float/Decimal for numbers; None or
        "" for a blank).

        The chunk is one join over a list that holds, row after row, the row's
        opening tag, its cells and its closing tag, filled a column at a time by
        slice assignment: no Python work, tuple or string per row."""
        count = len(columns[0]) if columns else 0
        if not count:
            return
        first = self.next_row + 1  # Excel's row numbers are one-based
        width = len(columns) + 2
        pieces = [ROW_CLOSE] * (count * width)
        pieces[::width] = map(ROW_OPEN.__mod__, range(first, first + count))
        for offset, (write, values) in enumerate(zip(self.writers, columns, strict=True), start=1):
            pieces[offset::width] = write(values)  # (a column of another length raises ValueError)
        self.worksheet.row_data_fh.write("".join(pieces))
        self.next_row += count
        self.worksheet.previous_row = self.next_row
        self.worksheet.dim_rowmax = self.next_row - 1

    @staticmethod
    def text_cells(values):
        joined = SEPARATOR.join(values)
        if plain_column(values, joined):
            # The whole column's cells by replacements over its joined text; an
            # empty string's cell, which no escaped text can hold, becomes a blank.
            if "&" in joined or "<" in joined or ">" in joined:
                joined = xml_escape(joined)
            cells = TEXT_OPEN + joined.replace(SEPARATOR, TEXT_BETWEEN) + TEXT_CLOSE
            return cells.replace(TEXT_EMPTY, BLANK).split(SEPARATOR)
        return [f'<c t="inlineStr"><is>{careful_text(v)}</is></c>' if v else BLANK for v in values]
