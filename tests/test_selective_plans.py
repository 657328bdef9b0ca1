"""Two filters whose cheap plan depends on how many rows match (issue 20), and
that choose it from a count instead of leaving SQLite to guess:

- a partner filter reads a rare partner's few links by the link table's partner
  index (``pk IN``) and a busy partner's records along the list's order
  (``EXISTS``), partners/involving.py; the subtree is a range on the path
  index on SQLite (common/lookups.py ``__prefix``);
- a search with many matches reads its page along the list's order, a search
  with few reads the matches first (common/pagination.py read_along_the_order).

Either way the rows are the same, on SQLite and on PostgreSQL."""

import datetime as dt

import pytest
from django.db import connection
from django.test import Client

from agreements.models import Agreement, AgreementKind
from common import pagination
from delegations.models import Delegation, Direction
from partners import involving
from partners.models import Partner, PartnerKind
from projects.models import Project, ProjectKind, ProjectParticipant
from register.publishable import ReviewState
from tests.test_list_plans import explain, faults, page_query

PUBLISHED = {"review_state": ReviewState.APPROVED, "is_public": True}
sqlite_only = pytest.mark.skipif(connection.vendor != "sqlite", reason="the plans are SQLite's")


@pytest.fixture
def partners(db):
    """A country with a region and a city under it, a second country, and a partner
    whose path is a prefix of another's as text (/1/ beside /10/...)."""
    china = Partner.objects.create(name="Trung Quốc", kind=PartnerKind.COUNTRY, country="CN", **PUBLISHED)
    guangxi = Partner.objects.create(name="Quảng Tây", kind=PartnerKind.REGION, country="CN", parent=china, **PUBLISHED)
    city = Partner.objects.create(name="Bằng Tường", kind=PartnerKind.COUNTY, country="CN", parent=guangxi, **PUBLISHED)
    laos = Partner.objects.create(name="Lào", kind=PartnerKind.COUNTRY, country="LA", **PUBLISHED)
    for n in range(12):
        Partner.objects.create(name=f"Đối tác {n}", kind=PartnerKind.OTHER, **PUBLISHED)
    return {"china": china, "guangxi": guangxi, "city": city, "laos": laos}


def delegations(partners, count=30):
    made = []
    for n in range(count):
        row = Delegation.objects.create(
            title=f"Đoàn {n}",
            direction=Direction.OUTBOUND,
            start_date=dt.date(2020, 1, 1) + dt.timedelta(n),
            **PUBLISHED,
        )
        linked = [partners["city"]] if n % 3 == 0 else [partners["guangxi"], partners["city"]] if n % 3 == 1 else []
        if n % 5 == 0:
            linked.append(partners["laos"])
        row.partners.set(linked)
        made.append(row)
    return made


def expected(rows, *partners_under):
    paths = tuple(p.path for p in partners_under)
    return {r.pk for r in rows if any(q.path.startswith(paths) for q in r.partners.all())}


@pytest.mark.parametrize("few", [0, 10_000])
def test_a_partner_filter_finds_the_same_records_either_way(partners, monkeypatch, few):
    """``few`` = 0: every partner counts as busy (EXISTS); 10,000: every one as rare (IN)."""
    monkeypatch.setattr(involving, "FEW_LINKS", few or 1)
    rows = delegations(partners)
    for name in ("china", "guangxi", "city", "laos"):
        found = list(Delegation.objects.involving(partners[name]).values_list("pk", flat=True))
        assert len(found) == len(set(found)), name  # each record once
        assert set(found) == expected(rows, partners[name]), name
    agreement = Agreement.objects.create(title="Biên bản", kind=AgreementKind.MOU, **PUBLISHED)
    agreement.partners.set([partners["city"], partners["guangxi"]])
    assert list(Agreement.objects.involving(partners["china"])) == [agreement]
    assert not Agreement.objects.involving(partners["laos"]).exists()
    project = Project.objects.create(title="Dự án", kind=ProjectKind.ODA, **PUBLISHED)
    ProjectParticipant.objects.create(project=project, partner=partners["city"], role=1)
    ProjectParticipant.objects.create(project=project, partner=partners["guangxi"], role=3)
    assert list(Project.objects.involving(partners["china"])) == [project]
    assert list(Project.objects.involving(partners["china"], role=3)) == [project]
    assert not Project.objects.involving(partners["city"], role=3).exists()


def test_the_count_of_links_chooses_the_form(partners, monkeypatch):
    delegations(partners)  # the city has 20 links, Laos 6
    monkeypatch.setattr(involving, "FEW_LINKS", 10)
    busy = str(Delegation.objects.involving(partners["city"]).query)
    rare = str(Delegation.objects.involving(partners["laos"]).query)
    assert "EXISTS" in busy and "EXISTS" not in rare
    assert '"delegations_delegation"."id" IN (SELECT' in rare


def test_the_prefix_lookup_is_startswith(partners):
    for text in ("", "/", partners["china"].path, partners["guangxi"].path, partners["city"].path, "/9", "/zz"):
        by_prefix = set(Partner.objects.filter(path__prefix=text).values_list("pk", flat=True))
        assert by_prefix == set(Partner.objects.filter(path__startswith=text).values_list("pk", flat=True)), text
    # Not a LIKE: its wildcards are plain characters; a character past ASCII is compared as itself.
    Partner.objects.filter(pk=partners["laos"].pk).update(notes="a%_ư")
    assert Partner.objects.filter(notes__prefix="a%_").count() == 1
    assert Partner.objects.filter(notes__prefix="a%_ư").count() == 1
    assert Partner.objects.filter(notes__prefix="a_").count() == 0


@sqlite_only
def test_a_rare_partners_records_are_read_from_its_links(partners, client):
    delegations(partners)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    (sql, params), _response = page_query(
        client, f"/delegations/?partner={partners['laos'].pk}", "delegations_delegation"
    )
    plan = " | ".join(explain(sql, params))
    assert "delegations_delegation_partners_partner_id" in plan, plan  # the link table's partner index
    assert "(path>? AND path<?)" in plan, plan  # the subtree as a range of the path index
    assert "SCAN delegations_delegation_partners" not in plan, plan


def searchable(count):
    Delegation.objects.bulk_create(
        [
            Delegation(
                title=f"Hội nghị biên giới {n}" if n % 2 else f"Đoàn công tác {n}",
                direction=Direction.OUTBOUND,
                start_date=dt.date(2010, 1, 1) + dt.timedelta(n),
                **PUBLISHED,
            )
            for n in range(count)
        ]
    )
    for row in Delegation.objects.all():  # search_text is kept by save()
        row.save()
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")


@pytest.mark.parametrize("many", [1, 10_000])
def test_a_search_page_shows_the_same_rows_either_way(db, monkeypatch, many):
    monkeypatch.setattr(pagination, "MANY_MATCHES", many)
    searchable(120)
    response = Client().get("/delegations/?q=bien+gioi")
    page = response.context["page_obj"]
    assert page.count == 60
    assert [r.title for r in page.object_list] == [f"Hội nghị biên giới {n}" for n in range(119, 69, -2)]


@sqlite_only
@pytest.mark.parametrize("many, along", [(1, True), (10_000, False)])
def test_a_search_with_many_matches_reads_along_the_order(db, monkeypatch, many, along):
    monkeypatch.setattr(pagination, "MANY_MATCHES", many)
    searchable(120)
    (sql, params), _response = page_query(Client(), "/delegations/?q=bien+gioi", "delegations_delegation")
    assert ('+"delegations_delegation"."id" IN' in sql) is along
    plan = explain(sql, params)
    assert any("delegations_delegation_words VIRTUAL TABLE" in line for line in plan), plan
    if along:  # Else the planner chooses; with 120 rows it may walk the index too.
        assert not faults(plan, "delegations_delegation"), plan
        assert any("delegation_list_newest_idx" in line for line in plan), plan
