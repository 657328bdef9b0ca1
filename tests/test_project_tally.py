"""The project tally (projects.models.ProjectTally) behind the period report's
projects by kind stays exact on every kind of write: database triggers keep it,
so each test writes one way and compares the tally with a full recount, and
the report's figures with a direct count over the projects."""

import datetime
import random
from decimal import Decimal

import pytest
from django.contrib.auth.models import AnonymousUser
from django.db import connection
from django.db.models import Count, Q, Sum
from django.db.models.functions import Coalesce

from projects import project_tally
from projects.models import Currency, Project, ProjectKind, ProjectTally, Transaction, TransactionKind
from register.publishable import ReviewState
from reports.projects_period import project_kinds

pytestmark = pytest.mark.django_db

PUBLISHED = {"is_public": True, "review_state": ReviewState.APPROVED}
DRAFT = {"is_public": False, "review_state": ReviewState.DRAFT}


def project(kind=ProjectKind.ODA, public=True, **fields):
    fields.setdefault("title", f"Dự án {kind}")
    return Project.objects.create(kind=kind, **(PUBLISHED if public else DRAFT), **fields)


def assert_exact():
    assert project_tally.differences() == []


def day(text):
    return datetime.date.fromisoformat(text)


def counted(grain="y", event="start", **filters):
    rows = ProjectTally.objects.filter(grain=grain, event=event, **filters)
    return rows.aggregate(n=Sum("projects"))["n"] or 0


def test_creating_changing_and_deleting_projects_moves_the_counts():
    record = project(actual_start=day("2020-03-01"), planned_end=day("2022-06-30"), committed_amount=5_000)
    assert counted(period=day("2020-01-01")) == 1
    assert counted(event="end", period=day("2022-01-01")) == 1

    record.actual_start, record.actual_end = day("2019-12-31"), day("2023-01-01")
    record.save()
    assert (counted(period=day("2019-01-01")), counted(period=day("2020-01-01"))) == (1, 0)
    assert (counted(event="end", period=day("2023-01-01")), counted(event="end", period=day("2022-01-01"))) == (1, 0)
    record.kind, record.currency, record.committed_amount = ProjectKind.FDI, Currency.USD, Decimal("12.50")
    record.save()
    assert counted(kind=ProjectKind.FDI, usd=True) == 1
    assert ProjectTally.objects.get(grain="y", event="start").committed_amount == Decimal("12.50")
    record.delete()
    assert not ProjectTally.objects.exists()
    assert_exact()


def test_visibility_undated_projects_and_projects_ending_before_they_start():
    undated = project(ProjectKind.NGO, public=False)
    assert counted(grain="u", public=False) == 1
    backwards = project(actual_start=day("2021-05-01"), planned_end=day("2020-01-01"))
    assert counted(grain="x", until=day("2020-01-01")) == 1
    assert counted(event="end") == 0  # it has no end row: the 'x' row stands for it
    Project.objects.filter(pk=undated.pk).update(planned_start=day("2018-01-01"), **PUBLISHED)
    assert (counted(grain="u"), counted(period=day("2018-01-01"), public=True)) == (0, 1)
    backwards.actual_end = day("2021-06-01")
    backwards.save()
    assert counted(grain="x") == 0
    assert counted(event="end", period=day("2021-01-01")) == 1
    assert_exact()


def test_bulk_writes_updates_and_deletes_through_querysets_and_raw_sql_keep_it_exact():
    rng = random.Random(4)

    def some_day():
        return rng.choice([None, day("1996-01-01") + datetime.timedelta(days=rng.randrange(11000))])

    def spans():
        planned = sorted([some_day() or day("2001-01-01"), some_day() or day("2030-01-01")])
        return {
            "planned_start": rng.choice([None, planned[0]]),
            "planned_end": rng.choice([None, planned[1]]),
            "actual_start": rng.choice([None, None, some_day()]),
        }

    Project.objects.bulk_create(
        Project(
            kind=rng.choice(ProjectKind.values),
            title=f"Dự án {i}",
            currency=rng.choice(Currency.values),
            committed_amount=rng.choice([None, Decimal(rng.randrange(10**6)) / 100]),
            **spans(),
            **rng.choice([PUBLISHED, DRAFT]),
        )
        for i in range(150)
    )
    assert_exact()

    ids = list(Project.objects.values_list("pk", flat=True))
    Project.objects.filter(pk__in=ids[::3]).update(actual_start=day("2021-07-07"), committed_amount=5)
    Project.objects.filter(pk__in=ids[1::4]).update(kind=ProjectKind.LOAN, currency=Currency.USD, **DRAFT)
    Project.objects.filter(pk__in=ids[2::5]).update(actual_end=day("2024-12-31"), actual_start=None)
    assert_exact()

    with connection.cursor() as cursor:
        cursor.execute("UPDATE projects_project SET planned_end = NULL WHERE kind = 'fdi'")
        cursor.execute("DELETE FROM projects_project WHERE committed_vnd IS NULL")
    Project.objects.filter(pk__in=ids[::7]).delete()
    assert_exact()


def test_deleting_a_project_with_transactions_and_restoring_it_from_history():
    record = project(actual_start=day("2015-02-01"), committed_amount=70)
    Transaction.objects.create(project=record, kind=TransactionKind.DISBURSEMENT, date=day("2015-03-01"), amount=1)
    version = record.history.first()
    record.delete()
    assert counted() == 0
    version.instance.save()
    assert counted() == 1
    assert_exact()


def test_the_fixtures_loaded_like_a_backup_restore_are_counted(seeded):
    assert ProjectTally.objects.exists()
    assert_exact()


def test_a_tally_made_wrong_is_found_and_rebuild_repairs_it():
    project(actual_start=day("2023-05-02"))
    ProjectTally.objects.update(projects=9)
    assert project_tally.differences()
    project_tally.rebuild()
    assert counted() == 1
    assert_exact()


# --- The report reads the same figures as a direct count over the projects -----------------------------------------


def direct(user, start, end):
    """The projects by kind as the report counted them before the tally, over the projects."""
    spans = Project.objects.counted_for(user).annotate(
        span_start=Coalesce("actual_start", "planned_start"), span_end=Coalesce("actual_end", "planned_end")
    )
    active = Q(span_start__lte=end) & (Q(span_end__isnull=True) | Q(span_end__gte=start))
    rows = spans.values("kind").annotate(
        active=Count("pk", filter=active),
        new=Count("pk", filter=Q(span_start__gte=start, span_start__lte=end)),
        vnd=Sum("committed_vnd", filter=active),
        usd=Sum("committed_amount", filter=active & Q(currency=Currency.USD)),
        undated=Count("pk", filter=Q(span_start__isnull=True)),
    )
    return {row["kind"]: row for row in rows.order_by()}


@pytest.mark.parametrize("seed", range(3))
def test_the_report_project_figures_equal_a_direct_count_for_any_span(seed, official):
    rng = random.Random(seed)

    def some_day():
        return rng.choice([None, day("1996-01-01") + datetime.timedelta(days=rng.randrange(11000))])

    for i in range(80):
        planned = sorted([some_day() or day("2000-01-01"), some_day() or day("2020-01-01")])
        actual = sorted([some_day() or day("2005-01-01"), some_day() or day("2015-01-01")])
        project(
            rng.choice(ProjectKind.values),
            public=rng.random() < 0.6,
            planned_start=rng.choice([None, planned[0]]),
            planned_end=rng.choice([None, planned[1]]),
            actual_start=rng.choice([None, actual[0]]),
            actual_end=rng.choice([None, None, actual[1]]),
            currency=rng.choice(Currency.values),
            committed_amount=rng.choice([None, Decimal(rng.randrange(10**6)) / 100]),
            title=f"Dự án {i}",
        )
    for i in range(6):  # started late, after the planned end: the span ends before it starts
        planned_end = some_day() or day("2010-01-01")
        late = planned_end + datetime.timedelta(days=rng.randrange(1, 2000))
        project(rng.choice(ProjectKind.values), actual_start=late, planned_end=planned_end, committed_amount=i + 1)
    assert ProjectTally.objects.filter(grain="x").exists()
    for _ in range(15):
        start = day("1995-01-01") + datetime.timedelta(days=rng.randrange(12000))
        end = start + datetime.timedelta(days=rng.randrange(0, 9000))
        for user in (official, AnonymousUser()):
            by_kind, totals = project_kinds(user, start, end, {})
            expected = direct(user, start, end)
            for kind in ProjectKind.values:
                row, want = by_kind.get(kind, {}), expected.get(kind, {})
                for name in ("active", "new", "undated"):
                    assert row.get(name, 0) == want.get(name, 0), (kind, name, start, end)
                for name in ("vnd", "usd"):
                    assert Decimal(row.get(name) or 0) == Decimal(want.get(name) or 0), (kind, name, start, end)
            assert totals["active"] == sum(row["active"] for row in expected.values())
