"""The tally of agreements signed by partner (agreements.models.SignedPartnerTally)
behind the period report's table "signed in the period, by partner" stays exact
on every kind of write: each test writes one way, then compares the tally with a
full recount, and the report's table with a count straight over the agreements
and their links."""

import datetime
import random
from collections import Counter

import pytest
from django.contrib.auth.models import AnonymousUser
from django.db import connection, transaction
from django.db.models import Sum

from agreements import signed_partner_tally
from agreements.models import Agreement, AgreementKind, AgreementStatus, SignedPartnerTally
from partners.models import Partner, PartnerKind
from register.publishable import ReviewState
from reports.selectors_period import NOT_RECORDED, agreement_tables

pytestmark = pytest.mark.django_db

PUBLISHED = {"is_public": True, "review_state": ReviewState.APPROVED}
DRAFT = {"is_public": False, "review_state": ReviewState.DRAFT}
Link = Agreement.partners.through


def day(text):
    return datetime.date.fromisoformat(text)


@pytest.fixture
def partners():
    china = Partner.objects.create(**PUBLISHED, name="Trung Quốc", kind=PartnerKind.COUNTRY, country="CN")
    return {
        "china": china,
        "guangxi": Partner.objects.create(
            **PUBLISHED, name="Quảng Tây", kind=PartnerKind.REGION, country="CN", parent=china
        ),
        "laos": Partner.objects.create(**PUBLISHED, name="Lào", kind=PartnerKind.COUNTRY, country="LA"),
    }


SIGNED_ON = datetime.date(2020, 3, 1)


def agreement(*partners, signed_on=SIGNED_ON, public=True, **fields):
    record = Agreement.objects.create(
        title="Thỏa thuận",
        kind=AgreementKind.MOU,
        status=AgreementStatus.SIGNED,
        signed_on=signed_on,
        **(PUBLISHED if public else DRAFT),
        **fields,
    )
    record.partners.add(*partners)
    return record


def counted(partner=None, public=None, grain="y"):
    rows = SignedPartnerTally.objects.filter(grain=grain, partner_id=partner.pk if partner else None)
    if public is not None:
        rows = rows.filter(public=public)
    return rows.aggregate(n=Sum("agreements"))["n"] or 0


def assert_exact():
    assert signed_partner_tally.differences() == []


def test_signing_linking_unlinking_and_deleting_move_the_counts(partners):
    china, guangxi, laos = partners["china"], partners["guangxi"], partners["laos"]
    record = agreement(china, guangxi)
    assert (counted(china), counted(guangxi), counted(laos), counted()) == (1, 1, 0, 0)
    assert counted(china, grain="d") == counted(china, grain="m") == 1
    record.partners.remove(china)
    record.partners.add(laos)
    assert (counted(china), counted(guangxi), counted(laos)) == (0, 1, 1)
    record.partners.clear()
    assert (counted(guangxi), counted(laos), counted()) == (0, 0, 1)  # under no partner now
    record.partners.set([laos])
    assert (counted(laos), counted()) == (1, 0)
    record.signed_on = day("2021-07-09")
    record.is_public, record.review_state = False, ReviewState.DRAFT
    record.save()
    assert counted(laos, public=True) == 0 and counted(laos, public=False) == 1
    assert SignedPartnerTally.objects.filter(grain="y", period=day("2021-01-01"), partner_id=laos.pk).exists()
    record.signed_on = None
    record.save()
    assert not SignedPartnerTally.objects.exclude(agreements=0).exists()
    record.signed_on = day("2019-01-01")
    record.save()
    record.delete()
    assert not SignedPartnerTally.objects.exclude(agreements=0).exists()
    assert_exact()


def test_bulk_writes_updates_and_deletes_through_querysets_and_raw_sql_keep_it_exact(partners):
    rng = random.Random(11)
    everyone = list(partners.values())
    Agreement.objects.bulk_create(
        Agreement(
            title=f"Thỏa thuận {i}",
            kind=AgreementKind.MOU,
            status=AgreementStatus.SIGNED,
            signed_on=rng.choice([None, day("1996-01-01") + datetime.timedelta(days=rng.randrange(11000))]),
            **rng.choice([PUBLISHED, DRAFT]),
        )
        for i in range(120)
    )
    ids = list(Agreement.objects.values_list("pk", flat=True))
    Link.objects.bulk_create(
        Link(agreement_id=pk, partner=partner) for pk in ids for partner in rng.sample(everyone, rng.randrange(4))
    )
    assert_exact()
    Agreement.objects.filter(pk__in=ids[::3]).update(signed_on=day("2024-02-29"))
    Agreement.objects.filter(pk__in=ids[1::4]).update(**DRAFT)
    with_laos = Link.objects.filter(partner=partners["laos"]).values("agreement_id")
    moved = Link.objects.filter(agreement_id__in=ids[::5], partner=partners["china"]).exclude(
        agreement_id__in=with_laos
    )
    assert moved.update(partner=partners["laos"])
    assert_exact()
    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM agreements_agreement_partners WHERE partner_id = %s", [partners["china"].pk])
        cursor.execute("UPDATE agreements_agreement SET signed_on = NULL WHERE id % 7 = 0")
    Agreement.objects.filter(pk__in=ids[::6]).delete()
    guangxi = partners["guangxi"].pk
    assert SignedPartnerTally.objects.filter(partner_id=guangxi).exclude(agreements=0).exists()
    partners["guangxi"].delete()  # its links go with it
    assert not SignedPartnerTally.objects.filter(partner_id=guangxi).exclude(agreements=0).exists()
    assert_exact()


@pytest.mark.skipif("connection.vendor != 'postgresql'")
def test_an_agreement_deleted_before_its_links_or_linked_before_it_exists(partners):
    """PostgreSQL checks the foreign keys at commit, so raw SQL may write in either order."""
    record = agreement(partners["china"])
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SET CONSTRAINTS ALL DEFERRED")
        cursor.execute("DELETE FROM agreements_agreement WHERE id = %s", [record.pk])
        cursor.execute("DELETE FROM agreements_agreement_partners WHERE agreement_id = %s", [record.pk])
    assert counted(partners["china"]) == 0
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SET CONSTRAINTS ALL DEFERRED")
        cursor.execute(
            "INSERT INTO agreements_agreement_partners (agreement_id, partner_id) VALUES (%s, %s)",
            [record.pk, partners["laos"].pk],
        )
        columns = ", ".join(f.column for f in Agreement._meta.concrete_fields if not f.primary_key)
        copy = f"INSERT INTO agreements_agreement (id, {columns}) SELECT %s, {columns} FROM agreements_agreement"  # noqa: S608
        cursor.execute(copy + " WHERE id = %s", [record.pk, agreement().pk])
    assert counted(partners["laos"]) == 1
    assert_exact()


def test_the_fixtures_are_counted(seeded):
    assert_exact()
    # The articles' one agreement has no signing date; dated, it counts under its partner.
    record = Agreement.objects.get()
    Agreement.objects.filter(pk=record.pk).update(signed_on=day("2010-10-10"))
    assert [counted(partner) for partner in record.partners.all()] == [1]
    assert_exact()


def test_a_tally_made_wrong_is_found_and_rebuild_repairs_it(partners):
    agreement(partners["laos"])
    SignedPartnerTally.objects.update(agreements=5)
    assert signed_partner_tally.differences()
    signed_partner_tally.rebuild()
    assert counted(partners["laos"]) == 1
    assert_exact()


# --- The report's table equals a count over the agreements and their links ----------------------------------------


def direct(user, start, end):
    """{partner name: agreements} for the agreements ``user`` may see signed in [start, end]."""
    signed = Agreement.objects.counted_for(user).signed_between(start, end).prefetch_related("partners")
    counts = Counter()
    for record in signed:
        names = [partner.name for partner in record.partners.all()] or [str(NOT_RECORDED)]
        counts.update(names)
    return dict(counts)


@pytest.mark.parametrize("seed", range(3))
def test_the_report_by_partner_equals_a_direct_count_for_any_span(seed, official, partners):
    rng = random.Random(seed)
    everyone = list(partners.values())
    for i in range(60):
        signed_on = rng.choice([None, day("1996-01-01") + datetime.timedelta(days=rng.randrange(11000))])
        agreement(*rng.sample(everyone, rng.randrange(3)), signed_on=signed_on, public=rng.random() < 0.6, code=f"T{i}")
    for _ in range(12):
        start = day("1995-01-01") + datetime.timedelta(days=rng.randrange(12000))
        end = start + datetime.timedelta(days=rng.randrange(0, 9000))
        for user in (official, AnonymousUser()):
            tables, _totals = agreement_tables(user, start, end, {})
            shown = {str(row["partner__name"]): row["agreements"] for row in tables["by_partner"]}
            assert shown == direct(user, start, end), (start, end)
            counts = [row["agreements"] for row in tables["by_partner"] if row["partner_id"] is not None]
            assert counts == sorted(counts, reverse=True)
