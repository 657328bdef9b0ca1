"""The transaction tally (projects.models.TransactionTally) behind the period
report's disbursed figures stays exact on every kind of write: database
triggers keep it, so each test writes one way and compares the tally with a
full recount, and the report's figures with a direct sum over the transactions."""

import datetime
import random
from decimal import Decimal

import pytest
from django.contrib.auth.models import AnonymousUser
from django.db import connection
from django.db.models import Sum

from projects import transaction_tally
from projects.models import Project, ProjectKind, Transaction, TransactionKind, TransactionTally
from register.publishable import ReviewState
from reports.figures_period import DISBURSED_KINDS
from reports.projects_period import project_tables

pytestmark = pytest.mark.django_db


def project(kind=ProjectKind.ODA, public=True, **fields):
    return Project.objects.create(
        kind=kind,
        title=f"Dự án {kind}",
        is_public=public,
        review_state=ReviewState.APPROVED if public else ReviewState.DRAFT,
        **fields,
    )


def pay(record, day, amount, kind=TransactionKind.DISBURSEMENT):
    return Transaction.objects.create(project=record, kind=kind, date=day, amount=amount)


def assert_exact():
    assert transaction_tally.differences() == []


def tallied(project_kind=None, kind=TransactionKind.DISBURSEMENT, **filters):
    rows = TransactionTally.objects.filter(grain="y", kind=kind, **filters)
    if project_kind:
        rows = rows.filter(project_kind=project_kind)
    return rows.aggregate(total=Sum("amount_vnd"))["total"] or 0


def test_adding_changing_and_deleting_transactions_moves_the_amounts():
    oda = project()
    first = pay(oda, datetime.date(2021, 6, 1), 500)
    pay(oda, datetime.date(2021, 6, 1), 900, TransactionKind.COMMITMENT)
    assert tallied(ProjectKind.ODA) == 500
    assert tallied(ProjectKind.ODA, TransactionKind.COMMITMENT) == 900

    first.date, first.amount = datetime.date(2019, 12, 31), Decimal(700)
    first.save()
    assert tallied(period=datetime.date(2019, 1, 1)) == 700
    assert tallied(period=datetime.date(2021, 1, 1)) == 0
    first.kind = TransactionKind.EXPENDITURE
    first.save()
    assert (tallied(), tallied(kind=TransactionKind.EXPENDITURE)) == (0, 700)
    first.delete()
    assert tallied(kind=TransactionKind.EXPENDITURE) == 0
    assert_exact()


def test_a_project_changing_kind_or_visibility_moves_its_transactions():
    record = project(ProjectKind.NGO)
    pay(record, datetime.date(2020, 2, 29), 300)
    pay(record, datetime.date(2023, 1, 1), 400)
    record.kind = ProjectKind.FDI
    record.save()
    assert (tallied(ProjectKind.NGO), tallied(ProjectKind.FDI)) == (0, 700)
    record.is_public, record.review_state = False, ReviewState.DRAFT
    record.save()
    assert (tallied(public=True), tallied(public=False)) == (0, 700)
    published = {"is_public": True, "review_state": ReviewState.APPROVED}
    Project.objects.filter(pk=record.pk).update(kind=ProjectKind.LOAN, **published)
    assert tallied(ProjectKind.LOAN, public=True) == 700
    assert_exact()


def test_moving_a_transaction_to_another_project_moves_its_amount():
    ngo, fdi = project(ProjectKind.NGO), project(ProjectKind.FDI)
    gift = pay(ngo, datetime.date(2022, 3, 3), 250)
    gift.project = fdi
    gift.save()
    assert (tallied(ProjectKind.NGO), tallied(ProjectKind.FDI)) == (0, 250)
    assert_exact()


def test_bulk_writes_updates_and_deletes_through_querysets_and_raw_sql_keep_it_exact():
    rng = random.Random(8)
    projects = [project(kind, public=rng.random() < 0.5) for kind in ProjectKind.values for _ in range(2)]
    Transaction.objects.bulk_create(
        Transaction(
            project=rng.choice(projects),
            kind=rng.choice(TransactionKind.values),
            date=datetime.date(1996, 1, 1) + datetime.timedelta(days=rng.randrange(11000)),
            amount=rng.randrange(1, 10**9),
            # In đồng, or in dollars without a rate: converted and unconverted rows.
            currency=rng.choice(["VND", "USD"]),
        )
        for _ in range(120)
    )
    assert_exact()

    ids = list(Transaction.objects.values_list("pk", flat=True))
    Transaction.objects.filter(pk__in=ids[::3]).update(date=datetime.date(2021, 7, 7), amount=5)
    Transaction.objects.filter(pk__in=ids[1::4]).update(kind=TransactionKind.IN_KIND, project=projects[0])
    Project.objects.filter(pk__in=[p.pk for p in projects[::3]]).update(kind=ProjectKind.NON_PROJECT_AID)
    assert_exact()

    with connection.cursor() as cursor:
        cursor.execute("UPDATE projects_transaction SET amount = amount + 1 WHERE kind = 'disbursement'")
        cursor.execute("DELETE FROM projects_transaction WHERE amount_vnd IS NULL")
    Transaction.objects.filter(pk__in=ids[::5]).delete()
    assert_exact()


def test_deleting_a_project_takes_its_transactions_out_and_history_brings_one_back():
    record = project()
    payment = pay(record, datetime.date(2018, 8, 8), 600)
    version = payment.history.first()
    payment.delete()
    assert tallied() == 0
    version.instance.save()
    assert tallied() == 600
    record.delete()
    assert tallied() == 0
    assert_exact()


def test_the_fixtures_loaded_like_a_backup_restore_are_counted(seeded):
    assert TransactionTally.objects.exists()
    assert_exact()


def test_a_tally_made_wrong_is_found_and_rebuild_repairs_it():
    pay(project(), datetime.date(2023, 5, 2), 4)
    TransactionTally.objects.update(amount_vnd=9)
    assert transaction_tally.differences()
    transaction_tally.rebuild()
    assert tallied() == 4
    assert_exact()


# --- The report reads the same figures as a sum over the transactions ---------------------------------------------


def direct_disbursed(start, end, public_only):
    rows = Transaction.objects.filter(kind__in=DISBURSED_KINDS, date__gte=start, date__lte=end)
    if public_only:
        rows = rows.filter(project__is_public=True, project__review_state=ReviewState.APPROVED)
    else:
        # An official's report counts the approved projects, public or internal.
        rows = rows.filter(project__review_state=ReviewState.APPROVED)
    by_kind = dict(rows.values_list("project__kind").annotate(total=Sum("amount_vnd")).order_by())
    return by_kind, rows.aggregate(total=Sum("amount_vnd"))["total"]


@pytest.mark.parametrize("seed", range(3))
def test_the_report_disbursed_figures_equal_a_direct_sum_for_any_span(seed, official):
    rng = random.Random(seed)
    projects = [project(kind, public=rng.random() < 0.6) for kind in ProjectKind.values]
    Transaction.objects.bulk_create(
        Transaction(
            project=rng.choice(projects),
            kind=rng.choice(TransactionKind.values),
            date=datetime.date(1996, 1, 1) + datetime.timedelta(days=rng.randrange(11000)),
            amount=rng.randrange(1, 10**9),
            currency=rng.choice(["VND", "USD"]),
        )
        for _ in range(150)
    )
    for _ in range(15):
        start = datetime.date(1995, 1, 1) + datetime.timedelta(days=rng.randrange(12000))
        end = start + datetime.timedelta(days=rng.randrange(0, 9000))
        for user in (official, AnonymousUser()):
            tables, _totals, _transaction_totals = project_tables(user, start, end, {}, {})
            by_kind, total = direct_disbursed(start, end, public_only=not user.is_authenticated)
            assert tables["total"]["disbursed"] == Decimal(total or 0)
            labels = dict(ProjectKind.choices)
            for row in tables["rows"]:
                kind = next(k for k, label in labels.items() if label == row["label"])
                assert row["disbursed"] == Decimal(by_kind.get(kind) or 0)
