"""A projects list's money per period, imported as its projects' transactions.

A column whose heading names a transaction kind and a period ("Giải ngân năm
2022 (triệu đồng)", money.py) maps to that kind's target; each of its filled
cells is one Transaction of the row's project: the kind, the period's first day
at the period's precision (a quarter, which the register has no precision for,
at the year's, the quarter kept in the description), the amount in the unit the
cell, the heading or the title rows ("ĐVT: triệu đồng") give, and its currency.
A cell of dashes ("-") is the office's blank.

The transactions travel as the second sheet ("Giao dịch") of the workbook the
engine hands to the register's ProjectResource, which imports it after the
projects in the same database transaction (projects/resources.py), in the
preview as in the save. A new project has no record number before the
resource saves it, and may have no code: ``ProjectResource.after_import``
below names each transaction's project by the record its row became, and
leaves out the transactions the register already has (same project, kind,
date, amount and currency), so that importing a list again adds nothing twice.
"""

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from django.core.exceptions import NON_FIELD_ERRORS
from django.utils.translation import gettext as _
from import_export.results import RowResult

from common import formatting
from projects import resources
from projects.columns import TRANSACTION_COLUMNS
from projects.models import Transaction, TransactionKind
from register.import_rows import ROW_NUMBER
from register.office_import import amounts, money
from register.office_import import fields as vocabulary
from register.office_import.errors import CellError

SHEET_TITLE = "Giao dịch"  # one of projects.resources.transaction_sheet_titles()
SHEET_KEYS = ("project_id", "kind", "date", "date_precision", "amount", "currency", "description")
DASHES = {"-", "–", "—", "--"}


@dataclass
class Money:
    """One transaction a money cell gives."""

    kind: str
    date: dt.date
    precision: str
    amount: Decimal
    currency: str
    letter: str  # the column it comes from
    period: str  # as the heading writes it: "năm 2022", "Quý I/2024"
    description: str = ""
    action: str = ""  # "create", or "existing" when the register has it already

    @property
    def kind_label(self):
        return TransactionKind(self.kind).label

    @property
    def shown(self):
        return shown_amount(self.amount, self.currency)

    def cells(self):
        """Its cells of the "Giao dịch" sheet, after the project's (SHEET_KEYS)."""
        return [self.kind, self.date, self.precision, self.amount, self.currency, self.description]

    def key(self, project):
        return (project, self.kind, self.date, self.precision, Decimal(self.amount), self.currency)

    def as_json(self):
        return {
            "kind": self.kind,
            "date": self.date.isoformat(),
            "date_precision": self.precision,
            "amount": str(self.amount),
            "currency": self.currency,
            "description": self.description,
            "column": self.letter,
            "action": self.action or "create",
        }


def shown_amount(amount, currency):
    """134.525.000 ₫, 1.200.000 USD; the number alone when the currency is unknown."""
    if currency == "VND":
        return formatting.vnd(amount)
    return " ".join(part for part in (formatting.number(amount), currency or "") if part)


def is_money(plan, key):
    target = plan.kind.target(key)
    return target is not None and target.reader == vocabulary.TRANSACTION


def explain(plan):
    """Each money column's note for the mapping table: what its cells become,
    or why it is no transactions; a column the clerk mapped to transactions
    whose heading gives no period is a problem of the whole file."""
    if not any(t.reader == vocabulary.TRANSACTION for t in plan.kind.targets):
        return
    for column in plan.columns:
        heading = money.read_heading(column.heading)
        if is_money(plan, column.target):
            if heading.is_transaction:
                column.note = _("Each amount: a transaction of %(period)s.") % {"period": heading.period}
                unit = heading.unit or money.sheet_unit(plan.title_text)
                if unit is not None:
                    column.note += " " + _("Unit: %(unit)s.") % {"unit": unit_text(unit)}
            else:
                plan.problems.append(
                    _(
                        "Column %(letter)s (“%(heading)s”) is read as transactions, but its heading names no single "
                        "period to date them by: write the period in the heading (Giải ngân năm 2023), or read the "
                        "column into the notes."
                    )
                    % {"letter": column.letter, "heading": column.heading}
                )
        elif column.target == vocabulary.NOTES and heading.reason:
            column.note = str(heading.reason)


def unit_text(unit):
    """ "triệu đồng", "nghìn USD", "USD" """
    multiplier = {10**3: _("thousand"), 10**6: _("million"), 10**9: _("billion")}.get(unit.multiplier, "")
    currency = _("đồng") if unit.currency == "VND" else unit.currency or ""
    return " ".join(part for part in (multiplier, currency) if part)


def read(plan, row, by_target):
    """The row's money cells as its transactions (row.transactions); a cell
    that is no amount, or has no currency, is an error at its cell."""
    sheet_unit = money.sheet_unit(plan.title_text)
    for column in plan.columns:
        if not is_money(plan, column.target):
            continue
        value = row.cells[column.index] if column.index < len(row.cells) else None
        if value is None or (isinstance(value, str) and (not value.strip() or value.strip() in DASHES)):
            continue
        heading = money.read_heading(column.heading)
        if not heading.is_transaction:
            continue  # told once for the column (explain)
        try:
            amount, currency = amounts.parse_amount(value, heading.unit or sheet_unit)
        except CellError as error:
            row.error(column.letter, str(error))
            continue
        currency = currency or row_currency(row, by_target)
        if not currency:
            row.error(
                column.letter,
                _(
                    "“%(value)s” gives no currency: write the unit in the heading of column %(letter)s, "
                    "such as “%(example)s”, or in the cell (1.200 triệu đồng)."
                )
                % {"value": value, "letter": column.letter, "example": f"{column.heading} (triệu đồng)"},
            )
            continue
        row.transactions.append(
            Money(
                kind=heading.kind,
                date=heading.start,
                precision=heading.precision,
                amount=amount,
                currency=currency,
                letter=column.letter,
                period=heading.period,
                description=heading.period if heading.in_words else "",
            )
        )


def row_currency(row, by_target):
    """The currency the row's own currency column gives ("USD"), if any."""
    for column in by_target.get("currency", []):
        value = row.cells[column.index] if column.index < len(row.cells) else None
        unit = amounts.parse_unit(value) if value not in (None, "") else None
        if unit is not None and unit.multiplier == 1 and unit.currency:
            return unit.currency
    return None


def attach(plan, rows, dataset):
    """The rows' transactions as the workbook's "Giao dịch" sheet, beside the
    projects' ``dataset``; each sheet row's Money kept for the marks."""
    import tablib

    entries = {}
    if any(row.transactions for row in rows):
        headers = {column.key: str(column.header) for column in TRANSACTION_COLUMNS}
        sheet = tablib.Dataset(headers=[ROW_NUMBER, *[headers[key] for key in SHEET_KEYS]])
        sheet.title = SHEET_TITLE
        for row in rows:
            for entry in row.transactions:
                entry.action = ""
                number = len(entries) + 2  # as Excel numbers it, below the header
                entries[number] = (row, entry)
                sheet.append([number, None, *entry.cells()])
        sheet.entries = entries
        dataset.money = sheet
    plan.money_entries = entries
    return dataset


class ProjectResource(resources.ProjectResource):
    """The register's projects, with the office list's transactions named by
    the records their rows became (see the module's docstring)."""

    def after_import(self, dataset, result, **kwargs):
        sheet = getattr(dataset, "money", None)
        if sheet is not None:
            dataset.sheets = [dataset, named(sheet, result)]
        super().after_import(dataset, result, **kwargs)


def named(sheet, result):
    """The transactions sheet with each transaction's project record number;
    without those of rows that became no record (skipped, refused), and those
    the register already has."""
    import tablib

    records = {
        row.number: row.object_id
        for row in result.rows
        if getattr(row, "number", None)
        and row.object_id
        and row.import_type in (RowResult.IMPORT_TYPE_NEW, RowResult.IMPORT_TYPE_UPDATE, RowResult.IMPORT_TYPE_SKIP)
        and not getattr(row, "duplicate_skipped", False)
    }
    entries = sheet.entries
    existing = set(
        Transaction.objects.filter(project_id__in=set(records.values())).values_list(
            "project_id", "kind", "date", "date_precision", "amount", "currency"
        )
    )
    out = tablib.Dataset(headers=sheet.headers)
    out.title = sheet.title
    for values in sheet:
        number, _project, *rest = values
        row, entry = entries[number]
        project = records.get(row.number)
        if project is not None and entry.key(project) in existing:
            entry.action = "existing"
        elif project is not None:
            out.append([number, project, *rest])
    return out


def mark(plan, result):
    """The transactions' fate on their rows: created, already there, or the
    register's refusal at the cell they come from."""
    entries = getattr(plan, "money_entries", {})
    for child in getattr(result, "children", ()):
        for base in child.base_errors:
            plan.problems.append(str(base.error))
        for problem in child.invalid_rows:
            row, entry = entries.get(problem.number, (None, None))
            if row is None:
                continue
            for key, messages in problem.error_dict.items():
                label = "" if key == NON_FIELD_ERRORS else child.labels.get(key, key)
                for message in messages:
                    text = f"{label}: {message}" if label else str(message)
                    row.error(entry.letter, f"{entry.kind_label} {entry.period}: {text}")
        for error_row in child.error_rows:
            row, entry = entries.get(error_row.number, (None, None))
            if row is not None:
                for error in error_row.errors:
                    row.error(entry.letter, f"{entry.kind_label} {entry.period}: {error.error}")
        for row_result in child.rows:
            row, entry = entries.get(getattr(row_result, "number", None), (None, None))
            if entry is not None and row_result.import_type == RowResult.IMPORT_TYPE_NEW:
                entry.action = "create"
