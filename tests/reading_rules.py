"""What the rule tests of the reader (tests/test_reading_held_out_*_rules.py) read of a sentence written for
a rule: the periods the dates module finds, and the fields of the delegations, agreements and figures the
reader proposes (``fields``: the JSON keys each test file compares; an agreement's "parties" as their text).
Read with an empty gazetteer, so that a rule is shown to hold on prose alone."""

from reading.dates import explicit_years, find_dates
from reading.gazetteer import EMPTY
from reading.reader import read

FIGURE = ("indicator", "value", "period_start", "period_end")
DELEGATION = ("direction", "start", "leader")
AGREEMENT = ("kind", "signed", "parties")


def periods(text, ref):
    """(first day, last day) of each period ``text`` names, dated against ``ref``."""
    return [(d.value, d.last) for d in find_dates(text, 0, len(text), ref, explicit_years(text)) if d.kind == "period"]


def _picked(item, fields):
    return tuple([p["text"] for p in item["parties"]] if name == "parties" else item[name] for name in fields)


def proposed(kind, text, fields, published=None, url=None):
    """The reader's ``kind`` ("figures", "delegations", "agreements") of ``text``, as tuples of ``fields``."""
    found = read(text, published=published, url=url, gazetteer=EMPTY).as_json()[kind]
    return [_picked(item, fields) for item in found]


def figures(text, published=None, url=None, fields=FIGURE):
    return proposed("figures", text, fields, published, url)


def delegations(text, published=None, fields=DELEGATION):
    return proposed("delegations", text, fields, published)


def agreements(text, published=None, fields=AGREEMENT):
    return proposed("agreements", text, fields, published)
