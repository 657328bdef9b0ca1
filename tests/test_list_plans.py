"""Every list, sort and page reads its rows off an index, on SQLite and on
PostgreSQL (issue 20): the query the page really runs (captured from the
connection with its parameters, not rebuilt) is explained, and its plan must not
scan the list's table nor sort it in a temporary B-tree / a Sort node.

For each list and each of its sort options: the first page, a filtered page and a
deep page (a cursor page where the order is a keyset, else a numbered one), for a
visitor of a database with one office and for an official of one of two offices
(the province then leads the index). The planners are given what a real database
has: statistics (``ANALYZE``; SQLite keeps them, common/sqlite_backend). PostgreSQL
would rightly scan and sort a table of a few hundred rows, so it is told to
avoid both while it can (``enable_seqscan``/``enable_sort`` off): a plan that
still has one shows that no index serves the order.

Left out, with its reason: the partner list sorted by country, which orders by
each country's Vietnamese name, a CASE over the whole country list that no
index can hold; partners are shared by all offices, a few thousand rows."""

import datetime as dt
import re

import pytest
from django.db import connection, connections
from django.test import Client

from agreements.models import Agreement, AgreementKind
from agreements.views import ListPage as AgreementList
from common import pagination
from delegations.models import Delegation, Direction
from delegations.views import ListPage as DelegationList
from offices import services
from offices.models import OfficeProfile, StaffProfile
from partners.models import Partner, PartnerKind
from partners.views import ListPage as PartnerList
from projects.models import Project, ProjectKind
from projects.views import ListPage as ProjectList
from register.publishable import ReviewState
from tests.conftest import make_user

ROWS = 400
PUBLISHED = {"review_state": ReviewState.APPROVED, "is_public": True}
UNINDEXABLE = {("partners", "country")}


def day(n):
    return None if n % 13 == 0 else dt.date(1996, 1, 1) + dt.timedelta(days=(n * 37) % 10_000)


def rows(model, make):
    model.objects.bulk_create([model(**make(n), **PUBLISHED) for n in range(ROWS)], batch_size=200)


def fill(provinces):
    rows(
        Delegation,
        lambda n: {
            "title": f"Đoàn {n}",
            "direction": Direction.OUTBOUND if n % 2 else Direction.INBOUND,
            "start_date": day(n),
            "size": None if n % 7 == 0 else n % 31,
            "province_id": provinces[n % len(provinces)],
        },
    )
    rows(
        Agreement,
        lambda n: {
            "title": f"Thỏa thuận {n}",
            "kind": AgreementKind.MOU,
            "signed_on": day(n),
            "expires_on": None if n % 3 == 0 or day(n) is None else day(n) + dt.timedelta(days=n * 11 % 3000),
            "province_id": provinces[n % len(provinces)],
        },
    )
    rows(
        Project,
        lambda n: {
            "title": f"Dự án {n}",
            "kind": ProjectKind.ODA if n % 2 else ProjectKind.FDI,
            "planned_start": day(n),
            "committed_vnd": None if n % 5 == 0 else n * 1_000_000,
            "province_id": provinces[n % len(provinces)],
        },
    )
    rows(Partner, lambda n: {"name": f"Đối tác {n}", "kind": PartnerKind.values[n % len(PartnerKind.values)]})
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")


# list -> (url, view, table, a filter the list offers)
LISTS = {
    "delegations": ("/delegations/", DelegationList, "delegations_delegation", "direction=out"),
    "agreements": ("/agreements/", AgreementList, "agreements_agreement", "kind=mou"),
    "projects": ("/projects/", ProjectList, "projects_project", "kind=oda"),
    "partners": ("/partners/", PartnerList, "partners_partner", "kind=region"),
}


def explain(sql, params):
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute("EXPLAIN QUERY PLAN " + sql, params)
            return [row[3] for row in cursor.fetchall()]
        cursor.execute("EXPLAIN " + sql, params)
        return [row[0] for row in cursor.fetchall()]


def faults(plan, table, cursor=False):
    """The lines of ``plan`` that scan ``table`` whole or sort the rows. A cursor
    page must also start at its cursor: on SQLite, not ``SCAN <table> USING
    INDEX`` (the index walked from its first entry to the cursor's row, as long
    as the page is deep) but ``SEARCH ... (<expr><?)``."""
    scan = re.compile(rf"^SCAN {table}$|Seq Scan on {table}\b")
    # On SQLite, the line reading the list's table must bound the key: "(province=? AND <expr><?)".
    walk = re.compile(rf"^(SCAN|SEARCH) {table} (?!.*[<>]\?\))")
    return [
        line
        for line in plan
        if scan.search(line.strip())
        or (cursor and walk.search(line.strip()))
        or "TEMP B-TREE FOR ORDER BY" in line
        or "Sort  (" in line
    ]


def page_query(client, url, table):
    """(sql, params) of the query that read the page's rows, as the page ran it."""
    ran = []

    def record(execute, sql, params, many, context):
        ran.append((sql, params))
        return execute(sql, params, many, context)

    with connection.execute_wrapper(record):
        response = client.get(url)
    assert response.status_code == 200, url
    reads = [(s, p) for s, p in ran if f'FROM "{table}"' in s and "ORDER BY" in s and "LIMIT" in s]
    assert reads, f"{url}: no query read the page's rows"
    assert not any(p is None for p in reads[0][1] or ()), reads[0]
    return reads[0], response


def pages(name, client):
    """(url, query, plan) for the first, a filtered and a deep page of every sort."""
    url, view, table, a_filter = LISTS[name]
    for sort, (_label, ordering) in view.sort_options.items():
        if (name, sort) in UNINDEXABLE:
            continue
        first = f"{url}?sort={sort}"
        (sql, params), response = page_query(client, first, table)
        yield first, sql, explain(sql, params), False
        filtered = f"{first}&{a_filter}"
        (sql, params), _response = page_query(client, filtered, table)
        yield filtered, sql, explain(sql, params), False
        key = pagination.sort_key(view.filterset_class._meta.model, ordering)
        if key is None:
            deep = f"{first}&page=3"
        else:
            row = response.context["page_obj"].object_list[-1]
            deep = f"{first}&after={pagination._encode(pagination._key_values(row, key))}"
        (sql, params), _response = page_query(client, deep, table)
        yield deep, sql, explain(sql, params), key is not None


@pytest.fixture
def planner(db):
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SET LOCAL enable_seqscan = off")
            cursor.execute("SET LOCAL enable_sort = off")


def assert_indexed(name, client):
    table = LISTS[name][2]
    bad = {url: (sql, plan) for url, sql, plan, cursor in pages(name, client) if faults(plan, table, cursor)}
    assert not bad, "\n".join(f"{url}\n  {sql}\n  {plan}" for url, (sql, plan) in bad.items())


@pytest.mark.parametrize("name", LISTS)
def test_a_visitor_of_one_office_reads_every_list_page_off_an_index(client, planner, name):
    fill(["20"])
    assert_indexed(name, client)


@pytest.mark.parametrize("name", LISTS)
def test_an_official_of_one_of_two_offices_reads_every_list_page_off_an_index(planner, name):
    profile = OfficeProfile(**services.defaults_for(services.find_province("04")))
    profile.full_clean()
    profile.save()
    fill(["20", "04"])
    user = make_user("official_04", "official")
    StaffProfile.objects.create(user=user, province_id="04")
    client = Client()
    client.force_login(user)
    assert_indexed(name, client)


def test_a_plan_that_scans_and_sorts_is_caught():
    assert faults(["SCAN delegations_delegation", "USE TEMP B-TREE FOR ORDER BY"], "delegations_delegation")
    assert faults(["Seq Scan on delegations_delegation  (cost=0.00..1.01 rows=1 width=4)"], "delegations_delegation")
    assert faults(["  ->  Sort  (cost=1.02..1.03 rows=1 width=4)"], "delegations_delegation")
    assert not faults(["SCAN delegations_delegation USING INDEX delegation_list_newest_idx"], "delegations_delegation")
    walked = ["SCAN delegations_delegation USING INDEX delegation_list_newest_idx"]
    assert faults(walked, "delegations_delegation", cursor=True)
    ranged = ["SEARCH delegations_delegation USING INDEX delegation_list_newest_idx (<expr><?)"]
    assert not faults(ranged, "delegations_delegation", cursor=True)
    from_the_province_start = ["SEARCH delegations_delegation USING INDEX delegation_prov_newest_idx (province=?)"]
    assert faults(from_the_province_start, "delegations_delegation", cursor=True)
    assert not faults(["SEARCH T USING INDEX i (province=? AND <expr>>?)"], "T", cursor=True)


def test_a_sqlite_database_has_statistics_once_migrated(db):
    """``migrate`` analyses a SQLite database that has never been (register/apps.py), and the
    backend's connections run ``PRAGMA optimize`` as they close (common/sqlite_backend)."""
    if connection.vendor != "sqlite":
        pytest.skip("PostgreSQL's autovacuum keeps its statistics")
    from common.sqlite_backend.base import DatabaseWrapper, analyze_if_never

    assert isinstance(connections["default"], DatabaseWrapper)
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM sqlite_master WHERE name = 'sqlite_stat1'")
        assert cursor.fetchone() == (1,)
    assert analyze_if_never(connection) is False


def count_query(client, url, table):
    """(sql, params) of the page's capped count of its rows, as the page ran it."""
    ran = []

    def record(execute, sql, params, many, context):
        ran.append((sql, params))
        return execute(sql, params, many, context)

    with connection.execute_wrapper(record):
        assert client.get(url).status_code == 200, url
    counts = [(s, p) for s, p in ran if s.startswith("SELECT COUNT(*) FROM (") and f'FROM "{table}"' in s]
    assert counts, f"{url}: no capped count"
    return counts[0]


def test_a_provinces_oda_list_is_counted_from_its_province_and_kind_index(planner):
    """A province's ODA list counted its rows by reading each of the province's
    projects to test its kind (21 ms at 20,000 projects on SQLite, 0.1 ms from the
    (province, kind) index). An official of one of two offices: the province leads."""
    profile = OfficeProfile(**services.defaults_for(services.find_province("04")))
    profile.full_clean()
    profile.save()
    fill(["20", "04"])
    user = make_user("official_04", "official")
    StaffProfile.objects.create(user=user, province_id="04")
    client = Client()
    client.force_login(user)
    sql, params = count_query(client, "/projects/?kind=oda", "projects_project")
    plan = explain(sql, params)
    if connection.vendor == "sqlite":
        assert any("USING COVERING INDEX project_prov_kind_idx (province=? AND kind=?)" in line for line in plan), plan
    else:
        assert not any("Seq Scan on projects_project" in line for line in plan), plan
