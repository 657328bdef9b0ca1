"""The partner tally (reports.models.PartnerTally) behind the dossier's totals
and the partner list's counts stays exact on every kind of write: each record
counts once under every partner above (or being) one of its partners. Each test
writes one way, then compares the tally with a full recount
(``tally.differences()``) and with counts taken straight from the records."""

import datetime
import random
from decimal import Decimal

import pytest
from django.contrib.auth.models import AnonymousUser
from django.db import connection, transaction
from django.db.models import Exists, OuterRef, Q, Sum

from agreements.models import Agreement, AgreementKind, AgreementStatus
from delegations.models import Delegation, Direction, Status
from partners.models import Partner, PartnerKind
from projects.models import ParticipantRole, Project, ProjectKind, ProjectParticipant
from register.publishable import ReviewState
from reports import partner_tally, tally
from reports.models import PartnerTally

pytestmark = pytest.mark.django_db

PUBLISHED = {"is_public": True, "review_state": ReviewState.APPROVED}
DRAFT = {"is_public": False, "review_state": ReviewState.DRAFT}


# The days on which the agreements in force are compared.
DAYS = [datetime.date(2019, 12, 31), datetime.date(2020, 1, 1), datetime.date(2024, 6, 30), datetime.date(2030, 1, 1)]


class Official:
    is_authenticated = is_active = True


def make_partner(name, parent=None, kind=PartnerKind.REGION, code="CN"):
    return Partner.objects.create(name=name, kind=kind, country=code, parent=parent)


@pytest.fixture
def tree():
    """China > Guangxi > Pingxiang, Chongzuo; Laos."""
    china = make_partner("Trung Quốc", kind=PartnerKind.COUNTRY)
    guangxi = make_partner("Quảng Tây", china)
    return {
        "china": china,
        "guangxi": guangxi,
        "pingxiang": make_partner("Bằng Tường", guangxi, PartnerKind.PREFECTURE_CITY),
        "chongzuo": make_partner("Sùng Tả", guangxi, PartnerKind.PREFECTURE_CITY),
        "laos": make_partner("Lào", kind=PartnerKind.COUNTRY, code="LA"),
    }


def delegation(*partners, size=3, direction=Direction.OUTBOUND, visibility=PUBLISHED, **fields):
    record = Delegation.objects.create(
        title="Đoàn công tác",
        direction=direction,
        size=size,
        start_date=datetime.date(2023, 5, 2),
        **visibility,
        **fields,
    )
    record.partners.set(partners)
    return record


def agreement(*partners, visibility=PUBLISHED, **fields):
    record = Agreement.objects.create(title="Thỏa thuận hợp tác", kind=AgreementKind.MOU, **visibility, **fields)
    record.partners.set(partners)
    return record


def project(*partners, value=None, visibility=PUBLISHED):
    record = Project.objects.create(title="Dự án", kind=ProjectKind.ODA, committed_amount=value, **visibility)
    for p in partners:
        ProjectParticipant.objects.create(project=record, partner=p, role=ParticipantRole.FUNDING)
    return record


def live_totals(partner, user):
    """What the tally must say, counted from the records themselves."""
    ids = list(Partner.objects.subtree_of(partner).values_list("pk", flat=True))

    def involving(model, link, field):
        rows = model.objects.visible_to(user).filter(
            Exists(link.objects.filter(**{field: OuterRef("pk")}, partner_id__in=ids))
        )
        return rows

    delegations = involving(Delegation, Delegation.partners.through, "delegation")
    held = delegations.exclude(status=Status.CANCELLED)
    projects = involving(Project, ProjectParticipant, "project")
    return {
        "delegations": held.count(),
        "outbound": held.filter(direction=Direction.OUTBOUND).count(),
        "persons": held.aggregate(n=Sum("size"))["n"],
        "without_size": held.filter(size__isnull=True).count(),
        "cancelled": delegations.filter(status=Status.CANCELLED).count(),
        "agreements": involving(Agreement, Agreement.partners.through, "agreement").count(),
        "in_force": [
            involving(Agreement, Agreement.partners.through, "agreement").in_force_on(day).count() for day in DAYS
        ],
        "projects": projects.count(),
        "value_vnd": projects.aggregate(n=Sum("committed_vnd"))["n"],
    }


def tallied(partner, user):
    t = partner_tally.dossier_totals(partner, user)
    d = t["delegations"]
    return {
        "delegations": d["total"],
        "outbound": d["outbound"],
        "persons": d["persons"],
        "without_size": d["without_size"],
        "cancelled": d["cancelled"],
        "agreements": t["agreements"],
        "in_force": [partner_tally.agreements_in_force(partner, user, day) for day in DAYS],
        "projects": t["projects"]["total"],
        "value_vnd": t["projects"]["value_vnd"],
    }


def assert_exact(*partners):
    assert tally.differences() == []
    for p in partners or Partner.objects.all():
        for user in (Official(), AnonymousUser()):
            assert tallied(p, user) == live_totals(p, user), (p.name, user)


def count(partner, record="delegation", **filters):
    return sum(
        PartnerTally.objects.filter(partner_id=partner.pk, record=record, **filters).values_list("records", flat=True)
    )


def test_a_record_naming_two_towns_of_a_province_counts_once_for_the_province_and_the_country(tree):
    delegation(tree["pingxiang"], tree["chongzuo"], size=5)
    assert [count(tree[name]) for name in ("china", "guangxi", "pingxiang", "chongzuo", "laos")] == [1, 1, 1, 1, 0]
    delegation(tree["guangxi"], tree["laos"], size=2, visibility=DRAFT)
    assert count(tree["china"]) == 2 and count(tree["china"], public=True) == 1
    assert count(tree["laos"]) == 1
    assert partner_tally.dossier_totals(tree["china"], Official())["delegations"]["persons"] == 7
    assert partner_tally.dossier_totals(tree["china"], AnonymousUser())["delegations"]["persons"] == 5
    assert_exact()


def test_agreements_and_projects_count_with_their_committed_value(tree):
    agreement(tree["pingxiang"], tree["guangxi"])
    agreement(tree["laos"], visibility=DRAFT)
    project(tree["pingxiang"], tree["chongzuo"], value=Decimal("134525000"))
    project(tree["chongzuo"])  # no value recorded
    totals = partner_tally.dossier_totals(tree["guangxi"], Official())
    assert totals["agreements"] == 1
    assert totals["projects"] == {"total": 2, "value_vnd": Decimal("134525000"), "without_value": 1}
    assert partner_tally.dossier_totals(tree["laos"], AnonymousUser())["agreements"] == 0
    assert_exact()


def test_agreements_in_force_on_a_day_follow_their_dates_and_status(tree):
    day = datetime.date
    agreement(tree["pingxiang"], signed_on=day(2019, 5, 1), status=AgreementStatus.IN_FORCE)
    agreement(tree["chongzuo"], signed_on=day(2018, 1, 1), effective_on=day(2020, 1, 1), expires_on=day(2024, 6, 29))
    agreement(tree["guangxi"], signed_on=day(2020, 1, 1), expires_on=day(2024, 6, 30), status=AgreementStatus.SIGNED)
    agreement(tree["guangxi"], status=AgreementStatus.SIGNED)  # no date: never shown in force
    agreement(tree["guangxi"], signed_on=day(2010, 1, 1), status=AgreementStatus.EXPIRED)
    draft = agreement(tree["pingxiang"], signed_on=day(2021, 3, 3), visibility=DRAFT)
    china = tree["china"]
    assert [partner_tally.agreements_in_force(china, Official(), d) for d in DAYS] == [1, 3, 3, 2]
    assert [partner_tally.agreements_in_force(china, AnonymousUser(), d) for d in DAYS] == [1, 3, 2, 1]
    assert_exact()
    draft.status, draft.expires_on = AgreementStatus.TERMINATED, day(2022, 1, 1)
    draft.save()
    Agreement.objects.filter(status=AgreementStatus.EXPIRED).update(status=AgreementStatus.IN_FORCE)
    Agreement.objects.filter(effective_on__isnull=False).update(effective_on=None)
    assert_exact()


def test_changing_the_counted_fields_moves_the_counts(tree):
    record = delegation(tree["pingxiang"], size=4)
    record.direction, record.size = Direction.INBOUND, None
    record.save()
    assert count(tree["china"], direction=Direction.INBOUND) == 1
    assert count(tree["china"], direction=Direction.OUTBOUND) == 0
    record.status = Status.CANCELLED
    record.is_public, record.review_state = False, ReviewState.SUBMITTED
    record.save()
    assert count(tree["guangxi"], cancelled=True, public=False) == 1
    record.title = "Một tên khác"  # not counted: no change
    record.save()
    plan = project(tree["laos"], value=Decimal("1000"))
    plan.committed_amount = Decimal("2500")
    plan.save()
    assert partner_tally.dossier_totals(tree["laos"], Official())["projects"]["value_vnd"] == Decimal("2500")
    assert_exact()


def test_adding_removing_and_replacing_partners(tree):
    record = delegation(tree["pingxiang"])
    record.partners.add(tree["chongzuo"], tree["laos"])
    assert count(tree["guangxi"]) == 1 and count(tree["laos"]) == 1
    record.partners.remove(tree["pingxiang"])
    assert count(tree["pingxiang"]) == 0 and count(tree["guangxi"]) == 1
    record.partners.set([tree["laos"]])
    assert count(tree["china"]) == 0 and count(tree["laos"]) == 1
    record.partners.clear()
    assert count(tree["laos"]) == 0
    plan = project(tree["pingxiang"])
    ProjectParticipant.objects.filter(project=plan).update(partner=tree["laos"])
    ProjectParticipant.objects.create(
        project=plan, local_unit=None, partner=tree["chongzuo"], role=ParticipantRole.EXTENDING
    )
    assert count(tree["laos"], "project") == 1 and count(tree["guangxi"], "project") == 1
    assert_exact()


def test_bulk_writes_through_querysets_and_raw_sql(tree):
    records = [delegation(tree["pingxiang"], size=i) for i in range(1, 6)]
    Delegation.objects.filter(pk__in=[r.pk for r in records[:3]]).update(direction=Direction.INBOUND, size=10)
    Delegation.partners.through.objects.bulk_create(
        [Delegation.partners.through(delegation=r, partner=tree["laos"]) for r in records]
    )
    Delegation.partners.through.objects.filter(partner=tree["pingxiang"], delegation__in=records[3:]).delete()
    with connection.cursor() as cursor:
        cursor.execute(
            "UPDATE delegations_delegation SET is_public = %s, review_state = %s WHERE id = %s",
            [False, "draft", records[0].pk],
        )
    Agreement.objects.bulk_create([Agreement(title=f"TT {i}", kind=AgreementKind.MOU, **PUBLISHED) for i in range(3)])
    for a in Agreement.objects.all():
        a.partners.add(tree["chongzuo"])
    Agreement.objects.filter(pk__in=Agreement.objects.values("pk")[:1]).update(is_public=False, review_state="draft")
    assert_exact()


def test_deleting_records_and_their_links(tree):
    record = delegation(tree["pingxiang"], tree["laos"])
    agreement(tree["chongzuo"]).delete()
    project(tree["pingxiang"], value=Decimal("5")).delete()
    record.delete()
    assert count(tree["china"]) == 0 and count(tree["laos"]) == 0
    assert count(tree["guangxi"], "agreement") == 0 and count(tree["guangxi"], "project") == 0
    assert_exact()


@pytest.mark.skipif("connection.vendor != 'postgresql'")
def test_a_record_deleted_before_its_links_or_linked_before_it_exists(tree):
    """PostgreSQL checks the foreign keys at commit, so raw SQL may write in either order."""
    record = delegation(tree["pingxiang"])
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SET CONSTRAINTS ALL DEFERRED")
        cursor.execute("DELETE FROM delegations_delegation WHERE id = %s", [record.pk])
        cursor.execute("DELETE FROM delegations_delegation_partners WHERE delegation_id = %s", [record.pk])
    assert count(tree["china"]) == 0
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SET CONSTRAINTS ALL DEFERRED")
        cursor.execute(
            "INSERT INTO delegations_delegation_partners (delegation_id, partner_id) VALUES (%s, %s)",
            [record.pk, tree["chongzuo"].pk],
        )
        columns = ", ".join(f.column for f in Delegation._meta.concrete_fields if not f.primary_key)
        copy = f"INSERT INTO delegations_delegation (id, {columns}) SELECT %s, {columns} FROM delegations_delegation"  # noqa: S608
        cursor.execute(copy + " WHERE id = %s", [record.pk, delegation().pk])
    assert count(tree["guangxi"]) == 1
    assert_exact()


def test_moving_a_partner_moves_its_records_up_the_new_branch(tree):
    delegation(tree["pingxiang"], size=6)
    agreement(tree["chongzuo"])
    guangxi = tree["guangxi"]
    guangxi.parent = tree["laos"]  # not geography, but a move of a whole branch
    guangxi.save()
    assert count(tree["china"]) == 0 and count(tree["laos"]) == 1 and count(tree["laos"], "agreement") == 1
    assert count(guangxi) == 1
    pingxiang = Partner.objects.get(pk=tree["pingxiang"].pk)
    pingxiang.parent = tree["china"]
    pingxiang.save()
    assert count(tree["china"]) == 1 and count(tree["laos"]) == 0 and count(guangxi) == 0
    assert_exact()


def test_deleting_a_partner_with_its_links(tree):
    delegation(tree["chongzuo"], tree["laos"])
    make_partner("Ninh Minh", tree["guangxi"], PartnerKind.COUNTY)
    Partner.objects.get(name="Ninh Minh").delete()
    chongzuo = tree["chongzuo"]
    Delegation.partners.through.objects.filter(partner=chongzuo).delete()
    chongzuo.delete()
    assert count(tree["china"]) == 0 and count(tree["laos"]) == 1
    assert not PartnerTally.objects.filter(partner_id=chongzuo.pk).exists()
    assert_exact()


def test_the_fixtures_are_counted(seeded):
    assert_exact(*Partner.objects.filter(Q(name_en="Guangxi Zhuang Autonomous Region") | Q(name_en="Pingxiang")))
    assert tally.differences() == []


def test_rebuild_repairs_a_damaged_tally_and_the_check_finds_it(tree):
    delegation(tree["pingxiang"])
    PartnerTally.objects.filter(partner_id=tree["china"].pk).update(records=7)
    assert tally.differences() != []
    tally.rebuild()
    assert_exact()


def test_random_writes_keep_it_exact(tree):
    rng = random.Random(6)
    partners = list(tree.values())
    records = []
    for step in range(40):
        action = rng.choice(["new", "link", "unlink", "edit", "delete", "project", "agreement"])
        if action == "new" or not records:
            records.append(delegation(*rng.sample(partners, rng.randint(0, 3)), size=rng.choice([None, 1, 4])))
        elif action == "link":
            rng.choice(records).partners.add(*rng.sample(partners, 2))
        elif action == "unlink":
            rng.choice(records).partners.remove(rng.choice(partners))
        elif action == "edit":
            record = rng.choice(records)
            record.direction = rng.choice([Direction.OUTBOUND, Direction.INBOUND, Direction.DOMESTIC, ""])
            record.status = rng.choice([Status.CANCELLED, Status.COMPLETED])
            record.is_public, record.review_state = rng.choice(
                [(True, ReviewState.APPROVED), (False, ReviewState.DRAFT)]
            )
            record.size = rng.choice([None, 2, 9])
            record.save()
        elif action == "delete":
            records.pop(rng.randrange(len(records))).delete()
        elif action == "project":
            project(*rng.sample(partners, rng.randint(1, 2)), value=rng.choice([None, Decimal(step * 1000)]))
        else:
            signed = rng.choice([None, datetime.date(2019, 12, 31), datetime.date(2021, 4, 5)])
            expires = rng.choice([None, datetime.date(2024, 6, 29), datetime.date(2024, 6, 30)])
            agreement(
                *rng.sample(partners, rng.randint(1, 2)),
                visibility=rng.choice([PUBLISHED, DRAFT]),
                signed_on=signed,
                expires_on=expires if signed else None,
                status=rng.choice([AgreementStatus.SIGNED, AgreementStatus.IN_FORCE, AgreementStatus.EXPIRED]),
            )
    assert_exact()
