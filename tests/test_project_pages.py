"""The project list (/projects/) and a project's page (/projects/<pk>/):
filters, sorting, pagination, plain messages for bad filter values, the
visibility rule for each role, and a fixed number of queries."""

import datetime as dt
import re
from decimal import Decimal

import pytest
from django.contrib.contenttypes.models import ContentType
from django.urls import reverse

from common.partial_dates import DatePrecision
from partners.models import LocalUnit, LocalUnitKind, Partner, Sector
from projects.models import (
    ExchangeRate,
    ParticipantRole,
    Project,
    ProjectKind,
    ProjectParticipant,
    ProjectStatus,
    Transaction,
    TransactionKind,
)
from register.publishable import ReviewState
from tests.conftest import PUBLISHED, english

LIST = reverse("projects:list")
HIV_TITLE = "Dự án phòng chống HIV/AIDS (nguồn quỹ Ngân hàng Thế giới)"


@pytest.fixture(autouse=True)
def _plain_static_storage(settings):
    # Tests run with DEBUG off but without collectstatic: the manifest storage
    # would refuse {% static %} in the base template.
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }


def make_project(title, *, published=True, **fields):
    defaults = {"kind": ProjectKind.ODA}
    if published:
        defaults.update(is_public=True, review_state=ReviewState.APPROVED)
    return Project.objects.create(title=title, **{**defaults, **fields})


def take_part(project, party, role=ParticipantRole.FUNDING):
    if isinstance(party, Partner):
        return ProjectParticipant.objects.create(project=project, partner=party, role=role)
    return ProjectParticipant.objects.create(project=project, local_unit=party, role=role)


def partner(name_en):
    return Partner.objects.get(name_en=name_en)


def titles(response):
    return [project.title for project in response.context["object_list"]]


def text(response):
    return response.content.decode()


# The list and who sees what ----------------------------------------------------------------


def test_visitor_sees_the_published_projects_with_funders_locations_and_disbursed_total(client, seeded):
    response = client.get(LIST)

    assert response.status_code == 200
    assert HIV_TITLE in titles(response)
    assert len(titles(response)) == 3
    page = text(response)
    assert "Ngân hàng Thế giới" in page  # the funder
    assert "Huyện Cao Lộc" in page  # the location
    # 84.248.000 + 222.506.000, summed in the list's own query.
    assert "306.754.000 ₫" in page


def test_an_unpublished_project_never_appears_to_a_visitor(client, seeded):
    make_project("Dự án nội bộ ZX-417", published=False)
    make_project("Dự án chờ duyệt ZX-418", is_public=False, review_state=ReviewState.SUBMITTED)

    page = text(client.get(LIST))

    assert "ZX-417" not in page
    assert "ZX-418" not in page


@pytest.mark.parametrize("persona", ["official", "staff"])
def test_signed_in_users_see_unpublished_projects_marked_as_such(client, seeded, persona, request):
    make_project("Dự án nội bộ ZX-417", published=False)
    client.force_login(request.getfixturevalue(persona))

    response = english(client).get(LIST)

    assert "Dự án nội bộ ZX-417" in titles(response)
    assert "Not published" in text(response)


def test_the_committed_value_shows_in_its_currency_and_in_dong(client, db):
    ExchangeRate.objects.create(currency="USD", date=dt.date(2024, 1, 2), vnd_per_unit=24000)
    make_project(
        "Trường học Nhật tài trợ",
        committed_amount=Decimal("2500000"),
        currency="USD",
        actual_start=dt.date(2024, 1, 15),
    )

    page = text(client.get(LIST))

    # "2,5 triệu USD" once the Vietnamese catalogue is compiled; the number form is Vietnamese already.
    assert re.search(r"2,5 (triệu|million) USD", page)
    assert "60.000.000.000 ₫" in page


# Filters -------------------------------------------------------------------------------------


def test_kind_filter_keeps_only_that_kind(client, seeded):
    make_project("Nhà máy FDI Đồng Đăng", kind=ProjectKind.FDI)

    assert titles(client.get(LIST, {"kind": "fdi"})) == ["Nhà máy FDI Đồng Đăng"]


def test_status_filter_keeps_only_that_status(client, seeded):
    make_project("Dự án đã đóng", status=ProjectStatus.CLOSED)
    make_project("Dự án đang làm", status=ProjectStatus.IMPLEMENTATION)

    assert titles(client.get(LIST, {"status": ProjectStatus.CLOSED})) == ["Dự án đã đóng"]


def test_sector_filter_keeps_only_that_sector(client, seeded):
    hiv = Sector.objects.get(code="13040")

    assert titles(client.get(LIST, {"sector": hiv.pk})) == [HIV_TITLE]


def test_partner_filter_includes_the_localities_under_the_partner(client, seeded):
    border = make_project("Chợ biên giới Bằng Tường – Cao Lộc")
    take_part(border, partner("Pingxiang"), ParticipantRole.IMPLEMENTING)

    assert titles(client.get(LIST, {"partner": partner("Guangxi Zhuang Autonomous Region").pk})) == [border.title]
    assert titles(client.get(LIST, {"partner": partner("China").pk})) == [border.title]
    assert titles(client.get(LIST, {"partner": partner("Laos").pk})) == []


def test_a_project_with_two_matching_partners_is_listed_once(client, seeded):
    border = make_project("Hai đối tác Quảng Tây")
    take_part(border, partner("Pingxiang"))
    take_part(border, partner("Ningming County"))

    response = client.get(LIST, {"partner": partner("Guangxi Zhuang Autonomous Region").pk})

    assert titles(response) == ["Hai đối tác Quảng Tây"]
    assert response.context["page_obj"].count == 1


def test_role_narrows_the_partner_filter_to_that_role(client, seeded):
    border = make_project("Chợ biên giới Bằng Tường – Cao Lộc")
    take_part(border, partner("Pingxiang"), ParticipantRole.IMPLEMENTING)
    guangxi = partner("Guangxi Zhuang Autonomous Region").pk

    assert titles(client.get(LIST, {"partner": guangxi, "role": ParticipantRole.IMPLEMENTING})) == [border.title]
    assert titles(client.get(LIST, {"partner": guangxi, "role": ParticipantRole.FUNDING})) == []


def test_role_alone_lists_projects_with_a_foreign_partner_in_that_role(client, seeded):
    # Seeded: the World Bank and the Global Fund fund; the Ministry of Education is accountable.
    funded = titles(client.get(LIST, {"role": ParticipantRole.FUNDING}))

    assert HIV_TITLE in funded
    assert "Dự án Giáo dục trẻ em có hoàn cảnh khó khăn" not in funded


def test_location_filter_keeps_projects_at_that_unit(client, seeded):
    dong_dang = LocalUnit.objects.create(**PUBLISHED, name="Thị trấn Đồng Đăng (thử)", kind=LocalUnitKind.TOWN)
    there = make_project("Dự án ở Đồng Đăng")
    there.locations.add(dong_dang)

    assert titles(client.get(LIST, {"location": dong_dang.pk})) == ["Dự án ở Đồng Đăng"]


def test_year_filter_keeps_projects_active_in_that_year_on_actual_or_planned_dates(client, db):
    make_project("Thực tế 2019–2021", actual_start=dt.date(2019, 5, 1), actual_end=dt.date(2021, 3, 31))
    make_project("Kế hoạch 2022–2023", planned_start=dt.date(2022, 1, 1), planned_end=dt.date(2023, 12, 31))
    make_project("Đang chạy từ 2018", actual_start=dt.date(2018, 1, 1))
    make_project("Không có ngày")

    assert sorted(titles(client.get(LIST, {"year": 2020}))) == ["Thực tế 2019–2021", "Đang chạy từ 2018"]
    assert sorted(titles(client.get(LIST, {"year": 2022}))) == ["Kế hoạch 2022–2023", "Đang chạy từ 2018"]
    assert titles(client.get(LIST, {"year": 2017})) == []
    # A quarter or a month is a period too.
    assert titles(client.get(LIST, {"year": "Quý I/2018"})) == ["Đang chạy từ 2018"]
    assert sorted(titles(client.get(LIST, {"year": "05/2019"}))) == ["Thực tế 2019–2021", "Đang chạy từ 2018"]
    assert titles(client.get(LIST, {"year": "04/2019"})) == ["Đang chạy từ 2018"]


@pytest.mark.parametrize("query", ["phong chong hiv", "PHÒNG CHỐNG HIV", "ngan hang the gioi"])
def test_text_filter_ignores_accents_and_case(client, seeded, query):
    assert titles(client.get(LIST, {"q": query})) == [HIV_TITLE]


def test_invalid_filter_values_are_explained_and_the_valid_ones_still_apply(client, seeded):
    make_project("Nhà máy FDI Đồng Đăng", kind=ProjectKind.FDI)

    response = english(client).get(
        LIST, {"kind": "fdi", "partner": "999999", "year": "năm ngoái", "status": "77", "sort": "rubbish"}
    )

    assert response.status_code == 200
    assert titles(response) == ["Nhà máy FDI Đồng Đăng"]
    notices = " ".join(str(n) for n in response.context["notices"])
    assert "Partner (and the localities under it)" in notices
    assert "Active in year" in notices
    assert "Status" in notices
    assert "rubbish" in notices
    assert "This filter was ignored." in text(response)


def test_the_filter_form_keeps_its_values(client, seeded):
    page = text(client.get(LIST, {"q": "hiv", "kind": "oda"}))

    assert re.search(r'name="q" value="hiv"', page)
    assert re.search(r'<option value="oda" selected>', page)


# Sorting and pages ---------------------------------------------------------------------------


def test_sort_by_value_puts_the_largest_first_and_unknown_values_last(client, db):
    make_project("Nhỏ", committed_amount=1_000)
    make_project("Không rõ giá trị")
    make_project("Lớn", committed_amount=9_000_000)

    assert titles(client.get(LIST, {"sort": "value"})) == ["Lớn", "Nhỏ", "Không rõ giá trị"]


def test_sort_by_title_and_by_start_date(client, db):
    make_project("B", actual_start=dt.date(2015, 1, 1))
    make_project("A", planned_start=dt.date(2020, 1, 1))
    make_project("C")

    assert titles(client.get(LIST, {"sort": "title"})) == ["A", "B", "C"]
    assert titles(client.get(LIST)) == ["A", "B", "C"]  # newest start first, undated last
    assert titles(client.get(LIST, {"sort": "start_asc"})) == ["B", "A", "C"]


def test_sorting_by_title_follows_vietnamese_order_not_code_points(client, db):
    # Code-point order put "Dự án Quỹ…" before "Dự án phòng…" (capitals first) and Đ after Z.
    for title in ["Dự án Quỹ toàn cầu", "Dự án phòng chống HIV/AIDS", "Đường giao thông", "Xây trường học"]:
        make_project(title)

    assert titles(client.get(LIST, {"sort": "title"})) == [
        "Dự án phòng chống HIV/AIDS",
        "Dự án Quỹ toàn cầu",
        "Đường giao thông",
        "Xây trường học",
    ]


def test_pages_hold_25_rows_and_a_bad_page_number_falls_back(client, db):
    for i in range(30):
        make_project(f"Dự án số {i:02d}")

    assert len(titles(client.get(LIST))) == 25
    assert len(titles(client.get(LIST, {"page": 2}))) == 5
    assert client.get(LIST, {"page": 999}).context["page_obj"].number == 2
    assert client.get(LIST, {"page": "abc"}).context["page_obj"].number == 1


def test_page_links_keep_the_filters(client, db):
    for i in range(30):
        make_project(f"Dự án số {i:02d}")

    page = text(client.get(LIST, {"kind": "oda"}))

    assert "?kind=oda&amp;page=2" in page


@pytest.mark.parametrize("rows", [3, 30])
def test_the_list_costs_the_same_queries_whatever_the_number_of_rows(client, django_assert_num_queries, db, rows):
    world_bank = Partner.objects.create(**PUBLISHED, name="Ngân hàng Thế giới", kind="bank")
    cao_loc = LocalUnit.objects.create(**PUBLISHED, name="Huyện Cao Lộc", kind=LocalUnitKind.DISTRICT)
    for i in range(rows):
        project = make_project(f"Dự án {i}")
        take_part(project, world_bank)
        project.locations.add(cao_loc)
        Transaction.objects.create(
            project=project, kind=TransactionKind.DISBURSEMENT, date=dt.date(2020, 1, 1), amount=5
        )

    # 1-3 the choices of the sector, partner and location filters; 4 the row count;
    # 5 the page of projects with their sector and disbursed totals; 6 the funders;
    # 7 the locations.
    with django_assert_num_queries(7):
        response = client.get(LIST)
    assert response.status_code == 200


# A project's page ----------------------------------------------------------------------------


def hiv_project():
    return Project.objects.get(title=HIV_TITLE)


def test_the_world_bank_hiv_project_page_shows_its_transactions_and_participants(client, seeded):
    project = hiv_project()

    response = client.get(project.get_absolute_url())

    assert response.status_code == 200
    page = text(response)
    assert "84.248.000 ₫" in page
    assert "222.506.000 ₫" in page
    # The year-precision date of the 2010 transaction, in its own table cell.
    assert re.search(r'<td class="nowrap">(năm|year) 2010</td>', page)
    world_bank = Partner.objects.get(name="Ngân hàng Thế giới")
    assert f'<a href="{world_bank.get_absolute_url()}">Ngân hàng Thế giới</a>' in page
    assert "Trung tâm Y tế huyện Cao Lộc" in page
    groups = dict(response.context["participant_groups"])
    assert [p.partner.name for p in groups[ParticipantRole.FUNDING.label]] == ["Ngân hàng Thế giới"]
    assert [p.local_unit.name for p in groups[ParticipantRole.IMPLEMENTING.label]] == ["Trung tâm Y tế huyện Cao Lộc"]
    assert response.context["totals"]["delivered_vnd"] == Decimal("306754000")
    # The citation with its excerpt.
    assert "năm 2010 là 84.248.000 đồng" in page


def test_the_project_page_labels_are_in_human_words(client, seeded):
    response = english(client).get(hiv_project().get_absolute_url())

    page = text(response)
    assert "In-kind support" in page
    assert "Funding" in page
    assert "Implementing" in page
    assert "STD control" not in page  # the sector shows its Vietnamese name
    assert "Phòng, chống HIV/AIDS" in page


def test_an_unpublished_project_page_is_404_for_a_visitor(client, db):
    hidden = make_project("Dự án nội bộ ZX-417", published=False)
    submitted = make_project("Dự án chờ duyệt", is_public=False, review_state=ReviewState.SUBMITTED)

    assert client.get(hidden.get_absolute_url()).status_code == 404
    assert client.get(submitted.get_absolute_url()).status_code == 404


@pytest.mark.parametrize("persona", ["official", "staff"])
def test_an_unpublished_project_page_opens_for_signed_in_users(client, db, persona, request):
    hidden = make_project("Dự án nội bộ ZX-417", published=False)
    client.force_login(request.getfixturevalue(persona))

    response = english(client).get(hidden.get_absolute_url())

    assert response.status_code == 200
    assert "This record is not published" in text(response)


def test_a_missing_project_is_404(client, db):
    assert client.get(reverse("projects:detail", args=[987654])).status_code == 404


def test_a_transaction_without_a_rate_is_left_out_of_the_totals_and_said_so(client, db):
    project = make_project("Dự án bằng euro")
    Transaction.objects.create(
        project=project, kind=TransactionKind.DISBURSEMENT, date=dt.date(2020, 1, 1), amount=10, currency="EUR"
    )
    Transaction.objects.create(
        project=project,
        kind=TransactionKind.COMMITMENT,
        date=dt.date(2019, 1, 1),
        amount=1_000_000,
        date_precision=DatePrecision.MONTH,
    )

    response = english(client).get(project.get_absolute_url())

    totals = response.context["totals"]
    assert (totals["committed_vnd"], totals["delivered_vnd"], totals["missing_vnd"]) == (Decimal("1000000"), 0, 1)
    assert totals["delivered_shown"] == "0 ₫ + 1 transaction not converted (EUR 10)"
    assert "0 ₫ + 1 transaction not converted (EUR 10)" in text(response)


@pytest.mark.parametrize("rows", [2, 20])
def test_the_project_page_costs_the_same_queries_whatever_the_number_of_transactions(
    client, django_assert_num_queries, db, rows
):
    project = make_project("Dự án nhiều giao dịch")
    donor = Partner.objects.create(**PUBLISHED, name="Nhà tài trợ", kind="bank")
    unit = LocalUnit.objects.create(**PUBLISHED, name="Trung tâm Y tế", kind=LocalUnitKind.PUBLIC_SERVICE)
    take_part(project, donor)
    take_part(project, unit, ParticipantRole.IMPLEMENTING)
    for i in range(rows):
        Transaction.objects.create(
            project=project,
            kind=TransactionKind.DISBURSEMENT,
            date=dt.date(2020, 1, 1 + i % 28),
            amount=i,
            provider=donor,
            receiver=unit,
        )
    ContentType.objects.get_for_model(Project)  # the content type is cached once per process

    # 1 the project with its sector; 2 the participants with partner and unit; 3 the
    # locations; 4 the transactions with provider and receiver; 5 the citations.
    with django_assert_num_queries(5):
        response = client.get(project.get_absolute_url())
    assert response.status_code == 200
