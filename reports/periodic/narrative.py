"""The narrative sections of a periodic report, prefilled from its figures
(issue 18, part 1): sentences staff then rewrite as they see fit.

The sentence templates are gettext messages (English source, Vietnamese in
locale/vi), like every other text of the site: the numbers go in as named
placeholders, so the translation can order them as Vietnamese does. Nothing is
invented: an unknown number of persons is said to be unknown, a comparison
with a year whose figure is unknown is left out, and the sections the register
cannot write (difficulties, recommendations, next tasks) get a bracketed
placeholder that says what to add."""

from django.conf import settings
from django.utils import translation
from django.utils.translation import gettext as _

from common import formatting

SECTIONS = ("assessment", "results", "difficulties", "recommendations", "next_tasks")
# The breakdowns name at most this many items in a sentence.
TOP = 4


def _counts(content):
    return {row["key"]: row for row in content["counts"]}


def _n(value):
    return formatting.number(value)


def _year(content):
    return content["previous"]["start"][:4]


def _change(row, unit, year):
    """ ", tăng 3 đoàn so với cùng kỳ năm 2023": "" when either year is unknown."""
    change = row["change"]
    if change is None or row["previous"] is None:
        return ""
    values = {"n": _n(abs(int(change))), "unit": unit, "year": year}
    if int(change) > 0:
        return _(", up %(n)s %(unit)s on the same period of %(year)s") % values
    if int(change) < 0:
        return _(", down %(n)s %(unit)s on the same period of %(year)s") % values
    return _(", the same as in the same period of %(year)s") % values


def _unknown_sizes(row):
    """ " (3 đoàn chưa rõ số người)" when some delegations have no recorded size."""
    unknown = row.get("unknown")
    return _(" (%(n)s of them with no recorded size)") % {"n": _n(unknown)} if unknown else ""


def _outbound(counts, year):
    delegations, persons = counts["outbound_delegations"], counts["outbound_persons"]
    change = _change(delegations, _("delegations"), year)
    if not delegations["value"]:
        return _("sent no delegation abroad") + change
    if persons["value"] is None:
        return (
            _("sent %(n)s delegations abroad, their number of persons not recorded") % {"n": _n(delegations["value"])}
            + change
        )
    return (
        _("sent %(n)s delegations with %(persons)s person-trips abroad")
        % {"n": _n(delegations["value"]), "persons": _n(persons["value"])}
        + _unknown_sizes(persons)
        + change
    )


def _inbound(counts, year):
    delegations, persons = counts["inbound_delegations"], counts["inbound_persons"]
    change = _change(delegations, _("delegations"), year)
    if not delegations["value"]:
        return _("received no foreign delegation") + change
    if persons["value"] is None:
        return (
            _("received %(n)s foreign delegations, their number of persons not recorded")
            % {"n": _n(delegations["value"])}
            + change
        )
    return (
        _("received %(n)s delegations with %(persons)s foreign visitors")
        % {"n": _n(delegations["value"]), "persons": _n(persons["value"])}
        + _unknown_sizes(persons)
        + change
    )


def _agreements(counts, year, end):
    signed, in_force = counts["agreements_signed"], counts["agreements_in_force"]
    values = {
        "n": _n(signed["value"]),
        "change": _change(signed, _("agreements"), year),
        "in_force": _n(in_force["value"]),
        "end": end,
    }
    if not signed["value"]:
        return (
            _("signed no international agreement%(change)s; %(in_force)s agreements were in force on %(end)s") % values
        )
    return (
        _("signed %(n)s international agreements%(change)s; %(in_force)s agreements were in force on %(end)s") % values
    )


def _projects(counts, year):
    """The projects under way, their committed value when one is recorded, what was delivered."""
    active, committed, disbursed = counts["projects_active"], counts["committed_vnd"], counts["disbursed_vnd"]
    values = {"n": _n(active["value"]), "change": _change(active, _("projects"), year)}
    if not active["value"]:
        text = _("no ODA, FDI or foreign NGO project was under way%(change)s") % values
    elif committed["value"] in (None, "0"):
        text = (
            _("%(n)s ODA, FDI and foreign NGO projects were under way%(change)s, their committed value not recorded")
            % values
        )
    else:
        text = _(
            "%(n)s ODA, FDI and foreign NGO projects were under way%(change)s, with a committed value of %(committed)s"
        ) % {
            **values,
            "committed": formatting.vnd(committed["value"]),
        }
    if disbursed["value"] not in (None, "0"):
        text += _("; %(disbursed)s was delivered in the period") % {"disbursed": formatting.vnd(disbursed["value"])}
    return text


def _countries(rows):
    """ " Theo nước: Trung Quốc (5), Lào (3).": the countries with the most delegations."""
    listed = _breakdown(rows or [])
    return " " + _("By country: %(countries)s.") % {"countries": listed} if listed else ""


def _breakdown(rows):
    """ "Lãnh đạo tỉnh 3, Sở, ngành 2": the largest items of a breakdown in the period."""
    shown = [row for row in rows if row["value"]][:TOP]
    return "; ".join(f"{row['label']} ({_n(row['value'])})" for row in shown)


def _end(content):
    return formatting.partial_date(_date(content["period"]["end"]), "day")


def _date(iso):
    import datetime as dt

    return dt.date.fromisoformat(iso)


def _assessment(content, counts, year):
    label = content["period"]["label"]
    first = _("In %(period)s, the province %(outbound)s; %(inbound)s.") % {
        "period": label,
        "outbound": _outbound(counts, year),
        "inbound": _inbound(counts, year),
    }
    second = _("The province %(agreements)s. %(projects)s.") % {
        "agreements": _agreements(counts, year, _end(content)),
        "projects": _capital(_projects(counts, year)),
    }
    paragraphs = [first, second]
    waiting = content["in_review"]["count"]
    if waiting and not content.get("include_in_review"):
        paragraphs.append(
            _("%(n)s records of the period are still in review and are not counted in this report.")
            % {"n": _n(waiting)}
        )
    return paragraphs


def _capital(text):
    return text[:1].upper() + text[1:]


def _results(content, counts, year):
    breakdowns = content["breakdowns"]
    paragraphs = [
        _("1. Delegations abroad: the province %(outbound)s.") % {"outbound": _outbound(counts, year)}
        + _countries(breakdowns.get("outbound_country")),
        _("2. Foreign delegations received: the province %(inbound)s.") % {"inbound": _inbound(counts, year)}
        + _countries(breakdowns.get("inbound_country")),
    ]
    details = []
    for key, label in (("level", _("by level")), ("purpose", _("by purpose")), ("host_unit", _("by host unit"))):
        listed = _breakdown(breakdowns.get(key, []))
        if listed:
            details.append(f"{label}: {listed}")
    if details:
        paragraphs.append(
            _("Delegations of the period (outbound and inbound), %(details)s.") % {"details": "; ".join(details)}
        )
    paragraphs.append(
        _("3. International agreements: the province %(agreements)s.")
        % {"agreements": _agreements(counts, year, _end(content))}
    )
    paragraphs.append(_("4. Projects: %(projects)s.") % {"projects": _projects(counts, year)})
    pairs, meetings = counts["twinning_pairs"], counts["mechanism_meetings"]
    paragraphs.append(
        _(
            "5. Twinning and cooperation mechanisms: %(pairs)s twinning pairs at the end of the period "
            "(%(new)s new in it); %(meetings)s meetings under cooperation mechanisms%(change)s."
        )
        % {
            "pairs": _n(pairs["value"]),
            "new": _n(counts["twinning_new"]["value"]),
            "meetings": _n(meetings["value"]),
            "change": _change(meetings, _("meetings"), year),
        }
    )
    conferences = _conferences(counts, year)
    if conferences:
        paragraphs.append(
            _("6. International conferences and seminars: %(conferences)s.") % {"conferences": conferences}
        )
    return paragraphs


def _conferences(counts, year):
    """ "đã tổ chức 2 hội nghị, hội thảo quốc tế với 35 đại biểu nước ngoài...": "" for a report
    issued before conferences were counted (its snapshot has no such row)."""
    held, foreign = counts.get("conferences_held"), counts.get("conference_foreign")
    if held is None or foreign is None:
        return ""
    change = _change(held, _("conferences"), year)
    if not held["value"]:
        return _("the province held no international conference or seminar") + change
    if foreign["value"] is None:
        return (
            _("the province held %(n)s international conferences and seminars, their foreign participants not recorded")
            % {"n": _n(held["value"])}
            + change
        )
    unknown = foreign.get("unknown")
    return (
        _("the province held %(n)s international conferences and seminars with %(foreign)s foreign participants")
        % {"n": _n(held["value"]), "foreign": _n(foreign["value"])}
        + (_(" (%(n)s of them with no known number)") % {"n": _n(unknown)} if unknown else "")
        + change
    )


def narrative_prefill(content: dict) -> dict:
    """{section: text} for the sections of ``SECTIONS``, paragraphs separated by a blank line."""
    with translation.override(settings.LANGUAGE_CODE):
        counts = _counts(content)
        year = _year(content)
        sections = {
            "assessment": _assessment(content, counts, year),
            "results": _results(content, counts, year),
            "difficulties": [_("[To be completed: the difficulties and shortcomings of the period.]")],
            "recommendations": [_("[To be completed: the recommendations to the provincial People's Committee.]")],
            "next_tasks": [_("[To be completed: the main tasks of the next period.]")],
        }
        return {key: "\n\n".join(str(p) for p in paragraphs) for key, paragraphs in sections.items()}
