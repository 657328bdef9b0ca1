"""Reading one spreadsheet cell back into a value: the inverse of the export
contract of register/exports.py, and forgiving of what people type in Excel.

Each reader is an import-export widget: ``clean(value)`` returns the Python
value or raises ``ValueError`` with a Vietnamese message, which the resource
reports as the row's error in that column; ``render(value)`` shows the value
in the preview table as the export would write it.

Related records are matched by name through a ``NameIndex``, built once per
import with one query per related model, never one per row.
"""

import datetime as dt
import re
from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.utils import translation
from django.utils.translation import gettext as _
from import_export.widgets import Widget

from common.cells import looks_like_formula
from common.partial_dates import DatePrecision, PartialDate, format_partial_input, parse_partial_date, period_end
from common.tabular import NAMES_SEPARATOR
from common.text import fold

EXCEL_EPOCH = dt.date(1899, 12, 30)  # day 0 of Excel's 1900 date system
# Excel's serial numbers of 01/01/1900 and 31/12/9999: a number cell in a date
# column outside this range is not a date.
EXCEL_SERIAL_RANGE = (1, 2958465)
DATE_FORMATS = ("%d/%m/%Y", "%Y-%m-%d", "%d-%m-%Y", "%d.%m.%Y", "%Y/%m/%d")
# What a money cell may carry around its number: "134.525.000 ₫", "224,5 USD", "1 000 đ".
CURRENCY_NOISE = re.compile(r"(?i)[\s\u00a0\u202f₫$€¥£]|\b(vnd|vnđ|đồng|dong|usd|eur|jpy|cny|krw|aud|gbp)\b|đ$")
GROUPED_DOTS = re.compile(r"^\d{1,3}(\.\d{3})+$")
GROUPED_COMMAS = re.compile(r"^\d{1,3}(,\d{3})+$")
YES_WORDS = {"co", "yes", "y", "1", "x", "true", "dung"}
NO_WORDS = {"khong", "no", "n", "0", "false", "sai"}
TRIGGER_NAMES = {"\t": "tab", "\r": "CR"}


def cell_text(value):
    """The cell as text, stripped, with the apostrophe an export puts before
    formula-like text removed; refuses text that would still run as a formula.

    Only an apostrophe followed by a formula trigger is the export's: "'Đoàn'"
    keeps its quotes."""
    if value is None:
        return ""
    if not isinstance(value, str):
        return str(value).strip()
    if value.startswith("'") and looks_like_formula(value[1:]):
        return value[1:]
    if looks_like_formula(value):
        trigger = TRIGGER_NAMES.get(value[0], value[0])
        raise ValueError(
            _(
                "The cell begins with “%(char)s”, which a spreadsheet runs as a formula; it is not accepted. "
                "Remove the “%(char)s” or put an apostrophe (') before it."
            )
            % {"char": trigger}
        )
    return value.strip()


def is_blank(value):
    return value is None or (isinstance(value, str) and not value.strip())


class CellWidget(Widget):
    """Base of the readers: blank cells are None, text goes through ``cell_text``."""

    def __init__(self, column):
        super().__init__(coerce_to_string=True)
        self.column = column

    def clean(self, value, row=None, **kwargs):
        if is_blank(value):
            return None
        if isinstance(value, str):
            value = cell_text(value)
            if not value:
                return None
        return self.parse(value)

    def parse(self, value):
        return value

    def render(self, value, obj=None, **kwargs):
        return "" if value is None else str(value)


class TextWidget(CellWidget):
    def clean(self, value, row=None, **kwargs):
        return super().clean(value, row, **kwargs) or ""

    def parse(self, value):
        if isinstance(value, float) and value.is_integer():
            value = int(value)  # a number cell in a text column: a code typed as 123
        if isinstance(value, dt.datetime | dt.date):
            return DateWidget.render(self, value)
        return str(value)


class IntegerWidget(CellWidget):
    def parse(self, value):
        if isinstance(value, bool):
            raise ValueError(_("Enter a whole number."))
        if isinstance(value, int):
            return value
        if isinstance(value, float) and value.is_integer():
            return int(value)
        text = str(value).replace(" ", "").replace("\u00a0", "")
        if GROUPED_DOTS.match(text) or GROUPED_COMMAS.match(text):
            text = text.replace(".", "").replace(",", "")
        if re.fullmatch(r"\d+", text):
            return int(text)
        raise ValueError(_("“%(value)s” is not a whole number.") % {"value": value})


class DecimalWidget(CellWidget):
    """Amounts as people write them: "134.525.000", "134.525.000 ₫", "1.234,50",
    the export's plain "134525000" and "1234.50", and number cells.

    A lone "." is a thousands separator when three digits follow it and the
    field keeps at most two decimals ("134.525" is 134525 đồng); in a field of
    finer precision (coordinates) it is the decimal point."""

    def __init__(self, column):
        super().__init__(column)
        self.places = getattr(column.model_field, "decimal_places", 2) or 0

    def parse(self, value):
        if isinstance(value, bool):
            raise ValueError(_("Enter a number."))
        if isinstance(value, int | Decimal):
            return Decimal(value)
        if isinstance(value, float):
            return Decimal(repr(value))
        text = CURRENCY_NOISE.sub("", str(value))
        number = self.normalise(text)
        try:
            return Decimal(number)
        except (InvalidOperation, ValueError):
            raise ValueError(_("“%(value)s” is not a number.") % {"value": value}) from None

    def normalise(self, text):
        if "." in text and "," in text:
            # The later separator is the decimal one: 1.234,50 or 1,234.50.
            grouping, decimal = (".", ",") if text.rfind(",") > text.rfind(".") else (",", ".")
            return text.replace(grouping, "").replace(decimal, ".")
        if "," in text:
            return (
                text.replace(",", "") if text.count(",") > 1 and GROUPED_COMMAS.match(text) else text.replace(",", ".")
            )
        if text.count(".") > 1 or (self.places <= 2 and GROUPED_DOTS.match(text)):
            return text.replace(".", "") if GROUPED_DOTS.match(text) else text
        return text

    def render(self, value, obj=None, **kwargs):
        if value is None:
            return ""
        value = Decimal(value)
        return f"{value:f}" if value != value.to_integral_value() else f"{value.to_integral_value():f}"


class DateWidget(CellWidget):
    """dd/mm/yyyy, yyyy-mm-dd, date cells, and Excel serial numbers."""

    def parse(self, value):
        if isinstance(value, dt.datetime):
            return value.date()
        if isinstance(value, dt.date):
            return value
        number = isinstance(value, int | float) and not isinstance(value, bool)
        if number and EXCEL_SERIAL_RANGE[0] <= value <= EXCEL_SERIAL_RANGE[1]:
            return EXCEL_EPOCH + dt.timedelta(days=int(value))
        text = str(value).strip()
        text = text.split(" ")[0] if re.match(r"^\d{4}-\d{2}-\d{2} \d", text) else text  # "2024-03-01 00:00:00"
        for date_format in DATE_FORMATS:
            try:
                return dt.datetime.strptime(text, date_format).date()  # noqa: DTZ007 - a calendar date, no time
            except ValueError:
                continue
        raise ValueError(_("“%(value)s” is not a date; write it as dd/mm/yyyy.") % {"value": value})

    def render(self, value, obj=None, **kwargs):
        return "" if value is None else f"{value.day:02d}/{value.month:02d}/{value.year}"


class PartialDateWidget(DateWidget):
    """A date of a model's ``PARTIAL_DATES``: besides what ``DateWidget`` reads,
    "2008", "10/2011" or "tháng 10/2011" (common/partial_dates.py), which give the
    date's precision too (``partial_date_cell``). A date cell of Excel, or a
    whole date typed, is a day; a real date's error says why it is not one."""

    def parse(self, value):
        if not isinstance(value, str):
            return super().parse(value)
        try:
            found = parse_partial_date(cell_text(value))
        except ValidationError as error:
            raise ValueError(" ".join(error.messages)) from None
        return found.date if found.precision == DatePrecision.DAY else found


def partial_date_cell(instance, key, value):
    """The value a date or precision column sets on ``instance``. A month or a
    year typed in a date cell sets the record's precision too; a precision
    column that says otherwise on the same row is the row's error. A whole date
    leaves the precision to its column (an export writes 01/01/2008 and "Năm")."""
    precision_name = getattr(type(instance), "DATE_PRECISION_FIELD", "date_precision")
    typed = instance.__dict__.setdefault("_typed_precisions", {})
    if isinstance(value, PartialDate):
        if typed.get(precision_name, value.precision) != value.precision:
            raise ValueError(
                _("“%(value)s” is not given to the same precision as the row's other dates.")
                % {"value": format_partial_input(*value)}
            )
        typed[precision_name] = value.precision
        setattr(instance, precision_name, value.precision)
        return period_end(value) if key in getattr(type(instance), "PARTIAL_DATE_ENDS", ()) else value.date
    if key == precision_name and value and typed.get(precision_name, value) != value:
        label = DatePrecision(typed[precision_name]).label
        raise ValueError(
            _("The row's dates give the precision “%(label)s”: leave this column blank or write “%(label)s”.")
            % {"label": label}
        )
    return value


class BooleanWidget(CellWidget):
    def parse(self, value):
        word = fold(value)
        if isinstance(value, int | float):
            word = str(int(value))
        if word in YES_WORDS:
            return True
        if word in NO_WORDS:
            return False
        raise ValueError(_("“%(value)s” is neither “Yes” nor “No”.") % {"value": value})

    def render(self, value, obj=None, **kwargs):
        if value is None:
            return ""
        return _("Yes") if value else _("No")


def labels_in(language, choices):
    with translation.override(language):
        return [(code, str(label)) for code, label in choices]


class ChoiceWidget(CellWidget):
    """A choice by its Vietnamese label, its English label or its code, accents
    and case aside: "Đoàn ra", "doan ra", "Outbound (đoàn ra)" or "out"."""

    def __init__(self, column):
        super().__init__(column)
        self._codes = None

    @property
    def codes(self):
        if self._codes is None:
            codes = {}
            for language in ("en", "vi"):
                for code, label in labels_in(language, self.column.choices):
                    codes[fold(label)] = code
            for code, _label in self.column.choices:
                codes[fold(str(code))] = code
            self._codes = codes
        return self._codes

    def parse(self, value):
        if isinstance(value, float) and value.is_integer():
            value = int(value)
        code = self.codes.get(fold(str(value)))
        if code is None:
            choices = ", ".join(
                f"“{label}”" for _code, label in labels_in(translation.get_language(), self.column.choices)
            )
            raise ValueError(_("“%(value)s” is not one of: %(choices)s.") % {"value": value, "choices": choices})
        return code

    def render(self, value, obj=None, **kwargs):
        for code, label in self.column.choices:
            if code == value:
                return str(label)
        return "" if value in (None, "") else str(value)


class NameIndex:
    """Records of one model by every name a cell may give them, folded.

    The name fields are tried in ``tiers``: a match on the name itself wins
    over one on an English name or an alias, so that "Quảng Tây" means the
    province even when a city lists it among its other names. Built with one
    query; ``add`` keeps it current as the import creates records."""

    TIERS = (("code",), ("name", "title"), ("name_en", "name_native"), ("aliases",))

    def __init__(self, model, queryset=None, extra_fields=()):
        self.model = model
        names = {f.name for f in model._meta.get_fields()}
        self.tiers = [[name for name in tier if name in names] for tier in self.TIERS]
        self.tiers = [tier for tier in self.tiers if tier]
        self.label_field = "name" if "name" in names else "title"
        wanted = {name for tier in self.tiers for name in tier} | ({"path"} & names)
        queryset = queryset if queryset is not None else model._default_manager.all()
        self.by_name = [{} for _tier in self.tiers]
        self.records = {}
        for record in queryset.only(*wanted, *extra_fields).order_by("pk"):
            self.add(record)

    def add(self, record):
        self.records[record.pk] = record
        for tier, found in zip(self.tiers, self.by_name, strict=True):
            for name in tier:
                value = getattr(record, name, "") or ""
                for part in value.splitlines() if name == "aliases" else [value]:
                    key = fold(part)
                    if key:
                        found.setdefault(key, {})[record.pk] = record

    def find(self, name):
        """The records a name matches in the first tier that knows it: [] when none.
        "#12" is record number 12 (the office import writes the partners it matched so)."""
        key = fold(name)
        if key.startswith("#") and key[1:].isdigit():
            record = self.records.get(int(key[1:]))
            return [record] if record is not None else []
        for found in self.by_name:
            if key in found:
                return list(found[key].values())
        return []

    def label(self, record):
        return getattr(record, self.label_field)


def split_names(value):
    """Names in a cell: the export's "; " separator, new lines too."""
    return [part.strip() for part in re.split(r"[;\n]", value) if part.strip()]


def resolve(indexes, name, what):
    """The one record ``name`` means among ``indexes`` (tried in order: a
    partner, failing that a local unit); ValueError naming it otherwise."""
    for index in indexes:
        found = index.find(name)
        if len(found) == 1:
            return found[0]
        if len(found) > 1:
            candidates = "; ".join(f"{index.label(r)} (#{r.pk})" for r in found[:5])
            raise ValueError(
                _("“%(name)s” matches several %(what)s: %(candidates)s.")
                % {"name": name, "what": what, "candidates": candidates}
            )
    raise ValueError(_("No %(what)s is called “%(name)s”.") % {"name": name, "what": what})


class NameWidget(CellWidget):
    """A related record by its name (a partner also by English name or alias).
    ``indexes`` are set by the resource before the import starts."""

    def __init__(self, column):
        super().__init__(column)
        self.indexes = []
        self.what_text = None  # "partner or local unit", where the resource says so

    def what(self):
        return str(self.what_text or self.column.related_model._meta.verbose_name)

    def parse(self, value):
        return resolve(self.indexes, str(value), self.what())

    def render(self, value, obj=None, **kwargs):
        return "" if value is None else str(value)


class NamesWidget(NameWidget):
    """Several related records, "; " between their names. Every unknown name
    of the cell is reported at once."""

    def clean(self, value, row=None, **kwargs):
        if is_blank(value):
            return []
        found, problems = [], []
        for name in split_names(cell_text(str(value))):
            try:
                record = self.parse(name)
            except ValueError as error:
                problems.append(str(error))
                continue
            if record not in found:
                found.append(record)
        if problems:
            raise ValueError(" ".join(problems))
        return found

    def render(self, value, obj=None, **kwargs):
        return NAMES_SEPARATOR.join(str(record) for record in value or [])


WIDGETS = {
    "text": TextWidget,
    "int": IntegerWidget,
    "decimal": DecimalWidget,
    "date": DateWidget,
    "bool": BooleanWidget,
    "choice": ChoiceWidget,
    "name": NameWidget,
    "names": NamesWidget,
}


def widget_for(column):
    field = column.model_field
    if column.kind == "date" and field is not None and field.name in getattr(field.model, "PARTIAL_DATES", ()):
        return PartialDateWidget(column)
    return WIDGETS[column.kind](column)
