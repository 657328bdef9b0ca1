"""The periodic report as an XLSX workbook: a summary sheet (every count beside
the same period a year before, then the breakdowns of the delegations), then one
sheet per annex. Written by the period report's sheet writer
(reports/workbook_period.py ``write_table``): bold header row frozen and
repeated on every printed page, A4 landscape one page wide, text that starts
with "=" shown, never run."""

from decimal import Decimal
from io import BytesIO

import xlsxwriter
from django.utils.translation import gettext as _

from reports.periodic.word import capital, number_line
from reports.tables_period import Column, Table
from reports.workbook_period import Formats, write_table


def _number(value):
    """A figure as the sheet writes it: a real number, or "chưa rõ" for an unknown."""
    return _("unknown") if value is None else Decimal(str(value))


def _summary(content, intro):
    period, previous = capital(content["period"]["label"]), capital(content["previous"]["label"])
    columns = [
        Column(_("Indicator")),
        Column(_("Unit")),
        Column(period, "number"),
        Column(previous, "number"),
        Column(_("Change"), "number"),
        Column(_("Change (%)"), "percent"),
    ]
    rows = []
    for row in content["counts"]:
        unit = _("đồng") if row["unit"] == "VND" else row["unit"]
        rows.append(
            [
                row["label"],
                unit,
                _number(row["value"]),
                _number(row["previous"]),
                None if row["change"] is None else Decimal(str(row["change"])),
                None if row["percent"] is None else Decimal(row["percent"]),
            ]
        )
    titles = {
        "level": _("Delegations by level"),
        "purpose": _("Delegations by purpose"),
        "host_unit": _("Delegations by host unit"),
        "outbound_country": _("Outbound delegations (đoàn ra) by country"),
        "inbound_country": _("Inbound delegations (đoàn vào) by country"),
    }
    for key, title in titles.items():
        rows.append([title.upper(), "", None, None, None, None])
        for item in content["breakdowns"].get(key) or []:
            change = item["value"] - item["previous"]
            percent = None
            if item["previous"]:
                percent = (Decimal(change) * 100 / item["previous"]).quantize(Decimal("0.1"))
            # Indented under its heading; a leading "-" would be taken for a formula and quoted.
            rows.append([f"    {item['label']}", _("delegations"), item["value"], item["previous"], change, percent])
    notes = [f"{row['label']}: {row['note']}" for row in content["counts"] if row.get("note")]
    notes += list(content.get("left_out") or [])
    table = Table(
        sheet=_("Key figures"), caption=_("Key figures"), columns=columns, rows=rows, notes=notes, intro=intro
    )
    table.in_review = bool(content.get("include_in_review"))
    return table


def _annex(annex, meta):
    intro = [(annex["title"], True), (_("(Attached to %(report)s)") % {"report": number_line(meta)}, False)]
    notes = [] if annex["rows"] else [_("None in the period.")]
    return Table(
        sheet=annex["title"].split(".", 1)[0],
        caption=annex["title"],
        columns=[Column(str(header)) for header in annex["columns"]],
        rows=annex["rows"],
        notes=notes,
        intro=intro,
    )


def build_workbook(content, meta):
    """The workbook's bytes."""
    buffer = BytesIO()
    workbook = xlsxwriter.Workbook(buffer, {"in_memory": True, "strings_to_formulas": False, "strings_to_urls": False})
    formats = Formats(workbook)
    taken = set()
    intro = [(_("REPORT"), True), *((line, True) for line in str(meta.get("title", "")).split("\n") if line)]
    intro.append((_("Same period a year before: %(previous)s") % {"previous": content["previous"]["label"]}, False))
    for table in [_summary(content, intro), *(_annex(annex, meta) for annex in content["annexes"])]:
        write_table(workbook, formats, table, taken)
    workbook.close()
    return buffer.getvalue()
