"""Numbers, money and dates in the reader's language: 134.525.000 ₫,
224,5 triệu USD, 03/04/2024, tháng 10/2011."""

from decimal import Decimal

from django.utils import formats
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from common.partial_dates import format_partial_date


def number(value, decimal_pos=None):
    """Grouped digits in the active language; decimals only when there are some."""
    if value is None or value == "":
        return ""
    value = Decimal(value)
    if decimal_pos is None:
        decimal_pos = 0 if value == value.to_integral_value() else None
    return formats.number_format(value, decimal_pos=decimal_pos, use_l10n=True, force_grouping=True)


def vnd(value):
    """134.525.000 ₫"""
    if value is None or value == "":
        return ""
    return f"{number(Decimal(value).quantize(Decimal('1')))} ₫"


def unconverted_part(unconverted, noun="transaction"):
    """ "2 giao dịch chưa quy đổi (USD 10.000; EUR 500)": the amounts a total in
    đồng leaves out, from ``unconverted`` [(currency, count, amount), ...] (the
    rows with an amount and no đồng value, by currency); "" when there are none. ``noun``: "transaction"
    or "project"."""
    count = sum(n for _c, n, _a in unconverted)
    if not count:
        return ""
    if noun == "project":
        phrase = ngettext("%(n)s project not converted", "%(n)s projects not converted", count)
    else:
        phrase = ngettext("%(n)s transaction not converted", "%(n)s transactions not converted", count)
    amounts = "; ".join(f"{currency} {number(amount)}" for currency, _n, amount in unconverted)
    return f"{phrase % {'n': number(count)}} ({amounts})"


def vnd_total(total, unconverted, noun="transaction"):
    """ "134.525.000 ₫ + 2 giao dịch chưa quy đổi (USD 10.000)": a total in đồng
    that says what it leaves out, never mixing converted and unconverted amounts
    silently; the plain total when everything was converted."""
    shown = vnd(total or 0)
    left_out = unconverted_part(unconverted, noun)
    return f"{shown} + {left_out}" if left_out else shown


def large_amount(value, currency):
    """224,5 triệu USD; 700 tỷ đồng; 84.248.000 ₫ below a million."""
    if value is None or value == "":
        return ""
    value = Decimal(value)
    for size, label in ((Decimal(10**9), _("billion")), (Decimal(10**6), _("million"))):
        if abs(value) >= size:
            scaled = (value / size).quantize(Decimal("0.1")).normalize()
            unit = _("đồng") if currency == "VND" else currency
            return f"{number(scaled)} {label} {unit}"
    if currency == "VND":
        return vnd(value)
    return f"{number(value)} {currency}"


def partial_date(value, precision):
    return format_partial_date(value, precision)


def person_name(user):
    """A user's name as Vietnamese writes it, family name first ("Nguyễn Thị Phương Thảo": the admin's
    "Họ" then "Tên"; Django's own ``get_full_name`` puts the given name first), or the username when
    no name is recorded; "" for no user."""
    if user is None:
        return ""
    name = " ".join(part for part in ((user.last_name or "").strip(), (user.first_name or "").strip()) if part)
    return name or user.get_username()
