"""The plan as a spreadsheet: title rows naming the plan and the province, then the
lines by host unit with their state, the delegations outside the plan, and the totals.
A plan holds tens of lines: XlsxWriter's ordinary cells, in memory."""

import io

import xlsxwriter
from django.http import HttpResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from common import formatting
from offices.profile import profile_for
from register.export_titles import print_setup, title_rows
from register.exports import XLSX_TYPE

HEADERS = [
    (gettext_lazy("Host or sending unit"), 30),
    (gettext_lazy("Intended country"), 16),
    (gettext_lazy("Intended partner"), 24),
    (gettext_lazy("Purpose"), 40),
    (gettext_lazy("Quarter"), 8),
    (gettext_lazy("Number of persons"), 9),
    (gettext_lazy("Budget (VND)"), 16),
    (gettext_lazy("Head of delegation"), 24),
    (gettext_lazy("State"), 12),
    (gettext_lazy("Delegations carrying it out"), 40),
]


def title_lines(plan, user):
    office = profile_for(plan.province_id)
    now = timezone.localtime()
    who = formatting.person_name(user)
    return [
        str(plan),
        f"{office.shown_office_name} – {office.province_name}" if office else plan.province_id,
        _("Exported on %(day)s %(time)s by %(user)s") % {"day": f"{now:%d/%m/%Y}", "time": f"{now:%H:%M}", "user": who},
    ]


def write_plan(target, view, user):
    workbook = xlsxwriter.Workbook(target, {"in_memory": True})
    sheet = workbook.add_worksheet(_("Plan"))
    header = workbook.add_format({"bold": True, "text_wrap": True, "valign": "top", "bottom": 1})
    money = workbook.add_format({"num_format": "#,##0"})
    bold = workbook.add_format({"bold": True})
    bold_money = workbook.add_format({"bold": True, "num_format": "#,##0"})
    row = 0
    for text, style in title_rows(workbook, title_lines(view.plan, user)):
        sheet.write_string(row, 0, text, style)
        row += 1
    row += 1
    header_row = row
    for column, (label, width) in enumerate(HEADERS):
        sheet.write_string(row, column, str(label), header)
        sheet.set_column(column, column, width)
    for group in view.groups:
        for item in group.rows:
            row += 1
            line = item.line
            sheet.write_string(row, 0, group.unit.name if group.unit else "")
            sheet.write_string(row, 1, item.country_label)
            sheet.write_string(row, 2, line.partner.name if line.partner_id else "")
            sheet.write_string(row, 3, line.purpose)
            sheet.write_number(row, 4, line.quarter)
            if line.size is not None:
                sheet.write_number(row, 5, line.size)
            if line.budget is not None:
                sheet.write_number(row, 6, float(line.budget), money)
            sheet.write_string(row, 7, line.leader)
            state = str(item.state_label) + (f" ({line.cancel_reason})" if line.cancelled else "")
            sheet.write_string(row, 8, state)
            sheet.write_string(row, 9, "; ".join(d.title for d in item.delegations))
    row += 1
    totals = view.totals
    sheet.write_string(row, 0, _("Total"), bold)
    if totals["size"]:
        sheet.write_number(row, 5, totals["size"], bold)
    sheet.write_number(row, 6, float(totals["budget"]), bold_money)
    sheet.write_string(
        row,
        8,
        _("%(done)d done, %(pending)d pending, %(cancelled)d cancelled") % totals,
        bold,
    )
    row += 2
    outside = _("Outbound delegations outside the plan (%(count)d)") % {"count": totals["outside"]}
    sheet.write_string(row, 0, outside, bold)
    for delegation in view.outside:
        row += 1
        sheet.write_string(row, 0, delegation.host_unit.name if delegation.host_unit_id else "")
        sheet.write_string(row, 3, delegation.title)
        if delegation.size is not None:
            sheet.write_number(row, 5, delegation.size)
        sheet.write_string(row, 8, delegation.get_status_display())
        sheet.write_string(row, 9, delegation.date_display)
    print_setup(sheet, header_row)
    workbook.close()


def plan_response(view, user):
    target = io.BytesIO()
    write_plan(target, view, user)
    response = HttpResponse(target.getvalue(), content_type=XLSX_TYPE)
    response["Content-Disposition"] = f'attachment; filename="ke-hoach-doan-ra-{view.plan.year}.xlsx"'
    return response
