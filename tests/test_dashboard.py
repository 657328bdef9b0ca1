"""The dashboard at "/": key figures of this year so far against the same days
of last year, four charts, upcoming delegations, agreements about to expire and
the latest records, each over what the viewer may see."""

import datetime
from decimal import Decimal

import pytest
from django.test import Client
from django.utils import timezone

from agreements.models import Agreement, AgreementKind, AgreementStatus
from delegations.models import Delegation, Direction, Status
from partners.models import Partner, PartnerKind
from projects.models import Project, ProjectKind, ProjectStatus
from register.publishable import ReviewState
from reports import selectors_dashboard as selectors
from reports.selectors_dashboard import Periods
from tests.conftest import PUBLISHED, english

INTERNAL_TITLE = "Đoàn nội bộ Zephyr-4471 sang Quảng Tây"
INTERNAL_UPCOMING_TITLE = "Đoàn nội bộ sắp tới Quokka-5582"


def delegation(title, start, size=None, *, direction=Direction.OUTBOUND, published=True, partners=(), **fields):
    record = Delegation.objects.create(
        title=title,
        direction=direction,
        start_date=start,
        size=size,
        is_public=published,
        review_state=ReviewState.APPROVED if published else ReviewState.DRAFT,
        **fields,
    )
    record.partners.set(partners)
    return record


def agreement(title, *, published=True, **fields):
    fields.setdefault("kind", AgreementKind.AGREEMENT)
    return Agreement.objects.create(
        title=title,
        is_public=published,
        review_state=ReviewState.APPROVED if published else ReviewState.DRAFT,
        **fields,
    )


def project(title, kind, value, start, *, published=True, **fields):
    return Project.objects.create(
        title=title,
        kind=kind,
        committed_amount=value,
        actual_start=start,
        is_public=published,
        review_state=ReviewState.APPROVED if published else ReviewState.DRAFT,
        **fields,
    )


def country(name, code):
    return Partner.objects.create(**PUBLISHED, name=name, kind=PartnerKind.COUNTRY, country=code)


@pytest.fixture(autouse=True)
def _plain_static_storage(settings):
    # Tests run with DEBUG off but without collectstatic: the manifest storage
    # would refuse {% static %} in the base template.
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }


@pytest.fixture
def visitor(db):
    """An anonymous browser of its own: the `client` fixture is the one that
    `official_client` signs in."""
    return Client()


@pytest.fixture
def periods():
    return Periods(timezone.localdate())


@pytest.fixture
def records(db, periods):
    """This year so far: two outbound delegations (5 and 7 persons), one inbound
    (10), one agreement signed, one ODA project started (2 billion đồng). The same
    period last year: one outbound (4), two inbound (3 and 3), no agreement, two
    projects (1 billion each). And one internal outbound delegation of 777
    persons this year, which only signed-in users may count."""
    this_year, last_year = periods.this_start, periods.last_start
    china = country("Trung Quốc", "CN")
    guangxi = Partner.objects.create(**PUBLISHED, name="Quảng Tây", kind=PartnerKind.REGION, country="CN", parent=china)
    laos = country("Lào", "LA")
    delegation("Đoàn ra thứ nhất", this_year, 5, partners=[guangxi])
    delegation("Đoàn ra thứ hai", periods.today, 7, partners=[china, guangxi, laos])
    delegation("Đoàn vào năm nay", this_year, 10, direction=Direction.INBOUND, partners=[laos])
    delegation("Đoàn ra năm ngoái", last_year, 4)
    delegation("Đoàn vào năm ngoái 1", last_year, 3, direction=Direction.INBOUND)
    delegation("Đoàn vào năm ngoái 2", periods.last_end, 3, direction=Direction.INBOUND)
    delegation(INTERNAL_TITLE, this_year, 777, published=False, partners=[guangxi])
    delegation("Đoàn bị hủy", this_year, 50, status=Status.CANCELLED)
    agreement("Thỏa thuận ký năm nay", signed_on=this_year, status=AgreementStatus.IN_FORCE)
    project("Dự án ODA năm nay", ProjectKind.ODA, Decimal("2000000000"), this_year)
    project("Dự án NGO năm ngoái", ProjectKind.NGO, Decimal("1000000000"), last_year)
    project("Dự án FDI năm ngoái", ProjectKind.FDI, Decimal("1000000000"), last_year)


def figures(response):
    return {str(f.label): (f.now, f.before) for f in response.context["key_figures"]}


def test_the_dashboard_answers_a_visitor_and_an_official(visitor, official_client, records):
    assert visitor.get("/").status_code == 200
    assert official_client.get("/").status_code == 200


def test_a_visitor_sees_key_figures_of_published_records_only(visitor, records):
    response = english(visitor).get("/")

    assert figures(response) == {
        "Outbound delegations": (2, 1),
        "Outbound person-trips": (12, 4),
        "Inbound delegations": (1, 2),
        "Inbound persons": (10, 6),
        "Agreements signed": (1, 0),
        "Projects started": (1, 2),
        "Committed value of projects started": (Decimal("2000000000"), Decimal("2000000000")),
    }
    assert "777" not in response.content.decode()
    assert "789" not in response.content.decode()


def test_an_official_also_counts_the_internal_delegation(official_client, records):
    response = english(official_client).get("/")

    assert figures(response)["Outbound delegations"] == (3, 1)
    assert figures(response)["Outbound person-trips"] == (789, 4)
    assert ">789<" in response.content.decode()


def test_key_figures_show_the_change_against_last_year(visitor, records):
    response = english(visitor).get("/")
    html = response.content.decode()
    by_label = {str(f.label): f for f in response.context["key_figures"]}

    assert by_label["Outbound delegations"].change_display == "+1 (+100%)"
    assert by_label["Inbound delegations"].change_display == "−1 (−50%)"
    assert by_label["Agreements signed"].change_display == "+1"
    assert str(by_label["Committed value of projects started"].change_display) == "no change"
    assert "+1 (+100%)" in html
    assert "−1 (−50%)" in html


def test_a_cancelled_delegation_is_never_counted(official_client, records):
    response = english(official_client).get("/")

    # 5 + 7 + 777, without the cancelled delegation's 50.
    assert figures(response)["Outbound person-trips"][0] == 789


def test_a_delegation_after_today_is_upcoming_not_counted(visitor, records, periods):
    delegation("Đoàn sắp đi", periods.today + datetime.timedelta(days=1), 30, status=Status.PLANNED)

    response = english(visitor).get("/")

    assert figures(response)["Outbound delegations"] == (2, 1)
    assert "Đoàn sắp đi" in [d.title for d in response.context["upcoming"]]


def test_the_four_charts_are_svg_pictures_with_a_data_table(visitor, records):
    html = visitor.get("/").content.decode()

    assert html.count('<svg xmlns="http://www.w3.org/2000/svg"') == 4
    assert html.count('role="img"') == 4
    for chart_id in ("chart-years", "chart-countries", "chart-agreements", "chart-projects"):
        assert f'<title id="{chart_id}-title">' in html
        assert f'aria-labelledby="{chart_id}-title {chart_id}-desc"' in html
    assert html.count('<details class="chart__data">') == 4
    assert "style=" not in html


def test_the_years_chart_counts_delegations_per_year_and_direction(visitor, official_client, records, periods):
    visitor_chart = visitor.get("/").context["charts"][0]
    official_chart = official_client.get("/").context["charts"][0]

    this_year, last_year = str(periods.today.year), str(periods.today.year - 1)
    assert visitor_chart.categories == [last_year, this_year]
    assert [(s.values) for s in visitor_chart.series] == [(1, 2), (2, 1)]
    assert [(s.values) for s in official_chart.series] == [(1, 3), (2, 1)]


def test_person_trips_count_a_delegation_once_per_country(visitor, official_client, records):
    visitor_chart = visitor.get("/").context["charts"][1]
    official_chart = official_client.get("/").context["charts"][1]

    # China: 5 (Guangxi) + 7 (China and Guangxi, once); Laos: 7 + 10 inbound.
    assert dict(zip(visitor_chart.categories, visitor_chart.series[0].values, strict=True)) == {
        "Lào": 17,
        "Trung Quốc": 12,
    }
    assert dict(zip(official_chart.categories, official_chart.series[0].values, strict=True)) == {
        "Trung Quốc": 789,
        "Lào": 17,
    }


def test_a_country_without_its_own_partner_row_is_labelled_by_its_vietnamese_name(visitor, records, periods):
    nagasaki = Partner.objects.create(**PUBLISHED, name="Nagasaki", kind=PartnerKind.REGION, country="JP")
    delegation("Đoàn sang Nhật", periods.this_start, 6, partners=[nagasaki])
    unknown = Partner.objects.create(**PUBLISHED, name="Đảo X", kind=PartnerKind.REGION, country="XZ")
    delegation("Đoàn sang đảo X", periods.this_start, 2, partners=[unknown])

    chart = visitor.get("/").context["charts"][1]

    assert "Nhật Bản" in chart.categories and "JP" not in chart.categories
    assert "XZ" in chart.categories  # a code the table does not know is shown as it is


def test_agreements_and_projects_charts_group_in_the_database(visitor, records):
    charts = english(visitor).get("/").context["charts"]

    assert charts[2].categories == ["In force"]
    assert charts[2].series[0].values == (1,)
    assert dict(zip(charts[3].categories, charts[3].series[0].values, strict=True)) == {
        "ODA": Decimal("2000000000"),
        "Foreign direct investment (FDI)": Decimal("1000000000"),
        "Foreign NGO aid": Decimal("1000000000"),
    }


def test_cancelled_projects_are_left_out_of_the_value_and_the_key_figures(visitor, records, periods):
    project(
        "Dự án ODA bị hủy", ProjectKind.ODA, Decimal("5000000000"), periods.this_start, status=ProjectStatus.CANCELLED
    )
    project(
        "Dự án FDI bị hủy", ProjectKind.FDI, Decimal("7000000000"), periods.last_start, status=ProjectStatus.CANCELLED
    )

    response = english(visitor).get("/")

    assert figures(response)["Projects started"] == (1, 2)
    assert figures(response)["Committed value of projects started"] == (Decimal("2000000000"), Decimal("2000000000"))
    chart = response.context["charts"][3]
    assert dict(zip(chart.categories, chart.series[0].values, strict=True))["ODA"] == Decimal("2000000000")


def test_a_kind_whose_projects_are_all_cancelled_is_not_charted(visitor, records, periods):
    project(
        "Viện trợ phi dự án bị hủy",
        ProjectKind.NON_PROJECT_AID,
        Decimal("9000000000"),
        periods.this_start,
        status=ProjectStatus.CANCELLED,
    )

    rows = selectors.projects_by_kind(None, periods)

    assert ProjectKind.NON_PROJECT_AID not in [row["kind"] for row in rows]


def test_an_undated_project_counts_in_the_value_chart_but_in_no_period(visitor, records, periods):
    project("Dự án chưa rõ ngày", ProjectKind.ODA, Decimal("3000000000"), None)

    response = english(visitor).get("/")

    chart = response.context["charts"][3]
    assert dict(zip(chart.categories, chart.series[0].values, strict=True))["ODA"] == Decimal("5000000000")
    assert figures(response)["Projects started"] == (1, 2)


def test_an_internal_project_counts_for_an_official_only(visitor, official_client, records, periods):
    project("Dự án nội bộ", ProjectKind.ODA, Decimal("4000000000"), periods.today, published=False)

    assert figures(english(visitor).get("/"))["Projects started"] == (1, 2)
    official = figures(english(official_client).get("/"))
    assert official["Projects started"] == (2, 2)
    assert official["Committed value of projects started"] == (Decimal("6000000000"), Decimal("2000000000"))


def test_projects_started_on_the_same_day_of_last_year_are_compared_and_not_the_day_after(db):
    today = datetime.date(2025, 6, 15)
    project("Trong kỳ năm ngoái", ProjectKind.ODA, Decimal("100"), datetime.date(2024, 6, 15))
    project("Sau kỳ năm ngoái", ProjectKind.ODA, Decimal("200"), datetime.date(2024, 6, 16))
    project("Kế hoạch năm nay", ProjectKind.ODA, Decimal("400"), None, planned_start=datetime.date(2025, 3, 1))

    rows = selectors.projects_by_kind(None, Periods(today))

    assert rows == [
        {
            "kind": ProjectKind.ODA,
            "count": 3,
            "value": Decimal("700"),
            "started_now": 1,
            "started_before": 1,
            "value_now": Decimal("400"),
            "value_before": Decimal("100"),
        }
    ]


def test_chart_labels_are_escaped(visitor, records, periods):
    evil = country('<script>alert("x")</script>', "ZZ")
    delegation("Đoàn sang nước lạ", periods.this_start, 9, partners=[evil])

    html = visitor.get("/").content.decode()

    assert "<script" not in html
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;" in html


def test_upcoming_delegations_are_planned_or_approved_soonest_first(visitor, records, periods):
    soon = periods.today + datetime.timedelta(days=3)
    later = periods.today + datetime.timedelta(days=40)
    delegation("Đoàn đi sau", later, 4, status=Status.APPROVED)
    delegation("Đoàn đi trước", soon, 4, status=Status.PLANNED)
    delegation("Đoàn đã hủy", soon, 4, status=Status.CANCELLED)
    delegation(INTERNAL_UPCOMING_TITLE, soon, 4, status=Status.PLANNED, published=False)

    upcoming = [d.title for d in visitor.get("/").context["upcoming"]]

    assert upcoming == ["Đoàn đi trước", "Đoàn đi sau"]


def test_the_internal_upcoming_delegation_is_listed_for_an_official_only(visitor, official_client, periods, db):
    delegation(
        INTERNAL_UPCOMING_TITLE, periods.today + datetime.timedelta(days=2), 4, status=Status.PLANNED, published=False
    )

    assert INTERNAL_UPCOMING_TITLE not in visitor.get("/").content.decode()
    assert INTERNAL_UPCOMING_TITLE in official_client.get("/").content.decode()


def test_agreements_in_force_expiring_within_90_days_are_listed(visitor, periods, db):
    today = periods.today
    agreement("Hết hạn sau 30 ngày", status=AgreementStatus.IN_FORCE, expires_on=today + datetime.timedelta(days=30))
    agreement("Hết hạn hôm nay", status=AgreementStatus.IN_FORCE, expires_on=today)
    agreement("Hết hạn sau 91 ngày", status=AgreementStatus.IN_FORCE, expires_on=today + datetime.timedelta(days=91))
    agreement("Đã hết hạn hôm qua", status=AgreementStatus.IN_FORCE, expires_on=today - datetime.timedelta(days=1))
    agreement("Đã thay thế", status=AgreementStatus.SUPERSEDED, expires_on=today + datetime.timedelta(days=10))

    expiring = visitor.get("/").context["expiring"]

    assert [a.title for a in expiring] == ["Hết hạn hôm nay", "Hết hạn sau 30 ngày"]
    assert [a.days_left for a in expiring] == [0, 30]


def test_the_latest_records_are_the_five_most_recent_of_each_kind(visitor, official_client, records):
    visitor_latest = {
        str(label): [r.title for r in rows] for label, _url, rows in english(visitor).get("/").context["latest"]
    }
    official_html = official_client.get("/").content.decode()

    assert len(visitor_latest["Delegations"]) == 5
    assert INTERNAL_TITLE not in visitor_latest["Delegations"]
    assert visitor_latest["Agreements"] == ["Thỏa thuận ký năm nay"]
    assert visitor_latest["Projects"] == ["Dự án FDI năm ngoái", "Dự án NGO năm ngoái", "Dự án ODA năm nay"]
    # The internal delegation was entered after all but two: an official sees it in the five.
    assert INTERNAL_TITLE in official_html


def test_the_internal_delegation_never_appears_on_the_visitors_dashboard(visitor, records):
    html = visitor.get("/").content.decode()

    assert INTERNAL_TITLE not in html
    assert "Zephyr-4471" not in html


def test_an_empty_register_shows_empty_charts_without_error(visitor, db):
    response = visitor.get("/")

    assert response.status_code == 200
    assert 'class="chart__svg"' not in response.content.decode()  # no chart (the header's search icon is an svg)
    assert all(chart.is_empty for chart in response.context["charts"])


def test_the_dashboard_runs_a_fixed_number_of_queries(
    visitor, official_client, records, periods, django_assert_num_queries
):
    for i in range(5):
        delegation(f"Thêm đoàn {i}", periods.this_start, 2, partners=list(Partner.objects.all()))
        agreement(f"Thêm thỏa thuận {i}", status=AgreementStatus.IN_FORCE, expires_on=periods.today)
    # 1 delegations per year and direction (the key figures come with it)
    # 2 person-trips per country (names as a subquery)
    # 3 agreements per status
    # 4 projects per kind from the project tally  5 the cancelled ones, taken away
    # 6 upcoming delegations   7 agreements expiring
    # 8-10 the latest delegations, agreements and projects
    # 11 the projects started whose committed amount is not converted (the value says so)
    with django_assert_num_queries(11):
        visitor.get("/")
    # An official adds the session and the user.
    with django_assert_num_queries(13):
        official_client.get("/")


def test_the_same_period_of_last_year_ends_on_the_same_day():
    assert Periods(datetime.date(2025, 6, 15)).last_start == datetime.date(2024, 1, 1)
    assert Periods(datetime.date(2025, 6, 15)).last_end == datetime.date(2024, 6, 15)
    assert Periods(datetime.date(2024, 2, 29)).last_end == datetime.date(2023, 2, 28)


def test_delegations_after_the_same_day_of_last_year_are_not_in_the_comparison(db):
    today = datetime.date(2025, 6, 15)
    delegation("Trong kỳ năm ngoái", datetime.date(2024, 6, 15), 4)
    delegation("Sau kỳ năm ngoái", datetime.date(2024, 6, 16), 8)

    rows = selectors.delegations_by_year(None, Periods(today))

    assert rows == [
        {
            "year": 2024,
            "direction": Direction.OUTBOUND,
            "count": 2,
            "persons": 12,
            "count_in_period": 1,
            "persons_in_period": 4,
            "unknown_in_period": 0,
        }
    ]
