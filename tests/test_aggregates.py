"""The delegation tally (reports.models.DelegationTally) behind the dashboard and
the period report stays exact on every kind of write: database triggers keep it,
so each test writes one way and compares the tally with a full recount."""

import calendar
import datetime
import random

import pytest
from django.core.management import CommandError, call_command
from django.db import connection

from delegations.models import Delegation, Direction, Status
from partners.models import Partner, PartnerKind
from register.publishable import ReviewState
from reports import tally
from reports.models import DelegationTally

pytestmark = pytest.mark.django_db


def partner(name, code, kind=PartnerKind.COUNTRY):
    return Partner.objects.create(name=name, kind=kind, country=code)


def delegation(start, size=3, *, direction=Direction.OUTBOUND, public=True, partners=(), **fields):
    record = Delegation.objects.create(
        title=f"Đoàn {start} {size}",
        direction=direction,
        start_date=start,
        size=size,
        is_public=public,
        review_state=ReviewState.APPROVED if public else ReviewState.DRAFT,
        **fields,
    )
    record.partners.set(partners)
    return record


def assert_exact():
    assert tally.differences() == []


def total(country="*", **filters):
    rows = DelegationTally.objects.filter(grain="y", country=country, **filters)
    return sum(row.delegations for row in rows), sum(row.persons for row in rows)


@pytest.fixture
def china():
    return partner("Trung Quốc", "CN")


@pytest.fixture
def laos():
    return partner("Lào", "LA")


def test_creating_a_delegation_with_partners_counts_it_under_each_country_once(china, laos):
    guangxi = partner("Quảng Tây", "CN", PartnerKind.REGION)
    delegation(datetime.date(2023, 5, 2), 4, partners=[china, guangxi, laos])
    assert total() == (1, 4)
    assert total("CN") == (1, 4)
    assert total("LA") == (1, 4)
    assert_exact()


def test_changing_date_size_direction_status_and_visibility_moves_the_counts(china):
    record = delegation(datetime.date(2023, 5, 2), 4, partners=[china])
    record.start_date, record.size, record.direction = datetime.date(2019, 12, 31), 7, Direction.INBOUND
    record.save()
    assert total(direction=Direction.INBOUND, period=datetime.date(2019, 1, 1)) == (1, 7)
    assert total(direction=Direction.OUTBOUND) == (0, 0)
    record.status = Status.CANCELLED
    record.is_public, record.review_state = False, ReviewState.SUBMITTED
    record.save()
    assert total(cancelled=True, public=False) == (1, 7)
    assert_exact()


def test_adding_removing_and_replacing_partners_keeps_the_countries_exact(china, laos):
    record = delegation(datetime.date(2024, 1, 15), 2)
    assert total("-") == (1, 2)
    record.partners.add(china)
    assert total("-") == (0, 0)
    assert total("CN") == (1, 2)
    record.partners.set([laos])
    assert (total("CN"), total("LA")) == ((0, 0), (1, 2))
    record.partners.clear()
    assert total("-") == (1, 2)
    assert_exact()


def test_a_partner_changing_country_moves_its_delegations(china):
    company = partner("Công ty X", "", PartnerKind.COMPANY)
    delegation(datetime.date(2022, 3, 1), 5, partners=[company])
    assert total("") == (1, 5)
    company.country = "TH"
    company.save()
    assert (total(""), total("TH")) == ((0, 0), (1, 5))
    assert_exact()


def test_bulk_writes_updates_and_deletes_through_querysets_and_raw_sql_keep_it_exact(china, laos):
    rng = random.Random(6)
    Delegation.objects.bulk_create(
        Delegation(
            title=f"Đoàn {i}",
            direction=rng.choice(list(Direction)),
            start_date=rng.choice([None, datetime.date(2000, 1, 1) + datetime.timedelta(days=rng.randrange(9000))]),
            size=rng.choice([None, 1, 5, 12]),
            status=rng.choice(list(Status)),
        )
        for i in range(60)
    )
    links = Delegation.partners.through
    ids = list(Delegation.objects.values_list("pk", flat=True))
    links.objects.bulk_create(links(delegation_id=pk, partner=rng.choice([china, laos])) for pk in ids[::2])
    assert_exact()

    Delegation.objects.filter(pk__in=ids[::3]).update(
        is_public=True, review_state=ReviewState.APPROVED, start_date=datetime.date(2021, 7, 7)
    )
    Delegation.objects.filter(pk__in=ids[1::4]).update(size=None)
    links.objects.filter(delegation_id__in=ids[::6]).delete()
    assert_exact()

    with connection.cursor() as cursor:
        cursor.execute("UPDATE delegations_delegation SET direction = 'in' WHERE size IS NULL")
    Delegation.objects.filter(pk__in=ids[::5]).delete()
    assert_exact()


def test_deleting_a_delegation_and_restoring_it_from_history(china):
    record = delegation(datetime.date(2020, 2, 29), 6, partners=[china])
    version = record.history.first()
    record.delete()
    assert total() == (0, 0)
    version.instance.save()
    assert total() == (1, 6)
    assert_exact()


def test_the_fixtures_loaded_like_a_backup_restore_are_counted(seeded):
    assert DelegationTally.objects.exists()
    assert_exact()


def test_the_check_command_fails_when_the_tally_is_wrong_and_rebuild_repairs_it(china):
    delegation(datetime.date(2023, 5, 2), 4, partners=[china])
    call_command("rebuild_aggregates", "--check")
    DelegationTally.objects.filter(country="CN").update(delegations=9)
    with pytest.raises(CommandError, match="differ from a full recount"):
        call_command("rebuild_aggregates", "--check")
    call_command("rebuild_aggregates")
    assert total("CN") == (1, 4)
    assert_exact()


# --- Splitting a date range into years, months and days ----------------------------------------------------------


def covered_days(start, end):
    days = []
    for grain, first, last in tally.spans(start, end):
        if grain == "d":
            days += [first + datetime.timedelta(days=i) for i in range((last - first).days + 1)]
        elif grain == "m":
            month = first
            while month <= last:
                days += [month.replace(day=d) for d in range(1, calendar.monthrange(month.year, month.month)[1] + 1)]
                month = (month.replace(day=28) + datetime.timedelta(days=4)).replace(day=1)
        else:
            for year in range(first.year, last.year + 1):
                length = 366 if calendar.isleap(year) else 365
                days += [datetime.date(year, 1, 1) + datetime.timedelta(days=i) for i in range(length)]
    return days


@pytest.mark.parametrize("seed", range(5))
def test_a_range_is_covered_by_years_months_and_days_exactly_once(seed):
    rng = random.Random(seed)
    for _ in range(200):
        start = datetime.date(1990, 1, 1) + datetime.timedelta(days=rng.randrange(15000))
        end = start + datetime.timedelta(days=rng.randrange(-2, 12000))
        expected = [start + datetime.timedelta(days=i) for i in range((end - start).days + 1)]
        assert covered_days(start, end) == expected


def test_thirty_years_take_a_handful_of_ranges():
    ranges = tally.spans(datetime.date(1996, 3, 17), datetime.date(2025, 10, 9))
    assert [grain for grain, *_ in ranges] == ["d", "m", "y", "m", "d"]


EDGES = [
    (datetime.date(9999, 12, 31), datetime.date(9999, 12, 31)),
    (datetime.date(1, 1, 1), datetime.date(1, 1, 1)),
    (datetime.date(9990, 3, 5), datetime.date.max),
    (datetime.date.min, datetime.date(3, 2, 1)),
]


@pytest.mark.parametrize("start, end", EDGES)
def test_the_ends_of_the_calendar_are_covered(start, end):
    assert covered_days(start, end)[0] == start
    assert covered_days(start, end)[-1] == end


@pytest.mark.parametrize(
    ("model", "field"),
    [
        ("reports.PartnerTally", "records"),
        ("reports.AgreementDayTally", "records"),
        ("projects.TransactionTally", "transactions"),
        ("projects.ProjectTally", "projects"),
        ("agreements.AgreementTally", "agreements"),
        ("agreements.SignedPartnerTally", "agreements"),
    ],
)
def test_the_check_command_covers_every_tally(seeded, model, field):
    from django.apps import apps
    from django.db.models import F

    from agreements.models import Agreement, AgreementKind, AgreementStatus

    signed = Agreement.objects.create(
        title="Thỏa thuận", kind=AgreementKind.MOU, status=AgreementStatus.SIGNED, signed_on=datetime.date(2024, 1, 5)
    )
    signed.partners.add(Partner.objects.filter(kind=PartnerKind.COUNTRY).first())
    call_command("rebuild_aggregates", "--check")
    tally_model = apps.get_model(model)
    damaged = tally_model.objects.exclude(**{field: 0}).order_by("pk")[:1]
    assert tally_model.objects.filter(pk__in=damaged).update(**{field: F(field) + 1}) == 1
    with pytest.raises(CommandError, match="differ from a full recount"):
        call_command("rebuild_aggregates", "--check")
    call_command("rebuild_aggregates")
    call_command("rebuild_aggregates", "--check")
