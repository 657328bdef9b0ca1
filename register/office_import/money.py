"""The money columns of a projects list: what their headings say.

Offices list ODA, NGO and FDI projects with money per period in columns:
"Giải ngân năm 2022 (triệu đồng)", "Vốn cam kết năm 2023 (USD)", "Giải ngân
Quý I/2024". Such a heading names a transaction kind (TransactionKind: its
labels, and the offices' words in words.py), a period (a year, a quarter, a month, a
day) and often the unit of its cells; each cell is then one transaction of its
row's project (office_import/transactions.py).

A heading that names a kind and no period ("Đã giải ngân"), a running total
("Lũy kế giải ngân đến 31/12/2023"), a range of years ("Giải ngân 2021-2023")
or a plan ("Kế hoạch vốn năm 2024") is no transaction: its date would be
invented, or its amount is not money that moved. ``read_heading`` says why, for
the preview; such a column is proposed as notes.
"""

import re
from dataclasses import dataclass
from functools import cache

from django.utils.translation import gettext_lazy as _

from common.partial_dates import QUARTER, DatePrecision
from common.text import fold
from register.office_import import amounts
from register.office_import.errors import CellError

RUNNING_TOTAL = re.compile(r"\bluy ke\b|\bcong don\b|\b(?:tinh )?den\b|\btoi\b")
PLAN = re.compile(r"\bke hoach\b|\bdu kien\b|\bdu toan\b|\bdu tru\b")
MONEY_WORDS = re.compile(r"\bvon\b|\bkinh phi\b|\bgia tri\b|\btien\b")
NUMBERING = re.compile(r"\(\s*\d+\s*\)")

NO_PERIOD = _(
    "Its heading names no period (a year, a quarter or a date): a transaction needs its date, so the column "
    "goes into the notes. Write the period in the heading (Giải ngân năm 2023) to import each amount as a transaction."
)
A_RANGE = _(
    "Its heading names several years: an amount over a range is a total, not one transaction; "
    "the column goes into the notes."
)
A_RUNNING_TOTAL = _("A running total (lũy kế, up to a date) is not a transaction: the column goes into the notes.")
A_PLAN = _("A plan or an estimate is not money that moved: the column goes into the notes.")


@dataclass(frozen=True)
class MoneyHeading:
    kind: str = ""  # a TransactionKind value, "" when the heading names none
    start: object = None  # the period's first day (dt.date)
    precision: str = ""
    period: str = ""  # the period as the heading writes it: "năm 2022", "Quý I/2024"
    in_words: bool = False  # the precision is coarser than the period (a quarter): say it in the description
    unit: amounts.Unit | None = None
    reason: str = ""  # why the column is not read as transactions ("" when it is, or is no money column)

    @property
    def is_transaction(self):
        return bool(self.kind and self.start and not self.reason)


@cache
def kind_words():
    """{the words of a kind, folded, without punctuation: kind}: the model's labels, its
    values and the offices' words (words.py)."""
    from register.office_import.choices import choice_words

    return {compact(word): kind for kind, words in choice_words("projects.transaction.kind").items() for word in words}


def compact(text):
    """fold() without punctuation and extra spaces: "Quý I/2024" -> "quy i 2024"."""
    return " ".join(re.sub(r"[^\w\s]|_", " ", fold(str(text))).split())


def _period(tokens):
    """((start, precision, in words), "") of the period tokens, or (None, the reason they are none)."""
    from register.office_import.values import parse_date_range

    text = " ".join(tokens).strip(" ,;:-")
    if not text:
        return None, NO_PERIOD
    if QUARTER.fullmatch(text):
        # A quarter is no precision of the register: the year, the quarter kept in words.
        found = parse_date_range(text)
        return (found.start.replace(month=1), str(DatePrecision.YEAR), True), ""
    try:
        found = parse_date_range(text)
    except CellError:
        return None, NO_PERIOD
    if found is None:
        return None, NO_PERIOD
    if found.end is not None:
        return None, A_RANGE
    return (found.start, found.precision, False), ""


@cache
def read_heading(heading):
    """The MoneyHeading of a column's heading (see the module's docstring)."""
    rest, unit = amounts.unit_in(NUMBERING.sub(" ", str(heading or "")))
    written = " ".join(rest.split())
    folded = fold(written)
    tokens = folded.replace(",", " ").split()
    words = kind_words()
    kind, cut = "", 0
    for end in range(len(tokens), 0, -1):
        if compact(" ".join(tokens[:end])) in words:
            kind, cut = words[compact(" ".join(tokens[:end]))], end
            break
    mentions_kind = kind or any(re.search(rf"\b{re.escape(w)}\b", folded) for w in words)
    if not (mentions_kind or unit or MONEY_WORDS.search(folded)):
        return MoneyHeading()
    if RUNNING_TOTAL.search(folded):
        return MoneyHeading(kind, unit=unit, reason=A_RUNNING_TOTAL)
    if PLAN.search(folded):
        return MoneyHeading(kind, unit=unit, reason=A_PLAN)
    if not kind:
        return MoneyHeading(unit=unit)
    found, reason = _period(tokens[cut:])
    if found is None:
        return MoneyHeading(kind, unit=unit, reason=reason)
    start, precision, in_words = found
    # The period as written, with its marks: the words after the kind's.
    period = " ".join(written.replace(",", " ").split()[cut:]).strip(" ,;:-")
    return MoneyHeading(kind, start, precision, period, in_words, unit)


@cache
def sheet_unit(title_text):
    """The unit the title rows give the whole list ("ĐVT: triệu đồng"), or None."""
    folded = fold(" ".join(str(title_text or "").split()))
    match = re.search(r"\b(?:don vi tinh|dvt)\s*[:.]?\s*([^;()]*)", folded)
    if not match:
        return None
    tokens = match[1].replace(",", " ").split()
    for size in (3, 2, 1):
        unit = amounts.parse_unit(" ".join(tokens[:size])) if len(tokens) >= size else None
        if unit is not None:
            return unit
    return None
