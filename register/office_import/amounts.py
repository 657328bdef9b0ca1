"""Money as offices write it: "224,5 triệu USD", "84.248.000 đồng", "2 tỉ VNĐ".

Vietnamese marks: "." groups thousands and "," is the decimal comma. A dot
followed by anything other than groups of three digits cannot be grouping,
so "1.5 triệu" is read as 1,5 triệu (1 500 000), the English decimal point
typed by habit; "1.500 triệu" is 1 500 triệu. Where both marks appear the
later one is the decimal one ("1,234.5" or "1.234,5"); several commas in
groups of three ("1,234,567") are English grouping.

A column's heading may give the unit of all its cells: "Giải ngân năm 2023
(triệu đồng)", "Vốn cam kết (USD)", "(ĐVT: nghìn USD)" (``unit_in``,
``parse_unit``): a cell that is a bare number is then in that unit; a cell
that writes its own ("1,2 tỷ đồng") is read as written, taking from the
heading only the currency it leaves out."""

import re
from decimal import Decimal, InvalidOperation
from functools import cache
from typing import NamedTuple

from django.utils.translation import gettext as _

from common.text import fold
from register.office_import.errors import CellError
from register.office_import.words import CURRENCIES

MULTIPLIERS = {
    "nghin": 10**3,
    "ngan": 10**3,
    "thousand": 10**3,
    "trieu": 10**6,
    "tr": 10**6,  # "Tr.đồng", "tr.đ"
    "million": 10**6,
    "ty": 10**9,
    "ti": 10**9,
    "billion": 10**9,
}
SYMBOLS = {"us$": " usd ", "$": " usd ", "€": " eur ", "₫": " vnd ", "£": " gbp ", "₩": " krw "}
NUMBER = re.compile(r"\d{1,3}(?:[ \u00a0\u202f]\d{3})+(?![\d.,])|\d[\d.,]*")
GROUPED_DOTS = re.compile(r"\d{1,3}(?:\.\d{3})+")
GROUPED_COMMAS = re.compile(r"\d{1,3}(?:,\d{3}){2,}")
NEGATIVE = re.compile(r"(?:^|\s)[-\u2212\u2013]\s*\d")
UNIT_LABEL = re.compile(r"^(?:don vi tinh|don vi|dvt)\s*[:.]?\s*")
BRACKETED = re.compile(r"\(([^()]*)\)")


class Unit(NamedTuple):
    """What a heading says its cells count in: "triệu đồng" is (1 000 000, "VND")."""

    multiplier: int
    currency: str | None


def _currency_words():
    words = {}
    for code, names in CURRENCIES.items():
        for name in names:
            words[" ".join(re.sub(r"[^\w\s$€₫£₩]", " ", fold(name)).split())] = code
    return words


CURRENCY_WORDS = _currency_words()


def _not_an_amount(value):
    return CellError(
        _("“%(value)s” is not an amount: write a number and its currency, such as 84.248.000 đồng or 224,5 triệu USD.")
        % {"value": value}
    )


def _number(text):
    """The digits of one number, written with Vietnamese or English marks, as a Decimal."""
    text = re.sub(r"[ \u00a0\u202f]", "", text)
    if "." in text and "," in text and text.rfind(",") > text.rfind("."):
        text = text.replace(".", "").replace(",", ".")
    elif "." in text and "," in text:
        text = text.replace(",", "")
    elif "," in text:
        text = text.replace(",", "") if GROUPED_COMMAS.fullmatch(text) else text.replace(",", ".")
    elif GROUPED_DOTS.fullmatch(text):
        text = text.replace(".", "")
    return Decimal(text)


def _whole(amount):
    return amount.quantize(Decimal(1)) if amount == amount.to_integral_value() else amount.normalize()


def _words(text):
    """The words of folded text, its currency symbols made words and its punctuation spaces."""
    for symbol, word in SYMBOLS.items():
        text = text.replace(symbol, word)
    return " ".join(re.sub(r"[^\w\s]", " ", text).split()).split()


def _unit_of_words(words):
    """(multiplier word or None, currency code or None) of the words around a number;
    None when a word is neither."""
    words = list(words)
    multiplier = words.pop(0) if words and words[0] in MULTIPLIERS else None
    currency = CURRENCY_WORDS.get(" ".join(words)) if words else None
    if words and currency is None:
        return None
    return multiplier, currency


def parse_unit(text):
    """The Unit a heading's words give ("triệu đồng", "USD", "ĐVT: nghìn USD",
    "Tr.đồng"), or None when they are not a unit ("dự kiến")."""
    folded = UNIT_LABEL.sub("", fold(" ".join(str(text or "").split())).strip(" .,;:-"))
    found = _unit_of_words(_words(folded))
    if found is None or found == (None, None):
        return None
    multiplier, currency = found
    return Unit(MULTIPLIERS[multiplier] if multiplier else 1, currency)


@cache
def unit_in(heading):
    """(the heading without its unit, the Unit) of a heading that gives one in
    brackets or after a last comma ("Giải ngân 2023, triệu đồng"); (heading, None)
    when it gives none."""
    heading = " ".join(str(heading or "").split())
    for match in BRACKETED.finditer(heading):
        unit = parse_unit(match[1])
        if unit is not None:
            rest = heading[: match.start()] + " " + heading[match.end() :]
            return " ".join(rest.split()).strip(" ,;:-"), unit
    if "," in heading:
        head, tail = heading.rsplit(",", 1)
        unit = parse_unit(tail)
        if unit is not None and head.strip():
            return head.strip(" ,;:-"), unit
    return heading, None


def parse_amount(value, unit=None):
    """(amount, currency code or None) of a money cell; None for a blank one.
    A number cell is taken as it is, without its float's noise, in the column's
    ``unit`` (a Unit) when its heading gives one."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    if isinstance(value, bool):
        raise _not_an_amount(value)
    multiplier, currency = (unit.multiplier, unit.currency) if unit is not None else (1, None)
    if isinstance(value, int | Decimal):
        return _whole(Decimal(value) * multiplier), currency
    if isinstance(value, float):
        return _whole(Decimal(repr(value)) * multiplier), currency
    shown = " ".join(str(value).split())
    text = fold(re.sub(r"\([^()]*\)", " ", shown))
    for symbol, word in SYMBOLS.items():
        text = text.replace(symbol, word)
    numbers = NUMBER.findall(text)
    if len(numbers) != 1 or NEGATIVE.search(text):  # "-5.000.000": the sign is not dropped silently
        raise _not_an_amount(shown)
    found = _unit_of_words(_words(NUMBER.sub(" ", text, count=1)))
    if found is None:
        raise _not_an_amount(shown)
    if found != (None, None):  # the cell writes its own unit: the heading's gives only a missing currency
        multiplier = MULTIPLIERS[found[0]] if found[0] else 1
        currency = found[1] or currency
    try:
        amount = _number(numbers[0].strip(".,")) * multiplier
    except InvalidOperation:
        raise _not_an_amount(shown) from None
    return _whole(amount), currency
