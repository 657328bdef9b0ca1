"""The passports' register as an XLSX workbook: a sheet of passports and one of
their hand-outs. The numbers are in it only when a user who may read them ticks
"include numbers" (passports/access.py); each export is logged."""

import collections
import datetime
import io

import xlsxwriter
from django.utils.translation import gettext as _

from common import formatting
from passports.models import PassportLoan

DATE = "dd/mm/yyyy"


def _sheet(book, title, headers, rows, date_format):
    sheet = book.add_worksheet(title[:31])
    bold = book.add_format({"bold": True})
    for column, header in enumerate(headers):
        sheet.write(0, column, header, bold)
        sheet.set_column(column, column, 18)
    for row_number, row in enumerate(rows, start=1):
        for column, value in enumerate(row):
            if hasattr(value, "isoformat") and value is not None:
                sheet.write_datetime(
                    row_number, column, datetime.datetime(value.year, value.month, value.day), date_format
                )
            elif value is not None:
                sheet.write(row_number, column, value)
    sheet.freeze_panes(1, 0)


def workbook(passports, with_numbers):
    """The XLSX bytes of ``passports`` (a queryset with ``is_out``) and their hand-outs (two queries),
    and how many passports of each province it holds (the view log's lines)."""
    passports = list(passports)
    loans = (
        PassportLoan.objects.filter(passport__in=[p.pk for p in passports])
        .select_related("passport", "delegation", "handed_out_by", "received_back_by")
        .order_by("passport__holder_name", "-handed_out_on")
    )
    yes, no = _("yes"), _("no")
    headers = [_("Holder"), _("Position and organisation"), _("Kind")]
    if with_numbers:
        headers.append(_("Passport number"))
    headers += [_("Date of issue"), _("Date of expiry"), _("Issuing authority"), _("Kept by the agency"), _("Out")]
    passport_rows = []
    for passport in passports:
        row = [passport.holder_name, passport.holder_position, passport.get_kind_display()]
        if with_numbers:
            row.append(passport.number)
        row += [
            passport.issued_on,
            passport.expires_on,
            passport.issued_by,
            yes if passport.kept_by_agency else no,
            yes if passport.is_out else no,
        ]
        passport_rows.append(row)
    loan_headers = [
        _("Holder"),
        _("Kind"),
        _("Delegation"),
        _("Handed out on"),
        _("Handed out by"),
        _("Handed to"),
        _("To be returned by"),
        _("Returned on"),
        _("Received back by"),
    ]
    loan_rows = [
        [
            loan.passport.holder_name,
            loan.passport.get_kind_display(),
            loan.delegation.title,
            loan.handed_out_on,
            _name(loan.handed_out_by),
            loan.handed_to,
            loan.return_due_on(),
            loan.returned_on,
            _name(loan.received_back_by),
        ]
        for loan in loans
    ]
    output = io.BytesIO()
    book = xlsxwriter.Workbook(output, {"in_memory": True})
    date_format = book.add_format({"num_format": DATE})
    _sheet(book, _("Passports"), headers, passport_rows, date_format)
    _sheet(book, _("Hand-outs"), loan_headers, loan_rows, date_format)
    book.close()
    by_province = collections.Counter(passport.province_id for passport in passports)
    return output.getvalue(), by_province


def _name(user):
    return formatting.person_name(user)
