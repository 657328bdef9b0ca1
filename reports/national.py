"""The national view (docs/PROVINCES.md, step 6): a national user (the Ministry)
reading a register of several offices with no province chosen sees every
province side by side: the dashboard's key figures and the period report's
figures per province with their sum, and on a partner's dossier the
provinces that have records with it ("Quảng Tây: 14 provinces").

Read from the tallies, which are kept per province (reports/tally_sql.py):
one query per table, whatever the number of records. Each province is named
from the cached office profiles (offices/profile.py), without a query."""

from collections import defaultdict
from dataclasses import dataclass, field, fields

from django.db.models import Q, Sum

from agreements import agreement_tally
from delegations.models import Direction
from offices.profile import all_offices, only_office
from offices.scope import is_national
from offices.site_scope import shown_province, site_root
from reports import partner_tally, tally


def national_view(user):
    """Whether ``user`` reads every province at once: a national user, several
    offices in the database, no province chosen (no ``/p/<code>/`` prefix)."""
    if only_office() is not None:
        return False
    code, internal = shown_province(user)
    return code is None and internal and is_national(user)


def national_dates(request, start, end):
    """The template's dates of the table and the site's root, under which each province's space is."""
    root = site_root(request)
    return {"by_province_start": start, "by_province_end": end, "site_root": root}


@dataclass
class ProvinceFigures:
    """One province's figures of a period, or their sum (``office`` None)."""

    office: object = None
    outbound: int = 0
    outbound_persons: int = 0
    outbound_unknown: int = 0  # delegations of unknown size, not in the persons
    inbound: int = 0
    inbound_persons: int = 0
    inbound_unknown: int = 0
    agreements: int = 0

    def add(self, other):
        for name in FIGURES:
            setattr(self, name, getattr(self, name) + getattr(other, name))


FIGURES = [f.name for f in fields(ProvinceFigures) if f.name != "office"]


def figures_by_province(user, start, end, in_review=False, report=True):
    """(a row per office, in code order, then their sum) of the delegations sent and
    received (not cancelled) with their persons, and the agreements signed, from
    ``start`` to ``end``: with ``report``, as the period report counts them
    (approved records; with ``in_review`` the records in review too); without, as
    the dashboard shows them (what the user may see). Two queries."""
    rows = {office.province_code: ProvinceFigures(office) for office in all_offices()}
    tallied = tally.counted_tally(user, in_review) if report else tally.visible_tally(user)
    signed_tally = agreement_tally.counted_tally(user, in_review) if report else agreement_tally.visible_tally(user)
    delegations = (
        tallied.filter(tally.narrowed(tally.within(start, end)), country="*", cancelled=False)
        .filter(direction__in=[Direction.OUTBOUND, Direction.INBOUND])
        .values_list("province", "direction")
        .annotate(Sum("delegations"), Sum("persons"), Sum("no_size"))
        .order_by()
    )
    for code, direction, count, persons, unknown in delegations:
        row = rows.setdefault(code, ProvinceFigures())
        way = "outbound" if direction == Direction.OUTBOUND else "inbound"
        setattr(row, way, getattr(row, way) + count)
        setattr(row, f"{way}_persons", getattr(row, f"{way}_persons") + persons)
        setattr(row, f"{way}_unknown", getattr(row, f"{way}_unknown") + unknown)
    signed = (
        signed_tally.filter(tally.narrowed(tally.within(start, end)), event="signed")
        .values_list("province")
        .annotate(Sum("agreements"))
        .order_by()
    )
    for code, count in signed:
        rows.setdefault(code, ProvinceFigures()).agreements += count
    ordered = [rows[code] for code in sorted(rows)]
    total = ProvinceFigures()
    for row in ordered:
        total.add(row)
    return ordered, total


@dataclass
class PartnerProvince:
    office: object
    delegations: int = 0
    agreements: int = 0
    projects: int = 0
    records: int = field(init=False, default=0)


def partner_provinces(partner, user):
    """The provinces that have records with ``partner`` or a partner under it,
    most records first: delegations (cancelled ones apart), agreements and
    projects each. One query, over the partner tally."""
    offices = {office.province_code: office for office in all_offices()}
    counts = defaultdict(lambda: defaultdict(int))
    held = (
        partner_tally.visible_rows(user)
        .filter(partner_id=partner.pk)
        .exclude(Q(record="delegation") & Q(cancelled=True))
        .values_list("province", "record")
        .annotate(Sum("records"))
        .order_by()
    )
    for code, record, records in held:
        counts[code][record] += records
    provinces = []
    for code, by_record in counts.items():
        row = PartnerProvince(
            offices.get(code),
            by_record["delegation"],
            by_record["agreement"],
            by_record["project"],
        )
        row.records = row.delegations + row.agreements + row.projects
        if row.records:
            provinces.append(row)
    return sorted(provinces, key=lambda row: (-row.records, row.office.province_code if row.office else ""))
