"""Blank templates: the list an office keeps, in the layout offices use, for an
office that has none yet (issue 15, item 7).

Sheet 1 is the list: a title merged across the columns, a blank row, then the
headings on row 3 ("STT" first, then the first heading offices give each
target of the kind, fields.py order), and one example row in grey italics
whose STT cell says "Ví dụ": the office import reads these headings back
(``fields.target_for``) and skips the example row, saying so, when the clerk
leaves it in (header_rows.is_example_row). Sheet 2,
"Hướng dẫn", says for each column what it holds, the forms a cell may take
and whether it is required.

A target that another one covers is left out: the head's name and position
are one column ("Ông Hoàng Văn Minh, Phó Giám đốc Sở Công Thương"), the start
and end one column of dates ("11-16/6/2023"), the expiry one of the term.
"""

import io

import xlsxwriter
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from common.tabular import NO, YES
from register.import_headers import required_columns
from register.office_import import fields

TITLES = {
    "delegations": gettext_lazy("LIST OF OUTBOUND AND INBOUND DELEGATIONS"),
    "agreements": gettext_lazy("LIST OF INTERNATIONAL AGREEMENTS"),
    "projects": gettext_lazy("LIST OF PROJECTS"),
    "partners": gettext_lazy("LIST OF PARTNERS"),
    "twinnings": gettext_lazy("LIST OF TWINNING PAIRS"),
}

# The forms a cell may take, by the target's reader (choices are read from the model).
FORMS = {
    "dates": gettext_lazy("11/6/2023, 11-16/6/2023, từ 11/6 đến 16/6/2023, tháng 9/2023, Quý III/2023, 2018"),
    "date": gettext_lazy("11/6/2023, tháng 9/2023, Quý III/2023, 2018"),
    "term": gettext_lazy("3 năm, 05 năm kể từ ngày ký, không thời hạn, đến 31/12/2025"),
    "person": gettext_lazy("Ông Hoàng Văn Minh, Phó Giám đốc Sở Công Thương"),
    "places": gettext_lazy("Trung Quốc (Quảng Tây); Lào (tỉnh Luông Pha Băng)"),
    "count": gettext_lazy("A whole number: 5"),
    "amount": gettext_lazy("An amount with its currency: 2.500.000 USD, 134.525.000.000 đồng"),
    "name": gettext_lazy("The name as the register writes it: Sở Công Thương"),
    "text": gettext_lazy("Free text"),
    "notes": gettext_lazy("Free text, added to the notes under this heading"),
}

# The example row: what a clerk would type, by target key. A choice target's
# example is a choice's code, written as its Vietnamese label; a target not
# listed stays blank.
EXAMPLES = {
    "delegations": {
        "title": "Đoàn công tác của Sở Công Thương làm việc tại Quảng Tây",
        "direction": "out",
        "leader": "Ông Hoàng Văn Minh, Phó Giám đốc Sở Công Thương",
        "size": "5",
        "partners": "Trung Quốc (Quảng Tây)",
        "dates": "11-16/6/2023",
        "purpose": "working_visit",
        "level": "department",
        "host_unit": "Sở Công Thương",
        "places": "Nam Ninh, Bằng Tường",
        "funding": "state_budget",
        "status": "completed",
        "notes": "Trao đổi về xúc tiến thương mại qua cửa khẩu",
    },
    "agreements": {
        "code": "01/2023/TTQT",
        "title": "Bản ghi nhớ hợp tác thương mại giữa Sở Công Thương và Sở Thương mại Quảng Tây",
        "kind": "mou",
        "regime": "law_70_2020",
        "signing_level": "department",
        "local_signatory": "Sở Công Thương",
        "partners": "Trung Quốc (Quảng Tây)",
        "signed_on": "15/6/2023",
        "signed_place": "Nam Ninh",
        "term": "3 năm",
        "status": "in_force",
        "notes": "Hợp tác xúc tiến thương mại, hội chợ",
    },
    "projects": {
        "code": "DA-01",
        "title": "Dự án cấp nước sinh hoạt cho các xã biên giới",
        "kind": "ngo",
        "status": 2,
        "participants_1": "Tổ chức Tầm nhìn Thế giới",
        "dates": "từ 01/3/2023 đến 31/12/2025",
        "committed_amount": "250.000 USD",
        "notes": "Huyện Cao Lộc, huyện Văn Lãng",
    },
    "partners": {
        "name": "Bằng Tường",
        "name_en": "Pingxiang",
        "name_native": "凭祥",
        "kind": "county",
        "country": "CN",
        "parent": "Quảng Tây",
    },
    "twinnings": {
        "local_unit": "Huyện Cao Lộc",
        "partner": "Trung Quốc (Bằng Tường)",
        "kind": "district_pair",
        "established_on": "2015",
    },
}

LEFT_OUT = {"id", "version", fields.IGNORE}
EXAMPLE_MARK = "Ví dụ"  # in the STT cell of the example row: the import skips the row (header_rows.EXAMPLE_WORDS)
GUIDE_WIDTHS = (30, 40, 60, 12)  # heading, what it holds, how to write it, required
LINE_HEIGHT = 16  # points, a line of 12-point text
WIDTHS = {"person": 40, "places": 30, "dates": 20, "term": 20, "amount": 20, "notes": 40, "count": 10}


def template_targets(kind):
    """The targets of the template's columns: each target but the record number,
    the version, "ignore", and those another target covers (its writes are
    within the other's; of two that write the same, the first)."""
    chosen = []
    for index, target in enumerate(kind.targets):
        if target.key in LEFT_OUT or not target.writes:
            continue
        writes = set(target.writes)
        covered = any(
            writes < set(other.writes) or (writes == set(other.writes) and position < index)
            for position, other in enumerate(kind.targets)
            if other is not target and other.key not in LEFT_OUT
        )
        if not covered:
            chosen.append(target)
    return chosen


def template_headings(kind_key):
    """The headings of the template's row 3: "STT", then one per target."""
    return [fields.STT[0], *(target.headings[0] for target in template_targets(fields.KINDS[kind_key]))]


def _choices(kind):
    """{target key: [(value, Vietnamese label)]} of the kind's choice targets, from the model."""
    columns = {column.key: column for column in fields.register_columns(kind)}
    with translation.override("vi"):
        return {
            target.key: [(value, str(label)) for value, label in columns[target.column].choices]
            for target in kind.targets
            if target.reader == "choice" and target.column in columns
        }


def _required(kind):
    """The keys of the targets a new record cannot do without."""
    needed = {column.key for column in required_columns(fields.register_columns(kind))}
    return {target.key for target in kind.targets if needed & set(target.writes)}


def _example(kind, target, choices):
    value = EXAMPLES.get(kind.key, {}).get(target.key, "")
    if target.key in choices:
        labels = dict(choices[target.key])
        return labels.get(value, choices[target.key][0][1] if choices[target.key] else "")
    return value


def _width(kind, target):
    columns = {column.key: column for column in fields.register_columns(kind)}
    column = columns.get(target.column)
    width = WIDTHS.get(target.reader) or (column.width if column else 24)
    return max(12, min(width, 40))


def _height(texts, widths, at_least=1):
    """The height of a row of wrapped ``texts`` in columns of ``widths`` characters:
    XlsxWriter does not fit a row to its text, and Excel and LibreOffice keep the
    height a file gives. A line holds about nine tenths of the width's characters."""
    lines = (-(-len(str(text)) * 11 // (width * 10)) for text, width in zip(texts, widths, strict=True))
    return LINE_HEIGHT * max(at_least, *lines)


def template_workbook(kind_key: str) -> bytes:
    """The blank template of ``kind_key`` (a key of fields.KINDS) as .xlsx bytes."""
    kind = fields.KINDS[kind_key]
    buffer = io.BytesIO()
    workbook = xlsxwriter.Workbook(buffer, {"in_memory": True})
    base = {"font_name": "Times New Roman", "font_size": 12, "valign": "vcenter"}
    grey = {**base, "italic": True, "font_color": "#808080", "border": 1, "valign": "top"}
    formats = {
        "title": workbook.add_format({**base, "bold": True, "font_size": 14, "align": "center"}),
        "heading": workbook.add_format({**base, "bold": True, "text_wrap": True, "align": "center", "border": 1}),
        "number": workbook.add_format({**grey, "align": "center"}),
        "example": workbook.add_format({**grey, "text_wrap": True}),
        "cell": workbook.add_format({**base, "text_wrap": True, "valign": "top", "border": 1}),
        "note": workbook.add_format({**base, "italic": True}),
    }
    targets, choices = template_targets(kind), _choices(kind)
    _write_list(workbook.add_worksheet(_("List")), kind, targets, choices, formats)
    _write_guide(workbook.add_worksheet(_("Guide")), kind, targets, choices, formats)
    workbook.close()
    return buffer.getvalue()


def _print_setup(sheet):
    sheet.freeze_panes(3, 0)  # below the headings
    sheet.set_landscape()
    sheet.set_paper(9)  # A4
    sheet.fit_to_pages(1, 0)  # as wide as the page, as many pages long as it takes
    sheet.repeat_rows(2)


def _write_list(sheet, kind, targets, choices, formats):
    """The title on row 1, the headings on row 3, the example on row 4."""
    headings = template_headings(kind.key)
    examples = [_example(kind, target, choices) for target in targets]
    widths = [_width(kind, target) for target in targets]
    sheet.merge_range(0, 0, 0, len(targets), str(TITLES[kind.key]), formats["title"])
    sheet.set_row(0, 24)
    sheet.write_row(2, 0, headings, formats["heading"])
    sheet.set_row(2, _height(headings[1:], widths, at_least=2))
    sheet.write(3, 0, EXAMPLE_MARK, formats["number"])
    sheet.write_row(3, 1, examples, formats["example"])
    sheet.set_row(3, _height(examples, widths))
    sheet.set_column(0, 0, 7)  # "Ví dụ" on the example row
    for number, width in enumerate(widths, start=1):
        sheet.set_column(number, number, width)
    _print_setup(sheet)


def _write_guide(sheet, kind, targets, choices, formats):
    """A row per column of the list: its heading, what it holds, how to write it, whether required."""
    required = _required(kind)
    sheet.merge_range(0, 0, 0, len(GUIDE_WIDTHS) - 1, _("How to fill in the list"), formats["title"])
    sheet.write(
        1,
        0,
        _(
            "Row 4 of the list, in grey italics and marked “Ví dụ”, is an example: it is not imported. "
            "Write your rows from row 5, or over it with the row's number in place of “Ví dụ”."
        ),
        formats["note"],
    )
    sheet.write_row(2, 0, [_("Column"), _("What it holds"), _("How to write it"), _("Required")], formats["heading"])
    for row, target in enumerate(targets, start=3):
        if target.key in choices:
            forms = "; ".join(label for _value, label in choices[target.key])
        else:
            forms = str(FORMS.get(target.reader, ""))
        texts = [target.headings[0], str(target.label), forms, str(YES if target.key in required else NO)]
        sheet.write_row(row, 0, texts, formats["cell"])
        sheet.set_row(row, _height(texts, GUIDE_WIDTHS))
    for number, width in enumerate(GUIDE_WIDTHS):
        sheet.set_column(number, number, width)
    _print_setup(sheet)
