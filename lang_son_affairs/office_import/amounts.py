"""Money as offices write it: "224,5 triệu USD", "84.248.000 đồng", "2 tỉ VNĐ".

Vietnamese marks: "." groups thousands and "," is the decimal comma. A dot
followed by anything other than groups of three digits cannot be grouping,
so "1.5 triệu" is read as 1,5 triệu (1 500 000), the English decimal point
typed by habit; "1.500 triệu" is 1 500 triệu. Where both marks appear the
later one is the decimal one ("1,234.5" or "1.234,5"); several commas in
groups of three ("1,234,567") are English grouping."""

import re
from decimal import Decimal, InvalidOperation

from django.utils.translation import gettext as _

from lang_son_affairs.lib.text import fold
from lang_son_affairs.office_import.errors import CellError
from lang_son_affairs.office_import.words import CURRENCIES

MULTIPLIERS = {
    "nghin": 10**3,
    "ngan": 10**3,
    "thousand": 10**3,
    "trieu": 10**6,
    "million": 10**6,
    "ty": 10**9,
    "ti": 10**9,
    "billion": 10**9,
}
SYMBOLS = {"us$": " usd ", "$": " usd ", "€": " eur ", "₫": " vnd ", "£": " gbp ", "₩": " krw "}
NUMBER = re.compile(r"\d{1,3}(?:[ \u00a0\u202f]\d{3})+(?![\d.,])|\d[\d.,]*")
GROUPED_DOTS = re.compile(r"\d{1,3}(?:\.\d{3})+")
GROUPED_COMMAS = re.compile(r"\d{1,3}(?:,\d{3}){2,}")


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


def parse_amount(value):
    """(amount, currency code or None) of a money cell; None for a blank one.
    A number cell is taken as it is, without its float's noise."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    if isinstance(value, bool):
        raise _not_an_amount(value)
    if isinstance(value, int | Decimal):
        return _whole(Decimal(value)), None
    if isinstance(value, float):
        return _whole(Decimal(repr(value))), None
    shown = " ".join(str(value).split())
    text = fold(re.sub(r"\([^()]*\)", " ", shown))
    for symbol, word in SYMBOLS.items():
        text = text.replace(symbol, word)
    numbers = NUMBER.findall(text)
    if len(numbers) != 1:
        raise _not_an_amount(shown)
    words = " ".join(re.sub(r"[^\w\s]", " ", NUMBER.sub(" ", text, count=1)).split()).split()
    multiplier = 1
    if words and words[0] in MULTIPLIERS:
        multiplier = MULTIPLIERS[words.pop(0)]
    currency = CURRENCY_WORDS.get(" ".join(words)) if words else None
    if words and currency is None:
        raise _not_an_amount(shown)
    try:
        amount = _number(numbers[0].strip(".,")) * multiplier
    except InvalidOperation:
        raise _not_an_amount(shown) from None
    return _whole(amount), currency
