"""The agreement tally (agreements.models.AgreementTally) behind the period
report's agreement figures stays exact on every kind of write: database
triggers keep it, so each test writes one way and compares the tally with a
full recount, and the report's figures with a direct count over the agreements."""

import datetime
import random

import pytest
from django.contrib.auth.models import AnonymousUser
from django.db import connection
from django.db.models import Count, Q, Sum

from agreements import agreement_tally
from agreements.models import Agreement, AgreementStatus, AgreementTally, SigningLevel
from register.publishable import ReviewState
from reports.selectors_period import NOT_RECORDED, agreement_tables

pytestmark = pytest.mark.django_db

PUBLISHED = {"is_public": True, "review_state": ReviewState.APPROVED}
DRAFT = {"is_public": False, "review_state": ReviewState.DRAFT}


def day(text):
    return datetime.date.fromisoformat(text)


def agreement(public=True, **fields):
    fields.setdefault("title", "Thỏa thuận")
    return Agreement.objects.create(kind="mou", **(PUBLISHED if public else DRAFT), **fields)


def assert_exact():
    assert agreement_tally.differences() == []


def counted(event, grain="y", **filters):
    rows = AgreementTally.objects.filter(grain=grain, event=event, **filters)
    return rows.aggregate(n=Sum("agreements"))["n"] or 0


def test_signing_taking_effect_expiring_and_deleting_move_the_counts():
    level = SigningLevel.PROVINCIAL_COMMITTEE
    record = agreement(signed_on=day("2020-03-01"), status=AgreementStatus.SIGNED, signing_level=level)
    assert counted("signed", level=level, period=day("2020-01-01")) == 1
    assert counted("start", period=day("2020-01-01")) == 1
    record.effective_on, record.expires_on = day("2021-01-01"), day("2024-12-31")
    record.save()
    assert (counted("start", period=day("2020-01-01")), counted("start", period=day("2021-01-01"))) == (0, 1)
    assert counted("end", period=day("2024-01-01")) == 1
    record.status = AgreementStatus.TERMINATED
    record.save()
    assert (counted("start"), counted("end"), counted("signed")) == (0, 0, 1)
    record.delete()
    assert not AgreementTally.objects.exists()
    assert_exact()


def test_undated_agreements_and_visibility():
    undated = agreement(status=AgreementStatus.IN_FORCE, expires_on=day("2022-06-30"), public=False)
    assert counted("start", grain="u", public=False) == 1
    assert counted("uend", period=day("2022-01-01")) == 1
    Agreement.objects.filter(pk=undated.pk).update(signed_on=day("2019-05-05"), **PUBLISHED)
    assert (counted("start", grain="u"), counted("uend")) == (0, 0)
    assert counted("end", public=True) == 1
    assert_exact()


def test_bulk_writes_updates_and_deletes_through_querysets_and_raw_sql_keep_it_exact():
    rng = random.Random(5)

    def some_day():
        return rng.choice([None, day("1996-01-01") + datetime.timedelta(days=rng.randrange(11000))])

    def dates():
        signed, effective = some_day(), some_day()
        latest = max([d for d in (signed, effective) if d], default=day("2000-01-01"))
        expires = rng.choice([None, latest + datetime.timedelta(days=rng.randrange(3000))])
        return {"signed_on": signed, "effective_on": effective, "expires_on": expires}

    Agreement.objects.bulk_create(
        Agreement(
            title=f"Thỏa thuận {i}",
            kind="mou",
            status=rng.choice(AgreementStatus.values),
            signing_level=rng.choice(["", *SigningLevel.values]),
            **dates(),
            **rng.choice([PUBLISHED, DRAFT]),
        )
        for i in range(150)
    )
    assert_exact()

    ids = list(Agreement.objects.values_list("pk", flat=True))
    Agreement.objects.filter(pk__in=ids[::3]).update(status=AgreementStatus.IN_FORCE, expires_on=None)
    Agreement.objects.filter(pk__in=ids[1::4]).update(signing_level=SigningLevel.DISTRICT, **DRAFT)
    Agreement.objects.filter(pk__in=ids[2::5], expires_on=None).update(signed_on=None, effective_on=None)
    assert_exact()

    with connection.cursor() as cursor:
        cursor.execute(
            "UPDATE agreements_agreement SET is_public = FALSE, review_state = 'draft' WHERE status = 'signed'"
        )
        cursor.execute("DELETE FROM agreements_agreement WHERE signed_on IS NULL")
    Agreement.objects.filter(pk__in=ids[::7]).delete()
    assert_exact()


def test_deleting_an_agreement_and_restoring_it_from_history():
    record = agreement(signed_on=day("2015-02-01"), status=AgreementStatus.SIGNED)
    version = record.history.first()
    record.delete()
    assert counted("signed") == 0
    version.instance.save()
    assert counted("signed") == 1
    assert_exact()


def test_the_fixtures_loaded_like_a_backup_restore_are_counted(seeded):
    assert AgreementTally.objects.exists()
    assert_exact()


def test_a_tally_made_wrong_is_found_and_rebuild_repairs_it():
    agreement(signed_on=day("2023-05-02"))
    AgreementTally.objects.update(agreements=9)
    assert agreement_tally.differences()
    agreement_tally.rebuild()
    assert counted("signed") == 1
    assert_exact()


# --- The report reads the same figures as a direct count over the agreements ---------------------------------------


def direct(user, start, end):
    visible = Agreement.objects.counted_for(user)
    undated = Q(
        status__in=[AgreementStatus.SIGNED, AgreementStatus.IN_FORCE], signed_on__isnull=True, effective_on__isnull=True
    ) & (Q(expires_on__isnull=True) | Q(expires_on__gte=end))
    by_level = dict(visible.signed_between(start, end).values_list("signing_level").annotate(n=Count("pk")))
    return {
        "signed": visible.signed_between(start, end).count(),
        "in_force": visible.in_force_on(end).count(),
        "in_force_undated": visible.filter(undated).count(),
        "by_level": by_level,
    }


@pytest.mark.parametrize("seed", range(3))
def test_the_report_agreement_figures_equal_a_direct_count_for_any_span(seed, official):
    rng = random.Random(seed)

    def some_day():
        return rng.choice([None, day("1996-01-01") + datetime.timedelta(days=rng.randrange(11000))])

    for i in range(90):
        signed, effective = some_day(), some_day()
        latest = max([d for d in (signed, effective) if d], default=day("2000-01-01"))
        agreement(
            public=rng.random() < 0.6,
            title=f"Thỏa thuận {i}",
            status=rng.choice(AgreementStatus.values),
            signing_level=rng.choice(["", *SigningLevel.values]),
            signed_on=signed,
            effective_on=effective,
            expires_on=rng.choice([None, latest + datetime.timedelta(days=rng.randrange(3000))]),
        )
    labels = dict(SigningLevel.choices)
    for _ in range(15):
        start = day("1995-01-01") + datetime.timedelta(days=rng.randrange(12000))
        end = start + datetime.timedelta(days=rng.randrange(0, 9000))
        for user in (official, AnonymousUser()):
            tables, _totals = agreement_tables(user, start, end, {})
            want = direct(user, start, end)
            assert (tables["signed"], tables["in_force"], tables["in_force_undated"]) == (
                want["signed"],
                want["in_force"],
                want["in_force_undated"],
            ), (start, end)
            expected_levels = {str(labels.get(level, NOT_RECORDED)): n for level, n in want["by_level"].items()}
            assert {str(row["label"]): row["agreements"] for row in tables["by_level"]} == expected_levels
