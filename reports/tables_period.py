"""The period report's tables as plain data: typed values (numbers, dates with
their precision, text) under translated headers. The XLSX writes one sheet per
table with real numbers and dates; the DOCX prints the same tables as text, so
the two downloads cannot disagree with each other or with the page, which
reads the same ``period_report()`` result.

Value kinds: ``text``; ``count`` (a whole number); ``vnd`` and ``usd`` (money,
whole units); ``number`` (a reported figure in its own unit); ``percent`` (a
Decimal such as 3.2 for 3,2 %); ``date`` (a ``(date, precision)`` pair or None).
"""

from dataclasses import dataclass, field

from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from common import formatting
from sources.models import Unit


@dataclass(frozen=True)
class Column:
    header: str
    kind: str = "text"
    docx_cm: float = 3.0  # width in the Word table


@dataclass
class Table:
    sheet: str  # the XLSX sheet name, at most 31 characters
    caption: str
    columns: list
    rows: list = field(default_factory=list)
    total: list | None = None
    notes: list = field(default_factory=list)
    intro: list = field(default_factory=list)  # (line, is_title) above the header row: the summary's title
    in_review: bool = False  # counts records still in review: the files print IN_REVIEW_NOTE with the table


def in_review_note():
    """The line every table of a report counting records still in review carries."""
    return _("Includes records still in review (drafts and records submitted for review).")


def short_date(day):
    return date_format(day, "SHORT_DATE_FORMAT")


def internal(record, text):
    """The page's "internal" badge, as text: officials' downloads mark unpublished rows."""
    return text if record.is_published else f"{text} ({_('internal')})"


def _delegation_table(block, sheet, caption, persons_label):
    return Table(
        sheet=sheet,
        caption=caption,
        columns=[
            Column(_("Country"), docx_cm=6.4),
            Column(_("Number of delegations"), "count", 3.2),
            Column(persons_label, "count", 3.2),
            Column(_("Size not recorded"), "count", 3.2),
        ],
        rows=[[row["label"], row["delegations"], row["persons"], row["no_size"]] for row in block["rows"]],
        total=[_("Total (each delegation once)"), block["delegations"], block["persons"], block["no_size"]],
    )


def _kind_table(by_kind):
    """Every delegation of the period once, by kind, the unclassified ones on a line of their own."""
    return Table(
        sheet=_("Delegations by kind"),
        caption=_("Every delegation of the period, by kind"),
        columns=[
            Column(_("Kind"), docx_cm=6.4),
            Column(_("Number of delegations"), "count", 3.2),
            Column(_("Persons"), "count", 3.2),
            Column(_("Size not recorded"), "count", 3.2),
        ],
        rows=[[row["label"], row["delegations"], row["persons"], row["no_size"]] for row in by_kind["rows"]],
        total=[
            _("Total: every delegation of the period"),
            by_kind["total"]["delegations"],
            by_kind["total"]["persons"],
            by_kind["total"]["no_size"],
        ],
    )


def _domestic_table(domestic):
    count = domestic["count"]
    notes = [
        ngettext("%(n)s working visit in the period.", "%(n)s working visits in the period.", count) % {"n": count}
    ]
    if domestic["count"] > len(domestic["list"]):
        notes.append(_("The first %(shown)s are listed.") % {"shown": len(domestic["list"])})
    return Table(
        sheet=_("Leaders' working visits"),
        caption=_("3. Working visits of central and provincial leaders"),
        columns=[
            Column(_("From"), "date", 2.3),
            Column(_("To"), "date", 2.3),
            Column(_("Visit"), docx_cm=5.4),
            Column(_("Head"), docx_cm=3.4),
            Column(_("Host unit"), docx_cm=2.6),
        ],
        rows=[
            [
                (d.start_date, d.date_precision) if d.start_date else None,
                (d.end_date, d.date_precision) if d.end_date else None,
                internal(d, d.title),
                "\n".join(part for part in (d.leader_name, d.leader_title) if part),
                d.host_unit.name if d.host_unit else "",
            ]
            for d in domestic["list"]
        ],
        notes=notes,
    )


def _agreement_tables(agreements, end):
    signed, in_force = agreements["signed"], agreements["in_force"]
    return [
        Table(
            sheet=_("Agreements by partner"),
            caption=_("Signed in the period, by partner"),
            columns=[Column(_("Partner"), docx_cm=12.0), Column(_("Agreements"), "count", 4.0)],
            rows=[[row["partner__name"], row["agreements"]] for row in agreements["by_partner"]],
            total=[_("Total (each agreement once)"), signed],
            notes=[
                ngettext("%(n)s agreement signed in the period.", "%(n)s agreements signed in the period.", signed)
                % {"n": signed},
                ngettext("%(n)s agreement in force on %(end)s.", "%(n)s agreements in force on %(end)s.", in_force)
                % {"n": in_force, "end": short_date(end)},
            ],
        ),
        Table(
            sheet=_("Agreements by signing level"),
            caption=_("Signed in the period, by signing level"),
            columns=[Column(_("Signing level"), docx_cm=12.0), Column(_("Agreements"), "count", 4.0)],
            rows=[[row["label"], row["agreements"]] for row in agreements["by_level"]],
            total=[_("Total"), signed],
        ),
        Table(
            sheet=_("Agreements signed"),
            caption=_("Agreements signed in the period"),
            columns=[
                Column(_("Signed on"), "date", 2.4),
                Column(_("Agreement"), docx_cm=6.6),
                Column(_("Partners"), docx_cm=3.8),
                Column(_("Signed for our side by"), docx_cm=3.2),
            ],
            rows=[
                [
                    (a.signed_on, a.date_precision) if a.signed_on else None,
                    internal(a, a.title),
                    ", ".join(p.name for p in a.partners.all()),
                    a.local_signatory.name if a.local_signatory else "",
                ]
                for a in agreements["list"]
            ],
        ),
    ]


def _project_table(projects):
    def values(row):
        return [row["active"], row["new"], row["committed_vnd"], row["committed_usd"], row["disbursed"]]

    return Table(
        sheet=_("Projects by kind"),
        caption=_("5. Projects by kind"),
        columns=[
            Column(_("Kind"), docx_cm=3.8),
            Column(_("Under way in the period"), "count", 1.8),
            Column(_("New in the period"), "count", 1.7),
            Column(_("Committed (VND)"), "vnd", 3.1),
            Column(_("Committed in USD"), "usd", 2.6),
            Column(_("Disbursed in the period (VND)"), "vnd", 3.0),
        ],
        rows=[[row["label"], *values(row)] for row in projects["rows"]],
        total=[_("Total"), *values(projects["total"])],
        # What the đồng totals leave out (not converted), said in the file as on the page.
        notes=list(projects["total"].get("money_notes", [])),
    )


def _twinning_table(twinning, end):
    return Table(
        sheet=_("Twinning pairs"),
        caption=_("6. Twinning pairs"),
        columns=[
            Column(_("Kind"), docx_cm=8.0),
            Column(_("Established by %(end)s") % {"end": short_date(end)}, "count", 4.0),
            Column(_("New in the period"), "count", 4.0),
        ],
        rows=[[row["label"], row["established"], row["new"]] for row in twinning["rows"]],
        total=[_("Total"), twinning["total"]["established"], twinning["total"]["new"]],
    )


def _conference_table(conferences):
    """Section 8: the international conferences and seminars held, by kind, with their foreign participants;
    the known counts are summed and the conferences with no known count are said, not counted as none."""
    notes = []
    unknown, cancelled = conferences["total"]["foreign_unknown"], conferences["total"]["cancelled"]
    if unknown:
        notes.append(
            ngettext(
                "Of these, %(n)s conference has no known number of foreign participants; the total counts only "
                "the known numbers.",
                "Of these, %(n)s conferences have no known number of foreign participants; the total counts only "
                "the known numbers.",
                unknown,
            )
            % {"n": formatting.number(unknown)}
        )
    if cancelled:
        notes.append(
            ngettext(
                "%(n)s cancelled conference is not counted.", "%(n)s cancelled conferences are not counted.", cancelled
            )
            % {"n": formatting.number(cancelled)}
        )
    return Table(
        sheet=_("Conferences"),
        caption=_("8. International conferences and seminars"),
        columns=[
            Column(_("Kind"), docx_cm=5.5),
            Column(_("Held in the period"), "count", 3.5),
            Column(_("Foreign participants"), "count", 3.5),
            Column(_("With no known number"), "count", 3.5),
        ],
        rows=[_conference_row(row["label"], row) for row in conferences["rows"]],
        total=_conference_row(_("Total"), conferences["total"]),
        notes=notes,
    )


def _conference_row(label, counts):
    """A kind's conferences: the known foreign participants summed, left blank (not 0) when none of them
    has a known number, and how many have none."""
    known = counts["held"] - counts["foreign_unknown"]
    return [label, counts["held"], counts["foreign"] if known > 0 else None, counts["foreign_unknown"]]


def record_tables(report, end):
    """The tables of sections 1 to 6 and 8 of the page, in its order: the delegations
    by kind, then by country (outbound, inbound, border talks), and so on."""
    tables = [
        _kind_table(report["by_kind"]),
        _delegation_table(
            report["outbound"],
            _("Outbound delegations"),
            _("Outbound delegations (đoàn ra) by country"),
            _("Person-trips"),
        ),
        _delegation_table(
            report["inbound"], _("Inbound delegations"), _("Inbound delegations (đoàn vào) by country"), _("Persons")
        ),
        _delegation_table(report["border"], _("Border talks"), _("Border talks by country"), _("Persons")),
        _domestic_table(report["domestic"]),
        *_agreement_tables(report["agreements"], end),
        _project_table(report["projects"]),
        _twinning_table(report["twinning"], end),
        _conference_table(report["conferences"]),
    ]
    return mark_in_review(tables, report)


def mark_in_review(tables, report):
    """``tables``, each marked as counting records still in review when the report does."""
    for table in tables:
        table.in_review = report.get("in_review", False)
    return tables


def unit_label(unit):
    return {Unit.VND: "VND", Unit.USD: "USD"}.get(unit, Unit(unit).label if unit in Unit.values else unit)


def figure_table(rows, *, undated, end, report=None):
    """The reported figures beside the register, one row per figure with its source."""
    register = _("Register to %(end)s") % {"end": short_date(end)} if undated else _("Register")
    columns = [
        Column(_("Indicator")),
        Column(_("Scope")),
        Column(_("Partner")),
        Column(_("From"), "date"),
        Column(_("To"), "date"),
        Column(_("Qualifier")),
        Column(_("Reported"), "number"),
        Column(_("Unit")),
        Column(register, "number"),
    ]
    if not undated:
        columns += [Column(_("Difference"), "number"), Column(_("Coverage"), "percent")]
    columns += [
        Column(_("Source")),
        Column(_("Publisher")),
        Column(_("Published on"), "date"),
        Column(_("Excerpt")),
        Column(_("Address (URL)")),
    ]
    table_rows = []
    for row in rows:
        fig, source = row.figure, row.figure.source
        precision = fig.period_precision
        values = [
            fig.get_indicator_display(),
            fig.scope.name,
            fig.partner.name if fig.partner else "",
            (fig.period_start, precision) if fig.period_start else None,
            (fig.period_end, precision) if fig.period_end else None,
            fig.get_qualifier_display(),
            fig.value,
            unit_label(fig.unit),
            row.register,
        ]
        if not undated:
            values += [row.difference, row.coverage]
        values += [
            source.title,
            source.publisher,
            (source.published_on, "day") if source.published_on else None,
            fig.excerpt,
            source.url,
        ]
        table_rows.append(values)
    if undated:
        table = Table(_("Figures with no end date"), _("Figures with no end date"), columns, table_rows)
    else:
        table = Table(_("Reported figures"), _("7. Reported figures and the register"), columns, table_rows)
    return mark_in_review([table], report or {})[0]
