"""The periodic report as a Word document in the administrative form of Nghị
định 30/2020/NĐ-CP (common/docx_layout.py, common/docx_parts.py): the heading,
the number, the title, the narrative sections numbered I., II., ... with the
comparison table and the breakdowns in the results, the recipients beside the
signature block, then each annex on a new landscape page with its header row
repeated on every page. Everything printed comes from the content snapshot and
the report's meta (reports/periodic/documents.py says what they hold)."""

import datetime as dt
from decimal import Decimal

from django.utils.translation import gettext as _
from docx.enum.text import WD_ALIGN_PARAGRAPH

from common import docx_layout, docx_parts, formatting

ROMAN = ["I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX", "X"]
# Annexes wider than this many columns go on landscape pages.
PORTRAIT_COLUMNS = 5
NUMBER_CM = 1.0
# About how wide a character of Times New Roman 10 pt is, and a cell's margins.
CM_PER_CHAR = 0.19
CELL_PADDING_CM = 0.35
SMALL_TABLE_PT = 10


def section_titles():
    return {
        "assessment": _("General assessment"),
        "results": _("Results by area"),
        "difficulties": _("Difficulties and shortcomings"),
        "recommendations": _("Recommendations"),
        "next_tasks": _("Main tasks for the next period"),
    }


MILLION = Decimal(10**6)


def in_millions(value):
    """Money in millions of đồng to one decimal, as reports print it: 453.044,8."""
    return (Decimal(str(value)) / MILLION).quantize(Decimal("0.1"))


def value_text(value, unit):
    """A count's value as printed: 1.234 (money too: the unit column says "đồng"); an unknown "chưa rõ"."""
    if value is None:
        return _("unknown")
    if unit == "VND":
        return formatting.number(in_millions(value).normalize())
    return formatting.number(value)


def change_text(value, unit):
    if value is None:
        return "—"
    sign = "+" if Decimal(str(value)) > 0 else ""
    return sign + formatting.number(in_millions(value).normalize() if unit == "VND" else value)


def percent_text(percent):
    if percent is None:
        return "—"
    sign = "+" if Decimal(percent) > 0 else ""
    return f"{sign}{formatting.number(Decimal(percent), 1)} %"


def capital(text):
    """ "Quý I/2024" for a column header from the label "quý I/2024"."""
    return text[:1].upper() + text[1:]


def paragraphs(text):
    return [part.strip() for part in str(text or "").split("\n\n") if part.strip()]


def _comparison_table(document, content):
    period, previous = capital(content["period"]["label"]), capital(content["previous"]["label"])
    headers = [_("No."), _("Indicator"), _("Unit"), period, previous, _("Change"), _("Change (%)")]
    rows = []
    for number, row in enumerate(content["counts"], start=1):
        unit = row["unit"]
        rows.append(
            [
                str(number),
                row["label"],
                _("million đồng") if unit == "VND" else unit,
                value_text(row["value"], unit),
                value_text(row["previous"], unit),
                change_text(row["change"], unit),
                percent_text(row["percent"]),
            ]
        )
    widths = [1.0, 4.5, 1.7, 2.4, 2.4, 2.1, 1.9]
    table = docx_layout.data_table(document, headers, rows, widths, numeric={0, 3, 4, 5, 6}, size=SMALL_TABLE_PT)
    docx_parts.keep_table_together(table)
    notes = [f"{row['label']}: {row['note']}" for row in content["counts"] if row.get("note")]
    for note in notes:
        docx_layout.paragraph(document, note, italic=True, size=11, space_after=2)


def _breakdown_tables(document, content):
    titles = {
        "level": (_("Delegations by level"), _("Level")),
        "purpose": (_("Delegations by purpose"), _("Purpose")),
        "host_unit": (_("Delegations by host unit"), _("Host unit")),
        "outbound_country": (_("Outbound delegations (đoàn ra) by country"), _("Country")),
        "inbound_country": (_("Inbound delegations (đoàn vào) by country"), _("Country")),
    }
    period, previous = capital(content["period"]["label"]), capital(content["previous"]["label"])
    for key, (title, item) in titles.items():
        rows = content["breakdowns"].get(key) or []
        docx_layout.heading(document, title, level=3)
        if not rows:
            docx_layout.paragraph(document, _("None in the period."), italic=True, size=12)
            continue
        body = [
            [str(n), row["label"], formatting.number(row["value"]), formatting.number(row["previous"])]
            for n, row in enumerate(rows, start=1)
        ]
        table = docx_layout.data_table(
            document, [_("No."), item, period, previous], body, [NUMBER_CM, 9.0, 3.0, 3.0], numeric={0, 2, 3}
        )
        docx_parts.keep_table_together(table)


def _figures(document, content):
    docx_layout.heading(
        document,
        _("Figures of %(period)s compared with %(previous)s")
        % {"period": content["period"]["label"], "previous": content["previous"]["label"]},
        level=2,
    )
    if content.get("include_in_review"):
        docx_layout.paragraph(
            document,
            _("Includes records still in review (drafts and records submitted for review)."),
            italic=True,
            size=12,
        )
    _comparison_table(document, content)
    _breakdown_tables(document, content)
    if content.get("left_out"):
        docx_layout.paragraph(document, _("What the figures leave out:"), italic=True, size=12, space_after=2)
        for note in content["left_out"]:
            docx_layout.paragraph(document, f"- {note}", italic=True, size=12, space_after=2)


def _section_heading(document, number, title):
    return docx_layout.heading(document, f"{ROMAN[number]}. {str(title).upper()}", level=1)


def _narrative(document, content, meta):
    sections = meta.get("sections") or {}
    for number, (key, title) in enumerate(section_titles().items()):
        _section_heading(document, number, title)
        for text in paragraphs(sections.get(key, "")):
            docx_parts.body_paragraph(document, text)
        if key == "results":
            _figures(document, content)


def number_line(meta):
    """'Báo cáo số 45/BC-SNgV ngày 05/04/2024', or the draft's words when not issued."""
    if meta.get("number") is None or not meta.get("day"):
        return _("the draft report")
    return _("Report No. %(number)s/%(symbol)s of %(day)s") % {
        "number": meta["number"],
        "symbol": meta.get("symbol", ""),
        "day": formatting.partial_date(dt.date.fromisoformat(meta["day"]), "day"),
    }


def _widths(annex, text_cm, size):
    """Column widths in cm: each column at least as wide as its longest word (a
    date, a decision number, "chưa rõ" never break inside), the number column
    narrow, the rest of the page shared by how much the columns hold on average."""
    per_char = CM_PER_CHAR * size / SMALL_TABLE_PT
    least, weights = [], []
    for index, header in enumerate(annex["columns"][1:], start=1):
        cells = [str(row[index]) for row in annex["rows"]] or [""]
        words = [word for text in [*cells, str(header)] for word in text.split()]
        least.append(max((len(word) for word in words), default=3) * per_char + CELL_PADDING_CM)
        weights.append(max(sum(len(cell) for cell in cells) / len(cells), 4))
    spare = text_cm - NUMBER_CM - sum(least)
    if spare <= 0:  # the words alone overflow: shrink them alike
        return [NUMBER_CM, *(width * (text_cm - NUMBER_CM) / sum(least) for width in least)]
    total = sum(weights)
    return [NUMBER_CM, *(width + spare * weight / total for width, weight in zip(least, weights, strict=True))]


def _annex(document, annex, meta):
    landscape = len(annex["columns"]) > PORTRAIT_COLUMNS
    section = docx_parts.new_section(document, landscape=landscape)
    key = annex["key"]
    docx_layout.paragraph(
        document, _("Annex %(key)s") % {"key": key}, bold=True, align=WD_ALIGN_PARAGRAPH.CENTER, space_after=0
    )
    title = annex["title"].split(". ", 1)[-1]
    docx_layout.paragraph(document, title.upper(), bold=True, align=WD_ALIGN_PARAGRAPH.CENTER, space_after=0)
    attached = _("(Attached to %(report)s)") % {"report": number_line(meta)}
    docx_layout.paragraph(document, attached, italic=True, align=WD_ALIGN_PARAGRAPH.CENTER, space_after=8)
    if not annex["rows"]:
        docx_layout.paragraph(document, _("None in the period."), italic=True, align=WD_ALIGN_PARAGRAPH.CENTER)
        return
    size = docx_layout.TABLE_PT if len(annex["columns"]) <= 8 else SMALL_TABLE_PT
    docx_layout.data_table(
        document,
        annex["columns"],
        annex["rows"],
        _widths(annex, docx_parts.text_width_cm(section), size),
        numeric={0},
        size=size,
    )


def build_document(content, meta):
    """The python-docx Document of the report (see the module's docstring)."""
    document = docx_layout.new_document()
    if meta.get("draft"):
        docx_parts.draft_mark(document, _("DRAFT"))
    day = dt.date.fromisoformat(meta["day"]) if meta.get("day") else None
    docx_layout.administrative_heading(
        document,
        day,
        issuer=meta.get("issuer") or [""],
        place=meta.get("place", ""),
        number_symbol=meta.get("symbol", ""),
        number=None if meta.get("draft") else meta.get("number"),
    )
    docx_layout.title(document, _("REPORT"), [line for line in str(meta.get("title", "")).split("\n") if line])
    _narrative(document, content, meta)
    docx_parts.signature_ending(
        document,
        recipients=meta.get("recipients") or [],
        signer_title=meta.get("signer_title", ""),
        signer_name=meta.get("signer_name", ""),
        authority=meta.get("authority", ""),
        authority_title=meta.get("authority_title", ""),
    )
    for annex in content["annexes"]:
        _annex(document, annex, meta)
    docx_parts.mark_language(document)
    return document
