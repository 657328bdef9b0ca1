"""IATI's standard ruleset (projects/iati_standard/ruleset-standard.json) as
checks on an activity file, interpreted from the JSON, not hand-copied.

The JSON maps a context XPath to rule names, each with cases; the meaning of
each rule and key is IATI-Rulesets' SPEC_JS.rst (the 2021 validator's). Where
the official validator reads only the first match of a date path (the first
transaction's date, say), every match is checked here: stricter, never looser.
``NOT_EXISTING_ORG_ID`` conditions exempt identifiers already on the IATI
Registry; the register has no copy of the Registry, so nothing is exempt.
A rule name this module does not know raises: a newer ruleset cannot pass
unchecked.
"""

import json
import re
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal, InvalidOperation
from functools import cache

from projects.iati_standard import RULESET, codes


@dataclass(frozen=True)
class Failure:
    id: str
    severity: str
    message: str
    activity: str  # the iati-identifier of the activity it is about

    def __str__(self):
        return f"{self.activity}: {self.id} ({self.severity}) {self.message}"


@cache
def ruleset():
    return json.loads(RULESET.read_text(encoding="utf-8"))


def _texts(element, paths):
    values = []
    for path in paths:
        for match in element.xpath(path):
            values.append(match if isinstance(match, str) else "".join(match.itertext()))
    return [str(value) for value in values]


def _truth(element, expression):
    return bool(element.xpath(f"boolean({expression})"))


def _moment(text):
    """An ISO date or datetime as an aware UTC datetime (a bare date is its UTC midnight); None if unreadable."""
    try:
        if "T" in text:
            moment = datetime.fromisoformat(text)
            return moment if moment.tzinfo else moment.replace(tzinfo=UTC)
        return datetime.combine(date.fromisoformat(text), datetime.min.time(), UTC)
    except ValueError:
        return None


def _moments(element, path, now):
    if path == "NOW":
        return [now]
    return [m for m in (_moment(text) for text in _texts(element, [path])) if m is not None]


def _number(text):
    try:
        return Decimal(text)
    except InvalidOperation:
        return None


class Case:
    """One case of one rule, evaluated on one context element."""

    def __init__(self, element, case, now):
        self.element, self.case, self.now = element, case, now
        self.matches = _texts(element, case.get("paths", []))

    def no_more_than_one(self):
        return len(self.matches) <= 1

    def atleast_one(self):
        return len(self.matches) >= 1

    def only_one_of(self):
        for excluded in self.case["excluded"]:
            if self.element.xpath(excluded):
                if self.matches:
                    return False
            elif len(self.matches) != 1:
                return False
        return True

    def one_or_all(self):
        if self.element.xpath(self.case["one"]):
            return True
        every = {
            "lang": ("descendant::narrative", "@xml:lang"),
            "sector": ("transaction", "sector"),
            "recipient-country|recipient-region": ("transaction", "recipient-country|recipient-region"),
            "currency": ("descendant::value|descendant::forecast|descendant::loan-status", "@currency"),
        }[self.case["all"]]
        return all(node.xpath(every[1]) for node in self.element.xpath(every[0]))

    def unique(self):
        return len(self.matches) == len(set(self.matches))

    def sum(self):
        return not self.matches or self.strict_sum()

    def strict_sum(self):
        numbers = [_number(text) for text in self.matches]
        return None not in numbers and sum(numbers, Decimal(0)) == Decimal(str(self.case["sum"]))

    def date_order(self):
        less = _moments(self.element, self.case["less"], self.now)
        more = _moments(self.element, self.case["more"], self.now)
        return not less or not more or max(less) <= min(more)

    def date_now(self):
        return all(moment <= self.now for moment in _moments(self.element, self.case["date"], self.now))

    def time_limit(self):
        starts = _moments(self.element, self.case["start"], self.now)
        ends = _moments(self.element, self.case["end"], self.now)
        return not starts or not ends or max(ends) - min(starts) <= timedelta(days=365)

    def between_dates(self):
        starts = _moments(self.element, self.case["start"], self.now)
        ends = _moments(self.element, self.case["end"], self.now)
        return all(
            all(s <= moment for s in starts) and all(moment <= e for e in ends)
            for moment in _moments(self.element, self.case["date"], self.now)
        )

    def regex_matches(self):
        pattern = re.compile(self.case["regex"])
        return all(text == "" or pattern.search(text) for text in self.matches)

    def regex_no_matches(self):
        pattern = re.compile(self.case["regex"])
        return all(text == "" or not pattern.search(text) for text in self.matches)

    def startswith(self):
        prefixes = self.case["prefix"]
        if prefixes in ("ORG-ID-PREFIX", ["ORG-ID-PREFIX"]):
            # An organisation identifier starts with a registration agency's code: "XM-DAC", "VN-COA".
            agencies = codes("OrganisationRegistrationAgency")
            return all("-".join(text.split("-")[:2]) in agencies for text in self.matches)
        starts = _texts(self.element, prefixes)
        separator = self.case.get("separator", "")
        return all(any(text.startswith(start + separator) for start in starts) for text in self.matches)

    def if_then(self):
        return not _truth(self.element, self.case["if"]) or _truth(self.element, self.case["then"])

    def range(self):
        numbers = [_number(text) for text in self.matches]
        low, high = self.case.get("min"), self.case.get("max")
        return all(
            n is not None and (low is None or Decimal(str(low)) <= n) and (high is None or n <= Decimal(str(high)))
            for n in numbers
        )

    def no_spaces(self):
        return all(text == text.strip() for text in self.matches)


def _evaluate(element, rule, case, now):
    """True when the case holds (or does not apply) on ``element``."""
    if "condition" in case and not _truth(element, case["condition"]):
        return True
    check = getattr(Case, rule, None)
    if check is None:
        raise NotImplementedError(f"IATI ruleset rule {rule!r} is not interpreted")
    return check(Case(element, case, now))


def _substituted(case, subs, value):
    out = dict(case)
    for key in subs:
        if key in out:
            field = out[key]
            out[key] = field.replace("$1", value) if isinstance(field, str) else [v.replace("$1", value) for v in field]
    return out


def _cases(element, rule, cases):
    """(rule, case) pairs to evaluate, with the loops unrolled over their ``foreach`` values."""
    for case in cases:
        if rule != "loop":
            yield rule, case
            continue
        values = list(dict.fromkeys(str(v) for v in element.xpath(case["foreach"])))
        for sub_rule, sub in case["do"].items():
            for sub_case in sub["cases"]:
                for value in values:
                    yield sub_rule, _substituted(sub_case, case.get("subs", []), value)


def failures(document, now=None):
    """Every case of the ruleset that ``document`` (an lxml tree of an activity file) fails."""
    now = now or datetime.now(UTC)
    found = []
    for context, rules in ruleset().items():
        for element in document.xpath(context):
            activity = element if element.tag == "iati-activity" else next(element.iterancestors("iati-activity"), None)
            identifier = activity.findtext("iati-identifier", "") if activity is not None else ""
            for rule, body in rules.items():
                for name, case in _cases(element, rule, body["cases"]):
                    if not _evaluate(element, name, case, now):
                        info = case["ruleInfo"]
                        found.append(Failure(info["id"], info["severity"], info["message"], identifier))
    return found


def duplicate_identifiers(document):
    """The validator's file-level rule 1.1.2: each activity identifier once."""
    seen, duplicates = set(), []
    for identifier in document.xpath("/iati-activities/iati-activity/iati-identifier/text()"):
        if identifier in seen:
            duplicates.append(Failure("1.1.2", "error", "The activity identifier must be unique.", identifier))
        seen.add(identifier)
    return duplicates
