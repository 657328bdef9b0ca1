"""The tallies by province (docs/PROVINCES.md, step 5): on a database of two offices
every tally row is one province's, the dashboard and the period report under
``/p/<code>/`` sum that province's rows, a national user's every province's, and
each tally equals a recount from the records, province by province, after writes
that move a record from one province to the other."""

import datetime as dt
from decimal import Decimal

import pytest
from django.contrib.auth.models import AnonymousUser
from django.db.models import Count, Sum
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from agreements import agreement_tally, signed_partner_tally
from agreements.models import Agreement, AgreementKind, AgreementStatus, SignedPartnerTally
from delegations.models import Delegation, Direction
from offices import services
from offices.models import OfficeProfile, StaffProfile
from offices.site_scope import SHOWN
from partners.models import Partner, PartnerKind
from projects import project_tally, transaction_tally
from projects.models import Project, ProjectKind, ProjectTally, Transaction, TransactionKind, TransactionTally
from register.publishable import ReviewState
from reports import partner_tally, tally
from reports.models import AgreementDayTally, DelegationTally, PartnerTally
from tests.conftest import english, make_user

PUBLISHED = {"review_state": ReviewState.APPROVED, "is_public": True}
INTERNAL = {"review_state": ReviewState.APPROVED, "is_public": False}
LAST_YEAR = timezone.localdate().year - 1
# What each province holds, published and internal: outbound delegations (their sizes),
# agreements signed and projects started, all last year and this year.
HOLDS = {
    "20": {"public": [3, 4], "internal": [100], "agreements": 1, "projects": 1},
    "04": {"public": [5], "internal": [200], "agreements": 2, "projects": 3},
}


@pytest.fixture(autouse=True)
def _plain_static_storage(settings):
    # Tests run with DEBUG off but without collectstatic: the manifest storage would refuse {% static %}.
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }


def records_of(code, start, guangxi):
    holds = HOLDS[code]
    for shown, state in (("public", PUBLISHED), ("internal", INTERNAL)):
        for size in holds[shown]:
            delegation = Delegation.objects.create(
                title=f"Đoàn {code} {shown} {size} {start.year}",
                direction=Direction.OUTBOUND,
                start_date=start,
                size=size,
                province_id=code,
                **state,
            )
            delegation.partners.add(guangxi)
    for n in range(holds["agreements"]):
        agreement = Agreement.objects.create(
            title=f"Thỏa thuận {code} {n} {start.year}",
            kind=AgreementKind.AGREEMENT,
            signed_on=start,
            status=AgreementStatus.IN_FORCE,
            province_id=code,
            **PUBLISHED,
        )
        agreement.partners.add(guangxi)
    for n in range(holds["projects"]):
        project = Project.objects.create(
            title=f"Dự án {code} {n} {start.year}",
            kind=ProjectKind.ODA,
            committed_amount=Decimal("1000000000"),
            actual_start=start,
            province_id=code,
            **PUBLISHED,
        )
        Transaction.objects.create(
            project=project, kind=TransactionKind.DISBURSEMENT, date=start, amount=Decimal("100000000")
        )


@pytest.fixture
def two_provinces(db):
    """Lạng Sơn (the demo office, "20") and Cao Bằng ("04") on one database, each with
    its records (HOLDS) on 1 January of last year and of this year, naming Guangxi."""
    # An id of its own: the demo office was written with its id, which PostgreSQL's sequence did not see.
    next_id = OfficeProfile.objects.order_by("-pk").values_list("pk", flat=True).first() + 1
    profile = OfficeProfile(pk=next_id, **services.defaults_for(services.find_province("04")))
    profile.full_clean()
    profile.save()
    guangxi = Partner.objects.create(name="Quảng Tây", kind=PartnerKind.REGION, country="CN", **PUBLISHED)
    for code in HOLDS:
        for year in (LAST_YEAR, LAST_YEAR + 1):
            records_of(code, dt.date(year, 1, 1), guangxi)
    return guangxi


def signed_in(username, group, code=None):
    user = make_user(username, group)
    if code is not None:
        StaffProfile.objects.create(user=user, province_id=code)
    client = Client()
    client.force_login(user)
    return english(client)


def outbound(response):
    assert response.status_code == 200
    return {str(f.label): f.now for f in response.context["key_figures"]}["Outbound delegations"]


def period(client, prefix=""):
    params = {"start": f"{LAST_YEAR}-01-01", "end": f"{LAST_YEAR}-12-31"}
    response = client.get(prefix + reverse("reports:period"), params)
    assert response.status_code == 200
    report = response.context["report"]
    projects = report["projects"]["total"]
    return report["outbound"]["delegations"], report["agreements"]["signed"], projects["new"], projects["disbursed"]


def published(code):
    return len(HOLDS[code]["public"])


def every(code):
    return published(code) + len(HOLDS[code]["internal"])


def test_a_visitor_reads_each_provinces_own_figures_under_its_prefix(two_provinces):
    visitor = english(Client())
    for code in HOLDS:
        assert outbound(visitor.get(f"/p/{code}/")) == published(code)
        holds = HOLDS[code]
        disbursed = Decimal("100000000") * holds["projects"]
        assert period(visitor, f"/p/{code}") == (published(code), holds["agreements"], holds["projects"], disbursed)
    # No prefix: a visitor reads every province's published records, summed.
    assert outbound(visitor.get("/")) == published("20") + published("04")
    assert period(visitor)[:3] == (published("20") + published("04"), 3, 4)


def test_an_official_reads_their_own_provinces_internal_figures_and_another_as_a_visitor(two_provinces):
    cao_bang = signed_in("bang", "official", "04")
    assert outbound(cao_bang.get("/")) == every("04")
    assert outbound(cao_bang.get("/p/04/")) == every("04")
    assert outbound(cao_bang.get("/p/20/")) == published("20")
    assert period(cao_bang)[0] == every("04")
    assert period(cao_bang, "/p/20")[0] == published("20")
    scope = cao_bang.get("/p/20" + reverse("reports:period"), {"in_review": "on"}).context
    assert scope["report"]["in_review"] is False
    assert "published records only" in str(scope["scope_note"])


def test_a_national_user_reads_the_sum_of_every_province(two_provinces):
    national = signed_in("bo", "national")
    assert outbound(national.get("/")) == every("20") + every("04")
    assert period(national) == (every("20") + every("04"), 3, 4, Decimal("400000000"))
    assert outbound(national.get("/p/20/")) == every("20")


def test_a_partners_dossier_and_list_count_the_records_of_the_province_shown(two_provinces):
    visitor = AnonymousUser()
    for code in HOLDS:
        token = SHOWN.set(code)
        try:
            totals = partner_tally.dossier_totals(two_provinces, visitor)
            listed = Partner.objects.with_record_counts(visitor).get(pk=two_provinces.pk)
        finally:
            SHOWN.reset(token)
        assert totals["delegations"]["outbound"] == 2 * published(code)
        assert totals["agreements"] == 2 * HOLDS[code]["agreements"]
        assert (listed.delegation_count, listed.agreement_count) == (2 * published(code), 2 * HOLDS[code]["agreements"])
    every_province = partner_tally.dossier_totals(two_provinces, visitor)
    assert every_province["delegations"]["outbound"] == 2 * (published("20") + published("04"))


def by_province(rows, measure):
    return dict(rows.values("province").annotate(n=Sum(measure)).values_list("province", "n"))


def counted(rows):
    return dict(rows.values("province").annotate(n=Count("pk")).values_list("province", "n"))


def assert_tallies_match_the_records():
    """Each tally is exact (a full recount changes nothing), and its sums per province
    are the records' counts per province."""
    for reader in (tally, agreement_tally, signed_partner_tally, project_tally, transaction_tally):
        assert reader.differences() == []
    delegations = DelegationTally.objects.filter(grain="y", country="*")
    assert by_province(delegations, "delegations") == counted(Delegation.objects.all())
    assert by_province(delegations, "persons") == dict(
        Delegation.objects.values("province").annotate(n=Sum("size")).values_list("province", "n")
    )
    signed = by_province(agreement_tally.READER.model.objects.filter(grain="y", event="signed"), "agreements")
    assert signed == counted(Agreement.objects.all())
    assert by_province(SignedPartnerTally.objects.filter(grain="y"), "agreements") == counted(Agreement.objects.all())
    started = ProjectTally.objects.filter(grain="y", event="start")
    assert by_province(started, "projects") == counted(Project.objects.all())
    transactions = TransactionTally.objects.filter(grain="y")
    assert by_province(transactions, "transactions") == dict(
        Transaction.objects.values("project__province").annotate(n=Count("pk")).values_list("project__province", "n")
    )
    linked = PartnerTally.objects.filter(record="delegation")
    assert by_province(linked, "records") == {k: v for k, v in counted(Delegation.objects.all()).items() if v}
    starts = AgreementDayTally.objects.filter(event="start")
    assert by_province(starts, "records") == counted(Agreement.objects.all())


def test_the_tallies_equal_a_recount_per_province(two_provinces):
    assert set(DelegationTally.objects.values_list("province", flat=True)) == {"20", "04"}
    assert_tallies_match_the_records()


def test_a_record_moved_to_another_province_moves_its_counts(two_provinces):
    delegation = Delegation.objects.filter(province_id="20", is_public=True).first()
    Delegation.objects.filter(pk=delegation.pk).update(province_id="04")
    agreement = Agreement.objects.filter(province_id="04").first()
    agreement.province_id = "20"
    agreement.save()
    Project.objects.filter(province_id="04").update(province_id="20")
    assert_tallies_match_the_records()
    assert counted(Project.objects.all()) == {"20": 2 * (HOLDS["20"]["projects"] + HOLDS["04"]["projects"])}


# --- The national view (step 6): every province side by side -------------------------------------------------------


def test_the_national_dashboard_and_period_report_show_each_province_and_their_sum(two_provinces):
    national = signed_in("bo", "national")
    rows = national.get("/").context["by_province"]
    assert [row.office.province_code for row in rows] == ["04", "20"]
    # This year to date: each province's records of 1 January, internal ones included.
    assert {row.office.province_code: row.outbound for row in rows} == {"04": every("04"), "20": every("20")}
    response = national.get(reverse("reports:period"), {"start": f"{LAST_YEAR}-01-01", "end": f"{LAST_YEAR}-12-31"})
    rows, total = response.context["by_province"], response.context["by_province_total"]
    persons = {code: sum(HOLDS[code]["public"]) + sum(HOLDS[code]["internal"]) for code in HOLDS}
    assert {r.office.province_code: (r.outbound, r.outbound_persons, r.agreements) for r in rows} == {
        code: (every(code), persons[code], HOLDS[code]["agreements"]) for code in HOLDS
    }
    assert (total.outbound, total.outbound_persons, total.agreements) == (
        every("20") + every("04"),
        sum(persons.values()),
        3,
    )
    page = response.content.decode()
    assert 'href="/p/04/"' in page and "All provinces" in page


def test_the_national_view_of_a_partner_names_the_provinces_with_records_with_it(two_provinces):
    national = signed_in("bo", "national")
    response = national.get(reverse("reports:dossier", args=[two_provinces.pk]))
    rows = response.context["partner_provinces"]
    assert {row.office.province_code: (row.delegations, row.agreements) for row in rows} == {
        code: (2 * every(code), 2 * HOLDS[code]["agreements"]) for code in HOLDS
    }
    assert "Quảng Tây: 2 provinces have records with it" in response.content.decode()


@pytest.mark.parametrize("who", ["official", "visitor"])
def test_only_a_national_user_gets_the_view_by_province(two_provinces, who):
    client = signed_in("bang", "official", "04") if who == "official" else english(Client())
    assert "by_province" not in client.get("/").context
    assert "partner_provinces" not in client.get(reverse("reports:dossier", args=[two_provinces.pk])).context
    assert "by_province" not in signed_in("bo", "national").get("/p/04/").context  # a province chosen


def test_narrowed_says_the_grains_up_front_and_selects_the_same_rows():
    import datetime as dt

    from django.db.models import Q

    from reports import tally

    thirty_years = tally.within(dt.date(1996, 1, 1), dt.date(2025, 12, 31))
    assert tally.narrowed(thirty_years) == Q(grain__in=["y"]) & thirty_years
    edges = tally.within(dt.date(2024, 3, 5), dt.date(2025, 12, 31))
    assert tally.narrowed(edges | tally.UNDATED).children[0] == ("grain__in", ["d", "m", "y"])
    # A branch that allows any grain (or a negation) leaves the filter as it was.
    assert tally.narrowed(Q(grain="y") | Q(country="CN")) == Q(grain="y") | Q(country="CN")
    assert tally.narrowed(~Q(grain="y")) == ~Q(grain="y")
